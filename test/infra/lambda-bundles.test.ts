import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleHandler, REPO_ROOT } from "../../infra/bundle.js";
import { LAMBDA_HANDLERS } from "../../infra/components/lambda-handlers.js";
import { recordStack } from "./support/stack.js";

/**
 * Every Lambda the stack deploys, bundled as `pulumi up` bundles it (infra/bundle.ts: esbuild, one ES module)
 * and loaded from a folder outside the repository, as the Lambda runtime loads index.mjs: a bundle that
 * still needs a file or package it did not take along fails to load here. The migration runner is shipped
 * as it is (infra/lambdas/run-migration.mjs, on the SDK the runtime provides) and only loaded. The handlers
 * come from the list the program takes its options from (infra/components/lambda-handlers.ts), and the last
 * test checks the program deploys no Lambda beyond it.
 */
const MIGRATION_RUNNER = "feedback-worker-migration-runner";
let folder: string | undefined;
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("Lambda bundles", () => {
  for (const [kind, entry] of Object.entries(LAMBDA_HANDLERS)) {
    it(`bundles the ${kind} handler (${entry}) into a module that loads on its own and exports handler`, async () => {
      folder ??= await mkdtemp(path.join(tmpdir(), "lambda-bundles-"));
      const file = path.join(folder, kind, "index.mjs");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, await bundleHandler(entry));
      const mod = await import(pathToFileURL(file).href);
      expect(typeof mod.handler).toBe("function");
    });
  }

  it("loads the migration runner and finds its handler", async () => {
    const mod = await import(pathToFileURL(path.join(REPO_ROOT, "infra/lambdas/run-migration.mjs")).href);
    expect(typeof mod.handler).toBe("function");
  });

  it("deploys no Lambda beyond the handler list and the migration runner", async () => {
    const recording = await recordStack();
    const functions = recording.ofType("feedback:lambda:NodeFunction").map((f) => f.name);
    expect(functions).toContain(MIGRATION_RUNNER);
    expect(functions.filter((name) => name !== MIGRATION_RUNNER)).toHaveLength(Object.keys(LAMBDA_HANDLERS).length);
    expect(recording.ofType("aws:lambda/function:Function")).toHaveLength(functions.length);
  }, 120_000);
});
