import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GroupRunJson,
  StatusJson,
  SuggestionsDecisionJson,
  SuggestionsJson,
  TicketShowJson,
  TicketsListJson,
  UnmergeJson,
} from "../../cli/output-schemas.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { openLocalBackend } from "../../sdk/open-backend.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { runCli } from "../support/cli.js";
import { useCliWorkspace } from "../support/cli-workspace.js";
import { makeItem, makeNewTicket } from "../support/factories.js";

describe("feedback-cli tickets merge, unmerge, suggestions, group", () => {
  const workspace = useCliWorkspace("ft-ticket-merge-");
  const cli = (...args: string[]) => runCli(args, { cwd: workspace.cwd, env: { ...workspace.env(), USER: "olivia" } });

  async function seed(...texts: string[]): Promise<NewTicket[]> {
    const tickets = texts.map((text) => makeNewTicket({ item: makeItem({ text, app: "com.example.notes" }) }));
    const { backend, database } = await openLocalBackend({
      config: loadRuntimeConfig({}),
      dataDir: path.join(workspace.cwd, ".feedback-triage"),
      databaseUrl: workspace.env().DATABASE_URL,
    });
    try {
      for (const ticket of tickets) await insertTickets(database.sql, [ticket]);
      if (texts.length === 2)
        await database.sql.query(`INSERT INTO merge_suggestions (ticket_id, target_id, score) VALUES ($1, $2, 0.6)`, [
          tickets[1]!.id,
          tickets[0]!.id,
        ]);
    } finally {
      await backend.close();
    }
    return tickets;
  }

  const json = async <T>(schema: { parse(v: unknown): T }, ...args: string[]): Promise<T> => {
    const result = await cli(...args, "--json");
    expect(result.code, result.stderr).toBe(0);
    return schema.parse(JSON.parse(result.stdout));
  };

  beforeAll(async () => {
    await workspace.status();
  });

  it("merge folds tickets into one: list --json carries reach, show --json lists the items (contract)", async () => {
    const [into, a, b] = await seed("Camera crashes on start", "Camera closes itself", "Camera shuts down");
    const merged = await json(
      TicketShowJson,
      "tickets",
      "merge",
      into!.id.slice(0, 8),
      a!.id,
      b!.id,
      "--reason",
      "same",
    );
    expect(merged.reach).toBe(3);
    const listed = await json(TicketsListJson, "tickets", "list", "--app", "com.example.notes");
    const row = listed.find((t) => t.id === into!.id);
    expect(row?.reach).toBe(3);
    expect(listed.some((t) => t.id === a!.id)).toBe(false);
    const shown = await json(TicketShowJson, "tickets", "show", into!.id);
    expect(shown.items.map((i) => [i.sourceId, i.sourceType, i.text]).sort()).toEqual(
      [into!, a!, b!].map((t) => [t.item.sourceId, "app_store_review", t.item.text]).sort(),
    );
    expect(shown.items.every((i) => !Number.isNaN(Date.parse(i.date)))).toBe(true);
    expect(shown.history.at(-1)).toMatchObject({ actor: "olivia", reason: "same" });
  });

  it("unmerge takes an item back to its own ticket", async () => {
    const [into, a] = await seed("Login fails with a correct password", "Sign in rejects my password", "x y z");
    await json(TicketShowJson, "tickets", "merge", into!.id, a!.id);
    const result = await json(UnmergeJson, "tickets", "unmerge", into!.id, a!.item.sourceId);
    expect(result.ticket.reach).toBe(1);
    expect(result.restored).toMatchObject({ id: a!.id, reach: 1, mergedInto: null });
  });

  it("suggestions lists the grey-zone matches and accept merges one", async () => {
    const [target, ticket] = await seed("Sync stopped working", "Syncing is broken");
    const pending = await json(SuggestionsJson, "tickets", "suggestions");
    const suggestion = pending.find((s) => s.ticketId === ticket!.id);
    expect(suggestion).toMatchObject({ targetId: target!.id, status: "pending", score: 0.6 });
    const decided = await json(SuggestionsDecisionJson, "tickets", "suggestions", "accept", suggestion!.id);
    expect(decided.decided).toMatchObject([{ id: suggestion!.id, status: "accepted" }]);
    expect((await json(TicketShowJson, "tickets", "show", target!.id)).reach).toBe(2);
  });

  it("status shows the grouping stage (off by default) and its backlog; tickets group does nothing while off", async () => {
    const status = await json(StatusJson, "status");
    expect(status.grouping).toMatchObject({ enabled: false });
    expect(status.grouping.pending).toBeGreaterThan(0);
    expect(await json(GroupRunJson, "tickets", "group")).toMatchObject({ enabled: false, looked: 0 });
  });

  it("merge --help describes the ids to fold in plain words", async () => {
    const help = await cli("tickets", "merge", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "the ticket ids, or unique prefixes of them (at least 6 characters each), to fold into it",
    );
    expect(help.stdout).not.toContain(")s");
  });
});
