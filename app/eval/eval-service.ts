import { existsSync } from "node:fs";
import path from "node:path";
import type { Backend } from "../../sdk/backend.js";
import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { ValidationError } from "../../sdk/errors.js";
import { evaluateAgents } from "../../sdk/eval/evaluate.js";
import { readExpectedLabels } from "../../sdk/eval/expected-labels.js";
import { collectFeedbackFile, type RowError } from "../../sdk/ingest/index.js";
import type { EvaluationReport } from "../../sdk/schemas/evaluation.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { createAgents, resolveAgentsMode } from "../worker/create-agents.js";

export interface EvalOptions {
  reviews?: string;
  emails?: string;
  agents?: string;
}

export interface RunEvalOptions extends EvalOptions {
  agentsConfig: AgentsConfig;
}

/** The source files: as given, else app_store_reviews.csv / support_emails.csv beside the labels. */
export function sourceFiles(expectedFile: string, options: EvalOptions): string[] {
  const beside = (name: string) => path.join(path.dirname(expectedFile), name);
  const files = [options.reviews ?? beside("app_store_reviews.csv"), options.emails ?? beside("support_emails.csv")];
  const given = [options.reviews, options.emails].filter((f): f is string => Boolean(f));
  for (const file of given) {
    if (!existsSync(file))
      throw new ValidationError(`Source file ${file} does not exist`, {
        hint: "Check the path given to --reviews/--emails.",
      });
  }
  const found = files.filter((f) => existsSync(f));
  if (found.length === 0) {
    throw new ValidationError(`No source files found beside ${expectedFile}`, {
      hint: "Pass --reviews <file> and/or --emails <file>, or put app_store_reviews.csv / support_emails.csv beside the labels.",
    });
  }
  return found;
}

export async function runEvaluation(
  backend: Backend,
  expectedFile: string,
  options: RunEvalOptions,
): Promise<EvaluationReport & { rowErrors: RowError[] }> {
  const labels = await readExpectedLabels(expectedFile);
  const items: FeedbackItem[] = [];
  const rowErrors: RowError[] = [];
  for (const file of sourceFiles(expectedFile, options)) {
    const parsed = await collectFeedbackFile(file);
    items.push(...parsed.items.map((i) => i.item));
    rowErrors.push(...parsed.errors);
  }
  const agents = await createAgents(resolveAgentsMode(options.agents, options.agentsConfig), {
    config: options.agentsConfig,
  });
  const config = await backend.configuration.load();
  const report = await evaluateAgents(agents, config, items, labels);
  const dimensions = { agents: report.agents, labels: path.basename(expectedFile) };
  await backend.metrics.record([
    { name: "eval_category_accuracy", value: report.categoryAccuracy, unit: "None", dimensions },
    { name: "eval_priority_accuracy", value: report.priorityAccuracy, unit: "None", dimensions },
    { name: "eval_items_per_second", value: report.itemsPerSecond, unit: "Items/Second", dimensions },
    { name: "eval_duration_ms", value: report.durationMs, unit: "Milliseconds", dimensions },
  ]);
  return { ...report, rowErrors };
}
