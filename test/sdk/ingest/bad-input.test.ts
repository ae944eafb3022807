import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../sdk/errors.js";
import { MAX_TEXT_CHARS } from "../../../sdk/schemas/feedback.js";
import { csv, fileError, parse, REVIEW_HEADER, reviewRow, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();
const GOOD_1 = reviewRow("R1", 5, "Great app, love the widgets");
const GOOD_2 = reviewRow("R2", 1, "Crashes on start, iPhone 14");

describe("file-level problems throw IngestFileError (a ValidationError) naming the file", () => {
  it("missing required column", async () => {
    const file = write(
      "no-rating.csv",
      csv("review_id,platform,review_text,user_name,date", "R1,ios,Nice,bob,2024-12-15"),
    );
    const error = await fileError(file);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ file, line: 1, field: "rating" });
    expect(error.message).toContain(file);
    expect(error.message).toContain('missing required column "rating"');
    expect(error.hint).toContain('Add a "rating" column');
  });

  it("renamed required column suggests the expected name", async () => {
    const file = write("renamed.csv", csv("review_id,platform,rating,text,user_name,date,app_version", GOOD_1));
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: 1, field: "review_text" });
    expect(error.hint).toBe('The file has a column "text"; rename it to "review_text".');
  });

  it("empty file (0 bytes)", async () => {
    const file = write("empty.csv", "");
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: null, field: null });
    expect(error.message).toBe(`${file}: the file is empty (0 bytes)`);
    expect(error.hint).toMatch(/export/i);
  });

  it("header-only file", async () => {
    const file = write("header-only.csv", `${REVIEW_HEADER}\r\n`);
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: 1, field: null });
    expect(error.reason).toBe("the file has a header row but no data rows");
  });

  it("binary file: PNG magic, a file mostly of NUL bytes, a ZIP", async () => {
    const png = write("screenshot.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const pngError = await fileError(png);
    expect(pngError).toMatchObject({ file: png, line: null, field: null });
    expect(pngError.reason).toContain("PNG image");
    const nul = write("nul.csv", Buffer.concat([Buffer.from(`${REVIEW_HEADER}\n`), Buffer.alloc(200, 0)]));
    expect((await fileError(nul)).reason).toMatch(/binary \(\d+% of its first bytes are NUL\)/);
    const xlsx = write("export.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect((await fileError(xlsx)).hint).toContain("CSV UTF-8");
  });

  it("unknown layout lists the expected headers", async () => {
    const file = write("unknown.csv", csv("id,when,comment", "1,2024-12-15,hello"));
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: 1, field: null });
    expect(error.reason).toBe('the columns "id", "when", "comment" match no known layout');
    expect(error.hint).toContain("review_id, platform, rating, review_text, user_name, date, app_version");
    expect(error.hint).toContain("email_id, sender, subject, body, date, priority_stated");
  });

  it("source option that contradicts the columns", async () => {
    const file = write("reviews-as-email.csv", csv(REVIEW_HEADER, GOOD_1));
    const error = await fileError(file, { source: "email" });
    expect(error).toMatchObject({ file, line: 1, field: null });
    expect(error.reason).toBe('the columns look like app reviews, but source "email" was requested');
    expect(error.hint).toContain('source "review"');
  });

  it("a directory path", async () => {
    const dir = path.dirname(write("inside.csv", csv(REVIEW_HEADER, GOOD_1)));
    const error = await fileError(dir);
    expect(error).toMatchObject({ file: dir, line: null, field: null });
    expect(error.reason).toBe("this is a directory, not a file");
    expect(error.hint).toContain(path.join(dir, "inside.csv"));
  });

  it("a missing file", async () => {
    const missing = path.join(path.dirname(write("x.csv", "a")), "nope", "reviews.csv");
    const error = await fileError(missing);
    expect(error).toMatchObject({ file: missing, line: null, field: null });
    expect(error.message).toBe(`${missing}: no such file`);
    expect(error.hint).toContain(process.cwd());
  });

  it("JSON of the wrong shape (object without a data array)", async () => {
    const file = write("wrong-shape.json", JSON.stringify({ reviews: [{ review_id: "R1" }], count: 1 }, null, 2));
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: 1, field: null });
    expect(error.reason).toBe(
      'the top-level object has no "data" array of records (top-level keys: "reviews", "count")',
    );
    expect(error.hint).toContain('under "data"');
  });
});

