import stringWidth from "string-width";
import type { ReviewAction } from "../../app/tickets/tickets-service.js";
import { CATEGORIES, type Category, PRIORITIES, type Priority } from "../../sdk/schemas/feedback.js";
import {
  TICKET_STATUSES,
  type Ticket,
  type TicketDetail,
  type TicketPatch,
  type TicketQueryInput,
  type TicketStatus,
} from "../../sdk/schemas/ticket.js";
import { clip, safeMultiline, safeText } from "../presenters/format.js";
import { cell } from "./cell.js";
import { editText, isDown, isInterrupt, isUp, type KeyPress } from "./keys.js";

/**
 * `tickets browse`'s state and its key -> (state, effect) reducer, with no terminal (cli/ui/tickets-browser.tsx
 * draws it and runs the effects through the app's use cases).
 */
export type BrowserMode = "list" | "search" | "detail" | "edit";

export interface BrowserFilters {
  /** null: as the command line's flags say. */
  priority: Priority | null;
  category: Category | null;
  status: TicketStatus | null;
  search: string | null;
}

export interface EditForm {
  id: string;
  version: number;
  field: "title" | "priority";
  title: string;
  priority: Priority;
  original: { title: string; priority: Priority };
}

export interface BrowserState {
  /** The filters given on the command line. */
  base: TicketQueryInput;
  filters: BrowserFilters;
  offset: number;
  pageSize: number;
  page: { items: Ticket[]; total: number } | null;
  cursor: number;
  mode: BrowserMode;
  searchDraft: string;
  detail: TicketDetail | null;
  /** First line of the detail view shown. */
  scroll: number;
  form: EditForm | null;
  message: string | null;
  quit: boolean;
  /** Left with Ctrl-C: the command exits 130. */
  interrupted: boolean;
}

export type BrowserEffect =
  | { kind: "load" }
  | { kind: "open"; id: string }
  | { kind: "review"; action: ReviewAction; id: string; version: number }
  | { kind: "save"; id: string; version: number; patch: TicketPatch };

export interface Step {
  state: BrowserState;
  effect?: BrowserEffect;
}

export function initialBrowser(base: TicketQueryInput, pageSize: number): BrowserState {
  return {
    base,
    filters: { priority: null, category: null, status: null, search: null },
    offset: 0,
    pageSize,
    page: null,
    cursor: 0,
    mode: "list",
    searchDraft: "",
    detail: null,
    scroll: 0,
    form: null,
    message: null,
    quit: false,
    interrupted: false,
  };
}

/** The query of the page shown: the flags, each overridden by the filter chosen with a key. */
export function browserQuery(state: BrowserState): TicketQueryInput {
  const { base, filters } = state;
  return {
    ...base,
    priority: filters.priority ? [filters.priority] : base.priority,
    category: filters.category ? [filters.category] : base.category,
    status: filters.status ? [filters.status] : base.status,
    search: filters.search === null ? base.search : filters.search || undefined,
    limit: state.pageSize,
    offset: state.offset,
  };
}

/** The next value of a cycle: null (the flags' filter), then each value in turn, then null again. */
export function cycle<T>(values: readonly T[], current: T | null): T | null {
  if (current === null) return values[0] ?? null;
  const next = values.indexOf(current) + 1;
  return next >= values.length ? null : values[next]!;
}

const reload = (state: BrowserState): Step => ({ state: { ...state, offset: 0, cursor: 0 }, effect: { kind: "load" } });

export function currentTicket(state: BrowserState): Ticket | TicketDetail | null {
  if (state.mode === "detail" || (state.mode === "edit" && state.detail)) return state.detail;
  return state.page?.items[state.cursor] ?? null;
}

export function browserReducer(state: BrowserState, key: KeyPress): Step {
  if (isInterrupt(key)) return { state: { ...state, quit: true, interrupted: true } };
  switch (state.mode) {
    case "search":
      if (key.return)
        return reload({ ...state, mode: "list", filters: { ...state.filters, search: state.searchDraft } });
      if (key.escape) return { state: { ...state, mode: "list" } };
      return { state: { ...state, searchDraft: editText(state.searchDraft, key) } };
    case "edit":
      return edit(state, key);
    case "detail":
      return detail(state, key);
    case "list":
      return list(state, key);
  }
}

function review(state: BrowserState, action: ReviewAction): Step {
  const ticket = currentTicket(state);
  if (!ticket) return { state };
  return {
    state: { ...state, message: null },
    effect: { kind: "review", action, id: ticket.id, version: ticket.version },
  };
}

function openForm(state: BrowserState): Step {
  const ticket = currentTicket(state);
  if (!ticket) return { state };
  const original = { title: ticket.title, priority: ticket.priority };
  return {
    state: {
      ...state,
      mode: "edit",
      message: null,
      form: { id: ticket.id, version: ticket.version, field: "title", ...original, original },
    },
  };
}

