import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3ArtifactStore } from "../../../sdk/aws/artifacts.js";
import { S3ObjectReader } from "../../../sdk/aws/objects.js";
import { ConfigurationError, NotFoundError } from "../../../sdk/errors.js";
import { destroyAwsClients, emulatedClients, startS3rverEmulator } from "../../support/aws-emulators.js";
import { describeArtifactContract } from "../contracts/artifact-contract.js";

/**
 * The S3 adapters on s3rver (S3's REST API on a scratch folder, 127.0.0.1, path-style since the endpoint is an
 * IP), reached through AWS_ENDPOINT_URL_S3: PutObject, multipart uploads through lib-storage, GetObject,
 * ListObjectsV2 and S3's own NoSuchKey / NoSuchBucket answers. s3rver cannot check: ListObjectsV2 past 1,000
 * keys (it answers 500, its bug: paging stays on aws-sdk-client-mock in artifacts.test.ts), IAM, throttling,
 * a failing part (the abort path stays on the client mock).
 */
let s3rver: Awaited<ReturnType<typeof startS3rverEmulator>>;
beforeAll(async () => {
  s3rver = await startS3rverEmulator();
});
afterAll(async () => s3rver?.close());

const MiB = 1024 * 1024;
let counter = 0;
async function freshStore() {
  const clients = emulatedClients();
  const bucket = `artifacts-${++counter}`;
  await s3rver.createBucket(bucket);
  const store = new S3ArtifactStore(clients.s3, {
    bucket,
    prefix: "runs/",
    multipartThresholdBytes: 6 * MiB,
    partSizeBytes: 5 * MiB,
  });
  return { store, clients, bucket, close: async () => destroyAwsClients(clients) };
}

describeArtifactContract("S3ArtifactStore on s3rver (S3 emulator)", freshStore);

describe("S3 adapters on s3rver (S3 specifics)", () => {
  it("streams a body of unknown length with putStream and reads it back with the object reader", async () => {
    const { store, clients, bucket, close } = await freshStore();
    try {
      const rows = Array.from({ length: 2_000 }, (_, i) => `${i},row ${i}\n`);
      await store.putStream("exports/stream.csv", Readable.from(rows));
      const reader = new S3ObjectReader(clients.s3);
      expect((await reader.read(bucket, "runs/exports/stream.csv")).toString()).toBe(rows.join(""));
      await expect(reader.read(bucket, "runs/missing.csv")).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await close();
    }
  });

  it("reports a bucket that does not exist as a configuration error naming FEEDBACK_ARTIFACTS_BUCKET", async () => {
    const clients = emulatedClients();
    try {
      const store = new S3ArtifactStore(clients.s3, { bucket: "no-such-bucket-here" });
      for (const attempt of [() => store.get("a.txt"), () => store.put("a.txt", "x"), () => store.list("")]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as ConfigurationError).hint).toMatch(/FEEDBACK_ARTIFACTS_BUCKET/);
      }
    } finally {
      destroyAwsClients(clients);
    }
  });
});
