/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { ZodError, type ZodType, z } from "zod";
import { FeedbackTriageError, ValidationError } from "../../sdk/errors.js";
import { MergeSuggestion } from "../../sdk/schemas/grouping.js";
import { describeTextFault, findTextFault } from "../../sdk/schemas/safe-text.js";
import { type TicketDetail, TicketPatch } from "../../sdk/schemas/ticket.js";
import type { Assets } from "./assets.js";
import {
  AnalyticsJson,
  BulkRequest,
  BulkResult,
  ConfigurationJson,
  Health,
  IngestResult,
  OperationsJson,
  Overview,
  QualityPathRequest,
  QualityReport,
  ReplayRequest,
  ReplayResult,
  SelectionRequest,
  SelectionResult,
  Session,
  STATUS_OF_ACTION,
  StatusAction,
  StatusRequest,
  TicketDetailJson,
  TicketPageJson,
  TicketUpdateRequest,
} from "./contract.js";
import { registerIntegrationRoutes } from "./integrations-routes.js";
import {
  type AuthConfig,
  authenticate,
  CSRF_FIELD,
  csrfProtection,
  type DashboardEnv,
  securityHeaders,
} from "./security.js";
import { selectionFromForm, selectionNotice, selectionNoticeParams } from "./selection-form.js";
import * as svc from "./services.js";
import {
  filterOnly,
  filterSearchParams,
  parseFilterParams,
  type TicketFilterParams,
  toTicketQuery,
} from "./ticket-filter.js";
import { traceRequests } from "./tracing.js";
import { AnalyticsPage } from "./views/analytics.js";
import { ConfigurationPage, configurationFromForm, draftOf } from "./views/configuration.js";
import type { PageChrome } from "./views/layout.js";
import { ErrorPage, OperationsPage } from "./views/operations.js";
import { OverviewPage } from "./views/overview.js";
import { QualityPage } from "./views/quality.js";
import { ReviewPage, SuggestionsPage, TECHNICAL_FIELDS, TicketDetailPage, TicketsPage } from "./views/tickets.js";

export interface DashboardAppOptions {
  ctx: svc.DashboardContext;
  auth: AuthConfig;
  assets: Assets;
  /** Behind a load balancer: trust X-Forwarded-Proto for Secure cookies and HSTS. */
  trustProxy: boolean;
}

type C = Context<DashboardEnv>;
type Form = Record<string, string | File | (string | File)[]>;

const MAX_BODY_BYTES = 120 * 1024 * 1024;

function sendJson<S extends ZodType>(c: C, schema: S, data: z.input<S>, status: 200 | 201 = 200) {
  return c.json(schema.parse(data) as object, status);
}

function issuesOf(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(value)", message: i.message }));
}

function statusOf(error: unknown): 400 | 403 | 404 | 409 | 413 | 503 | 500 {
  if (error instanceof ZodError) return 400;
  if (error instanceof FeedbackTriageError) {
    switch (error.code) {
      case "VALIDATION":
        return 400;
      case "ACCESS_DENIED":
        return 403;
      case "NOT_FOUND":
        return 404;
      case "CONFLICT":
        return 409;
      case "TOO_LARGE":
        return 413;
      case "DATABASE_BUSY":
      case "THROTTLED":
        return 503;
    }
  }
  return 500;
}

/** A local path to go back to after a form post (never another site). */
function safeBack(value: unknown, fallback: string): string {
  return typeof value === "string" && /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length < 2000 ? value : fallback;
}

const firstString = (value: Form[string] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" ? v : undefined;
};

const fileOf = async (value: Form[string] | undefined): Promise<svc.UploadedFile | null> => {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || typeof v === "string" || v.size === 0) return null;
  return { name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) };
};

function stringFields(form: Form): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    const strings = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    if (strings.length) out[key] = strings.length === 1 ? strings[0]! : strings;
  }
  return out;
}

