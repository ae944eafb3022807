import { z } from "zod";
import { Category, Priority } from "./feedback.js";

export const PriorityRule = z.object({
  name: z.string().min(1),
  category: Category,
  priority: Priority,
  keywords: z.array(z.string().min(1)).min(1),
});
export type PriorityRule = z.infer<typeof PriorityRule>;

export const PriorityRules = z.object({
  defaults: z.record(Category, Priority),
  rules: z.array(PriorityRule),
});
export type PriorityRules = z.infer<typeof PriorityRules>;

export const ConfidenceThreshold = z.number().min(0).max(1);

export const AgentSettings = z.object({
  mode: z.enum(["offline", "claude"]).default("offline"),
  claudeModel: z.string().min(1).default("claude-haiku-4-5"),
});
export type AgentSettings = z.infer<typeof AgentSettings>;

/** Every configuration key with its schema; the store validates on read and write. */
export const CONFIGURATION_SCHEMAS = {
  confidence_threshold: ConfidenceThreshold,
  priority_rules: PriorityRules,
  agents: AgentSettings,
} as const;
export type ConfigurationKey = keyof typeof CONFIGURATION_SCHEMAS;
export type ConfigurationValue<K extends ConfigurationKey> = z.infer<(typeof CONFIGURATION_SCHEMAS)[K]>;

export const TriageConfiguration = z.object({
  confidenceThreshold: ConfidenceThreshold,
  priorityRules: PriorityRules,
  agents: AgentSettings,
});
export type TriageConfiguration = z.infer<typeof TriageConfiguration>;
