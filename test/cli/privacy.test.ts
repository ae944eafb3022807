import { beforeAll, describe, expect, it } from "vitest";
import { PrivacyEraseJson, PrivacyHistoryJson } from "../../cli/output-schemas.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { runCli } from "../support/cli.js";
import { seedWorkspaceTickets, useCliWorkspace } from "../support/cli-workspace.js";
import { makeItem, makeNewTicket } from "../support/factories.js";
import { answerOnTerminal, hasTmux, TERMINAL_TEST_MS } from "../support/terminal.js";

describe("feedback-cli privacy erase", () => {
  const workspace = useCliWorkspace("ft-privacy-");
  const cli = (...args: string[]) => runCli(args, { cwd: workspace.cwd, env: { ...workspace.env(), USER: "dpo" } });

  const seed = (...tickets: NewTicket[]) => seedWorkspaceTickets(workspace, tickets);

  const authoredBy = (author: string) =>
    makeNewTicket({ item: makeItem({ author, text: `It crashes. Thanks, ${author}` }) });

  beforeAll(async () => {
    await workspace.status();
  });

  it("erases with --yes and prints counts and the tickets touched (--json contract)", async () => {
    const [ticket] = await seed(authoredBy("Mara Jansen"));
    const result = await cli("privacy", "erase", "--author", "mara jansen", "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    const json = PrivacyEraseJson.parse(JSON.parse(result.stdout));
    expect(json).toMatchObject({ dryRun: false, found: true, subjectKind: "name", audit: { actor: "dpo" } });
    expect(json.tickets).toEqual([{ id: ticket!.id, scope: "item" }]);
    expect(result.stdout.toLowerCase()).not.toContain("mara");
    const shown = await cli("tickets", "show", ticket!.id, "--json");
    expect(shown.stdout).not.toMatch(/mara/i);
  });

  it("--dry-run says what would change and changes nothing", async () => {
    const [ticket] = await seed(authoredBy("Oskar Lind"));
    const result = await cli("privacy", "erase", "--author", "Oskar Lind", "--dry-run");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Dry run: nothing changed\. Would erase:/);
    expect(result.stdout).toMatch(/feedback items \(theirs\)\s+1/);
    expect(result.stdout).toContain(ticket!.id);
    expect((await cli("tickets", "show", ticket!.id, "--json")).stdout).toContain("Oskar Lind");
  });

  it("says nothing was found for an unknown author and exits 0", async () => {
    const result = await cli("privacy", "erase", "--author", "nobody@example.com", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Nothing found for this e-mail address: nothing changed\./);
  });

  it("without a terminal and without --yes exits 2 naming --yes, changing nothing", async () => {
    const [ticket] = await seed(authoredBy("Ines Costa"));
    const result = await cli("privacy", "erase", "--author", "Ines Costa");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--yes/);
    expect((await cli("tickets", "show", ticket!.id, "--json")).stdout).toContain("Ines Costa");
  });

  describe.skipIf(!hasTmux)(`on a terminal${hasTmux ? "" : ": skipped, /usr/bin/tmux is not installed"}`, () => {
    const eraseOnTerminal = (author: string, answer: string) =>
      answerOnTerminal(["privacy", "erase", "--author", author], {
        cwd: workspace.cwd,
        env: { ...workspace.env(), USER: "dpo" },
        question: /Proceed\? \[y\/N\]/,
        answer,
      });

    it(
      "shows what it would erase, asks, and changes nothing on n",
      async () => {
        const [ticket] = await seed(authoredBy("Tuula Virtanen"));
        const run = await eraseOnTerminal("Tuula Virtanen", "n");
        expect(run.screen).toContain("This erases, for good (no undo):");
        expect(run.screen).toContain("Cancelled: nothing changed.");
        expect(run.code).toBe(1);
        expect((await cli("tickets", "show", ticket!.id, "--json")).stdout).toContain("Tuula Virtanen");
        expect(JSON.parse((await cli("privacy", "history", "--author", "Tuula Virtanen", "--json")).stdout)).toEqual(
          [],
        );
      },
      TERMINAL_TEST_MS,
    );

    it(
      "erases on y and says what it changed",
      async () => {
        const [ticket] = await seed(authoredBy("Piet Vermeer"));
        const run = await eraseOnTerminal("Piet Vermeer", "y");
        expect(run.screen).toContain("Erased:");
        expect(run.code).toBe(0);
        expect((await cli("tickets", "show", ticket!.id, "--json")).stdout).not.toMatch(/piet|vermeer/i);
      },
      TERMINAL_TEST_MS,
    );
  });

  it("a missing or too short --author exits 2 naming the flag", async () => {
    const missing = await cli("privacy", "erase", "--yes");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--author/);
    const short = await cli("privacy", "erase", "--author", " a ", "--yes");
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--author.*at least 3 characters/);
  });

  it("history --author finds that person's erasure by its salted hash, and names nobody (--json contract)", async () => {
    await seed(authoredBy("Jonas Berg"));
    const erased = PrivacyEraseJson.parse(
      JSON.parse((await cli("privacy", "erase", "--author", "Jonas Berg", "--yes", "--json")).stdout),
    );
    const result = await cli("privacy", "history", "--author", "JONAS BERG", "--json");
    expect(result.code, result.stderr).toBe(0);
    const history = PrivacyHistoryJson.parse(JSON.parse(result.stdout));
    expect(history.map((r) => [r.requestId, r.actor])).toEqual([[erased.requestId, "dpo"]]);
    expect(result.stdout).not.toMatch(/jonas|berg/i);
    const other = await cli("privacy", "history", "--author", "Someone Else", "--json");
    expect(JSON.parse(other.stdout)).toEqual([]);
  });
});