function notice(c: C): string | null {
  const q = (k: string) => c.req.query(k);
  const n = (k: string) => {
    const v = Number(q(k));
    return Number.isInteger(v) && v >= 0 ? v : 0;
  };
  switch (q("notice")) {
    case "updated":
      return "Ticket updated; the change is in its history.";
    case "unchanged":
      return "Nothing to change: the values were the same.";
    case "approved":
      return "Ticket approved.";
    case "rejected":
      return "Ticket rejected.";
    case "bulk": {
      const action = q("action") === "reject" ? "rejected" : "approved";
      return `${n("n")} ticket(s) ${action}${n("f") ? `, ${n("f")} failed` : ""}${q("more") === "1" ? `; more match: run it again (at most ${svc.BULK_LIMIT} at a time)` : ""}.`;
    }
    case "config":
      return "Configuration saved. It applies to the next items the worker processes.";
    case "integration":
      return `Destination ${q("name") ?? ""} saved. The worker delivers its events from now on.`;
    case "integration-on":
      return `Destination ${q("name") ?? ""} enabled.`;
    case "integration-off":
      return `Destination ${q("name") ?? ""} disabled: nothing is sent to it.`;
    case "replayed":
      return `${n("n")} dead letter(s) moved back to the queue${n("nf") ? `; ${n("nf")} not found` : ""}.`;
    default:
      return selectionNotice(q);
  }
}

/**
 * Query parameters holding a character no text column can hold (NUL, a lone surrogate) are refused with a
 * 400 naming the parameter, before any page or API call sends them to the database (which would fail: 500).
 */
function refuseUnstorableQuery(queries: Record<string, string[]>): void {
  for (const [name, values] of Object.entries(queries)) {
    for (const text of [name, ...values]) {
      const fault = findTextFault(text);
      if (fault)
        throw new ValidationError(
          `The query parameter ${JSON.stringify(name)} contains ${describeTextFault(fault)}, which cannot be searched or stored`,
          { hint: "Remove the character from the address (a %00 or a broken %-escape) and try again." },
        );
    }
  }
}

function hasFilter(params: TicketFilterParams): boolean {
  return [...filterSearchParams(filterOnly(params)).keys()].length > 0;
}

function reviewParams(raw: TicketFilterParams): TicketFilterParams {
  return { ...raw, status: raw.status ?? ["needs_review"], sort: raw.sort ?? "createdAt", order: raw.order ?? "asc" };
}

/**
 * The analytics window and the bucket size. Without dates in the URL: the 90 days up to the newest feedback of the
 * filter (`latest`; today without tickets), so an import of old reviews shows them, not an empty window.
 */
function analyticsParams(
  raw: TicketFilterParams,
  latest: Date | null,
): { params: TicketFilterParams; granularity: "day" | "week" } {
  const now = latest ?? new Date();
  // Trends are of the feedback's own dates: the window ranges over them too unless the URL says "by=created".
  const params = { ...raw, by: raw.by ?? "submitted" };
  if (!params.since && !params.until)
    params.since = new Date(now.getTime() - 89 * 86_400_000).toISOString().slice(0, 10);
  const start = params.since ? Date.parse(`${params.since}T00:00:00Z`) : Number.NaN;
  const end = params.until ? Date.parse(`${params.until}T00:00:00Z`) : now.getTime();
  const granularity = Number.isFinite(start) && end - start <= 120 * 86_400_000 ? "day" : "week";
  return { params, granularity };
}

