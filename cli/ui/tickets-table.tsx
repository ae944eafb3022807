import { Box, render, Text } from "ink";
import type { Ticket } from "../../sdk/schemas/ticket.js";
import { safeText } from "../presenters/format.js";

const PRIORITY_COLOURS: Record<string, string> = { Critical: "red", High: "yellow", Medium: "cyan", Low: "gray" };

function TicketsTable({ items, total, offset }: { items: Ticket[]; total: number; offset: number }) {
  if (items.length === 0) return <Text>No tickets match.</Text>;
  return (
    <Box flexDirection="column">
      {items.map((t) => (
        <Box key={t.id} gap={1}>
          <Box width={36}>
            <Text color="gray">{t.id}</Text>
          </Box>
          <Box width={9}>
            <Text color={PRIORITY_COLOURS[t.priority]} bold>
              {t.priority}
            </Text>
          </Box>
          <Box width={16}>
            <Text>{t.category}</Text>
          </Box>
          <Box width={13}>
            <Text color={t.status === "needs_review" ? "magenta" : undefined}>{t.status}</Text>
          </Box>
          <Box width={5}>
            <Text>{t.confidence.toFixed(2)}</Text>
          </Box>
          <Box width={6}>
            <Text color={t.reach > 1 ? "yellow" : "gray"}>×{t.reach}</Text>
          </Box>
          <Text wrap="truncate-end">{safeText(t.title)}</Text>
        </Box>
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
