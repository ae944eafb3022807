import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { decodeSample, isUtf8Sample, TextDecoderStream, type TextEncoding } from "./decode.js";
import { IngestFileError } from "./errors.js";

/** Enough to see the header row and the shape of the first records. */
const SAMPLE_BYTES = 64 * 1024;

export interface InspectedFile {
  /** The path as the caller gave it, used in every message. */
  path: string;
  size: number;
  encoding: TextEncoding;
  /** The decoded start of the file (BOM removed, newlines as LF). */
  sample: string;
  /** True when `sample` is the whole file. */
  sampleIsComplete: boolean;
  /** Told the bytes read so far as the file is streamed (ParseOptions.onBytesRead). */
  onBytesRead?: (bytes: number) => void;
}

/**
 * Opens a feedback file far enough to know it can be parsed: it exists, is a regular, non-empty
 * text file, and its encoding is known. Throws `IngestFileError` otherwise.
 */
export async function inspectFile(path: string, forcedEncoding?: TextEncoding): Promise<InspectedFile> {
  const size = await regularFileSize(path);
  if (size === 0) {
    throw new IngestFileError({
      file: path,
      message: "the file is empty (0 bytes)",
      hint: "Export the data again; the export probably failed or was cut off before any data was written.",
    });
  }
  const bytes = await readStart(path, Math.min(size, SAMPLE_BYTES));
  rejectKnownBinary(path, bytes);
  const sampleIsComplete = bytes.length === size;
  const encoding = forcedEncoding ?? detectEncoding(bytes, sampleIsComplete);
  if (encoding !== "utf-16le" && encoding !== "utf-16be") rejectMostlyNul(path, bytes);
  const sample = decodeSample(bytes, encoding);
  if (sampleIsComplete && sample.trim().length === 0) {
    throw new IngestFileError({
      file: path,
      message: "the file contains only blank lines",
      hint: "Export the data again; the file has no header row and no records.",
    });
  }
  return { path, size, encoding, sample, sampleIsComplete };
}

/**
 * Streams the file as decoded text chunks (strings with LF newlines). For UTF-8, each line holding bytes that
 * are not valid UTF-8 (decoded as U+FFFD) is passed to `onInvalidLine` before its text is streamed.
 */
export function openTextStream(file: InspectedFile, onInvalidLine?: (line: number) => void): Readable {
  return pipeline(readBytes(file), new TextDecoderStream(file.encoding, onInvalidLine), () => {});
}

/** The file's bytes as a stream, telling `file.onBytesRead` how far it got. */
export function readBytes(file: InspectedFile): Readable {
  const stream = createReadStream(file.path);
  const { onBytesRead } = file;
  if (onBytesRead) stream.on("data", () => onBytesRead(stream.bytesRead));
  return stream;
}

async function regularFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new IngestFileError({
        file: path,
        message: "this is a directory, not a file",
        hint: await directoryHint(path),
      });
    }
    if (!info.isFile()) {
      throw new IngestFileError({
        file: path,
        message: "this is not a regular file",
        hint: "Pass the path of a CSV, JSON or NDJSON file.",
      });
    }
    return info.size;
  } catch (error) {
    if (error instanceof IngestFileError) throw error;
    throw fileSystemError(path, error);
  }
}

async function readStart(path: string, length: number): Promise<Buffer> {
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileSystemError(path, error);
  }
}

function fileSystemError(path: string, error: unknown): IngestFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") {
    return new IngestFileError({
      file: path,
      message: "no such file",
      hint: `Check the path; relative paths are resolved from ${process.cwd()}.`,
      cause: error,
    });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new IngestFileError({
      file: path,
      message: "permission denied",
      hint: "Make the file readable by the current user, or copy it somewhere readable.",
      cause: error,
    });
  }
  return new IngestFileError({
    file: path,
    message: `cannot read the file (${code ?? String(error)})`,
    hint: "Check that the path points to a readable file.",
    cause: error,
  });
}

