import { render } from "ink-testing-library";
import stringWidth from "string-width";
import { afterEach, describe, expect, it } from "vitest";
import { TicketsTable } from "../../../cli/ui/tickets-table.js";
import { ticket } from "./ticket-fixture.js";

let view: ReturnType<typeof render> | undefined;
afterEach(() => view?.unmount());

const items = [ticket(1, { category: "Feature Request", title: "A long title ".repeat(20) }), ticket(2)];

describe("the Ink tickets table", () => {
  it.each([80, 100])("fits a %i-column terminal: no row wraps, ids are whole 8-character prefixes", (columns) => {
    view = render(<TicketsTable items={items} total={2} offset={0} columns={columns} />);
    const lines = view.lastFrame()!.split("\n");
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(lines[0]).toMatch(/^ID\s+PRIORITY\s+CATEGORY/);
    for (const t of items) expect(lines.some((line) => line.startsWith(`${t.id.slice(0, 8)} `))).toBe(true);
    expect(lines).toHaveLength(items.length + 2);
  });

  it("shows ids whole on a terminal wide enough", () => {
    view = render(<TicketsTable items={items} total={2} offset={0} columns={160} />);
    expect(view.lastFrame()).toContain(items[0]!.id);
  });
});
