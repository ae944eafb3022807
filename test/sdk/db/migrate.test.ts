import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrate, readMigrations } from "../../../sdk/db/migrate.js";
import type { PgliteSqlClient } from "../../../sdk/db/pglite-client.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { databaseBefore } from "../../support/database-before.js";

describe(`migration runner`, () => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it("records every migration in _prisma_migrations with Prisma's sha256 checksum", async () => {
    db = await createTestDatabase();
    const files = await readMigrations(defaultMigrationsDir());
    const { rows } = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      files.map((f) => [f.name, f.checksum, 1]),
    );
  });

  it("is idempotent: a second run applies nothing", async () => {
    db = await createTestDatabase();
    expect(await migrate(db.sql)).toEqual({ applied: [] });
  });

  it("seeds the default configuration and queues", async () => {
    db = await createTestDatabase();
    const { rows } = await db.sql.query<{ key: string }>(`SELECT key FROM configurations ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual([
      "agents",
      "confidence_threshold",
      "grouping",
      "model_prices",
      "priority_rules",
    ]);
    const queues = await db.sql.query<{ name: string }>(`SELECT name FROM queues ORDER BY name`);
    expect(queues.rows.map((r) => r.name)).toEqual(["feedback", "feedback-dlq"]);
  });

  it("refuses a migration that was edited after it was applied", async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    await mkdir(path.join(dir, "20990101000000_extra"));
    await writeFile(path.join(dir, "20990101000000_extra", "migration.sql"), "CREATE TABLE extra_a (id int);");
    await migrate(db.sql, dir);
    await writeFile(path.join(dir, "20990101000000_extra", "migration.sql"), "CREATE TABLE extra_b (id int);");
    await expect(migrate(db.sql, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("leaves a failed migration recorded as unfinished and rolls back its statements", async () => {
    db = await createTestDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "ft-mig-"));
    await mkdir(path.join(dir, "20990101000000_broken"));
    await writeFile(
      path.join(dir, "20990101000000_broken", "migration.sql"),
      "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;",
    );
    await expect(migrate(db.sql, dir)).rejects.toThrow(/20990101000000_broken failed/);
    const { rows } = await db.sql.query<{ finished_at: unknown; logs: string }>(
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.finished_at).toBeNull();
    const table = await db.sql.query(`SELECT to_regclass('half_done') AS t`);
    expect(table.rows[0]).toEqual({ t: null });
    await expect(migrate(db.sql, dir)).rejects.toThrow(/marked unfinished/);
  });
});

/** A ticket as the first schema stored it: source id `old-<n>`, title "Crash on start". */
async function insertOldTicket(sql: PgliteSqlClient, n: number): Promise<void> {
  await sql.query(
    `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status, content_hash)
     VALUES ($1::text::uuid, 'email', $2, 'Crash on start', 'It crashes', 'Bug', 'High', 0.9, 'open', $3)`,
    [`00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, `old-${n}`, `h${n}`],
  );
}

describe("ticket language migration", () => {
  it("adds the ticket language column keeping the tickets written before it, with a null language", async () => {
    const LANGUAGE = "20261207000000_ticket_language";
    const { pglite, sql } = await databaseBefore(LANGUAGE);
    try {
      await insertOldTicket(sql, 1);
      expect((await migrate(sql)).applied).toContain(LANGUAGE);
      const { rows } = await sql.query<{ source_id: string; title: string; language: string | null }>(
        "SELECT source_id, title, language FROM tickets",
      );
      expect(rows).toEqual([{ source_id: "old-1", title: "Crash on start", language: null }]);
      await expect(sql.query("UPDATE tickets SET language = 'deu'")).rejects.toThrow(/tickets_language_check/);
    } finally {
      await pglite.close();
    }
  });
});

