import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parse, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();

const HEADER =
  "Package Name,App Version Code,App Version Name,Reviewer Language,Device,Review Submit Date and Time," +
  "Review Submit Millis Since Epoch,Review Last Update Date and Time,Review Last Update Millis Since Epoch," +
  "Star Rating,Review Title,Review Text,Developer Reply Date and Time,Developer Reply Millis Since Epoch," +
  "Developer Reply Text,Review Link";
const LINK = "http://play.google.com/console/developers/1234/app/5678/user-feedback/review-details";

const ROWS = [
  `com.example.notes,4201,4.2.0,en,a52q,2025-03-01T10:15:30Z,1740824130000,2025-03-01T10:15:30Z,1740824130000,1,,"App crashes on start, every time",,,,${LINK}?reviewid=gp:AOqpTOH1abcDEF&corpus=PUBLIC_REVIEWS`,
  `com.example.notes,4201,4.2.0,de,panther,2025-03-02T08:00:00Z,1740902400000,2025-03-02T09:00:00Z,1740906000000,5,Super App,,2025-03-02T12:00:00Z,1740916800000,Danke!,${LINK}?reviewid=gp:AOqpTOH2xyz&corpus=PUBLIC_REVIEWS`,
  "com.example.notes,4100,4.1.0,fr,,2025-03-03T08:00:00Z,1740988800000,,,3,,,,,,",
];

function playExport(rows: string[]): string {
  return `${[HEADER, ...rows].join("\r\n")}\r\n`;
}

describe("Google Play Console reviews export", () => {
  it("reads the UTF-16LE file with a BOM", async () => {
    const file = write(
      "reviews_reviews_com.example.notes_202503.csv",
      Buffer.from(`\ufeff${playExport(ROWS)}`, "utf16le"),
    );
    const { items, errors, summary } = await parse(file);
    expect(summary).toMatchObject({
      format: "play-console-csv",
      layout: "play-console",
      encoding: "utf-16le",
      sourceType: "app_store_review",
      read: 3,
      valid: 2,
      rejected: 1,
    });
    expect(items[0]).toMatchObject({
      line: 2,
      item: {
        sourceId: "gp:AOqpTOH1abcDEF",
        channel: "google_play",
        platform: "android",
        text: "App crashes on start, every time",
        subject: null,
        rating: 1,
        appVersion: "4.2.0",
        device: "a52q",
        language: "en",
        // The package name is the app the review is about.
        app: "com.example.notes",
        submittedAt: "2025-03-01T10:15:30.000Z",
        metadata: {
          "App Version Code": "4201",
          "Review Link": `${LINK}?reviewid=gp:AOqpTOH1abcDEF&corpus=PUBLIC_REVIEWS`,
        },
      },
    });
    // A review with a title but no text: the title is the text.
    expect(items[1]!.item).toMatchObject({
      sourceId: "gp:AOqpTOH2xyz",
      text: "Super App",
      subject: null,
      rating: 5,
      metadata: { "Developer Reply Text": "Danke!" },
    });
    expect(errors).toMatchObject([{ file, line: 4, field: "Review Text", message: "Review Text is empty" }]);
  });

  it("also reads it re-saved as UTF-8, or as UTF-16LE without a BOM", async () => {
    const utf8 = await parse(write("play-utf8.csv", playExport(ROWS.slice(0, 2))));
    expect(utf8.summary).toMatchObject({ format: "play-console-csv", encoding: "utf-8", valid: 2 });
    const noBom = await parse(write("play-nobom.csv", iconv.encode(playExport(ROWS.slice(0, 2)), "utf-16le")));
    expect(noBom.summary).toMatchObject({ encoding: "utf-16le", valid: 2 });
  });
});
