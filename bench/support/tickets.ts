import { randomUUID } from "node:crypto";
import { computeContentHash } from "../../sdk/ingest/index.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import { CATEGORIES, PRIORITIES } from "../../sdk/schemas/feedback.js";

/** A ticket like the crew's: a title, a few sentences of description, technical details, one log entry. */
export function benchTicket(n: number): NewTicket {
  const category = CATEGORIES[n % 5]!;
  const platform = n % 3 ? "iOS" : "Android";
  const text = `Report ${n}: the ${category.toLowerCase()} about sync on ${platform}, "quoted", with a comma, and =SUM(A1) text.`;
  return {
    id: randomUUID(),
    item: {
      sourceType: n % 4 ? "app_store_review" : "email",
      sourceId: `B-${n}`,
      channel: "app_store",
      text,
      subject: null,
      author: null,
      rating: 1 + (n % 5),
      statedPriority: null,
      appVersion: "4.2.0",
      device: "Pixel 8",
      platform,
      language: "en",
      submittedAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
      app: n % 2 ? "com.example.notes" : "com.example.camera",
      metadata: {},
      contentHash: computeContentHash(text, null),
    },
    title: `[${category.toUpperCase()}] sync problem number ${n}`,
    description: `Original feedback:\n> ${text}\n\nExtracted details:\n- Platform: ${platform}\n- App version: 4.2.0`,
    category,
    priority: PRIORITIES[n % 4]!,
    confidence: (n % 100) / 100,
    technicalDetails: { platform, appVersion: "4.2.0", device: "Pixel 8", os: "Android 14" },
    status: "open",
    qualityScore: 7,
    reviewReasons: [],
    language: "en",
    logs: [
      {
        agent: "classifier",
        action: "classify",
        result: { category },
        confidence: 0.9,
        durationMs: 0.2,
        tokensIn: null,
        tokensOut: null,
      },
    ],
    messageId: null,
  };
}
