import type {
  ConfigurationChange,
  ConfigurationKey,
  ConfigurationValue,
  ConfigurationValues,
  TriageConfiguration,
} from "../schemas/configuration.js";

export interface ConfigurationStore {
  get<K extends ConfigurationKey>(key: K): Promise<ConfigurationValue<K>>;
  /** Stores one value (a change is recorded in the history with `actor`; an unchanged value writes nothing). */
  set<K extends ConfigurationKey>(key: K, value: ConfigurationValue<K>, actor: string): Promise<void>;
  /**
   * Stores several values in one transaction, each validated; every value that differs from the stored one is
   * written with a history entry naming `actor`. Returns the keys that changed.
   */
  update(values: ConfigurationValues, actor: string): Promise<ConfigurationKey[]>;
  /**
   * Removes an optional key's stored value (the reader then falls back to its absence), with a history entry
   * naming `actor` whose `after` is null. Returns whether there was a value to remove.
   */
  remove(key: ConfigurationKey, actor: string): Promise<boolean>;
  /** Changes, newest first; `key` narrows to one key. */
  history(options?: { key?: ConfigurationKey; limit?: number }): Promise<ConfigurationChange[]>;
  /** The whole triage configuration, read fresh so that a change applies to the next item. */
  load(): Promise<TriageConfiguration>;
}
