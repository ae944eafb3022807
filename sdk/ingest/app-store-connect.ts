import type { RowProblem } from "./errors.js";
import type { CanonicalField } from "./layouts.js";
import type { NormalizeContext, RawRow } from "./normalize.js";

/** App Store Connect API `customerReviews` resources, one page or many. */
export const APP_STORE_CONNECT = { name: "app-store-connect", sourceType: "app_store_review" } as const;

const ATTRIBUTE_FIELDS: Record<string, CanonicalField> = {
  body: "text",
  title: "subject",
  rating: "rating",
  reviewerNickname: "author",
  createdDate: "date",
};

const LABELS: Record<CanonicalField, string> = {
  id: "id",
  text: "attributes.body",
  subject: "attributes.title",
  rating: "attributes.rating",
  author: "attributes.reviewerNickname",
  date: "attributes.createdDate",
  appVersion: "appVersion",
  device: "device",
  platform: "platform",
  priority: "priority",
  language: "language",
  app: "app",
};

export const APP_STORE_CONNECT_CONTEXT: NormalizeContext = {
  kind: "review",
  sourceType: "app_store_review",
  labels: LABELS,
  fixedPlatform: "ios",
  useSubjectWhenTextEmpty: true,
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{ type: "customerReviews", id, attributes: {...} }`, or anything with review-like attributes. */
export function looksLikeAppStoreConnectReview(record: Record<string, unknown>): boolean {
  const { attributes } = record;
  if (!isPlainObject(attributes)) return false;
  return record.type === "customerReviews" || "rating" in attributes || "body" in attributes;
}

export function appStoreConnectRow(record: Record<string, unknown>): RawRow | RowProblem {
  if (record.type !== undefined && record.type !== "customerReviews") {
    return {
      field: "type",
      message: `record type "${String(record.type)}" is not a customer review`,
      hint: 'Export the customerReviews resource; only records with type "customerReviews" are read.',
    };
  }
  const { attributes } = record;
  if (!isPlainObject(attributes)) {
    return {
      field: "attributes",
      message: "the record has no attributes object",
      hint: "Each review needs attributes { rating, title, body, reviewerNickname, createdDate, territory }.",
    };
  }
  const row: RawRow = { values: { id: record.id }, metadata: {} };
  for (const [key, value] of Object.entries(attributes)) {
    const field = ATTRIBUTE_FIELDS[key];
    if (field) row.values[field] = value;
    else if (value !== null && value !== undefined) row.metadata[key] = value;
  }
  return row;
}
