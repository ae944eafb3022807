import { createHash, randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import { deleteDeadLetters } from "../../../app/dlq/dlq-service.js";
import { eraseAuthor, erasureSubject } from "../../../app/privacy/erase-service.js";
import { ErasureResult } from "../../../app/privacy/erasure-result.js";
import { retriageTickets } from "../../../app/tickets/retriage.js";
import { ValidationError } from "../../../sdk/errors.js";
import type { NewTicket } from "../../../sdk/ports/tickets.js";
import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { insertTickets } from "../../../sdk/store/ticket-writer.js";
import { openTestBackend, type TestBackend } from "../../support/backend.js";
import { makeItem, makeMessageBody, makeNewTicket } from "../../support/factories.js";

const LENA_EMAIL = "lena.fischer@example.com";
const LENA_NAME = "Lena Fischer";
/** Every table that may hold feedback text, dumped as JSON text (lower-cased) to search it. */
const TABLES = ["feedback_items", "tickets", "ticket_history", "processing_logs", "queue_messages", "privacy_erasures"];

/** A ticket of Lena's, as the worker writes it: her address as author, her name in the text, title and logs. */
function lenasTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  const item = makeItem({
    sourceType: "email",
    author: LENA_EMAIL,
    subject: "Crash after update",
    text: `The app crashes on start since 4.2.0. Regards, ${LENA_NAME}`,
  });
  return makeNewTicket({
    item,
    title: `[BUG] Crash on start reported by ${LENA_NAME}`,
    description: item.text,
    technicalDetails: { stepsToReproduce: [`${LENA_NAME} opens the app`], platform: "iOS", severity: "critical" },
    logs: [
      {
        agent: "ticket_writer",
        action: "write",
        result: { title: `Crash reported by ${LENA_NAME}`, contact: LENA_EMAIL },
        confidence: null,
        durationMs: 1,
        tokensIn: null,
        tokensOut: null,
      },
    ],
    ...overrides,
  });
}

/** Tom's ticket, which quotes Lena (her address) in its text. */
function tomQuotingLena(): NewTicket {
  const item = makeItem({
    author: "Tom Baker",
    text: `Same crash as my colleague (${LENA_EMAIL}) reported; please fix.`,
  });
  return makeNewTicket({ item, title: "[BUG] Crash on start", description: item.text });
}

