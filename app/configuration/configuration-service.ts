import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import type { Backend } from "../../sdk/backend.js";
import { ConflictError, ValidationError } from "../../sdk/errors.js";
import {
  type ConfigurationKey,
  type ConfigurationValues,
  TriageConfiguration,
} from "../../sdk/schemas/configuration.js";
import { GroupingSettings } from "../../sdk/schemas/grouping.js";
import { DEFAULT_MODEL_PRICES } from "../agents/claude/cost.js";
import { SEEDED_CONFIGURATION } from "../agents/offline/dataset.js";

/**
 * The stored configuration as operators see it (`feedback-cli config`, the dashboard): the keys by their JSON
 * (camelCase) names, dotted paths into their values, whole-configuration validation with a fix for each problem,
 * the difference between two configurations, and saving with history. Both front ends go through here.
 */

/** JSON name -> stored key; the stored (snake_case) names are accepted wherever a name is. */
export const CONFIGURATION_NAMES = {
  confidenceThreshold: "confidence_threshold",
  priorityRules: "priority_rules",
  agents: "agents",
  modelPrices: "model_prices",
  defaultApp: "default_app",
  grouping: "grouping",
} as const satisfies Record<keyof TriageConfiguration, ConfigurationKey>;
export type ConfigurationName = keyof typeof CONFIGURATION_NAMES;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

const NAMES = Object.keys(CONFIGURATION_NAMES) as ConfigurationName[];
const NAME_OF_KEY = Object.fromEntries(NAMES.map((name) => [CONFIGURATION_NAMES[name], name])) as Record<
  ConfigurationKey,
  ConfigurationName
>;

export function configurationNameOf(key: ConfigurationKey): ConfigurationName {
  return NAME_OF_KEY[key];
}

// ---- paths into the configuration ------------------------------------------------------------------------------

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { def: SchemaDef }).def;

/** The schema under optional / default / nullable / pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ["optional", "default", "nullable", "prefault", "readonly"].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The schema of `segment` inside `schema`: an object's field, a record's value, an array's element. */
function childSchema(schema: z.ZodType, segment: string): z.ZodType | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === "object") return Object.hasOwn(def.shape ?? {}, segment) ? def.shape?.[segment] : undefined;
  if (def.type === "record") return def.keyType?.safeParse(segment).success ? def.valueType : undefined;
  if (def.type === "array") return /^\d+$/.test(segment) ? def.element : undefined;
  return undefined;
}

function fieldsOf(schema: z.ZodType): string[] | undefined {
  const def = defOf(unwrap(schema));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : undefined;
}

const topSchema = (name: ConfigurationName): z.ZodType => TriageConfiguration.shape[name];

/**
 * Names for paths that are not top-level keys but that operators look for by a name of their own: the category
 * defaults (the priority each category starts with) live in `priorityRules.defaults`.
 */
export const CONFIGURATION_ALIASES: Readonly<Record<string, string>> = {
  categoryDefaults: "priorityRules.defaults",
  category_defaults: "priorityRules.defaults",
};

/**
 * Every key `config get` and `config set` take: the names, the fields of those whose value is an object, and the
 * aliases (`categoryDefaults`).
 */
export function configurationKeys(): string[] {
  return [
    ...NAMES.flatMap((name) => [name, ...(fieldsOf(topSchema(name)) ?? []).map((field) => `${name}.${field}`)]),
    ...Object.keys(CONFIGURATION_ALIASES).filter((alias) => !alias.includes("_")),
  ];
}

/** `text` with an alias at its start replaced by the path it stands for. */
function expandAlias(text: string): string {
  const [first = "", ...rest] = text.split(".");
  return Object.hasOwn(CONFIGURATION_ALIASES, first) ? [CONFIGURATION_ALIASES[first], ...rest].join(".") : text;
}

export interface ConfigurationPath {
  name: ConfigurationName;
  key: ConfigurationKey;
  /** The path below the name (empty: the whole value). */
  rest: string[];
  /** The path as printed: the JSON name, then the rest, dotted. */
  text: string;
}

