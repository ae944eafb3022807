import type { SourceType } from "../schemas/feedback.js";
import type { RowProblem } from "./errors.js";

/** The user-facing name of a source, as in the `source` option. */
export type SourceKind = "review" | "email";

/** The fields a file column can feed; `normalize.ts` turns them into a FeedbackItem. */
export type CanonicalField =
  | "id"
  | "text"
  | "subject"
  | "rating"
  | "author"
  | "date"
  | "appVersion"
  | "device"
  | "platform"
  | "priority"
  | "language"
  | "app";

export interface FieldSpec {
  field: CanonicalField;
  /** Accepted header names, best first; matched after `normalizeHeaderName`. */
  names: readonly string[];
  required?: boolean;
  /**
   * The names are columns one export always has together, holding the same value in two forms (Play Console's
   * date and millis); the first present is read. Otherwise two of them in one file are a duplicate-column error.
   */
  sameValue?: boolean;
}

export interface LayoutDefinition {
  name: "app-reviews" | "support-emails" | "play-console";
  kind: SourceKind;
  sourceType: SourceType;
  /** Shown in errors, e.g. "app reviews". */
  title: string;
  fields: readonly FieldSpec[];
  /** Columns that identify the layout but are kept in metadata. */
  recognisedExtras?: readonly string[];
  /** The column sets in circulation, listed when a header matches nothing. */
  headerSets: readonly string[];
}

export const APP_REVIEWS: LayoutDefinition = {
  name: "app-reviews",
  kind: "review",
  sourceType: "app_store_review",
  title: "app reviews",
  fields: [
    { field: "id", names: ["review_id"] },
    { field: "text", names: ["review_text"], required: true },
    { field: "rating", names: ["rating"], required: true },
    { field: "author", names: ["user_name"] },
    { field: "date", names: ["date"] },
    { field: "appVersion", names: ["app_version"] },
    { field: "device", names: ["device"] },
    { field: "platform", names: ["platform"] },
    { field: "language", names: ["language"] },
    { field: "app", names: ["app", "app_id", "package_name"] },
  ],
  headerSets: [
    "review_id, platform, rating, review_text, user_name, date, app_version",
    "review_id, user_name, rating, review_text, date, app_version, device",
  ],
};

export const SUPPORT_EMAILS: LayoutDefinition = {
  name: "support-emails",
  kind: "email",
  sourceType: "email",
  title: "support e-mails",
  fields: [
    { field: "id", names: ["email_id"] },
    { field: "text", names: ["body"], required: true },
    { field: "subject", names: ["subject"] },
    { field: "author", names: ["sender_email", "sender"] },
    { field: "date", names: ["timestamp", "date"] },
    { field: "priority", names: ["priority", "priority_stated"] },
    { field: "language", names: ["language"] },
    { field: "app", names: ["app"] },
  ],
  headerSets: [
    "email_id, subject, body, sender_email, timestamp, priority",
    "email_id, sender, subject, body, date, priority_stated",
  ],
};

export const PLAY_CONSOLE: LayoutDefinition = {
  name: "play-console",
  kind: "review",
  sourceType: "app_store_review",
  title: "Google Play Console reviews export",
  fields: [
    // The id is the `reviewid` parameter of the link; see play-console.ts.
    { field: "id", names: ["Review Link"] },
    { field: "text", names: ["Review Text"], required: true },
    { field: "subject", names: ["Review Title"] },
    { field: "rating", names: ["Star Rating"], required: true },
    { field: "date", names: ["Review Submit Millis Since Epoch", "Review Submit Date and Time"], sameValue: true },
    { field: "appVersion", names: ["App Version Name", "App Version Code"], sameValue: true },
    { field: "device", names: ["Device"] },
    { field: "language", names: ["Reviewer Language"] },
    { field: "app", names: ["Package Name"] },
  ],
  recognisedExtras: [
    "Review Last Update Date and Time",
    "Review Last Update Millis Since Epoch",
    "Developer Reply Date and Time",
    "Developer Reply Millis Since Epoch",
    "Developer Reply Text",
  ],
  headerSets: [
    "Package Name, App Version Code, App Version Name, Reviewer Language, Device, Review Submit Date and Time, " +
      "Review Submit Millis Since Epoch, Review Last Update Date and Time, Review Last Update Millis Since Epoch, " +
      "Star Rating, Review Title, Review Text, Developer Reply Date and Time, Developer Reply Millis Since Epoch, " +
      "Developer Reply Text, Review Link",
  ],
};

