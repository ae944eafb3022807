/** @jsxImportSource hono/jsx */
import type { Context, Hono } from "hono";
import {
  destinationStatuses,
  findDestination,
  setDestinationEnabled,
} from "../../app/integrations/destination-admin.js";
import { type DestinationInput, saveDestination } from "../../app/integrations/integrations-service.js";
import { secretResolver } from "../../app/integrations/secrets.js";
import { testDestination } from "../../app/integrations/test-destination.js";
import { ValidationError } from "../../sdk/errors.js";
import type { IntegrationDestination } from "../../sdk/ports/integrations.js";
import type { DashboardEnv } from "./security.js";
import type { DashboardContext } from "./services.js";
import {
  type DestinationDraft,
  draftOfDestination,
  EMPTY_DRAFT,
  FORM_KINDS,
  IntegrationsPage,
  isTrackerDraft,
} from "./views/integrations.js";
import type { PageChrome } from "./views/layout.js";

type C = Context<DashboardEnv>;
type Chrome = (c: C, extra?: Partial<PageChrome>) => PageChrome;
type Fields = Record<string, string | string[]>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? "";

/** The form as typed, to show again when it is refused. */
export function draftFromForm(form: Fields, editing: boolean): DestinationDraft {
  const kind = one(form.kind);
  return {
    name: one(form.name),
    kind: FORM_KINDS.find((k) => k === kind) ?? "webhook",
    url: one(form.url),
    secretRef: one(form.secretRef),
    events: ([] as string[]).concat(form.events ?? []),
    enabled: one(form.enabled) === "1",
    intervalSeconds: one(form.intervalSeconds),
    dashboardUrl: one(form.dashboardUrl),
    dlqGrowth: one(form.dlqGrowth),
    trackerSettings: one(form.trackerSettings),
    editing,
  };
}

/** The draft as a destination to save; settings the form does not show (set with the CLI) are kept. */
export function inputFromDraft(draft: DestinationDraft, existing: IntegrationDestination | null): DestinationInput {
  if (!FORM_KINDS.includes(draft.kind)) throw new ValidationError(`Unknown kind ${draft.kind}`);
  const settings: Record<string, unknown> = { ...existing?.settings };
  if (isTrackerDraft(draft.kind)) return { ...common(draft), settings: trackerSettingsOf(draft.trackerSettings) };
  if (draft.kind === "slack") {
    const numberOrText = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
    for (const key of ["intervalSeconds", "dlqGrowth", "dashboardUrl"] as const) {
      if (draft[key]) settings[key] = key === "dashboardUrl" ? draft[key] : numberOrText(draft[key]);
      else delete settings[key];
    }
  }
  return { ...common(draft), settings };
}

function common(draft: DestinationDraft): Omit<DestinationInput, "settings"> {
  return {
    name: draft.name,
    kind: draft.kind,
    url: draft.url,
    secretRef: draft.secretRef,
    events: draft.events as DestinationInput["events"],
    enabled: draft.enabled,
  };
}

/** A tracker's settings as typed: a JSON object (checked against the kind's schema when saved). */
function trackerSettingsOf(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text || "{}");
  } catch (error) {
    throw new ValidationError(`Tracker settings are not JSON: ${(error as Error).message}`, {
      hint: 'Give a JSON object, e.g. {"repository": "acme/notes"}.',
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError("Tracker settings must be a JSON object", {
      hint: 'Give a JSON object, e.g. {"repository": "acme/notes"}.',
    });
  }
  return value as Record<string, unknown>;
}

/** The Integrations page: destinations with their last deliveries, add/edit (every kind), on/off, Test. */
export function registerIntegrationRoutes(
  app: Hono<DashboardEnv>,
  ctx: DashboardContext,
  chrome: Chrome,
  formOf: (c: C) => Promise<Fields>,
): void {
  const page = async (c: C, draft: DestinationDraft, extra: Parameters<typeof IntegrationsPage>[0]["test"] = null) => (
    <IntegrationsPage chrome={chrome(c)} statuses={await destinationStatuses(ctx.backend)} draft={draft} test={extra} />
  );

  app.get("/integrations", async (c) => {
    const edit = c.req.query("edit");
    const draft = edit ? draftOfDestination(await findDestination(ctx.backend, edit)) : EMPTY_DRAFT;
    return c.html(await page(c, draft));
  });
  app.post("/integrations", async (c) => {
    const form = await formOf(c);
    const existing = (await ctx.backend.integrations.destinations()).find((d) => d.name === one(form.name)) ?? null;
    const draft = draftFromForm(form, existing !== null);
    try {
      await saveDestination(ctx.backend, inputFromDraft(draft, existing));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const statuses = await destinationStatuses(ctx.backend);
      const message = `Not saved: ${error.message}`;
      return c.html(<IntegrationsPage chrome={chrome(c, { error: message })} statuses={statuses} draft={draft} />, 400);
    }
    return c.redirect(`/integrations?notice=integration&name=${encodeURIComponent(draft.name)}`, 303);
  });
  app.post("/integrations/:name/enabled", async (c) => {
    const enabled = one((await formOf(c)).enabled) === "1";
    await setDestinationEnabled(ctx.backend, c.req.param("name"), enabled);
    const name = encodeURIComponent(c.req.param("name"));
    return c.redirect(`/integrations?notice=${enabled ? "integration-on" : "integration-off"}&name=${name}`, 303);
  });
  app.post("/integrations/:name/test", async (c) => {
    const result = await testDestination(ctx.backend, c.req.param("name"), {
      secrets: ctx.secrets ?? secretResolver({}),
    });
    return c.html(await page(c, EMPTY_DRAFT, result));
  });
}
