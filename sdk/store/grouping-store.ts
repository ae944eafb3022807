import type { SqlClient, SqlExecutor } from "../db/sql.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type {
  GroupingApplied,
  GroupingDecision,
  GroupingItem,
  GroupingScope,
  MergeMeta,
  ThreadReply,
  TicketGrouping,
} from "../ports/grouping.js";
import { PRIORITIES, type Priority } from "../schemas/feedback.js";
import type { GroupingStatus, MergeSuggestion, ReachPriorityRule } from "../schemas/grouping.js";
import { QUOTE_CHARS } from "./ticket-writer.js";

/** Representative quotes a group keeps. */
export const MAX_QUOTES = 5;

/** Statuses of a ticket an item may join without reopening it. */
const OPEN_STATUSES = `('open', 'needs_review', 'approved')`;

const ITEM_COLUMNS = `t.id::text AS ticket_id, t.feedback_item_id::text AS feedback_item_id, t.source_id, t.source_type,
  t.app, t.category, t.status, t.priority, t.title, COALESCE(fi.payload->>'text', t.description) AS text,
  fi.payload->>'subject' AS subject,
  NULLIF(btrim(COALESCE(fi.payload->>'appVersion', t.technical_details->>'appVersion')), '') AS app_version,
  NULLIF(btrim(COALESCE(t.technical_details->>'platform', fi.payload->>'platform')), '') AS platform,
  t.technical_details->>'affectedFeature' AS affected_feature, t.reach, t.created_at`;

interface ItemRow {
  ticket_id: string;
  feedback_item_id: string | null;
  source_id: string;
  source_type: GroupingItem["sourceType"];
  app: string | null;
  category: GroupingItem["category"];
  status: GroupingItem["status"];
  priority: Priority;
  title: string;
  text: string;
  subject: string | null;
  app_version: string | null;
  platform: string | null;
  affected_feature: string | null;
  reach: number;
  created_at: Date | string;
}

const toItem = (row: ItemRow): GroupingItem => ({
  ticketId: row.ticket_id,
  feedbackItemId: row.feedback_item_id ?? row.ticket_id,
  sourceId: row.source_id,
  sourceType: row.source_type,
  app: row.app,
  category: row.category,
  status: row.status,
  priority: row.priority,
  title: row.title,
  text: row.subject ? `${row.subject}. ${row.text}` : row.text,
  appVersion: row.app_version,
  platform: row.platform,
  affectedFeature: row.affected_feature,
  reach: row.reach,
  createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
});

interface GroupRow {
  id: string;
  app: string | null;
  status: string;
  priority: Priority;
  reach: number;
  merged_into: string | null;
}

const SUGGESTION_COLUMNS = `s.id::text AS id, s.ticket_id::text AS ticket_id, t.title AS ticket_title,
  s.target_id::text AS target_id, g.title AS target_title, t.app, s.score, s.status, s.created_at`;

interface SuggestionRow {
  id: string;
  ticket_id: string;
  ticket_title: string;
  target_id: string;
  target_title: string;
  app: string | null;
  score: number;
  status: MergeSuggestion["status"];
  created_at: Date | string;
}

const toSuggestion = (row: SuggestionRow): MergeSuggestion => ({
  id: row.id,
  ticketId: row.ticket_id,
  ticketTitle: row.ticket_title,
  targetId: row.target_id,
  targetTitle: row.target_title,
  app: row.app,
  score: Number(row.score),
  status: row.status,
  createdAt: (row.created_at instanceof Date ? row.created_at : new Date(row.created_at)).toISOString(),
});

const uuidList = (ids: readonly string[]) => JSON.stringify(ids);

/** Duplicate grouping on the ticket tables (PGlite or PostgreSQL); see the TicketGrouping port. */
export class SqlTicketGrouping implements TicketGrouping {
  constructor(private readonly sql: SqlClient) {}

