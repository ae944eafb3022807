/** @jsxImportSource hono/jsx */
// biome-ignore-all lint/correctness/useJsxKeyInIterable: hono/jsx renders each page once to a string; React-style keys have no use here.
import { CATEGORIES, PRIORITIES } from "../../../sdk/schemas/feedback.js";
import type { ConfigurationJson } from "../contract.js";
import { Csrf, Layout, type PageChrome, Select } from "./layout.js";

/** The form's values as typed (kept when validation fails so nothing is lost). */
export interface ConfigurationDraft {
  confidenceThreshold: string;
  defaults: Record<string, string>;
  rules: { name: string; category: string; priority: string; keywords: string }[];
}

export function draftOf(config: ConfigurationJson): ConfigurationDraft {
  return {
    confidenceThreshold: String(config.confidenceThreshold),
    defaults: { ...config.priorityRules.defaults },
    rules: config.priorityRules.rules.map((r) => ({
      name: r.name,
      category: r.category,
      priority: r.priority,
      keywords: r.keywords.join(", "),
    })),
  };
}

/** Form fields -> the shape PriorityRules / ConfidenceThreshold validate (blank rows and removed rules dropped). */
export function configurationFromForm(form: Record<string, string | string[] | undefined>): {
  draft: ConfigurationDraft;
  value: unknown;
} {
  const text = (key: string) => {
    const v = form[key];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
  };
  const indexes = [
    ...new Set(
      Object.keys(form)
        .map((k) => /^rule\.(\d{1,4})\./.exec(k)?.[1])
        .filter((i): i is string => i !== undefined)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  const rules = indexes
    .filter((i) => !text(`rule.${i}.remove`))
    .map((i) => ({
      name: text(`rule.${i}.name`),
      category: text(`rule.${i}.category`),
      priority: text(`rule.${i}.priority`),
      keywords: text(`rule.${i}.keywords`),
    }))
    .filter((r) => r.name || r.keywords);
  const defaults = Object.fromEntries(CATEGORIES.map((c) => [c, text(`default.${c}`)]).filter(([, v]) => v));
  const draft: ConfigurationDraft = { confidenceThreshold: text("confidenceThreshold"), defaults, rules };
  const threshold = draft.confidenceThreshold === "" ? Number.NaN : Number(draft.confidenceThreshold);
  return {
    draft,
    value: {
      confidenceThreshold: threshold,
      priorityRules: {
        defaults,
        rules: rules.map((r) => ({
          name: r.name,
          category: r.category,
          priority: r.priority,
          keywords: r.keywords
            .split(/[,\n]/)
            .map((k) => k.trim())
            .filter(Boolean),
        })),
      },
    },
  };
}

function RuleRow(props: { index: number | string; rule?: ConfigurationDraft["rules"][number] }) {
  const i = props.index;
  const r = props.rule ?? { name: "", category: "Bug", priority: "Medium", keywords: "" };
  return (
    <tr class="rule">
      <td>
        <input name={`rule.${i}.name`} value={r.name} aria-label="Rule name" maxlength={100} />
      </td>
      <td>
        <Select
          id={`rule-${i}-category`}
          name={`rule.${i}.category`}
          label="Category"
          values={CATEGORIES}
          selected={r.category}
        />
      </td>
      <td>
        <Select
          id={`rule-${i}-priority`}
          name={`rule.${i}.priority`}
          label="Priority"
          values={PRIORITIES}
          selected={r.priority}
        />
      </td>
      <td class="wide">
        <textarea
          name={`rule.${i}.keywords`}
          aria-label="Keywords, comma-separated"
          placeholder="crash, data loss"
          maxlength={4000}
          rows={2}
        >
          {r.keywords}
        </textarea>
      </td>
      <td>
        <label class="check">
          <input type="checkbox" name={`rule.${i}.remove`} value="1" /> remove
        </label>
      </td>
    </tr>
  );
}

export function ConfigurationPage(props: {
  chrome: PageChrome;
  draft: ConfigurationDraft;
  issues?: { path: string; message: string }[];
}) {
  const { draft } = props;
  const blank = 2;
  return (
    <Layout chrome={props.chrome} title="Configuration" active="configuration">
      <p class="muted">
        Validated with the same schemas as the CLI. The worker reads the configuration for every batch, so a change
        applies to the next items processed.
      </p>
      {props.issues?.length ? (
        <ul class="error issues" role="alert">
          {props.issues.map((i) => (
            <li>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <form method="post" action="/configuration" class="config">
        <Csrf token={props.chrome.csrfToken} />
        <fieldset>
          <legend>Confidence threshold</legend>
          <label for="c-threshold">
            <span>Tickets below this confidence go to review (0–1)</span>
            <input
              id="c-threshold"
              name="confidenceThreshold"
              type="number"
              min="0"
              max="1"
              step="0.01"
              value={draft.confidenceThreshold}
              required
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Default priority per category</legend>
          <div class="row wrap">
            {CATEGORIES.map((c) => (
              <Select
                id={`c-default-${c.replace(/\s+/g, "-")}`}
                name={`default.${c}`}
                label={c}
                values={PRIORITIES}
                selected={draft.defaults[c]}
                any="(none)"
              />
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Keyword rules (first match of the item's category wins)</legend>
          <table class="data rules">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Priority</th>
                <th scope="col">Keywords (comma-separated)</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody id="rules">
              {draft.rules.map((rule, i) => (
                <RuleRow index={i} rule={rule} />
              ))}
              {Array.from({ length: blank }, (_, k) => (
                <RuleRow index={draft.rules.length + k} />
              ))}
            </tbody>
          </table>
          <template id="rule-template">
            <RuleRow index="__i__" />
          </template>
          <button type="button" class="secondary" data-add-rule="rules" hidden>
            Add a rule
          </button>
        </fieldset>
        <button type="submit">Save configuration</button>
      </form>
    </Layout>
  );
}
