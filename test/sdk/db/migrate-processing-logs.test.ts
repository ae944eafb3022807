import { describe, expect, it } from "vitest";
import { migrate } from "../../../sdk/db/migrate.js";
import type { PgliteSqlClient } from "../../../sdk/db/pglite-client.js";
import { databaseBefore } from "../../support/database-before.js";

const PER_ITEM = "20261209000200_processing_logs_per_item";
const TICKET = "00000000-0000-4000-8000-0000000000c1";
const TRIAGED = "2026-12-01T10:00:00.000Z";
const RETRIAGED = "2026-12-02T10:00:00.000Z";
const FAILED = "2026-11-30T09:00:00.000Z";

/** The old shape: a triage (two steps), a later re-triage (one step), a failed attempt, inserted out of order. */
async function insertOldRows(sql: PgliteSqlClient): Promise<void> {
  await sql.query(
    `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status, content_hash)
     VALUES ($1::text::uuid, 'app_store_review', 'R-1', 'Crash', 'It crashes', 'Bug', 'High', 0.9, 'open', 'h')`,
    [TICKET],
  );
  await sql.query(
    `INSERT INTO processing_logs (id, ticket_id, source_type, source_id, message_id, agent, action, result, confidence,
                                  duration_ms, tokens_in, tokens_out, created_at)
     VALUES (1, NULL, 'app_store_review', 'R-1', 'm-0', 'worker', 'failed', '{"error":"boom"}', NULL, 0, NULL, NULL, $2),
            (3, $1::text::uuid, 'app_store_review', 'R-1', 'm-1', 'classifier', 'classify', '{"category":"Bug"}', 0.9, 1.5, NULL, NULL, $3),
            (2, $1::text::uuid, 'app_store_review', 'R-1', 'm-1', 'router', 'route', '{"path":"claude"}', NULL, 0.1, NULL, NULL, $3),
            (4, $1::text::uuid, 'app_store_review', 'R-1', NULL, 'claude', 'triage', '{"model":"claude-haiku-4-5","costUsd":0.002}', 0.8, 900, 2000, 100, $4)`,
    [TICKET, FAILED, TRIAGED, RETRIAGED],
  );
}

describe("processing logs per item migration", () => {
  it("folds each write's step rows into one row, steps in id order, every field kept", async () => {
    const { pglite, sql } = await databaseBefore(PER_ITEM);
    try {
      await insertOldRows(sql);

      expect((await migrate(sql)).applied).toContain(PER_ITEM);

      const { rows } = await sql.query(
        `SELECT ticket_id::text AS ticket_id, source_type, source_id, message_id, steps, created_at
         FROM processing_logs ORDER BY id`,
      );
      const step = { confidence: null, durationMs: 0, tokensIn: null, tokensOut: null };
      expect(rows).toEqual([
        {
          ticket_id: null,
          source_type: "app_store_review",
          source_id: "R-1",
          message_id: "m-0",
          steps: [{ ...step, agent: "worker", action: "failed", result: { error: "boom" } }],
          created_at: new Date(FAILED),
        },
        {
          ticket_id: TICKET,
          source_type: "app_store_review",
          source_id: "R-1",
          message_id: "m-1",
          steps: [
            { ...step, agent: "router", action: "route", result: { path: "claude" }, durationMs: 0.1 },
            {
              ...step,
              agent: "classifier",
              action: "classify",
              result: { category: "Bug" },
              confidence: 0.9,
              durationMs: 1.5,
            },
          ],
          created_at: new Date(TRIAGED),
        },
        {
          ticket_id: TICKET,
          source_type: "app_store_review",
          source_id: "R-1",
          message_id: null,
          steps: [
            {
              agent: "claude",
              action: "triage",
              result: { model: "claude-haiku-4-5", costUsd: 0.002 },
              confidence: 0.8,
              durationMs: 900,
              tokensIn: 2000,
              tokensOut: 100,
            },
          ],
          created_at: new Date(RETRIAGED),
        },
      ]);
    } finally {
      await pglite.close();
    }
  });

  it("keeps only the ticket, router and model-call indexes, and the cascade from a deleted ticket", async () => {
    const { pglite, sql } = await databaseBefore(PER_ITEM);
    try {
      await insertOldRows(sql);
      await migrate(sql);

      const { rows } = await sql.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'processing_logs' ORDER BY indexname`,
      );
      expect(rows.map((r) => r.indexname)).toEqual([
        "processing_logs_model_calls_idx",
        "processing_logs_pkey",
        "processing_logs_router_idx",
        "processing_logs_ticket_id_idx",
      ]);
      await sql.query(`DELETE FROM tickets WHERE id = $1::text::uuid`, [TICKET]);
      const left = await sql.query(`SELECT ticket_id FROM processing_logs`);
      expect(left.rows).toEqual([{ ticket_id: null }]);
    } finally {
      await pglite.close();
    }
  });
});
