// Builds the dashboard's client bundle (part of `npm run build`): dashboard/web -> dist/dashboard/assets,
// with fingerprinted names (the CDN caches /assets/* for a day) and a manifest the server reads.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist/dashboard/assets");

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: "dashboard/web/app.ts", styles: "dashboard/web/styles.css" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  outdir,
  entryNames: "[name]-[hash]",
  metafile: true,
  legalComments: "eof",
  logLevel: "warning",
});
const files = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const find = (prefix, ext) => {
  const name = files.find((f) => f.startsWith(prefix) && f.endsWith(ext));
  if (!name) throw new Error(`dashboard build: no ${prefix}*${ext} output`);
  return name;
};
const manifest = { js: find("app-", ".js"), css: find("styles-", ".css"), files };
await writeFile(path.join(outdir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