describe("eraseAuthor", () => {
  let t: TestBackend;

  beforeEach(async () => {
    t = await openTestBackend();
  });
  afterEach(async () => {
    await t.close();
  });

  async function dump(): Promise<string> {
    const parts: string[] = [];
    for (const table of TABLES) {
      const { rows } = await t.db.sql.query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM ${table} x`);
      parts.push(...rows.map((r) => r.row));
    }
    return parts.join("\n").toLowerCase();
  }

  async function rowOf(table: string, id: string): Promise<string> {
    const { rows } = await t.db.sql.query<{ row: string }>(
      `SELECT row_to_json(x)::text AS row FROM ${table} x WHERE id = $1::text::uuid`,
      [id],
    );
    return rows[0]!.row;
  }

  /** Lena's ticket with a manual edit in its history, a queued and a dead-lettered item of hers, Tom's quote. */
  async function seedLenaEverywhere(): Promise<{ lena: NewTicket; tom: NewTicket }> {
    const lena = lenasTicket();
    const tom = tomQuotingLena();
    await insertTickets(t.db.sql, [lena, tom]);
    await t.backend.tickets.update(
      lena.id,
      { title: `Crash for ${LENA_NAME} on iOS` },
      { actor: "olivia", reason: `asked by ${LENA_NAME}` },
    );
    await t.backend.queue.send([{ body: makeMessageBody(makeItem({ author: LENA_EMAIL, text: "Second mail." })) }]);
    await t.db.sql.query(
      `INSERT INTO queue_messages (id, queue, body, expires_at, dead_lettered_at, last_error)
       VALUES ($1::text::uuid, $2, $3::jsonb, now() + interval '1 day', now(), 'boom')`,
      [randomUUID(), t.backend.dlq.name, JSON.stringify(makeMessageBody(makeItem({ author: LENA_NAME })))],
    );
    return { lena, tom };
  }

  /** A dead letter of `item`, deleted by an operator: its copy kept as an artifact. The copy's key. */
  async function deletedDeadLetter(item: FeedbackItem): Promise<string> {
    const id = randomUUID();
    await t.db.sql.query(
      `INSERT INTO queue_messages (id, queue, body, expires_at, dead_lettered_at, last_error)
       VALUES ($1::text::uuid, $2, $3::jsonb, now() + interval '1 day', now(), $4)`,
      [id, t.backend.dlq.name, JSON.stringify(makeMessageBody(item)), `agent failed on ${item.text}`],
    );
    const { kept } = await deleteDeadLetters(t.backend, [id]);
    return kept[0]!;
  }

  const artifactText = async (key: string) => new TextDecoder().decode((await t.backend.artifacts.get(key))!);

  it("erases the kept copy of their deleted dead letter, keeping what statistics read", async () => {
    const key = await deletedDeadLetter(makeItem({ author: LENA_EMAIL, text: `Hi, ${LENA_NAME} here.` }));
    expect((await artifactText(key)).toLowerCase()).toContain(LENA_EMAIL);
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    expect(result.counts.artifacts).toBe(1);
    const copy = JSON.parse(await artifactText(key));
    expect(JSON.stringify(copy).toLowerCase()).not.toMatch(/lena|fischer/);
    expect(copy.body.item).toMatchObject({
      text: "[redacted]",
      author: null,
      redacted: { requestId: result.requestId },
    });
    expect(copy).toMatchObject({ preview: "[redacted]", sourceType: "app_store_review" });
  });

  it("redacts only the mention in the kept copy of someone else's dead letter naming them", async () => {
    const key = await deletedDeadLetter(makeItem({ author: "Tom Baker", text: `Ask ${LENA_NAME} about it.` }));
    await eraseAuthor(t.backend, { author: LENA_NAME, dryRun: false, actor: "dpo" });
    const copy = JSON.parse(await artifactText(key));
    expect(copy.body.item).toMatchObject({ author: "Tom Baker", text: "Ask [redacted] about it." });
  });

  it("redacts their address quoted by an upload report's rejected row", async () => {
    const key = "uploads/feedback-uploads/emails/batch.csv.report.json";
    const report = { read: 2, errors: [{ line: 2, field: "submittedAt", message: `"${LENA_EMAIL}" is not a date` }] };
    await t.backend.artifacts.put(key, JSON.stringify(report));
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    expect(result.counts.artifacts).toBe(1);
    expect(JSON.parse(await artifactText(key)).errors[0].message).toBe('"[redacted]" is not a date');
  });

  it("counts the artifacts a dry run would rewrite and leaves them as they are", async () => {
    const key = await deletedDeadLetter(makeItem({ author: LENA_EMAIL }));
    const before = await artifactText(key);
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: true, actor: "dpo" });
    expect(result.counts.artifacts).toBe(1);
    expect(await artifactText(key)).toBe(before);
  });

  it("records the artifacts rewritten in the audit entry", async () => {
    await deletedDeadLetter(makeItem({ author: LENA_EMAIL }));
    await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    const [record] = await t.backend.privacy.erasures();
    expect(record!.counts.artifacts).toBe(1);
  });

  it("erases the person's e-mail address from every table", async () => {
    await seedLenaEverywhere();
    expect(await dump()).toContain(LENA_EMAIL);
    const result = await eraseAuthor(t.backend, {
      author: ` ${LENA_EMAIL.toUpperCase()} `,
      dryRun: false,
      actor: "dpo",
    });
    expect(result.counts).toMatchObject({ feedbackItems: 1, feedbackMentions: 1, tickets: 2, queueMessages: 1 });
    expect(await dump()).not.toContain(LENA_EMAIL);
  });

  it("erases the person's name from every table, their dead letters included", async () => {
    await seedLenaEverywhere();
    const result = await eraseAuthor(t.backend, { author: "  lena   FISCHER ", dryRun: false, actor: "dpo" });
    expect(result.counts.deadLetters).toBe(1);
    expect(await dump()).not.toContain(LENA_NAME.toLowerCase());
  });

  it("keeps category, priority and status of a ticket made from their feedback and replaces its text", async () => {
    const { lena } = await seedLenaEverywhere();
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    const ticket = await t.backend.tickets.get(lena.id);
    expect(result.tickets).toContainEqual({ id: lena.id, scope: "item" });
    expect(ticket).toMatchObject({ category: "Bug", priority: "High", status: "needs_review", title: "[redacted]" });
    expect(ticket!.feedback).toMatchObject({ text: "[redacted]", author: null, metadata: {} });
    expect(ticket!.technicalDetails).toMatchObject({ platform: "iOS", severity: "critical" });
    expect(ticket!.history.at(-1)).toMatchObject({ actor: "privacy", before: {} });
  });

  it("redacts only the quote in a ticket that quoted them", async () => {
    const { tom } = await seedLenaEverywhere();
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    expect(result.tickets).toContainEqual({ id: tom.id, scope: "mention" });
    const ticket = await t.backend.tickets.get(tom.id);
    expect(ticket!.description).toBe("Same crash as my colleague ([redacted]) reported; please fix.");
    expect(ticket!.feedback).toMatchObject({ author: "Tom Baker" });
  });

  it("leaves other people's data untouched", async () => {
    await seedLenaEverywhere();
    const other = makeNewTicket({ item: makeItem({ author: "Lena Fischerova", text: "Lena Fischerova likes it." }) });
    await insertTickets(t.db.sql, [other]);
    const before = [await rowOf("tickets", other.id), await rowOf("feedback_items", other.id)];
    await eraseAuthor(t.backend, { author: LENA_NAME, dryRun: false, actor: "dpo" });
    expect([await rowOf("tickets", other.id), await rowOf("feedback_items", other.id)]).toEqual(before);
  });

  it("counts what it would change on a dry run and changes nothing", async () => {
    await seedLenaEverywhere();
    const before = await dump();
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: true, actor: "dpo" });
    expect(result).toMatchObject({ dryRun: true, found: true, audit: null });
    expect(result.counts.feedbackItems).toBe(1);
    expect(await dump()).toBe(before);
  });

  it("records an audit entry with counts, operator and a salted hash, and no personal data", async () => {
    await seedLenaEverywhere();
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    const [record] = await t.backend.privacy.erasures();
    expect(record).toMatchObject({ requestId: result.requestId, actor: "dpo", subjectKind: "email" });
    expect(record!.counts).toEqual(result.counts);
    expect(record!.subjectHash).toBe(createHash("sha256").update(`${record!.salt}:${LENA_EMAIL}`).digest("hex"));
    const { rows } = await t.db.sql.query<{ row: string }>(
      "SELECT row_to_json(x)::text AS row FROM privacy_erasures x",
    );
    expect(rows[0]!.row.toLowerCase()).not.toMatch(/lena|fischer/);
  });

  it("no longer finds their tickets by a search for their name", async () => {
    const { lena } = await seedLenaEverywhere();
    expect((await t.backend.tickets.list({ search: "Fischer" })).items.map((x) => x.id)).toContain(lena.id);
    await eraseAuthor(t.backend, { author: LENA_NAME, dryRun: false, actor: "dpo" });
    expect((await t.backend.tickets.list({ search: "Fischer" })).items).toEqual([]);
  });

  it("treats an item whose metadata carries their address (a mail's from) as theirs", async () => {
    const item = makeItem({
      author: "Support desk",
      metadata: { from: `Lena F. <${LENA_EMAIL}>` },
      text: "Forwarded.",
    });
    await insertTickets(t.db.sql, [makeNewTicket({ item })]);
    const result = await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    expect(result.counts.feedbackItems).toBe(1);
  });

  it("reports an unknown author as nothing found, changing nothing but the audit", async () => {
    await seedLenaEverywhere();
    const result = await eraseAuthor(t.backend, { author: "nobody@example.com", dryRun: false, actor: "dpo" });
    expect(result.found).toBe(false);
    expect(Object.values(result.counts).every((n) => n === 0)).toBe(true);
    expect(result.tickets).toEqual([]);
    expect(ErasureResult.parse(result)).toEqual(result);
  });

  it("refuses a blank or too short author", () => {
    expect(() => erasureSubject("  ")).toThrow(ValidationError);
    expect(() => erasureSubject("Al")).toThrow(/at least 3 characters/);
    expect(erasureSubject("Lena F. <LENA@Example.com>")).toEqual({ value: "lena@example.com", kind: "email" });
  });

  it("makes re-triage skip a ticket whose feedback was erased", async () => {
    const { lena } = await seedLenaEverywhere();
    await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    const summary = await retriageTickets(t.backend, createOfflineAgents(), {}, { dryRun: true });
    expect(summary.skipped).toContainEqual({ id: lena.id, reason: "feedback erased on request" });
  });

  it("leaves an erased item out of the stored feedback the Quality page evaluates", async () => {
    const { lena, tom } = await seedLenaEverywhere();
    await eraseAuthor(t.backend, { author: LENA_EMAIL, dryRun: false, actor: "dpo" });
    const stored = await t.backend.insights.storedFeedbackItems([lena.item.sourceId, tom.item.sourceId]);
    expect(stored.map((item) => item.sourceId)).toEqual([tom.item.sourceId]);
  });
});
