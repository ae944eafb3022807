import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { LocalArtifactStore } from "../../../sdk/local/artifacts.js";

describe("LocalArtifactStore", () => {
  let root: string;
  let store: LocalArtifactStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "ft-artifacts-"));
    store = new LocalArtifactStore(root);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it("stores text and bytes under nested keys and returns a file:// uri", async () => {
    const put = await store.put("reports/2026-11-25/summary.json", '{"tickets":3}', "application/json");
    expect(put.key).toBe("reports/2026-11-25/summary.json");
    expect(put.uri.startsWith("file://")).toBe(true);
    expect(fileURLToPath(put.uri)).toBe(path.join(root, "reports", "2026-11-25", "summary.json"));
    expect(new TextDecoder().decode((await store.get(put.key))!)).toBe('{"tickets":3}');

    const bytes = new Uint8Array([0, 1, 2, 255]);
    await store.put("blobs/raw.bin", bytes);
    expect(Array.from((await store.get("blobs/raw.bin"))!)).toEqual([0, 1, 2, 255]);
  });

  it("returns null for a missing key or a folder", async () => {
    await store.put("a/b.txt", "x");
    expect(await store.get("missing.txt")).toBeNull();
    expect(await store.get("a")).toBeNull();
  });

  it("overwrites atomically and leaves no temporary files behind", async () => {
    await store.put("run.log", "first");
    await store.put("run.log", "second");
    expect(new TextDecoder().decode((await store.get("run.log"))!)).toBe("second");
    expect(await readdir(path.join(root, ".partial"))).toEqual([]);
  });

  it("lists keys by plain string prefix, sorted, without writes in progress", async () => {
    for (const key of ["reports/b.json", "reports/a.json", "reports-old/c.json", "exports/d.csv"]) {
      await store.put(key, key);
    }
    expect(await store.list("reports/")).toEqual(["reports/a.json", "reports/b.json"]);
    expect(await store.list("reports")).toEqual(["reports-old/c.json", "reports/a.json", "reports/b.json"]);
    expect(await store.list("")).toEqual(["exports/d.csv", "reports-old/c.json", "reports/a.json", "reports/b.json"]);
    expect(await store.list("nothing/here/")).toEqual([]);
  });

  it.each([
    "../escape.txt",
    "a/../../escape.txt",
    "a/./b.txt",
    "/etc/passwd",
    "a//b.txt",
    "a\\b.txt",
    "",
    ".partial/x.tmp",
    "C:/windows.txt",
  ])("rejects the key %j with ValidationError", async (key) => {
    await expect(store.put(key, "x")).rejects.toBeInstanceOf(ValidationError);
    await expect(store.get(key)).rejects.toBeInstanceOf(ValidationError);
  });

  it("rejects a traversing prefix", async () => {
    await expect(store.list("../")).rejects.toBeInstanceOf(ValidationError);
  });
});
