import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { collectFeedbackFile, IngestFileError, type ParsedFile, type ParseOptions } from "../../../sdk/ingest/index.js";
import { FeedbackItem } from "../../../sdk/schemas/feedback.js";

import { repoRoot } from "../../support/cli.js";

export { repoRoot };
export const sharedData = (name: string) => path.resolve(repoRoot, "../shared/data/capstone-dev", name);

/** A temp directory for this test file, removed after its tests. */
export function tempFileWriter(): (name: string, content: string | Buffer) => string {
  const dir = mkdtempSync(path.join(tmpdir(), "ingest-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
}

/** Reads a file and checks every produced item against the FeedbackItem schema. */
export async function parse(file: string, options?: ParseOptions): Promise<ParsedFile> {
  const result = await collectFeedbackFile(file, options);
  for (const { item } of result.items) expect(() => FeedbackItem.parse(item)).not.toThrow();
  return result;
}

export async function fileError(file: string, options?: ParseOptions): Promise<IngestFileError> {
  const error = await collectFeedbackFile(file, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestFileError);
  return error as IngestFileError;
}

export const REVIEW_HEADER = "review_id,platform,rating,review_text,user_name,date,app_version";

export function reviewRow(id: string, rating: string | number, text: string, date = "2024-12-15"): string {
  return `${id},ios,${rating},"${text.replaceAll('"', '""')}",user_${id},${date},3.2.1`;
}

export function csv(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
