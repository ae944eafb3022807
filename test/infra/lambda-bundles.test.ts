import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { bundleHandler, REPO_ROOT } from "../../infra/bundle.js";
import { INGESTION_HANDLER } from "../../infra/components/ingestion.js";
import { OPERATOR_HANDLER } from "../../infra/components/operator-api.js";
import { SOURCE_HANDLERS } from "../../infra/components/sources.js";
import { TRACKER_EVENTS_HANDLER } from "../../infra/components/tracker-events.js";

/**
 * Every Lambda the stack deploys, bundled as `pulumi up` bundles it (infra/bundle.ts: esbuild, one ES module)
 * and loaded from a folder outside the repository, as the Lambda runtime loads index.mjs: a bundle that
 * still needs a file or package it did not take along fails to load here. The migration runner is shipped
 * as it is (infra/lambdas/run-migration.mjs, on the SDK the runtime provides) and only loaded.
 */
const HANDLERS = {
  ingestion: INGESTION_HANDLER,
  ...SOURCE_HANDLERS,
  operator: OPERATOR_HANDLER,
  trackerEvents: TRACKER_EVENTS_HANDLER,
};
let folder: string | undefined;
afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("Lambda bundles", () => {
  for (const [kind, entry] of Object.entries(HANDLERS)) {
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
});
