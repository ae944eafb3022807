import { beforeAll, describe, expect, it } from "vitest";
import { TicketShowJson, TicketsReviewJson, TicketUpdateJson } from "../../cli/output-schemas.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { runCli } from "../support/cli.js";
import { seedWorkspaceTickets, useCliWorkspace } from "../support/cli-workspace.js";
import { makeNewTicket } from "../support/factories.js";
import { answerOnTerminal, hasTmux, TERMINAL_TEST_MS } from "../support/terminal.js";

describe("feedback-cli tickets update, approve, reject", () => {
  const workspace = useCliWorkspace("ft-ticket-actions-");
  const cli = (...args: string[]) => runCli(args, { cwd: workspace.cwd, env: { ...workspace.env(), USER: "olivia" } });

  const seed = (...tickets: NewTicket[]) => seedWorkspaceTickets(workspace, tickets);

  async function show(id: string) {
    const result = await cli("tickets", "show", id, "--json");
    expect(result.code, result.stderr).toBe(0);
    return TicketShowJson.parse(JSON.parse(result.stdout));
  }

  beforeAll(async () => {
    // Opens (and migrates) the workspace's database once.
    await workspace.status();
  });

  it("update changes the fields and records the operator and the reason in the history (--json contract)", async () => {
    const [ticket] = await seed(makeNewTicket());
    const result = await cli(
      "tickets",
      "update",
      ticket!.id,
      "--priority",
      "critical",
      "--category",
      "complaint",
      "--reason",
      "customer escalated",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/priority High -> Critical/);
    expect(result.stdout).toMatch(/by olivia, reason: customer escalated/);
    const json = await cli(
      "tickets",
      "update",
      ticket!.id,
      "--title",
      "Crash when opening the profile",
      "--reason",
      "clearer",
      "--actor",
      "sam",
      "--json",
    );
    const updated = TicketUpdateJson.parse(JSON.parse(json.stdout));
    expect(updated).toMatchObject({ priority: "Critical", category: "Complaint", version: 3 });
    expect(updated.history.map((h) => [h.actor, h.reason, h.after])).toEqual([
      ["olivia", "customer escalated", { priority: "Critical", category: "Complaint" }],
      ["sam", "clearer", { title: "Crash when opening the profile" }],
    ]);
  });

  it("update of a stale --expected-version exits 1 with a conflict and how to retry", async () => {
    const [ticket] = await seed(makeNewTicket());
    expect((await cli("tickets", "update", ticket!.id, "--status", "open", "--reason", "first")).code).toBe(0);
    const stale = await cli(
      "tickets",
      "update",
      ticket!.id,
      "--priority",
      "low",
      "--reason",
      "late",
      "--expected-version",
      "1",
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/changed since version 1 \(now 2\)/);
    expect(stale.stderr).toMatch(/tickets show .*--expected-version 2/);
    expect((await show(ticket!.id)).priority).toBe("High");
  });

  it("update with a bad --priority exits 2 naming the flag", async () => {
    const [ticket] = await seed(makeNewTicket());
    const result = await cli("tickets", "update", ticket!.id, "--priority", "urgent", "--reason", "x");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--priority.*'urgent' is not a priority/);
  });

  it("update without a field to change exits 2 naming the flags", async () => {
    const [ticket] = await seed(makeNewTicket());
    const result = await cli("tickets", "update", ticket!.id, "--reason", "nothing");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nothing to update.*--title, --category, --priority, --status, --description/);
  });

  it("update without --reason exits 2 naming --reason", async () => {
    const [ticket] = await seed(makeNewTicket());
    const result = await cli("tickets", "update", ticket!.id, "--priority", "low");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--reason/);
  });

  it("approve by ids (prefixes) approves each with the operator in its history (--json contract)", async () => {
    const tickets = await seed(makeNewTicket(), makeNewTicket());
    const result = await cli(
      "tickets",
      "approve",
      ...tickets.map((t) => t.id.slice(0, 8)),
      "--reason",
      "looked fine",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(TicketsReviewJson.parse(JSON.parse(result.stdout))).toEqual({
      action: "approve",
      matched: 2,
      updated: 2,
      failed: [],
      more: false,
    });
    for (const t of tickets) {
      const detail = await show(t.id);
      expect(detail.status).toBe("approved");
      expect(detail.history.at(-1)).toMatchObject({ actor: "olivia", reason: "looked fine" });
    }
  });

  it("reject by filters with --yes rejects every match (--json contract)", async () => {
    const tickets = await seed(
      makeNewTicket({ title: "[SPAM] Win a zebracorn now" }),
      makeNewTicket({ title: "[SPAM] Cheap zebracorn offers" }),
    );
    const result = await cli(
      "tickets",
      "reject",
      "--search",
      "zebracorn",
      "--status",
      "needs_review",
      "--yes",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(TicketsReviewJson.parse(JSON.parse(result.stdout))).toMatchObject({
      action: "reject",
      matched: 2,
      updated: 2,
    });
    for (const t of tickets) expect((await show(t.id)).status).toBe("rejected");
    const text = await cli("tickets", "reject", "--search", "zebracorn", "--status", "needs_review", "--yes");
    expect(text.stdout).toMatch(/No tickets match/);
  });

  it("approve by filters without --yes and without a terminal exits 2 naming --yes, changing nothing", async () => {
    const [ticket] = await seed(makeNewTicket({ title: "[BUG] Quokka screen freezes" }));
    const result = await cli("tickets", "approve", "--search", "quokka");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--yes/);
    expect((await show(ticket!.id)).status).toBe("needs_review");
  });

  describe.skipIf(!hasTmux)(`on a terminal${hasTmux ? "" : ": skipped, /usr/bin/tmux is not installed"}`, () => {
    const approveOnTerminal = (search: string, answer: string) =>
      answerOnTerminal(["tickets", "approve", "--search", search], {
        cwd: workspace.cwd,
        env: { ...workspace.env(), USER: "olivia" },
        question: /Proceed\? \[y\/N\]/,
        answer,
      });

    it(
      "approve by filters shows the matches, asks, and changes nothing on n",
      async () => {
        const tickets = await seed(
          makeNewTicket({ title: "[BUG] Wombat icon is blurry" }),
          makeNewTicket({ title: "[BUG] Wombat badge overlaps" }),
        );
        const run = await approveOnTerminal("wombat", "n");
        expect(run.screen).toMatch(/Approve 2 tickets\?/);
        expect(run.screen).toContain("Cancelled: nothing changed.");
        expect(run.code).toBe(1);
        for (const t of tickets) expect((await show(t.id)).status).toBe("needs_review");
      },
      TERMINAL_TEST_MS,
    );

    it(
      "approve by filters approves every match on y",
      async () => {
        const tickets = await seed(
          makeNewTicket({ title: "[BUG] Numbat list is empty" }),
          makeNewTicket({ title: "[BUG] Numbat sync stalls" }),
        );
        const run = await approveOnTerminal("numbat", "y");
        expect(run.screen).toContain("2 of 2 tickets approved");
        expect(run.code).toBe(0);
        for (const t of tickets) expect((await show(t.id)).status).toBe("approved");
      },
      TERMINAL_TEST_MS,
    );
  });

  it("approve with neither ids nor filters exits 2", async () => {
    const result = await cli("tickets", "approve");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give ids, or filters/);
  });

  it("show resolves a unique id prefix of 6 characters", async () => {
    const [ticket] = await seed(makeNewTicket({ id: "5eed5eed-0000-4000-8000-000000000001" }));
    expect((await show("5EED5E")).id).toBe(ticket!.id);
  });

  it("an ambiguous prefix exits 1 listing the candidate ids", async () => {
    const [a, b] = await seed(
      makeNewTicket({ id: "a1a1a1a1-0000-4000-8000-000000000001" }),
      makeNewTicket({ id: "a1a1a1a1-1111-4000-8000-000000000002" }),
    );
    const result = await cli("tickets", "approve", "a1a1a1a1", "--yes");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ambiguous: it matches 2 tickets: ${a!.id}, ${b!.id}`);
    expect(result.stderr).toMatch(/Type more characters/);
  });

  it("an unknown prefix exits 1 with a hint; a too short one exits 2 naming <id>", async () => {
    const unknown = await cli("tickets", "update", "facade00", "--priority", "low", "--reason", "x");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No ticket with id facade00/);
    expect(unknown.stderr).toMatch(/tickets list/);
    const short = await cli("tickets", "show", "fac");
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/<id> 'fac' is not an id.*at least 6/);
  });

  it("approve and reject --help describe the ids in plain words", async () => {
    for (const action of ["approve", "reject"]) {
      const help = await cli("tickets", action, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout.replace(/\s+/g, " ")).toContain(
        "ticket ids, or unique prefixes of them (at least 6 characters each)",
      );
      expect(help.stdout).not.toContain(")s");
    }
  });
});
