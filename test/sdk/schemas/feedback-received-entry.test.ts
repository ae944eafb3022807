import { describe, expect, it } from "vitest";
import { FEEDBACK_RECEIVED, FeedbackReceivedEvent, feedbackReceivedEntry } from "../../../sdk/schemas/events.js";
import { makeItem } from "../../support/factories.js";

describe("feedbackReceivedEntry", () => {
  it("sets the source to feedback.<source type>, which the bus rules route on", () => {
    expect(feedbackReceivedEntry(makeItem({ sourceType: "email" })).source).toBe("feedback.email");
    expect(feedbackReceivedEntry(makeItem({ sourceType: "webhook" })).source).toBe("feedback.webhook");
  });

  it("carries the item as the detail of a FeedbackReceived event", () => {
    const item = makeItem();
    const entry = feedbackReceivedEntry(item);
    const event = FeedbackReceivedEvent.parse({
      id: "evt-1",
      source: entry.source,
      "detail-type": entry.detailType,
      time: "2026-12-06T10:00:00Z",
      detail: entry.detail,
    });
    expect(event["detail-type"]).toBe(FEEDBACK_RECEIVED);
    expect(event.detail.item).toEqual(item);
  });
});