/** A key that no configuration value has; front ends show the valid keys (the CLI exits 2). */
export class UnknownConfigurationKeyError extends ValidationError {
  readonly validKeys: string[];
  constructor(readonly keyPath: string) {
    const validKeys = configurationKeys();
    super(`Unknown configuration key '${keyPath}'`, { hint: `Valid keys: ${validKeys.join(", ")}.` });
    this.validKeys = validKeys;
  }
}

/**
 * `agents.mode`, `confidence_threshold`, `priorityRules.defaults.Bug`, `priorityRules.rules.0.keywords`,
 * `categoryDefaults.Bug` (an alias of `priorityRules.defaults.Bug`).
 */
export function parseConfigurationPath(text: string): ConfigurationPath {
  const [first = "", ...rest] = expandAlias(text).split(".");
  const name = (NAMES as string[]).includes(first)
    ? (first as ConfigurationName)
    : Object.hasOwn(NAME_OF_KEY, first)
      ? NAME_OF_KEY[first as ConfigurationKey]
      : undefined;
  if (!name) throw new UnknownConfigurationKeyError(text);
  let schema: z.ZodType | undefined = topSchema(name);
  for (const segment of rest) {
    schema = schema && childSchema(schema, segment);
    if (!schema) throw new UnknownConfigurationKeyError(text);
  }
  return { name, key: CONFIGURATION_NAMES[name], rest, text: [name, ...rest].join(".") };
}

function valueAt(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

// ---- validation ------------------------------------------------------------------------------------------------

/** One problem of a configuration: where (a dotted path in the JSON), what is wrong, how to fix it. */
export interface ConfigurationProblem {
  path: string;
  message: string;
  fix: string;
}

/** A configuration that does not pass the schema; nothing was saved. */
export class InvalidConfigurationError extends ValidationError {
  constructor(
    message: string,
    readonly problems: ConfigurationProblem[],
    hint = "Nothing was saved.",
  ) {
    super(`${message}:\n${problems.map((p) => `  ${p.path}: ${p.message}; ${p.fix}`).join("\n")}`, { hint });
  }
}

/** A valid value of every setting (the seeded ones, a crew chosen), shown as the example in a problem's fix. */
const EXAMPLE: TriageConfiguration = {
  ...SEEDED_CONFIGURATION,
  agents: { ...SEEDED_CONFIGURATION.agents, mode: "hybrid" },
  modelPrices: DEFAULT_MODEL_PRICES,
  grouping: GroupingSettings.parse({ enabled: true }),
};

/** An example short enough for one line: lists cut to their first two entries. */
function brief(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 2).map(brief);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, brief(v)]));
  return value;
}

/** The example value at `path`: array indices and record keys fall back to the example's first entry. */
function exampleAt(path: readonly PropertyKey[]): unknown {
  let current: unknown = EXAMPLE;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) current = current[0];
    else {
      const record = current as Record<string, unknown>;
      current = Object.hasOwn(record, String(segment)) ? record[String(segment)] : Object.values(record)[0];
    }
  }
  return brief(current);
}

function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = TriageConfiguration;
  for (const segment of path) schema = schema && childSchema(schema, String(segment));
  return schema;
}

const show = (value: unknown) => JSON.stringify(value);