describe("row-level problems are yielded with file, line and field; valid rows still come through", () => {
  async function rowError(name: string, content: string | Buffer) {
    const file = write(name, content);
    const result = await parse(file);
    return { file, ...result };
  }

  it("rating 0", async () => {
    const { file, items, errors } = await rowError(
      "rating-0.csv",
      csv(REVIEW_HEADER, GOOD_1, reviewRow("R3", 0, "Meh"), GOOD_2),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        file,
        line: 3,
        field: "rating",
        message: 'rating must be a whole number from 1 to 5, not "0"',
      }),
    ]);
    expect(errors[0]!.hint).toContain("1 to 5");
    expect(items.map((i) => [i.item.sourceId, i.line])).toEqual([
      ["R1", 2],
      ["R2", 4],
    ]);
  });

  it("rating 9", async () => {
    const { file, items, errors } = await rowError(
      "rating-9.csv",
      csv(REVIEW_HEADER, reviewRow("R3", 9, "Wow"), GOOD_1),
    );
    expect(errors).toMatchObject([{ file, line: 2, field: "rating", message: expect.stringContaining('not "9"') }]);
    expect(items).toHaveLength(1);
  });

  it('rating "five" and 4.5', async () => {
    const { file, items, errors } = await rowError(
      "rating-five.csv",
      csv(
        REVIEW_HEADER,
        GOOD_1,
        reviewRow("R3", "five", "Good"),
        reviewRow("R4", "4.5", "Good"),
        reviewRow("R5", "5 stars", "Good"),
      ),
    );
    expect(errors).toMatchObject([
      { file, line: 3, field: "rating", message: expect.stringContaining('not "five"') },
      { file, line: 4, field: "rating", message: expect.stringContaining('not "4.5"') },
    ]);
    expect(items.map((i) => i.item.rating)).toEqual([5, 5]);
  });

  it("empty text", async () => {
    const { file, items, errors } = await rowError(
      "empty-text.csv",
      csv(REVIEW_HEADER, GOOD_1, reviewRow("R3", 3, "   "), GOOD_2),
    );
    expect(errors).toMatchObject([
      { file, line: 3, field: "review_text", message: "review_text is empty", recordId: "R3" },
    ]);
    expect(items).toHaveLength(2);
  });

  it("1 MB text", async () => {
    const huge = "a".repeat(1_000_000);
    const { file, items, errors } = await rowError(
      "huge.csv",
      csv(REVIEW_HEADER, GOOD_1, reviewRow("R3", 3, huge), GOOD_2),
    );
    expect(errors).toMatchObject([
      {
        file,
        line: 3,
        field: "review_text",
        message: `review_text is 1,000,000 characters long; the limit is ${MAX_TEXT_CHARS.toLocaleString("en-US")}`,
      },
    ]);
    expect(errors[0]!.hint).toContain("not truncated");
    expect(items.map((i) => i.line)).toEqual([2, 4]);
  });

  it('invalid date ("2024-13-45", "yesterday")', async () => {
    const { file, items, errors } = await rowError(
      "bad-dates.csv",
      csv(REVIEW_HEADER, reviewRow("R3", 3, "Ok", "2024-13-45"), GOOD_1, reviewRow("R4", 3, "Ok", "yesterday")),
    );
    expect(errors).toMatchObject([
      { file, line: 2, field: "date", message: 'date "2024-13-45" is not a valid date: month 13 does not exist' },
      { file, line: 4, field: "date", message: 'date "yesterday" is not a date format this tool reads' },
    ]);
    expect(errors[0]!.hint).toContain("ISO 8601");
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1"]);
  });

  it("duplicate id within a file keeps the first row", async () => {
    const { file, items, errors } = await rowError(
      "duplicates.csv",
      csv(REVIEW_HEADER, GOOD_1, GOOD_2, reviewRow("R1", 2, "Different text, same id")),
    );
    expect(errors).toMatchObject([
      {
        file,
        line: 4,
        field: "review_id",
        recordId: "R1",
        message: 'duplicate review_id "R1": line 2 already uses it; the first row was kept',
      },
    ]);
    expect(items.map((i) => i.item.text)).toEqual(["Great app, love the widgets", "Crashes on start, iPhone 14"]);
  });

  it("wrong delimiter: semicolon and tab files are sniffed and read; pipes get a clear error", async () => {
    const semicolon = await rowError(
      "semicolon.csv",
      csv(REVIEW_HEADER.replaceAll(",", ";"), 'R1;ios;5;"Nice, really";bob;2024-12-15;3.2.1'),
    );
    expect(semicolon.errors).toEqual([]);
    expect(semicolon.items[0]!.item).toMatchObject({ sourceId: "R1", text: "Nice, really", rating: 5 });
    const tab = await rowError(
      "tabs.tsv",
      csv(REVIEW_HEADER.replaceAll(",", "\t"), "R1\tios\t4\tGood\tbob\t2024-12-15\t3.2.1"),
    );
    expect(tab.items).toHaveLength(1);

    const pipes = write("pipes.csv", csv(REVIEW_HEADER.replaceAll(",", "|"), "R1|ios|5|Nice|bob|2024-12-15|3.2.1"));
    const error = await fileError(pipes);
    expect(error).toMatchObject({ file: pipes, line: 1, field: null });
    expect(error.hint).toContain('The header looks "|"-delimited; save the file as comma-separated CSV.');
  });

  it("unterminated quote: rows before it are kept, the error names the line where the quote opens", async () => {
    const { file, items, errors, summary } = await rowError(
      "unterminated.csv",
      csv(
        REVIEW_HEADER,
        GOOD_1,
        'R3,ios,2,"Starts quoting and never stops,bob,2024-12-15,3.2.1',
        "R4,ios,3,fine,al,2024-12-15,3.2.1",
      ),
    );
    expect(errors).toMatchObject([
      {
        file,
        line: 3,
        field: "review_text",
        message: "a quoted value that starts on line 3 is never closed, so reading stopped there",
      },
    ]);
    expect(errors[0]!.hint).toContain("closing double quote");
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1"]);
    expect(summary).toMatchObject({ read: 2, valid: 1, rejected: 1, complete: false });
  });

  it("a stray quote closed by a later row is reported as one row spanning lines", async () => {
    const { file, items, errors } = await rowError(
      "stray-quote.csv",
      csv(REVIEW_HEADER, GOOD_1, 'R3,ios,2,"Stray quote,bob,2024-12-15,3.2.1', GOOD_2, reviewRow("R4", 4, "Fine")),
    );
    expect(errors).toMatchObject([
      { file, line: 3, field: null, message: "the row spans lines 3-4 and has 8 values, but the header has 7 columns" },
    ]);
    expect(errors[0]!.hint).toContain("line 3 is probably not closed");
    expect(items.map((i) => [i.item.sourceId, i.line])).toEqual([
      ["R1", 2],
      ["R4", 5],
    ]);
  });

  it("invalid UTF-8 in a UTF-8 file: the row is kept with U+FFFD and a warning naming its line", async () => {
    const bad = Buffer.from("R3,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1\n", "latin1");
    const utf8 = csv(REVIEW_HEADER, reviewRow("R1", 5, "Gr\u00fc\u00dfe, tr\u00e8s bien, \u00e7a marche"));
    const content = Buffer.concat([Buffer.from(utf8), bad, Buffer.from(csv(GOOD_2))]);
    const file = write("mixed.csv", content);
    const { items, errors, warnings } = await parse(file);
    expect(errors).toEqual([]);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1", "R3", "R2"]);
    expect(items[1]!.item.text).toBe("Tr\uFFFDs bien");
    expect(warnings).toMatchObject([
      { file, line: 3, field: null, message: expect.stringContaining("line 3 held bytes that are not valid UTF-8") },
    ]);
    expect(warnings[0]!.hint).toContain("--encoding windows-1252");
  });

  it("inconsistent column count", async () => {
    const { file, items, errors } = await rowError(
      "columns.csv",
      csv(
        REVIEW_HEADER,
        GOOD_1,
        "R3,ios,4,Good, but slow,bob,2024-12-15,3.2.1",
        "R4,ios,4",
        GOOD_2,
        `${GOOD_1.replace("R1", "R5")},,`,
      ),
    );
    expect(errors).toMatchObject([
      { file, line: 3, field: null, message: "the row has 8 values but the header has 7 columns" },
      { file, line: 4, field: null, message: "the row has 3 values but the header has 7 columns" },
    ]);
    expect(errors[0]!.hint).toContain("unquoted comma");
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1", "R2", "R5"]);
  });

  it("malformed JSON: the error gives line and column, other records are read", async () => {
    const json = [
      "[",
      '  {"review_id": "R1", "rating": 5, "review_text": "Nice"},',
      '  {"review_id": "R2", "rating": 4 "review_text": "Ok"},',
      '  {"review_id": "R3", "rating": 3, "review_text": "Fine"}',
      "]",
    ].join("\n");
    const { file, items, errors } = await rowError("malformed.json", json);
    expect(errors).toMatchObject([
      {
        file,
        line: 3,
        field: null,
        message: "malformed JSON at line 3, column 35: Expected ',' or '}' after property value",
      },
    ]);
    expect(items.map((i) => [i.item.sourceId, i.line])).toEqual([
      ["R1", 2],
      ["R3", 4],
    ]);
  });

  it("malformed JSON structure stops reading with the position", async () => {
    const json =
      '[{"review_id": "R1", "rating": 5, "review_text": "Nice"}\n {"review_id": "R2", "rating": 4, "review_text": "Ok"}]';
    const { file, items, errors, summary } = await rowError("missing-comma.json", json);
    expect(errors).toMatchObject([
      {
        file,
        line: 2,
        field: null,
        message: expect.stringContaining('line 2, column 2: expected "," or "]" after a record'),
      },
    ]);
    expect(items).toHaveLength(1);
    expect(summary.complete).toBe(false);
  });

  it("JSON of the wrong shape: records that are not objects", async () => {
    const json = JSON.stringify(
      [
        { review_id: "R1", rating: 5, review_text: "Nice" },
        42,
        "text",
        { review_id: "R2", rating: 2, review_text: "Bad" },
      ],
      null,
      1,
    );
    const { file, items, errors } = await rowError("not-objects.json", json);
    expect(errors).toMatchObject([
      { file, line: 7, field: null, message: "expected a record (a JSON object), found a number (42)" },
      { file, line: 8, field: null, message: 'expected a record (a JSON object), found a string ("text")' },
    ]);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1", "R2"]);
  });

  it("NDJSON with one bad line", async () => {
    const ndjson = [
      '{"email_id": "E1", "subject": "Crash", "body": "It crashes", "sender_email": "a@example.com"}',
      '{"email_id": "E2", "subject": "Oops", "body": "broken line"',
      "",
      '{"email_id": "E3", "subject": "Thanks", "body": "Great", "sender_email": "c@example.com"}',
    ].join("\n");
    const { file, items, errors } = await rowError("one-bad.ndjson", ndjson);
    expect(errors).toMatchObject([
      { file, line: 2, field: null, message: expect.stringMatching(/^malformed JSON at line 2, column \d+: /) },
    ]);
    expect(items.map((i) => [i.item.sourceId, i.line])).toEqual([
      ["E1", 1],
      ["E3", 4],
    ]);
  });

  it("a directory whose name ends in .csv is still reported as a directory", async () => {
    const dir = path.dirname(write("placeholder", "x"));
    const nested = path.join(dir, "nested.csv");
    mkdirSync(nested);
    expect((await fileError(nested)).reason).toBe("this is a directory, not a file");
  });
});
