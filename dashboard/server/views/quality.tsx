/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import type { ClassMetrics, ConfusionMatrix } from "../../../sdk/schemas/evaluation.js";
import type { QualityReport } from "../contract.js";
import { Csrf, fmt, Layout, type PageChrome, Stat } from "./layout.js";

function MetricsTable(props: { caption: string; rows: ClassMetrics[] }) {
  return (
    <table class="data metrics">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">F1</th>
          <th scope="col">Support</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td class="num">{fmt.num(r.precision)}</td>
            <td class="num">{fmt.num(r.recall)}</td>
            <td class="num">{fmt.num(r.f1)}</td>
            <td class="num">{r.support}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Confusion(props: { caption: string; matrix: ConfusionMatrix }) {
  const { labels, matrix } = props.matrix;
  return (
    <table class="data confusion">
      <caption>{props.caption} (rows: expected, columns: predicted)</caption>
      <thead>
        <tr>
          <th scope="col">expected ↓ / predicted →</th>
          {labels.map((l) => (
            <th scope="col">{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return (
            <tr>
              <th scope="row">{labels[i]}</th>
              {row.map((n, j) => (
                <td class={`num heat-${Math.min(5, Math.ceil((n / total) * 5))}${i === j ? " diag" : ""}`}>{n}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function QualityPage(props: { chrome: PageChrome; evalRoot: string | null; report: QualityReport | null }) {
  const r = props.report;
  const csrf = props.chrome.csrfToken;
  return (
    <Layout chrome={props.chrome} title="Quality" active="quality">
      <p class="muted">
        Runs the current agent crew with the current configuration on labelled feedback and compares — the same
        computation as <code>feedback-cli eval</code>. Labels:{" "}
        <code>record_id, expected_category, expected_priority</code> or{" "}
        <code>source_id, source_type, category, priority</code>. Without source files the feedback items stored with the
        tickets are used.
      </p>
      <div class="grid two">
        <form method="post" action="/quality" enctype="multipart/form-data" class="card">
          <Csrf token={csrf} />
          <h2>Upload</h2>
          <label for="q-labels">
            <span>Expected labels CSV</span>
            <input id="q-labels" type="file" name="labels" accept=".csv,text/csv" required />
          </label>
          <label for="q-reviews">
            <span>App reviews file (optional)</span>
            <input id="q-reviews" type="file" name="reviews" accept=".csv,.json,.ndjson" />
          </label>
          <label for="q-emails">
            <span>Support e-mails file (optional)</span>
            <input id="q-emails" type="file" name="emails" accept=".csv,.json,.ndjson" />
          </label>
          <button type="submit">Evaluate</button>
        </form>
        {props.evalRoot ? (
          <form method="post" action="/quality" class="card">
            <Csrf token={csrf} />
            <h2>File on the server</h2>
            <label for="q-path">
              <span>Path of the labels CSV, inside {props.evalRoot} (source files beside it are used)</span>
              <input
                id="q-path"
                name="labelsPath"
                required
                maxlength={1000}
                placeholder="data/expected_classifications.csv"
              />
            </label>
            <button type="submit">Evaluate</button>
          </form>
        ) : null}
      </div>
      {r ? (
        <section class="report">
          <h2>
            Result: {r.labelsName} · crew {r.agents}
          </h2>
          <section class="stats">
            <Stat label="Evaluated" value={fmt.int(r.evaluated)} hint={`items from ${r.itemSource}`} />
            <Stat label="Category accuracy" value={fmt.pct(r.categoryAccuracy)} />
            <Stat label="Priority accuracy" value={fmt.pct(r.priorityAccuracy)} />
            <Stat label="Both correct" value={fmt.pct(r.bothCorrectAccuracy)} />
            <Stat label="Speed" value={`${fmt.num(r.itemsPerSecond, 0)}/s`} hint={`${fmt.num(r.durationMs, 0)} ms`} />
          </section>
          {r.missing.length ? (
            <p class="warn">
              {r.missing.length} labelled ids had no item: {r.missing.slice(0, 20).join(", ")}
              {r.missing.length > 20 ? " …" : ""}
            </p>
          ) : null}
          <div class="grid two">
            <MetricsTable caption="Per category" rows={r.perCategory} />
            <MetricsTable caption="Per priority" rows={r.perPriority} />
          </div>
          <div class="grid two">
            <Confusion caption="Category confusion matrix" matrix={r.categoryConfusion} />
            <Confusion caption="Priority confusion matrix" matrix={r.priorityConfusion} />
          </div>
          {r.mistakes.length ? (
            <details>
              <summary>{r.mistakes.length} mistakes</summary>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Id</th>
                    <th scope="col">Expected</th>
                    <th scope="col">Predicted</th>
                    <th scope="col">Confidence</th>
                  </tr>
                </thead>
                <tbody>
                  {r.mistakes.slice(0, 200).map((m) => (
                    <tr>
                      <td>{m.id}</td>
                      <td>
                        {m.expected.category} / {m.expected.priority}
                      </td>
                      <td>
                        {m.predicted.category} / {m.predicted.priority}
                      </td>
                      <td class="num">{fmt.num(m.predicted.confidence)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}