  async threadReplies(since: Date, limit: number): Promise<ThreadReply[]> {
    const { rows } = await this.sql.query<{ ticket_id: string; thread_ticket_id: string; message_id: string }>(
      `SELECT r.id::text AS ticket_id, root.target AS thread_ticket_id, root.mid AS message_id
       FROM tickets r
       JOIN feedback_items fi ON fi.id = r.feedback_item_id
       CROSS JOIN LATERAL (
         SELECT COALESCE(t.merged_into, t.id)::text AS target, refs.mid
         FROM jsonb_array_elements_text(
                COALESCE(fi.payload #> '{metadata,email,references}', '[]'::jsonb)
                || jsonb_build_array(fi.payload #>> '{metadata,email,inReplyTo}')
              ) WITH ORDINALITY AS refs(mid, n)
         JOIN tickets t ON t.source_type = 'email' AND t.source_id = 'email:' || refs.mid
         WHERE t.id <> r.id AND t.app IS NOT DISTINCT FROM r.app
         ORDER BY refs.n
         LIMIT 1
       ) root
       WHERE r.source_type = 'email' AND r.merged_into IS NULL AND r.created_at >= $1
         AND root.target <> r.id::text
       ORDER BY r.created_at, r.id
       LIMIT $2`,
      [since, limit],
    );
    return rows.map((r) => ({ ticketId: r.ticket_id, threadTicketId: r.thread_ticket_id, messageId: r.message_id }));
  }

