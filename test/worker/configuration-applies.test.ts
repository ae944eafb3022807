import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../sdk/db/prisma.js";
import { LocalQueue } from "../../sdk/local/queue.js";
import { deleteCurrentReceipts } from "../../sdk/local/transactional-ack.js";
import { PrismaConfigurationStore } from "../../sdk/store/configuration-store.js";
import { PrismaTicketRepository } from "../../sdk/store/prisma-ticket-repository.js";
import { createOfflineAgents } from "../../worker/agents/offline/index.js";
import { type PipelineDeps, processBatch } from "../../worker/pipeline.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeItem, makeMessageBody } from "../support/factories.js";
import { prismaFor } from "../support/prisma.js";

describe("configuration changes apply to the next item the worker processes", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let configuration: PrismaConfigurationStore;
  let tickets: PrismaTicketRepository;
  let deps: PipelineDeps;

  beforeEach(async () => {
    db = await createTestDatabase();
    prisma = prismaFor(db.sql);
    configuration = new PrismaConfigurationStore(prisma);
    tickets = new PrismaTicketRepository(prisma);
    const queue = await LocalQueue.open(db.sql, "feedback");
    deps = { sql: db.sql, queue, agents: createOfflineAgents(), configuration, ackInTransaction: deleteCurrentReceipts };
  });
  afterEach(async () => {
    await prisma.$disconnect();
    await db.close();
  });

  async function process(text: string) {
    const item = makeItem({ text, rating: 3, device: null, appVersion: null });
    await deps.queue.send([{ body: makeMessageBody(item) }]);
    await processBatch(deps, await deps.queue.receive({ maxMessages: 10 }));
    const { items } = await tickets.list({ search: item.sourceId });
    return items[0]!;
  }

  it("uses a new keyword rule for the next item", async () => {
    const before = await process("Please add a dark mode option, the white screen hurts at night.");
    expect(before.category).toBe("Feature Request");
    expect(before.priority).not.toBe("High");

    const rules = await configuration.get("priority_rules");
    rules.rules.unshift({ name: "dark-mode-high", category: "Feature Request", priority: "High", keywords: ["dark mode"] });
    await configuration.set("priority_rules", rules, "test");

    const after = await process("Please add a dark mode option, my eyes hurt at night.");
    expect(after).toMatchObject({ category: "Feature Request", priority: "High" });
  });

  it("uses a new category default for the next item", async () => {
    const rules = await configuration.get("priority_rules");
    rules.defaults.Praise = "Medium";
    await configuration.set("priority_rules", rules, "test");
    expect(await process("Love this app, the new design is beautiful. Thank you!")).toMatchObject({ category: "Praise", priority: "Medium" });
  });

  it("sends tickets below a raised confidence threshold to needs_review", async () => {
    const text = "The app crashes when I open the camera on my phone.";
    expect((await process(text)).status).toBe("open");
    await configuration.set("confidence_threshold", 1, "test");
    expect((await process(`${text} Again.`)).status).toBe("needs_review");
  });
});
