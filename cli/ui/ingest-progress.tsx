import { Box, render, Text } from "ink";
import { useEffect, useState } from "react";

export interface ProgressState {
  file: string;
  read: number;
  enqueued: number;
  phase: "ingesting" | "processing" | "done";
  processed: number;
}

type Listener = (state: ProgressState) => void;

function Bar({ value, total, width = 30 }: { value: number; total: number; width?: number }) {
  const filled = total > 0 ? Math.min(width, Math.round((value / total) * width)) : 0;
  return <Text color="green">{"█".repeat(filled)}<Text color="gray">{"░".repeat(width - filled)}</Text></Text>;
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

/** Renders a live progress view; returns an updater and a function that unmounts it. */
export function startIngestProgress(): { update: (state: ProgressState) => void; stop: () => void } {
  let listener: Listener = () => undefined;
  const app = render(<IngestProgress subscribe={(l) => { listener = l; }} />);
  return {
    update: (state) => listener(state),
    stop: () => app.unmount(),
  };
}
