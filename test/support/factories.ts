import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import type { QueueMessageBody } from "../../sdk/schemas/events.js";
import { FeedbackItem, type FeedbackItemInput } from "../../sdk/schemas/feedback.js";

let counter = 0;

export function makeItem(overrides: Partial<FeedbackItemInput> = {}): FeedbackItem {
  counter += 1;
  const text = overrides.text ?? `The app crashes when I open my profile (report ${counter}).`;
  return FeedbackItem.parse({
    sourceType: "app_store_review",
    sourceId: `R-${counter}-${randomUUID().slice(0, 8)}`,
    channel: "app_store",
    rating: 2,
    platform: "ios",
    appVersion: "3.2.1",
    device: "iPhone 14",
    submittedAt: "2024-12-15T00:00:00.000Z",
    ...overrides,
    text,
    contentHash: overrides.contentHash ?? createHash("sha256").update(text).digest("hex"),
  });
}

export function makeMessageBody(item: FeedbackItem = makeItem()): QueueMessageBody {
  return {
    kind: "feedback.process",
    eventId: randomUUID(),
    item,
    enqueuedAt: new Date().toISOString(),
  };
}

/** Writes `content` to a new file in a fresh temporary folder and returns its path. */
export async function writeTempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ft-file-"));
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

/** A ticket as the worker would store it (insertTickets), waiting for review; `overrides` replace any field. */
export function makeNewTicket(overrides: Partial<NewTicket> = {}): NewTicket {
  const item = overrides.item ?? makeItem();
  return {
    id: randomUUID(),
    item,
    title: "[BUG] Crash on the profile page",
    description: item.text,
    category: "Bug",
    priority: "High",
    confidence: 0.6,
    technicalDetails: {},
    status: "needs_review",
    qualityScore: 6,
    reviewReasons: ["low confidence"],
    logs: [],
    messageId: randomUUID(),
    ...overrides,
  };
}
