import type { Backend } from "../../sdk/backend.js";
import { FeedbackTriageError, NotFoundError } from "../../sdk/errors.js";
import type { ReviewConnector } from "../../sdk/ports/store-reviews.js";
import type { StoreSourceState } from "../../sdk/schemas/store-source.js";
import { type ConnectorOptions, openConnector } from "../../sdk/stores/connectors.js";
import { type PullOptions, pullSource, type SourcePullResult } from "./pull-source.js";

export type PullBackend = Pick<Backend, "sources" | "bus" | "tickets">;

export interface PullRequest extends PullOptions {
  /** Only the source of this name, or the sources of this app (id or package name); default every source. */
  app?: string;
  connector: ConnectorOptions;
}

export interface PullSummary {
  sources: SourcePullResult[];
  totals: { enqueued: number; revised: number; unchanged: number; rejected: number; failed: number };
}

/** `feedback-cli pull` and the scheduled pull: each chosen source in turn; one failing does not stop the others. */
export async function pullSources(backend: PullBackend, request: PullRequest): Promise<PullSummary> {
  const chosen = choose(await backend.sources.list(), request.app);
  const results: SourcePullResult[] = [];
  for (const state of chosen) results.push(await pullOne(backend, state, request));
  const sum = (field: "enqueued" | "revised" | "unchanged" | "rejected") =>
    results.reduce((total, result) => total + result[field], 0);
  return {
    sources: results,
    totals: {
      enqueued: sum("enqueued"),
      revised: sum("revised"),
      unchanged: sum("unchanged"),
      rejected: sum("rejected"),
      failed: results.filter((result) => result.error).length,
    },
  };
}

async function pullOne(backend: PullBackend, state: StoreSourceState, request: PullRequest) {
  const connector = await openConnector(state.source, request.connector).catch((error: unknown) => {
    if (error instanceof FeedbackTriageError) return error;
    throw error;
  });
  // A source whose credentials cannot be read fails alone, recorded as its last pull like any other failure.
  const ports = { sources: backend.sources, bus: backend.bus, tickets: backend.tickets };
  if (connector instanceof FeedbackTriageError)
    return pullSource(state, { ...ports, connector: failing(connector) }, request);
  return pullSource(state, { ...ports, connector }, request);
}

function failing(error: FeedbackTriageError): ReviewConnector {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { page: fail, reply: fail };
}

function choose(states: StoreSourceState[], app: string | undefined): StoreSourceState[] {
  if (states.length === 0) {
    throw new NotFoundError("No store sources are configured", {
      hint: "Add one with 'feedback-cli sources add <name> --store app-store-connect|google-play ...'.",
    });
  }
  if (app === undefined) return states;
  const chosen = states.filter((state) => state.source.name === app || state.source.app === app);
  if (chosen.length === 0) {
    throw new NotFoundError(`No store source is named '${app}' or pulls app '${app}'`, {
      hint: "List them with 'feedback-cli sources list'.",
    });
  }
  return chosen;
}
