import type { SqlClient, SqlExecutor } from "../db/sql.js";
import {
  type ErasedTicket,
  type ErasureAudit,
  type ErasureCounts,
  type ErasureRecord,
  type ErasureReport,
  type ErasureSubject,
  noErasureCounts,
  type PersonalDataStore,
} from "../ports/personal-data.js";
import {
  isSubjectsItem,
  mentionPattern,
  REDACTED,
  redactedItem,
  redactMentions,
  redactRecord,
  sqlPrefilter,
} from "./personal-data-redaction.js";

export interface SqlPersonalDataStoreOptions {
  /**
   * Whether the queue and the DLQ are the `queue_messages` table of this database (the embedded queue), so
   * their bodies can be searched. On AWS they are SQS queues, which cannot be searched without receiving them.
   */
  queueInDatabase: boolean;
  /** Said in `notSearched` when the queue is elsewhere. */
  queueElsewhere?: string;
}

/** The marker a ticket made from the person's feedback gets instead of its description. */
export const ERASED_DESCRIPTION = `${REDACTED} Personal data erased on request; category, priority and status kept for statistics.`;

interface ItemRow {
  id: string;
  source_type: string;
  source_id: string;
  payload: Record<string, unknown>;
}

interface TicketRow {
  id: string;
  source_type: string;
  source_id: string;
  title: string;
  description: string;
  technical_details: Record<string, unknown>;
  review_reasons: unknown[];
}

const key = (sourceType: string, sourceId: string) => JSON.stringify([sourceType, sourceId]);

/**
 * PersonalDataStore over the PostgreSQL database (embedded PGlite or RDS): feedback_items, tickets,
 * ticket_history, processing_logs and (when the queue lives there) queue_messages, in one transaction.
 * Rows are found by a broad regular expression in SQL, then decided and rewritten here, string by string
 * (a JSON document is never edited as text).
 */
export class SqlPersonalDataStore implements PersonalDataStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlPersonalDataStoreOptions,
  ) {}

  erase(
    subject: ErasureSubject,
    options: { dryRun: boolean; audit: ErasureAudit; erasedElsewhere?: Partial<ErasureCounts> },
  ): Promise<ErasureReport> {
    return this.sql.transaction(async (tx) => {
      const report = await new Erasure(tx, subject, options.dryRun, options.audit.requestId).run(
        this.options.queueInDatabase,
      );
      report.counts = { ...report.counts, ...options.erasedElsewhere };
      if (!this.options.queueInDatabase)
        report.notSearched.push(this.options.queueElsewhere ?? "queue and dead-letter queue: not in this database");
      if (!options.dryRun) {
        const { audit } = options;
        const { rows } = await tx.query<{ erased_at: Date | string }>(
          `INSERT INTO privacy_erasures (request_id, actor, subject_kind, subject_hash, salt, counts, ticket_ids)
           VALUES ($1::text::uuid, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING erased_at`,
          [
            audit.requestId,
            audit.actor,
            subject.kind,
            audit.subjectHash,
            audit.salt,
            JSON.stringify(report.counts),
            JSON.stringify(report.tickets.map((ticket) => ticket.id)),
          ],
        );
        report.erasedAt = new Date(rows[0]!.erased_at).toISOString();
      }
      return report;
    });
  }

  async erasures(options: { limit?: number } = {}): Promise<ErasureRecord[]> {
    const { rows } = await this.sql.query<{
      request_id: string;
      actor: string;
      subject_kind: "email" | "name";
      subject_hash: string;
      salt: string;
      counts: ErasureCounts;
      ticket_ids: string[];
      erased_at: Date | string;
    }>(
      `SELECT request_id::text AS request_id, actor, subject_kind, subject_hash, salt, counts, ticket_ids, erased_at
       FROM privacy_erasures ORDER BY erased_at DESC, request_id LIMIT $1`,
      [options.limit ?? 100],
    );
    return rows.map((row) => ({
      requestId: row.request_id,
      actor: row.actor,
      subjectKind: row.subject_kind,
      subjectHash: row.subject_hash,
      salt: row.salt,
      counts: row.counts,
      ticketIds: row.ticket_ids,
      erasedAt: new Date(row.erased_at).toISOString(),
    }));
  }
}

