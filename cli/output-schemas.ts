import { z } from "zod";
import { RuntimeConfigJson } from "../sdk/config/runtime.js";
import { Ticket, TicketDetail } from "../sdk/schemas/ticket.js";

/** Contracts of `--json` output: what scripts may rely on. */
export const RowErrorJson = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  field: z.string().nullable(),
  message: z.string(),
  hint: z.string(),
});

export const IngestFileSummaryJson = z.object({
  file: z.string(),
  format: z.string().nullable(),
  sourceType: z.string().nullable(),
  read: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  enqueued: z.number().int(),
  duplicatesSkipped: z.number().int(),
  error: z.string().nullable(),
});

export const IngestSummaryJson = z.object({
  dryRun: z.boolean(),
  files: z.array(IngestFileSummaryJson),
  totals: z.object({
    read: z.number().int(),
    valid: z.number().int(),
    rejected: z.number().int(),
    enqueued: z.number().int(),
    duplicatesSkipped: z.number().int(),
  }),
  errors: z.array(RowErrorJson),
  errorsOmitted: z.number().int(),
  processed: z
    .object({
      ticketsCreated: z.number().int(),
      duplicates: z.number().int(),
      failed: z.number().int(),
      byPriority: z.record(z.string(), z.number().int()),
      byCategory: z.record(z.string(), z.number().int()),
    })
    .nullable(),
});
export type IngestSummaryJson = z.infer<typeof IngestSummaryJson>;

export const TicketsListJson = z.array(Ticket);
export const TicketShowJson = TicketDetail;

export const DeadLetterJson = z.object({
  messageId: z.string(),
  receiveCount: z.number().int(),
  sentAt: z.string(),
  deadLetteredAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sourceQueue: z.string().nullable(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  preview: z.string().nullable(),
});
export const DlqListJson = z.array(DeadLetterJson);
export type DeadLetterJson = z.infer<typeof DeadLetterJson>;

export const DlqReplayJson = z.object({
  dryRun: z.boolean(),
  moved: z.array(z.string()),
  notFound: z.array(z.string()),
});

export const StatusJson = z.object({
  backend: z.object({ kind: z.string(), description: z.string() }),
  queue: z.object({
    name: z.string(),
    visible: z.number().int(),
    inFlight: z.number().int(),
    delayed: z.number().int(),
  }),
  dlq: z.object({ name: z.string(), depth: z.number().int() }),
  tickets: z.object({
    total: z.number().int(),
    byPriority: z.record(z.string(), z.number().int()),
    byCategory: z.record(z.string(), z.number().int()),
    byStatus: z.record(z.string(), z.number().int()),
  }),
  modelUsage: z.object({
    calls: z.number().int(),
    items: z.number().int(),
    tokensIn: z.number(),
    tokensOut: z.number(),
    costUsd: z.number(),
    costPerItemUsd: z.number(),
    byModel: z.record(z.string(), z.object({ tokensIn: z.number(), tokensOut: z.number(), costUsd: z.number() })),
  }),
  /** The effective runtime configuration (environment, stack outputs, defaults, --data-dir); secrets as "***". */
  configuration: RuntimeConfigJson,
});
export type StatusJson = z.infer<typeof StatusJson>;

export const WorkerRunJson = z.object({
  received: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  lateWrites: z.number().int(),
  batches: z.number().int(),
});
