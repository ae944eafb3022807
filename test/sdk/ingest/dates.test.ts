import { describe, expect, it } from "vitest";
import { parseDate } from "../../../sdk/ingest/index.js";

const iso = (value: string | number) => {
  const result = parseDate(value);
  return result.ok ? result.iso : `ERROR: ${result.message}`;
};

describe("parseDate", () => {
  it.each([
    ["2024-12-15", "2024-12-15T00:00:00.000Z"],
    ["2024-12-15T10:30:00Z", "2024-12-15T10:30:00.000Z"],
    ["2024-12-15T10:30:00", "2024-12-15T10:30:00.000Z"],
    ["2024-12-15 10:30", "2024-12-15T10:30:00.000Z"],
    ["2024-12-15T10:30:00.123456+05:30", "2024-12-15T05:00:00.123Z"],
    ["2024-12-15T10:30:00-0800", "2024-12-15T18:30:00.000Z"],
    ["1734258600000", "2024-12-15T10:30:00.000Z"],
    [1734258600000, "2024-12-15T10:30:00.000Z"],
    ["1734258600", "2024-12-15T10:30:00.000Z"],
    ["15/12/2024", "2024-12-15T00:00:00.000Z"],
    ["15.12.2024", "2024-12-15T00:00:00.000Z"],
    ["2024/12/15", "2024-12-15T00:00:00.000Z"],
    ["Dec 15, 2024", "2024-12-15T00:00:00.000Z"],
    ["December 15 2024", "2024-12-15T00:00:00.000Z"],
    ["15 Dec 2024", "2024-12-15T00:00:00.000Z"],
    ["15-Sept-2024", "2024-09-15T00:00:00.000Z"],
    ["Sun, 15 Dec 2024 10:30:00 +0100", "2024-12-15T09:30:00.000Z"],
    ["Dec 15, 2024 3:04 PM", "2024-12-15T15:04:00.000Z"],
    ["15/12/2024 10:30", "2024-12-15T10:30:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ])("%s -> %s", (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it("reads ambiguous NN/NN/YYYY as day/month unless that is impossible", () => {
    expect(iso("03/04/2024")).toBe("2024-04-03T00:00:00.000Z"); // both <= 12: DD/MM
    expect(iso("13/04/2024")).toBe("2024-04-13T00:00:00.000Z"); // first > 12: DD/MM
    expect(iso("04/13/2024")).toBe("2024-04-13T00:00:00.000Z"); // second > 12: MM/DD
    expect(iso("13/13/2024")).toMatch(/^ERROR: .*neither 13 nor 13 can be a month/);
  });

  it.each([
    ["2024-13-45", 'ERROR: "2024-13-45" is not a valid date: month 13 does not exist'],
    ["2023-02-29", 'ERROR: "2023-02-29" is not a valid date: day 29 does not exist in february 2023'],
    ["yesterday", 'ERROR: "yesterday" is not a date format this tool reads'],
    ["12345", 'ERROR: "12345" is not a date format this tool reads'],
    ["2024-12-15T25:00:00Z", 'ERROR: "2024-12-15T25:00:00Z" is not a valid date: the time of day is out of range'],
    ["15.13.2024", 'ERROR: "15.13.2024" is not a valid date: month 13 does not exist'],
  ])("rejects %s", (input, expected) => {
    expect(iso(input)).toBe(expected);
  });
});