export function createDashboardApp(options: DashboardAppOptions): Hono<DashboardEnv> {
  const { ctx, assets } = options;
  const app = new Hono<DashboardEnv>();
  let lastReport: QualityReport | null = null;

  const chrome = (c: C, extra: Partial<PageChrome> = {}): PageChrome => ({
    actor: c.var.actor ?? "",
    csrfToken: c.var.csrfToken ?? "",
    assets,
    notice: notice(c),
    ...extra,
  });
  const filterOf = (c: C) => parseFilterParams(c.req.queries() ?? {});

  app.use(traceRequests());
  app.use(securityHeaders({ trustProxy: options.trustProxy }));
  app.use(authenticate(options.auth));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.text("Payload too large", 413),
    }),
  );
  app.use(csrfProtection({ trustProxy: options.trustProxy }));
  app.use(async (c, next) => {
    refuseUnstorableQuery(c.req.queries() ?? {});
    await next();
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    const status = statusOf(error);
    if (status === 500) console.error("dashboard:", error);
    const message =
      error instanceof ZodError
        ? `Invalid input: ${issuesOf(error)
            .map((i) => `${i.path}: ${i.message}`)
            .join("; ")}`
        : status === 500 && !(error instanceof FeedbackTriageError)
          ? "Unexpected error; it has been logged."
          : error.message;
    const hint = error instanceof FeedbackTriageError ? (error.hint ?? null) : null;
    if (c.req.path.startsWith("/api/")) {
      const code =
        error instanceof ZodError ? "VALIDATION" : error instanceof FeedbackTriageError ? error.code : "INTERNAL";
      return c.json(
        { error: { code, message, hint, ...(error instanceof ZodError ? { issues: issuesOf(error) } : {}) } },
        status,
      );
    }
    return c.html(
      <ErrorPage chrome={chrome(c as C, { notice: null })} status={status} message={message} hint={hint} />,
      status,
    );
  });
  app.notFound((c) => {
    if (c.req.path.startsWith("/api/"))
      return c.json(
        { error: { code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}`, hint: null } },
        404,
      );
    return c.html(
      <ErrorPage chrome={chrome(c as C, { notice: null })} status={404} message="This page does not exist." />,
      404,
    );
  });

  // ---- infrastructure -------------------------------------------------------------------------------
  app.get("/health", (c) => sendJson(c, Health, { status: "ok", backend: ctx.backend.kind }));
  app.get("/assets/:file", (c) => {
    const file = assets.files.get(c.req.param("file"));
    if (!file) return c.text("Not found", 404);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.type,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  app.get("/api/session", (c) =>
    sendJson(c, Session, { user: c.var.actor, authMode: options.auth.mode, csrfToken: c.var.csrfToken }),
  );

  // ---- overview -------------------------------------------------------------------------------------
  // The overview may be narrowed to apps (?app=com.example.notes); its other filters are the tickets page's.
  app.get("/", async (c) => {
    const { app: apps } = filterOf(c);
    return c.html(<OverviewPage chrome={chrome(c)} data={await svc.overview(ctx, apps)} apps={apps} />);
  });
  app.get("/api/overview", async (c) => sendJson(c, Overview, await svc.overview(ctx, filterOf(c).app)));

  // ---- tickets --------------------------------------------------------------------------------------
  app.get("/tickets", async (c) => {
    const params = filterOf(c);
    const query = toTicketQuery(params);
    const page = await svc.ticketPage(ctx, query);
    return c.html(
      <TicketsPage chrome={chrome(c)} params={params} page={page} limit={query.limit} offset={query.offset} />,
    );
  });
  app.get("/api/tickets", async (c) => {
    const query = toTicketQuery(filterOf(c));
    const page = await svc.ticketPage(ctx, query);
    return sendJson(c, TicketPageJson, { ...page, limit: query.limit, offset: query.offset });
  });
  app.get("/api/tickets/:id", async (c) =>
    sendJson(c, TicketDetailJson, await svc.ticketDetail(ctx, c.req.param("id"))),
  );
  app.get("/tickets/:id", async (c) => {
    const ticket = await svc.ticketDetail(ctx, c.req.param("id"));
    return c.html(
      <TicketDetailPage chrome={chrome(c)} ticket={ticket} back={safeBack(c.req.query("back"), "/tickets")} />,
    );
  });

  app.patch("/api/tickets/:id", async (c) => {
    const { expectedVersion, reason, ...patch } = TicketUpdateRequest.parse(await c.req.json());
    const updated = await svc.updateTicket(ctx, c.req.param("id"), patch, {
      actor: c.var.actor,
      reason,
      expectedVersion,
    });
    return sendJson(c, TicketDetailJson, await svc.ticketDetail(ctx, updated.id));
  });
  app.post("/api/tickets/:id/status", async (c) => {
    const request = StatusRequest.parse(await c.req.json());
    const updated = await svc.updateTicket(
      ctx,
      c.req.param("id"),
      { status: STATUS_OF_ACTION[request.action] },
      { actor: c.var.actor, reason: request.reason, expectedVersion: request.expectedVersion },
    );
    return sendJson(c, TicketDetailJson, await svc.ticketDetail(ctx, updated.id));
  });
  app.post("/api/tickets/bulk", async (c) => {
    const request = BulkRequest.parse(await c.req.json());
    const params = parseFilterParams(request.filter);
    if (!hasFilter(params))
      throw new ValidationError("A bulk change needs a filter", {
        hint: 'e.g. {"status": "needs_review", "category": "Spam"}',
      });
    const result = await svc.bulkStatus(ctx, toTicketQuery(params, { size: 1 }), request.action, {
      actor: c.var.actor,
      reason: request.reason,
    });
    return sendJson(c, BulkResult, result);
  });

  app.post("/api/tickets/selection", async (c) => {
    const request = SelectionRequest.parse(await c.req.json());
    return sendJson(c, SelectionResult, await svc.selectionAction(ctx, request, c.var.actor));
  });

  // The bulk bar's form (no JavaScript): the JSON route's use case, then back to the page it came from. Before
  // /tickets/:id, which would take "selection" for an id.
  app.post("/tickets/selection", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const request = selectionFromForm(form);
    const done = request && { request, result: await svc.selectionAction(ctx, request, c.var.actor) };
    const back = new URL(safeBack(firstString(form.back), "/tickets"), "http://x");
    for (const [key, value] of Object.entries(selectionNoticeParams(done))) back.searchParams.set(key, value);
    return c.redirect(`${back.pathname}${back.search}`, 303);
  });

  app.post("/tickets/:id", async (c) => {
    const id = c.req.param("id");
    const form = await c.req.parseBody({ all: true });
    const current = await svc.ticketDetail(ctx, id);
    const patch = TicketPatch.parse(patchFromForm(form, current));
    const expectedVersion = Number(firstString(form.expectedVersion));
    const back = safeBack(firstString(form.back), "/tickets");
    const detailUrl = (n: string) => `/tickets/${current.id}?${new URLSearchParams({ notice: n, back })}`;
    if (Object.keys(patch).length === 0) return c.redirect(detailUrl("unchanged"), 303);
    const before = current.version;
    const updated = await svc.updateTicket(ctx, id, patch, {
      actor: c.var.actor,
      reason: firstString(form.reason)?.trim() || undefined,
      expectedVersion: Number.isInteger(expectedVersion) && expectedVersion > 0 ? expectedVersion : undefined,
    });
    return c.redirect(detailUrl(updated.version === before ? "unchanged" : "updated"), 303);
  });
  app.post("/tickets/:id/status", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const action = StatusAction.parse(firstString(form.action));
    const expectedVersion = Number(firstString(form.expectedVersion));
    await svc.updateTicket(
      ctx,
      c.req.param("id"),
      { status: STATUS_OF_ACTION[action] },
      {
        actor: c.var.actor,
        reason: firstString(form.reason)?.trim() || undefined,
        expectedVersion: Number.isInteger(expectedVersion) && expectedVersion > 0 ? expectedVersion : undefined,
      },
    );
    const back = safeBack(firstString(form.back), `/tickets/${c.req.param("id")}`);
    const url = new URL(back, "http://x");
    url.searchParams.set("notice", STATUS_OF_ACTION[action]);
    return c.redirect(`${url.pathname}${url.search}`, 303);
  });

  // ---- merge suggestions (duplicate grouping's grey zone) ----------------------------------------------
  app.get("/suggestions", async (c) =>
    c.html(<SuggestionsPage chrome={chrome(c)} suggestions={await svc.suggestions(ctx)} />),
  );
  app.get("/api/suggestions", async (c) => sendJson(c, z.array(MergeSuggestion), await svc.suggestions(ctx)));
  app.post("/suggestions/:id", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const action = z.enum(["accept", "dismiss"]).parse(firstString(form.action));
    await svc.decideSuggestion(ctx, c.req.param("id"), action === "accept" ? "accepted" : "dismissed", c.var.actor);
    return c.redirect(`/suggestions?notice=${action === "accept" ? "merged" : "dismissed"}`, 303);
  });
  app.post("/api/suggestions/:id", async (c) => {
    const { action } = z.object({ action: z.enum(["accept", "dismiss"]) }).parse(await c.req.json());
    return sendJson(
      c,
      MergeSuggestion,
      await svc.decideSuggestion(ctx, c.req.param("id"), action === "accept" ? "accepted" : "dismissed", c.var.actor),
    );
  });

  // ---- review ---------------------------------------------------------------------------------------
  app.get("/review", async (c) => {
    const params = reviewParams(filterOf(c));
    const query = toTicketQuery(params);
    const page = await svc.ticketPage(ctx, query);
    return c.html(
      <ReviewPage chrome={chrome(c)} params={params} page={page} limit={query.limit} offset={query.offset} />,
    );
  });
  app.post("/review/bulk", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const action = StatusAction.parse(firstString(form.action));
    const filter: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(stringFields(form)))
      if (key.startsWith("filter.")) filter[key.slice(7)] = value;
    const params = parseFilterParams(filter);
    if (!hasFilter(params))
      throw new ValidationError("A bulk change needs a filter", { hint: "Choose at least one filter value first." });
    const result = await svc.bulkStatus(ctx, toTicketQuery(params, { size: 1 }), action, {
      actor: c.var.actor,
      reason: firstString(form.reason)?.trim() || undefined,
    });
    const back = filterSearchParams(params);
    back.set("notice", "bulk");
    back.set("action", action);
    back.set("n", String(result.updated));
    back.set("f", String(result.failed.length));
    if (result.more) back.set("more", "1");
    return c.redirect(`/review?${back}`, 303);
  });

  // ---- configuration --------------------------------------------------------------------------------
  app.get("/configuration", async (c) =>
    c.html(<ConfigurationPage chrome={chrome(c)} draft={draftOf(await svc.readConfiguration(ctx))} />),
  );
  app.post("/configuration", async (c) => {
    const form = stringFields(await c.req.parseBody({ all: true }));
    delete form[CSRF_FIELD];
    const { draft, value } = configurationFromForm(form);
    try {
      await svc.saveConfiguration(ctx, value, c.var.actor);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      return c.html(
        <ConfigurationPage
          chrome={chrome(c, { error: "Not saved: fix the values below." })}
          draft={draft}
          issues={issuesOf(error)}
        />,
        400,
      );
    }
    return c.redirect("/configuration?notice=config", 303);
  });
  app.get("/api/configuration", async (c) => sendJson(c, ConfigurationJson, await svc.readConfiguration(ctx)));
  app.put("/api/configuration", async (c) => {
    const body = ConfigurationJson.parse(await c.req.json());
    return sendJson(c, ConfigurationJson, await svc.saveConfiguration(ctx, body, c.var.actor));
  });

  // ---- analytics ------------------------------------------------------------------------------------
  const analyticsOf = async (c: C) => {
    const raw = filterOnly(filterOf(c));
    const latest =
      raw.since || raw.until || raw.by === "created" ? null : await svc.latestFeedbackAt(ctx, toTicketQuery(raw));
    const { params, granularity } = analyticsParams(raw, latest);
    return { params, data: await svc.analyticsData(ctx, toTicketQuery(params), granularity) };
  };
  app.get("/analytics", async (c) => {
    const { params, data } = await analyticsOf(c);
    return c.html(<AnalyticsPage chrome={chrome(c)} params={params} data={data} />);
  });
  app.get("/api/analytics", async (c) => sendJson(c, AnalyticsJson, (await analyticsOf(c)).data));
  app.get("/api/export.csv", (c) => {
    const params = filterOnly(filterOf(c));
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return c.body(svc.exportCsv(ctx, toTicketQuery(params, { size: 1 })), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tickets-${stamp}.csv"`,
    });
  });

  // ---- quality --------------------------------------------------------------------------------------
  const evaluateForm = async (form: Form): Promise<QualityReport> => {
    const labels = await fileOf(form.labels);
    if (labels) {
      const sources = (await Promise.all([fileOf(form.reviews), fileOf(form.emails)])).filter(
        (f): f is svc.UploadedFile => f !== null,
      );
      return svc.evaluateUploads(ctx, labels, sources);
    }
    const labelsPath = firstString(form.labelsPath)?.trim();
    if (!labelsPath)
      throw new ValidationError("Choose an expected-labels CSV file", {
        hint: "Upload one, or give its path on the server.",
      });
    return svc.evaluatePaths(ctx, QualityPathRequest.parse({ labelsPath }));
  };
  app.get("/quality", (c) => c.html(<QualityPage chrome={chrome(c)} evalRoot={ctx.evalRoot} report={lastReport} />));
  app.post("/quality", async (c) => {
    try {
      lastReport = await evaluateForm(await c.req.parseBody({ all: true }));
    } catch (error) {
      if (!(error instanceof FeedbackTriageError)) throw error;
      const message = error.hint ? `${error.message}. ${error.hint}` : error.message;
      return c.html(
        <QualityPage chrome={chrome(c, { error: message })} evalRoot={ctx.evalRoot} report={null} />,
        statusOf(error) as 400,
      );
    }
    return c.html(<QualityPage chrome={chrome(c)} evalRoot={ctx.evalRoot} report={lastReport} />);
  });
  app.post("/api/quality", async (c) => {
    const type = c.req.header("content-type") ?? "";
    const report = type.startsWith("application/json")
      ? await svc.evaluatePaths(ctx, QualityPathRequest.parse(await c.req.json()))
      : await evaluateForm(await c.req.parseBody({ all: true }));
    lastReport = report;
    return sendJson(c, QualityReport, report);
  });

  // ---- operations -----------------------------------------------------------------------------------
  app.get("/operations", async (c) => c.html(<OperationsPage chrome={chrome(c)} data={await svc.operations(ctx)} />));
  app.get("/api/operations", async (c) => sendJson(c, OperationsJson, await svc.operations(ctx)));
  app.post("/operations/replay", async (c) => {
    const form = stringFields(await c.req.parseBody({ all: true }));
    const ids = ([] as string[]).concat(form.id ?? []).filter(Boolean);
    const request = ReplayRequest.parse(form.all ? { all: true } : { ids });
    const result = await svc.replay(ctx, request);
    return c.redirect(`/operations?notice=replayed&n=${result.moved.length}&nf=${result.notFound.length}`, 303);
  });
  app.post("/api/dlq/replay", async (c) =>
    sendJson(c, ReplayResult, await svc.replay(ctx, ReplayRequest.parse(await c.req.json()))),
  );
  const ingestForm = async (form: Form) => {
    const file = await fileOf(form.file);
    if (!file) throw new ValidationError("Choose a file to ingest");
    const source = firstString(form.source);
    return svc.ingestUpload(ctx, file, source === "review" || source === "email" ? source : undefined);
  };
  app.post("/operations/ingest", async (c) => {
    const summary = await ingestForm(await c.req.parseBody({ all: true }));
    return c.html(<OperationsPage chrome={chrome(c)} data={await svc.operations(ctx)} ingest={summary} />);
  });
  app.post("/api/ingest", async (c) =>
    sendJson(c, IngestResult, await ingestForm(await c.req.parseBody({ all: true }))),
  );

  registerIntegrationRoutes(app, ctx, chrome, async (c) => {
    const form = stringFields(await c.req.parseBody({ all: true }));
    delete form[CSRF_FIELD];
    return form;
  });

  return app;
}

