import { describe, expect, it } from "vitest";
import { computeContentHash, formatRowError, parseFeedbackFile } from "../../../sdk/ingest/index.js";
import { csv, parse, REVIEW_HEADER, sharedData, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();

describe("app review layouts", () => {
  it("reads the sample export (review_id, user_name, rating, review_text, date, app_version, device)", async () => {
    const { items, errors, summary } = await parse(sharedData("app_store_reviews.csv"));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({
      format: "csv",
      layout: "app-reviews",
      sourceType: "app_store_review",
      read: 30,
      valid: 30,
    });
    expect(items[0]).toEqual({
      line: 2,
      item: {
        sourceType: "app_store_review",
        sourceId: "R001",
        channel: "app_store",
        text: "App crashes every time I try to open my profile page. Using iPhone 14 with iOS 17.2. Version 3.2.1 is completely broken after the latest update.",
        subject: null,
        author: "john_doe",
        rating: 1,
        statedPriority: null,
        appVersion: "3.2.1",
        device: "iPhone 14",
        platform: "ios",
        language: null,
        app: null,
        submittedAt: "2024-12-15T00:00:00.000Z",
        metadata: {},
        contentHash: computeContentHash(items[0]!.item.text, null),
      },
    });
  });

  it("infers the platform from the device when there is no platform column", async () => {
    const { items } = await parse(sharedData("app_store_reviews.csv"));
    const byDevice = new Map(items.map(({ item }) => [item.device, [item.platform, item.channel]]));
    expect(byDevice.get("Samsung Galaxy S23")).toEqual(["android", "google_play"]);
    expect(byDevice.get("Pixel 8")).toEqual(["android", "google_play"]);
    expect(byDevice.get("iPad Pro")).toEqual(["ios", "app_store"]);
    expect(byDevice.get("Android")).toEqual(["android", "google_play"]);
    const other = await parse(
      write(
        "web.csv",
        csv("review_id,user_name,rating,review_text,date,app_version,device", "W1,u,3,ok,2024-12-15,1.0,Chromebook"),
      ),
    );
    expect(other.items[0]!.item).toMatchObject({ platform: null, channel: "app_review" });
  });

  it("reads the layout with a platform column and normalises its values", async () => {
    const file = write(
      "with-platform.csv",
      csv(
        REVIEW_HEADER,
        "R1,iOS,5,Love it,ann,2024-12-15,3.2.1",
        "R2,Google Play,2,Slow,ben,2024-12-14,3.2.0",
        "R3,web,4,Fine,cy,2024-12-13,3.2.0",
      ),
    );
    const { items, summary } = await parse(file);
    expect(summary.layout).toBe("app-reviews");
    expect(items.map(({ item }) => [item.platform, item.channel, item.author, item.appVersion])).toEqual([
      ["ios", "app_store", "ann", "3.2.1"],
      ["android", "google_play", "ben", "3.2.0"],
      ["web", "app_review", "cy", "3.2.0"],
    ]);
  });

  it("reads each row's app from an app column, and gives the ingest's default app to rows without one", async () => {
    const file = write(
      "apps.csv",
      csv(
        `${REVIEW_HEADER},app`,
        "A1,iOS,5,Love it,ann,2024-12-15,3.2.1,com.example.camera",
        "A2,iOS,2,Slow,ben,2024-12-14,3.2.0,",
      ),
    );
    const { items } = await parse(file, { app: "com.example.notes" });
    expect(items.map(({ item }) => [item.sourceId, item.app, item.submittedAt])).toEqual([
      ["A1", "com.example.camera", "2024-12-15T00:00:00.000Z"],
      ["A2", "com.example.notes", "2024-12-14T00:00:00.000Z"],
    ]);
    expect(items.every(({ item }) => !("app" in item.metadata))).toBe(true);
  });
});

describe("support e-mail layouts", () => {
  it("reads the sample export (email_id, sender, subject, body, date, priority_stated)", async () => {
    const { items, errors, summary } = await parse(sharedData("support_emails.csv"));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ layout: "support-emails", sourceType: "email", read: 20, valid: 20 });
    expect(items[0]!.item).toMatchObject({
      sourceType: "email",
      sourceId: "E001",
      channel: "email",
      subject: "App crashes on startup",
      author: "alice@example.com",
      statedPriority: "High",
      rating: null,
      platform: null,
      submittedAt: "2024-12-15T00:00:00.000Z",
    });
    expect(items[0]!.item.contentHash).toBe(computeContentHash(items[0]!.item.text, "App crashes on startup"));
  });

  it("reads email_id, subject, body, sender_email, timestamp, priority and normalises priority case", async () => {
    const file = write(
      "emails.csv",
      csv(
        "email_id,subject,body,sender_email,timestamp,priority",
        "E1,Crash,App crashes,a@example.com,2024-12-15T10:30:00+02:00,CRITICAL",
        "E2,Idea,Add export,b@example.com,2024-12-15T10:30:00Z,urgent",
        "E3,Hi,Thanks,c@example.com,1734258600000,P2",
        "E4,Hello,No priority,d@example.com,,",
      ),
    );
    const { items, errors } = await parse(file);
    expect(errors).toEqual([]);
    expect(items.map(({ item }) => [item.statedPriority, item.submittedAt, item.author])).toEqual([
      ["Critical", "2024-12-15T08:30:00.000Z", "a@example.com"],
      ["Urgent", "2024-12-15T10:30:00.000Z", "b@example.com"],
      ["P2", "2024-12-15T10:30:00.000Z", "c@example.com"],
      [null, null, "d@example.com"],
    ]);
  });

  it("derives sha256 ids when the id column is empty", async () => {
    const file = write("no-ids.csv", csv("email_id,subject,body", ",Crash,App crashes", ",Crash,App crashes again"));
    const { items } = await parse(file);
    const hash = computeContentHash("App crashes", "Crash");
    expect(items[0]!.item.sourceId).toBe(`sha256:${hash.slice(0, 16)}`);
    expect(items[1]!.item.sourceId).not.toBe(items[0]!.item.sourceId);
  });
});