  async pending(limit: number): Promise<GroupingItem[]> {
    const { rows } = await this.sql.query<ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM tickets t LEFT JOIN feedback_items fi ON fi.id = t.feedback_item_id
       WHERE t.grouped_at IS NULL AND t.merged_into IS NULL ORDER BY t.created_at, t.id LIMIT $1`,
      [limit],
    );
    return rows.map(toItem);
  }

  async candidates(scopes: readonly GroupingScope[], closedSince: Date, perScope: number): Promise<GroupingItem[]> {
    const found: GroupingItem[] = [];
    for (const scope of scopes) {
      const { rows } = await this.sql.query<ItemRow>(
        `SELECT ${ITEM_COLUMNS} FROM tickets t LEFT JOIN feedback_items fi ON fi.id = t.feedback_item_id
         WHERE t.merged_into IS NULL AND t.grouped_at IS NOT NULL AND t.category = $1
           AND ${scope.app === null ? "t.app IS NULL" : "t.app = $4"}
           AND (t.status IN ${OPEN_STATUSES} OR (t.status = 'closed' AND t.updated_at >= $2::timestamptz))
         ORDER BY t.last_seen_at DESC NULLS LAST, t.id LIMIT $3`,
        scope.app === null
          ? [scope.category, closedSince.toISOString(), perScope]
          : [scope.category, closedSince.toISOString(), perScope, scope.app],
      );
      found.push(...rows.map(toItem));
    }
    return found;
  }

  async embeddings(feedbackItemIds: readonly string[], model: string): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    if (feedbackItemIds.length === 0) return found;
    const { rows } = await this.sql.query<{ id: string; vector: number[] }>(
      `SELECT feedback_item_id::text AS id, vector FROM item_embeddings
       WHERE model = $2 AND feedback_item_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)`,
      [uuidList(feedbackItemIds), model],
    );
    for (const row of rows) found.set(row.id, Float32Array.from(row.vector));
    return found;
  }

  async saveEmbeddings(
    model: string,
    rows: readonly { feedbackItemId: string; vector: ArrayLike<number> }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const input = rows.map((r) => ({
      id: r.feedbackItemId,
      vector: Array.from(r.vector, (x) => Number(x.toFixed(6))),
    }));
    await this.sql.query(
      `INSERT INTO item_embeddings (feedback_item_id, model, vector)
       SELECT x.id, $2, ARRAY(SELECT e.v::real FROM jsonb_array_elements_text(x.vector) WITH ORDINALITY AS e(v, n) ORDER BY e.n)
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, vector jsonb)
       WHERE EXISTS (SELECT 1 FROM feedback_items fi WHERE fi.id = x.id)
       ON CONFLICT (feedback_item_id) DO UPDATE SET model = EXCLUDED.model, vector = EXCLUDED.vector`,
      [JSON.stringify(input), model],
    );
  }

  async apply(
    decisions: readonly GroupingDecision[],
    priorityRules: readonly ReachPriorityRule[],
  ): Promise<GroupingApplied> {
    const applied: GroupingApplied = { joined: 0, suggested: 0, reopened: [], raised: [] };
    if (decisions.length === 0) return applied;
    return this.sql.transaction(async (tx) => {
      // Only tickets still pending: another stage (or a person) may have grouped or folded them meanwhile.
      const { rows } = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM tickets WHERE grouped_at IS NULL AND merged_into IS NULL
           AND id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) FOR UPDATE`,
        [uuidList(decisions.map((d) => d.ticketId))],
      );
      const still = new Set(rows.map((r) => r.id));
      const targets = new Set<string>();
      for (const decision of decisions) {
        if (!still.has(decision.ticketId)) continue;
        if (decision.kind === "join") {
          const target = await lockTicket(tx, decision.targetId);
          // The target may have been folded meanwhile: follow it to its group (one hop is all a merge leaves).
          const into = target?.merged_into ? await lockTicket(tx, target.merged_into) : target;
          if (into && !into.merged_into && into.id !== decision.ticketId) {
            const reopened = await fold(tx, decision.ticketId, into, {
              actor: "grouping",
              reason: `same problem (similarity ${decision.similarity.toFixed(2)})`,
              similarity: decision.similarity,
            });
            if (reopened) applied.reopened.push(into.id);
            targets.add(into.id);
            applied.joined += 1;
            continue;
          }
        } else if (decision.kind === "suggest") {
          await tx.query(
            `INSERT INTO merge_suggestions (ticket_id, target_id, score) VALUES ($1, $2, $3)
             ON CONFLICT (ticket_id, target_id) DO NOTHING`,
            [decision.ticketId, decision.targetId, decision.similarity],
          );
          applied.suggested += 1;
        }
        await tx.query(`UPDATE tickets SET grouped_at = now() WHERE id = $1`, [decision.ticketId]);
      }
      for (const id of targets) if (await raisePriority(tx, id, priorityRules)) applied.raised.push(id);
      return applied;
    });
  }

  async merge(into: string, ids: readonly string[], meta: MergeMeta): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const target = await lockTicket(tx, into);
      if (!target) throw new NotFoundError(`No ticket ${into}`);
      if (target.merged_into)
        throw new ConflictError(`Ticket ${into} is itself merged into ${target.merged_into}`, {
          hint: `Merge into ${target.merged_into} instead.`,
        });
      for (const id of ids) {
        if (id === into) throw new ValidationError("A ticket cannot be merged into itself");
        const source = await lockTicket(tx, id);
        if (!source) throw new NotFoundError(`No ticket ${id}`);
        if (source.merged_into === into) continue;
        if (source.merged_into)
          throw new ConflictError(`Ticket ${id} is already merged into ${source.merged_into}`, {
            hint: "Unmerge its item first.",
          });
        if (source.app !== target.app)
          throw new ValidationError(
            `Ticket ${id} is about app ${source.app ?? "(none)"}, ${into} about ${target.app ?? "(none)"}: grouping never crosses apps`,
          );
        await fold(tx, id, target, meta);
        target.reach += source.reach;
      }
    });
  }

  async unmerge(ticketId: string, item: string, meta: MergeMeta): Promise<string> {
    return this.sql.transaction(async (tx) => {
      const group = await lockTicket(tx, ticketId);
      if (!group) throw new NotFoundError(`No ticket ${ticketId}`);
      const { rows } = await tx.query<{ item_id: string; source_id: string }>(
        `SELECT fi.id::text AS item_id, fi.source_id FROM ticket_items ti JOIN feedback_items fi ON fi.id = ti.feedback_item_id
         WHERE ti.ticket_id = $1 AND (fi.source_id = $2 OR fi.source_type || ':' || fi.source_id = $2)`,
        [ticketId, item],
      );
      if (rows.length === 0)
        throw new NotFoundError(`Ticket ${ticketId} has no item ${item}`, {
          hint: `See its items with 'feedback-cli tickets show ${ticketId.slice(0, 8)}'.`,
        });
      if (rows.length > 1) throw new ValidationError(`${item} names several items: give sourceType:sourceId`);
      const { item_id: itemId, source_id: sourceId } = rows[0]!;
      const own = await tx.query<{ id: string }>(
        `SELECT id::text AS id FROM tickets WHERE feedback_item_id = $1 FOR UPDATE`,
        [itemId],
      );
      const ownId = own.rows[0]?.id;
      if (!ownId) throw new NotFoundError(`Item ${item} has no ticket of its own to go back to`);
      if (ownId === ticketId)
        throw new ValidationError(`${item} is ticket ${ticketId}'s own item: it cannot leave its own ticket`, {
          hint: "Unmerge the other items instead.",
        });
      await tx.query(
        `UPDATE ticket_items SET ticket_id = $2, added_by = $3, similarity = NULL, added_at = now() WHERE feedback_item_id = $1`,
        [itemId, ownId, meta.actor],
      );
      await tx.query(
        `UPDATE tickets SET merged_into = NULL, grouped_at = COALESCE(grouped_at, now()), version = version + 1,
                updated_at = now() WHERE id = $1`,
        [ownId],
      );
      const before = group.reach;
      await recompute(tx, [ticketId, ownId]);
      const after = await lockTicket(tx, ticketId);
      await history(tx, ticketId, meta, { reach: before }, { reach: after?.reach ?? before - 1, unmerged: sourceId });
      await history(tx, ownId, meta, { mergedInto: ticketId }, { mergedInto: null });
      return ownId;
    });
  }

  async suggestions(status: MergeSuggestion["status"] = "pending", limit = 200): Promise<MergeSuggestion[]> {
    const { rows } = await this.sql.query<SuggestionRow>(
      `SELECT ${SUGGESTION_COLUMNS} FROM merge_suggestions s JOIN tickets t ON t.id = s.ticket_id
       JOIN tickets g ON g.id = s.target_id WHERE s.status = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2`,
      [status, limit],
    );
    return rows.map(toSuggestion);
  }

  async decideSuggestion(id: string, decision: "accepted" | "dismissed", meta: MergeMeta): Promise<MergeSuggestion> {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundError(`No merge suggestion ${id}`);
    const { rows } = await this.sql.query<SuggestionRow>(
      `SELECT ${SUGGESTION_COLUMNS} FROM merge_suggestions s JOIN tickets t ON t.id = s.ticket_id
       JOIN tickets g ON g.id = s.target_id WHERE s.id = $1`,
      [id],
    );
    const suggestion = rows[0];
    if (!suggestion)
      throw new NotFoundError(`No merge suggestion ${id}`, {
        hint: "List them with 'feedback-cli tickets suggestions'.",
      });
    if (suggestion.status !== "pending") throw new ConflictError(`Suggestion ${id} was ${suggestion.status} already`);
    if (decision === "accepted")
      await this.merge(suggestion.target_id, [suggestion.ticket_id], {
        ...meta,
        reason: meta.reason ?? `accepted merge suggestion ${id}`,
        similarity: Number(suggestion.score),
      });
    await this.sql.query(
      `UPDATE merge_suggestions SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1`,
      [id, decision, meta.actor],
    );
    return toSuggestion({ ...suggestion, status: decision });
  }

  async status(): Promise<Omit<GroupingStatus, "enabled">> {
    const { rows } = await this.sql.query<{ pending: number; oldest: Date | string | null; now: Date | string }>(
      `SELECT count(*)::int AS pending, min(created_at) AS oldest, now() AS now FROM tickets
       WHERE grouped_at IS NULL AND merged_into IS NULL`,
    );
    const counts = await this.sql.query<{ suggestions: number; merged: number }>(
      `SELECT (SELECT count(*)::int FROM merge_suggestions WHERE status = 'pending') AS suggestions,
              (SELECT count(*)::int FROM tickets WHERE merged_into IS NOT NULL) AS merged`,
    );
    const row = rows[0]!;
    const time = (v: Date | string) => (v instanceof Date ? v : new Date(v)).getTime();
    return {
      pending: row.pending,
      lagSeconds: row.oldest ? Math.max(0, (time(row.now) - time(row.oldest)) / 1000) : 0,
      pendingSuggestions: counts.rows[0]?.suggestions ?? 0,
      merged: counts.rows[0]?.merged ?? 0,
    };
  }
}

