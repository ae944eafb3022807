import { z } from "zod";

/**
 * The one input rule every source applies at its edge (files, webhooks, e-mail, S3).
 *
 * PostgreSQL text and JSONB cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form, so either would
 * fail a whole database write far from the line that held it. They are found here, per field, so the record
 * that holds one is rejected on its own (or, for a non-essential field, the field is dropped) with a message
 * that names the field. U+FFFD is ordinary text and is kept. Metadata is bounded in depth and size.
 */

export type TextFaultKind = "nul" | "lone-surrogate";

export interface TextFault {
  kind: TextFaultKind;
  /** Index (UTF-16 code unit) in the string. */
  index: number;
}

// With the u flag a surrogate pair is one code point, so the range matches only surrogates left alone.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is the point of this pattern.
const FAULTY_CHARACTER = /[\u0000\uD800-\uDFFF]/u;

/** The first character that cannot be stored, or null when the text is storable. */
export function findTextFault(text: string): TextFault | null {
  const match = FAULTY_CHARACTER.exec(text);
  if (match === null) return null;
  return { kind: match[0] === "\u0000" ? "nul" : "lone-surrogate", index: match.index };
}

export function describeTextFault(fault: TextFault): string {
  const what =
    fault.kind === "nul"
      ? "a NUL character (U+0000)"
      : "a lone UTF-16 surrogate (half of an emoji or other character, e.g. \\ud800)";
  return `${what} at character ${fault.index + 1}`;
}

export const TEXT_FAULT_HINT =
  "Remove the NUL or broken character (often a \\u0000 or a lone \\ud8xx escape written by the exporting tool), " +
  "or re-export the data as UTF-8.";

/** Limits on free-form metadata: deep or huge objects are refused, never stored or half-stored. */
export const METADATA_LIMITS = { maxDepth: 20, maxJsonChars: 64 * 1024 } as const;

export type ValueFault =
  | { kind: TextFaultKind; path: string; index: number }
  | { kind: "too-deep"; path: string; maxDepth: number }
  | { kind: "too-large"; path: string; chars: number; maxJsonChars: number };

/**
 * Walks a JSON value (keys and strings) for characters that cannot be stored and for nesting beyond `maxDepth`.
 * Iterative, so a 100,000-level object cannot overflow the stack.
 */
export function findValueFault(
  value: unknown,
  limits: { maxDepth: number; maxJsonChars?: number } = METADATA_LIMITS,
  rootPath = "",
): ValueFault | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === "string") {
      const fault = findTextFault(current);
      if (fault) return { kind: fault.kind, path, index: fault.index };
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (depth >= limits.maxDepth) return { kind: "too-deep", path, maxDepth: limits.maxDepth };
    const entries = Array.isArray(current)
      ? current.map((child, index) => [String(index), child] as const)
      : Object.entries(current);
    for (const [key, child] of entries) {
      const keyFault = findTextFault(key);
      const childPath = path === "" ? key : `${path}.${key}`;
      if (keyFault) return { kind: keyFault.kind, path: childPath, index: keyFault.index };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  if (limits.maxJsonChars !== undefined) {
    const chars = JSON.stringify(value)?.length ?? 0;
    if (chars > limits.maxJsonChars)
      return { kind: "too-large", path: rootPath, chars, maxJsonChars: limits.maxJsonChars };
  }
  return null;
}

export function describeValueFault(fault: ValueFault): string {
  const where = fault.path === "" ? "" : ` at "${fault.path}"`;
  switch (fault.kind) {
    case "too-deep":
      return `nested more than ${fault.maxDepth} levels${where}`;
    case "too-large":
      return `${fault.chars.toLocaleString("en-US")} characters as JSON${where}, over the limit of ${fault.maxJsonChars.toLocaleString("en-US")}`;
    default:
      return `${describeTextFault(fault)}${where}`;
  }
}

/** A zod string that refuses NUL and lone surrogates, naming the character's position. */
export const storableText = () =>
  z.string().superRefine((text, ctx) => {
    const fault = findTextFault(text);
    if (fault) ctx.addIssue({ code: "custom", message: `contains ${describeTextFault(fault)}` });
  });

/** A zod record for metadata: storable keys and strings, bounded depth and size. */
export const storableMetadata = () =>
  z.record(z.string(), z.unknown()).superRefine((metadata, ctx) => {
    const fault = findValueFault(metadata, METADATA_LIMITS);
    if (fault)
      ctx.addIssue({
        code: "custom",
        message: `metadata ${fault.kind === "too-deep" || fault.kind === "too-large" ? "is" : "holds"} ${describeValueFault(fault)}`,
      });
  });

/**
 * For operator-written objects (ticket edits, configuration): a NUL or lone surrogate anywhere is an issue at its
 * path, so the request is refused with a 400 / usage error instead of failing in the database.
 */
export function refuseUnstorable(value: unknown, ctx: z.RefinementCtx): void {
  const fault = findValueFault(value, { maxDepth: METADATA_LIMITS.maxDepth });
  if (fault === null) return;
  ctx.addIssue({
    code: "custom",
    message: `holds ${describeValueFault({ ...fault, path: "" })}`,
    path: fault.path === "" ? [] : fault.path.split("."),
  });
}
