import { Box, render, Text } from "ink";
import { useEffect, useState } from "react";
import { type ProgressLine, type ProgressState, progressLines } from "./ingest-progress-lines.js";

export type { ProgressState } from "./ingest-progress-lines.js";

type Listener = (state: ProgressState) => void;

function Bar({ share, width = 30 }: { share: number; width?: number }) {
  const filled = Math.min(width, Math.round(share * width));
  return (
    <Text color="green">
      {"█".repeat(filled)}
      <Text color="gray">{"░".repeat(width - filled)}</Text>
    </Text>
  );
}

function Line({ line }: { line: ProgressLine }) {
  return (
    <Box gap={1}>
      {line.bar !== undefined && <Bar share={line.bar} />}
      <Text dimColor={line.dim}>{line.text}</Text>
    </Box>
  );
}

function IngestProgress({ subscribe }: { subscribe: (listener: Listener) => void }) {
  const [state, setState] = useState<ProgressState | null>(null);
  useEffect(() => subscribe(setState), [subscribe]);
  if (!state) return <Text color="gray">Starting…</Text>;
  return (
    <Box flexDirection="column">
      {progressLines(state, Date.now()).map((line) => (
        <Line key={line.id} line={line} />
      ))}
    </Box>
  );
}

/**
 * Renders a live progress view; returns an updater and a function that unmounts it. Updates are
 * coalesced to a few frames a second: rendering every batch would cost more than the batch itself.
 */
export function startIngestProgress(): { update: (state: ProgressState) => void; stop: () => void } {
  let listener: Listener = () => undefined;
  let latest: ProgressState | null = null;
  const app = render(
    <IngestProgress
      subscribe={(l) => {
        listener = l;
      }}
    />,
  );
  // Redrawn on a timer even without news, so rates and the time left move while a batch is in hand.
  const flush = () => {
    if (latest) listener({ ...latest });
  };
  const timer = setInterval(flush, 250);
  return {
    update: (state) => {
      latest = { ...state };
    },
    stop: () => {
      clearInterval(timer);
      flush();
      app.unmount();
    },
  };
}
