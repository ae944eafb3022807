/**
 * Cost estimate of the Claude crew for 1,000 typical items (tokens x configured prices).
 *
 *   npx jiti bench/claude-cost.ts [--items 1000] [--batch-size 15] [--model claude-haiku-4-5] [--json]
 *   (or: npm run build && node dist/bench/claude-cost.js)
 *
 * Tokens are counted on the strings the crew actually sends: the system prompt, the user message of each
 * request (items redacted, delimited and escaped exactly as in production) and, for the output, the compact
 * JSON answer an honest model gives for each item (built from the offline crew's assessment). The count
 * uses app/agents/claude/tokens.ts: 3.5 Latin characters per token (about 14% more than "chars / 4"),
 * one token per CJK character; Anthropic's tokenizer is not published, so real usage (recorded per item
 * in processing_logs) can differ by some 10-20%. Prices come from the `model_prices` seed migration.
 * Typical items: the hand-labelled dev set (test/app/agents/fixtures/dev-set.csv), repeated to the count.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decidePromptCaching, minCacheableTokens } from "../app/agents/claude/caching.js";
import { costOfUsage, DEFAULT_MODEL_PRICES, priceFor } from "../app/agents/claude/cost.js";
import { buildUserMessage, type PromptItem, SYSTEM_PROMPT } from "../app/agents/claude/prompts.js";
import type { CompactItem } from "../app/agents/claude/schemas.js";
import { estimateTokens } from "../app/agents/claude/tokens.js";
import { triageOne } from "../app/agents/offline/crew.js";
import { feedbackItem, loadDevSet, SEEDED_CONFIGURATION } from "../app/agents/offline/dataset.js";
import { redactPii } from "../app/agents/redact.js";
import type { ModelPrice, ModelPrices } from "../sdk/schemas/configuration.js";
import { ModelPrices as ModelPricesSchema } from "../sdk/schemas/configuration.js";
import type { FeedbackItem } from "../sdk/schemas/feedback.js";

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** The price table as the migration seeds it (the "configured prices"), else the built-in defaults. */
function configuredPrices(root: string): { prices: ModelPrices; source: string } {
  const file = path.join(root, "prisma/migrations/20261125030000_model_prices/migration.sql");
  if (existsSync(file)) {
    const m = /\('model_prices',\s*'([\s\S]*?)'\s*,/.exec(readFileSync(file, "utf8"));
    if (m)
      return {
        prices: ModelPricesSchema.parse(JSON.parse(m[1]!.replace(/''/g, "'"))),
        source: "model_prices migration",
      };
  }
  return { prices: DEFAULT_MODEL_PRICES, source: "built-in defaults" };
}

function typicalItems(root: string, count: number): FeedbackItem[] {
  const dev = path.join(root, "test/app/agents/fixtures/dev-set.csv");
  const base = existsSync(dev)
    ? loadDevSet(dev).map((l) => l.item)
    : [
        "App crashes every time I open my profile page. iPhone 14, iOS 17.2, version 3.2.1.",
        "Please add dark mode.",
        "Love it!",
      ].map((text) => feedbackItem({ text }));
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

const CODES: Record<string, CompactItem["c"]> = {
  Bug: "B",
  "Feature Request": "F",
  Praise: "P",
  Complaint: "C",
  Spam: "S",
  Failed: "C",
};
const SEVERITY: Record<string, CompactItem["s"]> = { critical: "c", high: "h", medium: "m", low: "l" };

/** What an honest model answers for an item, in the compact format (the offline crew's assessment). */
function compactAnswer(item: FeedbackItem, id: number): CompactItem {
  const r = triageOne(item, SEEDED_CONFIGURATION);
  const d = r.technicalDetails;
  return {
    i: id,
    c: CODES[r.category]!,
    f: Math.round(r.confidence * 100),
    s: r.category === "Bug" ? (SEVERITY[String(d.severity)] ?? "m") : null,
    w: r.category === "Feature Request" ? "n" : null,
    t: r.title.replace(/^\[[A-Z]+\]\s*/, "").slice(0, 70),
    a: ((d.affectedFeature ?? d.requestedCapability) as string | null | undefined) ?? null,
    u: (d.userImpact as string | null | undefined) ?? null,
    x: 0,
  };
}

const promptItem = (item: FeedbackItem, id: number): PromptItem => ({
  id,
  sourceType: item.sourceType,
  subject: item.subject === null ? null : redactPii(item.subject).text,
  text: redactPii(item.text).text,
  rating: item.rating,
  appVersion: item.appVersion,
  device: item.device,
  platform: item.platform,
  statedPriority: item.sourceType === "app_store_review" ? null : item.statedPriority,
});

interface Tokens {
  requests: number;
  /** Fixed prefix (system prompt) per request. */
  prefix: number;
  /** Everything else that is input: the user messages, summed over requests. */
  variableInput: number;
  output: number;
}

/** Tokens of the crew's real requests for `items` in groups of `batchSize`. */
function measure(items: readonly FeedbackItem[], batchSize: number): Tokens {
  const prefix = estimateTokens(SYSTEM_PROMPT);
  let variableInput = 0;
  let output = 0;
  let requests = 0;
  for (let start = 0; start < items.length; start += batchSize) {
    const group = items.slice(start, start + batchSize);
    variableInput += estimateTokens(buildUserMessage(group.map((item, j) => promptItem(item, j + 1)))) + 8; // + message framing
    output += estimateTokens(JSON.stringify({ r: group.map((item, j) => compactAnswer(item, j + 1)) }));
    requests += 1;
  }
  return { requests, prefix, variableInput, output };
}

interface Scenario {
  name: string;
  usd: number;
  inputTokens: number;
  outputTokens: number;
  note: string;
}

/** Cost of a run; with caching, the first request of each 5-minute window writes the prefix, the rest read it. */
function cost(
  t: Tokens,
  price: ModelPrice,
  options: { messageBatch: boolean; cache: boolean; windows?: number },
): { usd: number; input: number } {
  const windows = Math.min(t.requests, options.windows ?? 1);
  const prefixTotal = t.prefix * t.requests;
  const usage = options.cache
    ? {
        inputTokens: t.variableInput,
        outputTokens: t.output,
        cacheWriteTokens: t.prefix * windows,
        cacheReadTokens: t.prefix * (t.requests - windows),
      }
    : { inputTokens: t.variableInput + prefixTotal, outputTokens: t.output, cacheWriteTokens: 0, cacheReadTokens: 0 };
  return {
    usd: costOfUsage(usage, price, { messageBatch: options.messageBatch }),
    input: t.variableInput + prefixTotal,
  };
}

function main(): void {
  const root = repoRoot();
  const count = Number(arg("items", "1000"));
  const batchSize = Number(arg("batch-size", "15"));
  const model = arg("model", "claude-haiku-4-5");
  const { prices, source } = configuredPrices(root);
  const price = priceFor(model, prices);
  if (!price) throw new Error(`no price for ${model} in ${source}`);
  const items = typicalItems(root, count);
  const per1000 = 1000 / count;
  const scenarios: Scenario[] = [];
  const add = (name: string, usd: number, inputTokens: number, outputTokens: number, note = "") =>
    scenarios.push({
      name,
      usd: usd * per1000,
      inputTokens: Math.round(inputTokens * per1000),
      outputTokens: Math.round(outputTokens * per1000),
      note,
    });

  // 1. The reference: one call per item, 800 system + 300 input + 150 output tokens.
  const ref: Tokens = { requests: count, prefix: 800, variableInput: 300 * count, output: 150 * count };
  add(
    "naive, 1 item/request (issue's figures)",
    cost(ref, price, { messageBatch: false, cache: false }).usd,
    1100 * count,
    150 * count,
    "800 system + 300 input + 150 output tokens each",
  );
  add(
    "naive via Message Batches (issue's figures)",
    cost(ref, price, { messageBatch: true, cache: false }).usd,
    1100 * count,
    150 * count,
  );

  // 2. This crew's real prompt strings.
  const single = measure(items, 1);
  const batched = measure(items, batchSize);
  const prefixTokens = batched.prefix;
  const caching = decidePromptCaching({ model, prefixTokens, expectedRequests: batched.requests });
  const cachingNote = caching.enabled ? "prefix cached" : `no effect: ${caching.reason}`;
  add(
    "our prompt, 1 item/request",
    cost(single, price, { messageBatch: false, cache: false }).usd,
    cost(single, price, { messageBatch: false, cache: false }).input,
    single.output,
  );
  const sync = cost(batched, price, { messageBatch: false, cache: false });
  add(
    `batched, ${batchSize} items/request, synchronous`,
    sync.usd,
    sync.input,
    batched.output,
    `${batched.requests} requests`,
  );
  add(
    `batched, synchronous, with caching`,
    caching.enabled ? cost(batched, price, { messageBatch: false, cache: true }).usd : sync.usd,
    sync.input,
    batched.output,
    cachingNote,
  );
  const viaBatches = cost(batched, price, { messageBatch: true, cache: false });
  add(`batched via Message Batches`, viaBatches.usd, viaBatches.input, batched.output);
  add(
    `batched via Message Batches, with caching`,
    caching.enabled ? cost(batched, price, { messageBatch: true, cache: true }).usd : viaBatches.usd,
    viaBatches.input,
    batched.output,
    cachingNote,
  );

  // 3. The item size (300 input tokens) through this design.
  const big: Tokens = {
    requests: Math.ceil(count / batchSize),
    prefix: prefixTokens,
    variableInput: 300 * count,
    output: Math.round((batched.output / count) * count),
  };
  add(
    `batched, items of 300 tokens (issue's size), synchronous`,
    cost(big, price, { messageBatch: false, cache: false }).usd,
    cost(big, price, { messageBatch: false, cache: false }).input,
    big.output,
  );
  add(
    `batched, items of 300 tokens, Message Batches`,
    cost(big, price, { messageBatch: true, cache: false }).usd,
    cost(big, price, { messageBatch: true, cache: false }).input,
    big.output,
  );

  // 4. When caching would pay: a prefix at the model's minimum (e.g. with many worked examples).
  const minimum = minCacheableTokens(model);
  const padded: Tokens = { ...batched, prefix: minimum };
  add(
    `what-if: ${minimum}-token prefix, no caching`,
    cost(padded, price, { messageBatch: false, cache: false }).usd,
    cost(padded, price, { messageBatch: false, cache: false }).input,
    padded.output,
  );
  add(
    `what-if: ${minimum}-token prefix, cached (1 write/5 min)`,
    cost(padded, price, { messageBatch: false, cache: true }).usd,
    cost(padded, price, { messageBatch: false, cache: false }).input,
    padded.output,
  );

  const meanChars = items.reduce((s, i) => s + i.text.length + (i.subject?.length ?? 0), 0) / items.length;
  const summary = {
    model,
    prices: { source, ...price },
    items: count,
    meanItemChars: Math.round(meanChars),
    systemPromptTokens: prefixTokens,
    perItem: {
      inputTokens: Math.round((batched.variableInput + batched.prefix * batched.requests) / count),
      outputTokens: Math.round(batched.output / count),
    },
    caching: caching.reason,
    scenariosPer1000Items: scenarios.map((s) => ({ ...s, usd: Math.round(s.usd * 1000) / 1000 })),
  };
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  console.log(
    `Claude crew cost per 1,000 items - ${model} at $${price.inputPerMTok}/$${price.outputPerMTok} per MTok in/out (${source})`,
  );
  console.log(
    `typical items: ${count} from the dev set, mean ${summary.meanItemChars} chars; system prompt ~${prefixTokens} tokens; ` +
      `batched: ~${summary.perItem.inputTokens} input + ~${summary.perItem.outputTokens} output tokens per item`,
  );
  console.log(`prompt caching: ${caching.enabled ? "on" : "off"} (${caching.reason})\n`);
  const width = Math.max(...scenarios.map((s) => s.name.length));
  console.log(
    `${"scenario".padEnd(width)}  ${"USD".padStart(7)}  ${"input tok".padStart(10)}  ${"output tok".padStart(10)}  note`,
  );
  for (const s of scenarios) {
    console.log(
      `${s.name.padEnd(width)}  ${s.usd.toFixed(3).padStart(7)}  ${String(s.inputTokens).padStart(10)}  ${String(s.outputTokens).padStart(10)}  ${s.note}`,
    );
  }
}

main();
