/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import type { DestinationStatus } from "../../../app/integrations/destination-admin.js";
import type { DestinationTestResult } from "../../../app/integrations/test-destination.js";
import {
  type DestinationKind,
  INTEGRATION_EVENT_TYPES,
  type IntegrationDestination,
} from "../../../sdk/ports/integrations.js";
import { Csrf, fmt, Layout, type PageChrome } from "./layout.js";

/** What the add/edit form shows: a destination's fields as text (a rejected post comes back as it was typed). */
export interface DestinationDraft {
  name: string;
  kind: DestinationKind;
  url: string;
  secretRef: string;
  events: string[];
  enabled: boolean;
  intervalSeconds: string;
  dashboardUrl: string;
  dlqGrowth: string;
  /** A tracker's settings as JSON (repository or team or project, mapping, rules): see docs/integrations.md. */
  trackerSettings: string;
  /** Editing an existing destination: its name cannot change. */
  editing: boolean;
}

export const EMPTY_DRAFT: DestinationDraft = {
  name: "",
  kind: "webhook",
  url: "",
  secretRef: "",
  events: [...INTEGRATION_EVENT_TYPES],
  enabled: true,
  intervalSeconds: "",
  dashboardUrl: "",
  dlqGrowth: "",
  trackerSettings: "",
  editing: false,
};

/** Every kind can be configured here; a tracker's mapping and rules are given as JSON, as `--settings` takes them. */
export const FORM_KINDS = [
  "webhook",
  "slack",
  "github",
  "linear",
  "jira",
] as const satisfies readonly DestinationKind[];

export const isTrackerDraft = (kind: DestinationKind) => kind === "github" || kind === "linear" || kind === "jira";

const KIND_LABELS: Record<DestinationKind, string> = {
  webhook: "Webhook (signed, Standard Webhooks)",
  slack: "Slack channel (incoming webhook)",
  github: "GitHub Issues",
  linear: "Linear",
  jira: "Jira Cloud",
};

export function draftOfDestination(d: IntegrationDestination): DestinationDraft {
  const setting = (key: string) => (d.settings[key] === undefined ? "" : String(d.settings[key]));
  return {
    name: d.name,
    kind: d.kind,
    url: d.url,
    secretRef: d.secretRef,
    events: d.events,
    enabled: d.enabled,
    intervalSeconds: setting("intervalSeconds"),
    dashboardUrl: setting("dashboardUrl"),
    dlqGrowth: setting("dlqGrowth"),
    trackerSettings: isTrackerDraft(d.kind) ? JSON.stringify(d.settings, null, 2) : "",
    editing: true,
  };
}

