import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { DELIVERY_STATUSES, DESTINATION_KINDS, type DestinationKind } from "../sdk/ports/integrations.js";
import { CATEGORIES, PRIORITIES, type SourceType } from "../sdk/schemas/feedback.js";
import { fullUuid, idPrefixDigits, MIN_ID_PREFIX } from "../sdk/schemas/id-prefix.js";
import { describeTextFault, findTextFault } from "../sdk/schemas/safe-text.js";
import { AppName, LanguageCode, TICKET_STATUSES } from "../sdk/schemas/ticket.js";

const normalise = (value: string) => value.toLowerCase().replace(/[\s_-]+/g, "");

function enumParser<T extends string>(name: string, values: readonly T[], aliases: Record<string, T> = {}) {
  const lookup = new Map<string, T>(values.map((v) => [normalise(v), v]));
  for (const [alias, value] of Object.entries(aliases)) lookup.set(normalise(alias), value);
  const parse = (raw: string, previous: T[] = []): T[] => {
    const parsed = raw.split(",").map((part) => {
      const found = lookup.get(normalise(part));
      if (!found) {
        throw new InvalidArgumentError(`'${part}' is not a ${name}; use one of: ${values.join(", ").toLowerCase()}.`);
      }
      return found;
    });
    return [...previous, ...parsed];
  };
  // What shell completion offers after the flag: each value in lower case, or its alias when it has spaces.
  const typed = (value: T) =>
    (/\s/.test(value) ? Object.keys(aliases).find((alias) => aliases[alias] === value) : undefined) ??
    value.toLowerCase();
  return Object.assign(parse, { completions: values.map(typed) });
}

export const parsePriorities = enumParser("priority", PRIORITIES);
export const parseCategories = enumParser("category", CATEGORIES, { feature: "Feature Request" });
export const parseStatuses = enumParser("status", TICKET_STATUSES, { review: "needs_review" });
export const parseDeliveryStatuses = enumParser("delivery status", DELIVERY_STATUSES);
export const parseSources = enumParser<SourceType>("source", ["app_store_review", "email", "webhook"], {
  review: "app_store_review",
  reviews: "app_store_review",
  app: "app_store_review",
});

/** Comma-separated ISO 639-1 codes ("de", "en,fr"), any case; repeatable. */
export function parseLanguages(raw: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...raw.split(",").map((part) => {
      const code = LanguageCode.safeParse(part.trim().toLowerCase());
      if (!code.success) {
        throw new InvalidArgumentError(`'${part}' is not a language code; use ISO 639-1 codes such as en, de, fr.`);
      }
      return code.data;
    }),
  ];
}

/** One app name (a package name, App Store app id or your own name); blank or unstorable is a usage error. */
export function parseApp(name: string) {
  const storable = parseStorableText(name);
  return (raw: string): string => {
    const app = AppName.safeParse(storable(raw));
    if (!app.success) {
      throw new InvalidArgumentError(
        `${name} needs an app name (a package name such as com.example.notes, an app id, or your own name), 1-200 characters.`,
      );
    }
    return app.data;
  };
}

/** Comma-separated app names, repeatable; each as `parseApp`. */
export function parseApps(name: string) {
  const one = parseApp(name);
  return (raw: string, previous: string[] = []): string[] => [...previous, ...raw.split(",").map(one)];
}

/** An ISO date/time, or a duration back from now: 30m, 12h, 7d. */
export function parseSince(raw: string): Date {
  const relative = /^(\d+)\s*([mhdw])$/i.exec(raw.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2]!.toLowerCase() as "m"]!;
    return new Date(Date.now() - Number(relative[1]) * unit);
  }
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(`'${raw}' is not a date; use e.g. 2024-12-01, 2024-12-01T10:00Z or 7d.`);
  }
  return date;
}

export function parsePositiveInt(name: string, max: number) {
  return parseIntFrom(name, 1, max);
}

export function parseNonNegativeInt(name: string, max: number) {
  return parseIntFrom(name, 0, max);
}

