/**
 * The dashboard's only script (progressive enhancement: every page works without it). It draws the
 * charts from their data-chart specs with Chart.js (in the light or dark palette), asks before bulk actions,
 * adds rule rows on the configuration page, folds the navigation on phones, acts on ticked ticket rows
 * (one request per action) and runs the review queue's keyboard shortcuts. No inline scripts: the
 * Content-Security-Policy forbids them.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

interface ChartSpec {
  type: "bar" | "line" | "doughnut";
  labels: string[];
  datasets: { label: string; data: number[] }[];
  stacked?: boolean;
  horizontal?: boolean;
}

const COLORS: Record<string, string> = {
  Bug: "#d9480f",
  "Feature Request": "#1971c2",
  Praise: "#2f9e44",
  Complaint: "#ae3ec9",
  Spam: "#868e96",
  Failed: "#343a40",
  Critical: "#c92a2a",
  High: "#f76707",
  Medium: "#f5b400",
  Low: "#4dabf7",
};
const SERIES = ["#1971c2", "#2f9e44", "#f76707", "#ae3ec9", "#c92a2a", "#0c8599", "#5c940d", "#868e96"];
const colorOf = (label: string, i: number) => COLORS[label] ?? SERIES[i % SERIES.length]!;

const cssVar = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

/** Axis labels, grid lines and legends in the page's palette (light or dark). */
function chartTheme(): void {
  Chart.defaults.color = cssVar("--muted", "#616e7c");
  Chart.defaults.borderColor = cssVar("--line", "#d9e2ec");
}

function configOf(spec: ChartSpec): ChartConfiguration {
  const single = spec.datasets.length === 1;
  const datasets = spec.datasets.map((d, i) => {
    const perLabel = spec.type === "doughnut" || (single && spec.labels.some((l) => l in COLORS));
    const color = perLabel ? spec.labels.map((l, j) => colorOf(l, j)) : colorOf(d.label, i);
    return {
      label: d.label,
      data: d.data,
      backgroundColor: color,
      borderColor: spec.type === "line" ? color : spec.type === "doughnut" ? cssVar("--card", "#fff") : color,
      borderWidth: spec.type === "line" ? 2 : 1,
      pointRadius: spec.type === "line" ? 1.5 : undefined,
      tension: 0.25,
    };
  });
  const axes =
    spec.type === "doughnut"
      ? undefined
      : {
          x: { stacked: Boolean(spec.stacked), ticks: { autoSkip: true, maxRotation: 0 }, grid: { display: false } },
          y: { stacked: Boolean(spec.stacked), beginAtZero: true, ticks: { precision: 0 } },
        };
  return {
    type: spec.type,
    data: { labels: spec.labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: {
        legend: { display: !single || spec.type === "doughnut", position: "bottom", labels: { boxWidth: 12 } },
      },
      scales: axes,
    },
  } as ChartConfiguration;
}

function drawCharts(): void {
  chartTheme();
  // "Failed" is near-black on light pages; on dark ones it would vanish into the card.
  if (window.matchMedia("(prefers-color-scheme: dark)").matches) COLORS.Failed = "#adb5bd";
  for (const canvas of document.querySelectorAll<HTMLCanvasElement>("canvas[data-chart]")) {
    try {
      const spec = JSON.parse(canvas.dataset.chart ?? "") as ChartSpec;
      if (!spec.labels.length) {
        canvas.closest(".canvas-box")?.classList.add("empty");
        continue;
      }
      new Chart(canvas, configOf(spec));
      canvas.closest("figure")?.classList.add("drawn");
    } catch (error) {
      console.error("chart", error);
    }
  }
}

function confirmations(): void {
  document.addEventListener("submit", (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const question = form?.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}

function ruleRows(): void {
  const button = document.querySelector<HTMLButtonElement>("button[data-add-rule]");
  const template = document.querySelector<HTMLTemplateElement>("template#rule-template");
  const body = button ? document.getElementById(button.dataset.addRule ?? "") : null;
  if (!button || !template || !body) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const used = [...body.querySelectorAll<HTMLInputElement>("input[name$='.name']")].map((i) =>
      Number(/^rule\.(\d+)\./.exec(i.name)?.[1] ?? -1),
    );
    const next = String(Math.max(-1, ...used) + 1);
    const row = template.content.firstElementChild?.cloneNode(true) as HTMLElement | undefined;
    if (!row) return;
    for (const el of row.querySelectorAll<HTMLElement>("[name], [id], [for]")) {
      for (const attr of ["name", "id", "for"]) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replaceAll("__i__", next));
      }
    }
    body.appendChild(row);
    row.querySelector<HTMLInputElement>("input")?.focus();
  });
}

