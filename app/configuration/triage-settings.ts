import type { Backend } from "../../sdk/backend.js";
import type { ConfigurationValue } from "../../sdk/schemas/configuration.js";
import { saveConfiguration } from "./configuration-service.js";

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

/**
 * Stores both settings in one transaction, through the configuration use case the CLI's `config set` / `config
 * edit` use: the whole configuration is validated, and each changed key gets a history entry naming `actor`.
 */
export async function saveTriageSettings(
  backend: Backend,
  settings: TriageSettings,
  actor: string,
): Promise<TriageSettings> {
  await saveConfiguration(backend, settings, actor);
  return settings;
}
