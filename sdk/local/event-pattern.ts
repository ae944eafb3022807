import { ValidationError } from "../errors.js";

/** Whether an event (an EventBridge envelope) matches a compiled pattern. */
export type EventMatcher = (event: unknown) => boolean;
type ValueMatcher = (value: unknown) => boolean;

/**
 * Compiles the subset of EventBridge's event pattern language the local bus supports:
 * - fields, nested to any depth (`{"detail": {"item": {"sourceType": ["email"]}}}`); every field must match;
 * - leaf arrays of alternatives: exact strings, numbers, booleans or null; an array value in the event
 *   matches if any of its elements does;
 * - `{"prefix": s}`, `{"suffix": s}`, `{"equals-ignore-case": s}`, `{"wildcard": "a*b"}`,
 *   `{"anything-but": value | [values] | {"prefix"|"suffix": s}}` (the field must be present),
 *   `{"exists": true|false}`, `{"numeric": [">", 0, "<=", 5]}`;
 * - `"$or": [pattern, ...]` at any object level.
 * Anything else throws ValidationError, so a rule never silently matches nothing.
 */
export function compileEventPattern(pattern: unknown): EventMatcher {
  return compileObject(pattern, "");
}

export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

function compileObject(pattern: unknown, path: string): EventMatcher {
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    throw invalid(path, "must be a non-empty object");
  }
  const checks: EventMatcher[] = [];
  for (const [key, spec] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === "$or") {
      checks.push(compileOr(spec, at));
    } else if (Array.isArray(spec)) {
      const leaf = compileLeaf(spec, at);
      checks.push((event) => leaf(fieldOf(event, key)));
    } else if (isPlainObject(spec)) {
      const nested = compileObject(spec, at);
      checks.push((event) => {
        const value = fieldOf(event, key);
        return isPlainObject(value) && nested(value);
      });
    } else {
      throw invalid(at, "must be an array of values or a nested object");
    }
  }
  return (event) => checks.every((check) => check(event));
}

function compileOr(spec: unknown, path: string): EventMatcher {
  if (!Array.isArray(spec) || spec.length < 2) throw invalid(path, "must be an array of at least two patterns");
  const alternatives = spec.map((alternative, index) => compileObject(alternative, `${path}[${index}]`));
  return (event) => alternatives.some((alternative) => alternative(event));
}

function compileLeaf(alternatives: unknown[], path: string): ValueMatcher {
  if (alternatives.length === 0) throw invalid(path, "must list at least one value");
  const existence: ValueMatcher[] = [];
  const perElement: ValueMatcher[] = [];
  alternatives.forEach((alternative, index) => {
    const at = `${path}[${index}]`;
    if (isPlainObject(alternative) && "exists" in alternative) {
      const wanted = alternative.exists;
      if (typeof wanted !== "boolean" || Object.keys(alternative).length !== 1) {
        throw invalid(at, '"exists" takes true or false');
      }
      existence.push((value) => (value !== undefined) === wanted);
    } else {
      perElement.push(compileValueMatcher(alternative, at));
    }
  });
  return (value) => {
    if (existence.some((matches) => matches(value))) return true;
    if (value === undefined) return false;
    const elements = Array.isArray(value) ? value : [value];
    return elements.some((element) => perElement.some((matches) => matches(element)));
  };
}

function compileValueMatcher(alternative: unknown, path: string): ValueMatcher {
  if (alternative === null || typeof alternative === "string" || typeof alternative === "boolean") {
    return (value) => value === alternative;
  }
  if (typeof alternative === "number") return (value) => typeof value === "number" && value === alternative;
  if (!isPlainObject(alternative)) throw invalid(path, "must be a value or a matcher object");
  const entries = Object.entries(alternative);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined) throw invalid(path, "a matcher object has exactly one key");
  switch (operator) {
    case "prefix":
      return stringMatcher(operand, path, operator, (value, s) => value.startsWith(s));
    case "suffix":
      return stringMatcher(operand, path, operator, (value, s) => value.endsWith(s));
    case "equals-ignore-case":
      return stringMatcher(operand, path, operator, (value, s) => value.toLowerCase() === s.toLowerCase());
    case "wildcard":
      return wildcardMatcher(operand, path);
    case "anything-but":
      return anythingButMatcher(operand, path);
    case "numeric":
      return numericMatcher(operand, path);
    default:
      throw invalid(path, `unsupported matcher "${operator}"`);
  }
}

function stringMatcher(
  operand: unknown,
  path: string,
  operator: string,
  test: (value: string, operand: string) => boolean,
): ValueMatcher {
  if (typeof operand !== "string") throw invalid(path, `"${operator}" takes a string`);
  return (value) => typeof value === "string" && test(value, operand);
}

function wildcardMatcher(operand: unknown, path: string): ValueMatcher {
  if (typeof operand !== "string") throw invalid(path, '"wildcard" takes a string');
  const source = operand
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const regex = new RegExp(`^${source}$`, "s");
  return (value) => typeof value === "string" && regex.test(value);
}

function anythingButMatcher(operand: unknown, path: string): ValueMatcher {
  const at = `${path}.anything-but`;
  let excluded: ValueMatcher;
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw invalid(at, "must list at least one value");
    const matchers = operand.map((value, index) => compileExactValue(value, `${at}[${index}]`));
    excluded = (value) => matchers.some((matches) => matches(value));
  } else if (isPlainObject(operand)) {
    excluded = compileValueMatcher(operand, at);
    const [operator] = Object.keys(operand);
    if (operator !== "prefix" && operator !== "suffix" && operator !== "equals-ignore-case") {
      throw invalid(at, '"anything-but" takes values, "prefix", "suffix" or "equals-ignore-case"');
    }
  } else {
    excluded = compileExactValue(operand, at);
  }
  return (value) => !excluded(value);
}

function compileExactValue(operand: unknown, path: string): ValueMatcher {
  if (operand === null || typeof operand === "string" || typeof operand === "number" || typeof operand === "boolean") {
    return compileValueMatcher(operand, path);
  }
  throw invalid(path, "must be a string, number, boolean or null");
}

const NUMERIC_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "=": (a, b) => a === b,
  ">=": (a, b) => a >= b,
  ">": (a, b) => a > b,
};

function numericMatcher(operand: unknown, path: string): ValueMatcher {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw invalid(path, '"numeric" takes [operator, number, ...]');
  }
  const conditions: ((value: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const compare = NUMERIC_OPERATORS[String(operand[i])];
    const bound = operand[i + 1];
    if (!compare || typeof bound !== "number") throw invalid(path, `bad numeric condition at position ${i}`);
    conditions.push((value) => compare(value, bound));
  }
  return (value) => typeof value === "number" && conditions.every((condition) => condition(value));
}

function fieldOf(event: unknown, key: string): unknown {
  return isPlainObject(event) && Object.hasOwn(event, key) ? event[key] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(path: string, problem: string): ValidationError {
  return new ValidationError(`Event pattern ${path ? `field "${path}"` : "root"} ${problem}`);
}
