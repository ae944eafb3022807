import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import iconv from "iconv-lite";
import type { TextEncoding } from "./text-encodings.js";

export { TEXT_ENCODINGS, type TextEncoding } from "./text-encodings.js";

interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

function chunkDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === "utf-8" || encoding === "utf-16le") {
    const decoder = new StringDecoder(encoding === "utf-8" ? "utf8" : "utf16le");
    return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? "" };
}

const LINE_BREAKS = /\r\n?/g;

/**
 * Bytes -> text with one newline convention: BOM dropped, CRLF and lone CR turned into LF.
 * csv-parse miscounts lines for CRLF inside quoted fields, and the row texts want LF anyway.
 * Invalid UTF-8 becomes U+FFFD here, and the line that held it is reported to `onInvalidLine` before the
 * text of that line is pushed, so readers can flag the row.
 */
export class TextDecoderStream extends Transform {
  private readonly decoder: ChunkDecoder;
  private readonly validator: Utf8LineValidator | null;
  private atStart = true;
  /** A CR at the end of a chunk may be the first half of a CRLF. */
  private pendingCarriageReturn = false;

  constructor(encoding: TextEncoding, onInvalidLine?: (line: number) => void) {
    super({ readableObjectMode: true });
    this.decoder = chunkDecoder(encoding);
    this.validator = encoding === "utf-8" && onInvalidLine ? new Utf8LineValidator(onInvalidLine) : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.validator?.write(chunk);
    this.emitText(this.decoder.write(chunk), false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.validator?.end();
    this.emitText(this.decoder.end(), true);
    callback();
  }

  private emitText(decoded: string, final: boolean): void {
    let text = this.pendingCarriageReturn ? `\r${decoded}` : decoded;
    this.pendingCarriageReturn = false;
    if (this.atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.atStart = false;
    }
    if (!final && text.endsWith("\r")) {
      text = text.slice(0, -1);
      this.pendingCarriageReturn = true;
    }
    if (text.includes("\r")) text = text.replace(LINE_BREAKS, "\n");
    if (text.length > 0) this.push(text);
  }
}

/** Decodes a whole buffer the same way, for sniffing the start of a file. */
export function decodeSample(bytes: Buffer, encoding: TextEncoding): string {
  const decoder = chunkDecoder(encoding);
  let text = decoder.write(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(LINE_BREAKS, "\n");
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds the lines (numbered as the decoded text numbers them: LF, CRLF and a lone CR each end a line) that hold
 * bytes which are not valid UTF-8. A chunk that is valid as a whole costs one native `isUtf8` and a count of
 * its line breaks; only a chunk with bad bytes is checked line by line. Line breaks are ASCII and never part
 * of a multi-byte sequence, so splitting there is safe; a sequence cut by the chunk end is carried over.
 */
export class Utf8LineValidator {
  /** Line breaks seen so far: the current line is `breaks + 1`. */
  private breaks = 0;
  private carry: Buffer = Buffer.alloc(0);
  private afterCarriageReturn = false;
  private lastReported = 0;

  constructor(private readonly onInvalidLine: (line: number) => void) {}

  write(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(bytes);
    this.carry = Buffer.from(bytes.subarray(cut));
    this.check(bytes.subarray(0, cut));
  }

  end(): void {
    if (this.carry.length > 0) this.report(this.breaks + 1);
    this.carry = Buffer.alloc(0);
  }

  private check(bytes: Buffer): void {
    if (isUtf8(bytes)) {
      this.countBreaks(bytes, 0, bytes.length);
      return;
    }
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte !== LF && byte !== CR) continue;
      if (i > start) {
        if (!isUtf8(bytes.subarray(start, i))) this.report(this.breaks + 1);
        this.afterCarriageReturn = false;
      }
      this.countBreaks(bytes, i, i + 1);
      start = i + 1;
    }
    if (!isUtf8(bytes.subarray(start))) this.report(this.breaks + 1);
    this.countBreaks(bytes, start, bytes.length);
  }

  /** LF, and a CR not followed by LF, end a line (a CRLF split across chunks counts once). */
  private countBreaks(bytes: Buffer, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const byte = bytes[i];
      if (byte === LF) {
        if (!this.afterCarriageReturn) this.breaks++;
        this.afterCarriageReturn = false;
      } else if (byte === CR) {
        this.breaks++;
        this.afterCarriageReturn = true;
      } else this.afterCarriageReturn = false;
    }
  }

  private report(line: number): void {
    if (line === this.lastReported) return;
    this.lastReported = line;
    this.onInvalidLine(line);
  }
}

/** Where a multi-byte sequence that the end of `bytes` cuts short begins (`bytes.length` when none is). */
function incompleteTail(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return bytes.length;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return i + length > bytes.length ? i : bytes.length;
  }
  return bytes.length;
}

/** Whether the bytes are UTF-8, allowing the last character to be cut short (a sample of a longer file). */
export function isUtf8Sample(bytes: Buffer, complete: boolean): boolean {
  return isUtf8(complete ? bytes : bytes.subarray(0, incompleteTail(bytes)));
}
