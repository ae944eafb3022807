import { Box, render, Text } from "ink";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { clip, fitTable, safeText } from "../presenters/format.js";

const PRIORITY_COLOURS: Record<string, string> = { Critical: "red", High: "yellow", Medium: "cyan", Low: "gray" };

const HEADERS = ["ID", "PRIORITY", "CATEGORY", "STATUS", "CONF", "REACH", "TITLE"];
/** Ids are never cut or wrapped (an 8-character prefix on a narrow terminal); category and title give up cells. */
const FIT = { ids: [0], shrink: [2, 6], gap: 1 };
const WIDEST_TERMINAL = 200;

const cellsOf = (t: Ticket): string[] => [
  t.id,
  t.priority,
  t.category,
  t.status,
  t.confidence.toFixed(2),
  `×${t.reach}`,
  safeText(t.title),
];

function colourOf(t: Ticket, column: number): { color?: string; bold?: boolean } {
  if (column === 0) return { color: "gray" };
  if (column === 1) return { color: PRIORITY_COLOURS[t.priority], bold: true };
  if (column === 3) return { color: t.status === "needs_review" ? "magenta" : undefined };
  if (column === 5) return { color: t.reach > 1 ? "yellow" : "gray" };
  return {};
}

function Row({ cells, widths, style }: { cells: string[]; widths: number[]; style: (i: number) => object }) {
  return (
    <Box gap={FIT.gap}>
      {cells.map((value, i) => (
        <Box key={HEADERS[i]} width={widths[i]} flexShrink={0}>
          <Text wrap="truncate-end" {...style(i)}>
            {clip(value, widths[i]!)}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

export function TicketsTable({
  items,
  total,
  offset,
  columns,
}: {
  items: Ticket[];
  total: number;
  offset: number;
  /** The terminal's width: ids shortened, category and title cut so that no row wraps. */
  columns: number;
}) {
  if (items.length === 0) {
    return (
      <Text>
        No tickets match. Drop a filter (--priority, --category, --status, --since...), or ingest feedback first.
      </Text>
    );
  }
  const fitted = fitTable(HEADERS, items.map(cellsOf), { ...FIT, columns });
  return (
    <Box flexDirection="column" width={columns}>
      <Row cells={HEADERS} widths={fitted.widths} style={() => ({ dimColor: true, bold: true })} />
      {items.map((t, row) => (
        <Row key={t.id} cells={fitted.rows[row]!} widths={fitted.widths} style={(i) => colourOf(t, i)} />
      ))}
      <Text color="gray">
        Showing {offset + 1}-{offset + items.length} of {total}. 'feedback-cli tickets show &lt;id&gt;' for details.
      </Text>
    </Box>
  );
}

export async function renderTicketsTable(list: { items: Ticket[]; total: number }, offset: number): Promise<void> {
  const columns = Math.min(process.stdout.columns || 80, WIDEST_TERMINAL);
  const app = render(<TicketsTable items={list.items} total={list.total} offset={offset} columns={columns} />);
  app.unmount();
  await app.waitUntilExit();
}
