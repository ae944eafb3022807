import type {
  ConfigurationDifference,
  ConfigurationHistoryEntry,
  ConfigurationProblem,
  SavedConfiguration,
} from "../../app/configuration/configuration-service.js";

const compact = (value: unknown) => JSON.stringify(value);
const clip = (text: string, max = 160) => (text.length <= max ? text : `${text.slice(0, max - 1)}… (--json for all)`);

/** A whole configuration or one value: text as it is, anything else as indented JSON. */
export function configValueText(key: string | undefined, value: unknown): string {
  if (value === undefined) return `${key} is not set (its default applies)`;
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** `~ path: before -> after`, `+ path: value`, `- path: value`, one line each. */
export function differencesText(differences: readonly ConfigurationDifference[]): string {
  return differences
    .map((d) =>
      d.kind === "changed"
        ? `  ~ ${d.path}: ${compact(d.before)} -> ${compact(d.after)}`
        : d.kind === "added"
          ? `  + ${d.path}: ${compact(d.after)}`
          : `  - ${d.path}: ${compact(d.before)}`,
    )
    .join("\n");
}

/** What a save did; `differences: false` when they were shown before (config edit). */
export function savedText(saved: SavedConfiguration, options: { differences?: boolean } = {}): string {
  if (saved.changedKeys.length === 0) return "Nothing changed; the stored configuration already has these values.";
  const head = `Saved ${saved.changedKeys.join(", ")} (see 'feedback-cli config history'); the worker applies it to the next items it processes.`;
  return options.differences === false ? head : `${head}\n${differencesText(saved.differences)}`;
}

export function problemsText(file: string, problems: readonly ConfigurationProblem[]): string {
  return [
    `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
    ...problems.map((p) => `  ${p.path}: ${p.message}\n    fix: ${p.fix}`),
  ].join("\n");
}

export function historyText(entries: readonly ConfigurationHistoryEntry[]): string {
  if (entries.length === 0) return "No configuration changes recorded.";
  return entries
    .map((entry) => {
      const head = `${entry.changedAt}  ${entry.actor}  ${entry.key}`;
      if (entry.before === null) return `${head}\n  = ${clip(compact(entry.after))}`;
      return `${head}\n${differencesText(entry.differences)}`;
    })
    .join("\n");
}
