import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "../../sdk/errors.js";

/** The client bundle built by dashboard/build.mjs: fingerprinted file names, held in memory. */
export interface Assets {
  js: string;
  css: string;
  files: Map<string, { body: Uint8Array; type: string }>;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".woff2": "font/woff2",
};

const here = path.dirname(fileURLToPath(import.meta.url));

/** dist/dashboard/assets beside the compiled server, or under the repository when run from source (tests). */
export function defaultAssetsDir(): string {
  const candidates = [path.resolve(here, "../assets"), path.resolve(here, "../../dist/dashboard/assets")];
  return candidates.find((dir) => existsSync(path.join(dir, "manifest.json"))) ?? candidates[0]!;
}

export function loadAssets(dir = defaultAssetsDir()): Assets {
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new ConfigurationError(`The dashboard's client bundle is missing (${manifestFile})`, {
      hint: "Run 'npm run build' first.",
    });
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { js: string; css: string; files: string[] };
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const name of manifest.files) {
    files.set(name, {
      body: readFileSync(path.join(dir, name)),
      type: TYPES[path.extname(name)] ?? "application/octet-stream",
    });
  }
  return { js: `/assets/${manifest.js}`, css: `/assets/${manifest.css}`, files };
}