/** One erasure inside its transaction: finds, rewrites (unless a dry run) and counts. */
class Erasure {
  private readonly pattern: RegExp;
  private readonly prefilter: string;
  private readonly counts: ErasureCounts = noErasureCounts();
  private readonly tickets = new Map<string, ErasedTicket["scope"]>();

  constructor(
    private readonly tx: SqlExecutor,
    private readonly subject: ErasureSubject,
    private readonly dryRun: boolean,
    private readonly requestId: string,
  ) {
    this.pattern = mentionPattern(subject);
    this.prefilter = sqlPrefilter(subject);
  }

  private mentions<T>(value: T): { value: T; changed: boolean } {
    return redactMentions(value, this.pattern);
  }

  private async write(text: string, params: readonly unknown[]): Promise<void> {
    if (!this.dryRun) await this.tx.query(text, params);
  }

  async run(queueInDatabase: boolean): Promise<ErasureReport> {
    const keys = await this.feedbackItems();
    await this.ticketRows(keys);
    await this.groupCopies(keys);
    await this.history();
    await this.logs(keys);
    if (queueInDatabase) await this.queueMessages();
    return {
      counts: this.counts,
      tickets: [...this.tickets].map(([id, scope]) => ({ id, scope })).sort((a, b) => a.id.localeCompare(b.id)),
      notSearched: [],
      erasedAt: null,
    };
  }

  /** The person's items redacted whole, the others that name them redacted where they do; their keys. */
  private async feedbackItems(): Promise<Set<string>> {
    const { rows } = await this.tx.query<ItemRow>(
      `SELECT id::text AS id, source_type, source_id, payload FROM feedback_items WHERE payload::text ~* $1`,
      [this.prefilter],
    );
    const keys = new Set<string>();
    for (const row of rows) {
      if (isSubjectsItem(row.payload, this.subject)) {
        keys.add(key(row.source_type, row.source_id));
        this.counts.feedbackItems++;
        await this.write(`UPDATE feedback_items SET payload = $2::jsonb WHERE id = $1::text::uuid`, [
          row.id,
          JSON.stringify(redactedItem(row.payload, this.requestId)),
        ]);
        continue;
      }
      const redacted = this.mentions(row.payload);
      if (!redacted.changed) continue;
      this.counts.feedbackMentions++;
      await this.write(`UPDATE feedback_items SET payload = $2::jsonb WHERE id = $1::text::uuid`, [
        row.id,
        JSON.stringify(redacted.value),
      ]);
    }
    return keys;
  }

