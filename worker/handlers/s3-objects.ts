import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { callAws } from "../../sdk/aws/errors.js";

export interface S3ObjectRef {
  bucket: string;
  key: string;
  size: number | null;
}

/**
 * The objects an event is about: an S3 event notification ({ Records: [{ s3: { bucket, object } }] },
 * keys URL-encoded with '+' for spaces) or EventBridge's "Object Created" event ({ detail: { bucket,
 * object } }, keys as they are).
 */
export function objectsOf(event: unknown): S3ObjectRef[] {
  const e = event as {
    Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number } } }[];
    detail?: { bucket?: { name?: string }; object?: { key?: string; size?: number } };
  };
  if (Array.isArray(e?.Records)) {
    return e.Records.filter((r) => r.s3?.bucket?.name && r.s3.object?.key).map((r) => ({
      bucket: r.s3!.bucket!.name!,
      key: decodeURIComponent(r.s3!.object!.key!.replace(/\+/g, " ")),
      size: r.s3!.object!.size ?? null,
    }));
  }
  if (e?.detail?.bucket?.name && e.detail.object?.key) {
    return [{ bucket: e.detail.bucket.name, key: e.detail.object.key, size: e.detail.object.size ?? null }];
  }
  return [];
}

/** Streams an object to a local file (Lambda's /tmp) without holding it in memory. */
export async function downloadToFile(s3: S3Client, bucket: string, key: string, file: string): Promise<number> {
  const response = await callAws(`S3 GetObject s3://${bucket}/${key}`, () =>
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  const body = response.Body as unknown;
  let bytes = 0;
  const source =
    body instanceof Readable
      ? body
      : Readable.from([
          Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
        ]);
  source.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await pipeline(source, createWriteStream(file));
  return bytes;
}

/** The whole object in memory (a mail message: SES caps them at 40 MB). */
export async function readObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await callAws(`S3 GetObject s3://${bucket}/${key}`, () =>
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  const body = response.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
  return body ? Buffer.from(await body.transformToByteArray()) : Buffer.alloc(0);
}
