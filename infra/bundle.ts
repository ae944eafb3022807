import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";

/** The repository root (infra/ lives directly below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// ESM bundles still meet CommonJS dependencies that call require(); give them one.
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const bundles = new Map<string, Promise<string>>();

/** Bundles a handler module and its dependencies into one ES module for the Lambda Node.js runtime. */
export function bundleHandler(entry: string): Promise<string> {
  const key = path.resolve(REPO_ROOT, entry);
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = build(entry);
    bundles.set(key, bundle);
    bundle.catch(() => bundles.delete(key));
  }
  return bundle;
}

async function build(entry: string): Promise<string> {
  const entryPath = path.resolve(REPO_ROOT, entry);
  if (!existsSync(entryPath)) {
    throw new Error(
      `Lambda handler ${entry} does not exist; it must export 'handler' (see infra/components/ingestion.ts)`,
    );
  }
  // Loaded here, not at import time: esbuild is a dev dependency only the deploying machine needs.
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entryPath],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    write: false,
    legalComments: "none",
    banner: { js: REQUIRE_SHIM },
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return file.text;
}

/** The handler as a Lambda deployment package: index.mjs exporting `handler`. */
export function handlerArchive(entry: string): pulumi.Output<pulumi.asset.AssetArchive> {
  return pulumi
    .output(bundleHandler(entry))
    .apply((code) => new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.StringAsset(code) }));
}
