/**
 * The dashboard's only script (progressive enhancement: every page works without it). It draws the
 * charts from their data-chart specs with Chart.js, asks before bulk actions, and adds rule rows on the
 * configuration page. No inline scripts: the Content-Security-Policy forbids them.
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

function configOf(spec: ChartSpec): ChartConfiguration {
  const single = spec.datasets.length === 1;
  const datasets = spec.datasets.map((d, i) => {
    const perLabel = spec.type === "doughnut" || (single && spec.labels.some((l) => l in COLORS));
    const color = perLabel ? spec.labels.map((l, j) => colorOf(l, j)) : colorOf(d.label, i);
    return {
      label: d.label,
      data: d.data,
      backgroundColor: color,
      borderColor: spec.type === "line" ? color : spec.type === "doughnut" ? "#fff" : color,
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

drawCharts();
confirmations();
ruleRows();
