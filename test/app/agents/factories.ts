import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SEEDED_CONFIGURATION } from "../../../app/agents/offline/dataset.js";
import { createOfflineAgents } from "../../../app/agents/offline/index.js";
import type { TriageResult } from "../../../sdk/ports/agents.js";
import type { TriageConfiguration } from "../../../sdk/schemas/configuration.js";
import { FeedbackItem, type FeedbackItemInput } from "../../../sdk/schemas/feedback.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixture = (name: string): string => path.join(repoRoot, "test/app/agents/fixtures", name);

/** A valid FeedbackItem; contentHash is the sha256 of subject and text. */
export function makeItem(input: Partial<FeedbackItemInput> & { text: string }): FeedbackItem {
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

export const review = (
  text: string,
  rating: number | null = null,
  extra: Partial<FeedbackItemInput> = {},
): FeedbackItem => makeItem({ sourceType: "app_store_review", text, rating, ...extra });

export const email = (subject: string, text: string, extra: Partial<FeedbackItemInput> = {}): FeedbackItem =>
  makeItem({ sourceType: "email", subject, text, ...extra });

/** A fresh copy of the configuration the initial migration seeds, safe to mutate in a test. */
export function seededConfig(): TriageConfiguration {
  return structuredClone(SEEDED_CONFIGURATION);
}

/** The `priority_rules` JSON exactly as prisma/migrations/20261125000000_init seeds it. */
export function migrationPriorityRules(): unknown {
  const sql = readFileSync(path.join(repoRoot, "prisma/migrations/20261125000000_init/migration.sql"), "utf8");
  const m = /\('priority_rules',\s*'([\s\S]*?)'\s*,\s*'Per-category/.exec(sql);
  if (!m) throw new Error("priority_rules seed not found in the init migration");
  return JSON.parse(m[1]!.replace(/''/g, "'"));
}

const agents = createOfflineAgents();

export async function triage(item: FeedbackItem, config: TriageConfiguration = seededConfig()): Promise<TriageResult> {
  const [result] = await agents.triage([item], config);
  return result!;
}
