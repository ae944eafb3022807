import { existsSync } from "node:fs";
import path from "node:path";
import type { Backend } from "../../sdk/backend.js";
import type { AgentsConfig } from "../../sdk/config/runtime.js";
import { ValidationError } from "../../sdk/errors.js";
import { evaluateAgents, evaluatePlain } from "../../sdk/eval/evaluate.js";
import { type ExpectedLabel, readExpectedLabels } from "../../sdk/eval/expected-labels.js";
import { readPlainLabelled } from "../../sdk/eval/plain-labelled.js";
import { collectFeedbackFile, type RowError } from "../../sdk/ingest/index.js";
import type { TriageAgents } from "../../sdk/ports/agents.js";
import type { EvaluationReport, PlainEvaluationReport } from "../../sdk/schemas/evaluation.js";
import type { FeedbackItem } from "../../sdk/schemas/feedback.js";
import { createAgents, resolveConfiguredMode } from "../worker/create-agents.js";

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

export interface LabelledItems {
  items: FeedbackItem[];
  rowErrors: RowError[];
  /** Where the items came from: the source files, or the feedback items stored with the tickets. */
  itemSource: "files" | "database";
}

/** The items to evaluate: parsed from the source files, or with none given the stored items the labels name. */
export async function labelledItems(
  backend: Backend,
  labels: ExpectedLabel[],
  files: readonly string[],
): Promise<LabelledItems> {
  if (files.length === 0) {
    const items = await backend.insights.storedFeedbackItems(labels.map((l) => l.id));
    return { items, rowErrors: [], itemSource: "database" };
  }
  const items: FeedbackItem[] = [];
  const rowErrors: RowError[] = [];
  for (const file of files) {
    const parsed = await collectFeedbackFile(file);
    items.push(...parsed.items.map((i) => i.item));
    rowErrors.push(...parsed.errors);
  }
  return { items, rowErrors, itemSource: "files" };
}

/**
 * Runs the crew on labelled items with the current triage configuration and records the figures in the
 * metrics (dimensions: crew and labels file), as `feedback-cli eval` and the dashboard's Quality page do.
 */
export async function evaluateCrew(
  backend: Backend,
  agents: TriageAgents,
  run: { items: FeedbackItem[]; labels: ExpectedLabel[]; labelsName: string },
): Promise<EvaluationReport> {
  if (run.items.length === 0) {
    throw new ValidationError("None of the labelled items was found", {
      hint: "Give the source files (app reviews / support e-mails) with the labels, or ingest them first.",
    });
  }
  const config = await backend.configuration.load();
  const report = await evaluateAgents(agents, config, run.items, run.labels);
  const dimensions = { agents: report.agents, labels: run.labelsName };
  await backend.metrics.record([
    { name: "eval_category_accuracy", value: report.categoryAccuracy, unit: "None", dimensions },
    { name: "eval_priority_accuracy", value: report.priorityAccuracy, unit: "None", dimensions },
    { name: "eval_items_per_second", value: report.itemsPerSecond, unit: "Items/Second", dimensions },
    { name: "eval_duration_ms", value: report.durationMs, unit: "Milliseconds", dimensions },
  ]);
  return report;
}

export async function runEvaluation(
  backend: Backend,
  expectedFile: string,
  options: RunEvalOptions,
): Promise<EvaluationReport & { rowErrors: RowError[] }> {
  const labels = await readExpectedLabels(expectedFile);
  const { items, rowErrors } = await labelledItems(backend, labels, sourceFiles(expectedFile, options));
  const agents = await createAgents(
    await resolveConfiguredMode(options.agents, options.agentsConfig, backend.configuration),
    {
      config: options.agentsConfig,
    },
  );
  const report = await evaluateCrew(backend, agents, { items, labels, labelsName: path.basename(expectedFile) });
  return { ...report, rowErrors };
}

/**
 * Evaluates the crew on a plain labelled file (id, text, label, optional rating): the items come from the file
 * itself. Records the accuracy in the metrics like the other evaluations.
 */
export async function runPlainEvaluation(
  backend: Backend,
  file: string,
  options: { agents?: string; agentsConfig: AgentsConfig },
): Promise<PlainEvaluationReport> {
  const { items, labels } = await readPlainLabelled(file);
  if (items.length === 0)
    throw new ValidationError(`${file} has no labelled rows`, { hint: "Add rows below the header." });
  const agents = await createAgents(
    await resolveConfiguredMode(options.agents, options.agentsConfig, backend.configuration),
    {
      config: options.agentsConfig,
    },
  );
  const report = await evaluatePlain(agents, await backend.configuration.load(), items, labels);
  const dimensions = { agents: report.agents, labels: path.basename(file) };
  await backend.metrics.record([
    { name: "eval_category_accuracy", value: report.accuracy, unit: "None", dimensions },
    { name: "eval_items_per_second", value: report.itemsPerSecond, unit: "Items/Second", dimensions },
    { name: "eval_duration_ms", value: report.durationMs, unit: "Milliseconds", dimensions },
  ]);
  return report;
}
