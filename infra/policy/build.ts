// npm run infra:policy:build: bundles the policy pack into dist/policy-pack as CommonJS, the form
// Pulumi's policy runner loads (it require()s the pack; this package is ESM and TypeScript).
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { REPO_ROOT } from "../bundle.js";

const out = path.join(REPO_ROOT, "dist", "policy-pack");
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(REPO_ROOT, "infra", "policy", "index.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  // Resolved from the repository's node_modules, so the pack and the engine share one @pulumi/policy.
  packages: "external",
  outfile: path.join(out, "index.js"),
  logLevel: "warning",
});
await writeFile(
  path.join(out, "package.json"),
  `${JSON.stringify({ name: "feedback-triage-policy", version: "0.1.0", private: true, type: "commonjs", main: "index.js" }, null, 2)}\n`,
);
await copyFile(path.join(REPO_ROOT, "infra", "policy", "PulumiPolicy.yaml"), path.join(out, "PulumiPolicy.yaml"));
console.log(
  `policy pack written to ${path.relative(process.cwd(), out)}; use: pulumi preview --policy-pack ${path.relative(process.cwd(), out)}`,
);
