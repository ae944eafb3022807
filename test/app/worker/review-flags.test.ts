import { describe, expect, it } from "vitest";
import { withReviewFlags } from "../../../app/worker/review-flags.js";
import { makeItem } from "../../support/factories.js";
import { StubAgents } from "../../support/stub-agents.js";

describe("review flags (DMARC quarantine) in the agents", () => {
  it("forces needs_review with the reason for items flagged at ingestion, and leaves others alone", async () => {
    const agents = withReviewFlags(new StubAgents());
    const flagged = makeItem({
      text: "Invoice attached, please pay",
      metadata: { reviewRequired: true, quarantine: { reason: "dmarc_fail" } },
    });
    const plain = makeItem({ text: "The app crashes" });
    const [a, b] = await agents.triage([flagged, plain], {} as never);
    expect(a).toMatchObject({ status: "needs_review", reviewReasons: ["quarantined at ingestion: dmarc_fail"] });
    expect(a!.logs.at(-1)).toMatchObject({ agent: "ingestion", action: "quarantine" });
    expect(b).toMatchObject({ status: "open", reviewReasons: [] });
  });
});
