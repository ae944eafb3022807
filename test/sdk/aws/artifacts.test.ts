import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { S3ArtifactStore } from "../../../sdk/aws/artifacts.js";
import { AccessDeniedError, ConfigurationError, TooLargeError, ValidationError } from "../../../sdk/errors.js";

const client = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
const mock = mockClient(client);
afterEach(() => mock.reset());

const MiB = 1024 * 1024;
const store = () =>
  new S3ArtifactStore(client, {
    bucket: "artifacts-bucket",
    prefix: "runs/",
    multipartThresholdBytes: 6 * MiB,
    partSizeBytes: 5 * MiB,
  });

describe("S3ArtifactStore", () => {
  it("puts a small artifact with one PutObject and a content type from the key", async () => {
    mock.on(PutObjectCommand).resolves({});
    expect(await store().put("reports/2026/summary.json", '{"ok":true}')).toEqual({
      key: "reports/2026/summary.json",
      uri: "s3://artifacts-bucket/runs/reports/2026/summary.json",
    });
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: "artifacts-bucket",
      Key: "runs/reports/2026/summary.json",
      ContentType: "application/json",
    });
  });

  it("uploads a large artifact in parts (multipart) and completes it", async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: "up-1" });
    mock.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `etag-${input.PartNumber}` }));
    mock.on(CompleteMultipartUploadCommand).resolves({ Location: "s3://x" });
    await store().put("exports/tickets.csv", new Uint8Array(12 * MiB));
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input).toMatchObject({
      Key: "runs/exports/tickets.csv",
      ContentType: "text/csv; charset=utf-8",
    });
    expect(
      mock
        .commandCalls(UploadPartCommand)
        .map((c) => c.args[0].input.PartNumber)
        .sort(),
    ).toEqual([1, 2, 3]);
    const complete = mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input;
    expect(complete.MultipartUpload?.Parts?.map((p) => p.ETag)).toEqual(["etag-1", "etag-2", "etag-3"]);
  });

  it("aborts a failed multipart upload and translates the error", async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: "up-2" });
    mock.on(UploadPartCommand).rejects(
      new S3ServiceException({
        name: "EntityTooLarge",
        message: "too big",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    mock.on(AbortMultipartUploadCommand).resolves({});
    await expect(store().put("exports/big.csv", new Uint8Array(12 * MiB))).rejects.toBeInstanceOf(TooLargeError);
    expect(mock.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ UploadId: "up-2" });
  });

  it("streams an export of unknown length with putStream", async () => {
    mock.on(PutObjectCommand).resolves({});
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: "up-3" });
    mock.on(UploadPartCommand).resolves({ ETag: "e" });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    await store().putStream("exports/stream.csv", Readable.from(["a,b\n", "1,2\n"]));
    const put = mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Key).toBe("runs/exports/stream.csv");
  });

  it("gets an artifact's bytes, and null for a missing key", async () => {
    mock
      .on(GetObjectCommand, { Key: "runs/a.txt" })
      .resolves({ Body: { transformToByteArray: async () => new Uint8Array(Buffer.from("hello")) } as never })
      .on(GetObjectCommand, { Key: "runs/missing.txt" })
      .rejects(new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } }));
    expect(Buffer.from((await store().get("a.txt"))!).toString()).toBe("hello");
    expect(await store().get("missing.txt")).toBeNull();
  });

  it("reads a missing bucket as a configuration error naming FEEDBACK_ARTIFACTS_BUCKET, not as a missing key", async () => {
    mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: "NoSuchBucket",
        message: "The specified bucket does not exist",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const error = await store()
      .get("a.txt")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).hint).toMatch(/FEEDBACK_ARTIFACTS_BUCKET/);
  });

  it("lists keys under a prefix across pages, without the store's own prefix", async () => {
    mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: "runs/logs/b.json" }], IsTruncated: true, NextContinuationToken: "t1" })
      .resolvesOnce({ Contents: [{ Key: "runs/logs/a.json" }], IsTruncated: false });
    expect(await store().list("logs/")).toEqual(["logs/a.json", "logs/b.json"]);
    expect(mock.commandCalls(ListObjectsV2Command)[1]!.args[0].input).toMatchObject({
      Prefix: "runs/logs/",
      ContinuationToken: "t1",
    });
  });

  it("rejects keys the local store rejects, and turns AccessDenied into AccessDeniedError", async () => {
    await expect(store().put("../escape.txt", "x")).rejects.toBeInstanceOf(ValidationError);
    await expect(store().put("a//b", "x")).rejects.toBeInstanceOf(ValidationError);
    mock.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: "AccessDenied",
        message: "denied",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(store().put("ok.txt", "x")).rejects.toBeInstanceOf(AccessDeniedError);
  });
});
