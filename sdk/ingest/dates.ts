/**
 * Date parsing for feedback exports. Every accepted form becomes an ISO 8601 UTC string
 * (`Date#toISOString()`); a value without an offset is taken as UTC.
 *
 * Accepted: ISO 8601 date or date-time (with or without offset), epoch seconds (10 digits),
 * epoch milliseconds (13 digits), DD/MM/YYYY, DD.MM.YYYY, YYYY/MM/DD, "Dec 15, 2024",
 * "15 Dec 2024" (also RFC 2822: "Sun, 15 Dec 2024 10:30:00 +0000"). The non-ISO forms
 * may carry a time ("15/12/2024 10:30", "Dec 15, 2024 3:04 PM").
 *
 * Ambiguous NN/NN/YYYY (slashes): if the first number is > 12 it must be the day (DD/MM);
 * if the second is > 12 it must be the day (MM/DD); if both are <= 12 we read DD/MM/YYYY,
 * the form used by most of the world. DD.MM.YYYY (dots) is always day first.
 */

export type DateParseResult = { ok: true; iso: string } | { ok: false; message: string };

export const ACCEPTED_DATE_FORMS =
  "ISO 8601 (2024-12-15 or 2024-12-15T10:30:00Z), epoch milliseconds (1734258600000), " +
  "DD/MM/YYYY, DD.MM.YYYY, YYYY/MM/DD, 'Dec 15, 2024' or '15 Dec 2024'";

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const TIME = String.raw`(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?`;
const WEEKDAY = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH = /^\d{10}$|^\d{13}$/;
const NUMERIC_DAY_MONTH = new RegExp(String.raw`^(\d{1,2})([/.])(\d{1,2})\2(\d{4})${TIME}$`, "i");
const YEAR_FIRST_SLASHED = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`, "i");
const MONTH_NAME_FIRST = new RegExp(
  String.raw`^${WEEKDAY}([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`,
  "i",
);
const DAY_FIRST_MONTH_NAME = new RegExp(
  String.raw`^${WEEKDAY}(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})${TIME}$`,
  "i",
);

class InvalidDate extends Error {}

/** Exports repeat the same few hundred dates; remembering them skips most of the work. */
const recent = new Map<string, DateParseResult>();
const RECENT_LIMIT = 4096;

export function parseDate(raw: string | number): DateParseResult {
  const text = typeof raw === "number" ? String(raw) : raw.trim();
  let result = recent.get(text);
  if (result === undefined) {
    result = parseUncached(text);
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(text, result);
  }
  return result;
}

function parseUncached(text: string): DateParseResult {
  try {
    const ms = parseToEpochMs(text);
    if (ms === null) return { ok: false, message: `"${text}" is not a date format this tool reads` };
    return { ok: true, iso: new Date(ms).toISOString() };
  } catch (error) {
    if (error instanceof InvalidDate) return { ok: false, message: `"${text}" is not a valid date: ${error.message}` };
    throw error;
  }
}

function parseToEpochMs(text: string): number | null {
  let m = ISO.exec(text);
  if (m) {
    const offset = m[8] ? parseOffset(m[8]) : 0;
    return utcMs(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), fractionMs(m[7]), offset);
  }
  if (EPOCH.test(text)) {
    const value = Number(text);
    return text.length === 10 ? value * 1000 : value;
  }
  m = NUMERIC_DAY_MONTH.exec(text);
  if (m) {
    const [day, month] = m[2] === "." ? [num(m[1]), num(m[3])] : dayAndMonth(num(m[1]), num(m[3]));
    return withTime(num(m[4]), month, day, m, 5);
  }
  m = YEAR_FIRST_SLASHED.exec(text);
  if (m) return withTime(num(m[1]), num(m[2]), num(m[3]), m, 4);
  m = MONTH_NAME_FIRST.exec(text);
  if (m) {
    const month = monthNumber(m[1]!);
    return month === null ? null : withTime(num(m[3]), month, num(m[2]), m, 4);
  }
  m = DAY_FIRST_MONTH_NAME.exec(text);
  if (m) {
    const month = monthNumber(m[2]!);
    return month === null ? null : withTime(num(m[3]), month, num(m[1]), m, 4);
  }
  return null;
}

/** The NN/NN/YYYY rule from the header comment. */
function dayAndMonth(first: number, second: number): [day: number, month: number] {
  if (first > 12 && second > 12) throw new InvalidDate(`neither ${first} nor ${second} can be a month`);
  if (second > 12) return [second, first];
  return [first, second];
}

function withTime(year: number, month: number, day: number, m: RegExpExecArray, at: number): number {
  let hour = num(m[at]);
  const minute = num(m[at + 1]);
  const second = num(m[at + 2]);
  const meridiem = m[at + 3]?.[0]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) throw new InvalidDate(`hour ${hour} is not valid with AM/PM`);
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  const zone = m[at + 4];
  const offset = zone && !/^(?:z|utc|gmt)$/i.test(zone) ? parseOffset(zone) : 0;
  return utcMs(year, month, day, hour, minute, second, 0, offset);
}

function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): number {
  if (month < 1 || month > 12) throw new InvalidDate(`month ${month} does not exist`);
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) throw new InvalidDate(`day ${day} does not exist in ${MONTH_NAMES[month - 1]} ${year}`);
  if (hour > 23 || minute > 59 || second > 59) throw new InvalidDate("the time of day is out of range");
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** "+05:30", "+0530", "-07" or "Z" -> minutes east of UTC. */
function parseOffset(zone: string): number {
  if (zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) throw new InvalidDate(`offset ${zone} is out of range`);
  return sign * (hours * 60 + minutes);
}

function monthNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const index = MONTH_NAMES.findIndex((full) => full.startsWith(lower) || (lower === "sept" && full === "september"));
  return index === -1 || lower.length < 3 ? null : index + 1;
}

function fractionMs(fraction: string | undefined): number {
  return fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
}

function num(value: string | undefined): number {
  return value === undefined ? 0 : Number(value);
}
