import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { S3ObjectReader } from "../../../sdk/aws/objects.js";
import { BackendError, NotFoundError } from "../../../sdk/errors.js";

const client = new S3Client({ region: "eu-west-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } });
const mock = mockClient(client);
afterEach(() => mock.reset());

const reader = new S3ObjectReader(client);
const noSuchKey = () => new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "s3-objects-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("S3ObjectReader", () => {
  it("streams an object into a file chunk by chunk and resolves to its size", async () => {
    mock.on(GetObjectCommand, { Bucket: "uploads", Key: "reviews/a b.csv" }).callsFake(() => ({
      Body: Readable.from([Buffer.from("id,text\n"), Buffer.from("1,slow\n")]),
    }));
    const file = path.join(dir, "streamed.csv");
    expect(await reader.downloadToFile("uploads", "reviews/a b.csv", file)).toBe(15);
    expect(await readFile(file, "utf8")).toBe("id,text\n1,slow\n");
  });

  it("downloads a body that is not a Node.js stream as well", async () => {
    mock.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => Buffer.from("{}") } as never });
    const file = path.join(dir, "blob.json");
    expect(await reader.downloadToFile("uploads", "blob.json", file)).toBe(2);
    expect(await readFile(file, "utf8")).toBe("{}");
  });

  it("reads a whole object into memory, and an object without a body as empty", async () => {
    mock
      .on(GetObjectCommand)
      .resolvesOnce({ Body: { transformToByteArray: async () => Buffer.from("From: a@example.org") } as never })
      .resolvesOnce({});
    expect((await reader.read("mail", "mail/m-1")).toString()).toBe("From: a@example.org");
    expect(await reader.read("mail", "mail/m-2")).toEqual(Buffer.alloc(0));
  });

  it("turns a missing object into NotFoundError naming it, with S3's error as cause", async () => {
    mock.on(GetObjectCommand).rejects(noSuchKey());
    for (const call of [
      reader.read("mail", "mail/gone"),
      reader.downloadToFile("mail", "mail/gone", path.join(dir, "x")),
    ]) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toMatch(/s3:\/\/mail\/mail\/gone/);
      expect((error as Error).cause).toBeInstanceOf(NoSuchKey);
    }
  });

  it("turns a download that breaks off mid-stream into an SDK error keeping the cause", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    mock.on(GetObjectCommand).callsFake(() => ({
      Body: new Readable({
        read() {
          this.push(Buffer.from("id,text\n"));
          this.destroy(reset);
        },
      }),
    }));
    const error = await reader.downloadToFile("uploads", "big.csv", path.join(dir, "broken.csv")).catch((e) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).cause).toBe(reset);
  });
});
