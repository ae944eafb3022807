import type { TriageAgents, TriageResult } from "../../sdk/ports/agents.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";

/**
 * A minimal crew for pipeline tests (the real crews have their own suites): everything is a Bug, and
 * items whose text contains "POISON" fail while `poisoned` is true.
 */
export class StubAgents implements TriageAgents {
  readonly name = "stub";
  poisoned = true;
  calls = 0;

  async triage(items: readonly FeedbackItem[]): Promise<TriageResult[]> {
    this.calls += 1;
    if (this.poisoned && items.some((i) => i.text.includes("POISON"))) {
      throw new Error("model refused: POISON in text");
    }
    return items.map((item) => ({
      category: "Bug",
      confidence: 0.9,
      priority: "High",
      title: `[BUG] ${item.text.slice(0, 60)}`,
      description: item.text,
      technicalDetails: { device: item.device },
      status: "open",
      qualityScore: 8,
      reviewReasons: [],
      logs: [
        {
          agent: "stub",
          action: "classify",
          result: {},
          confidence: 0.9,
          durationMs: 0,
          tokensIn: null,
          tokensOut: null,
        },
      ],
    }));
  }
}
