/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.

import type { TicketPage } from "../../../sdk/ports/tickets.js";
import { CATEGORIES, PRIORITIES } from "../../../sdk/schemas/feedback.js";
import type { MergeSuggestion } from "../../../sdk/schemas/grouping.js";
import { TICKET_STATUSES, type Ticket, type TicketDetail } from "../../../sdk/schemas/ticket.js";
import { filterOnly, filterSearchParams, type TicketFilterParams } from "../ticket-filter.js";
import { Badge, Csrf, FilterFields, FilterForm, fmt, Layout, type PageChrome, Select } from "./layout.js";

function SortLink(props: {
  params: TicketFilterParams;
  field: NonNullable<TicketFilterParams["sort"]>;
  label: string;
  base: string;
}) {
  const current = (props.params.sort ?? "createdAt") === props.field;
  const order = current && (props.params.order ?? "desc") === "desc" ? "asc" : "desc";
  const arrow = current ? ((props.params.order ?? "desc") === "desc" ? " ↓" : " ↑") : "";
  const href = `${props.base}?${filterSearchParams(props.params, { sort: props.field, order, page: undefined })}`;
  return (
    <a href={href}>
      {props.label}
      {arrow}
    </a>
  );
}

export function Pagination(props: {
  params: TicketFilterParams;
  page: TicketPage;
  limit: number;
  offset: number;
  base: string;
}) {
  const { params, page, limit, offset } = props;
  const current = Math.floor(offset / limit) + 1;
  const first = page.items.length ? offset + 1 : 0;
  const last = offset + page.items.length;
  const hasNext = last < page.total || page.totalCapped;
  const link = (n: number) => `${props.base}?${filterSearchParams(params, { page: n })}`;
  return (
    <nav class="pager" aria-label="Pages">
      <span class="count">
        {page.items.length
          ? `${fmt.int(first)}–${fmt.int(last)} of ${page.totalCapped ? `more than ${fmt.int(page.total)}` : fmt.int(page.total)}`
          : "No tickets match"}
      </span>
      {current > 1 ? (
        <a href={link(current - 1)} rel="prev">
          ← Previous
        </a>
      ) : null}
      {hasNext && page.items.length === limit ? (
        <a href={link(current + 1)} rel="next">
          Next →
        </a>
      ) : null}
    </nav>
  );
}

/** A date and its time, breaking between the two only (narrow columns, cards). */
function DateTime(props: { iso: string }) {
  const [date, time] = fmt.date(props.iso).split(" ");
  return (
    <>
      <span class="nowrap">{date}</span> <span class="nowrap">{time}</span>
    </>
  );
}

