import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { LocalArtifactStore } from "../../../sdk/local/artifacts.js";
import { describeArtifactContract } from "../contracts/artifact-contract.js";

// The port's contract, shared with S3ArtifactStore on s3rver (test/sdk/aws/s3-s3rver.test.ts).
describeArtifactContract("LocalArtifactStore (folder)", async () => {
  const folder = await mkdtemp(path.join(tmpdir(), "ft-artifacts-"));
  return { store: new LocalArtifactStore(folder), close: () => rm(folder, { recursive: true, force: true }) };
});

describe("LocalArtifactStore", () => {
  let root: string;
  let store: LocalArtifactStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "ft-artifacts-"));
    store = new LocalArtifactStore(root);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it("returns a file:// uri under its folder, and null for a folder", async () => {
    const put = await store.put("reports/2026-11-25/summary.json", '{"tickets":3}', "application/json");
    expect(fileURLToPath(put.uri)).toBe(path.join(root, "reports", "2026-11-25", "summary.json"));
    expect(await store.get("reports")).toBeNull();
  });

  it("overwrites atomically and leaves no temporary files behind", async () => {
    await store.put("run.log", "first");
    await store.put("run.log", "second");
    expect(await readdir(path.join(root, ".partial"))).toEqual([]);
  });

  // The contract rejects the common cases on put; these are the folder store's own, on put and get.
  it.each(["../escape.txt", "a/../../escape.txt", ".partial/x.tmp", "C:/windows.txt"])(
    "rejects the key %j with ValidationError",
    async (key) => {
      await expect(store.put(key, "x")).rejects.toBeInstanceOf(ValidationError);
      await expect(store.get(key)).rejects.toBeInstanceOf(ValidationError);
    },
  );

  it("rejects a traversing prefix", async () => {
    await expect(store.list("../")).rejects.toBeInstanceOf(ValidationError);
  });
});
