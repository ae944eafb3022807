import { z } from "zod";
import { Category, Priority } from "./feedback.js";
import { GroupingSettings } from "./grouping.js";
import { refuseUnstorable } from "./safe-text.js";
import { AppName } from "./ticket.js";

export const PriorityRule = z.object({
  name: z.string().min(1),
  category: Category,
  priority: Priority,
  keywords: z.array(z.string().min(1)).min(1),
});
export type PriorityRule = z.infer<typeof PriorityRule>;

export const PriorityRules = z
  .object({
    defaults: z.record(Category, Priority),
    rules: z.array(PriorityRule),
  })
  .superRefine(refuseUnstorable);
export type PriorityRules = z.infer<typeof PriorityRules>;

export const ConfidenceThreshold = z.number().min(0).max(1);

/** The agent crews: offline (no network), claude (every item to Claude), hybrid (offline first, Claude for the rest). */
export const AGENTS_MODES = ["offline", "claude", "hybrid"] as const;
export const AgentsMode = z.enum(AGENTS_MODES);
export type AgentsMode = z.infer<typeof AgentsMode>;

/** Offline confidence from which the hybrid crew keeps the offline result (chosen on bench/claude-cost.ts). */
export const DEFAULT_HYBRID_THRESHOLD = 0.85;

export const AgentSettings = z.object({
  /**
   * The stored choice of crew; absent: hybrid when ANTHROPIC_API_KEY is set, offline otherwise.
   * A --agents flag, then FEEDBACK_TRIAGE_AGENTS, win over it.
   */
  mode: AgentsMode.optional(),
  claudeModel: z.string().min(1).default("claude-haiku-4-5"),
  /** Hybrid crew: items the offline crew decides with at least this confidence keep its result (default 0.85). */
  hybridThreshold: z.number().min(0).max(1).optional(),
});
export type AgentSettings = z.infer<typeof AgentSettings>;

/** Prices of one model in US dollars per million tokens (Anthropic's published list prices). */
export const ModelPrice = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  /** 5-minute cache writes (1.25x input on Anthropic's list). */
  cacheWritePerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative(),
  /** Fraction taken off every token price for Message Batches requests (0.5 = half price). */
  batchDiscount: z.number().min(0).max(1).default(0),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Model id -> prices; the one table the cost of model calls is computed from. */
export const ModelPrices = z.record(z.string().min(1), ModelPrice);
export type ModelPrices = z.infer<typeof ModelPrices>;

/**
 * The app of ingested items whose record names none (no package name, app id or `app` column) when `ingest`
 * is given no `--app`: a package name ("com.example.notes"), an app id or your own name.
 */
export const DefaultApp = AppName;

/** Every configuration key with its schema; the store validates on read and write. */
export const CONFIGURATION_SCHEMAS = {
  confidence_threshold: ConfidenceThreshold,
  priority_rules: PriorityRules,
  agents: AgentSettings,
  model_prices: ModelPrices,
  default_app: DefaultApp,
  grouping: GroupingSettings,
} as const;
export type ConfigurationKey = keyof typeof CONFIGURATION_SCHEMAS;
export type ConfigurationValue<K extends ConfigurationKey> = z.infer<(typeof CONFIGURATION_SCHEMAS)[K]>;

export const TriageConfiguration = z.object({
  confidenceThreshold: ConfidenceThreshold,
  priorityRules: PriorityRules,
  agents: AgentSettings,
  /** Optional so that crews without a model (offline) and older callers need not carry it. */
  modelPrices: ModelPrices.optional(),
  /** Unset: items whose record names no app keep none. */
  defaultApp: DefaultApp.optional(),
  /** Duplicate grouping (the async stage after the ticket write); optional: absent means off. */
  grouping: GroupingSettings.optional(),
});
export type TriageConfiguration = z.infer<typeof TriageConfiguration>;

/** Stored values by key, as `ConfigurationStore.update` takes them: any subset of the keys. */
export type ConfigurationValues = { [K in ConfigurationKey]?: ConfigurationValue<K> };

/** One entry of the configuration's history: a key's value before (null: first recorded) and after a change. */
export const ConfigurationChange = z.object({
  id: z.string(),
  key: z.enum(Object.keys(CONFIGURATION_SCHEMAS) as [ConfigurationKey, ...ConfigurationKey[]]),
  before: z.unknown().nullable(),
  after: z.unknown(),
  actor: z.string(),
  changedAt: z.iso.datetime({ offset: true }),
});
export type ConfigurationChange = z.infer<typeof ConfigurationChange>;