function parseIntFrom(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return value;
  };
}

/**
 * Free text bound for the database (a search, an id): a NUL or a lone surrogate is a usage error naming the
 * flag, not a database failure. From a shell neither can arrive (argv is C strings, and Node reads bytes that
 * are not UTF-8 as U+FFFD); this guards programs that drive the CLI in-process.
 */
export function parseStorableText(name: string) {
  return (raw: string): string => {
    const fault = findTextFault(raw);
    if (fault) throw new InvalidArgumentError(`${name} contains ${describeTextFault(fault)}; remove it.`);
    return raw;
  };
}

/** Repeatable, comma-separated values, each checked as by `parseStorableText`. */
export function collectStorableText(name: string) {
  const check = parseStorableText(name);
  return (raw: string, previous: string[] = []): string[] => [...previous, ...raw.split(",").map(check)];
}

/** How help text describes an argument taking one ticket id, and one taking several. */
export const TICKET_ID_HELP = `ticket id, or a unique prefix of it (at least ${MIN_ID_PREFIX} characters)`;
export const TICKET_IDS_HELP = `ticket ids, or unique prefixes of them (at least ${MIN_ID_PREFIX} characters each)`;

/** A whole id or a unique prefix of one (>= MIN_ID_PREFIX hex digits), checked as by `parseStorableText`. */
export function parseIdOrPrefix(name: string) {
  const storable = parseStorableText(name);
  return (raw: string): string => {
    const id = storable(raw).trim();
    if (!fullUuid(id) && !idPrefixDigits(id)) {
      throw new InvalidArgumentError(
        `${name} '${raw}' is not an id; give the whole id or at least ${MIN_ID_PREFIX} of its first characters (hex digits).`,
      );
    }
    return id;
  };
}

/** Repeatable, comma-separated ids or prefixes, each checked as by `parseIdOrPrefix`. */
export function collectIdsOrPrefixes(name: string) {
  const storable = parseStorableText(name);
  const check = parseIdOrPrefix(name);
  return (raw: string, previous: string[] = []): string[] => {
    const parts = raw.split(",");
    for (const part of parts) storable(part);
    return [...previous, ...parts.map(check)];
  };
}

/** One value of a list option's parser (`--priority high`): a second value is a usage error naming the flag. */
export function single<T>(name: string, parse: (raw: string) => T[]) {
  return (raw: string): T => {
    const values = parse(raw);
    if (values.length !== 1) throw new InvalidArgumentError(`${name} takes one value, not ${values.length}.`);
    return values[0]!;
  };
}

/** Text of a length within [min, max] (a title), checked as by `parseStorableText`. */
export function parseBoundedText(name: string, min: number, max: number) {
  const storable = parseStorableText(name);
  return (raw: string): string => {
    const text = storable(raw).trim();
    if (text.length < min || text.length > max) {
      throw new InvalidArgumentError(`${name} must be ${min} to ${max} characters long, not ${text.length}.`);
    }
    return text;
  };
}

/** `--kind`: one of the destination kinds. */
export function parseDestinationKind(raw: string): DestinationKind {
  const kind = raw.trim().toLowerCase();
  if (!(DESTINATION_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidArgumentError(`'${raw}' is not a destination kind; use one of: ${DESTINATION_KINDS.join(", ")}.`);
  }
  return kind as DestinationKind;
}

/** `--settings`: a JSON object given inline, or "@path" to read it from a file. */
export function parseJsonSettings(raw: string): Record<string, unknown> {
  let text = raw;
  if (raw.startsWith("@")) {
    try {
      text = readFileSync(raw.slice(1), "utf8");
    } catch {
      throw new InvalidArgumentError(
        `cannot read ${raw.slice(1)}; give a readable file after "@", or the JSON itself.`,
      );
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(
      `is not JSON (${(error as Error).message}); give an object, e.g. '{"repository":"acme/app"}'.`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('must be a JSON object, e.g. \'{"repository":"acme/app"}\'.');
  }
  return value as Record<string, unknown>;
}
