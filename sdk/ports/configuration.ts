import type { ConfigurationKey, ConfigurationValue, TriageConfiguration } from "../schemas/configuration.js";

export interface ConfigurationStore {
  get<K extends ConfigurationKey>(key: K): Promise<ConfigurationValue<K>>;
  set<K extends ConfigurationKey>(key: K, value: ConfigurationValue<K>, actor: string): Promise<void>;
  /** The whole triage configuration, read fresh so that a change applies to the next item. */
  load(): Promise<TriageConfiguration>;
}
