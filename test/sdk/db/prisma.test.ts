import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../../sdk/db/open-database.js";
import { readOwner } from "../../../sdk/db/owner-lock.js";
import { createTestDatabase, type TestDatabase } from "../../support/database.js";
import { migratedDataDir, removeTempDirs } from "./embedded-folder.js";

function ticket(sourceId: string, priority: string, category = "Bug") {
  return {
    id: randomUUID(),
    sourceType: "webhook",
    sourceId,
    title: `Ticket ${sourceId}`,
    description: "Something happened",
    category,
    priority,
    confidence: 0.9,
    status: "open",
    contentHash: `hash-${sourceId}`,
  };
}

/** The same checks against each backend: CRUD on Configuration, filtered ticket reads, an interactive transaction. */
function prismaBehaviour(name: string, open: () => Promise<Database>, afterClose?: () => Promise<void>) {
  describe(name, () => {
    let db: Database;
    const prefix = `${name}-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await db?.close();
      await afterClose?.();
    });

    it("creates and finds a Configuration row", async () => {
      await db.prisma.configuration.create({
        data: { key: `${prefix}-k`, value: { enabled: true }, description: "test" },
      });
      const found = await db.prisma.configuration.findUnique({ where: { key: `${prefix}-k` } });
      expect(found).toMatchObject({ key: `${prefix}-k`, value: { enabled: true }, updatedBy: "migration" });
      expect(found?.updatedAt).toBeInstanceOf(Date);
    });

    it("filters, orders and counts tickets with findMany", async () => {
      await db.prisma.ticket.createMany({
        data: [
          ticket(`${prefix}-1`, "High"),
          ticket(`${prefix}-2`, "Low"),
          ticket(`${prefix}-3`, "High", "Praise"),
          ticket(`${prefix}-4`, "Critical"),
        ],
      });
      const high = await db.prisma.ticket.findMany({
        where: { sourceId: { startsWith: prefix }, priority: { in: ["High", "Critical"] }, category: "Bug" },
        orderBy: { sourceId: "asc" },
        select: { sourceId: true, priority: true },
      });
      expect(high).toEqual([
        { sourceId: `${prefix}-1`, priority: "High" },
        { sourceId: `${prefix}-4`, priority: "Critical" },
      ]);
      expect(await db.prisma.ticket.count({ where: { sourceId: { startsWith: prefix } } })).toBe(4);
    });

    it("commits an interactive $transaction and rolls back a failed one", async () => {
      await db.prisma.$transaction(async (tx) => {
        const created = await tx.ticket.create({ data: ticket(`${prefix}-tx`, "Medium") });
        await tx.ticketHistory.create({
          data: { ticketId: created.id, actor: "test", before: {}, after: { status: "open" } },
        });
      });
      await expect(
        db.prisma.$transaction(async (tx) => {
          await tx.ticket.create({ data: ticket(`${prefix}-rolled-back`, "Medium") });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      const rows = await db.prisma.ticket.findMany({
        where: { sourceId: { in: [`${prefix}-tx`, `${prefix}-rolled-back`] } },
        include: { history: true },
      });
      expect(rows.map((r) => [r.sourceId, r.history.length])).toEqual([[`${prefix}-tx`, 1]]);
    });

    it("runs concurrent Prisma calls and raw SQL without interleaving them", async () => {
      const work = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? db.prisma.$transaction(async (tx) => {
              await tx.configuration.create({ data: { key: `${prefix}-c${i}`, value: i } });
              return tx.configuration.count({ where: { key: { startsWith: `${prefix}-c` } } });
            })
          : db.sql.query(`INSERT INTO configurations (key, value) VALUES ($1, $2)`, [
              `${prefix}-c${i}`,
              JSON.stringify(i),
            ]),
      );
      await Promise.all(work);
      expect(await db.prisma.configuration.count({ where: { key: { startsWith: `${prefix}-c` } } })).toBe(20);
    });
  });
}

describe("Prisma on every backend", () => {
  let owner: Database;
  beforeAll(async () => {
    owner = await openDatabase({ dataDir: await migratedDataDir() });
  });
  afterAll(async () => {
    await owner?.close();
    await removeTempDirs();
  });

  // The owner stays open for the socket block; the outer afterAll closes it.
  prismaBehaviour("pglite", async () => ({ ...owner, close: async () => undefined }));

  prismaBehaviour("pglite-socket", async () => {
    const client = await openDatabase({ dataDir: owner.dataDir! });
    expect(client.kind).toBe("pglite-socket");
    return client;
  });

  it("runs Prisma transactions of the owner and two socket clients concurrently and keeps every row", async () => {
    const clients = [await openDatabase({ dataDir: owner.dataDir! }), await openDatabase({ dataDir: owner.dataDir! })];
    const everyone = [owner, ...clients];
    await Promise.all(
      everyone.flatMap((db, d) =>
        Array.from({ length: 15 }, (_, i) =>
          db.prisma.$transaction(async (tx) => {
            const created = await tx.ticket.create({ data: ticket(`mix-${d}-${i}`, "High") });
            await tx.processingLog.create({
              data: {
                ticketId: created.id,
                sourceType: "webhook",
                sourceId: created.sourceId,
                steps: [{ agent: "test", action: "create" }],
              },
            });
            return tx.ticket.findMany({ where: { sourceId: { startsWith: `mix-${d}-` } }, select: { id: true } });
          }),
        ),
      ),
    );
    expect(await owner.prisma.ticket.count({ where: { sourceId: { startsWith: "mix-" } } })).toBe(45);
    expect(await clients[0]!.prisma.processingLog.count({ where: { sourceId: { startsWith: "mix-" } } })).toBe(45);
    await Promise.all(clients.map((c) => c.close()));
  });

  it("makes the owner's Prisma wait for a socket client's open transaction instead of joining it", async () => {
    const port = (await readOwner(owner.dataDir!))!.port!;
    const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres" });
    await client.connect();
    await client.query("BEGIN");
    await client.query(`INSERT INTO configurations (key, value) VALUES ('client-rolled-back', '1')`);
    let ownerDone = false;
    const ownerWrites = Promise.all([
      owner.prisma.configuration.create({ data: { key: "owner-single", value: 1 } }),
      owner.prisma.$transaction(async (tx) => tx.configuration.create({ data: { key: "owner-tx", value: 1 } })),
    ]).then(() => {
      ownerDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ownerDone).toBe(false);
    await client.query("ROLLBACK");
    await ownerWrites;
    await client.end();
    const keys = await owner.prisma.configuration.findMany({
      where: { key: { in: ["client-rolled-back", "owner-single", "owner-tx"] } },
      orderBy: { key: "asc" },
      select: { key: true },
    });
    expect(keys).toEqual([{ key: "owner-single" }, { key: "owner-tx" }]);
  });

  describe.skipIf(!process.env.TEST_DATABASE_URL)("postgres", () => {
    let testDb: TestDatabase | undefined;
    prismaBehaviour(
      "postgres",
      async () => {
        testDb = await createTestDatabase();
        const db = await openDatabase({ databaseUrl: testDb.url! });
        expect(db).toMatchObject({ kind: "postgres", isOwner: false, dataDir: null });
        return db;
      },
      async () => testDb?.close(),
    );
  });
});
