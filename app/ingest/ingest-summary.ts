import { z } from "zod";

/** What ingesting files did: per file, totals, row errors and (with --wait) what the worker made of it. */
export const RowError = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  field: z.string().nullable(),
  /** The row's own id (review_id, ticket id...) where it could be read, so a rejected row can be found by it. */
  recordId: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
});

/** A row error as the `--json` contracts print it (ingest and legacy import alike). */
export function rowErrorJson(e: {
  file: string;
  line: number | null;
  field: string | null;
  recordId?: string | null;
  message: string;
  hint: string;
}): z.infer<typeof RowError> {
  return { file: e.file, line: e.line, field: e.field, recordId: e.recordId ?? null, message: e.message, hint: e.hint };
}

export const IngestFileSummary = z.object({
  file: z.string(),
  format: z.string().nullable(),
  sourceType: z.string().nullable(),
  read: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  /** Kept rows that carry a warning (a value dropped, bytes read as U+FFFD). */
  warned: z.number().int(),
  enqueued: z.number().int(),
  duplicatesSkipped: z.number().int(),
  error: z.string().nullable(),
});

export const IngestSummary = z.object({
  dryRun: z.boolean(),
  files: z.array(IngestFileSummary),
  totals: z.object({
    read: z.number().int(),
    valid: z.number().int(),
    rejected: z.number().int(),
    enqueued: z.number().int(),
    duplicatesSkipped: z.number().int(),
  }),
  errors: z.array(RowError),
  errorsOmitted: z.number().int(),
  /** What was dropped or replaced in rows that were kept, in the same shape as errors. */
  warnings: z.array(RowError),
  warningsOmitted: z.number().int(),
  processed: z
    .object({
      ticketsCreated: z.number().int(),
      duplicates: z.number().int(),
      failed: z.number().int(),
      byPriority: z.record(z.string(), z.number().int()),
      byCategory: z.record(z.string(), z.number().int()),
      /** E-mail replies folded into their thread's ticket (they are items of that ticket, not tickets of their own). */
      threadReplies: z.number().int().default(0),
    })
    .nullable(),
});
export type IngestSummary = z.infer<typeof IngestSummary>;