async function lockTicket(tx: SqlExecutor, id: string): Promise<GroupRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await tx.query<GroupRow>(
    `SELECT id::text AS id, app, status, priority, reach, merged_into::text AS merged_into FROM tickets WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

async function history(
  tx: SqlExecutor,
  ticketId: string,
  meta: MergeMeta,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    `INSERT INTO ticket_history (ticket_id, actor, reason, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
    [ticketId, meta.actor, meta.reason ?? null, JSON.stringify(before), JSON.stringify(after)],
  );
}

/**
 * Folds `sourceId` (with every item of its group) into `target`: items move, the source row stays as its
 * item's triage record (merged_into), the target's reach, seen times, versions, platforms and quotes grow, and
 * a closed target reopens as a regression. Returns whether it reopened.
 */
async function fold(tx: SqlExecutor, sourceId: string, target: GroupRow, meta: MergeMeta): Promise<boolean> {
  await tx.query(`UPDATE ticket_items SET ticket_id = $2, added_by = $3, similarity = $4 WHERE ticket_id = $1`, [
    sourceId,
    target.id,
    meta.actor,
    meta.similarity ?? null,
  ]);
  // Tickets folded into the source earlier now belong to the target's group.
  await tx.query(`UPDATE tickets SET merged_into = $2 WHERE merged_into = $1`, [sourceId, target.id]);
  const reopen = target.status === "closed";
  const { rows } = await tx.query<{ reach: number }>(
    `WITH source AS (
       UPDATE tickets SET merged_into = $2, grouped_at = COALESCE(grouped_at, now()), version = version + 1,
              updated_at = now()
       WHERE id = $1
       RETURNING reach, first_seen_at, last_seen_at, versions, platforms, quotes
     )
     UPDATE tickets g SET
       reach = g.reach + s.reach,
       first_seen_at = LEAST(g.first_seen_at, s.first_seen_at),
       last_seen_at = GREATEST(g.last_seen_at, s.last_seen_at),
       versions = (SELECT COALESCE(jsonb_agg(DISTINCT v), '[]') FROM jsonb_array_elements(g.versions || s.versions) v),
       platforms = (SELECT COALESCE(jsonb_agg(DISTINCT p), '[]') FROM jsonb_array_elements(g.platforms || s.platforms) p),
       quotes = CASE WHEN jsonb_array_length(g.quotes) >= ${MAX_QUOTES} THEN g.quotes
                ELSE (SELECT COALESCE(jsonb_agg(q ORDER BY n), '[]') FROM jsonb_array_elements(g.quotes || s.quotes)
                      WITH ORDINALITY AS x(q, n) WHERE n <= ${MAX_QUOTES}) END,
       status = CASE WHEN $3 THEN 'open' ELSE g.status END,
       regressed_at = CASE WHEN $3 THEN now() ELSE g.regressed_at END,
       version = g.version + 1, updated_at = now()
     FROM source s WHERE g.id = $2
     RETURNING g.reach`,
    [sourceId, target.id, reopen],
  );
  const reach = rows[0]?.reach ?? target.reach;
  await history(
    tx,
    target.id,
    meta,
    reopen ? { reach: target.reach, status: "closed" } : { reach: target.reach },
    reopen
      ? { reach, merged: sourceId, status: "open", regression: true }
      : { reach, merged: sourceId, ...(meta.similarity != null ? { similarity: meta.similarity } : {}) },
  );
  await history(tx, sourceId, meta, { mergedInto: null }, { mergedInto: target.id });
  await tx.query(
    `UPDATE merge_suggestions SET status = CASE WHEN target_id = $2 THEN 'accepted' ELSE 'dismissed' END,
            decided_at = now(), decided_by = $3
     WHERE status = 'pending' AND (ticket_id = $1 OR target_id = $1)`,
    [sourceId, target.id, meta.actor],
  );
  if (reopen) target.status = "open";
  return reopen;
}

