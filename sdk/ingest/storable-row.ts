import {
  describeTextFault,
  describeValueFault,
  findTextFault,
  findValueFault,
  METADATA_LIMITS,
  TEXT_FAULT_HINT,
  type TextFault,
} from "../schemas/safe-text.js";
import type { RowProblem } from "./errors.js";
import type { CanonicalField } from "./layouts.js";
import type { NormalizeContext, RawRow } from "./normalize.js";

/**
 * The input rule of safe-text.ts applied to one file record, before its contract: a NUL or lone surrogate in
 * the feedback text, the id or the rating costs the record; in any other field (author, e-mail, device, a
 * metadata column...) the value is dropped and the record kept with a warning naming the field. Metadata nested
 * deeper than METADATA_LIMITS.maxDepth or larger than maxJsonChars costs the record.
 */
export type ScreenedRow = { ok: true; row: RawRow; warnings: RowProblem[] } | { ok: false; problem: RowProblem };

/** Without these the record is not the record: an unreadable one is a row error. */
const ESSENTIAL: ReadonlySet<CanonicalField> = new Set(["id", "text", "rating"]);

const METADATA_HINT =
  `Flatten or shorten the extra data: metadata may nest ${METADATA_LIMITS.maxDepth} levels and hold ` +
  `${METADATA_LIMITS.maxJsonChars / 1024} KiB as JSON.`;

export function screenRow(row: RawRow, context: NormalizeContext): ScreenedRow {
  const warnings: RowProblem[] = [];
  let values = row.values;
  for (const [field, value] of Object.entries(row.values) as [CanonicalField, unknown][]) {
    const fault = typeof value === "string" ? findTextFault(value) : null;
    if (fault === null) continue;
    const label = context.labels[field];
    if (ESSENTIAL.has(field)) return { ok: false, problem: { field: label, ...faultProblem(label, fault) } };
    if (values === row.values) values = { ...row.values };
    delete values[field];
    warnings.push(droppedWarning(label, describeTextFault(fault)));
  }
  const screened = screenMetadata(row.metadata, warnings);
  if ("problem" in screened) return { ok: false, problem: screened.problem };
  const { metadata } = screened;
  return { ok: true, row: values === row.values && metadata === row.metadata ? row : { values, metadata }, warnings };
}

function screenMetadata(
  metadata: Record<string, unknown>,
  warnings: RowProblem[],
): { metadata: Record<string, unknown> } | { problem: RowProblem } {
  let kept = metadata;
  let plainChars = 0;
  let onlyStrings = true;
  for (const [key, value] of Object.entries(metadata)) {
    const fault =
      typeof value === "string"
        ? locate(findTextFault(key) ?? findTextFault(value), key)
        : findValueFault({ [key]: value }, { maxDepth: METADATA_LIMITS.maxDepth });
    if (typeof value === "string") plainChars += key.length + value.length;
    else onlyStrings = false;
    if (fault === null) continue;
    const label = printable(key);
    if (fault.kind === "too-deep" || fault.kind === "too-large")
      return { problem: { field: label, message: `metadata is ${describeValueFault(fault)}`, hint: METADATA_HINT } };
    if (kept === metadata) kept = { ...metadata };
    delete kept[key];
    const what = typeof value === "string" ? describeTextFault(fault) : describeValueFault(fault);
    warnings.push(droppedWarning(label, what));
  }
  // JSON escapes at most six characters per character, so short all-string metadata needs no stringify.
  if (onlyStrings && plainChars * 6 <= METADATA_LIMITS.maxJsonChars) return { metadata: kept };
  const tooLarge = findValueFault(kept, METADATA_LIMITS);
  if (tooLarge !== null)
    return {
      problem: {
        field: null,
        message: `the extra fields (metadata) are ${describeValueFault(tooLarge)}`,
        hint: METADATA_HINT,
      },
    };
  return { metadata: kept };
}

function locate(fault: TextFault | null, key: string) {
  return fault === null ? null : { ...fault, path: key };
}

function faultProblem(label: string, fault: TextFault): Omit<RowProblem, "field"> {
  return { message: `${label} holds ${describeTextFault(fault)}; the row was rejected`, hint: TEXT_FAULT_HINT };
}

function droppedWarning(label: string, what: string): RowProblem {
  return {
    field: label,
    message: `${label} holds ${what}; the value was dropped and the row kept`,
    hint: TEXT_FAULT_HINT,
  };
}

/** A key as spelled in the file, with the characters that cannot be shown or stored replaced by U+FFFD. */
function printable(key: string): string {
  let text = key;
  for (let fault = findTextFault(text); fault !== null; fault = findTextFault(text)) {
    text = `${text.slice(0, fault.index)}\uFFFD${text.slice(fault.index + 1)}`;
  }
  return text;
}
