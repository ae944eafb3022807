import { z } from "zod";
import { DeadLetterView, ReplayResult } from "../../app/dlq/dead-letter-views.js";
import { storableText } from "../../sdk/schemas/safe-text.js";

export { ReplayResult };

import { IngestSummary } from "../../app/ingest/ingest-summary.js";
import { ConfidenceThreshold, PriorityRules } from "../../sdk/schemas/configuration.js";
import { EvaluationReport } from "../../sdk/schemas/evaluation.js";
import { Priority } from "../../sdk/schemas/feedback.js";
import { CrewRoutingJson } from "../../sdk/schemas/insights.js";
import { LastPull, StoreKind } from "../../sdk/schemas/store-source.js";
import { Ticket, TicketDetail, TicketPatch } from "../../sdk/schemas/ticket.js";

/**
 * The JSON API behind the pages (/api/*). Requests are parsed with these schemas and every response is
 * validated against its schema before it is sent, so clients never see a drifting shape. Ticket,
 * TicketDetail, TicketPatch, PriorityRules, ConfidenceThreshold and EvaluationReport are the SDK's own.
 */

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().nullable(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export const Health = z.object({ status: z.literal("ok"), backend: z.enum(["embedded", "postgres", "aws"]) });

export const Session = z.object({
  user: z.string(),
  authMode: z.enum(["none", "alb"]),
  /** Send it back as the x-csrf-token header on every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string(),
});

export const QueueDepthJson = z.object({ visible: count, inFlight: count, delayed: count });

export const OverviewStatsJson = z.object({
  total: count,
  byCategory: counts,
  byPriority: counts,
  byStatus: counts,
  openCritical: count,
  averageConfidence: z.number().min(0).max(1).nullable(),
  needsReviewShare: z.number().min(0).max(1).nullable(),
  perDay: z.array(z.object({ day: z.iso.date(), byCategory: counts, total: count })),
  createdLast24h: count,
  computedAt: z.iso.datetime(),
});

export const Overview = z.object({
  stats: OverviewStatsJson,
  queue: QueueDepthJson,
  dlqDepth: count,
  processing: z.object({
    /** Items the workers processed in the last hour (from the metrics sink); null when unavailable. */
    itemsLastHour: count.nullable(),
    perMinute: z.number().nonnegative().nullable(),
  }),
  worker: z.object({ inProcess: z.boolean() }),
});
export type Overview = z.infer<typeof Overview>;

export const TicketPageJson = z.object({
  items: z.array(Ticket),
  total: count,
  totalCapped: z.boolean(),
  limit: z.number().int().positive(),
  offset: count,
});

export const TicketDetailJson = TicketDetail;

/** PATCH /api/tickets/:id — any of the editable fields, plus optimistic concurrency and a reason. */
export const TicketUpdateRequest = TicketPatch.safeExtend({
  expectedVersion: z.number().int().positive().optional(),
  reason: storableText().trim().max(500).optional(),
}).strict();

export const StatusAction = z.enum(["approve", "reject"]);
export { STATUS_OF_ACTION } from "../../app/tickets/tickets-service.js";

export const StatusRequest = z
  .object({
    action: StatusAction,
    expectedVersion: z.number().int().positive().optional(),
    reason: storableText().trim().max(500).optional(),
  })
  .strict();

/** POST /api/tickets/bulk — approve or reject every ticket matching a filter (URL parameter form). */
export const BulkRequest = z
  .object({
    action: StatusAction,
    filter: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
    reason: storableText().trim().max(500).optional(),
  })
  .strict();

export { BulkResult } from "../../app/tickets/review-result.js";

/** POST /api/tickets/selection — one action on the tickets an operator ticked (by id), each changed on its own. */
export const SelectionRequest = z
  .object({
    action: z.enum(["approve", "reject", "priority"]),
    ids: z.array(z.string().min(1).max(64)).min(1).max(1000),
    /** The priority to set (action "priority"). */
    priority: Priority.optional(),
    reason: storableText().trim().max(500).optional(),
  })
  .strict()
  .refine((r) => r.action !== "priority" || r.priority !== undefined, {
    message: 'action "priority" needs a priority',
    path: ["priority"],
  });
export type SelectionRequest = z.infer<typeof SelectionRequest>;

/** What the action did to each ticket (in the order given): ok, or why not. */
export const SelectionResult = z.object({
  action: z.enum(["approve", "reject", "priority"]),
  updated: z.number().int().nonnegative(),
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      message: z.string().nullable(),
      status: z.string().nullable(),
      priority: z.string().nullable(),
    }),
  ),
});
export type SelectionResult = z.infer<typeof SelectionResult>;

export const ConfigurationJson = z
  .object({
    priorityRules: PriorityRules,
    confidenceThreshold: ConfidenceThreshold,
  })
  .strict();
export type ConfigurationJson = z.infer<typeof ConfigurationJson>;

const CountedLabel = z.object({ label: z.string(), count });

export const AnalyticsJson = z.object({
  granularity: z.enum(["day", "week"]),
  overTime: z.array(z.object({ bucket: z.iso.date(), byCategory: counts, byPriority: counts })),
  topFeatures: z.array(CountedLabel),
  bugHotspots: z.object({
    appVersion: z.array(CountedLabel),
    platform: z.array(CountedLabel),
    device: z.array(CountedLabel),
  }),
  ratings: z.array(z.object({ rating: z.string(), count })),
  total: count,
});

export const OperationsJson = z.object({
  queue: QueueDepthJson.extend({ name: z.string() }),
  dlq: z.object({ name: z.string(), depth: count, letters: z.array(DeadLetterView) }),
  worker: z.object({ inProcess: z.boolean() }),
  backend: z.object({ kind: z.string(), description: z.string() }),
  /** What the agents cost (as `feedback-cli status`): model usage, and the hybrid crew's split (null: none). */
  agents: z.object({
    modelUsage: z.object({ items: count, costUsd: z.number(), costPerItemUsd: z.number() }),
    routing: CrewRoutingJson.nullable(),
  }),
  /** The configured store sources (`feedback-cli sources add`) and what each one's last pull did (null: never pulled). */
  sources: z.array(z.object({ name: z.string(), kind: StoreKind, app: z.string(), lastPull: LastPull.nullable() })),
});

export const ReplayRequest = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
  })
  .strict()
  .refine((r) => Boolean(r.ids) !== Boolean(r.all), { message: "give either ids or all: true" });

export const IngestResult = IngestSummary;

/** POST /api/quality as JSON: files on the server, inside the evaluation folder it was started with. */
export const QualityPathRequest = z
  .object({
    labelsPath: z.string().min(1).max(1000),
    reviewsPath: z.string().min(1).max(1000).optional(),
    emailsPath: z.string().min(1).max(1000).optional(),
  })
  .strict();

export const QualityReport = EvaluationReport.extend({
  /** Where the evaluated items came from: source files, or the feedback items stored with the tickets. */
  itemSource: z.enum(["files", "database"]),
  labelsName: z.string(),
  rejectedSourceRows: count,
});
export type QualityReport = z.infer<typeof QualityReport>;
