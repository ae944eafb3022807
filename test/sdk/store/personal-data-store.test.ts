import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ErasureSubject } from "../../../sdk/ports/personal-data.js";
import { mentionPattern, redactMentions } from "../../../sdk/store/personal-data-redaction.js";
import { SqlPersonalDataStore } from "../../../sdk/store/personal-data-store.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody, makeNewTicket } from "../../support/factories.js";
import { makeDestination } from "../../support/integration-factories.js";

const audit = () => ({ requestId: randomUUID(), actor: "dpo", subjectHash: "0".repeat(64), salt: "s" });
const redact = (subject: ErasureSubject, text: string) => redactMentions(text, mentionPattern(subject)).value;

describe("mention patterns", () => {
  it("match a name as whole words in any case and spacing, not inside longer names", () => {
    const ann: ErasureSubject = { value: "ann lee", kind: "name" };
    expect(redact(ann, "Thanks, ANN  Lee. Annabel Leeds and Joann Lee stay.")).toBe(
      "Thanks, [redacted]. Annabel Leeds and Joann Lee stay.",
    );
  });

  it("match an address whole, also before a full stop, not a longer address", () => {
    const ann: ErasureSubject = { value: "ann@example.com", kind: "email" };
    expect(redact(ann, "Mail Ann@Example.com. Not joann@example.com or ann@example.com.au")).toBe(
      "Mail [redacted]. Not joann@example.com or ann@example.com.au",
    );
  });
});

describe("SqlPersonalDataStore", () => {
  let t: TestBackend;
  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(async () => {
    await t.close();
  });

  it("finds a name with accented letters whatever their case", async () => {
    const ticket = makeNewTicket({ item: makeItem({ author: "Émile Zoë", text: "Merci, ÉMILE ZOË" }) });
    await insertTickets(t.db.sql, [ticket]);
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: true });
    const report = await store.erase({ value: "émile zoë", kind: "name" }, { dryRun: false, audit: audit() });
    expect(report.counts.feedbackItems).toBe(1);
    const { rows } = await t.db.sql.query<{ row: string }>("SELECT row_to_json(x)::text AS row FROM feedback_items x");
    expect(rows.map((r) => r.row).join("\n")).not.toMatch(/émile|zoë/i);
  });

  it("redacts the title in the integration events of their tickets, sent or waiting", async () => {
    await t.backend.integrations.saveDestination(makeDestination());
    const ticket = makeNewTicket({ title: "Ann Lee cannot log in", item: makeItem({ author: "Ann Lee" }) });
    await insertTickets(t.db.sql, [ticket]);
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: true });
    await store.erase({ value: "ann lee", kind: "name" }, { dryRun: false, audit: audit() });
    const { rows } = await t.db.sql.query<{ data: string }>("SELECT data::text FROM integration_events");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.data).join("\n")).not.toMatch(/ann lee/i);
  });

  it("says the queue was not searched when it is not in the database (SQS), and leaves its messages", async () => {
    await t.backend.queue.send([{ body: makeMessageBody(makeItem({ author: "Ann Lee" })) }]);
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: false, queueElsewhere: "queue: SQS" });
    const report = await store.erase({ value: "ann lee", kind: "name" }, { dryRun: false, audit: audit() });
    expect(report.notSearched).toContain("queue: SQS");
    expect(report.counts.queueMessages).toBe(0);
    expect((await t.backend.queue.depth()).visible).toBe(1);
  });

  it("redacts each log step naming them and counts the steps, keeping the other steps as they were", async () => {
    const step = (agent: string, result: Record<string, unknown>) => ({
      agent,
      action: "run",
      result,
      confidence: null,
      durationMs: 1,
      tokensIn: null,
      tokensOut: null,
    });
    const kept = step("classifier", { category: "Bug" });
    const other = makeNewTicket({
      item: makeItem({ author: "Bob", text: "Crash" }),
      logs: [kept, step("writer", { note: "as Ann Lee said" }), step("critic", { quote: "Ann Lee" })],
    });
    await insertTickets(t.db.sql, [other]);
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: true });
    const report = await store.erase({ value: "ann lee", kind: "name" }, { dryRun: false, audit: audit() });
    expect(report.counts.processingLogs).toBe(2);
    const { rows } = await t.db.sql.query<{ steps: unknown[] }>("SELECT steps FROM processing_logs");
    expect(rows).toEqual([
      { steps: [kept, step("writer", { note: "as [redacted] said" }), step("critic", { quote: "[redacted]" })] },
    ]);
  });

  it("drops their quotes from group tickets and deletes their items' embeddings", async () => {
    const theirs = makeNewTicket({ item: makeItem({ sourceId: "r-ann", author: "Ann Lee", text: "Export crashes" }) });
    const other = makeNewTicket({ item: makeItem({ sourceId: "r-bob", author: "Bob", text: "Export crashes too" }) });
    await insertTickets(t.db.sql, [theirs, other]);
    const quotes = [
      { sourceId: "r-bob", text: "Export crashes too" },
      { sourceId: "r-ann", text: "Export crashes" },
    ];
    await t.db.sql.query("UPDATE tickets SET quotes = $1::jsonb WHERE source_id = 'r-bob'", [JSON.stringify(quotes)]);
    await t.db.sql.query(
      `INSERT INTO item_embeddings (feedback_item_id, model, vector)
       SELECT id, 'use-lite', ARRAY[0.1, 0.2]::real[] FROM feedback_items`,
    );
    const store = new SqlPersonalDataStore(t.db.sql, { queueInDatabase: true });
    const report = await store.erase({ value: "ann lee", kind: "name" }, { dryRun: false, audit: audit() });
    expect(report.counts.embeddings).toBe(1);
    const group = await t.db.sql.query<{ quotes: unknown }>("SELECT quotes FROM tickets WHERE source_id = 'r-bob'");
    expect(group.rows[0]!.quotes).toEqual([{ sourceId: "r-bob", text: "Export crashes too" }]);
    const left = await t.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM item_embeddings");
    expect(left.rows[0]!.n).toBe(1);
  });
});
