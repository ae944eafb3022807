import { describe, expect, it } from "vitest";
import { METADATA_LIMITS, TEXT_FAULT_HINT } from "../../../sdk/schemas/safe-text.js";
import { csv, fileError, parse, REVIEW_HEADER, reviewRow, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();

const review = (id: string, text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ review_id: id, rating: 4, review_text: text, user_name: `user_${id}`, ...extra });

describe("a NUL or lone surrogate costs only the record that holds it", () => {
  it("NDJSON: a \\u0000 escape in one record's text is a row error; the other record is ingested", async () => {
    const file = write("nul.ndjson", `${review("R1", "Fine app")}\n${review("R2", "Crash\u0000 on start")}\n`);
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1"]);
    expect(errors).toMatchObject([
      {
        file,
        line: 2,
        field: "review_text",
        message: expect.stringContaining("a NUL character (U+0000) at character 6"),
      },
    ]);
    expect(errors[0]!.hint).toBe(TEXT_FAULT_HINT);
  });

  it("JSON array: a lone \\ud800 escape in one record's text is a row error naming its line", async () => {
    const file = write(
      "surrogate.json",
      `[\n${review("R1", "Broken \ud800 emoji")},\n${review("R2", "Works 😀")}\n]\n`,
    );
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.text)).toEqual(["Works 😀"]);
    expect(errors).toMatchObject([
      { file, line: 2, field: "review_text", message: expect.stringContaining("a lone UTF-16 surrogate") },
    ]);
  });

  it("JSON: a NUL in the id costs the record", async () => {
    const file = write("nul-id.ndjson", `${review("R\u00001", "Text")}\n${review("R2", "More text")}\n`);
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R2"]);
    expect(errors).toMatchObject([{ line: 1, field: "review_id" }]);
  });

  it("CSV: a NUL byte in one row is a row error with its line, not a binary file", async () => {
    const file = write("nul.csv", csv(REVIEW_HEADER, reviewRow("R1", 5, "Good"), reviewRow("R2", 1, "Bad\u0000 app")));
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1"]);
    expect(errors).toMatchObject([
      { file, line: 3, field: "review_text", message: expect.stringContaining("NUL"), hint: TEXT_FAULT_HINT },
    ]);
  });

  it("CSV: a NUL in the user name drops the name with a warning and keeps the row", async () => {
    const row = "R1,ios,4,Nice app,bo\u0000b,2024-12-15,3.2.1";
    const file = write("nul-author.csv", csv(REVIEW_HEADER, row, reviewRow("R2", 1, "Bad app")));
    const { items, errors, warnings, summary } = await parse(file);
    expect(errors).toEqual([]);
    expect(items.map((i) => [i.item.sourceId, i.item.author])).toEqual([
      ["R1", null],
      ["R2", "user_R2"],
    ]);
    expect(warnings).toMatchObject([
      { file, line: 2, field: "user_name", message: expect.stringContaining("the value was dropped and the row kept") },
    ]);
    expect(summary).toMatchObject({ valid: 2, rejected: 0, warned: 1 });
  });

  it("JSON: a lone surrogate in the device is dropped with a warning", async () => {
    const file = write("device.ndjson", `${review("R1", "Nice", { device: "iPhone \udc00" })}\n`);
    const { items, warnings } = await parse(file);
    expect(items[0]!.item.device).toBeNull();
    expect(warnings).toMatchObject([{ line: 1, field: "device" }]);
  });
});

describe("metadata", () => {
  it("a NUL inside an extra field (its value or its name) drops that key with a warning; the row is kept", async () => {
    const file = write(
      "meta-nul.ndjson",
      `${review("R1", "Nice", { note: "a\u0000b", store: "US", "ta\u0000g": "x" })}\n`,
    );
    const { items, warnings } = await parse(file);
    expect(items[0]!.item.metadata).toEqual({ store: "US" });
    expect(warnings).toMatchObject([
      { line: 1, field: "note", message: expect.stringContaining("NUL") },
      { line: 1, field: "ta\uFFFDg", message: expect.stringContaining("NUL") },
    ]);
  });

  it("nesting deeper than the limit is a row error naming the line", async () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < METADATA_LIMITS.maxDepth + 5; i++) deep = { next: deep };
    const file = write("deep.ndjson", `${review("R1", "Fine")}\n${review("R2", "Deep", { extra: deep })}\n`);
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R1"]);
    expect(errors).toMatchObject([
      {
        line: 2,
        field: "extra",
        message: expect.stringContaining(`nested more than ${METADATA_LIMITS.maxDepth} levels`),
      },
    ]);
  });

  it("metadata over the size limit is a row error naming the line", async () => {
    const big = "x".repeat(METADATA_LIMITS.maxJsonChars + 1);
    const file = write("big.ndjson", `${review("R1", "Big", { blob: big })}\n${review("R2", "Fine")}\n`);
    const { items, errors } = await parse(file);
    expect(items.map((i) => i.item.sourceId)).toEqual(["R2"]);
    expect(errors).toMatchObject([{ line: 1, message: expect.stringContaining("over the limit of 65,536") }]);
  });
});