/** Recomputes the group facts of these tickets from their items (after an item left). */
async function recompute(tx: SqlExecutor, ids: readonly string[]): Promise<void> {
  await tx.query(
    `WITH facts AS (
       SELECT ti.ticket_id, COALESCE((fi.payload->>'submittedAt')::timestamptz, fi.received_at) AS seen, fi.source_id,
              left(COALESCE(fi.payload->>'text', ''), ${QUOTE_CHARS}) AS text,
              NULLIF(btrim(COALESCE(fi.payload->>'appVersion', o.technical_details->>'appVersion')), '') AS ver,
              NULLIF(btrim(COALESCE(o.technical_details->>'platform', fi.payload->>'platform')), '') AS plat
       FROM ticket_items ti JOIN feedback_items fi ON fi.id = ti.feedback_item_id
       LEFT JOIN tickets o ON o.feedback_item_id = fi.id
       WHERE ti.ticket_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)
     ), agg AS (
       SELECT ticket_id, count(*)::int AS reach, min(seen) AS first_seen, max(seen) AS last_seen,
              COALESCE(jsonb_agg(DISTINCT ver) FILTER (WHERE ver IS NOT NULL), '[]') AS versions,
              COALESCE(jsonb_agg(DISTINCT plat) FILTER (WHERE plat IS NOT NULL), '[]') AS platforms,
              (SELECT COALESCE(jsonb_agg(jsonb_build_object('sourceId', q.source_id, 'text', q.text) ORDER BY q.seen), '[]')
                 FROM (SELECT * FROM facts f2 WHERE f2.ticket_id = f.ticket_id ORDER BY f2.seen LIMIT ${MAX_QUOTES}) q) AS quotes
       FROM facts f GROUP BY ticket_id
     )
     UPDATE tickets t SET reach = agg.reach, first_seen_at = agg.first_seen, last_seen_at = agg.last_seen,
            versions = agg.versions, platforms = agg.platforms, quotes = agg.quotes, version = t.version + 1,
            updated_at = now()
     FROM agg WHERE t.id = agg.ticket_id`,
    [uuidList(ids)],
  );
}