describe("ticket submitted_at and app migration", () => {
  const MIGRATION = "20261208000000_ticket_submitted_at_app";

  it("backfills submitted_at, app and one platform spelling of tickets written before it, losing nothing", async () => {
    const { pglite, sql } = await databaseBefore(MIGRATION);
    try {
      // A Play Console review stored before `app` existed (package name in metadata), a webhook item with an
      // `app`, an e-mail without a date, and a ticket without a stored item.
      const items = [
        [
          "00000000-0000-4000-8000-0000000000a1",
          "app_store_review",
          "gp:1",
          {
            submittedAt: "2025-03-01T10:15:30.000Z",
            platform: "android",
            metadata: { "Package Name": "com.example.notes" },
          },
        ],
        [
          "00000000-0000-4000-8000-0000000000a2",
          "webhook",
          "generic:2",
          {
            submittedAt: "2025-01-15T08:00:00.000Z",
            app: "Notes for iPad",
            metadata: {},
          },
        ],
        ["00000000-0000-4000-8000-0000000000a3", "email", "E-3", { submittedAt: null, metadata: {} }],
      ] as const;
      for (const [id, type, sourceId, payload] of items)
        await sql.query(
          `INSERT INTO feedback_items (id, source_type, source_id, content_hash, payload) VALUES ($1, $2, $3, 'h', $4::jsonb)`,
          [id, type, sourceId, JSON.stringify({ text: "It crashes", ...payload })],
        );
      const tickets = [
        [
          "00000000-0000-4000-8000-000000000001",
          "app_store_review",
          "gp:1",
          items[0][0],
          { platform: "Android", os: "android 14" },
        ],
        [
          "00000000-0000-4000-8000-000000000002",
          "webhook",
          "generic:2",
          items[1][0],
          { platform: "IOS", os: "ios 17.2", device: "iPad Pro" },
        ],
        ["00000000-0000-4000-8000-000000000003", "email", "E-3", items[2][0], { platform: "ios" }],
        ["00000000-0000-4000-8000-000000000004", "email", "E-4", null, { platform: "Web" }],
      ] as const;
      for (const [id, type, sourceId, itemId, details] of tickets)
        await sql.query(
          `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status,
                                content_hash, feedback_item_id, technical_details, created_at)
           VALUES ($1, $2, $3, 'Crash on start', 'It crashes', 'Bug', 'High', 0.9, 'open', 'h', $4, $5::jsonb,
                   '2026-12-01T00:00:00Z')`,
          [id, type, sourceId, itemId, JSON.stringify(details)],
        );

      expect((await migrate(sql)).applied).toContain(MIGRATION);

      const { rows } = await sql.query<{
        source_id: string;
        title: string;
        submitted_at: string | null;
        app: string | null;
        technical_details: Record<string, unknown>;
        created_at: string;
      }>(
        `SELECT source_id, title, to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS submitted_at,
                app, technical_details, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created_at
         FROM tickets ORDER BY source_id`,
      );
      expect(rows).toEqual([
        {
          source_id: "E-3",
          title: "Crash on start",
          submitted_at: null,
          app: null,
          technical_details: { platform: "iOS" },
          created_at: "2026-12-01",
        },
        {
          source_id: "E-4",
          title: "Crash on start",
          submitted_at: null,
          app: null,
          technical_details: { platform: "Web" },
          created_at: "2026-12-01",
        },
        {
          source_id: "generic:2",
          title: "Crash on start",
          submitted_at: "2025-01-15T08:00:00",
          app: "Notes for iPad",
          technical_details: { platform: "iOS", os: "iOS 17.2", device: "iPad Pro" },
          created_at: "2026-12-01",
        },
        {
          source_id: "gp:1",
          title: "Crash on start",
          submitted_at: "2025-03-01T10:15:30",
          app: "com.example.notes",
          technical_details: { platform: "Android", os: "Android 14" },
          created_at: "2026-12-01",
        },
      ]);
      // The stored items are read, not changed.
      const stored = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM feedback_items");
      expect(stored.rows[0]?.n).toBe(3);
    } finally {
      await pglite.close();
    }
  });
});

describe("configuration history migration", () => {
  it("keeps the stored configuration and starts each value's history with who set it last", async () => {
    const HISTORY = "20261208100000_configuration_history";
    const { pglite, sql } = await databaseBefore(HISTORY);
    try {
      await sql.query(
        `UPDATE configurations SET value = '0.8', updated_by = 'alice' WHERE key = 'confidence_threshold'`,
      );
      expect((await migrate(sql)).applied).toContain(HISTORY);
      const { rows } = await sql.query<{ value: unknown; updated_by: string }>(
        "SELECT value, updated_by FROM configurations WHERE key = 'confidence_threshold'",
      );
      expect(rows).toEqual([{ value: 0.8, updated_by: "alice" }]);
      const history = await sql.query<{ key: string; before: unknown; after: unknown; actor: string }>(
        `SELECT key, before, after, actor FROM configuration_history ORDER BY key`,
      );
      // Keys seeded by later migrations (grouping) start their history there.
      expect(history.rows.map((r) => r.key)).toEqual([
        "agents",
        "confidence_threshold",
        "grouping",
        "model_prices",
        "priority_rules",
      ]);
      expect(history.rows[1]).toEqual({ key: "confidence_threshold", before: null, after: 0.8, actor: "alice" });
    } finally {
      await pglite.close();
    }
  });
});

