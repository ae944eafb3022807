import type { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { ValidationError } from "../errors.js";
import { type ArtifactStore, artifactKeyProblem } from "../ports/artifacts.js";
import type { AwsSettingKey } from "./config.js";
import { type AwsErrorContext, callAws, isNotFound, translateAwsError } from "./errors.js";

/** S3's smallest part (except the last) is 5 MiB. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Prepended to every key, e.g. "artifacts/"; keys given and listed are without it. */
  prefix?: string;
  /** Bodies of at least this many bytes go up in parts (lib-storage); default 8 MiB. */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads; default 8 MiB (S3's minimum is 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded at once; default 4. */
  queueSize?: number;
  /** The setting the bucket name came from, named when the bucket does not exist; default artifactsBucketName. */
  setting?: AwsSettingKey;
}

/**
 * ArtifactStore on S3 (processing logs, CSV exports). Keys follow the local store's rules (relative,
 * slash-separated, no "." or ".." or empty segments) so that what works locally works here. Small
 * bodies are one PutObject; large ones a multipart upload through @aws-sdk/lib-storage, which aborts
 * the upload on failure so no orphaned parts are left. `putStream` uploads a stream of unknown length.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly bucket: string;
  private readonly prefix: string;
  private readonly threshold: number;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly context: AwsErrorContext;

  constructor(
    private readonly client: S3Client,
    options: S3ArtifactStoreOptions,
  ) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
    this.threshold = options.multipartThresholdBytes ?? 8 * 1024 * 1024;
    this.partSize = Math.max(MIN_PART_BYTES, options.partSizeBytes ?? 8 * 1024 * 1024);
    this.queueSize = options.queueSize ?? 4;
    this.context = { setting: options.setting ?? "artifactsBucketName" };
  }

  async put(key: string, body: string | Uint8Array, contentType?: string): Promise<{ key: string; uri: string }> {
    const objectKey = this.objectKey(key);
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const type = contentType ?? guessContentType(key);
    if (bytes.byteLength >= this.threshold) {
      await this.upload(objectKey, bytes, type);
    } else {
      await callAws(
        `S3 PutObject s3://${this.bucket}/${objectKey}`,
        () =>
          this.client.send(
            new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: bytes, ContentType: type }),
          ),
        this.context,
      );
    }
    return { key, uri: `s3://${this.bucket}/${objectKey}` };
  }

  /** Uploads a stream (e.g. a CSV export being generated) in parts, whatever its length. */
  async putStream(key: string, body: Readable, contentType?: string): Promise<{ key: string; uri: string }> {
    const objectKey = this.objectKey(key);
    await this.upload(objectKey, body, contentType ?? guessContentType(key));
    return { key, uri: `s3://${this.bucket}/${objectKey}` };
  }

  async get(key: string): Promise<Uint8Array | null> {
    const objectKey = this.objectKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (!response.Body) return new Uint8Array();
      return await response.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return null;
      throw translateAwsError(error, `S3 GetObject s3://${this.bucket}/${objectKey}`, this.context);
    }
  }

  /** Keys starting with `prefix` (a plain string prefix, as in S3), sorted. */
  async list(prefix: string): Promise<string[]> {
    if (prefix.includes("\\") || prefix.startsWith("/"))
      throw new ValidationError(`Invalid artifact prefix "${prefix}"`);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const response = await callAws(
        `S3 ListObjectsV2 s3://${this.bucket}/${this.prefix}${prefix}`,
        () =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: `${this.prefix}${prefix}`,
              ContinuationToken: token,
            }),
          ),
        this.context,
      );
      for (const object of response.Contents ?? []) {
        if (object.Key?.startsWith(this.prefix)) keys.push(object.Key.slice(this.prefix.length));
      }
      token = response.IsTruncated ? response.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  private async upload(objectKey: string, body: Uint8Array | Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: body, ContentType: contentType },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw translateAwsError(error, `S3 multipart upload s3://${this.bucket}/${objectKey}`, this.context);
    }
  }

  private objectKey(key: string): string {
    const problem = artifactKeyProblem(key);
    if (problem) {
      throw new ValidationError(`Invalid artifact key "${key}": ${problem}`, {
        hint: "Use a relative, slash-separated path such as reports/2026-11-25/summary.json.",
      });
    }
    return `${this.prefix}${key}`;
  }
}

function guessContentType(key: string): string {
  const extension = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    json: "application/json",
    ndjson: "application/x-ndjson",
    csv: "text/csv; charset=utf-8",
    txt: "text/plain; charset=utf-8",
    log: "text/plain; charset=utf-8",
    html: "text/html; charset=utf-8",
  };
  return types[extension] ?? "application/octet-stream";
}