describe("header matching and CSV details", () => {
  it("matches headers case- and spacing-insensitively", async () => {
    const file = write(
      "headers.csv",
      csv(
        " REVIEW-ID ,Platform,Rating,Review Text,userName, DATE ,App_Version",
        "R1,android,4,Works,zed,2024-12-15,2.0",
      ),
    );
    const { items, summary } = await parse(file);
    expect(summary.layout).toBe("app-reviews");
    expect(items[0]!.item).toMatchObject({
      sourceId: "R1",
      text: "Works",
      author: "zed",
      appVersion: "2.0",
      rating: 4,
    });
  });

  it("keeps unknown columns in metadata under their own names", async () => {
    const file = write(
      "extras.csv",
      csv(`${REVIEW_HEADER},Country,Store Reply,empty`, "R1,ios,5,Great,al,2024-12-15,3.2.1,DE,Thanks!,"),
    );
    const { items } = await parse(file);
    expect(items[0]!.item.metadata).toEqual({ Country: "DE", "Store Reply": "Thanks!" });
  });

  it("reads quoted fields with embedded newlines, commas and quotes, and keeps real line numbers", async () => {
    const file = write(
      "multiline.csv",
      csv(
        REVIEW_HEADER,
        'R1,ios,1,"Steps:\n1. open\n2. crash, ""always""",al,2024-12-15,3.2.1',
        "",
        "R2,ios,5,Nice,bo,2024-12-15,3.2.1",
      ),
    );
    const { items } = await parse(file);
    expect(items.map(({ item, line }) => [item.sourceId, line])).toEqual([
      ["R1", 2],
      ["R2", 6],
    ]);
    expect(items[0]!.item.text).toBe('Steps:\n1. open\n2. crash, "always"');
  });

  it("handles a UTF-8 BOM and CRLF line endings (also inside quoted values)", async () => {
    const content = `\ufeff${REVIEW_HEADER}\r\nR1,ios,2,"Line one\r\nline two",al,2024-12-15,3.2.1\r\nR2,ios,5,Fine,bo,2024-12-15,3.2.1\r\n`;
    const { items, summary } = await parse(write("bom-crlf.csv", content));
    expect(summary.encoding).toBe("utf-8");
    expect(items.map(({ item, line }) => [item.sourceId, item.text, line])).toEqual([
      ["R1", "Line one\nline two", 2],
      ["R2", "Fine", 4],
    ]);
  });

  it("stops cleanly when the consumer stops early", async () => {
    const file = sharedData("app_store_reviews.csv");
    const seen: string[] = [];
    for await (const event of parseFeedbackFile(file)) {
      if (event.kind === "item") seen.push(event.item.sourceId);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["R001", "R002"]);
  });

  it("forces the source kind when asked", async () => {
    const { summary } = await parse(sharedData("support_emails.csv"), { source: "email" });
    expect(summary.sourceType).toBe("email");
  });
});

describe("encodings and messages", () => {
  it("reads a Windows-1252 export when told to", async () => {
    const file = write(
      "latin1.csv",
      Buffer.from(csv(REVIEW_HEADER, "R1,ios,4,Tr\xe8s bien,zo\xe9,2024-12-15,3.2.1"), "latin1"),
    );
    const { items } = await parse(file, { encoding: "windows-1252" });
    expect(items[0]!.item).toMatchObject({ text: "Tr\u00e8s bien", author: "zo\u00e9" });
  });

  it("formats a row error as one line for a terminal", () => {
    const line = formatRowError({
      file: "r.csv",
      line: 3,
      field: "rating",
      message: "rating is empty",
      hint: "Use 1-5.",
    });
    expect(line).toBe("r.csv:3 [rating] rating is empty. Use 1-5.");
  });
});
