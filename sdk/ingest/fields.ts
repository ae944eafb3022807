import type { RowProblem } from "./errors.js";
import type { SourceKind } from "./layouts.js";

/** Thrown inside row normalisation to reject the row; caught by `normalizeRow`. */
export class RowRejection extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.message);
  }
}

export function reject(field: string | null, message: string, hint: string): never {
  throw new RowRejection({ field, message, hint });
}

/** A cell as text: CSV gives strings, JSON may give numbers or booleans. Objects are an error. */
export function readString(value: unknown, label: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return reject(
    label,
    `${label} must be text, not ${Array.isArray(value) ? "a list" : "an object"}`,
    `Put a plain value in "${label}"; nested data belongs in extra fields, which are kept as metadata.`,
  );
}

/** Trimmed text, or null when absent or blank. */
export function readOptionalText(value: unknown, label: string): string | null {
  const text = readString(value, label);
  if (text === null) return null;
  const trimmed = normalizeNewlines(text).trim();
  return trimmed.length === 0 ? null : trimmed;
}

export function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(CARRIAGE_RETURNS, "\n") : text;
}
const CARRIAGE_RETURNS = /\r\n?/g;

const RATING = /^(\d+)(?:[.,]0+)?(?:\s*(?:stars?|\/\s*5))?$/i;
const RATING_HINT = 'Use a whole number from 1 to 5 ("4", "4.0", "4 stars" and "4/5" are also read).';

/** 1-5 as an integer; "5", "5.0", "5 stars" are fine, 0, 9, "five" and 4.5 are not. */
export function parseRating(value: unknown, label: string): number {
  const raw = readString(value, label);
  const text = raw?.trim() ?? "";
  if (text.length === 0) return reject(label, `${label} is empty`, RATING_HINT);
  const match = RATING.exec(text);
  const rating = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    return reject(label, `${label} must be a whole number from 1 to 5, not "${text}"`, RATING_HINT);
  }
  return rating;
}

const KNOWN_PRIORITIES = new Map(
  ["Critical", "Urgent", "High", "Medium", "Low"].map((name) => [name.toLowerCase(), name]),
);

/** "HIGH" -> "High"; values outside the usual five are kept as written. */
export function normalizeStatedPriority(value: string | null): string | null {
  if (value === null) return null;
  return KNOWN_PRIORITIES.get(value.toLowerCase()) ?? value;
}

const IOS_NAMES = new Set(["ios", "iphone", "ipad", "ipados", "apple", "appstore"]);
const ANDROID_NAMES = new Set(["android", "googleplay", "playstore", "google"]);
const NON_LETTERS = /[^a-z]/g;
const IOS_DEVICE = /iphone|ipad|ipod|\bios\b/i;
const ANDROID_DEVICE = /pixel|samsung|galaxy|android|oneplus|xiaomi|redmi|huawei|motorola|\bmoto\b|oppo|vivo|realme/i;

/** A platform column value: "iOS", "App Store" -> "ios"; "Google Play" -> "android"; others lower-cased. */
export function normalizePlatform(value: string): string {
  const compact = value.toLowerCase().replace(NON_LETTERS, "");
  if (IOS_NAMES.has(compact)) return "ios";
  if (ANDROID_NAMES.has(compact)) return "android";
  return value.toLowerCase();
}

export function platformFromDevice(device: string | null): "ios" | "android" | null {
  if (device === null) return null;
  if (IOS_DEVICE.test(device)) return "ios";
  if (ANDROID_DEVICE.test(device)) return "android";
  return null;
}

export function channelFor(kind: SourceKind, platform: string | null): string {
  if (kind === "email") return "email";
  if (platform === "ios") return "app_store";
  if (platform === "android") return "google_play";
  return "app_review";
}
