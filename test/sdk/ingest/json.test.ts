import { describe, expect, it } from "vitest";
import { parse, tempFileWriter } from "./helpers.js";

const write = tempFileWriter();

function ascReview(id: string, rating: number, body: string, title = "Title") {
  return {
    type: "customerReviews",
    id,
    attributes: {
      rating,
      title,
      body,
      reviewerNickname: `nick-${id}`,
      createdDate: "2025-02-11T09:30:00-08:00",
      territory: "USA",
    },
    relationships: {
      response: { links: { related: `https://api.appstoreconnect.apple.com/v1/customerReviews/${id}/response` } },
    },
  };
}

function ascPage(reviews: object[], next?: string) {
  return {
    data: reviews,
    links: { self: "https://api.appstoreconnect.apple.com/v1/apps/1/customerReviews", ...(next ? { next } : {}) },
    meta: { paging: { total: 3, limit: 2 } },
  };
}

describe("App Store Connect customerReviews JSON", () => {
  it("reads one page", async () => {
    const file = write(
      "asc-page.json",
      JSON.stringify(ascPage([ascReview("a1", 1, "Crashes on launch"), ascReview("a2", 5, "Love it")]), null, 2),
    );
    const { items, errors, summary } = await parse(file);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: "app-store-connect-json", layout: "app-store-connect", read: 2, valid: 2 });
    expect(items[0]).toMatchObject({
      line: 3,
      item: {
        sourceType: "app_store_review",
        sourceId: "a1",
        channel: "app_store",
        platform: "ios",
        text: "Crashes on launch",
        subject: "Title",
        author: "nick-a1",
        rating: 1,
        submittedAt: "2025-02-11T17:30:00.000Z",
        metadata: { territory: "USA" },
      },
    });
  });

  it("reads a single-resource response whose data is one review", async () => {
    const { items } = await parse(
      write("asc-one.json", JSON.stringify({ data: ascReview("a9", 4, "Solid"), links: {} })),
    );
    expect(items.map(({ item }) => [item.sourceId, item.rating])).toEqual([["a9", 4]]);
  });

  it("reads an array of pages, with the line of each review", async () => {
    const pages = [
      ascPage([ascReview("a1", 2, "Slow"), ascReview("a2", 4, "Good")], "https://next"),
      ascPage([ascReview("a3", 5, "")]),
    ];
    const file = write("asc-pages.json", JSON.stringify(pages, null, 2));
    const { items, errors } = await parse(file);
    expect(errors).toEqual([]);
    const text = JSON.stringify(pages, null, 2).split("\n");
    // A review's line is the line of its opening brace, two lines above its "id" (after "type").
    const lineOf = (id: string) => text.findIndex((l) => l.includes(`"id": "${id}"`)) + 1 - 2;
    expect(items.map(({ item, line }) => [item.sourceId, item.text, line])).toEqual([
      ["a1", "Slow", lineOf("a1")],
      ["a2", "Good", lineOf("a2")],
      ["a3", "Title", lineOf("a3")],
    ]);
  });

  it("reads NDJSON of pages", async () => {
    const ndjson = [
      ascPage([ascReview("a1", 3, "Meh")]),
      ascPage([ascReview("a2", 5, "Yes"), ascReview("a3", 7, "Out of range")]),
    ]
      .map((page) => JSON.stringify(page))
      .join("\n");
    const { items, errors, summary } = await parse(write("asc.ndjson", ndjson));
    expect(summary.format).toBe("app-store-connect-json");
    expect(items.map(({ item, line }) => [item.sourceId, line])).toEqual([
      ["a1", 1],
      ["a2", 2],
    ]);
    expect(errors).toMatchObject([{ line: 2, field: "attributes.rating", recordId: "a3" }]);
  });
});

describe("generic JSON and NDJSON", () => {
  it("reads an array of review records with nested extras kept in metadata", async () => {
    const records = [
      {
        review_id: "R1",
        platform: "android",
        rating: 5,
        review_text: "Great",
        user_name: "a",
        date: 1734258600000,
        app_version: "1.0",
        tags: ["x"],
      },
      { reviewId: "R2", rating: "2", reviewText: "Bad", date: "15/12/2024" },
    ];
    const { items, errors, summary } = await parse(write("reviews.json", JSON.stringify(records)));
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: "json", layout: "app-reviews" });
    expect(items.map(({ item }) => [item.sourceId, item.rating, item.submittedAt, item.metadata])).toEqual([
      ["R1", 5, "2024-12-15T10:30:00.000Z", { tags: ["x"] }],
      ["R2", 2, "2024-12-15T00:00:00.000Z", {}],
    ]);
  });

  it("reads an object with a data array of e-mails", async () => {
    const body = {
      data: [{ email_id: "E1", subject: "Help", body: "Broken", sender: "x@example.com", priority_stated: "high" }],
      links: {},
    };
    const { items, summary } = await parse(write("emails.json", JSON.stringify(body)));
    expect(summary).toMatchObject({ format: "json", sourceType: "email" });
    expect(items[0]!.item).toMatchObject({
      sourceId: "E1",
      author: "x@example.com",
      statedPriority: "High",
      channel: "email",
    });
  });

  it("reads NDJSON records, even when the file is named .json", async () => {
    const lines = [
      { review_id: "R1", rating: 4, review_text: "Nice" },
      { review_id: "R2", rating: 1, review_text: "Crash on Pixel 8", device: "Pixel 8" },
    ].map((r) => JSON.stringify(r));
    const { items, summary } = await parse(write("reviews-lines.json", `${lines.join("\r\n")}\r\n`));
    expect(summary.format).toBe("ndjson");
    expect(items.map(({ item, line }) => [item.sourceId, item.platform, line])).toEqual([
      ["R1", null, 1],
      ["R2", "android", 2],
    ]);
  });

  it("accepts a single top-level record object", async () => {
    const { items } = await parse(write("one.json", JSON.stringify({ email_id: "E9", body: "Just one" })));
    expect(items.map(({ item }) => item.sourceId)).toEqual(["E9"]);
  });
});
