import type { Backend } from "../../sdk/backend.js";
import type { ConfigurationValue } from "../../sdk/schemas/configuration.js";

/** The settings operators change while the system runs; the worker reads them for its next batch. */
export interface TriageSettings {
  priorityRules: ConfigurationValue<"priority_rules">;
  confidenceThreshold: ConfigurationValue<"confidence_threshold">;
}

export async function readTriageSettings(backend: Backend): Promise<TriageSettings> {
  const [priorityRules, confidenceThreshold] = await Promise.all([
    backend.configuration.get("priority_rules"),
    backend.configuration.get("confidence_threshold"),
  ]);
  return { priorityRules, confidenceThreshold };
}

/** Stores both settings, each recorded with who changed it (the store keeps the history). */
export async function saveTriageSettings(
  backend: Backend,
  settings: TriageSettings,
  actor: string,
): Promise<TriageSettings> {
  await backend.configuration.set("priority_rules", settings.priorityRules, actor);
  await backend.configuration.set("confidence_threshold", settings.confidenceThreshold, actor);
  return settings;
}