const rank = (priority: string) => PRIORITIES.indexOf(priority as Priority);

/**
 * Raises the ticket's priority to the highest one whose rule holds (at least `minReach` items written in the
 * last `withinDays` days); never lowers it. Records the change in the history. Returns whether it rose.
 */
async function raisePriority(tx: SqlExecutor, id: string, rules: readonly ReachPriorityRule[]): Promise<boolean> {
  if (rules.length === 0) return false;
  const current = await lockTicket(tx, id);
  if (!current) return false;
  let best: Priority | null = null;
  for (const rule of rules) {
    if (best && rank(rule.priority) >= rank(best)) continue;
    if (rank(rule.priority) >= rank(current.priority)) continue;
    if (current.reach < rule.minReach) continue;
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket_items ti JOIN feedback_items fi ON fi.id = ti.feedback_item_id
       WHERE ti.ticket_id = $1
         AND COALESCE((fi.payload->>'submittedAt')::timestamptz, fi.received_at) >= now() - make_interval(secs => $2)`,
      [id, rule.withinDays * 86_400],
    );
    if ((rows[0]?.n ?? 0) >= rule.minReach) best = rule.priority;
  }
  if (!best) return false;
  await tx.query(`UPDATE tickets SET priority = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
    id,
    best,
  ]);
  await history(
    tx,
    id,
    { actor: "grouping", reason: `reach ${current.reach}: priority rule` },
    { priority: current.priority },
    { priority: best },
  );
  return true;
}
