import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { Backend } from "../../sdk/backend.js";
import {
  ACCEPTED_DATE_FORMS,
  computeContentHash,
  IngestFileError,
  parseDate,
  type RowError,
} from "../../sdk/ingest/index.js";

import type { ImportedTicket } from "../../sdk/ports/tickets.js";
import {
  CATEGORIES,
  type Category,
  FeedbackItem,
  PRIORITIES,
  type Priority,
  type SourceType,
} from "../../sdk/schemas/feedback.js";
import { describeTextFault, findTextFault, TEXT_FAULT_HINT } from "../../sdk/schemas/safe-text.js";
import { TICKET_STATUSES, type TicketStatus } from "../../sdk/schemas/ticket.js";
import { rowErrorJson } from "../ingest/ingest-summary.js";
import type { LegacyImportSummary } from "./legacy-summary.js";

/**
 * `feedback-cli import legacy`: the original system's ticket CSV, read as a stream in batches, written
 * through the ticket store's import (idempotent on the source key and on the ticket id, which is derived
 * from the legacy ticket_id), each ticket with a history entry. A row that cannot be imported is a row
 * error (file, line, field, message, hint) as in ingest; the valid rows are still imported.
 */
export const LEGACY_COLUMNS = [
  "ticket_id",
  "source_id",
  "source_type",
  "title",
  "category",
  "priority",
  "description",
  "technical_details",
  "confidence",
  "status",
  "created_at",
] as const;
type LegacyColumn = (typeof LEGACY_COLUMNS)[number];

export const IMPORT_ACTOR = "import";
export const IMPORT_REASON = "imported from legacy";
/** Rows written per transaction. */
const BATCH = 500;
/** Row errors kept in the summary; the rest are counted. */
const MAX_ERRORS = 1000;

const normalise = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

function lookup<T extends string>(values: readonly T[], aliases: Record<string, T> = {}): Map<string, T> {
  const map = new Map<string, T>(values.map((v) => [normalise(v), v]));
  for (const [alias, value] of Object.entries(aliases)) map.set(normalise(alias), value);
  return map;
}

/** Legacy spellings, matched ignoring case, spaces, `_` and `-`. */
const SPELLINGS = {
  category: lookup<Category>(CATEGORIES, { feature: "Feature Request", featurerequest: "Feature Request" }),
  priority: lookup<Priority>(PRIORITIES, { urgent: "Critical", normal: "Medium" }),
  status: lookup<TicketStatus>(TICKET_STATUSES, {
    new: "open",
    review: "needs_review",
    pendingreview: "needs_review",
    resolved: "closed",
    done: "closed",
  }),
  source_type: lookup<SourceType>(["app_store_review", "email", "webhook"], {
    review: "app_store_review",
    appstore: "app_store_review",
    appreview: "app_store_review",
    supportemail: "email",
    mail: "email",
  }),
};
const ALLOWED: Record<keyof typeof SPELLINGS, string> = {
  category: CATEGORIES.join(", "),
  priority: PRIORITIES.join(", "),
  status: TICKET_STATUSES.join(", "),
  source_type: "app_store_review, email, webhook",
};