function fixFor(issue: z.core.$ZodIssue): string {
  const example = exampleAt(issue.path);
  const eg = example === undefined ? "" : `, e.g. ${show(example)}`;
  const leaf = schemaAt(issue.path);
  const entries = leaf ? defOf(unwrap(leaf)).entries : undefined;
  switch (issue.code) {
    case "invalid_value":
      return `use one of: ${issue.values.map((v) => show(v)).join(", ")}`;
    case "invalid_key":
      return `use one of the keys of the example${eg}`;
    case "too_small":
    case "too_big": {
      if (issue.origin === "number") {
        const def = leaf ? (unwrap(leaf) as unknown as { minValue?: number; maxValue?: number }) : {};
        const range =
          def.minValue !== undefined && def.maxValue !== undefined
            ? `a number from ${def.minValue} to ${def.maxValue}`
            : `a number ${issue.code === "too_small" ? ">=" : "<="} ${show(issue.code === "too_small" ? issue.minimum : issue.maximum)}`;
        return `use ${range}${eg}`;
      }
      if (issue.origin === "array") return `give at least ${show((issue as { minimum?: unknown }).minimum)} entry${eg}`;
      if (issue.origin === "string") return `give a non-empty text${eg}`;
      return `change the value${eg}`;
    }
    case "invalid_type":
      if (entries) return `use one of: ${Object.values(entries).map(show).join(", ")}`;
      return `give ${issue.expected === "undefined" ? "no value" : `a ${issue.expected}`}${eg}`;
    default:
      return example === undefined ? "change the value" : `change it to a value like ${show(example)}`;
  }
}

/** Object members the schema does not know (zod would drop them silently): a misspelt key is a problem. */
function unknownMembers(value: unknown, schema: z.ZodType, path: string[]): ConfigurationProblem[] {
  if (value === null || typeof value !== "object") return [];
  const def = defOf(unwrap(schema));
  const problems: ConfigurationProblem[] = [];
  for (const [member, child] of Object.entries(value)) {
    const childPath = [...path, member];
    const sub = childSchema(schema, member);
    if (!sub) {
      if (def.type === "object") {
        problems.push({
          path: childPath.join("."),
          message: "unknown key",
          fix: `remove it, or use one of: ${Object.keys(def.shape ?? {}).join(", ")}`,
        });
      }
      continue;
    }
    problems.push(...unknownMembers(child, sub, childPath));
  }
  return problems;
}

export type ValidationResult =
  | { ok: true; value: TriageConfiguration }
  | { ok: false; problems: ConfigurationProblem[] };

/**
 * Checks a whole configuration (as `config get --json` prints it; stored snake_case names accepted) against the
 * project's schema, reporting every problem with its path and a fix.
 */
export function validateConfiguration(input: unknown): ValidationResult {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      ok: false,
      problems: [
        {
          path: "(top)",
          message: "the configuration must be a JSON object",
          fix: `e.g. ${show({ confidenceThreshold: 0.7 })}`,
        },
      ],
    };
  }
  const named: Record<string, unknown> = {};
  const problems: ConfigurationProblem[] = [];
  for (const [member, value] of Object.entries(input)) {
    const name = (NAMES as string[]).includes(member)
      ? member
      : Object.hasOwn(NAME_OF_KEY, member)
        ? NAME_OF_KEY[member as ConfigurationKey]
        : member;
    if (Object.hasOwn(named, name)) {
      problems.push({ path: member, message: `the same setting as '${name}'`, fix: "keep only one of the two" });
    }
    named[name] = value;
  }
  problems.push(...unknownMembers(named, TriageConfiguration, []));
  const parsed = TriageConfiguration.safeParse(named);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: issue.path.join(".") || "(top)", message: issue.message, fix: fixFor(issue) });
    }
  }
  return problems.length === 0 && parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems };
}

// ---- differences -----------------------------------------------------------------------------------------------

