import { extname } from "node:path";

/**
 * CSV, JSON or NDJSON, from the content first and the extension second: exports are often
 * misnamed (.txt, .csv for NDJSON), but the first non-blank character does not lie.
 */
export function detectFormat(path: string, sample: string): "csv" | "json" | "ndjson" {
  const text = sample.trimStart();
  const first = text[0];
  if (first !== "{" && first !== "[") return "csv";
  const extension = extname(path).toLowerCase();
  if (extension === ".ndjson" || extension === ".jsonl") return "ndjson";
  if (first === "[") return "json";
  const newline = text.indexOf("\n");
  if (newline === -1) return "json";
  const firstLine = text.slice(0, newline).trim();
  const rest = text.slice(newline + 1).trimStart();
  return rest.startsWith("{") && isCompleteJson(firstLine) ? "ndjson" : "json";
}

function isCompleteJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
