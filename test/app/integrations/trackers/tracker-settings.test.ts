import { describe, expect, it } from "vitest";
import { draftOf } from "../../../../app/integrations/trackers/tracker-deliverer.js";
import {
  labelsFor,
  matchesRules,
  parseTrackerSettings,
} from "../../../../app/integrations/trackers/tracker-settings.js";
import type { TicketEventData } from "../../../../sdk/schemas/integrations.js";

const ticket = (overrides: Partial<TicketEventData> = {}): TicketEventData => ({
  ticketId: "8767cbf0-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  title: "App crashes when opening the camera",
  category: "Bug",
  priority: "Critical",
  status: "open",
  reach: 1,
  app: null,
  sourceType: "csv",
  mergedInto: null,
  createdAt: "2026-12-06T09:12:44.001+00:00",
  updatedAt: "2026-12-06T09:12:44.001+00:00",
  ...overrides,
});

describe("tracker settings", () => {
  const rules = [{ categories: ["Bug" as const], priorities: ["Critical" as const] }, { minReach: 5 }];

  it("matches a ticket when every condition of some rule holds", () => {
    expect(matchesRules(rules, ticket())).toBe(true);
    expect(matchesRules(rules, ticket({ priority: "Low", reach: 5 }))).toBe(true);
  });

  it("does not match a ticket that fails a condition of each rule", () => {
    expect(matchesRules(rules, ticket({ priority: "High", reach: 4 }))).toBe(false);
    expect(matchesRules(rules, ticket({ category: "Feature Request" }))).toBe(false);
  });

  it("matches every ticket by default (one rule without conditions)", () => {
    const parsed = parseTrackerSettings("github", { repository: "acme/notes" });
    expect(parsed.ok && matchesRules(parsed.settings.rules, ticket({ category: "Praise", priority: "Low" }))).toBe(
      true,
    );
  });

  it("maps category and priority to labels, each once, after the labels every issue gets", () => {
    const mapping = {
      always: ["feedback"],
      byCategory: { Bug: ["bug", "triage"] },
      byPriority: { Critical: ["triage", "p0"] },
    };
    expect(labelsFor(mapping, ticket())).toEqual(["feedback", "bug", "triage", "p0"]);
  });

  it("names what is wrong in invalid settings: a missing field, an unknown one, a category that does not exist", () => {
    const missing = parseTrackerSettings("jira", { project: "FT" });
    expect(!missing.ok && missing.message).toMatch(/Invalid jira settings[\s\S]*email/);
    const unknown = parseTrackerSettings("linear", { teamId: "t", team: "x" });
    expect(!unknown.ok && unknown.message).toMatch(/team/);
    const category = parseTrackerSettings("github", { repository: "a/b", rules: [{ categories: ["Bugs"] }] });
    expect(!category.ok && category.message).toMatch(/rules\[0\]\.categories/);
  });

  it("closes the issue as completed for a closed ticket, as not planned for a rejected or merged one", () => {
    expect(draftOf(ticket({ status: "closed" }), "ticket.updated")).toMatchObject({
      state: "closed",
      closedAs: "completed",
    });
    expect(draftOf(ticket({ status: "rejected" }), "ticket.updated")).toMatchObject({
      state: "closed",
      closedAs: "not_planned",
    });
    expect(draftOf(ticket(), "ticket.merged")).toMatchObject({ state: "closed", closedAs: "not_planned" });
    expect(draftOf(ticket({ status: "approved" }), "ticket.updated")).toMatchObject({ state: "open" });
  });
});
