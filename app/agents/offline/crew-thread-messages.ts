import type { TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";

/** What the main thread asks the crew thread: one batch. */
export interface CrewRequest {
  id: number;
  items: readonly FeedbackItem[];
  config: TriageConfiguration;
}

/** The thread's answers: ready once the crew is loaded, then one reply per request. */
export type CrewReply = { ready: true } | { id: number; results: TriageResult[] } | { id: number; error: string };