export const CSV_LAYOUTS: readonly LayoutDefinition[] = [APP_REVIEWS, SUPPORT_EMAILS, PLAY_CONSOLE];

/** "Review Text", "review_text", " REVIEW-TEXT " and "reviewText" all become "reviewtext". */
export function normalizeHeaderName(name: string): string {
  return name.toLowerCase().replace(NON_ALPHANUMERIC, "");
}
const NON_ALPHANUMERIC = /[^a-z0-9]/g;

/** Where each canonical field is found in a header row, and which columns go to metadata. */
export interface LayoutMatch {
  layout: LayoutDefinition;
  columnOf: Partial<Record<CanonicalField, number>>;
  /** Header names as spelled in the file, for messages. */
  labels: Partial<Record<CanonicalField, string>>;
  extraColumns: number[];
}

export type LayoutResolution = { ok: true; match: LayoutMatch } | { ok: false; problem: RowProblem };

interface Candidate {
  layout: LayoutDefinition;
  score: number;
  match: LayoutMatch;
  missing: FieldSpec[];
}

/** Common names for the required columns, used only to suggest a rename. */
const SYNONYMS: Partial<Record<CanonicalField, readonly string[]>> = {
  text: ["text", "review", "comment", "comments", "content", "message", "feedback", "body", "reviewbody", "emailbody"],
  rating: ["stars", "star", "score", "starrating", "rate", "reviewrating"],
};

/**
 * Picks the layout a header row belongs to. `forced` is the caller's `source` option.
 * A layout is recognised when its required columns are present, or when at least two of its
 * columns are (then the missing required one is reported, with a rename suggestion).
 */
export function resolveLayout(
  headers: readonly string[],
  layouts: readonly LayoutDefinition[],
  forced?: SourceKind,
  noun: "column" | "field" = "column",
): LayoutResolution {
  const normalized = headers.map(normalizeHeaderName);
  const candidates = layouts.map((layout) => scoreLayout(layout, headers, normalized));
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || Number(a.missing.length > 0) - Number(b.missing.length > 0),
  );
  const recognised = ranked.filter((c) => c.missing.length === 0 || c.score >= 2);
  const complete = recognised.filter((c) => c.missing.length === 0);

  if (forced) {
    const ofKind = recognised.find((c) => c.layout.kind === forced);
    if (ofKind && ofKind.missing.length === 0) return { ok: true, match: ofKind.match };
    const other = complete.find((c) => c.layout.kind !== forced);
    if (other && (!ofKind || other.score > ofKind.score)) return { ok: false, problem: sourceMismatch(other, forced) };
    if (ofKind) return { ok: false, problem: missingColumn(ofKind, headers, normalized, noun) };
    return {
      ok: false,
      problem: unknownLayout(
        headers,
        layouts.filter((l) => l.kind === forced),
        noun,
      ),
    };
  }
  const best = ranked[0];
  if (!best || !recognised.includes(best)) return { ok: false, problem: unknownLayout(headers, layouts, noun) };
  if (best.missing.length === 0) return { ok: true, match: best.match };
  return { ok: false, problem: missingColumn(best, headers, normalized, noun) };
}

function scoreLayout(layout: LayoutDefinition, headers: readonly string[], normalized: string[]): Candidate {
  const columnOf: Partial<Record<CanonicalField, number>> = {};
  const labels: Partial<Record<CanonicalField, string>> = {};
  const used = new Set<number>();
  for (const spec of layout.fields) {
    for (const name of spec.names) {
      const index = normalized.indexOf(normalizeHeaderName(name));
      if (index !== -1 && !used.has(index)) {
        columnOf[spec.field] = index;
        labels[spec.field] = headers[index]!.trim();
        used.add(index);
        break;
      }
    }
  }
  const extras = new Set((layout.recognisedExtras ?? []).map(normalizeHeaderName));
  const extraColumns: number[] = [];
  let score = used.size;
  normalized.forEach((name, index) => {
    if (used.has(index)) return;
    if (extras.has(name)) score++;
    extraColumns.push(index);
  });
  const missing = layout.fields.filter((spec) => spec.required && columnOf[spec.field] === undefined);
  return { layout, score, missing, match: { layout, columnOf, labels, extraColumns } };
}

/**
 * Two columns with the same name (after normalisation), or two that feed the same field: which one holds the
 * data is a guess, so the file is refused with both named instead of one being read and the other kept aside.
 */