// ---- navigation on phones ------------------------------------------------------------------------
function menu(): void {
  document.documentElement.classList.add("js");
  // On a phone the filter folds away (its summary says how many filters are set), leaving the results in view.
  if (window.matchMedia("(max-width: 700px)").matches)
    for (const panel of document.querySelectorAll<HTMLDetailsElement>("details.filter-panel")) panel.open = false;
  const header = document.querySelector<HTMLElement>("header.top");
  const toggle = header?.querySelector<HTMLButtonElement>(".menu-toggle");
  if (!header || !toggle) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = header.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

/**
 * Gives each cell of the other data tables (history, processing log, dead letters, merges...) its column's
 * name, so on a phone every row stacks as a card of label: value pairs (CSS); without the script they scroll.
 */
function stackTables(): void {
  const tables = document.querySelectorAll<HTMLTableElement>(
    "main table.data:not(.tickets):not(.rules):not(.counts):not(.confusion)",
  );
  for (const table of tables) {
    if (table.closest("figure")) continue;
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    if (!heads.length) continue;
    for (const row of table.querySelectorAll("tbody tr"))
      [...row.children].forEach((cell, i) => {
        if (heads[i]) cell.setAttribute("data-label", heads[i]!);
      });
    table.classList.add("stack");
  }
}

// ---- selection and bulk actions -----------------------------------------------------------------
interface SelectionResult {
  action: "approve" | "reject" | "priority";
  updated: number;
  results: { id: string; ok: boolean; message: string | null; status: string | null; priority: string | null }[];
}

const csrfToken = () => document.querySelector<HTMLMetaElement>("meta[name=csrf-token]")?.content ?? "";

function badge(kind: "priority" | "status", value: string): HTMLElement {
  const span = document.createElement("span");
  span.className = `badge ${kind}-${value.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  span.textContent = value.replace("_", " ");
  return span;
}

/** Sends one action for the given tickets; updates their rows and lists each ticket's outcome. */
async function bulkAction(
  action: SelectionResult["action"],
  ids: string[],
  extra: { priority?: string } = {},
): Promise<SelectionResult | null> {
  const bar = document.querySelector<HTMLElement>(".selection-bar");
  const out = bar?.querySelector<HTMLElement>(".bulk-results");
  const buttons = bar ? [...bar.querySelectorAll<HTMLButtonElement>("button[data-bulk]")] : [];
  for (const b of buttons) b.disabled = true;
  try {
    const response = await fetch("/api/tickets/selection", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
      body: JSON.stringify({ action, ids, ...extra }),
    });
    const body = (await response.json()) as SelectionResult & { error?: { message: string } };
    if (!response.ok) {
      if (out) out.textContent = `Not done: ${body.error?.message ?? response.statusText}`;
      return null;
    }
    const titleOf = (id: string) =>
      document.querySelector(`tr[data-ticket-id="${id}"] td.title a`)?.textContent ?? id.slice(0, 8);
    for (const r of body.results) {
      const row = document.querySelector<HTMLTableRowElement>(`tr[data-ticket-id="${r.id}"]`);
      if (!row || !r.ok) continue;
      row.classList.add("changed");
      if (r.status) row.querySelector("td.status")?.replaceChildren(badge("status", r.status));
      if (r.priority) row.querySelector("td.priority")?.replaceChildren(badge("priority", r.priority));
      for (const b of row.querySelectorAll<HTMLButtonElement>("td.actions-cell button[value]"))
        b.disabled =
          (b.value === "approve" && r.status === "approved") || (b.value === "reject" && r.status === "rejected");
    }
    if (out) {
      const verb =
        action === "priority" ? `priority set to ${extra.priority}` : action === "approve" ? "approved" : "rejected";
      const failed = body.results.filter((r) => !r.ok).length;
      const summary = document.createElement("p");
      summary.textContent = `${body.updated} ticket(s) ${verb}${failed ? `, ${failed} failed` : ""}.`;
      const list = document.createElement("ul");
      for (const r of body.results) {
        const li = document.createElement("li");
        li.className = r.ok ? "ok" : "failed";
        li.dataset.ticketId = r.id;
        li.textContent = `${titleOf(r.id)}: ${r.ok ? verb : `failed: ${r.message}`}`;
        list.append(li);
      }
      out.replaceChildren(summary, list);
    }
    return body;
  } catch (error) {
    if (out) out.textContent = `Not done: ${String(error)}`;
    return null;
  } finally {
    refreshSelection();
  }
}

const rowBoxes = () => [...document.querySelectorAll<HTMLInputElement>("table.selectable input.select-row")];

function refreshSelection(): void {
  const boxes = rowBoxes();
  const chosen = boxes.filter((b) => b.checked);
  for (const b of boxes) b.closest("tr")?.classList.toggle("selected", b.checked);
  for (const all of document.querySelectorAll<HTMLInputElement>("input.select-all")) {
    all.checked = chosen.length > 0 && chosen.length === boxes.length;
    all.indeterminate = chosen.length > 0 && chosen.length < boxes.length;
  }
  const bar = document.querySelector<HTMLElement>(".selection-bar");
  if (!bar) return;
  const count = bar.querySelector(".selection-count");
  if (count) count.textContent = `${chosen.length} selected`;
  for (const b of bar.querySelectorAll<HTMLButtonElement>("button[data-bulk]")) b.disabled = chosen.length === 0;
}

function selection(): void {
  const table = document.querySelector<HTMLTableElement>("table.selectable");
  const bar = document.querySelector<HTMLElement>(".selection-bar");
  if (!table || !bar) return;
  for (const part of document.querySelectorAll<HTMLElement>("[data-needs-script]")) part.hidden = false;
  for (const part of document.querySelectorAll<HTMLElement>("[data-without-script]")) part.hidden = true;
  const onChange = (event: Event) => {
    const target = event.target as HTMLInputElement;
    if (target.classList.contains("select-all")) for (const b of rowBoxes()) b.checked = target.checked;
    if (target.classList.contains("select-all") || target.classList.contains("select-row")) refreshSelection();
  };
  table.addEventListener("change", onChange);
  bar.addEventListener("change", onChange);
  bar.addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-bulk]");
    if (!button) return;
    // The script sends the action itself and updates the rows in place: the form is what works without it.
    event.preventDefault();
    const ids = rowBoxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    if (!ids.length) return;
    const action = button.dataset.bulk as SelectionResult["action"];
    const priority = bar.querySelector<HTMLSelectElement>("select.bulk-priority")?.value;
    void bulkAction(action, ids, action === "priority" ? { priority } : {});
  });
  refreshSelection();
}

// ---- review queue shortcuts ----------------------------------------------------------------------
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

function shortcuts(): void {
  if (document.querySelector("main")?.dataset.shortcuts !== "review") return;
  const dialog = document.querySelector<HTMLDialogElement>("dialog#shortcuts");
  const rows = () => [...document.querySelectorAll<HTMLTableRowElement>("table.tickets tbody tr[data-ticket-id]")];
  let current = -1;
  const move = (to: number) => {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, to));
    all.forEach((row, i) => {
      row.classList.toggle("current", i === current);
      if (i === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    all[current]?.scrollIntoView({ block: "nearest" });
  };
  const currentRow = () => rows()[current];
  document.querySelector(".shortcuts-open")?.addEventListener("click", () => dialog?.showModal());
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || dialog?.open) return;
    switch (event.key) {
      case "j":
        move(current + 1);
        break;
      case "k":
        move(current < 0 ? 0 : current - 1);
        break;
      case "x": {
        const box = currentRow()?.querySelector<HTMLInputElement>("input.select-row");
        if (!box) return;
        box.checked = !box.checked;
        refreshSelection();
        break;
      }
      case "a":
      case "r": {
        const row = currentRow();
        if (!row?.dataset.ticketId) return;
        void bulkAction(event.key === "a" ? "approve" : "reject", [row.dataset.ticketId]).then((result) => {
          if (result?.results[0]?.ok) move(current + 1);
        });
        break;
      }
      case "?":
        dialog?.showModal();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}

menu();
stackTables();
drawCharts();
confirmations();
ruleRows();
selection();
shortcuts();
