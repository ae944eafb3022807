import type { Backend } from "../../sdk/backend.js";
import type { TriageAgents, TriageResult } from "../../sdk/ports/agents.js";
import { FeedbackItem } from "../../sdk/schemas/feedback.js";
import type { TicketDetail, TicketQueryInput, TriageRewrite } from "../../sdk/schemas/ticket.js";
import { BULK_LIMIT } from "./tickets-service.js";

/** The history actor of a re-triage: any other actor's change to a field is a manual override. */
export const RETRIAGE_ACTOR = "retriage";
const BATCH = 100;
/** Fields a person may also set: a manual value is kept. */
const EDITABLE = ["category", "priority", "status", "title", "description", "technicalDetails", "language"] as const;
/** The crew's own judgement: nobody sets these by hand, so re-triage always rewrites them. */
const CREW_ONLY = ["confidence", "qualityScore", "reviewReasons"] as const;
type Editable = (typeof EDITABLE)[number];
type Field = Editable | (typeof CREW_ONLY)[number];
/** Re-triage moves a ticket between these only: a reviewed or closed ticket keeps its status. */
const TRIAGE_STATUSES = new Set(["open", "needs_review"]);

export interface RetriageChange {
  id: string;
  sourceId: string;
  /** Field -> [before, after], for the fields that change (or would, with --dry-run). */
  changes: Partial<Record<Field, [unknown, unknown]>>;
  /** Fields the crew would change but a person set by hand: kept. */
  keptManual: Editable[];
  confidence: { before: number; after: number };
  reason: string;
}

export interface RetriageSummary {
  agents: string;
  dryRun: boolean;
  matched: number;
  changed: number;
  unchanged: number;
  /** Tickets whose original feedback is not stored (nothing to re-run on), or whose update failed. */
  skipped: { id: string; reason: string }[];
  /** How many tickets kept at least one manually set field. */
  keptManual: number;
  /** "category: Complaint -> Feature Request" -> count. */
  transitions: Record<string, number>;
  changes: RetriageChange[];
  /** More tickets match than one run handles (BULK_LIMIT): run it again. */
  more: boolean;
}

/** Fields a person changed (any history entry by an actor other than re-triage). */
export function manuallySet(ticket: Pick<TicketDetail, "history">): Set<string> {
  const fields = new Set<string>();
  for (const entry of ticket.history)
    if (entry.actor !== RETRIAGE_ACTOR) for (const key of Object.keys(entry.after)) fields.add(key);
  return fields;
}

/** Sorted keys, empty values dropped: stored JSON and a fresh result compare equal when they say the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const isEditable = (field: Field): field is Editable => (EDITABLE as readonly string[]).includes(field);

/** The rewrite a plan stands for: each changed field's new value. */
const rewriteOf = (plan: RetriageChange): TriageRewrite =>
  Object.fromEntries(Object.entries(plan.changes).map(([field, [, after]]) => [field, after]));

/** What re-triage would write on one ticket: the crew's new result, less the manual overrides. */
export function planRetriage(ticket: TicketDetail, result: TriageResult, agents: string): RetriageChange {
  const manual = manuallySet(ticket);
  const proposed: Record<Field, unknown> = {
    category: result.category,
    priority: result.priority,
    status: TRIAGE_STATUSES.has(ticket.status) ? result.status : ticket.status,
    title: result.title,
    description: result.description,
    technicalDetails: result.technicalDetails,
    confidence: result.confidence,
    qualityScore: result.qualityScore,
    reviewReasons: result.reviewReasons,
    // Tickets written before languages were recorded get theirs; a crew that does not say keeps the stored one.
    language: result.language === undefined ? ticket.language : result.language,
  };
  const changes: RetriageChange["changes"] = {};
  const keptManual: Editable[] = [];
  for (const field of [...EDITABLE, ...CREW_ONLY]) {
    if (same(ticket[field], proposed[field])) continue;
    if (isEditable(field) && manual.has(field)) keptManual.push(field);
    else changes[field] = [ticket[field], proposed[field]];
  }
  const review = result.status === "needs_review" ? `; needs review: ${result.reviewReasons.join("; ")}` : "";
  return {
    id: ticket.id,
    sourceId: ticket.sourceId,
    changes,
    keptManual,
    confidence: { before: ticket.confidence, after: result.confidence },
    reason: `re-triage (${agents} crew): confidence ${ticket.confidence} -> ${result.confidence}${review}`,
  };
}

/**
 * Re-runs the crew on the stored feedback of the tickets the query matches (oldest first, at most BULK_LIMIT),
 * after a model or configuration change. Each change is its own update with history (actor "retriage") and
 * the crew's processing logs of the re-run; a field a person set by hand is never overwritten, a reviewed or
 * closed ticket keeps its status, and the crew's confidence, quality score and review reasons always follow
 * the new result (a change of confidence alone is a change).
 */
export async function retriageTickets(
  backend: Backend,
  agents: TriageAgents,
  query: TicketQueryInput,
  options: { dryRun?: boolean } = {},
): Promise<RetriageSummary> {
  const { ids, more } = await backend.tickets.matchingIds(query, BULK_LIMIT);
  const config = await backend.configuration.load();
  const summary: RetriageSummary = {
    agents: agents.name,
    dryRun: options.dryRun ?? false,
    matched: ids.length,
    changed: 0,
    unchanged: 0,
    skipped: [],
    keptManual: 0,
    transitions: {},
    changes: [],
    more,
  };
  for (let i = 0; i < ids.length; i += BATCH) {
    const tickets: { ticket: TicketDetail; item: FeedbackItem }[] = [];
    for (const id of ids.slice(i, i + BATCH)) {
      const ticket = await backend.tickets.get(id);
      const item = FeedbackItem.safeParse(ticket?.feedback);
      // An item erased on request (privacy erase) keeps only a marker: nothing to re-run on.
      if (ticket?.feedback?.redacted) summary.skipped.push({ id, reason: "feedback erased on request" });
      else if (ticket && item.success) tickets.push({ ticket, item: item.data });
      else summary.skipped.push({ id, reason: "original feedback not stored" });
    }
    const results = await agents.triage(
      tickets.map((t) => t.item),
      config,
    );
    for (const [k, { ticket }] of tickets.entries()) {
      const plan = planRetriage(ticket, results[k]!, agents.name);
      if (plan.keptManual.length) summary.keptManual += 1;
      const patch = rewriteOf(plan);
      if (Object.keys(patch).length === 0) {
        summary.unchanged += 1;
        continue;
      }
      if (!summary.dryRun) {
        try {
          await backend.tickets.update(ticket.id, patch, {
            actor: RETRIAGE_ACTOR,
            reason: plan.reason,
            expectedVersion: ticket.version,
            logs: results[k]!.logs,
          });
        } catch (error) {
          summary.skipped.push({ id: ticket.id, reason: error instanceof Error ? error.message : String(error) });
          continue;
        }
      }
      summary.changed += 1;
      summary.changes.push(plan);
      for (const field of ["category", "priority", "status"] as const) {
        const change = plan.changes[field];
        if (change) {
          const key = `${field}: ${change[0]} -> ${change[1]}`;
          summary.transitions[key] = (summary.transitions[key] ?? 0) + 1;
        }
      }
    }
  }
  return summary;
}
