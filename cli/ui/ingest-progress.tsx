import { Box, render, Text } from "ink";
import { useEffect, useState } from "react";

export interface ProgressState {
  file: string;
  read: number;
  enqueued: number;
  phase: "ingesting" | "processing";
  processed: number;
}

type Listener = (state: ProgressState) => void;

function Bar({ value, total, width = 30 }: { value: number; total: number; width?: number }) {
  const filled = total > 0 ? Math.min(width, Math.round((value / total) * width)) : 0;
  return (
    <Text color="green">
      {"█".repeat(filled)}
      <Text color="gray">{"░".repeat(width - filled)}</Text>
    </Text>
  );
}

function IngestProgress({ subscribe }: { subscribe: (listener: Listener) => void }) {
  const [state, setState] = useState<ProgressState | null>(null);
  useEffect(() => subscribe(setState), [subscribe]);
  if (!state) return <Text color="gray">Starting…</Text>;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{state.file}</Text> read {state.read}, enqueued {state.enqueued}
      </Text>
      {state.phase !== "ingesting" && (
        <Box gap={1}>
          <Bar value={state.processed} total={state.enqueued} />
          <Text>
            {state.processed}/{state.enqueued} processed
          </Text>
        </Box>
      )}
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
  let shown: ProgressState | null = null;
  const app = render(
    <IngestProgress
      subscribe={(l) => {
        listener = l;
      }}
    />,
  );
  const flush = () => {
    if (latest && latest !== shown) {
      shown = latest;
      listener({ ...latest });
    }
  };
  const timer = setInterval(flush, 200);
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
