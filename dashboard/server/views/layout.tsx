/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import type { Child } from "hono/jsx";
import { CATEGORIES, PRIORITIES, SOURCE_TYPES } from "../../../sdk/schemas/feedback.js";
import { DATE_FIELDS, type DateField, SORTABLE_FIELDS, TICKET_STATUSES } from "../../../sdk/schemas/ticket.js";
import { CSRF_FIELD } from "../security.js";
import { filterSearchParams, PAGE_SIZES, type TicketFilterParams } from "../ticket-filter.js";

export interface PageChrome {
  actor: string;
  csrfToken: string;
  assets: { js: string; css: string };
  notice?: string | null;
  error?: string | null;
}

export const NAV = [
  ["overview", "/", "Overview"],
  ["tickets", "/tickets", "Tickets"],
  ["review", "/review", "Review"],
  ["suggestions", "/suggestions", "Merges"],
  ["configuration", "/configuration", "Configuration"],
  ["analytics", "/analytics", "Analytics"],
  ["quality", "/quality", "Quality"],
  ["operations", "/operations", "Operations"],
  ["integrations", "/integrations", "Integrations"],
] as const;
export type PageName = (typeof NAV)[number][0];

export function Layout(props: {
  chrome: PageChrome;
  title: string;
  active: PageName | null;
  /** The page has keyboard shortcuts (the review queue). */
  shortcuts?: boolean;
  children?: Child;
}) {
  const { chrome } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={chrome.csrfToken} />
        <title>{`${props.title} · feedback-triage`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={chrome.assets.css} />
        <script type="module" src={chrome.assets.js} />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            feedback-triage
          </a>
          <button type="button" class="menu-toggle" aria-controls="site-nav" aria-expanded="false" hidden>
            Menu
          </button>
          <nav aria-label="Pages" id="site-nav">
            {NAV.map(([name, href, label]) => (
              <a
                href={href}
                class={props.active === name ? "active" : undefined}
                aria-current={props.active === name ? "page" : undefined}
              >
                {label}
              </a>
            ))}
          </nav>
          <span class="who" title="Changes you make are recorded under this name">
            {chrome.actor}
          </span>
        </header>
        <main data-shortcuts={props.shortcuts ? "review" : undefined}>
          <h1>{props.title}</h1>
          {chrome.notice ? (
            <p class="notice" aria-live="polite">
              {chrome.notice}
            </p>
          ) : null}
          {chrome.error ? (
            <p class="error" role="alert">
              {chrome.error}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

export function Badge(props: { kind: "priority" | "status" | "category"; value: string }) {
  return (
    <span class={`badge ${props.kind}-${props.value.toLowerCase().replace(/[^a-z]+/g, "-")}`}>
      {props.value.replace("_", " ")}
    </span>
  );
}

export function Select(props: {
  name: string;
  label: string;
  values: readonly string[];
  selected?: readonly string[] | string;
  any?: string;
  id?: string;
  labels?: Record<string, string>;
}) {
  const selected = new Set(Array.isArray(props.selected) ? props.selected : props.selected ? [props.selected] : []);
  const id = props.id ?? `f-${props.name}`;
  return (
    <label for={id}>
      <span>{props.label}</span>
      <select name={props.name} id={id}>
        {props.any !== undefined ? <option value="">{props.any}</option> : null}
        {props.values.map((v) => (
          <option value={v} selected={selected.has(v)}>
            {props.labels?.[v] ?? v.replaceAll("_", " ")}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A text field holding a comma-separated list (languages, apps). */
function ListInput(props: {
  name: string;
  label: string;
  values: readonly string[] | undefined;
  placeholder: string;
  size: number;
  title: string;
  pattern?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <label for={id}>
      <span>{props.label}</span>
      <input
        type="text"
        name={props.name}
        id={id}
        value={(props.values ?? []).join(",")}
        placeholder={props.placeholder}
        size={props.size}
        maxlength={1000}
        pattern={props.pattern}
        title={props.title}
      />
    </label>
  );
}

/** The app filter: exact app names, comma-separated (the tickets filter and the overview). */
export function AppInput(props: { values: readonly string[] | undefined; placeholder?: string }) {
  return (
    <ListInput
      name="app"
      label="App"
      values={props.values}
      placeholder={props.placeholder ?? "any (com.example.app…)"}
      size={14}
      title="App names as stored: package name, App Store app id or configured name; comma-separated"
    />
  );
}

const SORT_LABELS = {
  createdAt: "created",
  updatedAt: "updated",
  priority: "priority",
  confidence: "confidence",
  category: "category",
};

/** The ticket filter as a GET form (works without JavaScript). */
export function FilterForm(props: {
  action: string;
  params: TicketFilterParams;
  withSort?: boolean;
  fixedStatus?: boolean;
  submitLabel?: string;
  /** What From/To range over when the URL does not say (analytics: the feedback's own date). */
  dateBy?: DateField;
}) {
  const p = props.params;
  const active = [...filterSearchParams(p).keys()].filter((k) => !["sort", "order", "page", "size", "by"].includes(k));
  return (
    <details class="filter-panel" open>
      <summary>Filters{active.length ? ` (${new Set(active).size} set)` : ""}</summary>
      <form class="filters" method="get" action={props.action} aria-label="Filter">
        <Select name="priority" label="Priority" values={PRIORITIES} selected={p.priority} any="any" />
        <Select name="category" label="Category" values={CATEGORIES} selected={p.category} any="any" />
        {props.fixedStatus ? null : (
          <Select name="status" label="Status" values={TICKET_STATUSES} selected={p.status} any="any" />
        )}
        <Select name="source" label="Source" values={SOURCE_TYPES} selected={p.source} any="any" />
        <ListInput
          name="language"
          label="Language"
          values={p.language}
          placeholder="any (en, de…)"
          size={8}
          pattern="\s*[A-Za-z]{2}\s*(,\s*[A-Za-z]{2}\s*)*"
          title="ISO 639-1 codes, comma-separated: en, de, fr"
        />
        <AppInput values={p.app} />
        <Select
          name="by"
          label="Dates by"
          values={DATE_FIELDS}
          selected={p.by ?? props.dateBy ?? "created"}
          labels={{ created: "created", submitted: "submitted" }}
        />
        <label for="f-since">
          <span>From</span>
          <input type="date" name="since" id="f-since" value={p.since ?? ""} />
        </label>
        <label for="f-until">
          <span>To</span>
          <input type="date" name="until" id="f-until" value={p.until ?? ""} />
        </label>
        <label for="f-q" class="grow">
          <span>Search</span>
          <input
            type="search"
            name="q"
            id="f-q"
            value={p.q ?? ""}
            placeholder="words in title, description or source id"
            maxlength={200}
          />
        </label>
        {props.withSort ? (
          <>
            <Select
              name="sort"
              label="Sort by"
              values={SORTABLE_FIELDS}
              selected={p.sort ?? "createdAt"}
              labels={SORT_LABELS}
            />
            <Select
              name="order"
              label="Order"
              values={["desc", "asc"]}
              selected={p.order ?? "desc"}
              labels={{ desc: "descending", asc: "ascending" }}
            />
            <Select name="size" label="Per page" values={PAGE_SIZES.map(String)} selected={String(p.size ?? 50)} />
          </>
        ) : null}
        <div class="actions">
          <button type="submit">{props.submitLabel ?? "Apply"}</button>
          <a href={props.action}>Reset</a>
        </div>
      </form>
    </details>
  );
}

/** Hidden fields carrying a filter into a POST form (bulk actions). */
export function FilterFields(props: { params: TicketFilterParams }) {
  return (
    <>
      {[...filterSearchParams(props.params).entries()].map(([name, value]) => (
        <input type="hidden" name={`filter.${name}`} value={value} />
      ))}
    </>
  );
}

export interface ChartSpec {
  type: "bar" | "line" | "doughnut";
  labels: string[];
  datasets: { label: string; data: number[] }[];
  stacked?: boolean;
  horizontal?: boolean;
}

/** A chart drawn by the client bundle (Chart.js) from data-chart; its numbers stay readable as a table. */
export function Chart(props: { title: string; spec: ChartSpec; tall?: boolean }) {
  const { spec } = props;
  return (
    <figure class={props.tall ? "chart tall" : "chart"}>
      <figcaption>{props.title}</figcaption>
      <div class="canvas-box">
        <canvas data-chart={JSON.stringify(spec)} role="img" aria-label={props.title} />
      </div>
      <details>
        <summary>Data</summary>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{spec.type === "doughnut" ? "" : " "}</th>
              {spec.datasets.map((d) => (
                <th scope="col">{d.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {spec.datasets.map((d) => (
                  <td>{d.data[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function Stat(props: { label: string; value: Child; hint?: string; tone?: "alert" | "warn" | "ok" }) {
  return (
    <div class={`stat ${props.tone ?? ""}`}>
      <div class="label">{props.label}</div>
      <div class="value">{props.value}</div>
      {props.hint ? <div class="hint">{props.hint}</div> : null}
    </div>
  );
}

export const fmt = {
  int: (n: number) => n.toLocaleString("en-US"),
  pct: (n: number | null) => (n === null ? "–" : `${(n * 100).toFixed(1)}%`),
  num: (n: number | null, digits = 2) => (n === null ? "–" : n.toFixed(digits)),
  date: (iso: string) => iso.replace("T", " ").slice(0, 16),
  json: (v: unknown) => JSON.stringify(v, null, 2),
};
