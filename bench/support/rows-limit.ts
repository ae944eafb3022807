import type { SqlClient } from "../../sdk/db/sql.js";
import { LocalQueue } from "../../sdk/local/queue.js";
import { type CopyInput, type CopyTransport, copyTransport } from "./copy.js";

/**
 * The rows limit of issue 20: what the database needs to store the rows a pipeline run stored, measured as a COPY
 * of those same rows back into the same tables (their indexes, foreign keys and rollup triggers included), a batch
 * of items at a time, each batch in one transaction as the worker commits, plus one queue message per item COPY'd
 * into the queue: a lower bound of the database's work per item, the pipeline cannot go faster than it on the
 * thread the database runs on. Receiving and deleting the messages cannot be a COPY: they are timed after it, through
 * the queue itself, a batch at a time, as the database's limit (the rows, plus the queue's round trip).
 */

/** A table the pipeline writes per item, as `x`, and the batch each of its rows goes in. */
interface PerItemTable {
  table: string;
  joins: string;
  chunk: string;
}

// Each row goes in the batch of the item it came from, or later, never before a row it refers to (the
// ticket's founding item, a grouped item's ticket).
const PER_ITEM_TABLES: readonly PerItemTable[] = [
  { table: "feedback_items", joins: "JOIN bench_chunks i ON i.item_id = x.id", chunk: "i.chunk" },
  { table: "item_embeddings", joins: "JOIN bench_chunks i ON i.item_id = x.feedback_item_id", chunk: "i.chunk" },
  { table: "tickets", joins: "JOIN bench_chunks i ON i.item_id = x.feedback_item_id", chunk: "i.chunk" },
  {
    table: "ticket_items",
    joins: `JOIN bench_chunks i ON i.item_id = x.feedback_item_id JOIN tickets t ON t.id = x.ticket_id
      JOIN bench_chunks f ON f.item_id = t.feedback_item_id`,
    chunk: "greatest(i.chunk, f.chunk)",
  },
  {
    table: "processing_logs",
    joins: `LEFT JOIN feedback_items fi ON fi.source_type = x.source_type AND fi.source_id = x.source_id
      LEFT JOIN bench_chunks i ON i.item_id = fi.id
      LEFT JOIN tickets t ON t.id = x.ticket_id LEFT JOIN bench_chunks f ON f.item_id = t.feedback_item_id`,
    chunk: "greatest(coalesce(i.chunk, 0), coalesce(f.chunk, 0))",
  },
];
/** Kept by triggers on the tables above: emptied with them, filled again by the COPY. */
const TRIGGER_KEPT = ["ticket_rollups", "ticket_panel_rollups", "integration_events"];

export interface RowsLimit {
  /** Milliseconds of database time per item to COPY the stored rows, then also the queue's message. */
  storedRowsMsPerItem: number;
  withQueueRowMsPerItem: number;
  itemsPerSecond: number;
  /** The rows with the queue's message, then the message received and deleted: the database's limit. */
  withQueueRoundTripMsPerItem: number;
  withQueueRoundTripItemsPerSecond: number;
  rows: Record<string, number>;
  /** Each table's COPY statements (its indexes, foreign keys and triggers included), per item. */
  msPerItemByTable: Record<string, number>;
}

interface PreparedCopy {
  table: string;
  target: string;
  input: CopyInput;
}

async function copyColumns(sql: SqlClient, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** An export's rows as COPY text, split by batch (the export's first column), from batch `first` on. */
function splitByChunk(text: string, first: number, count: number): string[][] {
  const byChunk: string[][] = Array.from({ length: count }, () => []);
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const tab = line.indexOf("\t");
    byChunk[Number(line.slice(0, tab)) - first]!.push(line.slice(tab + 1));
  }
  return byChunk;
}

/** Rows to COPY into `target`: `select` over `from`, each row in batch `chunk`. */
interface RowSource {
  table: string;
  target: string;
  select: string;
  from: string;
  chunk: string;
}

// Exported this many batches at a time, so that the text in memory stays small whatever the number of items.
const CHUNKS_PER_EXPORT = 40;

async function prepareCopies(transport: CopyTransport, source: RowSource, chunks: number) {
  const prepared: (PreparedCopy | null)[] = [];
  let rows = 0;
  for (let first = 0; first < chunks; first += CHUNKS_PER_EXPORT) {
    const last = Math.min(chunks, first + CHUNKS_PER_EXPORT) - 1;
    const text = await transport.exportText(
      `SELECT ${source.chunk}, ${source.select} FROM ${source.from} WHERE ${source.chunk} BETWEEN ${first} AND ${last}`,
    );
    for (const lines of splitByChunk(text, first, last - first + 1)) {
      rows += lines.length;
      const input = lines.length ? await transport.prepare(`${lines.join("\n")}\n`) : null;
      prepared.push(input && { table: source.table, target: source.target, input });
    }
  }
  return { rows, prepared };
}

