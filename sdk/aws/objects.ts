import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectReader } from "../ports/objects.js";
import { callAws } from "./errors.js";

/** The part of GetObject's Body both ways of reading it need (a Readable in Node.js, a blob-like elsewhere). */
type ObjectBody = { transformToByteArray(): Promise<Uint8Array> } | undefined;

/** ObjectReader on S3: GetObject, with S3's errors turned into the SDK's (NoSuchKey -> NotFoundError, ...). */
export class S3ObjectReader implements ObjectReader {
  constructor(private readonly client: S3Client) {}

  async read(bucket: string, key: string): Promise<Buffer> {
    return callAws(`S3 GetObject s3://${bucket}/${key}`, async () => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = response.Body as ObjectBody;
      return body ? Buffer.from(await body.transformToByteArray()) : Buffer.alloc(0);
    });
  }

  async downloadToFile(bucket: string, key: string, file: string): Promise<number> {
    // A failure mid-stream (connection reset) or writing the file (disk full) is translated too: keeping the
    // cause, it reaches the caller as an SDK error like every other failure of the download.
    return callAws(`S3 GetObject s3://${bucket}/${key} to ${file}`, async () => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = response.Body as unknown;
      const source =
        body instanceof Readable
          ? body
          : Readable.from(body ? [Buffer.from(await (body as NonNullable<ObjectBody>).transformToByteArray())] : []);
      let bytes = 0;
      source.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      await pipeline(source, createWriteStream(file));
      return bytes;
    });
  }
}