const FEEDBACK_EXTENSIONS = new Set([".csv", ".json", ".ndjson", ".jsonl", ".tsv", ".txt", ".mbox"]);

async function directoryHint(path: string): Promise<string> {
  const entries = await readdir(path).catch(() => [] as string[]);
  const files = entries.filter((name) => FEEDBACK_EXTENSIONS.has(extname(name).toLowerCase())).sort();
  if (files.length === 0) {
    return "Pass the path of a CSV, JSON, NDJSON or mbox file, or a folder holding .eml messages (this one holds none).";
  }
  const shown = files.slice(0, 5).map((name) => join(path, name));
  return `Pass a file, not a folder, e.g. ${shown.join(", ")}${files.length > 5 ? ", ..." : ""}.`;
}

const SIGNATURES: { bytes: number[]; what: string; hint: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image", hint: "Pass the feedback export, not a screenshot." },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image", hint: "Pass the feedback export, not a screenshot." },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "a GIF image", hint: "Pass the feedback export, not an image." },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document", hint: "Export the data as CSV or JSON instead of PDF." },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: "a ZIP archive (an .xlsx workbook is one)",
    hint: 'If it is a spreadsheet, save it as "CSV UTF-8 (comma delimited)"; if it is an archive, unzip it first.',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    what: "a legacy Excel (.xls) workbook",
    hint: 'Open it and save it as "CSV UTF-8 (comma delimited)".',
  },
  { bytes: [0x1f, 0x8b], what: "gzip-compressed", hint: "Decompress it first (gunzip) and pass the result." },
];

function rejectKnownBinary(path: string, bytes: Buffer): void {
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((byte, i) => bytes[i] === byte)) {
      throw new IngestFileError({
        file: path,
        message: `the file is ${signature.what}, not a text export`,
        hint: signature.hint,
      });
    }
  }
}

/**
 * A NUL byte in a row costs that row only (see storable-row.ts); a file that is a tenth NUL bytes is not text
 * (a database, an executable, a binary export) and is refused as a whole.
 */
const MAX_NUL_SHARE = 0.1;

function rejectMostlyNul(path: string, bytes: Buffer): void {
  let nuls = 0;
  for (let at = bytes.indexOf(0); at !== -1; at = bytes.indexOf(0, at + 1)) nuls++;
  if (nuls > bytes.length * MAX_NUL_SHARE) {
    throw new IngestFileError({
      file: path,
      message: `the file is binary (${Math.round((nuls / bytes.length) * 100)}% of its first bytes are NUL), not a text export`,
      hint: "Pass the CSV, JSON or NDJSON export itself, not a spreadsheet, archive or image.",
    });
  }
}

/**
 * BOM first; without one, UTF-16 shows as NUL in every other byte of ASCII text. Then UTF-8, unless the sample
 * is not valid UTF-8 and holds more invalid sequences than well-formed multi-byte characters: that is a legacy
 * single-byte export (Excel on Windows), read as windows-1252. A file with a few bad bytes among real UTF-8
 * stays UTF-8 (its bad bytes become U+FFFD and the rows are flagged).
 */
export function detectEncoding(bytes: Buffer, complete = true): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const probe = bytes.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < probe.length; i++) {
    if (probe[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  const pairs = probe.length / 2;
  if (pairs >= 2 && oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return "utf-16le";
  if (pairs >= 2 && evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return "utf-16be";
  return isUtf8Sample(bytes, complete) || mostlyUtf8(bytes) ? "utf-8" : "windows-1252";
}

function mostlyUtf8(bytes: Buffer): boolean {
  let invalid = 0;
  let multiByte = 0;
  for (const char of bytes.toString("utf8")) {
    if (char === "\uFFFD") invalid++;
    else if (char.charCodeAt(0) > 0x7f) multiByte++;
  }
  return multiByte > invalid;
}
