/** A key press as the pure reducers see it: the subset of Ink's `Key` they read, and the typed text. */
export interface KeyPress {
  input: string;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  tab?: boolean;
  ctrl?: boolean;
}

/** Text a key press types into a field: printable characters only (no control keys, no Ctrl chords). */
export function typedText(key: KeyPress): string {
  if (key.ctrl || key.return || key.escape || key.tab) return "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not text
  return key.input.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

/** A text field edited by a key press: typed text appended, Backspace / Delete remove the last character. */
export function editText(value: string, key: KeyPress): string {
  if (key.backspace || key.delete) return [...value].slice(0, -1).join("");
  return value + typedText(key);
}

/**
 * Ctrl-C. In raw mode the terminal sends it to the view as a key, not as SIGINT: the views quit on it, and the
 * command exits 130 (cli/signals.ts) once Ink has given the terminal back.
 */
export const isInterrupt = (key: KeyPress) => Boolean(key.ctrl) && key.input === "c";

export const isUp = (key: KeyPress) => Boolean(key.upArrow) || key.input === "k";
export const isDown = (key: KeyPress) => Boolean(key.downArrow) || key.input === "j";

/** The rows [start, end) of a list of `count` shown in `size` rows so that `cursor` stays visible. */
export function visibleWindow(count: number, cursor: number, size: number): { start: number; end: number } {
  const rows = Math.max(1, size);
  if (count <= rows) return { start: 0, end: count };
  const start = Math.min(Math.max(0, cursor - Math.floor(rows / 2)), count - rows);
  return { start, end: start + rows };
}

/** How long ago `from` was, in one unit: 42s, 5m, 3h, 2d. */
export function age(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