export function duplicateColumns(headers: readonly string[], match: LayoutMatch): RowProblem | null {
  const normalized = headers.map(normalizeHeaderName);
  const firstOf = new Map<string, number>();
  for (const [index, name] of normalized.entries()) {
    if (name === "") continue;
    const first = firstOf.get(name);
    if (first !== undefined) return duplicateProblem(headers, first, index, "have the same name");
    firstOf.set(name, index);
  }
  for (const spec of match.layout.fields) {
    const used = match.columnOf[spec.field];
    if (spec.sameValue || used === undefined) continue;
    const names = new Set(spec.names.map(normalizeHeaderName));
    const other = normalized.findIndex((name, index) => index !== used && names.has(name));
    if (other !== -1)
      return duplicateProblem(headers, Math.min(used, other), Math.max(used, other), `both feed "${spec.names[0]}"`);
  }
  return null;
}

function duplicateProblem(headers: readonly string[], first: number, second: number, why: string): RowProblem {
  const a = headers[first]!.trim();
  const b = headers[second]!.trim();
  return {
    field: b,
    message: `duplicate columns: "${a}" (column ${first + 1}) and "${b}" (column ${second + 1}) ${why}`,
    hint: "Delete or rename one of the two columns, so the file says which one to read.",
  };
}

function missingColumn(
  candidate: Candidate,
  headers: readonly string[],
  normalized: string[],
  noun: "column" | "field",
): RowProblem {
  const spec = candidate.missing[0]!;
  const expected = spec.names[0]!;
  const suggestion = suggestRename(spec, candidate, headers, normalized);
  const message = `missing required ${noun} "${expected}" for ${candidate.layout.title}`;
  const hint = suggestion
    ? `The file has a ${noun} "${suggestion}"; rename it to "${expected}".`
    : `Add a "${expected}" ${noun}. Expected ${noun}s: ${candidate.layout.headerSets.join(" or ")}.`;
  return { field: expected, message, hint };
}

function suggestRename(
  spec: FieldSpec,
  candidate: Candidate,
  headers: readonly string[],
  normalized: string[],
): string | null {
  const wanted = spec.names.map(normalizeHeaderName);
  const synonyms = SYNONYMS[spec.field] ?? [];
  let best: { index: number; distance: number } | null = null;
  for (const index of candidate.match.extraColumns) {
    const name = normalized[index]!;
    if (name.length === 0) continue;
    const distance = synonyms.includes(name)
      ? 0
      : Math.min(
          ...wanted.map((w) =>
            (name.length >= 3 && w.includes(name)) || name.includes(w) ? 1 : editDistance(w, name),
          ),
        );
    if (distance <= Math.max(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) {
      best = { index, distance };
    }
  }
  return best ? headers[best.index]!.trim() : null;
}

function sourceMismatch(detected: Candidate, forced: SourceKind): RowProblem {
  return {
    field: null,
    message: `the columns look like ${detected.layout.title}, but source "${forced}" was requested`,
    hint: `Drop the source option to auto-detect, or pass source "${detected.layout.kind}".`,
  };
}

function unknownLayout(
  headers: readonly string[],
  layouts: readonly LayoutDefinition[],
  noun: "column" | "field",
): RowProblem {
  const found = headers.map((h) => `"${h.trim()}"`).join(", ");
  const expected = layouts.map((l) => `${l.title}: ${l.headerSets.join(" or ")}`).join("; ");
  const first = noun === "column" ? "The first line must be a header row naming the columns. " : "";
  return {
    field: null,
    message: `the ${noun}s ${found} match no known layout`,
    hint: `${first}Expected ${expected}.`,
  };
}

/** Levenshtein distance; header names are short, so the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const ALL_FIELDS: readonly CanonicalField[] = [
  "id",
  "text",
  "subject",
  "rating",
  "author",
  "date",
  "appVersion",
  "device",
  "platform",
  "priority",
  "language",
  "app",
];

/** Every field's name for messages: as spelled in the file, else the layout's preferred name. */
export function labelsFor(
  layout: LayoutDefinition,
  found: Partial<Record<CanonicalField, string>>,
): Record<CanonicalField, string> {
  const labels = {} as Record<CanonicalField, string>;
  for (const field of ALL_FIELDS) {
    labels[field] = found[field] ?? layout.fields.find((spec) => spec.field === field)?.names[0] ?? field;
  }
  return labels;
}
