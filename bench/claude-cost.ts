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
 *
 * Hybrid crew (`--threshold 0.85`, default the configuration's): on a realistic 1,000-item mix of labelled rows
 * the text model never trained on (`loadRealisticMix`), the offline crew keeps the items at or above the
 * threshold and only the rest are priced as Claude requests (15 per request), beside all-Claude on the same
 * mix. Also printed: the share sent to Claude per threshold, on the mix and on the real review sentences
 * (../shared/data/feedback-classification, column `reviews`, when present), with the offline accuracy of the
 * items kept offline.
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
import {
  feedbackItem,
  type LabelledItem,
  loadDevSet,
  loadRealisticMix,
  SEEDED_CONFIGURATION,
} from "../app/agents/offline/dataset.js";
import { coarseOf, loadRealFile, REAL_FILES } from "../app/agents/offline/real-data.js";
import { redactPii } from "../app/agents/redact.js";
import {
  DEFAULT_HYBRID_THRESHOLD,
  type ModelPrice,
  type ModelPrices,
  ModelPrices as ModelPricesSchema,
} from "../sdk/schemas/configuration.js";
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

interface Routed {
  readonly item: FeedbackItem;
  readonly confidence: number;
  /** Whether the offline crew's decision is right (category, or bug / feature / other on coarse labels). */
  readonly right: boolean;
}

/** The offline crew's confidence and correctness per labelled item (what the hybrid router sees). */
function routeMix(items: readonly LabelledItem[]): Routed[] {
  return items.map((l) => {
    const r = triageOne(l.item, SEEDED_CONFIGURATION);
    return { item: l.item, confidence: r.confidence, right: r.category === l.category };
  });
}

function routeReal(root: string): Routed[] | null {
  const dir = path.join(root, "../shared/data/feedback-classification");
  if (!existsSync(dir)) return null;
  return REAL_FILES.filter((f) => existsSync(path.join(dir, f)))
    .flatMap((f) => loadRealFile(path.join(dir, f)))
    .map((c) => {
      const r = triageOne(c.item, SEEDED_CONFIGURATION);
      return { item: c.item, confidence: r.confidence, right: coarseOf(r.category) === c.label };
    });
}

/** Per threshold: share sent to Claude, offline accuracy of the kept items and of the sent ones. */
function sweep(routed: readonly Routed[], thresholds: readonly number[]) {
  const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  return thresholds.map((threshold) => {
    const kept = routed.filter((r) => r.confidence >= threshold);
    const sent = routed.filter((r) => r.confidence < threshold);
    return {
      threshold,
      sentToClaude: sent.length,
      sentPct: pct(sent.length, routed.length)!,
      keptOfflineAccuracyPct: pct(kept.filter((r) => r.right).length, kept.length),
      sentOfflineAccuracyPct: pct(sent.filter((r) => r.right).length, sent.length),
    };
  });
}

const THRESHOLDS = [0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

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

  // 1. The issue's reference: one call per item, 800 system + 300 input + 150 output tokens.
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

  // 3. The issue's item size (300 input tokens) through this design.
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

  // 5. The hybrid crew on a realistic mix: only the items below the threshold are Claude requests.
  const threshold = Number(arg("threshold", String(DEFAULT_HYBRID_THRESHOLD)));
  const mix = routeMix(loadRealisticMix(path.join(root, "test/app/agents/fixtures"), 1000));
  const sentItems = mix.filter((r) => r.confidence < threshold).map((r) => r.item);
  const mixPer1000 = 1000 / mix.length;
  const addMix = (name: string, t: Tokens, messageBatch: boolean, note: string) => {
    const c = cost(t, price, { messageBatch, cache: false });
    scenarios.push({
      name,
      usd: c.usd * mixPer1000,
      inputTokens: Math.round(c.input * mixPer1000),
      outputTokens: Math.round(t.output * mixPer1000),
      note,
    });
    return c.usd * mixPer1000;
  };
  const allClaude = measure(
    mix.map((r) => r.item),
    batchSize,
  );
  const hybridTokens = measure(sentItems, batchSize);
  const sentNote = `${sentItems.length} of ${mix.length} items to Claude, ${hybridTokens.requests} requests`;
  const allClaudeUsd = addMix(
    "mix: all-Claude, batched, synchronous",
    allClaude,
    false,
    `${allClaude.requests} requests`,
  );
  const hybridUsd = addMix(
    `mix: hybrid (offline >= ${threshold}), batched, synchronous`,
    hybridTokens,
    false,
    sentNote,
  );
  const allClaudeBatchUsd = addMix("mix: all-Claude via Message Batches", allClaude, true, "");
  const hybridBatchUsd = addMix(`mix: hybrid via Message Batches`, hybridTokens, true, sentNote);
  const real = routeReal(root);
  const hybrid = {
    threshold,
    mix: {
      items: mix.length,
      source: "holdout, holdout2, dev-set held-out rows, calibration set (test/app/agents/fixtures)",
      sentToClaude: sentItems.length,
      sentShare: sentItems.length / mix.length,
      per1000ItemsUsd: {
        allClaude: round3(allClaudeUsd),
        hybrid: round3(hybridUsd),
        allClaudeMessageBatches: round3(allClaudeBatchUsd),
        hybridMessageBatches: round3(hybridBatchUsd),
      },
      sweep: sweep(mix, THRESHOLDS),
    },
    realSentences: real
      ? {
          items: real.length,
          source: "../shared/data/feedback-classification (column reviews; bug / feature / other)",
          sentToClaude: real.filter((r) => r.confidence < threshold).length,
          sentShare: real.filter((r) => r.confidence < threshold).length / real.length,
          sweep: sweep(real, THRESHOLDS),
        }
      : null,
  };

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
    scenariosPer1000Items: scenarios.map((s) => ({ ...s, usd: round3(s.usd) })),
    hybrid,
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
  const share = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `\nhybrid crew, threshold ${threshold}: ${share(hybrid.mix.sentShare)} of the ${mix.length}-item mix sent to Claude; ` +
      `$${hybrid.mix.per1000ItemsUsd.hybrid.toFixed(3)} per 1,000 items beside $${hybrid.mix.per1000ItemsUsd.allClaude.toFixed(3)} all-Claude ` +
      `($${hybrid.mix.per1000ItemsUsd.hybridMessageBatches.toFixed(3)} / $${hybrid.mix.per1000ItemsUsd.allClaudeMessageBatches.toFixed(3)} via Message Batches)`,
  );
  if (hybrid.realSentences)
    console.log(
      `real review sentences (${hybrid.realSentences.items}): ${share(hybrid.realSentences.sentShare)} sent to Claude`,
    );
  const sweepTable = (name: string, rows: ReturnType<typeof sweep>) => {
    console.log(`\n${name}: threshold -> sent to Claude, offline accuracy of the kept / the sent items`);
    for (const r of rows)
      console.log(
        `  ${r.threshold.toFixed(2)}  ${`${r.sentPct.toFixed(1)}%`.padStart(6)}  kept ${pctText(r.keptOfflineAccuracyPct)}  sent ${pctText(r.sentOfflineAccuracyPct)}`,
      );
  };
  sweepTable("mix (category right)", hybrid.mix.sweep);
  if (hybrid.realSentences) sweepTable("real sentences (bug / feature / other right)", hybrid.realSentences.sweep);
}

const pctText = (n: number | null): string => (n === null ? "-" : `${n.toFixed(1)}%`);

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

main();
