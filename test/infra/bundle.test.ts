import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bundleHandler } from "../../infra/bundle.js";
import { Ingestion } from "../../infra/components/ingestion.js";
import { QUEUE } from "./support/fakes.js";
import { recordProgram } from "./support/harness.js";
import { FIXTURE_HANDLER } from "./support/stack.js";

describe("Lambda bundling", () => {
  it("bundles a handler and its imports into one ES module exporting handler", async () => {
    const code = await bundleHandler(FIXTURE_HANDLER);
    const dir = await mkdtemp(path.join(tmpdir(), "bundle-"));
    const file = path.join(dir, "index.mjs");
    await writeFile(file, code);
    const mod = await import(pathToFileURL(file).href);
    const result = await mod.handler({ hello: "world" });
    expect(result.marker).toBe("feedback-fixture-handler");
    expect(result.digest).toHaveLength(64);
  });

  it("fails with the handler's path when it does not exist", async () => {
    await expect(bundleHandler("worker/handlers/missing-lambda.ts")).rejects.toThrow(
      /missing-lambda\.ts does not exist/,
    );
  });

  it("ships the bundle as index.mjs in the Lambda's code archive", async () => {
    const recording = await recordProgram(
      () =>
        new Ingestion("feedback-ingestion", {
          queueArn: QUEUE.arn,
          queueUrl: QUEUE.url,
          handlerEntry: FIXTURE_HANDLER,
        }),
    );
    const code = recording.named("feedback-ingestion-lambda-fn").inputs.code;
    const assets = await code.assets;
    expect(Object.keys(assets)).toEqual(["index.mjs"]);
    expect(await assets["index.mjs"].text).toContain("feedback-fixture-handler");
    expect(recording.named("feedback-ingestion-lambda-fn").inputs.handler).toBe("index.handler");
  });
});