function list(state: BrowserState, key: KeyPress): Step {
  const items = state.page?.items ?? [];
  const total = state.page?.total ?? 0;
  if (key.input === "q" || key.escape) return { state: { ...state, quit: true } };
  if (isUp(key)) return { state: { ...state, cursor: Math.max(0, state.cursor - 1) } };
  if (isDown(key)) return { state: { ...state, cursor: Math.min(Math.max(0, items.length - 1), state.cursor + 1) } };
  if (key.pageDown || key.rightArrow || key.input === "n") {
    if (state.offset + state.pageSize >= total) return { state };
    return { state: { ...state, offset: state.offset + state.pageSize, cursor: 0 }, effect: { kind: "load" } };
  }
  if (key.pageUp || key.leftArrow || key.input === "b") {
    if (state.offset === 0) return { state };
    return {
      state: { ...state, offset: Math.max(0, state.offset - state.pageSize), cursor: 0 },
      effect: { kind: "load" },
    };
  }
  if (key.input === "p")
    return reload({ ...state, filters: { ...state.filters, priority: cycle(PRIORITIES, state.filters.priority) } });
  if (key.input === "c")
    return reload({ ...state, filters: { ...state.filters, category: cycle(CATEGORIES, state.filters.category) } });
  if (key.input === "s")
    return reload({ ...state, filters: { ...state.filters, status: cycle(TICKET_STATUSES, state.filters.status) } });
  if (key.input === "/")
    return { state: { ...state, mode: "search", searchDraft: state.filters.search ?? state.base.search ?? "" } };
  if (key.return) {
    const ticket = items[state.cursor];
    return ticket ? { state, effect: { kind: "open", id: ticket.id } } : { state };
  }
  if (key.input === "a") return review(state, "approve");
  if (key.input === "r") return review(state, "reject");
  if (key.input === "e") return openForm(state);
  return { state };
}

function detail(state: BrowserState, key: KeyPress): Step {
  if (key.input === "q" || key.escape) return { state: { ...state, mode: "list", detail: null, scroll: 0 } };
  if (isUp(key)) return { state: { ...state, scroll: Math.max(0, state.scroll - 1) } };
  if (isDown(key)) return { state: { ...state, scroll: state.scroll + 1 } };
  if (key.input === "a") return review(state, "approve");
  if (key.input === "r") return review(state, "reject");
  if (key.input === "e") return openForm(state);
  return { state };
}

function edit(state: BrowserState, key: KeyPress): Step {
  const form = state.form;
  if (!form) return { state: { ...state, mode: "list" } };
  const back: BrowserMode = state.detail ? "detail" : "list";
  if (key.escape) return { state: { ...state, mode: back, form: null } };
  if (key.tab || key.upArrow || key.downArrow)
    return { state: { ...state, form: { ...form, field: form.field === "title" ? "priority" : "title" } } };
  if (key.return) {
    const patch: TicketPatch = {};
    if (form.title.trim() !== form.original.title) patch.title = form.title.trim();
    if (form.priority !== form.original.priority) patch.priority = form.priority;
    if (Object.keys(patch).length === 0)
      return { state: { ...state, mode: back, form: null, message: "Nothing changed." } };
    if (stringWidth(form.title.trim()) < 5 || form.title.trim().length > 200)
      return { state: { ...state, message: "The title takes 5-200 characters." } };
    return {
      state: { ...state, mode: back, form: null, message: null },
      effect: { kind: "save", id: form.id, version: form.version, patch },
    };
  }
  if (form.field === "priority") {
    if (key.leftArrow || key.rightArrow || key.input === " ") {
      const step = key.leftArrow ? PRIORITIES.length - 1 : 1;
      const next = PRIORITIES[(PRIORITIES.indexOf(form.priority) + step) % PRIORITIES.length]!;
      return { state: { ...state, form: { ...form, priority: next } } };
    }
    return { state };
  }
  return { state: { ...state, form: { ...form, title: editText(form.title, key) } } };
}

/** After a page arrived: shown, the cursor kept inside it. */
export function pageLoaded(state: BrowserState, page: { items: Ticket[]; total: number }): BrowserState {
  return { ...state, page, cursor: Math.max(0, Math.min(state.cursor, page.items.length - 1)) };
}

export function ticketOpened(state: BrowserState, detail: TicketDetail): BrowserState {
  return { ...state, mode: state.mode === "edit" ? "edit" : "detail", detail, scroll: 0 };
}

/** The filter line: what each filter key has chosen, or what the flags say. */
export function filterSummary(state: BrowserState): string {
  const query = browserQuery(state);
  const part = (label: string, value: readonly string[] | undefined) => `${label}: ${value?.join(",") || "all"}`;
  return [
    part("[p]riority", query.priority),
    part("[c]ategory", query.category),
    part("[s]tatus", query.status),
    `[/] search: ${query.search ?? "-"}`,
  ].join("  ");
}