describe("privacy erasures migration", () => {
  it("adds the erasure audit table to a database written before it, keeping its tickets", async () => {
    const MIGRATION = "20261209000000_privacy_erasures";
    const { pglite, sql } = await databaseBefore(MIGRATION);
    try {
      await insertOldTicket(sql, 2);
      expect((await migrate(sql)).applied).toContain(MIGRATION);
      const { rows } = await sql.query<{ source_id: string; title: string }>("SELECT source_id, title FROM tickets");
      expect(rows).toEqual([{ source_id: "old-2", title: "Crash on start" }]);
      await sql.query(
        `INSERT INTO privacy_erasures (request_id, actor, subject_kind, subject_hash, salt, counts)
         VALUES ('00000000-0000-4000-8000-000000000003', 'dpo', 'email', 'abc', 'salt', '{}')`,
      );
      const audit = await sql.query<{ ticket_ids: unknown }>("SELECT ticket_ids FROM privacy_erasures");
      expect(audit.rows).toEqual([{ ticket_ids: [] }]);
      await expect(
        sql.query(
          `INSERT INTO privacy_erasures (request_id, actor, subject_kind, subject_hash, salt, counts)
           VALUES ('00000000-0000-4000-8000-000000000004', 'dpo', 'phone', 'abc', 'salt', '{}')`,
        ),
      ).rejects.toThrow(/privacy_erasures_subject_kind_check/);
    } finally {
      await pglite.close();
    }
  });
});

describe("ticket grouping migration", () => {
  const GROUPING = "20261209000100_ticket_grouping";

  it("keeps every ticket as a group of one: reach 1, its source item linked, seen when written, already grouped", async () => {
    const { pglite, sql } = await databaseBefore(GROUPING);
    try {
      await sql.query(
        `INSERT INTO feedback_items (id, source_type, source_id, content_hash, payload)
         VALUES ('00000000-0000-4000-8000-0000000000b1', 'app_store_review', 'R-1', 'h', $1::jsonb)`,
        [
          JSON.stringify({
            text: "Camera crashes on start",
            appVersion: "4.2.0",
            submittedAt: "2026-11-30T08:00:00.000Z",
          }),
        ],
      );
      await sql.query(
        `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status,
                              content_hash, feedback_item_id, technical_details, submitted_at, created_at)
         VALUES ('00000000-0000-4000-8000-0000000000b1', 'app_store_review', 'R-1', 'Camera crash', 'It crashes', 'Bug',
                 'High', 0.9, 'open', 'h', '00000000-0000-4000-8000-0000000000b1', '{"platform":"iOS"}',
                 '2026-11-30T08:00:00Z', '2026-12-01T00:00:00Z'),
                ('00000000-0000-4000-8000-0000000000b2', 'email', 'E-2', 'No item', 'Stored without an item', 'Bug',
                 'Low', 0.9, 'closed', 'h2', NULL, '{}', NULL, '2026-12-02T00:00:00Z')`,
      );

      expect((await migrate(sql)).applied).toContain(GROUPING);

      const { rows } = await sql.query<Record<string, unknown>>(
        `SELECT source_id, reach, first_seen_at, last_seen_at, versions, platforms, quotes, merged_into,
                grouped_at IS NOT NULL AS grouped FROM tickets ORDER BY source_id`,
      );
      expect(rows).toEqual([
        {
          source_id: "E-2",
          reach: 1,
          first_seen_at: new Date("2026-12-02T00:00:00Z"),
          last_seen_at: new Date("2026-12-02T00:00:00Z"),
          versions: [],
          platforms: [],
          quotes: [],
          merged_into: null,
          grouped: true,
        },
        {
          source_id: "R-1",
          reach: 1,
          first_seen_at: new Date("2026-11-30T08:00:00Z"),
          last_seen_at: new Date("2026-11-30T08:00:00Z"),
          versions: ["4.2.0"],
          platforms: ["iOS"],
          quotes: [{ sourceId: "R-1", text: "Camera crashes on start" }],
          merged_into: null,
          grouped: true,
        },
      ]);
      const links = await sql.query(
        `SELECT feedback_item_id::text AS item, ticket_id::text AS ticket FROM ticket_items`,
      );
      expect(links.rows).toEqual([
        { item: "00000000-0000-4000-8000-0000000000b1", ticket: "00000000-0000-4000-8000-0000000000b1" },
      ]);
      const config = await sql.query<{ value: { enabled: boolean } }>(
        `SELECT value FROM configurations WHERE key = 'grouping'`,
      );
      expect(config.rows[0]?.value.enabled).toBe(false);
    } finally {
      await pglite.close();
    }
  });
});

