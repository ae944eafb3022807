import { render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BulkResult } from "../../../app/tickets/tickets-service.js";
import { TicketsBrowser, type TicketsBrowserApi } from "../../../cli/ui/tickets-browser.js";
import type { TicketQueryInput } from "../../../sdk/schemas/ticket.js";
import { ticket, ticketDetail } from "./ticket-fixture.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function fakeApi() {
  const tickets = [ticket(1), ticket(2, { priority: "Critical" })];
  return {
    list: vi.fn(async (query: TicketQueryInput) => {
      const items = tickets.filter((t) => !query.priority || query.priority.includes(t.priority));
      return { items, total: items.length };
    }),
    show: vi.fn(async (id: string) => ticketDetail(Number(id[0]), { id })),
    review: vi.fn(
      async (_id: string, action: "approve" | "reject"): Promise<BulkResult> => ({
        action,
        matched: 1,
        updated: 1,
        failed: [],
        more: false,
      }),
    ),
    update: vi.fn(async () => undefined),
  } satisfies TicketsBrowserApi;
}

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

async function open(api: TicketsBrowserApi) {
  view = render(<TicketsBrowser base={{}} api={api} pageSize={10} />);
  await settle();
}

async function type(...keys: string[]) {
  for (const key of keys) {
    view!.stdin.write(key);
    await settle();
  }
}

const frame = () => view!.lastFrame() ?? "";

describe("<TicketsBrowser>", () => {
  it("shows a page of tickets under a header row, with the keys", async () => {
    await open(fakeApi());
    expect(frame()).toContain("Tickets 1-2 of 2");
    expect(frame()).toMatch(/id {8}priority {2}category/);
    expect(frame()).toMatch(/11111111 {2}High {6}Bug {14}needs_review {2}\[BUG\] Crash number 1/);
    expect(frame()).toContain("a approve");
    // The whole key hint, on two lines when the terminal is narrower than it.
    expect(frame()).toContain("q quit");
  });

  it("quits on Ctrl-C, saying it was interrupted", async () => {
    const onExit = vi.fn();
    view = render(<TicketsBrowser base={{}} api={fakeApi()} pageSize={10} onExit={onExit} />);
    await settle();
    await type("\u0003");
    expect(onExit).toHaveBeenCalledWith(expect.objectContaining({ quit: true, interrupted: true }));
  });

  it("reloads with the priority chosen by p", async () => {
    const api = fakeApi();
    await open(api);
    await type("p");
    expect(api.list).toHaveBeenLastCalledWith(expect.objectContaining({ priority: ["Critical"], offset: 0 }));
    expect(frame()).toContain("Tickets 1-1 of 1");
    expect(frame()).not.toContain("11111111");
  });

  it("opens the detail view on Enter with the feedback's own line breaks", async () => {
    const api = fakeApi();
    await open(api);
    await type("\r");
    expect(api.show).toHaveBeenCalledWith(ticket(1).id);
    expect(frame()).toMatch(/ {2}First line\.\n {2}Second line after a break\./);
    expect(frame()).toContain("Author: ana@example.com");
    expect(frame()).toContain("maria");
  });

  it("approves the ticket under the cursor at the version shown and says so", async () => {
    const api = fakeApi();
    await open(api);
    await type("\u001b[B", "a");
    expect(api.review).toHaveBeenCalledWith(ticket(2).id, "approve", 1);
    expect(frame()).toContain("Approved 22222222.");
  });

  it("shows why a review failed", async () => {
    const api = fakeApi();
    api.review.mockResolvedValueOnce({
      action: "reject",
      matched: 1,
      updated: 0,
      failed: [{ id: ticket(1).id, message: "version conflict" }],
      more: false,
    });
    await open(api);
    await type("r");
    expect(frame()).toContain("Not changed: version conflict");
  });

  it("edits the title in the form and saves it through the update use case", async () => {
    const api = fakeApi();
    await open(api);
    await type("e");
    expect(frame()).toContain("Title: [BUG] Crash number 1");
    await type("\u007f", "7", "\r");
    expect(api.update).toHaveBeenCalledWith(ticket(1).id, { title: "[BUG] Crash number 7" }, 1);
    expect(frame()).toContain("Saved 11111111.");
  });
});
