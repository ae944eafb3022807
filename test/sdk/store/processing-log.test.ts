import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProcessingLogEntry } from "../../../sdk/schemas/ticket.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeNewTicket } from "../../support/factories.js";

const step = (agent: string, extra: Partial<ProcessingLogEntry> = {}): ProcessingLogEntry => ({
  agent,
  action: "run",
  result: { by: agent },
  confidence: null,
  durationMs: 1,
  tokensIn: null,
  tokensOut: null,
  ...extra,
});

describe("processing logs, one row per item write", () => {
  let fixture: TestBackend;
  beforeAll(async () => {
    fixture = await openTestBackend();
  });
  afterAll(() => fixture?.close());

  const rowsOf = async (sourceId: string) =>
    (
      await fixture.db.sql.query<{ steps: unknown[] }>(
        "SELECT steps FROM processing_logs WHERE source_id = $1 ORDER BY id",
        [sourceId],
      )
    ).rows;

  it("stores a triaged ticket's steps as one row, in the order the crew ran them", async () => {
    const logs = [step("router"), step("claude", { confidence: 0.8, tokensIn: 2000, tokensOut: 100 }), step("critic")];
    const ticket = makeNewTicket({ logs });
    await insertTickets(fixture.db.sql, [ticket]);
    expect(await rowsOf(ticket.item.sourceId)).toEqual([{ steps: logs }]);
  });

  it("shows the ticket each step, stamped with the time of its write", async () => {
    const ticket = makeNewTicket({ logs: [step("classifier"), step("critic")] });
    await insertTickets(fixture.db.sql, [ticket]);
    const logs = (await fixture.backend.tickets.get(ticket.id))?.logs ?? [];
    expect(logs.map((log) => log.agent)).toEqual(["classifier", "critic"]);
    expect(new Set(logs.map((log) => log.createdAt)).size).toBe(1);
  });

  it("writes no row for a ticket whose crew logged nothing", async () => {
    const ticket = makeNewTicket({ logs: [] });
    await insertTickets(fixture.db.sql, [ticket]);
    expect(await rowsOf(ticket.item.sourceId)).toEqual([]);
  });

  it("records a failed attempt as one row with the worker's step", async () => {
    const item = makeItem();
    await fixture.backend.tickets.recordFailure({
      sourceType: item.sourceType,
      sourceId: item.sourceId,
      messageId: "m-1",
      error: "boom",
      receiveCount: 2,
    });
    expect(await rowsOf(item.sourceId)).toEqual([
      {
        steps: [{ ...step("worker", { durationMs: 0 }), action: "failed", result: { error: "boom", receiveCount: 2 } }],
      },
    ]);
  });
});
