/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.

import type { AnalyticsData, CountedLabel } from "../../../sdk/ports/ticket-insights.js";
import { CATEGORIES, PRIORITIES } from "../../../sdk/schemas/feedback.js";
import { filterSearchParams, type TicketFilterParams } from "../ticket-filter.js";
import { Chart, type ChartSpec, FilterForm, fmt, Layout, type PageChrome } from "./layout.js";

const bars = (label: string, rows: CountedLabel[]): ChartSpec => ({
  type: "bar",
  horizontal: true,
  labels: rows.map((r) => r.label),
  datasets: [{ label, data: rows.map((r) => r.count) }],
});

export function AnalyticsPage(props: { chrome: PageChrome; params: TicketFilterParams; data: AnalyticsData }) {
  const { data } = props;
  const labels = data.overTime.map((b) => b.bucket);
  const exportHref = `/api/export.csv?${filterSearchParams(props.params)}`;
  return (
    <Layout chrome={props.chrome} title="Analytics" active="analytics">
      <FilterForm action="/analytics" params={props.params} dateBy="submitted" />
      <div class="toolbar">
        <span class="count">
          {fmt.int(data.total)} tickets · per {data.granularity} of the{" "}
          {props.params.by === "created" ? "date created" : "date the feedback was written"}
          {props.params.since ? ` from ${props.params.since}` : ""}
          {props.params.until ? ` to ${props.params.until}` : ""}
        </span>
        <a class="button secondary" href={exportHref} download="tickets.csv">
          Export CSV of this filter
        </a>
      </div>
      <section class="grid two">
        <Chart
          title={`Categories per ${data.granularity}`}
          tall
          spec={{
            type: "bar",
            stacked: true,
            labels,
            datasets: CATEGORIES.map((c) => ({ label: c, data: data.overTime.map((b) => b.byCategory[c] ?? 0) })),
          }}
        />
        <Chart
          title={`Priorities per ${data.granularity}`}
          tall
          spec={{
            type: "line",
            labels,
            datasets: PRIORITIES.map((p) => ({ label: p, data: data.overTime.map((b) => b.byPriority[p] ?? 0) })),
          }}
        />
        <Chart title="Top requested features" tall spec={bars("feature requests", data.topFeatures)} />
        <Chart
          title="Rating distribution (app reviews)"
          spec={{
            type: "bar",
            labels: data.ratings.map((r) => r.rating),
            datasets: [{ label: "tickets", data: data.ratings.map((r) => r.count) }],
          }}
        />
      </section>
      <h2>Bug hotspots</h2>
      <section class="grid three">
        <Chart title="By app version" tall spec={bars("bugs", data.bugHotspots.appVersion)} />
        <Chart title="By platform" tall spec={bars("bugs", data.bugHotspots.platform)} />
        <Chart title="By device" tall spec={bars("bugs", data.bugHotspots.device)} />
      </section>
    </Layout>
  );
}