describe("U+FFFD is text", () => {
  it("CSV: text and user name holding U+FFFD are ingested as written", async () => {
    const file = write("fffd.csv", csv(REVIEW_HEADER, "R1,ios,4,Caf\uFFFD is great,Zo\uFFFD,2024-12-15,3.2.1"));
    const { items, errors, warnings } = await parse(file);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(items[0]!.item).toMatchObject({ text: "Caf\uFFFD is great", author: "Zo\uFFFD" });
  });

  it("JSON: text holding U+FFFD is ingested as written", async () => {
    const file = write("fffd.json", `[${review("R1", "Caf\uFFFD")}]`);
    const { items, errors } = await parse(file);
    expect(errors).toEqual([]);
    expect(items[0]!.item.text).toBe("Caf\uFFFD");
  });
});

describe("encodings", () => {
  const latin1Row = "R1,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1";

  it("a file that is not UTF-8 but has Windows-1252 letters is read as windows-1252", async () => {
    const file = write(
      "excel.csv",
      Buffer.from(csv(REVIEW_HEADER, latin1Row, "R2,ios,5,\x93Quoted\x94 \x80 5,bob,2024-12-15,3.2.1"), "latin1"),
    );
    const { items, warnings, summary } = await parse(file);
    expect(summary.encoding).toBe("windows-1252");
    expect(warnings).toEqual([]);
    expect(items.map((i) => i.item.text)).toEqual(["Tr\u00e8s bien", "\u201cQuoted\u201d \u20ac 5"]);
  });

  it("a valid UTF-8 file stays UTF-8", async () => {
    const file = write("utf8.csv", csv(REVIEW_HEADER, "R1,ios,4,Tr\u00e8s bien \u20ac,zo\u00e9,2024-12-15,3.2.1"));
    const { items, summary } = await parse(file);
    expect(summary.encoding).toBe("utf-8");
    expect(items[0]!.item.text).toBe("Tr\u00e8s bien \u20ac");
  });

  it("the encoding option overrides detection: latin1 reads 0x80 as U+0080, not the euro sign", async () => {
    const file = write(
      "forced.csv",
      Buffer.from(csv(REVIEW_HEADER, `${latin1Row.replace("bien", "bien \x80")}`), "latin1"),
    );
    const { items, summary } = await parse(file, { encoding: "latin1" });
    expect(summary.encoding).toBe("latin1");
    expect(items[0]!.item).toMatchObject({ text: "Tr\u00e8s bien \u0080", author: "zo\u00e9" });
  });

  it("invalid UTF-8 after the first 64 KiB of a UTF-8 file: the row is kept and flagged with its line", async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => reviewRow(`R${i}`, 4, `Gr\u00fc\u00dfe ${"a".repeat(40)}`));
    const head = Buffer.from(csv(REVIEW_HEADER, ...rows));
    expect(head.length).toBeGreaterThan(64 * 1024);
    const content = Buffer.concat([head, Buffer.from(`${latin1Row.replace("R1", "X1")}\n`, "latin1")]);
    const { items, warnings, summary } = await parse(write("late.csv", content));
    expect(summary).toMatchObject({ encoding: "utf-8", valid: 1201, rejected: 0, warned: 1 });
    expect(items.at(-1)!.item.text).toBe("Tr\uFFFDs bien");
    expect(warnings).toMatchObject([{ line: 1202, message: expect.stringContaining("line 1202") }]);
  });
});

describe("duplicate columns", () => {
  it("two review_text columns are an error naming both", async () => {
    const file = write("dup.csv", csv(`${REVIEW_HEADER},Review Text`, `${reviewRow("R1", 4, "a")},b`));
    const error = await fileError(file);
    expect(error).toMatchObject({ file, line: 1, field: "Review Text" });
    expect(error.reason).toBe(
      'duplicate columns: "review_text" (column 4) and "Review Text" (column 8) have the same name',
    );
  });

  it("two columns that feed the same field (sender and sender_email) are an error naming both", async () => {
    const file = write(
      "dup-sender.csv",
      csv("email_id,subject,body,sender_email,timestamp,sender", "E1,Hi,Body text,a@b.c,2024-12-15,Ann"),
    );
    const error = await fileError(file);
    expect(error.reason).toBe(
      'duplicate columns: "sender_email" (column 4) and "sender" (column 6) both feed "sender_email"',
    );
  });
});
