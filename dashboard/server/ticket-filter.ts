import { z } from "zod";
import { CATEGORIES, PRIORITIES, SOURCE_TYPES } from "../../sdk/schemas/feedback.js";
import {
  AppName,
  DateField,
  LanguageCode,
  SORTABLE_FIELDS,
  TICKET_STATUSES,
  type TicketQuery,
} from "../../sdk/schemas/ticket.js";

/**
 * The ticket filter as it travels in URLs (pages, the JSON API, CSV export): repeated or comma-separated
 * values, dates as YYYY-MM-DD (until is inclusive), page numbers. It becomes the SDK's TicketQuery, and
 * the same TicketQuery drives the table, the charts and the export.
 */
export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
export const MAX_SEARCH_CHARS = 200;

/** Repeated or comma-separated values, trimmed, without blanks and repeats; none at all is undefined. */
const values = (raw: unknown, map: (v: string) => string = (v) => v) => {
  const parts = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((v) => String(v).split(","))
    .map((v) => map(v.trim()))
    .filter(Boolean);
  return parts.length ? [...new Set(parts)] : undefined;
};

const list = <T extends readonly [string, ...string[]]>(allowed: T) =>
  z.preprocess((raw) => values(raw), z.array(z.enum(allowed)).optional());

/** ISO 639-1 codes, any case ("de", "EN,fr"). */
const languages = z.preprocess((raw) => values(raw, (v) => v.toLowerCase()), z.array(LanguageCode).optional());

const single = <S extends z.ZodType>(schema: S) =>
  z.preprocess((raw) => {
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value === "" || value === undefined || value === null ? undefined : value;
  }, schema.optional());

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "is not a date");

export const TicketFilterParams = z.object({
  priority: list(PRIORITIES),
  category: list(CATEGORIES),
  status: list(TICKET_STATUSES),
  source: list(SOURCE_TYPES),
  language: languages,
  /** Exact app names (package name, app id or configured name), repeated or comma-separated. */
  app: z.preprocess((raw) => values(raw), z.array(AppName).optional()),
  since: single(day),
  until: single(day),
  /** What since/until range over: "created" (the tickets page's default) or "submitted" (analytics' default). */
  by: single(DateField),
  q: single(z.string().trim().max(MAX_SEARCH_CHARS)),
  sort: single(z.enum(SORTABLE_FIELDS)),
  order: single(z.enum(["asc", "desc"])),
  page: single(z.coerce.number().int().min(1).max(100_000)),
  size: single(
    z.coerce
      .number()
      .int()
      .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `use one of ${PAGE_SIZES.join(", ")}`),
  ),
});
export type TicketFilterParams = z.infer<typeof TicketFilterParams>;

/** Parses URL parameters (`c.req.queries()` or form fields); throws a ZodError on bad input. */
export function parseFilterParams(raw: Record<string, string | string[] | undefined>): TicketFilterParams {
  return TicketFilterParams.parse(raw);
}

/** Built from parameters TicketFilterParams already checked, so it is typed rather than parsed again. */
export function toTicketQuery(
  params: TicketFilterParams,
  defaults: { size?: number; by?: DateField } = {},
): TicketQuery {
  const size = params.size ?? defaults.size ?? 50;
  const until = params.until ? new Date(Date.parse(`${params.until}T00:00:00Z`) + 86_400_000) : undefined;
  return {
    priority: params.priority,
    category: params.category,
    status: params.status,
    sourceType: params.source,
    language: params.language,
    app: params.app,
    since: params.since ? new Date(`${params.since}T00:00:00Z`) : undefined,
    until,
    dateBy: params.by ?? defaults.by,
    search: params.q || undefined,
    limit: size,
    offset: ((params.page ?? 1) - 1) * size,
    sortBy: params.sort ?? "createdAt",
    sortOrder: params.order ?? "desc",
  };
}

/** Back to URL parameters (links to other pages, sort headers, pagination, export). */
export function filterSearchParams(
  params: TicketFilterParams,
  override: Partial<TicketFilterParams> = {},
): URLSearchParams {
  const merged = { ...params, ...override };
  const out = new URLSearchParams();
  for (const key of ["priority", "category", "status", "source", "language", "app"] as const) {
    for (const value of merged[key] ?? []) out.append(key, value);
  }
  for (const key of ["since", "until", "by", "q", "sort", "order", "page", "size"] as const) {
    const value = merged[key];
    if (value !== undefined && value !== "") out.set(key, String(value));
  }
  return out;
}

/** The filter part only (no sort/page): what bulk actions, charts and the export apply to. */
export function filterOnly(params: TicketFilterParams): TicketFilterParams {
  const { sort: _s, order: _o, page: _p, size: _z, ...rest } = params;
  return rest;
}
