import { z } from "zod";
import { SourceView } from "../app/pulls/source-views.js";
import { BulkResult } from "../app/tickets/review-result.js";
import { TriageConfiguration } from "../sdk/schemas/configuration.js";
import { MergeSuggestion } from "../sdk/schemas/grouping.js";
import { Ticket, TicketDetail } from "../sdk/schemas/ticket.js";

export {
  DeadLetterDetail as DlqShowJson,
  DeadLetterList as DlqListJson,
  DeadLetterView as DeadLetterJson,
  ReplayResult as DlqReplayJson,
} from "../app/dlq/dead-letter-views.js";
/**
 * Contracts of `--json` output: what scripts may rely on. The use cases' own results are printed as
 * they are (their schemas live with them in app/); these are the CLI's additions.
 */
export { IngestSummary as IngestSummaryJson } from "../app/ingest/ingest-summary.js";
export {
  DeliveryList as IntegrationDeliveriesJson,
  DeliveryReplayResult as IntegrationReplayJson,
  DeliveryView as IntegrationDeliveryJson,
  DestinationList as IntegrationDestinationsJson,
  DestinationView as IntegrationDestinationJson,
} from "../app/integrations/delivery-views.js";
export { DestinationTestResult as IntegrationTestJson } from "../app/integrations/test-destination.js";
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
export { LegacyImportSummary as ImportLegacyJson } from "../app/import/legacy-summary.js";
/** `privacy erase --json`: counts per kind, the tickets touched, the audit entry; never the person. `privacy history --json`. */
export {
  ErasureHistory as PrivacyHistoryJson,
  ErasureResult as PrivacyEraseJson,
} from "../app/privacy/erasure-result.js";
/** `pull --json`: per source and in total. */
export { PullSummaryJson as PullJson } from "../app/pulls/pull-summary.js";
/** `sources add --json`, `sources list --json` (where each key is read, never the key), `sources test --json`. */
export { SourceTest as SourceTestJson, SourceView as SourceJson } from "../app/pulls/source-views.js";
export const SourcesListJson = z.array(SourceView);
/** `tickets reply --json`: what was posted where, as recorded in the ticket's history. */
export const TicketReplyJson = z.object({
  ticketId: z.string(),
  actor: z.string(),
  source: z.string(),
  reviewId: z.string(),
  text: z.string(),
  repliedAt: z.string(),
});
/** `config get --json`: the stored configuration, keys by their JSON names. */
export const ConfigJson = TriageConfiguration;
/** `config get <key> --json`: that key's value (null when an optional value is not set). */
export const ConfigValueJson = z.json();
const ConfigDifferenceJson = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed"]),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
/** `config set --json`, `config edit --yes --json`: the keys saved and what changed, leaf by leaf. */
export const ConfigSaveJson = z.object({
  changedKeys: z.array(z.string()),
  differences: z.array(ConfigDifferenceJson),
});
/** `config validate --json`. */
export const ConfigValidateJson = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string(), fix: z.string() })),
});
/** `config history --json`: newest first; `before` is null for a value's first recorded entry. */
export const ConfigHistoryJson = z.array(
  z.object({
    id: z.string(),
    key: z.string(),
    actor: z.string(),
    changedAt: z.iso.datetime({ offset: true }),
    before: z.unknown(),
    after: z.unknown(),
    differences: z.array(ConfigDifferenceJson),
  }),
);

/** `tickets unmerge --json`: the group after the item left, and the item's own ticket again. */
export const UnmergeJson = z.object({ ticket: TicketDetail, restored: TicketDetail });
/** `tickets suggestions --json`: newest first. */
export const SuggestionsJson = z.array(MergeSuggestion);
/** `tickets suggestions accept|dismiss --json`. */
export const SuggestionsDecisionJson = z.object({
  decided: z.array(MergeSuggestion),
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});
/** `tickets group --json`: what the grouping stage did (enabled false: grouping is off, nothing done). */
export const GroupRunJson = z.object({
  enabled: z.boolean(),
  looked: z.number().int(),
  joined: z.number().int(),
  suggested: z.number().int(),
  reopened: z.number().int(),
  raised: z.number().int(),
});