describe("ticket rollups migration", () => {
  const ROLLUPS = "20261210000100_ticket_rollups";

  it("counts the tickets stored before it, leaving merged ones out, and keeps counting after it", async () => {
    const { pglite, sql } = await databaseBefore(ROLLUPS);
    try {
      for (const n of [1, 2, 3]) await insertOldTicket(sql, n);
      await sql.query(
        `UPDATE tickets SET merged_into = '00000000-0000-4000-8000-000000000001' WHERE source_id = 'old-3'`,
      );
      expect((await migrate(sql)).applied).toContain(ROLLUPS);
      const count = async () =>
        (await sql.query<{ n: number }>("SELECT sum(n)::int AS n FROM ticket_rollups WHERE category = 'Bug'")).rows[0]
          ?.n;
      expect(await count()).toBe(2);
      await insertOldTicket(sql, 4);
      expect(await count()).toBe(3);
      expect((await sql.query("SELECT count(*)::int AS n FROM tickets")).rows).toEqual([{ n: 4 }]);
    } finally {
      await pglite.close();
    }
  });
});

describe("integration kinds migration", () => {
  const KINDS = "20261212000000_integration_kinds";

  it("keeps the webhook destinations configured before it, as webhooks with no settings", async () => {
    const { pglite, sql } = await databaseBefore(KINDS);
    try {
      await sql.query(
        `INSERT INTO integration_destinations (name, url, secret_ref) VALUES ('team-hook', 'https://example.com/in', 'env:HOOK')`,
      );
      expect((await migrate(sql)).applied).toContain(KINDS);
      const { rows } = await sql.query("SELECT name, kind, url, secret_ref, settings FROM integration_destinations");
      expect(rows).toEqual([
        { name: "team-hook", kind: "webhook", url: "https://example.com/in", secret_ref: "env:HOOK", settings: {} },
      ]);
      await expect(sql.query("UPDATE integration_destinations SET kind = 'fax'")).rejects.toThrow(/kind_check/);
    } finally {
      await pglite.close();
    }
  });
});

describe("integration alert state migration", () => {
  const ALERT_STATE = "20261213000000_integration_alert_state";

  it("keeps the destinations configured before it, with no alert paced yet", async () => {
    const { pglite, sql } = await databaseBefore(ALERT_STATE);
    try {
      await sql.query(
        `INSERT INTO integration_destinations (name, kind, url, secret_ref, settings)
         VALUES ('oncall', 'slack', 'https://example.slack.com/archives/C1', 'env:SLACK_URL', '{"dlqGrowth": 5}')`,
      );
      expect((await migrate(sql)).applied).toContain(ALERT_STATE);
      const { rows } = await sql.query("SELECT name, kind, settings, alert_state FROM integration_destinations");
      expect(rows).toEqual([{ name: "oncall", kind: "slack", settings: { dlqGrowth: 5 }, alert_state: {} }]);
    } finally {
      await pglite.close();
    }
  });
});

describe("queue body as json migration", () => {
  const QUEUE_BODY_JSON = "20261214000200_queue_body_json";

  it("keeps every queued and dead-lettered message's body as it was", async () => {
    const { pglite, sql } = await databaseBefore(QUEUE_BODY_JSON);
    const body = { kind: "feedback.process", item: { sourceId: "R-1", text: "Crashes on start — «é»", rating: 1 } };
    try {
      await sql.query(`INSERT INTO queues (name) VALUES ('feedback-triage-dlq'), ('feedback-triage')`);
      await sql.query(
        `INSERT INTO queue_messages (id, queue, body, expires_at, dead_lettered_at)
         VALUES ('00000000-0000-4000-8000-000000000001', 'feedback-triage', $1::jsonb, now() + interval '1 day', NULL),
                ('00000000-0000-4000-8000-000000000002', 'feedback-triage-dlq', $1::jsonb, now() + interval '1 day', now())`,
        [JSON.stringify(body)],
      );
      expect((await migrate(sql)).applied).toContain(QUEUE_BODY_JSON);
      const { rows } = await sql.query<{ body: unknown; type: string }>(
        "SELECT body, pg_typeof(body)::text AS type FROM queue_messages ORDER BY id",
      );
      expect(rows).toEqual([
        { body, type: "json" },
        { body, type: "json" },
      ]);
    } finally {
      await pglite.close();
    }
  });
});

