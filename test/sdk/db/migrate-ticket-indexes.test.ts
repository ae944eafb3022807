import { describe, expect, it } from "vitest";
import { migrate } from "../../../sdk/db/migrate.js";
import { databaseBefore } from "../../support/database-before.js";

const DROP = "20261214000100_drop_unused_ticket_indexes";

describe("unused ticket indexes migration", () => {
  it("drops the content hash and priority text indexes, keeping the tickets and every other index", async () => {
    const { pglite, sql } = await databaseBefore(DROP);
    try {
      await sql.query(
        `INSERT INTO tickets (id, source_type, source_id, title, description, category, priority, confidence, status, content_hash)
         VALUES ('00000000-0000-4000-8000-0000000000d1', 'email', 'old-1', 'Crash on start', 'It crashes', 'Bug', 'Critical', 0.9, 'open', 'h1')`,
      );
      const indexes = async () =>
        (
          await sql.query<{ name: string }>(
            "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tickets' ORDER BY indexname",
          )
        ).rows.map((r) => r.name);
      const before = await indexes();

      expect((await migrate(sql)).applied).toContain(DROP);

      const dropped = ["tickets_content_hash_idx", "tickets_priority_created_at_idx"];
      expect(await indexes()).toEqual(before.filter((name) => !dropped.includes(name)));
      expect(before).toEqual(expect.arrayContaining(dropped));
      const { rows } = await sql.query("SELECT source_id, priority, priority_rank FROM tickets");
      expect(rows).toEqual([{ source_id: "old-1", priority: "Critical", priority_rank: 0 }]);
    } finally {
      await pglite.close();
    }
  });
});
