import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import type { ArtifactStore } from "../../../sdk/ports/artifacts.js";

export interface ArtifactContractSubject {
  /** A store over empty storage. */
  store: ArtifactStore;
  close(): Promise<void>;
}

const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null);

/** The ArtifactStore port's contract, shared by the local folder store and S3 (s3rver). */
export function describeArtifactContract(name: string, factory: () => Promise<ArtifactContractSubject>): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let subject: ArtifactContractSubject;
    let store: ArtifactStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterEach(async () => subject?.close());

    it("stores text and bytes under nested keys and reads them back", async () => {
      const put = await store.put("reports/2026-11-25/summary.json", '{"tickets":3}', "application/json");
      expect(put.key).toBe("reports/2026-11-25/summary.json");
      expect(text(await store.get(put.key))).toBe('{"tickets":3}');
      await store.put("blobs/raw.bin", new Uint8Array([0, 1, 2, 255]));
      expect(Array.from((await store.get("blobs/raw.bin"))!)).toEqual([0, 1, 2, 255]);
    });

    it("returns null for a missing key", async () => {
      await store.put("a/b.txt", "x");
      expect(await store.get("missing.txt")).toBeNull();
      expect(await store.get("a/c.txt")).toBeNull();
    });

    it("overwrites a key", async () => {
      await store.put("run.log", "first");
      await store.put("run.log", "second");
      expect(text(await store.get("run.log"))).toBe("second");
    });

    it("stores a large body intact (S3: a multipart upload)", async () => {
      const body = new Uint8Array(12 * 1024 * 1024);
      for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
      await store.put("exports/big.bin", body);
      const back = await store.get("exports/big.bin");
      expect(back?.length).toBe(body.length);
      expect(Buffer.compare(Buffer.from(back!), Buffer.from(body))).toBe(0);
    });

    it("lists keys by plain string prefix, sorted", async () => {
      for (const key of ["reports/b.json", "reports/a.json", "reports-old/c.json", "exports/d.csv"]) {
        await store.put(key, key);
      }
      expect(await store.list("reports/")).toEqual(["reports/a.json", "reports/b.json"]);
      expect(await store.list("reports")).toEqual(["reports-old/c.json", "reports/a.json", "reports/b.json"]);
      expect(await store.list("")).toEqual(["exports/d.csv", "reports-old/c.json", "reports/a.json", "reports/b.json"]);
      expect(await store.list("nothing/here/")).toEqual([]);
    });

    it.each(["../escape.txt", "a/./b.txt", "/etc/passwd", "a//b.txt", "a\\b.txt", ""])(
      "rejects the key %j",
      async (key) => {
        await expect(store.put(key, "x")).rejects.toBeInstanceOf(ValidationError);
      },
    );
  });
}
