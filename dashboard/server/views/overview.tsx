/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import { CATEGORIES, PRIORITIES } from "../../../sdk/schemas/feedback.js";
import { TICKET_STATUSES } from "../../../sdk/schemas/ticket.js";
import type { Overview } from "../contract.js";
import { AppInput, Chart, fmt, Layout, type PageChrome, Stat } from "./layout.js";

export function OverviewPage(props: { chrome: PageChrome; data: Overview; apps?: string[] }) {
  const { stats, queue, dlqDepth, processing, worker } = props.data;
  const apps = props.apps ?? [];
  const appQuery = apps.length ? `&app=${encodeURIComponent(apps.join(","))}` : "";
  return (
    <Layout chrome={props.chrome} title="Overview" active="overview">
      <form class="filters" method="get" action="/" aria-label="Filter by app">
        <AppInput values={apps} placeholder="all apps" />
        <div class="actions">
          <button type="submit">Apply</button>
          <a href="/">All apps</a>
        </div>
      </form>
      <section class="stats" aria-label="Key figures">
        <Stat label="Tickets" value={fmt.int(stats.total)} hint={`${fmt.int(stats.createdLast24h)} in the last 24 h`} />
        <Stat
          label="Open critical"
          value={
            <a href={`/tickets?priority=Critical&status=open,needs_review${appQuery}`}>{fmt.int(stats.openCritical)}</a>
          }
          hint="critical, open or waiting for review"
          tone={stats.openCritical > 0 ? "alert" : "ok"}
        />
        <Stat
          label="Needs review"
          value={<a href="/review">{fmt.pct(stats.needsReviewShare)}</a>}
          hint={`${fmt.int(stats.byStatus.needs_review ?? 0)} tickets`}
          tone={(stats.needsReviewShare ?? 0) > 0.2 ? "warn" : undefined}
        />
        <Stat label="Average confidence" value={fmt.num(stats.averageConfidence)} />
        <Stat
          label="Queue"
          value={fmt.int(queue.visible + queue.inFlight + queue.delayed)}
          hint={`${fmt.int(queue.visible)} waiting · ${fmt.int(queue.inFlight)} in flight · ${fmt.int(queue.delayed)} delayed`}
        />
        <Stat
          label="Dead letters"
          value={<a href="/operations">{fmt.int(dlqDepth)}</a>}
          tone={dlqDepth > 0 ? "alert" : "ok"}
          hint="messages that kept failing"
        />
        <Stat
          label="Processing rate"
          value={processing.perMinute === null ? "–" : `${fmt.num(processing.perMinute, 1)}/min`}
          hint={`${processing.itemsLastHour === null ? "unknown" : fmt.int(processing.itemsLastHour)} items in the last hour${worker.inProcess ? " · worker runs in this process" : ""}`}
        />
      </section>
      <section class="grid two">
        <Chart
          title={`Items per day by category (date the feedback was written, last ${stats.perDay.length} days, UTC)`}
          tall
          spec={{
            type: "bar",
            stacked: true,
            labels: stats.perDay.map((d) => d.day.slice(5)),
            datasets: CATEGORIES.map((c) => ({ label: c, data: stats.perDay.map((d) => d.byCategory[c] ?? 0) })),
          }}
        />
        <Chart
          title="Priority mix"
          spec={{
            type: "doughnut",
            labels: [...PRIORITIES],
            datasets: [{ label: "tickets", data: PRIORITIES.map((p) => stats.byPriority[p] ?? 0) }],
          }}
        />
      </section>
      <section class="grid two">
        <table class="data counts">
          <caption>By category</caption>
          <tbody>
            {CATEGORIES.map((c) => (
              <tr>
                <th scope="row">
                  <a href={`/tickets?category=${encodeURIComponent(c)}${appQuery}`}>{c}</a>
                </th>
                <td>{fmt.int(stats.byCategory[c] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table class="data counts">
          <caption>By status</caption>
          <tbody>
            {TICKET_STATUSES.map((s) => (
              <tr>
                <th scope="row">
                  <a href={`/tickets?status=${s}${appQuery}`}>{s.replace("_", " ")}</a>
                </th>
                <td>{fmt.int(stats.byStatus[s] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p class="muted">
        Figures computed {fmt.date(stats.computedAt)} UTC (refreshed every few seconds); queue and dead letters are
        live.
      </p>
    </Layout>
  );
}