  /** Tickets made from the person's items (personal content replaced) and tickets quoting them. */
  private async ticketRows(keys: Set<string>): Promise<void> {
    const { rows } = await this.tx.query<TicketRow>(
      `SELECT id::text AS id, source_type, source_id, title, description, technical_details, review_reasons
       FROM tickets
       WHERE (source_type, source_id) IN (SELECT x->>0, x->>1 FROM jsonb_array_elements($1::jsonb) x)
          OR (title || ' ' || description || ' ' || technical_details::text || ' ' || review_reasons::text) ~* $2`,
      [`[${[...keys].join(",")}]`, this.prefilter],
    );
    for (const row of rows) {
      const own = keys.has(key(row.source_type, row.source_id));
      const after: Record<string, unknown> = own
        ? {
            title: REDACTED,
            description: ERASED_DESCRIPTION,
            technicalDetails: redactRecord(row.technical_details),
            reviewReasons: this.mentions(row.review_reasons).value,
          }
        : this.changedFields(row);
      if (Object.keys(after).length === 0) continue;
      this.tickets.set(row.id, own ? "item" : "mention");
      this.counts.tickets++;
      await this.write(
        `UPDATE tickets SET title = $2, description = $3, technical_details = $4::jsonb, review_reasons = $5::jsonb,
                version = version + 1, updated_at = now()
         WHERE id = $1::text::uuid`,
        [
          row.id,
          after.title ?? row.title,
          after.description ?? row.description,
          JSON.stringify(after.technicalDetails ?? row.technical_details),
          JSON.stringify(after.reviewReasons ?? row.review_reasons),
        ],
      );
      // Integration events sent or waiting carry the title as it was: they get the redacted one.
      if (after.title !== undefined) {
        await this.write(
          `UPDATE integration_events SET data = data || jsonb_build_object('title', $2::text) WHERE ticket_id = $1::text::uuid`,
          [row.id, after.title],
        );
      }
      // The change is recorded with what it wrote (nothing personal), never with what it removed.
      await this.write(
        `INSERT INTO ticket_history (ticket_id, actor, reason, before, after) VALUES ($1::text::uuid, 'privacy', $2, '{}'::jsonb, $3::jsonb)`,
        [row.id, `personal data erased (request ${this.requestId})`, JSON.stringify(after)],
      );
    }
  }