export interface ConfigurationDifference {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

/** What differs between two configurations (or values), leaf by leaf; arrays compared index by index. */
export function diffConfiguration(before: unknown, after: unknown, path: string[] = []): ConfigurationDifference[] {
  const here = path.join(".");
  if (isDeepStrictEqual(before, after)) return [];
  if (before === undefined) return [{ path: here, kind: "added", after }];
  if (after === undefined) return [{ path: here, kind: "removed", before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffConfiguration(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffConfiguration(before[i], after[i], [...path, String(i)])).flat();
  }
  return [{ path: here, kind: "changed", before, after }];
}

// ---- use cases -------------------------------------------------------------------------------------------------

/** The stored configuration, every key by its JSON name. */
export function readConfiguration(backend: Backend): Promise<TriageConfiguration> {
  return backend.configuration.load();
}

/** One key (or a nested path) of the stored configuration; undefined when an optional value is not set. */
export async function getConfigurationValue(backend: Backend, path: string): Promise<unknown> {
  const parsed = parseConfigurationPath(path);
  return valueAt((await readConfiguration(backend))[parsed.name], parsed.rest);
}

/** The configuration with `value` at `path` (nothing saved): JSON when it parses as JSON, else the text. */
export function withValue(config: TriageConfiguration, path: ConfigurationPath, raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const next = structuredClone(config) as Record<string, unknown>;
  if (path.rest.length === 0) {
    next[path.name] = value;
    return next;
  }
  next[path.name] ??= {};
  let parent = next[path.name] as Record<string, unknown>;
  for (const segment of path.rest.slice(0, -1)) {
    if (parent[segment] === null || typeof parent[segment] !== "object") parent[segment] = {};
    parent = parent[segment] as Record<string, unknown>;
  }
  parent[path.rest.at(-1)!] = value;
  return next;
}

export interface SaveOptions {
  /**
   * The configuration the change was made from (`config edit`): a key the change sets that has changed in the
   * store since is a ConflictError, so nobody's change is overwritten unseen.
   */
  basedOn?: TriageConfiguration;
  conflictHint?: string;
}

export interface SavedConfiguration {
  /** The keys whose stored value changed (each has a history entry). */
  changedKeys: ConfigurationName[];
  differences: ConfigurationDifference[];
  configuration: TriageConfiguration;
}

/**
 * Validates the whole `next` configuration and stores the keys that differ from the stored ones, in one
 * transaction, each with a history entry naming `actor`. Invalid: InvalidConfigurationError, nothing saved.
 * A key absent from `next` keeps its stored value.
 */
export async function saveConfiguration(
  backend: Backend,
  next: unknown,
  actor: string,
  options: SaveOptions = {},
): Promise<SavedConfiguration> {
  const current = await readConfiguration(backend);
  const { basedOn } = options;
  if (basedOn && isObject(next)) {
    const stale = NAMES.filter(
      (name) =>
        Object.hasOwn(next, name) &&
        !isDeepStrictEqual(next[name], basedOn[name]) &&
        !isDeepStrictEqual(current[name], basedOn[name]),
    );
    if (stale.length > 0) {
      throw new ConflictError(`${stale.join(", ")} changed in the store since you started editing; nothing was saved`, {
        hint: options.conflictHint ?? "Read the configuration again and repeat your change.",
      });
    }
  }
  const candidate = isObject(next) ? { ...current, ...next } : next;
  const result = validateConfiguration(candidate);
  if (!result.ok) throw new InvalidConfigurationError("The configuration is not valid", result.problems);
  const values: ConfigurationValues = {};
  for (const name of NAMES) {
    const value = result.value[name];
    if (value !== undefined && !isDeepStrictEqual(value, current[name])) {
      (values as Record<string, unknown>)[CONFIGURATION_NAMES[name]] = value;
    }
  }
  const changed = await backend.configuration.update(values, actor);
  return {
    changedKeys: changed.map(configurationNameOf),
    differences: diffConfiguration(current, result.value),
    configuration: result.value,
  };
}

/** Sets one key (or nested path) to `raw` (JSON when it parses, else text), validating the whole configuration. */
export async function setConfigurationValue(
  backend: Backend,
  path: string,
  raw: string,
  actor: string,
): Promise<SavedConfiguration> {
  const parsed = parseConfigurationPath(path);
  const next = withValue(await readConfiguration(backend), parsed, raw);
  const result = validateConfiguration(next);
  if (!result.ok) {
    throw new InvalidConfigurationError(`Invalid value for '${parsed.text}'`, result.problems);
  }
  return saveConfiguration(backend, result.value, actor);
}

/**
 * Why the value at `path` cannot be unset, or null: an optional key (`defaultApp`, `modelPrices`), an optional
 * value (`agents.mode`), one with a default (`agents.claudeModel`, back to its default) or an entry of a map
 * (`modelPrices.<model>`) can be; a required value or a list element cannot.
 */
export function unsetProblem(path: ConfigurationPath): string | null {
  if (path.rest.length === 0)
    return defOf(topSchema(path.name)).type === "optional"
      ? null
      : `'${path.text}' is a required key; unset a value inside it (e.g. ${path.name}.<field>) or change it with config set`;
  let parent: z.ZodType = topSchema(path.name);
  for (const segment of path.rest.slice(0, -1)) parent = childSchema(parent, segment)!;
  const parentType = defOf(unwrap(parent)).type;
  if (parentType === "record") return null;
  if (parentType === "array") return `'${path.text}' is a list element; change the list with config set`;
  const leafType = defOf(childSchema(parent, path.rest.at(-1)!)!).type;
  return leafType === "optional" || leafType === "default"
    ? null
    : `'${path.text}' is required and cannot be unset; change it with config set`;
}

/**
 * Removes one optional value (see `unsetProblem`), validating the whole configuration and saving with history
 * as `setConfigurationValue` does; a value that is not set changes nothing.
 */
export async function unsetConfigurationValue(
  backend: Backend,
  path: string,
  actor: string,
): Promise<SavedConfiguration> {
  const parsed = parseConfigurationPath(path);
  const problem = unsetProblem(parsed);
  if (problem) throw new ValidationError(`Cannot unset '${parsed.text}': ${problem}`);
  if (parsed.rest.length === 0) {
    // A whole optional key (defaultApp, modelPrices): its stored row goes, with a history entry.
    const current = await readConfiguration(backend);
    const removed = await backend.configuration.remove(parsed.key, actor);
    const { [parsed.name]: _, ...rest } = current;
    return {
      changedKeys: removed ? [parsed.name] : [],
      differences: diffConfiguration(current, rest),
      configuration: rest as TriageConfiguration,
    };
  }
  const next = structuredClone(await readConfiguration(backend)) as Record<string, unknown>;
  const parent = valueAt(next[parsed.name], parsed.rest.slice(0, -1));
  if (parent !== null && typeof parent === "object") delete (parent as Record<string, unknown>)[parsed.rest.at(-1)!];
  const result = validateConfiguration(next);
  if (!result.ok) throw new InvalidConfigurationError(`Cannot unset '${parsed.text}'`, result.problems);
  return saveConfiguration(backend, result.value, actor);
}

export interface ConfigurationHistoryEntry {
  id: string;
  key: ConfigurationName;
  actor: string;
  changedAt: string;
  before: unknown;
  after: unknown;
  /** Leaf by leaf, paths starting with the key's name. */
  differences: ConfigurationDifference[];
}

/** Changes of the configuration, newest first (`key`: one key, by either name). */
export async function configurationHistory(
  backend: Backend,
  options: { key?: string; limit?: number } = {},
): Promise<ConfigurationHistoryEntry[]> {
  const key = options.key === undefined ? undefined : parseConfigurationPath(options.key);
  if (key && key.rest.length > 0) throw new UnknownConfigurationKeyError(options.key!);
  const changes = await backend.configuration.history({ key: key?.key, limit: options.limit });
  return changes.map((change) => {
    const name = configurationNameOf(change.key);
    const differences =
      change.before === null
        ? [{ path: name, kind: "added" as const, after: change.after }]
        : diffConfiguration(change.before, change.after, [name]);
    return { ...change, key: name, differences };
  });
}

/** The top-level keys of `edited` whose value differs from `base`, with their edited values. */
export function changedKeys(base: TriageConfiguration, edited: TriageConfiguration): Partial<TriageConfiguration> {
  const changed: Record<string, unknown> = {};
  for (const name of NAMES) {
    if (edited[name] !== undefined && !isDeepStrictEqual(edited[name], base[name])) changed[name] = edited[name];
  }
  return changed as Partial<TriageConfiguration>;
}