export function IntegrationsPage(props: {
  chrome: PageChrome;
  statuses: DestinationStatus[];
  draft: DestinationDraft;
  test?: DestinationTestResult | null;
}) {
  const csrf = props.chrome.csrfToken;
  return (
    <Layout chrome={props.chrome} title="Integrations" active="integrations">
      <p class="muted">
        Where ticket events go: signed webhooks, Slack alerts (Critical tickets, dead-letter growth) and issue trackers.
        Delivered by the worker; see docs/integrations.md.
      </p>
      {props.test ? <TestOutcome result={props.test} /> : null}
      {props.statuses.length ? (
        <table class="data destinations">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Events</th>
              <th scope="col" class="wide">
                Last deliveries
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {props.statuses.map((s) => (
              <DestinationRow status={s} csrf={csrf} />
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No destinations yet. Add a webhook or a Slack channel below.</p>
      )}
      <h2>{props.draft.editing ? `Edit ${props.draft.name}` : "Add a destination"}</h2>
      <DestinationForm draft={props.draft} csrf={csrf} />
    </Layout>
  );
}

function TestOutcome(props: { result: DestinationTestResult }) {
  const r = props.result;
  const answer = r.status === null ? "" : ` (HTTP ${r.status})`;
  return r.ok ? (
    <p class="notice" aria-live="polite">
      Test of {r.destination} ({r.kind}) passed: {r.action}
      {answer}.
    </p>
  ) : (
    <div class="error" role="alert">
      <p>
        Test of {r.destination} ({r.kind}) failed: {r.action}: {r.error}
      </p>
      {r.hint ? <p>{r.hint}</p> : null}
    </div>
  );
}

function DestinationRow(props: { status: DestinationStatus; csrf: string }) {
  const { destination: d, recent } = props.status;
  const base = `/integrations/${encodeURIComponent(d.name)}`;
  return (
    <tr data-destination={d.name}>
      <td class="nowrap">{d.name}</td>
      <td class="nowrap">{d.kind}</td>
      <td class="nowrap">{d.enabled ? "on" : "off"}</td>
      <td>{d.events.length === INTEGRATION_EVENT_TYPES.length ? "all" : d.events.join(", ")}</td>
      <td class="wide">
        {recent.length ? (
          <ul class="plain">
            {recent.map((r) => (
              <li>
                {r.status} · {r.type} · {fmt.date(r.deliveredAt ?? r.createdAt)}
                {r.lastError ? ` · ${r.lastError}` : r.lastStatus ? ` · HTTP ${r.lastStatus}` : ""}
              </li>
            ))}
          </ul>
        ) : (
          "none yet"
        )}
      </td>
      <td class="destination-actions">
        <form method="post" action={`${base}/test`} class="inline">
          <Csrf token={props.csrf} />
          <button type="submit">Test</button>
        </form>
        <form method="post" action={`${base}/enabled`} class="inline">
          <Csrf token={props.csrf} />
          <input type="hidden" name="enabled" value={d.enabled ? "0" : "1"} />
          <button type="submit" class="secondary">
            {d.enabled ? "Disable" : "Enable"}
          </button>
        </form>
        <a href={`/integrations?edit=${encodeURIComponent(d.name)}`}>Edit</a>
      </td>
    </tr>
  );
}

function DestinationForm(props: { draft: DestinationDraft; csrf: string }) {
  const { draft } = props;
  return (
    <form method="post" action="/integrations" class="card destination-form">
      <Csrf token={props.csrf} />
      <label for="i-name">
        <span>Name (lower-case letters, digits, - and _)</span>
        <input
          id="i-name"
          name="name"
          value={draft.name}
          required
          readonly={draft.editing}
          pattern="[a-z0-9][a-z0-9_\-]{0,62}"
        />
      </label>
      <label for="i-kind">
        <span>Kind</span>
        <select id="i-kind" name="kind">
          {FORM_KINDS.map((k) => (
            <option value={k} selected={draft.kind === k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label for="i-url">
        <span>
          URL: where a webhook is POSTed; for Slack, a link to the channel (shown only); for a tracker, its API base
          (https://api.github.com, https://api.linear.app/graphql, https://&lt;site&gt;.atlassian.net)
        </span>
        <input id="i-url" name="url" type="url" value={draft.url} required />
      </label>
      <label for="i-secret">
        <span>
          Secret from: <code>env:NAME</code> or <code>file:/path</code> (a webhook's signing secret, Slack's
          incoming-webhook URL, a tracker's token). Never the secret itself.
        </span>
        <input id="i-secret" name="secretRef" value={draft.secretRef} required placeholder="env:TEAM_HOOK_SECRET" />
      </label>
      <fieldset>
        <legend>Events</legend>
        {INTEGRATION_EVENT_TYPES.map((e) => (
          <label class="check">
            <input type="checkbox" name="events" value={e} checked={draft.events.includes(e)} /> {e}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Slack only</legend>
        <label for="i-interval">
          <span>At most one message per (seconds; default 60)</span>
          <input id="i-interval" name="intervalSeconds" type="number" min="1" value={draft.intervalSeconds} />
        </label>
        <label for="i-dashboard">
          <span>Dashboard address, for links to tickets</span>
          <input id="i-dashboard" name="dashboardUrl" type="url" value={draft.dashboardUrl} />
        </label>
        <label for="i-dlq">
          <span>Alert when the dead-letter queue grew by (default 10; 0: never)</span>
          <input id="i-dlq" name="dlqGrowth" type="number" min="0" value={draft.dlqGrowth} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Trackers only</legend>
        <label for="i-tracker-settings">
          <span>
            Settings as JSON: repository (GitHub), teamId (Linear) or project and email (Jira), mapping, rules,
            webhookSecretRef (see docs/integrations.md, Trackers)
          </span>
          <textarea id="i-tracker-settings" name="trackerSettings" rows={6} placeholder='{"repository": "acme/notes"}'>
            {draft.trackerSettings}
          </textarea>
        </label>
      </fieldset>
      <label class="check">
        <input type="checkbox" name="enabled" value="1" checked={draft.enabled} /> Enabled
      </label>
      <button type="submit">{draft.editing ? "Save" : "Add"}</button>
    </form>
  );
}