  /**
   * What duplicate grouping keeps of their feedback: the quotes a group ticket shows (theirs dropped, others naming
   * them redacted) and their items' embeddings (derived from their text: deleted).
   */
  private async groupCopies(keys: Set<string>): Promise<void> {
    const theirs = `[${[...keys].join(",")}]`;
    const ownItems = `SELECT id FROM feedback_items
      WHERE (source_type, source_id) IN (SELECT x->>0, x->>1 FROM jsonb_array_elements($1::jsonb) x)`;
    const embeddings = await this.tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM item_embeddings WHERE feedback_item_id IN (${ownItems})`,
      [theirs],
    );
    this.counts.embeddings += embeddings.rows[0]?.n ?? 0;
    await this.write(`DELETE FROM item_embeddings WHERE feedback_item_id IN (${ownItems})`, [theirs]);
    const ownSourceIds = new Set([...keys].map((k) => (JSON.parse(k) as [string, string])[1]));
    const { rows } = await this.tx.query<{ id: string; quotes: { sourceId?: string; text?: string }[] }>(
      `SELECT id::text AS id, quotes FROM tickets WHERE quotes <> '[]'::jsonb
         AND (quotes::text ~* $2 OR EXISTS (SELECT 1 FROM jsonb_array_elements(quotes) q
              WHERE q->>'sourceId' IN (SELECT x->>1 FROM jsonb_array_elements($1::jsonb) x)))`,
      [theirs, this.prefilter],
    );
    for (const row of rows) {
      const kept = row.quotes.filter((q) => !ownSourceIds.has(q.sourceId ?? ""));
      const redacted = this.mentions(kept);
      if (kept.length === row.quotes.length && !redacted.changed) continue;
      if (!this.tickets.has(row.id)) {
        this.tickets.set(row.id, "mention");
        this.counts.tickets++;
      }
      await this.write(
        `UPDATE tickets SET quotes = $2::jsonb, version = version + 1, updated_at = now() WHERE id = $1::text::uuid`,
        [row.id, JSON.stringify(redacted.value)],
      );
    }
  }

  private changedFields(row: TicketRow): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const title = this.mentions(row.title);
    if (title.changed) fields.title = title.value;
    const description = this.mentions(row.description);
    if (description.changed) fields.description = description.value;
    const details = this.mentions(row.technical_details);
    if (details.changed) fields.technicalDetails = details.value;
    const reasons = this.mentions(row.review_reasons);
    if (reasons.changed) fields.reviewReasons = reasons.value;
    return fields;
  }

  /** Earlier history of the tickets touched (an edit's before/after holds old titles) and any naming them. */
  private async history(): Promise<void> {
    const own = [...this.tickets].filter(([, scope]) => scope === "item").map(([id]) => id);
    const { rows } = await this.tx.query<{
      id: string;
      ticket_id: string;
      reason: string | null;
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    }>(
      `SELECT id::text AS id, ticket_id::text AS ticket_id, reason, before, after FROM ticket_history
       WHERE actor <> 'privacy'
         AND (ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)
              OR (coalesce(reason, '') || ' ' || before::text || ' ' || after::text) ~* $2)`,
      [JSON.stringify(own), this.prefilter],
    );
    const ownIds = new Set(own);
    for (const row of rows) {
      const whole = ownIds.has(row.ticket_id);
      const before = whole ? redactRecord(row.before) : this.mentions(row.before).value;
      const after = whole ? redactRecord(row.after) : this.mentions(row.after).value;
      const reason = row.reason === null ? null : this.mentions(row.reason).value;
      if (JSON.stringify([before, after, reason]) === JSON.stringify([row.before, row.after, row.reason])) continue;
      this.counts.ticketHistory++;
      await this.write(
        `UPDATE ticket_history SET before = $2::jsonb, after = $3::jsonb, reason = $4 WHERE id = $1::bigint`,
        [row.id, JSON.stringify(before), JSON.stringify(after), reason],
      );
    }
  }

  /** The crew's logs of the person's items (free text gone, figures kept) and any log naming them; counted per step. */
  private async logs(keys: Set<string>): Promise<void> {
    const { rows } = await this.tx.query<{ id: string; source_type: string; source_id: string; steps: unknown }>(
      `SELECT id::text AS id, source_type, source_id, steps FROM processing_logs
       WHERE (source_type, source_id) IN (SELECT x->>0, x->>1 FROM jsonb_array_elements($1::jsonb) x)
          OR steps::text ~* $2`,
      [`[${[...keys].join(",")}]`, this.prefilter],
    );
    for (const row of rows) {
      const whole = keys.has(key(row.source_type, row.source_id));
      const { steps: redacted, changed } = this.redactSteps(row.steps, whole);
      if (changed === 0) continue;
      this.counts.processingLogs += changed;
      await this.write(`UPDATE processing_logs SET steps = $2::jsonb WHERE id = $1::bigint`, [
        row.id,
        JSON.stringify(redacted),
      ]);
    }
  }

  /** A log row's steps with each result redacted (all of it for the person's own items), and how many changed. */
  private redactSteps(stored: unknown, whole: boolean): { steps: unknown[]; changed: number } {
    let changed = 0;
    const steps = (Array.isArray(stored) ? stored : []).map((step: { result?: unknown }) => {
      const result = whole ? redactRecord(step.result) : this.mentions(step.result).value;
      if (JSON.stringify(result) === JSON.stringify(step.result)) return step;
      changed++;
      return { ...step, result };
    });
    return { steps, changed };
  }

  /** Messages of the person's items not processed yet are deleted; messages naming them are redacted. */
  private async queueMessages(): Promise<void> {
    const { rows } = await this.tx.query<{ id: string; body: { item?: unknown }; dead: boolean }>(
      `SELECT id::text AS id, body,
              queue IN (SELECT dead_letter_queue FROM queues WHERE dead_letter_queue IS NOT NULL) AS dead
       FROM queue_messages WHERE body::text ~* $1`,
      [this.prefilter],
    );
    for (const row of rows) {
      const own = isSubjectsItem(row.body?.item, this.subject);
      const redacted = own ? null : this.mentions(row.body);
      if (redacted && !redacted.changed) continue;
      if (row.dead) this.counts.deadLetters++;
      else this.counts.queueMessages++;
      if (own) await this.write(`DELETE FROM queue_messages WHERE id = $1::text::uuid`, [row.id]);
      else
        await this.write(`UPDATE queue_messages SET body = $2::json WHERE id = $1::text::uuid`, [
          row.id,
          JSON.stringify(redacted!.value),
        ]);
    }
  }
}
