import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { readTriageSettings, saveTriageSettings } from "../../app/configuration/triage-settings.js";
import { listDeadLetters, replayDeadLetters } from "../../app/dlq/dlq-service.js";
import { evaluateCrew, labelledItems, sourceFiles } from "../../app/eval/eval-service.js";
import { decideSuggestions, listSuggestions } from "../../app/grouping/merge-service.js";
import { ingestFiles } from "../../app/ingest/ingest-service.js";
import type { SecretResolver } from "../../app/integrations/secrets.js";
import { exportStream } from "../../app/tickets/export.js";
import {
  BULK_LIMIT,
  type BulkResult,
  type ChangeMeta,
  changeTicket,
  type ReviewAction,
  reviewMatching,
  reviewTickets,
  STATUS_OF_ACTION,
  showTicket,
} from "../../app/tickets/tickets-service.js";
import { createAgents, resolveConfiguredMode } from "../../app/worker/create-agents.js";
import type { Backend } from "../../sdk/backend.js";
import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { ValidationError } from "../../sdk/errors.js";
import { readExpectedLabels } from "../../sdk/eval/expected-labels.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import type { AnalyticsData } from "../../sdk/ports/ticket-insights.js";
import type { TicketPage } from "../../sdk/ports/tickets.js";
import type { MergeSuggestion } from "../../sdk/schemas/grouping.js";
import type { Ticket, TicketDetail, TicketPatch, TicketQuery } from "../../sdk/schemas/ticket.js";
import type { AggregateCache } from "./cache.js";
import {
  ConfigurationJson,
  type Overview,
  type QualityReport,
  type SelectionRequest,
  type SelectionResult,
} from "./contract.js";

export { BULK_LIMIT };

/** Everything a request handler needs: the SDK backend and the dashboard's own state. */
export interface DashboardContext {
  backend: Backend;
  cache: AggregateCache;
  /** Whether this process runs the worker (it owns the embedded database). */
  workerInProcess: boolean;
  /** Folder the Quality page may read expected-labels files from by path; null: uploads only. */
  evalRoot: string | null;
  /** The crew the Quality page evaluates: the configured one (FEEDBACK_TRIAGE_AGENTS, ANTHROPIC_API_KEY). */
  agentsConfig: AgentsConfig;
  agents?: Promise<TriageAgents>;
  /** Reads the integrations' secrets for the Test button, as the worker reads them; none given: none found. */
  secrets?: SecretResolver;
}

/** The overview's one full scan, cached (see AggregateCache); computed at start so the first visit is fast too. */
export function overviewStatsCached(ctx: DashboardContext, apps?: string[]) {
  if (!apps?.length) return ctx.cache.get("overview", () => ctx.backend.insights.overview());
  return ctx.cache.get(`overview:${JSON.stringify(apps)}`, () =>
    ctx.backend.insights.overview(undefined, { app: apps }),
  );
}

/** `apps`: only the tickets of these apps count (queue, dead letters and processing rate stay global). */
export async function overview(ctx: DashboardContext, apps?: string[]): Promise<Overview> {
  const { backend } = ctx;
  const [stats, queue, dlqDepth, processing] = await Promise.all([
    overviewStatsCached(ctx, apps),
    backend.queue.depth(),
    backend.dlq.depth(),
    processingRate(backend),
  ]);
  return { stats, queue, dlqDepth, processing, worker: { inProcess: ctx.workerInProcess } };
}

async function processingRate(backend: Backend): Promise<Overview["processing"]> {
  try {
    const points = await backend.metrics.query("items_processed", {
      since: new Date(Date.now() - 3_600_000),
      limit: 10_000,
    });
    const items = Math.round(points.reduce((sum, p) => sum + p.value, 0));
    return { itemsLastHour: items, perMinute: items / 60 };
  } catch {
    return { itemsLastHour: null, perMinute: null };
  }
}

export function ticketPage(ctx: DashboardContext, query: TicketQuery): Promise<TicketPage> {
  return ctx.backend.tickets.list(query);
}

/** Pending merge suggestions (the grouping stage's grey zone), newest first. */
export function suggestions(ctx: DashboardContext): Promise<MergeSuggestion[]> {
  return listSuggestions(ctx.backend, "pending");
}

/** Accepts (merges) or dismisses one suggestion; an error (e.g. decided meanwhile) is thrown. */
export async function decideSuggestion(
  ctx: DashboardContext,
  id: string,
  decision: "accepted" | "dismissed",
  actor: string,
): Promise<MergeSuggestion> {
  const { decided, failed } = await decideSuggestions(ctx.backend, [id], decision, { actor });
  if (failed.length) throw new ValidationError(failed[0]!.message);
  return decided[0]!;
}

