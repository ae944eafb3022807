import type { TriageAgents, TriageResult } from "../../sdk/ports/agents.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";

/**
 * Items flagged at ingestion for a person to look at (`metadata.reviewRequired: true`, e.g. mail that
 * failed DMARC, with `metadata.quarantine.reason`) become tickets with status needs_review whatever the
 * agents decide, with the reason among the review reasons and in the processing log.
 */
export function reviewReasonOf(item: FeedbackItem): string | null {
  const metadata = item.metadata as { reviewRequired?: unknown; quarantine?: { reason?: unknown } };
  if (metadata.reviewRequired !== true) return null;
  const reason = metadata.quarantine?.reason;
  return typeof reason === "string" && reason
    ? `quarantined at ingestion: ${reason}`
    : "flagged for review at ingestion";
}

export function withReviewFlags(agents: TriageAgents): TriageAgents {
  return {
    name: agents.name,
    close: agents.close && (() => agents.close!()),
    async triage(items, config): Promise<TriageResult[]> {
      const results = await agents.triage(items, config);
      return results.map((result, index) => {
        const item = items[index];
        const reason = item ? reviewReasonOf(item) : null;
        if (!reason) return result;
        return {
          ...result,
          status: "needs_review",
          reviewReasons: [...result.reviewReasons, reason],
          logs: [
            ...result.logs,
            {
              agent: "ingestion",
              action: "quarantine",
              result: { reason },
              confidence: null,
              durationMs: 0,
              tokensIn: null,
              tokensOut: null,
            },
          ],
        };
      });
    },
  };
}
