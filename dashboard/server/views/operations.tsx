/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import type { z } from "zod";
import type { IngestResult, OperationsJson } from "../contract.js";
import { Csrf, fmt, Layout, type PageChrome, Stat } from "./layout.js";

export function OperationsPage(props: {
  chrome: PageChrome;
  data: z.infer<typeof OperationsJson>;
  ingest?: z.infer<typeof IngestResult> | null;
}) {
  const { queue, dlq, worker, backend, agents } = props.data;
  const routing = agents.routing;
  const csrf = props.chrome.csrfToken;
  const ingest = props.ingest;
  return (
    <Layout chrome={props.chrome} title="Operations" active="operations">
      <p class="muted">{backend.description}</p>
      <section class="stats">
        <Stat
          label={`Queue ${queue.name}`}
          value={fmt.int(queue.visible)}
          hint={`waiting · ${fmt.int(queue.inFlight)} in flight · ${fmt.int(queue.delayed)} delayed`}
        />
        <Stat label={`Dead letters (${dlq.name})`} value={fmt.int(dlq.depth)} tone={dlq.depth ? "alert" : "ok"} />
        <Stat
          label="Worker"
          value={worker.inProcess ? "in this process" : "separate"}
          hint={
            worker.inProcess
              ? "processes the queue continuously"
              : "run 'feedback-cli worker' (or the deployed worker) to process the queue"
          }
        />
        <Stat
          label="Model cost"
          value={`$${agents.modelUsage.costUsd.toFixed(4)}`}
          hint={
            agents.modelUsage.items
              ? `${fmt.int(agents.modelUsage.items)} items · $${(agents.modelUsage.costPerItemUsd * 1000).toFixed(3)} per 1,000`
              : "none (offline agents)"
          }
        />
        {routing ? (
          <Stat
            label="Hybrid crew: sent to Claude"
            value={fmt.pct(routing.claudeShare)}
            hint={`${fmt.int(routing.offline)} decided offline · ${fmt.int(routing.claude)} by Claude${
              routing.claudeUnavailable
                ? ` · ${fmt.int(routing.claudeUnavailable)} kept offline (Claude unavailable)`
                : ""
            } · Claude $${routing.claudeCostUsd.toFixed(4)} ($${routing.costPer1000ItemsUsd.toFixed(3)} per 1,000 items)`}
          />
        ) : null}
      </section>
      <h2>Dead letters</h2>
      {dlq.letters.length ? (
        <>
          <form
            method="post"
            action="/operations/replay"
            class="inline"
            data-confirm="Move every dead letter back to the queue?"
          >
            <Csrf token={csrf} />
            <input type="hidden" name="all" value="1" />
            <button type="submit">Replay all {fmt.int(dlq.depth)}</button>
          </form>
          <table class="data letters">
            <thead>
              <tr>
                <th scope="col">Dead-lettered (UTC)</th>
                <th scope="col">Source</th>
                <th scope="col">Preview</th>
                <th scope="col">Receives</th>
                <th scope="col" class="wide">
                  Last error
                </th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {dlq.letters.map((l) => (
                <tr data-message-id={l.messageId}>
                  <td class="nowrap">{fmt.date(l.deadLetteredAt ?? l.sentAt)}</td>
                  <td class="nowrap">
                    {l.sourceType ?? "?"} {l.sourceId ?? ""}
                  </td>
                  <td>{l.preview ?? "(not a feedback message)"}</td>
                  <td class="num">{l.receiveCount}</td>
                  <td class="wide">
                    <code class="prewrap">{l.lastError ?? ""}</code>
                  </td>
                  <td>
                    <form method="post" action="/operations/replay" class="inline">
                      <Csrf token={csrf} />
                      <input type="hidden" name="id" value={l.messageId} />
                      <button type="submit" class="secondary">
                        Replay
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {dlq.depth > dlq.letters.length ? <p class="muted">Showing the oldest {dlq.letters.length}.</p> : null}
        </>
      ) : (
        <p class="muted">No dead letters.</p>
      )}
      <h2>Store sources</h2>
      <StoreSources sources={props.data.sources} />
      <h2>Ingest a file</h2>
      <form method="post" action="/operations/ingest" enctype="multipart/form-data" class="card">
        <Csrf token={csrf} />
        <label for="o-file">
          <span>CSV, JSON or NDJSON of app reviews or support e-mails (as for feedback-cli ingest)</span>
          <input id="o-file" type="file" name="file" required accept=".csv,.json,.ndjson,.txt" />
        </label>
        <label for="o-source">
          <span>Source</span>
          <select id="o-source" name="source">
            <option value="">detect from the columns</option>
            <option value="review">app reviews</option>
            <option value="email">support e-mails</option>
          </select>
        </label>
        <button type="submit">Ingest</button>
      </form>
      {ingest ? (
        <section class="ingest-result" aria-live="polite">
          <p>
            Read {fmt.int(ingest.totals.read)} rows: {fmt.int(ingest.totals.enqueued)} queued,{" "}
            {fmt.int(ingest.totals.duplicatesSkipped)} already tickets, {fmt.int(ingest.totals.rejected)} rejected.
          </p>
          {ingest.files.map((f) => (f.error ? <p class="error">{f.error}</p> : null))}
          {ingest.errors.length ? (
            <ul class="issues">
              {ingest.errors.slice(0, 50).map((e) => (
                <li>
                  line {e.line ?? "?"} {e.field ? `(${e.field})` : ""}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

export function ErrorPage(props: { chrome: PageChrome; status: number; message: string; hint?: string | null }) {
  return (
    <Layout chrome={props.chrome} title={props.status === 404 ? "Not found" : "Something went wrong"} active={null}>
      <p class="error" role="alert">
        {props.message}
      </p>
      {props.hint ? <p>{props.hint}</p> : null}
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  );
}

const STORE_NAMES = { "app-store-connect": "App Store Connect", "google-play": "Google Play" } as const;

/** Each configured store source and what its last pull did: when, how many reviews it brought, or why it failed. */
function StoreSources(props: { sources: z.infer<typeof OperationsJson>["sources"] }) {
  if (!props.sources.length)
    return (
      <p class="muted">
        No store sources. Reviews can be pulled from App Store Connect and Google Play: run{" "}
        <code>feedback-cli sources add</code> (see docs/store-pulls.md).
      </p>
    );
  return (
    <table class="data sources">
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">Store</th>
          <th scope="col">App</th>
          <th scope="col">Last pull (UTC)</th>
          <th scope="col" class="wide">
            Result
          </th>
        </tr>
      </thead>
      <tbody>
        {props.sources.map((s) => (
          <tr data-source={s.name}>
            <td class="nowrap">{s.name}</td>
            <td class="nowrap">{STORE_NAMES[s.kind]}</td>
            <td class="nowrap">{s.app}</td>
            <td class="nowrap">{s.lastPull ? fmt.date(s.lastPull.at) : "never"}</td>
            <td class="wide">{s.lastPull ? pullResult(s.lastPull) : "run feedback-cli pull"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function pullResult(pull: NonNullable<z.infer<typeof OperationsJson>["sources"][number]["lastPull"]>) {
  const counts = `${fmt.int(pull.enqueued)} new, ${fmt.int(pull.revised)} edited, ${fmt.int(pull.unchanged)} unchanged, ${fmt.int(pull.rejected)} rejected`;
  return pull.error ? <span class="error">failed: {pull.error}</span> : counts;
}