/** `id` may be a unique prefix of the ticket's id, as in the CLI. */
export function ticketDetail(ctx: DashboardContext, id: string): Promise<TicketDetail> {
  return showTicket(ctx.backend, id, "Find it on the Tickets page.");
}

/** A manual change (one transaction, recorded in the ticket's history); the aggregates are recomputed. */
export async function updateTicket(
  ctx: DashboardContext,
  id: string,
  patch: TicketPatch,
  meta: ChangeMeta,
): Promise<Ticket> {
  const updated = await changeTicket(ctx.backend, id, patch, meta);
  ctx.cache.invalidate();
  return updated;
}

export async function bulkStatus(
  ctx: DashboardContext,
  query: TicketQuery,
  action: ReviewAction,
  meta: { actor: string; reason?: string },
): Promise<BulkResult> {
  const result = await reviewMatching(ctx.backend, query, action, meta);
  ctx.cache.invalidate();
  return result;
}

/**
 * One action on the tickets an operator selected: approve and reject through the review use case (each
 * ticket its own change with history, a failure does not stop the others), a priority through the manual
 * change use case, one ticket at a time the same way. Returns each ticket's outcome in the order given.
 */
export async function selectionAction(
  ctx: DashboardContext,
  request: SelectionRequest,
  actor: string,
): Promise<SelectionResult> {
  const ids = [...new Set(request.ids)];
  const results: SelectionResult["results"] = [];
  if (request.action === "priority") {
    const priority = request.priority!;
    for (const id of ids) {
      try {
        const t = await changeTicket(
          ctx.backend,
          id,
          { priority },
          { actor, reason: request.reason || "bulk priority" },
        );
        results.push({ id, ok: true, message: null, status: t.status, priority: t.priority });
      } catch (error) {
        results.push({ id, ok: false, message: messageOf(error), status: null, priority: null });
      }
    }
  } else {
    const action = request.action;
    const outcome = await reviewTickets(
      ctx.backend,
      ids.map((id) => ({ id })),
      action,
      { actor, reason: request.reason },
    );
    const failed = new Map(outcome.failed.map((f) => [f.id, f.message]));
    for (const id of ids) {
      const message = failed.get(id);
      results.push(
        message === undefined
          ? { id, ok: true, message: null, status: STATUS_OF_ACTION[action], priority: null }
          : { id, ok: false, message, status: null, priority: null },
      );
    }
  }
  ctx.cache.invalidate();
  return { action: request.action, updated: results.filter((r) => r.ok).length, results };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function readConfiguration(ctx: DashboardContext): Promise<ConfigurationJson> {
  return readTriageSettings(ctx.backend);
}

/** The request body is checked against the SDK's schemas here, at the HTTP edge. */
export function saveConfiguration(ctx: DashboardContext, input: unknown, actor: string): Promise<ConfigurationJson> {
  return saveTriageSettings(ctx.backend, ConfigurationJson.parse(input), actor);
}

export function analyticsData(
  ctx: DashboardContext,
  query: TicketQuery,
  granularity: "day" | "week",
): Promise<AnalyticsData> {
  const key = `analytics:${granularity}:${JSON.stringify({ ...query, limit: 0, offset: 0, sortBy: "", sortOrder: "" })}`;
  return ctx.cache.get(key, () => ctx.backend.insights.analytics(query, granularity));
}

/** The newest feedback time of a filter (where the analytics window ends when the URL names no dates), cached. */
export function latestFeedbackAt(ctx: DashboardContext, query: TicketQuery): Promise<Date | null> {
  const key = `latest:${JSON.stringify({ ...query, limit: 0, offset: 0, sortBy: "", sortOrder: "" })}`;
  return ctx.cache.get(key, () => ctx.backend.insights.latestFeedbackAt(query));
}

/** The tickets of a filter as CSV: the same app-layer export as `feedback-cli tickets export --format csv`. */
export function exportCsv(ctx: DashboardContext, query: TicketQuery): ReadableStream<Uint8Array> {
  return Readable.toWeb(exportStream(ctx.backend, query, "csv")) as ReadableStream<Uint8Array>;
}

export async function operations(ctx: DashboardContext) {
  const { backend } = ctx;
  const [queue, dlqDepth, letters, usage, routing, sources] = await Promise.all([
    backend.queue.depth(),
    backend.dlq.depth(),
    listDeadLetters(backend, 100),
    backend.insights.modelUsage(),
    backend.insights.crewRouting(),
    backend.sources.list(),
  ]);
  return {
    queue: { name: backend.queue.name, ...queue },
    dlq: { name: backend.dlq.name, depth: dlqDepth, letters },
    worker: { inProcess: ctx.workerInProcess },
    backend: { kind: backend.kind, description: backend.description },
    agents: {
      modelUsage: { items: usage.items, costUsd: usage.costUsd, costPerItemUsd: usage.costPerItemUsd },
      routing: routing.items > 0 ? routing : null,
    },
    sources: sources.map(({ source, lastPull }) => ({
      name: source.name,
      kind: source.kind,
      app: source.app,
      lastPull,
    })),
  };
}

export async function replay(ctx: DashboardContext, request: { ids?: string[]; all?: boolean }) {
  const result = await replayDeadLetters(ctx.backend, { ids: request.ids, all: request.all });
  ctx.cache.invalidate();
  return result;
}

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

function safeName(name: string, fallback: string): string {
  const base = path
    .basename(name || fallback)
    .replace(/[^\w.-]+/g, "_")
    .slice(-100);
  return base && base !== "." && base !== ".." ? base : fallback;
}

async function withUploads<T>(files: UploadedFile[], fn: (paths: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ft-dashboard-upload-"));
  try {
    const paths: string[] = [];
    for (const [i, file] of files.entries()) {
      if (file.bytes.byteLength > MAX_UPLOAD_BYTES) throw new ValidationError(`${file.name} is larger than 50 MB`);
      const target = path.join(dir, `${i}-${safeName(file.name, "upload.csv")}`);
      await writeFile(target, file.bytes);
      paths.push(target);
    }
    return await fn(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Ingests an uploaded file as `feedback-cli ingest` would; the worker (in this process or another) makes the tickets. */
export async function ingestUpload(ctx: DashboardContext, file: UploadedFile, source?: "review" | "email") {
  const summary = await withUploads([file], (paths) => ingestFiles(ctx.backend, paths, { source }));
  return { ...summary, files: summary.files.map((f) => ({ ...f, file: file.name })) };
}

/** Resolves a path given on the Quality page inside the evaluation folder; anything outside is refused. */
export function resolveEvalPath(ctx: DashboardContext, given: string): string {
  if (!ctx.evalRoot) {
    throw new ValidationError("Reading labels by path is off on this dashboard", {
      hint: "Upload the expected-labels CSV instead.",
    });
  }
  const root = path.resolve(ctx.evalRoot);
  const resolved = path.resolve(root, given);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new ValidationError(`${given} is outside ${root}`, {
      hint: `Give a path inside ${root}, or upload the file.`,
    });
  }
  return resolved;
}

/**
 * The Quality page: `feedback-cli eval`'s computation on the configured crew. Items come from the given
 * source files, or else from the stored feedback items with the labelled ids.
 */
export async function evaluate(
  ctx: DashboardContext,
  input: { labelsFile: string; labelsName: string; sourceFiles: string[] },
): Promise<QualityReport> {
  const labels = await readExpectedLabels(input.labelsFile);
  const { items, rowErrors, itemSource } = await labelledItems(ctx.backend, labels, input.sourceFiles);
  ctx.agents ??= resolveConfiguredMode(undefined, ctx.agentsConfig, ctx.backend.configuration).then((mode) =>
    createAgents(mode, { config: ctx.agentsConfig }),
  );
  const report = await evaluateCrew(ctx.backend, await ctx.agents, { items, labels, labelsName: input.labelsName });
  return { ...report, itemSource, labelsName: input.labelsName, rejectedSourceRows: rowErrors.length };
}

export function evaluateUploads(
  ctx: DashboardContext,
  labels: UploadedFile,
  sources: UploadedFile[],
): Promise<QualityReport> {
  return withUploads([labels, ...sources], ([labelsFile, ...sourcePaths]) =>
    evaluate(ctx, {
      labelsFile: labelsFile!,
      labelsName: safeName(labels.name, "labels.csv"),
      sourceFiles: sourcePaths,
    }),
  );
}

/** Labels by path: source files as given, else beside the labels as `feedback-cli eval` finds them, else the database. */
export function evaluatePaths(
  ctx: DashboardContext,
  request: { labelsPath: string; reviewsPath?: string; emailsPath?: string },
): Promise<QualityReport> {
  const labelsFile = resolveEvalPath(ctx, request.labelsPath);
  const given = [request.reviewsPath, request.emailsPath]
    .filter((p): p is string => Boolean(p))
    .map((p) => resolveEvalPath(ctx, p));
  let sources = given;
  if (sources.length === 0) {
    try {
      sources = sourceFiles(labelsFile, {}).map((f) => resolveEvalPath(ctx, f));
    } catch {
      sources = [];
    }
  }
  return evaluate(ctx, { labelsFile, labelsName: path.basename(labelsFile), sourceFiles: sources });
}
