import { NotFoundError, ValidationError } from "../errors.js";

/**
 * Ids (tickets, queue messages) are UUIDs; people may type a unique prefix of one, like git's short
 * hashes: at least MIN_ID_PREFIX hex digits, dashes where the UUID has them, any case.
 */
export const MIN_ID_PREFIX = 6;

/** How many candidates an ambiguous prefix lists. */
export const ID_CANDIDATES = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Where a UUID's text has its dashes. */
const DASHES_AT_TEXT = new Set([8, 13, 18, 23]);
const HEX = /^[0-9a-f]$/;

/** A whole UUID (lower-cased) or null. */
export function fullUuid(given: string): string | null {
  const id = given.trim().toLowerCase();
  return UUID.test(id) ? id : null;
}

/**
 * The hex digits of a UUID prefix ("d09a1262", "d09a1262-3f"), lower-cased, or null when `given` is no
 * prefix of a UUID (other characters, dashes out of place, fewer than MIN_ID_PREFIX digits, too long).
 */
export function idPrefixDigits(given: string): string | null {
  const text = given.trim().toLowerCase();
  const dashed =
    text.length <= 36 && [...text].every((char, i) => (DASHES_AT_TEXT.has(i) ? char === "-" : HEX.test(char)));
  const plain = /^[0-9a-f]{1,32}$/.test(text);
  if (!dashed && !plain) return null;
  const digits = text.replaceAll("-", "");
  return digits.length >= MIN_ID_PREFIX ? digits : null;
}

const asUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The smallest and largest UUID a prefix covers: an index range scan finds its ids. */
export function uuidRange(digits: string): { low: string; high: string } {
  return { low: asUuid(digits.padEnd(32, "0")), high: asUuid(digits.padEnd(32, "f")) };
}

/**
 * The one id `given` names among `candidates` (what the store found for its prefix): none is a
 * NotFoundError, several a ValidationError listing them. Both say what to do next.
 */
export function uniqueId(
  what: { noun: string; listCommand: string },
  given: string,
  candidates: readonly string[],
): string {
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new NotFoundError(`No ${what.noun} with id ${given}`, {
      hint: `Give the whole id or a unique prefix of at least ${MIN_ID_PREFIX} characters; '${what.listCommand}' shows the ids.`,
    });
  }
  const shown = candidates.slice(0, ID_CANDIDATES);
  throw new ValidationError(
    `Id prefix ${given} is ambiguous: it matches ${candidates.length >= ID_CANDIDATES ? `${ID_CANDIDATES} or more` : candidates.length} ${what.noun}s: ${shown.join(", ")}`,
    { hint: "Type more characters of the id, enough to name one." },
  );
}