/** The edit form -> a TicketPatch holding only what changed (unchanged technical details keep their key order). */
export function patchFromForm(form: Form, current: TicketDetail): Record<string, unknown> {
  const text = (key: string) => firstString(form[key]);
  const patch: Record<string, unknown> = {};
  for (const field of ["title", "category", "priority", "status"] as const) {
    const value = text(field)?.trim();
    if (value !== undefined && value !== current[field]) patch[field] = value;
  }
  const description = text("description")?.replace(/\r\n/g, "\n");
  if (description !== undefined && description !== current.description) patch.description = description;

  const details: Record<string, unknown> = { ...current.technicalDetails };
  let changed = false;
  for (const key of TECHNICAL_FIELDS) {
    const raw = text(`td.${key}`);
    if (raw === undefined) continue;
    const value = raw.trim() || null;
    const old = details[key] ?? null;
    if (value !== old) {
      details[key] = value;
      changed = true;
    }
  }
  const stepsRaw = text("td.stepsToReproduce");
  if (stepsRaw !== undefined) {
    const steps = stepsRaw
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    const old = Array.isArray(details.stepsToReproduce) ? details.stepsToReproduce : [];
    if (JSON.stringify(steps) !== JSON.stringify(old)) {
      details.stepsToReproduce = steps;
      changed = true;
    }
  }
  if (changed) patch.technicalDetails = details;
  return patch;
}
