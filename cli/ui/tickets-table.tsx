import { Box, render, Text } from "ink";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { safeText } from "../presenters/format.js";

const PRIORITY_COLOURS: Record<string, string> = { Critical: "red", High: "yellow", Medium: "cyan", Low: "gray" };

/** Fixed columns (ids are never cut or wrapped); the title takes the rest of the row and is cut with "…". */
const COLUMNS = [
  { header: "ID", width: 36 },
  { header: "PRIORITY", width: 9 },
  { header: "CATEGORY", width: 16 },
  { header: "STATUS", width: 13 },
  { header: "CONF", width: 5 },
  { header: "REACH", width: 6 },
] as const;

function Cell({ width, children }: { width: number; children: React.ReactNode }) {
  return (
    <Box width={width} flexShrink={0}>
      {children}
    </Box>
  );
}

function Row({ cells, title, dim }: { cells: React.ReactNode[]; title: string; dim?: boolean }) {
  return (
    <Box gap={1}>
      {cells.map((cell, i) => (
        <Cell key={COLUMNS[i]!.header} width={COLUMNS[i]!.width}>
          {cell}
        </Cell>
      ))}
      <Box flexGrow={1} flexShrink={1} minWidth={10}>
        <Text wrap="truncate-end" dimColor={dim} bold={dim}>
          {title}
        </Text>
      </Box>
    </Box>
  );
}

function TicketsTable({ items, total, offset }: { items: Ticket[]; total: number; offset: number }) {
  if (items.length === 0) {
    return (
      <Text>
        No tickets match. Drop a filter (--priority, --category, --status, --since...), or ingest feedback first.
      </Text>
    );
  }
  return (
    <Box flexDirection="column">
      <Row
        dim
        title="TITLE"
        cells={COLUMNS.map((c) => (
          <Text key={c.header} dimColor bold>
            {c.header}
          </Text>
        ))}
      />
      {items.map((t) => (
        <Row
          key={t.id}
          title={safeText(t.title)}
          cells={[
            <Text key="id" color="gray">
              {t.id}
            </Text>,
            <Text key="priority" color={PRIORITY_COLOURS[t.priority]} bold>
              {t.priority}
            </Text>,
            <Text key="category">{t.category}</Text>,
            <Text key="status" color={t.status === "needs_review" ? "magenta" : undefined}>
              {t.status}
            </Text>,
            <Text key="confidence">{t.confidence.toFixed(2)}</Text>,
            <Text key="reach" color={t.reach > 1 ? "yellow" : "gray"}>
              ×{t.reach}
            </Text>,
          ]}
        />
      ))}
      <Text color="gray">
        Showing {offset + 1}-{offset + items.length} of {total}. 'feedback-cli tickets show &lt;id&gt;' for details.
      </Text>
    </Box>
  );
}

export async function renderTicketsTable(list: { items: Ticket[]; total: number }, offset: number): Promise<void> {
  const app = render(<TicketsTable items={list.items} total={list.total} offset={offset} />);
  app.unmount();
  await app.waitUntilExit();
}
