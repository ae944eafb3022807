import stringWidth from "string-width";
import type { DeadLetterView } from "../../app/dlq/dead-letter-views.js";
import { clip, safeText } from "../presenters/format.js";
import { cell } from "./cell.js";
import { age, editText, isDown, isInterrupt, isUp, type KeyPress } from "./keys.js";

/**
 * The DLQ picker's state and its key -> state reducer, with no terminal: what `dlq replay` shows on a
 * terminal when no --id / --all is given (cli/ui/dlq-picker.tsx draws it and runs the effects).
 */
export type PickerAction = "replay" | "delete";
export type PickerMode = "browse" | "filter" | "confirm" | "busy" | "done";

export interface PickerResultLine {
  messageId: string;
  ok: boolean;
  text: string;
}

export interface PickerState {
  letters: readonly DeadLetterView[];
  filter: string;
  mode: PickerMode;
  /** Index into the filtered list. */
  cursor: number;
  selected: ReadonlySet<string>;
  /** What a confirmation (mode confirm) or the running effect (mode busy) is about. */
  pending: { action: PickerAction; ids: string[] } | null;
  results: { action: PickerAction; lines: PickerResultLine[] } | null;
  /** The picker is over: the caller unmounts it. */
  quit: boolean;
  /** Left with Ctrl-C (at once, or when the action in hand has finished): the command exits 130. */
  interrupted: boolean;
}

export function initialPicker(letters: readonly DeadLetterView[]): PickerState {
  return {
    letters,
    filter: "",
    mode: "browse",
    cursor: 0,
    selected: new Set(),
    pending: null,
    results: null,
    quit: false,
    interrupted: false,
  };
}

/** The letters the filter text matches (case-insensitive, in the id, source, last error or preview). */
export function filteredLetters(state: Pick<PickerState, "letters" | "filter">): DeadLetterView[] {
  const needle = state.filter.trim().toLowerCase();
  if (!needle) return [...state.letters];
  return state.letters.filter((letter) =>
    [letter.messageId, letter.sourceType, letter.sourceId, letter.lastError, letter.preview, letter.sourceQueue]
      .filter((field): field is string => typeof field === "string")
      .some((field) => field.toLowerCase().includes(needle)),
  );
}

const clampCursor = (state: PickerState): PickerState => {
  const count = filteredLetters(state).length;
  return { ...state, cursor: Math.max(0, Math.min(state.cursor, count - 1)) };
};

/** The ids an action applies to: the selection, else the letter under the cursor. */
export function targetIds(state: PickerState): string[] {
  if (state.selected.size > 0) return state.letters.map((l) => l.messageId).filter((id) => state.selected.has(id));
  const current = filteredLetters(state)[state.cursor];
  return current ? [current.messageId] : [];
}

export function pickerReducer(state: PickerState, key: KeyPress): PickerState {
  // A replay or delete under way is not cut off: the picker leaves when it has finished.
  if (isInterrupt(key)) return { ...state, interrupted: true, quit: state.mode !== "busy" };
  switch (state.mode) {
    case "filter":
      if (key.return) return { ...state, mode: "browse" };
      if (key.escape) return clampCursor({ ...state, mode: "browse", filter: "" });
      return clampCursor({ ...state, filter: editText(state.filter, key), cursor: 0 });
    case "confirm":
      if (key.input === "y" || key.input === "Y") return { ...state, mode: "busy" };
      if (key.input === "n" || key.input === "N" || key.escape) return { ...state, mode: "browse", pending: null };
      return state;
    case "busy":
      return state;
    case "done":
      if (key.return || key.escape || key.input === "q") return { ...state, quit: true };
      return state;
    case "browse":
      return browse(state, key);
  }
}

function browse(state: PickerState, key: KeyPress): PickerState {
  const visible = filteredLetters(state);
  if (key.input === "q" || key.escape) return { ...state, quit: true };
  if (isUp(key)) return { ...state, cursor: Math.max(0, state.cursor - 1) };
  if (isDown(key)) return { ...state, cursor: Math.min(Math.max(0, visible.length - 1), state.cursor + 1) };
  if (key.input === "/") return { ...state, mode: "filter" };
  if (key.input === " ") {
    const current = visible[state.cursor];
    if (!current) return state;
    const selected = new Set(state.selected);
    if (selected.has(current.messageId)) selected.delete(current.messageId);
    else selected.add(current.messageId);
    return { ...state, selected };
  }
  if (key.input === "a") {
    const all = visible.every((letter) => state.selected.has(letter.messageId));
    return { ...state, selected: all ? new Set() : new Set(visible.map((letter) => letter.messageId)) };
  }
  if (key.return || key.input === "d") {
    const ids = targetIds(state);
    if (ids.length === 0) return state;
    return { ...state, mode: "confirm", pending: { action: key.return ? "replay" : "delete", ids } };
  }
  return state;
}

/** After the effect ran: the per-message results, and the letters that left the DLQ taken off the list. */
export function pickerFinished(
  state: PickerState,
  action: PickerAction,
  outcome: { done: string[]; notFound: string[]; kept?: string[] },
  dryRun = false,
): PickerState {
  const verb = `${dryRun ? "would be " : ""}${action === "replay" ? "replayed" : "deleted"}`;
  const lines: PickerResultLine[] = [
    ...outcome.done.map((messageId, i) => ({
      messageId,
      ok: true,
      text: action === "delete" && outcome.kept?.[i] ? `${verb} (copy kept: ${outcome.kept[i]})` : verb,
    })),
    ...outcome.notFound.map((messageId) => ({ messageId, ok: false, text: "not found (already gone?)" })),
  ];
  const gone = new Set(dryRun ? [] : outcome.done);
  return {
    ...state,
    letters: state.letters.filter((letter) => !gone.has(letter.messageId)),
    selected: new Set(),
    mode: "done",
    pending: null,
    results: { action, lines },
    quit: state.interrupted,
  };
}

export function pickerFailed(state: PickerState, action: PickerAction, message: string): PickerState {
  const ids = state.pending?.ids ?? [];
  return {
    ...state,
    mode: "done",
    pending: null,
    quit: state.interrupted,
    results: { action, lines: ids.map((messageId) => ({ messageId, ok: false, text: safeText(message) })) },
  };
}

/** The row of one dead letter, cut to `columns` cells: mark, id, source, age, receives, last error. */
export function letterRow(letter: DeadLetterView, selected: boolean, columns: number, now: Date): string {
  const source = letter.sourceType ? `${letter.sourceType}:${letter.sourceId ?? "?"}` : (letter.sourceQueue ?? "?");
  const since = new Date(letter.deadLetteredAt ?? letter.sentAt);
  const head = `${selected ? "[x]" : "[ ]"} ${letter.messageId.slice(0, 8)}  ${cell(safeText(source), 26)}  ${age(since, now).padStart(4)}  ${String(letter.receiveCount).padStart(3)}  `;
  return head + clip(safeText(letter.lastError ?? "(no error recorded)"), columns - stringWidth(head));
}

export const PICKER_HEADER = "    id        source                       age  rcv  last error";

export function confirmQuestion(pending: { action: PickerAction; ids: string[] }): string {
  const n = pending.ids.length;
  const what = `${n} dead letter${n === 1 ? "" : "s"}`;
  return pending.action === "replay"
    ? `Replay ${what} to the processing queue? [y/N]`
    : `Delete ${what} for good (a copy of each is kept as an artifact)? [y/N]`;
}
