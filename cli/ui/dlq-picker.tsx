import { Box, render, Text, useApp, useInput, useWindowSize } from "ink";
import { useEffect, useState } from "react";
import type { DeadLetterView } from "../../app/dlq/dead-letter-views.js";
import { clip, formatCount, safeText } from "../presenters/format.js";
import {
  confirmQuestion,
  filteredLetters,
  initialPicker,
  letterRow,
  PICKER_HEADER,
  type PickerState,
  pickerFailed,
  pickerFinished,
  pickerReducer,
} from "./dlq-picker-state.js";
import { visibleWindow } from "./keys.js";

export interface DlqPickerApi {
  replay(ids: string[]): Promise<{ moved: string[]; notFound: string[] }>;
  remove(ids: string[]): Promise<{ deleted: string[]; notFound: string[]; kept: string[] }>;
}

export interface DlqPickerProps {
  letters: readonly DeadLetterView[];
  api: DlqPickerApi;
  now?: Date;
  /** --dry-run: the api changes nothing, and the results say what would have happened. */
  dryRun?: boolean;
  /** True when the DLQ holds more than `letters` (the picker loads at most DLQ_PICKER_LIMIT): the header says so. */
  more?: boolean;
  onExit?: (state: PickerState) => void;
}

/** The most dead letters the picker loads at once. */
export const DLQ_PICKER_LIMIT = 1_000;

const KEYS = "↑↓/jk move  space select  a all  / filter  enter replay  d delete  q quit";

export function DlqPicker({ letters, api, now = new Date(), dryRun = false, more = false, onExit }: DlqPickerProps) {
  const [state, setState] = useState<PickerState>(() => initialPicker(letters));
  const { exit } = useApp();
  const size = useWindowSize();
  const columns = size.columns || 80;
  const rows = size.rows || 24;

  useInput((input, key) => setState((current) => pickerReducer(current, { input, ...key })));

  useEffect(() => {
    if (state.mode !== "busy" || !state.pending) return;
    const { action, ids } = state.pending;
    const run =
      action === "replay"
        ? api.replay(ids).then((r) => ({ done: r.moved, notFound: r.notFound }))
        : api.remove(ids).then((r) => ({ done: r.deleted, notFound: r.notFound, kept: r.kept }));
    run.then(
      (outcome) => setState((current) => pickerFinished(current, action, outcome, dryRun)),
      (error: unknown) =>
        setState((current) => pickerFailed(current, action, error instanceof Error ? error.message : String(error))),
    );
  }, [state.mode, state.pending, api, dryRun]);

  useEffect(() => {
    if (!state.quit) return;
    onExit?.(state);
    exit();
  }, [state, onExit, exit]);

  if (state.mode === "done" && state.results) {
    return (
      <Box flexDirection="column">
        {state.results.lines.map((line) => (
          <Text key={line.messageId} color={line.ok ? "green" : "red"}>
            {line.ok ? "✔" : "✘"} {line.messageId} {line.text}
          </Text>
        ))}
        <Text color="gray">Enter or q to leave.</Text>
      </Box>
    );
  }

  const visible = filteredLetters(state);
  // Two lines per letter (its row and its body preview); title, header, filter and key lines around them.
  const window = visibleWindow(visible.length, state.cursor, Math.floor((rows - 6 - (more ? 1 : 0)) / 2));
  return (
    <Box flexDirection="column">
      <Text bold>
        Dead letters: {visible.length} of {state.letters.length}
        {state.selected.size > 0 ? `, ${state.selected.size} selected` : ""}
      </Text>
      {more ? (
        <Text color="yellow">
          {clip(`Only the first ${formatCount(DLQ_PICKER_LIMIT)} are loaded: run again for the rest.`, columns - 1)}
        </Text>
      ) : null}
      <Text color="gray">{clip(PICKER_HEADER, columns)}</Text>
      {visible.length === 0 && (
        <Text>{state.letters.length === 0 ? "The DLQ is empty." : "No dead letter matches."}</Text>
      )}
      {visible.slice(window.start, window.end).map((letter, i) => {
        const current = window.start + i === state.cursor;
        return (
          <Box key={letter.messageId} flexDirection="column">
            <Text inverse={current} wrap="truncate-end">
              {letterRow(letter, state.selected.has(letter.messageId), columns - 1, now)}
            </Text>
            <Text color="gray" wrap="truncate-end">
              {clip(`      ${safeText(letter.preview ?? "(no feedback text in the body)")}`, columns - 1)}
            </Text>
          </Box>
        );
      })}
      {state.mode === "filter" || state.filter ? (
        <Text>
          /{state.filter}
          {state.mode === "filter" ? "█" : ""}
        </Text>
      ) : null}
      {state.mode === "confirm" && state.pending ? (
        <Text color="yellow">{confirmQuestion(state.pending)}</Text>
      ) : state.mode === "busy" ? (
        <Text color="yellow">Working…</Text>
      ) : (
        <Text color="gray">{clip(KEYS, columns - 1)}</Text>
      )}
    </Box>
  );
}

/**
 * Runs the picker on the terminal until the operator leaves it; its last state (results say what happened, and
 * whether Ctrl-C ended it: Ink does not exit on it, the picker does).
 */
export async function runDlqPicker(
  letters: readonly DeadLetterView[],
  api: DlqPickerApi,
  dryRun = false,
  more = false,
): Promise<PickerState> {
  let last: PickerState = initialPicker(letters);
  const app = render(
    <DlqPicker
      letters={letters}
      api={api}
      dryRun={dryRun}
      more={more}
      onExit={(state) => {
        last = state;
      }}
    />,
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
  return last;
}
