/**
 * Ingest's duplicate check (issue #20): how long the store takes to say which of 1,000 keys already have a ticket,
 * with the keys joined to the unique index as two arrays (TicketStore.existingKeys, `unnest`) against the form it
 * replaced, an OR of 1,000 (source_type, source_id) pairs as Prisma generated it, in the same run on the same
 * database. Half the keys exist. Seeds `--tickets` tickets into a fresh PGlite folder, or into the PostgreSQL
 * database of DATABASE_URL (its tickets table must be empty: use a scratch database).
 *
 *   npm run bench:duplicate-check [-- --tickets 50000 --rounds 20]
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../sdk/db/open-database.js";
import type { SqlClient } from "../sdk/db/sql.js";
import { TicketStore } from "../sdk/store/ticket-store.js";
import { insertTickets } from "../sdk/store/ticket-writer.js";
import { benchArgs, wholeNumber, withUsage } from "./support/bench-args.js";
import { benchTicket } from "./support/tickets.js";

const USAGE = "Usage: npm run bench:duplicate-check [-- --tickets 50000 --rounds 20]";
const values = benchArgs(USAGE, {
  tickets: { type: "string", default: "50000" },
  rounds: { type: "string", default: "20" },
});
const TICKETS = withUsage(USAGE, () => wholeNumber(values.tickets, "--tickets"));
const ROUNDS = withUsage(USAGE, () => wholeNumber(values.rounds, "--rounds"));
const KEYS = 1000;

/** The replaced form: `WHERE (source_type = $1 AND source_id = $2) OR ...`, one pair per key. */
async function orOfPairs(sql: SqlClient, keys: string[]): Promise<number> {
  const params: string[] = [];
  const pairs = keys.map((key) => {
    const split = key.indexOf(":");
    params.push(key.slice(0, split), key.slice(split + 1));
    return `(source_type = $${params.length - 1} AND source_id = $${params.length})`;
  });
  const { rows } = await sql.query(`SELECT source_type, source_id FROM tickets WHERE ${pairs.join(" OR ")}`, params);
  return rows.length;
}

/** 1,000 keys of round `r`: every other one a seeded ticket's, the rest absent. */
function keysOf(round: number): string[] {
  return Array.from({ length: KEYS }, (_, i) => {
    const n = (round * KEYS + i) % TICKETS;
    const seeded = benchTicket(n).item;
    return i % 2 ? `${seeded.sourceType}:${seeded.sourceId}` : `app_store_review:absent-${round}-${i}`;
  });
}

async function timed(run: () => Promise<number>): Promise<{ ms: number; found: number }> {
  const started = performance.now();
  const found = await run();
  return { ms: performance.now() - started, found };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || undefined;
  const dataDir = url ? undefined : await mkdtemp(path.join(os.tmpdir(), "ft-bench-dup-"));
  const database = await openDatabase(url ? { databaseUrl: url } : { dataDir, role: "owner" });
  try {
    for (let i = 0; i < TICKETS; i += 2000)
      await insertTickets(
        database.sql,
        Array.from({ length: Math.min(2000, TICKETS - i) }, (_, j) => benchTicket(i + j)),
      );
    const store = new TicketStore(database, { afterCommit: async () => undefined });
    const joined: number[] = [];
    const ored: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const keys = keysOf(round);
      // Alternating which goes first, so neither always finds the cache warm.
      const runs = [
        () => timed(async () => (await store.existingKeys(keys)).size),
        () => timed(() => orOfPairs(database.sql, keys)),
      ];
      const [a, b] = round % 2 ? [runs[1]!, runs[0]!] : [runs[0]!, runs[1]!];
      const first = await a();
      const second = await b();
      const [join, or] = round % 2 ? [second, first] : [first, second];
      if (join.found !== or.found) throw new Error(`round ${round}: join found ${join.found}, OR ${or.found}`);
      joined.push(join.ms);
      ored.push(or.ms);
    }
    const j = median(joined);
    const o = median(ored);
    console.log(`${database.kind}, ${TICKETS} tickets, ${ROUNDS} rounds of ${KEYS} keys (half present), medians:`);
    console.log(`  unnest join  ${j.toFixed(1)} ms per 1,000 keys`);
    console.log(`  OR of pairs  ${o.toFixed(1)} ms per 1,000 keys`);
    console.log(`  join / OR = ${(j / o).toFixed(3)} (the limit: 1.0, the form it replaced)`);
  } finally {
    await database.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
