import type { DeadLetterView } from "../../../app/dlq/dead-letter-views.js";

/** Dead letter number `n` (1-9) as the picker shows it: its id is n repeated. */
export function letter(n: number, overrides: Partial<DeadLetterView> = {}): DeadLetterView {
  return {
    messageId: `${String(n).repeat(8)}-0000-4000-8000-00000000000${n}`,
    receiveCount: 5,
    sentAt: "2026-12-06T10:00:00.000Z",
    deadLetteredAt: "2026-12-06T11:00:00.000Z",
    lastError: `error number ${n}`,
    sourceQueue: "feedback",
    sourceType: "app_store_review",
    sourceId: `review-${n}`,
    preview: `the app crashed ${n}`,
    ...overrides,
  };
}
