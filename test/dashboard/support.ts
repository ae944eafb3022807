import { randomUUID } from "node:crypto";
import { createDashboardApp } from "../../dashboard/server/app.js";
import { loadAssets } from "../../dashboard/server/assets.js";
import { AggregateCache } from "../../dashboard/server/cache.js";
import type { DashboardContext } from "../../dashboard/server/services.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import type { SqlExecutor } from "../../sdk/db/sql.js";
import type { NewTicket } from "../../sdk/ports/tickets.js";
import type { Category, Priority } from "../../sdk/schemas/feedback.js";
import type { TicketStatus } from "../../sdk/schemas/ticket.js";
import { insertTickets } from "../../sdk/store/ticket-writer.js";
import { makeItem, makeMessageBody } from "../support/factories.js";

export interface TicketSpec {
  text?: string;
  title?: string;
  category?: Category;
  priority?: Priority;
  status?: TicketStatus;
  confidence?: number;
  rating?: number | null;
  sourceId?: string;
  sourceType?: "app_store_review" | "email";
  technicalDetails?: Record<string, unknown>;
  reviewReasons?: string[];
  language?: string | null;
  /** The feedback's own time; null by default, so a seeded ticket counts on the day it was created. */
  submittedAt?: string | null;
  app?: string | null;
}

export function newTicket(spec: TicketSpec = {}): NewTicket {
  const item = makeItem({
    text: spec.text,
    rating: spec.rating === undefined ? 3 : spec.rating,
    sourceType: spec.sourceType ?? "app_store_review",
    submittedAt: spec.submittedAt ?? null,
    app: spec.app ?? null,
    ...(spec.sourceId ? { sourceId: spec.sourceId } : {}),
  });
  return {
    id: randomUUID(),
    item,
    title: spec.title ?? `Report about ${item.sourceId}`,
    description: spec.text ?? item.text,
    category: spec.category ?? "Bug",
    priority: spec.priority ?? "Medium",
    confidence: spec.confidence ?? 0.8,
    technicalDetails: spec.technicalDetails ?? { appVersion: "3.2.1", platform: "iOS", device: "iPhone 14" },
    status: spec.status ?? "open",
    qualityScore: 7,
    reviewReasons: spec.reviewReasons ?? [],
    language: spec.language ?? null,
    logs: [
      {
        agent: "classifier",
        action: "classify",
        result: { category: spec.category ?? "Bug" },
        confidence: 0.8,
        durationMs: 1.5,
        tokensIn: null,
        tokensOut: null,
      },
    ],
    messageId: null,
  };
}

export async function seedTickets(sql: SqlExecutor, specs: TicketSpec[]): Promise<NewTicket[]> {
  const tickets = specs.map(newTicket);
  for (let i = 0; i < tickets.length; i += 500) await insertTickets(sql, tickets.slice(i, i + 500));
  return tickets;
}

/** A dead letter as the worker leaves one after maxReceiveCount failures (keeps its source queue). */
export async function seedDeadLetter(
  sql: SqlExecutor,
  options: { text?: string; error?: string } = {},
): Promise<{ messageId: string; sourceId: string }> {
  const body = makeMessageBody(makeItem({ text: options.text ?? "The export to PDF fails with an error every time." }));
  const messageId = randomUUID();
  await sql.query(
    `INSERT INTO queue_messages (id, queue, body, attributes, sent_at, visible_at, expires_at, receive_count, last_error, source_queue, dead_lettered_at)
     SELECT $1::uuid, q.dead_letter_queue, $2::jsonb, '{}'::jsonb, now(), now(), now() + interval '14 days', 5, $3, q.name, now()
     FROM queues q WHERE q.name = 'feedback'`,
    [messageId, JSON.stringify(body), options.error ?? "Error: model timeout after 30 s"],
  );
  return { messageId, sourceId: body.item.sourceId };
}

/**
 * The dashboard on `backend` as `feedback-cli dashboard` serves it on loopback: no authentication, no cache.
 * `access` swaps the authentication (and whether proxy headers are trusted), e.g. for the ALB mode.
 */
export function localDashboardApp(
  backend: Backend,
  access: Pick<Parameters<typeof createDashboardApp>[0], "auth" | "trustProxy"> = {
    auth: { mode: "none", actor: "tester@localhost" },
    trustProxy: false,
  },
  ctx: Partial<DashboardContext> = {},
) {
  return createDashboardApp({
    ctx: {
      backend,
      cache: new AggregateCache(0),
      workerInProcess: false,
      evalRoot: null,
      agentsConfig: loadRuntimeConfig({}).agents,
      ...ctx,
    },
    assets: loadAssets(),
    ...access,
  });
}

/**
 * A screenshot, retried: Chromium sometimes answers "Unable to capture screenshot" when the machine is busy (two
 * browser test files run at once); a second or third try takes it.
 */
export async function screenshot(
  page: { screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown> },
  options: { path: string; fullPage?: boolean },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot(options);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
  }
}
