import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../../sdk/backend.js";
import { SORTABLE_FIELDS } from "../../../sdk/schemas/ticket.js";
import { seedTickets } from "../../dashboard/support.js";
import { openTestBackend } from "../../support/backend.js";

describe("TicketRepository.stream", () => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const opened = await openTestBackend();
    ({ backend, close } = opened);
    await seedTickets(
      opened.db.sql,
      Array.from({ length: 120 }, (_, i) => ({
        category: (["Bug", "Praise", "Complaint"] as const)[i % 3],
        priority: (["Critical", "High", "Medium", "Low"] as const)[i % 4],
        confidence: (i % 7) / 7,
      })),
    );
    // Ties on created_at as real batches have them, some microseconds apart (a cursor must keep them).
    await opened.db.sql.query(
      `UPDATE tickets SET created_at = timestamptz '2025-01-01' + (random() * 20)::int * interval '1 microsecond'`,
    );
  });
  afterAll(() => close());

  for (const sortBy of SORTABLE_FIELDS)
    for (const sortOrder of ["asc", "desc"] as const)
      it(`pages by keyset in the order of list (${sortBy} ${sortOrder}), every ticket once`, async () => {
        const listed = await backend.tickets.list({ sortBy, sortOrder, limit: 1000 });
        const streamed = [];
        for await (const page of backend.tickets.stream({ sortBy, sortOrder, limit: 1, offset: 5 }, 7))
          streamed.push(...page);
        expect(streamed.map((t) => t.id)).toEqual(listed.items.map((t) => t.id));
      });

  it("streams only the tickets the filters match", async () => {
    const streamed = [];
    for await (const page of backend.tickets.stream({ category: ["Bug"], priority: ["Critical"] }, 4))
      streamed.push(...page);
    expect(streamed.length).toBe(10);
    expect(streamed.every((t) => t.category === "Bug" && t.priority === "Critical")).toBe(true);
  });
});
