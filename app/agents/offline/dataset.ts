import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import { FeedbackItem, type FeedbackItemInput, type Priority } from "../../../sdk/schemas/feedback.js";

/** Labelled data for training the calibration and measuring accuracy (dev set and the capstone sample). */

export interface LabelledItem {
  readonly id: string;
  readonly item: FeedbackItem;
  readonly category: string;
  readonly priority: Priority;
}

export function feedbackItem(input: Partial<FeedbackItemInput> & { text: string }): FeedbackItem {
  const contentHash = createHash("sha256")
    .update(`${input.subject ?? ""}\n${input.text}`)
    .digest("hex");
  return FeedbackItem.parse({
    sourceType: "app_store_review",
    sourceId: `sha256:${contentHash}`,
    contentHash,
    ...input,
  });
}

type Row = Record<string, string>;
const readCsv = (file: string): Row[] =>
  parse(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true }) as Row[];
const orNull = (v: string | undefined): string | null => v?.trim() || null;

/**
 * test/app/agents/fixtures/dev-set.csv: text,subject,rating,category,priority,source. The holdout sets add an
 * optional stated_priority column (the priority an e-mail's sender gave, as in support_emails.csv).
 */
export function loadDevSet(file: string): LabelledItem[] {
  return readCsv(file).map((r, i) => ({
    id: `dev-${i + 1}`,
    category: r.category!,
    priority: r.priority as Priority,
    item: feedbackItem({
      sourceType: r.source === "email" ? "email" : "app_store_review",
      sourceId: `dev-${i + 1}`,
      text: r.text!,
      subject: orNull(r.subject),
      rating: r.rating ? Number(r.rating) : null,
      statedPriority: orNull(r.stated_priority),
    }),
  }));
}

/** Every fourth row (1-based 4, 8, ...) is held out from calibration training. */
export const isHeldOut = (index: number): boolean => index % 4 === 3;

/** The capstone sample: app_store_reviews.csv, support_emails.csv and expected_classifications.csv. */
export function loadCapstoneSample(dir: string): LabelledItem[] {
  const expected = new Map(readCsv(path.join(dir, "expected_classifications.csv")).map((r) => [r.record_id!, r]));
  const label = (id: string) => {
    const e = expected.get(id);
    if (!e) throw new Error(`no expected classification for ${id}`);
    return { category: e.expected_category!, priority: e.expected_priority as Priority };
  };
  const reviews = readCsv(path.join(dir, "app_store_reviews.csv")).map((r) => ({
    id: r.review_id!,
    ...label(r.review_id!),
    item: feedbackItem({
      sourceType: "app_store_review",
      sourceId: r.review_id!,
      text: r.review_text!,
      author: orNull(r.user_name),
      rating: r.rating ? Number(r.rating) : null,
      appVersion: orNull(r.app_version),
      device: orNull(r.device),
    }),
  }));
  const emails = readCsv(path.join(dir, "support_emails.csv")).map((r) => ({
    id: r.email_id!,
    ...label(r.email_id!),
    item: feedbackItem({
      sourceType: "email",
      sourceId: r.email_id!,
      text: r.body!,
      subject: orNull(r.subject),
      author: orNull(r.sender),
      statedPriority: orNull(r.priority_stated),
    }),
  }));
  return [...reviews, ...emails];
}

/**
 * The configuration seeded by the migrations (prisma/migrations/20261125000000_init, then
 * 20261206120000_agents_hybrid: no stored crew, so the key decides; the hybrid threshold).
 */
export const SEEDED_CONFIGURATION: TriageConfiguration = {
  confidenceThreshold: 0.7,
  agents: { claudeModel: "claude-haiku-4-5", hybridThreshold: 0.85 },
  priorityRules: {
    defaults: {
      Bug: "Medium",
      "Feature Request": "Low",
      Praise: "Low",
      Complaint: "Medium",
      Spam: "Low",
      Failed: "Medium",
    },
    rules: [
      {
        name: "bug-critical",
        category: "Bug",
        priority: "Critical",
        keywords: [
          "data loss",
          "lost all",
          "lost my",
          "deleted all",
          "security",
          "hacked",
          "breach",
          "leak",
          "payment",
          "charged",
          "billing",
          "crash on start",
          "crashes on start",
          "crashes on launch",
          "crash on launch",
          "crashes immediately",
          "won't open",
          "wont open",
          "can't open",
          "cannot open",
          "unusable",
          "completely broken",
          "can't log in",
          "cannot log in",
          "can't login",
          "cannot login",
        ],
      },
      {
        name: "bug-high",
        category: "Bug",
        priority: "High",
        keywords: [
          "crash",
          "crashes",
          "crashing",
          "freezes",
          "not working",
          "doesn't work",
          "broken",
          "fails",
          "failed",
          "error",
        ],
      },
      {
        name: "bug-low",
        category: "Bug",
        priority: "Low",
        keywords: ["typo", "cosmetic", "misaligned", "alignment", "color", "font", "icon"],
      },
      {
        name: "feature-medium",
        category: "Feature Request",
        priority: "Medium",
        keywords: [
          "integration",
          "integrate",
          "api",
          "offline",
          "sync",
          "collaboration",
          "share with",
          "team",
          "many users",
          "everyone wants",
          "colleagues",
        ],
      },
      {
        name: "complaint-high",
        category: "Complaint",
        priority: "High",
        keywords: [
          "refund",
          "billing",
          "double charge",
          "charged twice",
          "overcharged",
          "money back",
          "cancel subscription",
        ],
      },
    ],
  },
};

/**
 * A realistic mix of labelled feedback for routing and cost figures (bench/claude-cost.ts, the hybrid crew's
 * acceptance test): the rows the text model never trained on (holdout-set.csv, holdout2-set.csv, the dev
 * set's held-out rows and calibration-set.csv in test/app/agents/fixtures), in that order, repeated to `count`.
 */
export function loadRealisticMix(fixturesDir: string, count = 1000): LabelledItem[] {
  const file = (name: string) => loadDevSet(path.join(fixturesDir, name));
  const pool = [
    ...file("holdout-set.csv"),
    ...file("holdout2-set.csv"),
    ...file("dev-set.csv").filter((_, i) => isHeldOut(i)),
    ...file("calibration-set.csv"),
  ];
  return Array.from({ length: count }, (_, n) => {
    const row = pool[n % pool.length]!;
    const id = `mix-${n + 1}`;
    return { ...row, id, item: { ...row.item, sourceId: id } };
  });
}
