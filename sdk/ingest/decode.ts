import { Transform, type TransformCallback } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import iconv from "iconv-lite";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

function chunkDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === "utf-8" || encoding === "utf-16le") {
    const decoder = new StringDecoder(encoding === "utf-8" ? "utf8" : "utf16le");
    return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() };
  }
  const decoder = iconv.getDecoder(encoding === "utf-16be" ? "utf-16be" : "windows-1252", { stripBOM: false });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? "" };
}

const LINE_BREAKS = /\r\n?/g;

/**
 * Bytes -> text with one newline convention: BOM dropped, CRLF and lone CR turned into LF.
 * csv-parse miscounts lines for CRLF inside quoted fields, and the row texts want LF anyway.
 * Invalid UTF-8 becomes U+FFFD here; rows holding it are rejected later, never passed on.
 */
export class TextDecoderStream extends Transform {
  private readonly decoder: ChunkDecoder;
  private atStart = true;
  /** A CR at the end of a chunk may be the first half of a CRLF. */
  private pendingCarriageReturn = false;

  constructor(encoding: TextEncoding) {
    super({ readableObjectMode: true });
    this.decoder = chunkDecoder(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.emitText(this.decoder.write(chunk), false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
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
