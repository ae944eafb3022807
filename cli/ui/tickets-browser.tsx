import { Box, render, Text, useApp, useInput, useWindowSize } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";
import type { BulkResult, ReviewAction } from "../../app/tickets/tickets-service.js";
import type { Ticket, TicketDetail, TicketPatch, TicketQueryInput } from "../../sdk/schemas/ticket.js";
import { clip, safeText } from "../presenters/format.js";
import { visibleWindow } from "./keys.js";
import {
  type BrowserEffect,
  type BrowserState,
  browserQuery,
  browserReducer,
  DETAIL_KEYS,
  detailLines,
  EDIT_KEYS,
  filterSummary,
  headerRow,
  initialBrowser,
  keyHintLines,
  LIST_KEYS,
  pageLoaded,
  pageSummary,
  type Step,
  ticketOpened,
  ticketRow,
} from "./tickets-browser-state.js";

/** What the browser reads and changes, through the app's ticket use cases (cli/commands/tickets-browse.ts). */
export interface TicketsBrowserApi {
  list(query: TicketQueryInput): Promise<{ items: Ticket[]; total: number }>;
  show(id: string): Promise<TicketDetail>;
  review(id: string, action: ReviewAction, expectedVersion: number): Promise<BulkResult>;
  update(id: string, patch: TicketPatch, expectedVersion: number): Promise<unknown>;
}

export interface TicketsBrowserProps {
  base: TicketQueryInput;
  api: TicketsBrowserApi;
  pageSize?: number;
  /** Called with the last state, as the browser quits. */
  onExit?: (state: BrowserState) => void;
}

const messageOf = (error: unknown) => safeText(error instanceof Error ? error.message : String(error));

export function TicketsBrowser({ base, api, pageSize, onExit }: TicketsBrowserProps) {
  const size = useWindowSize();
  const columns = size.columns || 80;
  const rows = size.rows || 24;
  const [state, setState] = useState<BrowserState>(() => initialBrowser(base, pageSize ?? Math.max(5, rows - 6)));
  const current = useRef(state);
  const { exit } = useApp();

  const apply = useCallback((next: BrowserState) => {
    current.current = next;
    setState(next);
  }, []);

  const run = useCallback(
    async (effect: BrowserEffect): Promise<void> => {
      const update = (change: (state: BrowserState) => BrowserState) => apply(change(current.current));
      try {
        switch (effect.kind) {
          case "load": {
            const page = await api.list(browserQuery(current.current));
            update((state) => pageLoaded(state, page));
            return;
          }
          case "open": {
            const detail = await api.show(effect.id);
            update((state) => ticketOpened(state, detail));
            return;
          }
          case "review": {
            const result = await api.review(effect.id, effect.action, effect.version);
            const failure = result.failed[0]?.message;
            const done = effect.action === "approve" ? "Approved" : "Rejected";
            update((state) => ({
              ...state,
              message: failure ? `Not changed: ${safeText(failure)}` : `${done} ${effect.id.slice(0, 8)}.`,
            }));
            break;
          }
          case "save":
            await api.update(effect.id, effect.patch, effect.version);
            update((state) => ({ ...state, message: `Saved ${effect.id.slice(0, 8)}.` }));
            break;
        }
        // After a change: the page (the ticket may leave the filter) and the detail view show it.
        const page = await api.list(browserQuery(current.current));
        update((state) => pageLoaded(state, page));
        if (current.current.mode === "detail") {
          const detail = await api.show(effect.id);
          update((state) => ({ ...state, detail }));
        }
      } catch (error) {
        update((state) => ({ ...state, message: `Failed: ${messageOf(error)}` }));
      }
    },
    [api, apply],
  );

  useEffect(() => {
    void run({ kind: "load" });
  }, [run]);

  useInput((input, key) => {
    const step: Step = browserReducer(current.current, { input, ...key });
    apply(step.state);
    if (step.state.quit) {
      onExit?.(step.state);
      exit();
    } else if (step.effect) void run(step.effect);
  });

  const footer = (keys: string) => (
    <>
      {state.message ? <Text color="yellow">{clip(state.message, columns - 1)}</Text> : null}
      {keyHintLines(keys, columns - 1).map((line) => (
        <Text key={line} color="gray">
          {line}
        </Text>
      ))}
    </>
  );

  if (state.mode === "edit" && state.form) {
    const form = state.form;
    return (
      <Box flexDirection="column">
        <Text bold>Edit {form.id}</Text>
        <Text inverse={form.field === "title"}>
          Title: {form.title}
          {form.field === "title" ? "█" : ""}
        </Text>
        <Text inverse={form.field === "priority"}>Priority: ◂ {form.priority} ▸</Text>
        {footer(EDIT_KEYS)}
      </Box>
    );
  }

  if (state.mode === "detail" && state.detail) {
    const lines = detailLines(state.detail, columns - 1);
    const height = Math.max(3, rows - 3);
    const start = Math.min(state.scroll, Math.max(0, lines.length - height));
    return (
      <Box flexDirection="column">
        {lines.slice(start, start + height).map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position
          <Text key={start + i} bold={start + i === 0} wrap="truncate-end">
            {line || " "}
          </Text>
        ))}
        {footer(DETAIL_KEYS)}
      </Box>
    );
  }

  const items = state.page?.items ?? [];
  // Title, filters, header and message around the rows, and the key hint on one or two lines.
  const window = visibleWindow(
    items.length,
    state.cursor,
    Math.max(3, rows - 5 - keyHintLines(LIST_KEYS, columns - 1).length),
  );
  return (
    <Box flexDirection="column">
      <Text bold>Tickets {pageSummary(state)}</Text>
      <Text color="gray">{clip(filterSummary(state), columns - 1)}</Text>
      <Text bold>{headerRow(columns - 1)}</Text>
      {state.page === null ? <Text color="gray">Loading…</Text> : null}
      {items.slice(window.start, window.end).map((ticket, i) => (
        <Text key={ticket.id} inverse={window.start + i === state.cursor} wrap="truncate-end">
          {ticketRow(ticket, columns - 1)}
        </Text>
      ))}
      {state.mode === "search" ? <Text>/{state.searchDraft}█</Text> : null}
      {footer(LIST_KEYS)}
    </Box>
  );
}

/**
 * Runs the browser on the terminal until the operator quits it; whether Ctrl-C ended it (Ink does not exit on it,
 * the browser does).
 */
export async function runTicketsBrowser(
  base: TicketQueryInput,
  api: TicketsBrowserApi,
): Promise<{ interrupted: boolean }> {
  let interrupted = false;
  const app = render(
    <TicketsBrowser
      base={base}
      api={api}
      onExit={(state) => {
        interrupted = state.interrupted;
      }}
    />,
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
  return { interrupted };
}
