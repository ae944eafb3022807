import { z } from "zod";
import { BulkResult } from "../app/tickets/review-result.js";
import { Ticket, TicketDetail } from "../sdk/schemas/ticket.js";

export {
  DeadLetterList as DlqListJson,
  DeadLetterView as DeadLetterJson,
  ReplayResult as DlqReplayJson,
} from "../app/dlq/dead-letter-views.js";
/**
 * Contracts of `--json` output: what scripts may rely on. The use cases' own results are printed as
 * they are (their schemas live with them in app/); these are the CLI's additions.
 */
export { IngestSummary as IngestSummaryJson } from "../app/ingest/ingest-summary.js";
export { StatusReport as StatusJson } from "../app/status/status-report.js";
export const TicketsListJson = z.array(Ticket);
export const TicketShowJson = TicketDetail;

export const WorkerRunJson = z.object({
  received: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  lateWrites: z.number().int(),
  batches: z.number().int(),
  /** Only when a signal stopped the worker: which, and how many messages the queue still holds. */
  stoppedBy: z.enum(["SIGINT", "SIGTERM"]).optional(),
  left: z.number().int().optional(),
});

/** `tickets update --json`: the ticket after the change, with its history. */
export const TicketUpdateJson = TicketDetail;
/** `tickets approve|reject --json`: the dashboard's bulk result. */
export const TicketsReviewJson = BulkResult;
/** `import legacy --json`. */
export { LegacyImportSummary as ImportLegacyJson } from "../app/import/legacy.js";