async function tableSource(sql: SqlClient, spec: PerItemTable): Promise<RowSource> {
  const columns = await copyColumns(sql, spec.table);
  return {
    table: spec.table,
    target: `${spec.table} (${columns.map((c) => `"${c}"`).join(", ")})`,
    select: columns.map((c) => `x."${c}"`).join(", "),
    from: `${spec.table} x ${spec.joins}`,
    chunk: spec.chunk,
  };
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** One queue message per item, its body the item's payload, in the queue the pipeline read. */
const queueSource = (queue: string): RowSource => ({
  table: "queue_messages",
  target: "queue_messages (id, queue, body, expires_at)",
  select: `gen_random_uuid(), ${literal(queue)}, x.payload::json, now() + interval '14 days'`,
  from: "feedback_items x JOIN bench_chunks i ON i.item_id = x.id",
  chunk: "i.chunk",
});

/** TRUNCATE, once sure that no other table holds rows referring to them (the bench's run writes none). */
async function emptyTables(sql: SqlClient, tables: readonly string[]) {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT DISTINCT conrelid::regclass::text AS name FROM pg_constraint
      WHERE contype = 'f' AND confrelid::regclass::text = ANY($1) AND NOT conrelid::regclass::text = ANY($1)`,
    [tables],
  );
  for (const { name } of rows) {
    const { rows: found } = await sql.query(`SELECT 1 FROM ${name} LIMIT 1`);
    if (found.length) throw new Error(`the rows limit does not cover ${name}, which the run wrote to`);
  }
  await sql.query(`TRUNCATE ${tables.join(", ")} CASCADE`);
}

/** The total time, and each table's statements' share of it (the rest is the transactions' begin and commit). */
async function timeCopies(transport: CopyTransport, batches: readonly (readonly (PreparedCopy | null)[])[]) {
  const byTable: Record<string, number> = {};
  const started = performance.now();
  for (const batch of batches) {
    await transport.transaction(async (tx) => {
      for (const copy of batch) {
        if (!copy) continue;
        const copyStarted = performance.now();
        await tx.copyFrom(copy.target, copy.input);
        byTable[copy.table] = (byTable[copy.table] ?? 0) + performance.now() - copyStarted;
      }
    });
  }
  return { ms: performance.now() - started, byTable };
}

/** Receives and deletes every message of the queue `batchSize` at a time, as the worker does. */
async function timeReceiveAndDelete(sql: SqlClient, queueName: string, batchSize: number, expected: number) {
  const queue = await LocalQueue.open(sql, queueName);
  let received = 0;
  let deleteMs = 0;
  const started = performance.now();
  for (let batch = await queue.receive({ maxMessages: batchSize }); batch.length > 0; ) {
    received += batch.length;
    const deleteStarted = performance.now();
    await queue.deleteBatch(batch.map((m) => m.receiptHandle));
    deleteMs += performance.now() - deleteStarted;
    batch = await queue.receive({ maxMessages: batchSize });
  }
  const ms = performance.now() - started;
  if (received !== expected) throw new Error(`the queue gave back ${received} of the ${expected} messages COPY'd`);
  return { ms, byTable: { "queue_messages receive": ms - deleteMs, "queue_messages delete": deleteMs } };
}

/**
 * Exports the rows the run stored, empties their tables and COPYs the rows back `batchSize` items at a time. The
 * database keeps the same rows afterwards (the rollups recomputed by their triggers); the queue's messages are then
 * received and deleted.
 */
export async function measureRowsLimit(sql: SqlClient, queueName: string, batchSize: number): Promise<RowsLimit> {
  const transport = await copyTransport(sql);
  try {
    await sql.query(
      `CREATE TABLE bench_chunks AS
         SELECT id AS item_id, ((row_number() OVER (ORDER BY received_at, id) - 1) / ${batchSize})::int AS chunk
           FROM feedback_items`,
    );
    await sql.query("CREATE UNIQUE INDEX ON bench_chunks (item_id)");
    const items = Number((await sql.query<{ n: string }>("SELECT count(*) AS n FROM bench_chunks")).rows[0]!.n);
    const chunks = Math.ceil(items / batchSize);
    const tables: Awaited<ReturnType<typeof prepareCopies>>[] = [];
    for (const spec of PER_ITEM_TABLES) {
      tables.push(await prepareCopies(transport, await tableSource(sql, spec), chunks));
    }
    const queueRows = (await prepareCopies(transport, queueSource(queueName), chunks)).prepared;
    await emptyTables(sql, [...PER_ITEM_TABLES.map((t) => t.table), ...TRIGGER_KEPT]);
    const batch = (k: number) => tables.map((t) => t.prepared[k] ?? null);
    const stored = await timeCopies(
      transport,
      Array.from({ length: chunks }, (_, k) => batch(k)),
    );
    const queue = await timeCopies(
      transport,
      Array.from({ length: chunks }, (_, k) => [queueRows[k] ?? null]),
    );
    const roundTrip = await timeReceiveAndDelete(sql, queueName, batchSize, items);
    const rows = Object.fromEntries(PER_ITEM_TABLES.map((spec, i) => [spec.table, tables[i]!.rows]));
    return {
      storedRowsMsPerItem: stored.ms / items,
      withQueueRowMsPerItem: (stored.ms + queue.ms) / items,
      itemsPerSecond: items / ((stored.ms + queue.ms) / 1000),
      withQueueRoundTripMsPerItem: (stored.ms + queue.ms + roundTrip.ms) / items,
      withQueueRoundTripItemsPerSecond: items / ((stored.ms + queue.ms + roundTrip.ms) / 1000),
      rows: { ...rows, queue_messages: items },
      msPerItemByTable: Object.fromEntries(
        Object.entries({ ...stored.byTable, ...queue.byTable, ...roundTrip.byTable }).map(([table, ms]) => [
          table,
          ms / items,
        ]),
      ),
    };
  } finally {
    await sql.query("DROP TABLE IF EXISTS bench_chunks");
    await transport.close();
  }
}