describe("ticket panel rollups migration", () => {
  const PANELS = "20261214000000_ticket_panel_rollups";

  it("gives the tickets stored before it their item's rating and counts their panels, and keeps counting after it", async () => {
    const { pglite, sql } = await databaseBefore(PANELS);
    try {
      for (const [n, rating] of [
        [1, 4],
        [2, "five"],
      ] as const) {
        const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
        await sql.query(
          `INSERT INTO feedback_items (id, source_type, source_id, content_hash, payload)
           VALUES ($1::text::uuid, 'email', $2, $3, $4::jsonb)`,
          [id, `old-${n}`, `h${n}`, JSON.stringify({ rating })],
        );
        await insertOldTicket(sql, n);
        await sql.query(
          `UPDATE tickets SET feedback_item_id = $1::text::uuid, technical_details = '{"device": "Pixel 8"}' WHERE id = $1::text::uuid`,
          [id],
        );
      }
      expect((await migrate(sql)).applied).toContain(PANELS);
      const ratings = await sql.query("SELECT source_id, rating FROM tickets ORDER BY source_id");
      expect(ratings.rows).toEqual([
        { source_id: "old-1", rating: 4 },
        { source_id: "old-2", rating: null },
      ]);
      const count = async (panel: string, value: string) =>
        (
          await sql.query<{ n: number | null }>(
            "SELECT sum(n)::int AS n FROM ticket_panel_rollups WHERE panel = $1 AND value = $2",
            [panel, value],
          )
        ).rows[0]?.n;
      expect([await count("rating", "4"), await count("device", "Pixel 8")]).toEqual([1, 2]);
      await insertOldTicket(sql, 3);
      expect(
        (await sql.query("SELECT sum(n)::int AS n FROM ticket_panel_rollups WHERE panel = 'rating'")).rows,
      ).toEqual([{ n: 3 }]);
    } finally {
      await pglite.close();
    }
  });
});

describe("rollups triage day migration", () => {
  const TRIAGE_DAY = "20261215000000_rollups_triage_day";

  it("recounts the tickets stored before it by triage day too, leaving merged ones out, and keeps counting after it", async () => {
    const { pglite, sql } = await databaseBefore(TRIAGE_DAY);
    try {
      for (const n of [1, 2, 3]) await insertOldTicket(sql, n);
      await sql.query(`UPDATE tickets SET created_at = '2026-12-01T23:30:00Z', submitted_at = '2026-11-30T10:00:00Z'`);
      await sql.query(`UPDATE tickets SET created_at = '2026-12-02T00:30:00Z' WHERE source_id = 'old-2'`);
      await sql.query(
        `UPDATE tickets SET merged_into = '00000000-0000-4000-8000-000000000001' WHERE source_id = 'old-3'`,
      );
      expect((await migrate(sql)).applied).toContain(TRIAGE_DAY);
      const byTriageDay = async (table: string) =>
        (
          await sql.query(
            `SELECT day::text, created_day::text, sum(n)::int AS n FROM ${table}
             ${table === "ticket_panel_rollups" ? "WHERE panel = 'rating'" : ""} GROUP BY 1, 2 ORDER BY 1, 2`,
          )
        ).rows;
      const counted = [
        { day: "2026-11-30", created_day: "2026-12-01", n: 1 },
        { day: "2026-11-30", created_day: "2026-12-02", n: 1 },
      ];
      expect(await byTriageDay("ticket_rollups")).toEqual(counted);
      expect(await byTriageDay("ticket_panel_rollups")).toEqual(counted);
      await insertOldTicket(sql, 4);
      expect((await sql.query("SELECT sum(n)::int AS n FROM ticket_rollups")).rows).toEqual([{ n: 3 }]);
      expect(
        (await sql.query("SELECT sum(n)::int AS n FROM ticket_panel_rollups WHERE panel = 'rating'")).rows,
      ).toEqual([{ n: 3 }]);
      expect((await sql.query("SELECT count(*)::int AS n FROM tickets")).rows).toEqual([{ n: 4 }]);
    } finally {
      await pglite.close();
    }
  });
});
