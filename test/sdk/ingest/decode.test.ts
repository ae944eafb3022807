import { describe, expect, it } from "vitest";
import { Utf8LineValidator } from "../../../sdk/ingest/decode.js";
import { detectEncoding } from "../../../sdk/ingest/read-file.js";

/** Feeds `bytes` in chunks of `size` and returns the lines reported as holding invalid UTF-8. */
function invalidLines(bytes: Buffer, size: number): number[] {
  const lines: number[] = [];
  const validator = new Utf8LineValidator((line) => lines.push(line));
  for (let at = 0; at < bytes.length; at += size) validator.write(bytes.subarray(at, at + size));
  validator.end();
  return lines;
}

describe("invalid UTF-8 is reported by line, whatever the chunk boundaries", () => {
  const valid = Buffer.from("a,b\r\nGr\u00fc\u00dfe \u20ac \u{1F600}\rline 3\nline 4\r\n");

  it("valid multi-byte characters cut by chunk boundaries are not reported", () => {
    for (const size of [1, 2, 3, 5, 7, 64]) expect(invalidLines(valid, size)).toEqual([]);
  });

  it("bad bytes are reported on their line, counting LF, CRLF and a lone CR as line ends", () => {
    const bytes = Buffer.concat([
      Buffer.from("ok\r\n"),
      Buffer.from("caf\xe9\n", "latin1"),
      Buffer.from("fine\r"),
      Buffer.from("\xff\xfe bad\r\n", "latin1"),
      Buffer.from("end \xe2\x82", "latin1"),
    ]);
    for (const size of [1, 3, 4, 1024]) expect(invalidLines(bytes, size)).toEqual([2, 4, 5]);
  });
});

describe("encoding detection", () => {
  it("valid UTF-8 stays UTF-8, even when the sample cuts its last character short", () => {
    const text = Buffer.from("review_text\nGr\u00fc\u00dfe \u20ac\n");
    expect(detectEncoding(text)).toBe("utf-8");
    expect(detectEncoding(text.subarray(0, text.length - 2), false)).toBe("utf-8");
  });

  it("bytes that are not UTF-8, with no real UTF-8 among them, are windows-1252", () => {
    expect(detectEncoding(Buffer.from("review_text\nTr\xe8s bien \x80 5\n", "latin1"))).toBe("windows-1252");
  });

  it("a few bad bytes among more real UTF-8 characters keep the file UTF-8", () => {
    const mixed = Buffer.concat([
      Buffer.from("Gr\u00fc\u00dfe \u00e7a \u00e9t\u00e9\n"),
      Buffer.from("caf\xe9\n", "latin1"),
    ]);
    expect(detectEncoding(mixed)).toBe("utf-8");
  });
});