class RowProblem extends Error {
  constructor(
    readonly field: LegacyColumn | null,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The ticket id of a legacy ticket: its own when it is a UUID, else a UUID derived from it (same id every run). */
export function legacyTicketUuid(ticketId: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ticketId)) return ticketId.toLowerCase();
  const hex = createHash("sha1").update(`feedback-triage legacy ticket:${ticketId}`).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function text(row: Record<LegacyColumn, string>, field: LegacyColumn, min: number, max: number): string {
  const value = (row[field] ?? "").trim();
  const fault = findTextFault(value);
  if (fault) throw new RowProblem(field, `${field} contains ${describeTextFault(fault)}`, TEXT_FAULT_HINT);
  if (value.length < min)
    throw new RowProblem(
      field,
      min === 1 ? `${field} is empty` : `${field} is shorter than ${min} characters`,
      `Give the ticket a ${field} of ${min} to ${max} characters.`,
    );
  if (value.length > max)
    throw new RowProblem(field, `${field} is longer than ${max} characters`, `Shorten ${field} to ${max} characters.`);
  return value;
}

function spelling<K extends keyof typeof SPELLINGS>(row: Record<LegacyColumn, string>, field: K) {
  const raw = row[field] ?? "";
  const found = SPELLINGS[field].get(normalise(raw)) as ReturnType<(typeof SPELLINGS)[K]["get"]>;
  if (!found)
    throw new RowProblem(
      field,
      `${field} '${raw.trim()}' is not one of ${ALLOWED[field]}`,
      `Use one of ${ALLOWED[field]} (any case).`,
    );
  return found!;
}

function technicalDetails(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new RowProblem(
      "technical_details",
      `technical_details is not valid JSON (${(error as Error).message})`,
      'Write a JSON object, e.g. {"platform": "iOS", "appVersion": "4.2.0"}, or leave it empty.',
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new RowProblem(
      "technical_details",
      "technical_details is not a JSON object",
      'Write a JSON object, e.g. {"platform": "iOS"}, or leave it empty.',
    );
  const fault = findTextFault(raw);
  if (fault)
    throw new RowProblem(
      "technical_details",
      `technical_details contains ${describeTextFault(fault)}`,
      TEXT_FAULT_HINT,
    );
  return value as Record<string, unknown>;
}

/**
 * One legacy row as a ticket to import, or the first problem found in it. `app`: the app its feedback is
 * about (the legacy export names none).
 */
export function legacyTicket(row: Record<LegacyColumn, string>, app: string | null = null): ImportedTicket {
  const ticketId = text(row, "ticket_id", 1, 200);
  const sourceType = spelling(row, "source_type");
  const sourceId = text(row, "source_id", 1, 200);
  const title = text(row, "title", 5, 200);
  const description = text(row, "description", 0, 20_000);
  const category = spelling(row, "category");
  const priority = spelling(row, "priority");
  const status = spelling(row, "status");
  const confidence = Number(row.confidence?.trim() || Number.NaN);
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1)
    throw new RowProblem(
      "confidence",
      `confidence '${row.confidence ?? ""}' is not a number from 0 to 1`,
      "Write the classifier's confidence as a decimal from 0 to 1, e.g. 0.85.",
    );
  const details = technicalDetails(row.technical_details ?? "");
  const date = parseDate((row.created_at ?? "").trim());
  if (!date.ok)
    throw new RowProblem(
      "created_at",
      `created_at: ${date.message}`,
      `Write the date in one of: ${ACCEPTED_DATE_FORMS}.`,
    );
  const feedbackText = description || title;
  const parsed = FeedbackItem.safeParse({
    sourceType,
    sourceId,
    channel: null,
    text: feedbackText,
    submittedAt: date.iso,
    metadata: { legacyTicketId: ticketId },
    contentHash: computeContentHash(feedbackText, null),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RowProblem(
      null,
      `cannot be stored: ${issue.path.join(".")} ${issue.message}`,
      "Correct the value named.",
    );
  }
  const item = parsed.data;
  const str = (key: string) => (typeof details[key] === "string" ? (details[key] as string) : null);
  item.platform = str("platform");
  item.appVersion = str("appVersion");
  item.device = str("device");
  item.app = app;
  return {
    ticket: {
      id: legacyTicketUuid(ticketId),
      item,
      title,
      description,
      category,
      priority,
      confidence,
      technicalDetails: details,
      status,
      qualityScore: null,
      reviewReasons: [],
      language: null,
      logs: [],
      messageId: null,
    },
    createdAt: date.iso,
    origin: { legacyTicketId: ticketId },
  };
}

function readHeader(file: string, record: string[]): Map<LegacyColumn, number> {
  const names = record.map((name) => name.trim().toLowerCase());
  const columns = new Map<LegacyColumn, number>();
  for (const column of LEGACY_COLUMNS) {
    const index = names.indexOf(column);
    if (index >= 0) columns.set(column, index);
  }
  const missing = LEGACY_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length)
    throw new IngestFileError({
      file,
      line: 1,
      field: missing[0],
      message: `the header lacks ${missing.join(", ")}`,
      hint: `A legacy ticket export has the columns ${LEGACY_COLUMNS.join(", ")}.`,
    });
  return columns;
}

export interface LegacyImportOptions {
  dryRun?: boolean;
  /** The app of the imported tickets' feedback; default: the configured `defaultApp`, else none. */
  app?: string;
}

/** Streams the file: at most one batch of rows in memory. */
export async function importLegacyTickets(
  backend: Backend,
  file: string,
  options: LegacyImportOptions = {},
): Promise<LegacyImportSummary> {
  const info = await stat(file).catch((cause) => {
    throw new IngestFileError({ file, message: "cannot read the file", hint: "Check the path.", cause });
  });
  if (!info.isFile())
    throw new IngestFileError({ file, message: "is not a file", hint: "Give the path of a CSV file." });
  const summary: LegacyImportSummary = {
    file,
    dryRun: Boolean(options.dryRun),
    read: 0,
    valid: 0,
    rejected: 0,
    created: 0,
    duplicates: 0,
    errors: [],
    errorsOmitted: 0,
  };
  // The legacy export names no app: --app, else the stored `defaultApp` (config set defaultApp <name>), as ingest does.
  const app = options.app ?? (await backend.configuration.load()).defaultApp ?? null;
  const reject = (error: Omit<RowError, "file">) => {
    summary.rejected += 1;
    if (summary.errors.length < MAX_ERRORS) summary.errors.push(rowErrorJson({ file, ...error }));
    else summary.errorsOmitted += 1;
  };
  let batch: ImportedTicket[] = [];
  const inBatch = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    if (options.dryRun) {
      const existing = await backend.tickets.existingKeys(
        batch.map((e) => `${e.ticket.item.sourceType}:${e.ticket.item.sourceId}`),
      );
      summary.duplicates += existing.size;
      summary.created += batch.length - existing.size;
    } else {
      const saved = await backend.tickets.importTickets(batch, { actor: IMPORT_ACTOR, reason: IMPORT_REASON });
      summary.created += saved.created.length;
      summary.duplicates += saved.duplicates.length;
    }
    batch = [];
    inBatch.clear();
  };
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: 8 * 1024 * 1024 });
  const records = pipeline(createReadStream(file), parser, () => {}) as AsyncIterable<string[]>;
  let header: Map<LegacyColumn, number> | null = null;
  let width = 0;
  let line = 0;
  let linesInPrevious = 1;
  try {
    for await (const record of records) {
      line += linesInPrevious;
      linesInPrevious = 1 + record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      if (record.every((value) => value.trim() === "")) continue;
      if (header === null) {
        header = readHeader(file, record);
        width = record.length;
        continue;
      }
      summary.read += 1;
      const row = Object.fromEntries([...header].map(([column, index]) => [column, record[index] ?? ""])) as Record<
        LegacyColumn,
        string
      >;
      const recordId = row.ticket_id?.trim() || null;
      if (record.length !== width && record.slice(width).some((v) => v.trim() !== "")) {
        reject({
          line,
          field: null,
          recordId,
          message: `the row has ${record.length} values, the header ${width}`,
          hint: "Quote values that contain a comma.",
        });
        continue;
      }
      let entry: ImportedTicket;
      try {
        entry = legacyTicket(row, app);
      } catch (error) {
        if (!(error instanceof RowProblem)) throw error;
        reject({ line, field: error.field, recordId, message: error.message, hint: error.hint });
        continue;
      }
      summary.valid += 1;
      const keys = [entry.ticket.id, `${entry.ticket.item.sourceType}:${entry.ticket.item.sourceId}`];
      if (keys.some((k) => inBatch.has(k))) await flush();
      for (const k of keys) inBatch.add(k);
      batch.push(entry);
      if (batch.length >= BATCH) await flush();
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    reject({
      line: line + linesInPrevious,
      field: null,
      recordId: null,
      message: `the CSV cannot be read from here on: ${error.message}`,
      hint: "Close the quoted value that starts on this line.",
    });
  }
  if (header === null)
    throw new IngestFileError({
      file,
      line: 1,
      message: "no header row",
      hint: `Add the header ${LEGACY_COLUMNS.join(",")}.`,
    });
  await flush();
  return summary;
}
