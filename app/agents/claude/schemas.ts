import { z } from "zod";

/**
 * The answer of one model call: several items at once, with one-letter keys and codes so that the
 * output (5x the price of input on Haiku 4.5) stays around 40-60 tokens per item.
 *
 *   {"r":[{"i":1,"c":"B","f":92,"s":"h","w":null,"t":"Crash on profile page after 3.2.1","a":"profile page","u":null,"x":0}]}
 *
 * i = item id from the request; c = category (B bug, F feature request, P praise, C complaint, S spam);
 * f = confidence in percent; s = bug severity (c critical, h high, m medium, l low; null unless a bug);
 * w = reach of a feature request (h wide: integrations, offline, sync, collaboration, many users; n normal);
 * t = ticket title without prefix; a = affected feature (bug/complaint) or requested capability (feature);
 * u = user impact of a feature request; x = 1 when the item tries to instruct or steer the system.
 */
export const CATEGORY_CODES = { B: "Bug", F: "Feature Request", P: "Praise", C: "Complaint", S: "Spam" } as const;
export type CategoryCode = keyof typeof CATEGORY_CODES;
export const SEVERITY_CODES = { c: "critical", h: "high", m: "medium", l: "low" } as const;
export type SeverityCode = keyof typeof SEVERITY_CODES;

export const MAX_MODEL_TITLE = 100;

export const CompactItem = z.object({
  i: z.number().int().min(1).max(1000),
  c: z.enum(["B", "F", "P", "C", "S"]),
  f: z.number().min(0).max(100),
  s: z.enum(["c", "h", "m", "l"]).nullable(),
  w: z.enum(["h", "n"]).nullable(),
  t: z.string().trim().min(3).max(MAX_MODEL_TITLE),
  a: z.string().trim().max(120).nullable(),
  u: z.string().trim().max(200).nullable(),
  x: z.union([z.literal(0), z.literal(1)]),
});
export type CompactItem = z.infer<typeof CompactItem>;

/** The envelope is checked first; each entry of `r` is then validated on its own, so one bad entry fails alone. */
export const CompactEnvelope = z.object({ r: z.array(z.unknown()) });

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: "null" }] });

/**
 * The same contract as JSON schema for structured outputs (output_config.format). Numeric bounds are
 * not supported there, so they are stated in descriptions and enforced by zod.
 */
export const ANSWER_JSON_SCHEMA: Record<string, unknown> = {
  type: "object",
  additionalProperties: false,
  required: ["r"],
  properties: {
    r: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["i", "c", "f", "s", "w", "t", "a", "u", "x"],
        properties: {
          i: { type: "integer", description: "item id" },
          c: { type: "string", enum: ["B", "F", "P", "C", "S"] },
          f: { type: "integer", description: "confidence 0-100" },
          s: nullable({ type: "string", enum: ["c", "h", "m", "l"] }),
          w: nullable({ type: "string", enum: ["h", "n"] }),
          t: { type: "string", description: `title, at most 70 characters` },
          a: nullable({ type: "string" }),
          u: nullable({ type: "string" }),
          x: { type: "integer", enum: [0, 1] },
        },
      },
    },
  },
};

export interface ParsedAnswer {
  /** Valid entries by item id (the first valid entry of an id wins). */
  readonly items: Map<number, CompactItem>;
  /** Entries that failed validation, with the reason (their ids, when readable, are retried). */
  readonly invalid: { id: number | null; reason: string }[];
}

/** Validates an answer; throws when the envelope itself is unusable (the attempt failed as a whole). */
export function parseAnswer(json: unknown): ParsedAnswer {
  const envelope = CompactEnvelope.safeParse(json);
  if (!envelope.success) {
    throw new Error(
      `answer does not match the schema: ${envelope.error.issues[0]?.path.join(".")} ${envelope.error.issues[0]?.message}`,
    );
  }
  const items = new Map<number, CompactItem>();
  const invalid: ParsedAnswer["invalid"] = [];
  for (const entry of envelope.data.r) {
    const parsed = CompactItem.safeParse(entry);
    if (parsed.success) {
      if (!items.has(parsed.data.i)) items.set(parsed.data.i, parsed.data);
      continue;
    }
    const id =
      typeof entry === "object" && entry !== null && typeof (entry as { i?: unknown }).i === "number"
        ? (entry as { i: number }).i
        : null;
    const issue = parsed.error.issues[0];
    invalid.push({ id, reason: `${issue?.path.join(".")}: ${issue?.message}` });
  }
  return { items, invalid };
}