/** "11-20 of 42", or "no tickets match". */
export function pageSummary(state: BrowserState): string {
  const page = state.page;
  if (!page || page.items.length === 0) return "No tickets match.";
  return `${state.offset + 1}-${state.offset + page.items.length} of ${page.total}`;
}

const COLUMNS = [
  { label: "id", width: 8 },
  { label: "priority", width: 8 },
  { label: "category", width: 15 },
  { label: "status", width: 12 },
] as const;

export function headerRow(columns: number): string {
  return clip([...COLUMNS.map((c) => cell(c.label, c.width)), "title"].join("  "), columns);
}

/** One ticket on one line: the short id (never cut), priority, category, status, then the title cut to fit. */
export function ticketRow(ticket: Ticket, columns: number): string {
  const head = [ticket.id.slice(0, 8), ticket.priority, ticket.category, ticket.status]
    .map((value, i) => cell(value, COLUMNS[i]!.width))
    .join("  ");
  return `${head}  ${clip(safeText(ticket.title), Math.max(1, columns - stringWidth(head) - 2))}`;
}

const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null;

/** The detail view's lines: the ticket, the original feedback with its line breaks, author, date, rating, history. */
export function detailLines(ticket: TicketDetail, columns = Number.POSITIVE_INFINITY): string[] {
  const feedback = ticket.feedback ?? {};
  const rating =
    typeof feedback.rating === "number"
      ? `${"★".repeat(feedback.rating)}${"☆".repeat(5 - feedback.rating)} (${feedback.rating}/5)`
      : "none";
  const lines = [
    `${safeText(ticket.title)}`,
    `${ticket.id}  ${ticket.priority}  ${ticket.category}  ${ticket.status}  confidence ${ticket.confidence.toFixed(2)}  version ${ticket.version}`,
    `Source: ${ticket.sourceType} ${safeText(ticket.sourceId)}${ticket.app ? `  app ${safeText(ticket.app)}` : ""}`,
    `Author: ${safeText(text(feedback.author) ?? "unknown")}`,
    `Date: ${text(feedback.submittedAt) ?? ticket.submittedAt ?? `${ticket.createdAt} (triaged)`}`,
    `Rating: ${rating}`,
    "",
    "Original feedback:",
  ];
  const subject = text(feedback.subject);
  if (subject) lines.push(`  Subject: ${safeText(subject)}`);
  const body = text(feedback.text);
  const feedbackLines = body ? safeMultiline(body).split(/\r?\n/) : ["(not stored)"];
  lines.push(...feedbackLines.flatMap((line) => wrapCells(line, columns - 2).map((part) => `  ${part}`)));
  lines.push("", "History:");
  if (ticket.history.length === 0) lines.push("  (no changes)");
  for (const entry of ticket.history) {
    const fields = Object.keys(entry.after)
      .map((field) => `${field}: ${String(entry.before[field] ?? "-")} -> ${String(entry.after[field] ?? "-")}`)
      .join(", ");
    lines.push(
      `  ${entry.changedAt}  ${safeText(entry.actor)}  ${safeText(fields)}${entry.reason ? `  (${safeText(entry.reason)})` : ""}`,
    );
  }
  return lines;
}

export const LIST_KEYS =
  "↑↓/jk move  n/b or PgDn/PgUp page  p c s filter  / search  enter open  a approve  r reject  e edit  q quit";
export const DETAIL_KEYS = "↑↓/jk scroll  a approve  r reject  e edit  q/esc back";
export const EDIT_KEYS = "tab next field  ←→ priority  enter save  esc cancel";

/**
 * A key hint ("↑↓/jk move  a approve  q quit") on as many lines of at most `cells` cells as it needs, broken between
 * its entries (two spaces apart), never inside one; an entry wider than a line is cut with "…".
 */
export function keyHintLines(keys: string, cells: number): string[] {
  const lines: string[] = [];
  for (const entry of keys.split("  ")) {
    const last = lines.at(-1);
    if (last !== undefined && stringWidth(`${last}  ${entry}`) <= cells) lines[lines.length - 1] = `${last}  ${entry}`;
    else lines.push(clip(entry, cells));
  }
  return lines;
}

/** `line` broken into pieces of at most `cells` terminal cells (at spaces when it can); an empty line stays one. */
export function wrapCells(line: string, cells: number): string[] {
  if (!Number.isFinite(cells) || stringWidth(line) <= cells) return [line];
  const limit = Math.max(1, cells);
  const parts: string[] = [];
  let rest = line;
  while (stringWidth(rest) > limit) {
    let cut = "";
    for (const char of rest) {
      if (stringWidth(cut + char) > limit) break;
      cut += char;
    }
    const space = cut.lastIndexOf(" ");
    const piece = space > 0 ? cut.slice(0, space) : cut;
    parts.push(piece);
    rest = rest.slice(piece.length).replace(/^ /, "");
  }
  parts.push(rest);
  return parts;
}
