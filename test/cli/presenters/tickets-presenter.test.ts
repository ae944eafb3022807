import { describe, expect, it } from "vitest";
import type { RetriageChange, RetriageSummary } from "../../../app/tickets/retriage.js";
import { retriageText, ticketText } from "../../../cli/presenters/tickets-presenter.js";
import type { TicketDetail } from "../../../sdk/schemas/ticket.js";
import { ticketDetail } from "../ui/ticket-fixture.js";

const change = (changes: RetriageChange["changes"], keptManual: RetriageChange["keptManual"] = []): RetriageChange => ({
  id: "7f1c0c3e-4a0e-4f57-9a55-0d7f2b8f7a10",
  sourceId: "R001",
  changes,
  keptManual,
  confidence: { before: 0.95, after: 0.82 },
  reason: "re-triage (offline crew): confidence 0.95 -> 0.82",
});

const summary = (changes: RetriageChange[]): RetriageSummary => ({
  agents: "offline",
  dryRun: false,
  matched: changes.length,
  changed: changes.length,
  unchanged: 0,
  skipped: [],
  keptManual: changes.filter((c) => c.keptManual.length).length,
  transitions: {},
  changes,
  more: false,
});

describe("the tickets retriage summary", () => {
  it("shows a change of confidence alone with its old and new value", () => {
    const text = retriageText(summary([change({ confidence: [0.95, 0.82] })]));
    expect(text).toContain("R001): confidence 0.95 -> 0.82");
  });

  it("lists the values of category and confidence first, then the other changed fields by name", () => {
    const text = retriageText(
      summary([
        change({
          title: ["Old", "New title"],
          category: ["Complaint", "Feature Request"],
          confidence: [0.95, 0.82],
          reviewReasons: [[], ["low confidence"]],
        }),
      ]),
    );
    expect(text).toContain(
      "R001): category Complaint -> Feature Request, confidence 0.95 -> 0.82, title, reviewReasons",
    );
  });

  it("names the fields kept because a person set them", () => {
    const text = retriageText(summary([change({ confidence: [0.95, 0.82] }, ["category"])]));
    expect(text).toContain("confidence 0.95 -> 0.82; kept manual category");
  });
});

/** A ticket without feedback or history unless a test gives them. */
const detail = (overrides: Partial<TicketDetail> = {}): TicketDetail =>
  ticketDetail(1, { feedback: null, history: [], ...overrides });

describe("tickets show", () => {
  it("shows which path the hybrid router chose for the ticket, and why", () => {
    const log = (agent: string, result: Record<string, unknown>) => ({
      agent,
      action: agent === "router" ? "route" : "classify-analyse-write",
      result,
      confidence: 0.62,
      durationMs: 0,
      tokensIn: null,
      tokensOut: null,
    });
    const ticket = detail({
      logs: [log("router", { path: "claude", reason: "confidence 0.62 < 0.85" }), log("claude", { model: "m" })],
    });
    const text = ticketText(ticket);
    expect(text).toContain("router/route conf 0.62 0.00 ms -> claude (confidence 0.62 < 0.85)");
    expect(text).toMatch(/claude\/classify-analyse-write conf 0\.62 0\.00 ms$/m);
  });

  it("keeps the description's paragraphs and line breaks", () => {
    const text = ticketText(detail({ description: "First paragraph.\n\n> quoted line\n> second line" }));
    expect(text).toContain("First paragraph.\n\n> quoted line\n> second line");
  });

  it("says who wrote the feedback, when, the stars, version and device", () => {
    const feedback = {
      author: "Jane",
      submittedAt: "2026-11-24T09:12:40.000Z",
      rating: 2,
      appVersion: "3.2.1",
      device: "Pixel 8",
    };
    expect(ticketText(detail({ feedback }))).toContain(
      "by Jane · written 2026-11-24T09:12:40.000Z · ★★☆☆☆ (2/5) · version 3.2.1 · on Pixel 8",
    );
  });
});