export function TicketTable(props: {
  items: Ticket[];
  params: TicketFilterParams;
  base: string;
  sortable?: boolean;
  actions?: (t: Ticket) => unknown;
  /** Row checkboxes and a select-all (the bulk bar acts on the ticked rows). */
  selectable?: boolean;
  /** Filter keys the page sets by itself (the review queue's status): named in the empty state, not offered to clear. */
  fixed?: readonly FilterKey[];
}) {
  if (!props.items.length) return <EmptyState params={props.params} base={props.base} fixed={props.fixed} />;
  const head = (field: NonNullable<TicketFilterParams["sort"]>, label: string) => {
    if (!props.sortable) return <th scope="col">{label}</th>;
    const current = (props.params.sort ?? "createdAt") === field;
    const sort = (props.params.order ?? "desc") === "desc" ? "descending" : "ascending";
    return (
      <th scope="col" aria-sort={current ? sort : undefined}>
        <SortLink params={props.params} field={field} label={label} base={props.base} />
      </th>
    );
  };
  return (
    <table class={props.selectable ? "data tickets selectable" : "data tickets"}>
      <thead>
        <tr>
          {props.selectable ? (
            <th scope="col" class="select">
              <input
                type="checkbox"
                class="select-all"
                aria-label="Select all tickets on this page"
                hidden
                data-needs-script
              />
            </th>
          ) : null}
          {head("createdAt", "Created")}
          {head("priority", "Priority")}
          {head("category", "Category")}
          <th scope="col">Status</th>
          <th scope="col">Source</th>
          <th scope="col">App</th>
          <th scope="col" title="When the feedback was written (its date in the source)">
            Submitted
          </th>
          <th scope="col" class="wide">
            Title
          </th>
          {head("confidence", "Confidence")}
          <th scope="col" title="Feedback items this ticket stands for (duplicates grouped into it)">
            Reach
          </th>
          {props.actions ? <th scope="col">Actions</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((t) => (
          <tr data-ticket-id={t.id} data-version={String(t.version)}>
            {props.selectable ? (
              <td class="select">
                <input
                  type="checkbox"
                  class="select-row"
                  name="ids"
                  value={t.id}
                  form={SELECTION_FORM}
                  aria-label={`Select ${t.title}`}
                />
              </td>
            ) : null}
            <td class="created" data-label="Created">
              <DateTime iso={t.createdAt} />
            </td>
            <td class="priority" data-label="Priority">
              <Badge kind="priority" value={t.priority} />
            </td>
            <td class="category" data-label="Category">
              {t.category}
            </td>
            <td class="status" data-label="Status">
              <Badge kind="status" value={t.status} />
            </td>
            <td class="nowrap source" data-label="Source" title={t.sourceId}>
              {t.sourceType.replaceAll("_", " ")}
            </td>
            <td class="nowrap app" data-label="App">
              {t.app ?? "–"}
            </td>
            <td class="submitted" data-label="Submitted">
              {t.submittedAt ? <DateTime iso={t.submittedAt} /> : "–"}
            </td>
            <td class="wide title" data-label="Title">
              <a href={`/tickets/${t.id}`}>{t.title}</a>
              {t.reviewReasons.length ? <div class="reasons">{t.reviewReasons.join("; ")}</div> : null}
            </td>
            <td class="num confidence" data-label="Confidence">
              {fmt.num(t.confidence)}
            </td>
            <td class="num reach" data-label="Reach">
              {fmt.int(t.reach)}
            </td>
            {props.actions ? <td class="nowrap actions-cell">{props.actions(t) as never}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FILTER_KEYS = ["priority", "category", "status", "source", "language", "app", "since", "until", "q"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
const FILTER_LABELS: Record<FilterKey, string> = {
  priority: "priority",
  category: "category",
  status: "status",
  source: "source",
  language: "language",
  app: "app",
  since: "from",
  until: "to",
  q: "search",
};

/** No ticket matches: which filters are set, and a link clearing each (or all of them). */
export function EmptyState(props: { params: TicketFilterParams; base: string; fixed?: readonly FilterKey[] }) {
  const { params } = props;
  const active = FILTER_KEYS.filter((k) => {
    const v = params[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== "";
  });
  const shown = (k: FilterKey) => {
    const v = params[k];
    return Array.isArray(v) ? v.join(" or ") : k === "q" ? `"${v}"` : String(v);
  };
  const clear = (keys: readonly FilterKey[]) => {
    const override: Partial<TicketFilterParams> = { page: undefined };
    for (const k of keys) override[k] = undefined;
    const query = filterSearchParams(params, override).toString();
    return query ? `${props.base}?${query}` : props.base;
  };
  const clearable = active.filter((k) => !props.fixed?.includes(k));
  const text = active.map((k) => `${FILTER_LABELS[k]} = ${shown(k)}`).join(" and ");
  return (
    <div class="empty-state" aria-live="polite">
      <p>{active.length ? `No tickets match ${text}.` : "No tickets yet."}</p>
      {clearable.length ? (
        <p class="clear-filters">
          {clearable.map((k) => (
            <a class="button secondary" href={clear([k])} data-clear={k}>
              Clear {FILTER_LABELS[k]}
            </a>
          ))}
          {clearable.length > 1 ? (
            <a class="button secondary" href={clear(clearable)} data-clear="all">
              Clear all filters
            </a>
          ) : null}
        </p>
      ) : active.length ? null : (
        <p class="muted">Tickets appear here once the worker has processed ingested feedback.</p>
      )}
    </div>
  );
}

/** The id of the bulk bar's form: the row checkboxes join it by their form attribute (rows hold forms of their own). */
const SELECTION_FORM = "ticket-selection";

/**
 * The bulk bar for ticked rows: a form posted to /tickets/selection, which redirects back to `back` with a notice
 * (it works without JavaScript). The client script sends the same action as JSON instead and updates the rows in
 * place; it also shows the parts that need it (select all, the count).
 */
function SelectionBar(props: { review?: boolean; csrf: string; back: string }) {
  return (
    <form
      id={SELECTION_FORM}
      method="post"
      action="/tickets/selection"
      class="selection-bar"
      aria-label="Selected tickets"
    >
      <Csrf token={props.csrf} />
      <input type="hidden" name="back" value={props.back} />
      <label class="check select-all-label" hidden data-needs-script>
        <input type="checkbox" class="select-all" aria-label="Select all tickets on this page" /> All
      </label>
      <span class="selection-count" aria-live="polite" hidden data-needs-script>
        0 selected
      </span>
      <span class="selection-hint" data-without-script>
        Ticked tickets:
      </span>
      <button type="submit" name="action" value="approve" class="ok" data-bulk="approve">
        Approve
      </button>
      <button type="submit" name="action" value="reject" class="danger" data-bulk="reject">
        Reject
      </button>
      <label class="inline-label" for={props.review ? "r-bulk-priority" : "t-bulk-priority"}>
        <span>Priority</span>
        <select id={props.review ? "r-bulk-priority" : "t-bulk-priority"} name="priority" class="bulk-priority">
          {PRIORITIES.map((p) => (
            <option value={p}>{p}</option>
          ))}
        </select>
      </label>
      <button type="submit" name="action" value="priority" class="secondary" data-bulk="priority">
        Set priority
      </button>
      {props.review ? (
        <button type="button" class="link shortcuts-open" aria-keyshortcuts="?">
          Shortcuts (?)
        </button>
      ) : null}
      <div class="bulk-results" aria-live="polite" />
    </form>
  );
}

/** The review queue's keyboard shortcuts (the client script opens it with "?"). */
function ShortcutsDialog() {
  return (
    <dialog id="shortcuts" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl class="pairs keys">
        <dt>
          <kbd>j</kbd> / <kbd>k</kbd>
        </dt>
        <dd>next / previous ticket</dd>
        <dt>
          <kbd>a</kbd>
        </dt>
        <dd>approve the current ticket</dd>
        <dt>
          <kbd>r</kbd>
        </dt>
        <dd>reject the current ticket</dd>
        <dt>
          <kbd>x</kbd>
        </dt>
        <dd>select or unselect the current ticket</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>show this help</dd>
      </dl>
      <p class="muted">Shortcuts do nothing while you type in a field.</p>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

export function TicketsPage(props: {
  chrome: PageChrome;
  params: TicketFilterParams;
  page: TicketPage;
  limit: number;
  offset: number;
}) {
  const exportHref = `/api/export.csv?${filterSearchParams(filterOnly(props.params))}`;
  return (
    <Layout chrome={props.chrome} title="Tickets" active="tickets">
      <FilterForm action="/tickets" params={props.params} withSort />
      <div class="toolbar">
        <Pagination params={props.params} page={props.page} limit={props.limit} offset={props.offset} base="/tickets" />
        <a class="button secondary" href={exportHref} download="tickets.csv">
          Export CSV
        </a>
      </div>
      {props.page.items.length ? (
        <SelectionBar csrf={props.chrome.csrfToken} back={`/tickets?${filterSearchParams(props.params)}`} />
      ) : null}
      <TicketTable items={props.page.items} params={props.params} base="/tickets" sortable selectable />
    </Layout>
  );
}

function StatusButtons(props: { ticket: Ticket; csrf: string; back: string }) {
  return (
    <form method="post" action={`/tickets/${props.ticket.id}/status`} class="inline">
      <Csrf token={props.csrf} />
      <input type="hidden" name="expectedVersion" value={String(props.ticket.version)} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" name="action" value="approve" class="ok" disabled={props.ticket.status === "approved"}>
        Approve
      </button>
      <button type="submit" name="action" value="reject" class="danger" disabled={props.ticket.status === "rejected"}>
        Reject
      </button>
    </form>
  );
}

const DETAIL_FIELDS = [
  ["device", "Device"],
  ["os", "OS"],
  ["appVersion", "App version"],
  ["platform", "Platform"],
  ["affectedFeature", "Affected feature"],
  ["severity", "Severity"],
  ["requestedCapability", "Requested capability"],
  ["userImpact", "User impact"],
] as const;
export const TECHNICAL_FIELDS = DETAIL_FIELDS.map(([key]) => key);

function FeedbackView(props: { feedback: Record<string, unknown> | null }) {
  const f = props.feedback;
  if (!f) return <p class="muted">The original item was not stored with this ticket.</p>;
  const fields = [
    "subject",
    "author",
    "rating",
    "platform",
    "device",
    "appVersion",
    "channel",
    "submittedAt",
    "statedPriority",
    "language",
  ];
  return (
    <>
      <blockquote class="feedback-text">{String(f.text ?? "")}</blockquote>
      <dl class="pairs">
        {fields
          .filter((k) => f[k] !== null && f[k] !== undefined && f[k] !== "")
          .map((k) => (
            <>
              <dt>{k}</dt>
              <dd>{typeof f[k] === "string" ? (f[k] as string) : JSON.stringify(f[k])}</dd>
            </>
          ))}
        <dt>source</dt>
        <dd>
          {String(f.sourceType ?? "")} {String(f.sourceId ?? "")}
        </dd>
      </dl>
      {f.metadata && Object.keys(f.metadata as object).length ? (
        <details>
          <summary>Metadata</summary>
          <pre>{fmt.json(f.metadata)}</pre>
        </details>
      ) : null}
    </>
  );
}

/** Reach, when the problem was seen, versions and platforms, and the feedback items grouped into the ticket. */
function GroupSection(props: { ticket: TicketDetail }) {
  const t = props.ticket;
  if (t.mergedInto)
    return (
      <p class="meta">
        Merged into <a href={`/tickets/${t.mergedInto}`}>{t.mergedInto}</a>: its item counts in that ticket's reach.
      </p>
    );
  return (
    <section class="group">
      <h2>
        Reach {fmt.int(t.reach)} {t.regressedAt ? <span class="badge">regression</span> : null}
      </h2>
      <p class="meta">
        first seen {t.firstSeenAt ? fmt.date(t.firstSeenAt) : "–"} · last seen{" "}
        {t.lastSeenAt ? fmt.date(t.lastSeenAt) : "–"} · versions {t.versions.join(", ") || "–"} · platforms{" "}
        {t.platforms.join(", ") || "–"}
        {t.regressedAt ? ` · reopened ${fmt.date(t.regressedAt)}` : ""}
      </p>
      <table class="data items">
        <thead>
          <tr>
            <th scope="col">Written</th>
            <th scope="col">Source</th>
            <th scope="col">Added by</th>
            <th scope="col" class="wide">
              Text
            </th>
          </tr>
        </thead>
        <tbody>
          {t.items.map((item) => (
            <tr>
              <td class="nowrap">{fmt.date(item.date)}</td>
              <td class="nowrap">
                {item.sourceType.replaceAll("_", " ")} {item.sourceId}
              </td>
              <td class="actor">
                {item.addedBy}
                {item.similarity !== null ? ` (${fmt.num(item.similarity)})` : ""}
              </td>
              <td class="wide">{item.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Grey-zone matches: accept (merge) or dismiss each. */
export function SuggestionsPage(props: { chrome: PageChrome; suggestions: readonly MergeSuggestion[] }) {
  return (
    <Layout chrome={props.chrome} title="Merge suggestions" active="suggestions">
      <p class="muted">
        Reports close to an existing ticket but not close enough to join it by themselves. Accepting merges the ticket
        into the suggested one (its items join that ticket's reach); both histories record it.
      </p>
      {props.suggestions.length ? (
        <table class="data suggestions">
          <thead>
            <tr>
              <th scope="col">Score</th>
              <th scope="col" class="wide">
                Ticket
              </th>
              <th scope="col" class="wide">
                Into
              </th>
              <th scope="col">App</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {props.suggestions.map((s) => (
              <tr data-suggestion-id={s.id}>
                <td class="num">{fmt.num(s.score)}</td>
                <td class="wide">
                  <a href={`/tickets/${s.ticketId}`}>{s.ticketTitle}</a>
                </td>
                <td class="wide">
                  <a href={`/tickets/${s.targetId}`}>{s.targetTitle}</a>
                </td>
                <td class="nowrap">{s.app ?? "–"}</td>
                <td class="nowrap">
                  <form method="post" action={`/suggestions/${s.id}`}>
                    <Csrf token={props.chrome.csrfToken} />
                    <button type="submit" name="action" value="accept">
                      Merge
                    </button>{" "}
                    <button type="submit" name="action" value="dismiss">
                      Dismiss
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No pending merge suggestions.</p>
      )}
    </Layout>
  );
}

export function TicketDetailPage(props: { chrome: PageChrome; ticket: TicketDetail; back: string }) {
  const t = props.ticket;
  const td = t.technicalDetails as Record<string, unknown>;
  const steps = Array.isArray(td.stepsToReproduce) ? (td.stepsToReproduce as unknown[]).map(String) : [];
  const others = Object.fromEntries(
    Object.entries(td).filter(
      ([k]) => !(TECHNICAL_FIELDS as readonly string[]).includes(k) && k !== "stepsToReproduce",
    ),
  );
  return (
    <Layout chrome={props.chrome} title={t.title} active="tickets">
      <p class="meta">
        <Badge kind="priority" value={t.priority} /> <Badge kind="status" value={t.status} /> <span>{t.category}</span>{" "}
        · <span>confidence {fmt.num(t.confidence)}</span> · <span>quality {t.qualityScore ?? "–"}</span> ·{" "}
        {t.language ? (
          <>
            <span>language {t.language}</span> ·{" "}
          </>
        ) : null}
        {t.app ? (
          <>
            <span>app {t.app}</span> ·{" "}
          </>
        ) : null}
        {t.submittedAt ? (
          <>
            <span>submitted {fmt.date(t.submittedAt)}</span> ·{" "}
          </>
        ) : null}
        <span>version {t.version}</span> · <span>created {fmt.date(t.createdAt)}</span> ·{" "}
        <span>updated {fmt.date(t.updatedAt)}</span>
      </p>
      {t.reviewReasons.length ? (
        <p class="reasons">
          <strong>Why it needs review:</strong> {t.reviewReasons.join("; ")}
        </p>
      ) : null}
      <div class="toolbar">
        <StatusButtons
          ticket={t}
          csrf={props.chrome.csrfToken}
          back={`/tickets/${t.id}?${new URLSearchParams({ back: props.back })}`}
        />
        <a href={props.back}>← Back</a>
      </div>
      <div class="grid two">
        <section>
          <h2>Description</h2>
          <p class="prewrap description">{t.description}</p>
          <h2>Original feedback</h2>
          <FeedbackView feedback={t.feedback} />
          <h2>Technical details</h2>
          <dl class="pairs technical">
            {DETAIL_FIELDS.filter(([k]) => td[k]).map(([k, label]) => (
              <>
                <dt>{label}</dt>
                <dd>{String(td[k])}</dd>
              </>
            ))}
            {steps.length ? (
              <>
                <dt>Steps to reproduce</dt>
                <dd>
                  <ol>
                    {steps.map((s) => (
                      <li>{s}</li>
                    ))}
                  </ol>
                </dd>
              </>
            ) : null}
          </dl>
          {Object.keys(others).length ? <pre>{fmt.json(others)}</pre> : null}
        </section>
        <section>
          <h2>Manual override</h2>
          <form method="post" action={`/tickets/${t.id}`} class="edit" id="override">
            <Csrf token={props.chrome.csrfToken} />
            <input type="hidden" name="expectedVersion" value={String(t.version)} />
            <input type="hidden" name="back" value={props.back} />
            <label for="e-title">
              <span>Title</span>
              <input id="e-title" name="title" value={t.title} minlength={5} maxlength={200} required />
            </label>
            <div class="row">
              <Select id="e-category" name="category" label="Category" values={CATEGORIES} selected={t.category} />
              <Select id="e-priority" name="priority" label="Priority" values={PRIORITIES} selected={t.priority} />
              <Select id="e-status" name="status" label="Status" values={TICKET_STATUSES} selected={t.status} />
            </div>
            <label for="e-description">
              <span>Description</span>
              <textarea id="e-description" name="description" rows={5}>
                {t.description}
              </textarea>
            </label>
            <fieldset>
              <legend>Technical details</legend>
              <div class="row wrap">
                {DETAIL_FIELDS.map(([k, label]) => (
                  <label for={`e-td-${k}`}>
                    <span>{label}</span>
                    <input
                      id={`e-td-${k}`}
                      name={`td.${k}`}
                      value={td[k] == null ? "" : String(td[k])}
                      maxlength={500}
                    />
                  </label>
                ))}
              </div>
              <label for="e-td-steps">
                <span>Steps to reproduce (one per line)</span>
                <textarea id="e-td-steps" name="td.stepsToReproduce" rows={3}>
                  {steps.join("\n")}
                </textarea>
              </label>
            </fieldset>
            <label for="e-reason">
              <span>Reason (kept in the history)</span>
              <input
                id="e-reason"
                name="reason"
                maxlength={500}
                placeholder="e.g. misclassified: this is a billing complaint"
              />
            </label>
            <button type="submit">Save changes</button>
          </form>
        </section>
      </div>
      <GroupSection ticket={t} />
      <h2>History</h2>
      {t.history.length ? (
        <table class="data history">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Reason</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {[...t.history].reverse().map((h) => (
              <tr>
                <td class="nowrap">{fmt.date(h.changedAt)}</td>
                <td class="actor">{h.actor}</td>
                <td>{h.reason ?? ""}</td>
                <td>
                  <pre>{fmt.json(h.before)}</pre>
                </td>
                <td>
                  <pre>{fmt.json(h.after)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No manual changes yet.</p>
      )}
      <h2>Processing log</h2>
      <table class="data log">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Agent</th>
            <th scope="col">Action</th>
            <th scope="col">Confidence</th>
            <th scope="col">ms</th>
            <th scope="col">Tokens in/out</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {t.logs.map((l) => (
            <tr>
              <td class="nowrap">{l.createdAt ? fmt.date(l.createdAt) : ""}</td>
              <td>{l.agent}</td>
              <td>{l.action}</td>
              <td class="num">{fmt.num(l.confidence)}</td>
              <td class="num">{l.durationMs.toFixed(1)}</td>
              <td class="num">
                {l.tokensIn === null && l.tokensOut === null ? "–" : `${l.tokensIn ?? 0}/${l.tokensOut ?? 0}`}
              </td>
              <td>
                <details>
                  <summary>result</summary>
                  <pre>{fmt.json(l.result)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function ReviewPage(props: {
  chrome: PageChrome;
  params: TicketFilterParams;
  page: TicketPage;
  limit: number;
  offset: number;
}) {
  const { params } = props;
  const back = `/review?${filterSearchParams(params)}`;
  const defaultStatus = params.status?.length === 1 && params.status[0] === "needs_review";
  const csrf = props.chrome.csrfToken;
  return (
    <Layout chrome={props.chrome} title="Review" active="review" shortcuts>
      <p class="muted">
        Tickets the crew was not sure about, oldest first. Open one to correct its title, category, priority,
        description or technical details; every change is kept in its history.
      </p>
      <FilterForm action="/review" params={params} />
      <form
        method="post"
        action="/review/bulk"
        class="bulk"
        data-confirm="Change every ticket that matches this filter?"
      >
        <Csrf token={csrf} />
        <FilterFields params={filterOnly(params)} />
        <span>
          All {props.page.totalCapped ? `${fmt.int(props.page.total)}+` : fmt.int(props.page.total)} matching tickets:
        </span>
        <input name="reason" placeholder="reason (optional)" maxlength={500} aria-label="Reason for the bulk change" />
        <button type="submit" name="action" value="approve" class="ok">
          Approve all
        </button>
        <button type="submit" name="action" value="reject" class="danger">
          Reject all
        </button>
      </form>
      <Pagination params={params} page={props.page} limit={props.limit} offset={props.offset} base="/review" />
      {props.page.items.length ? <SelectionBar review csrf={csrf} back={back} /> : null}
      <TicketTable
        items={props.page.items}
        params={params}
        base="/review"
        selectable
        fixed={defaultStatus ? ["status"] : []}
        actions={(t) => <StatusButtons ticket={t} csrf={csrf} back={back} />}
      />
      <ShortcutsDialog />
    </Layout>
  );
}
