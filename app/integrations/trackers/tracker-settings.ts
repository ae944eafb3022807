import { z } from "zod";
import { CATEGORIES, type Category, PRIORITIES, type Priority } from "../../../sdk/schemas/feedback.js";
import type { TicketEventData } from "../../../sdk/schemas/integrations.js";
import { TICKET_STATUSES } from "../../../sdk/schemas/ticket.js";

const SECRET_REF = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'use "env:NAME" or "file:/path"');
const byCategory = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(CATEGORIES), value);
const byPriority = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(PRIORITIES), value);

/**
 * When a ticket gets an issue: any rule matches (a rule's conditions all hold). A rule without conditions matches
 * every ticket; e.g. `[{ "categories": ["Bug"], "priorities": ["Critical"] }, { "minReach": 5 }]` makes issues for
 * critical bugs and for groups of five or more.
 */
export const CreationRule = z
  .object({
    categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
    priorities: z.array(z.enum(PRIORITIES)).min(1).optional(),
    statuses: z.array(z.enum(TICKET_STATUSES)).min(1).optional(),
    minReach: z.number().int().positive().optional(),
  })
  .strict();
export type CreationRule = z.infer<typeof CreationRule>;

/** Labels an issue gets: always these, plus those of its category and of its priority. */
const LabelMapping = z
  .object({
    always: z.array(z.string().min(1)).default([]),
    byCategory: byCategory(z.array(z.string().min(1))).default({}),
    byPriority: byPriority(z.array(z.string().min(1))).default({}),
  })
  .strict();

const common = {
  rules: z.array(CreationRule).min(1).default([{}]),
  /** Where the tracker's webhook signing secret is read, for two-way status sync (none: its webhooks are refused). */
  webhookSecretRef: SECRET_REF.optional(),
};

export const GithubSettings = z
  .object({
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'the repository as "owner/name"'),
    labels: LabelMapping.default({
      always: ["feedback"],
      byCategory: { Bug: ["bug"], "Feature Request": ["enhancement"] },
      byPriority: {},
    }),
    ...common,
  })
  .strict();

export const LinearSettings = z
  .object({
    teamId: z.string().min(1, "the Linear team's id"),
    labels: LabelMapping.default({ always: [], byCategory: {}, byPriority: {} }).describe("label ids, not names"),
    /** Linear's priority numbers: 1 urgent, 2 high, 3 medium, 4 low (0 none). */
    priorities: byPriority(z.number().int().min(0).max(4)).default({ Critical: 1, High: 2, Medium: 3, Low: 4 }),
    /** Workflow states the issue moves to when the ticket is closed / rejected or merged / reopened. */
    states: z
      .object({ done: z.string().min(1), canceled: z.string().min(1).optional(), open: z.string().min(1) })
      .strict()
      .optional(),
    ...common,
  })
  .strict();

export const JiraSettings = z
  .object({
    project: z.string().regex(/^[A-Z][A-Z0-9_]+$/, "the project key, e.g. FT"),
    /** The Atlassian account the API token belongs to (basic auth is email:token). */
    email: z.email(),
    issueTypes: byCategory(z.string().min(1)).default({ Bug: "Bug" }),
    defaultIssueType: z.string().min(1).default("Task"),
    priorities: byPriority(z.string().min(1)).default({
      Critical: "Highest",
      High: "High",
      Medium: "Medium",
      Low: "Low",
    }),
    labels: LabelMapping.default({ always: ["feedback"], byCategory: {}, byPriority: {} }),
    /** Transition names to close and reopen; by default the first leading to a done / to-do status. */
    transitions: z
      .object({ close: z.string().min(1), reopen: z.string().min(1) })
      .partial()
      .strict()
      .default({}),
    ...common,
  })
  .strict();

export const TRACKER_SETTINGS = { github: GithubSettings, linear: LinearSettings, jira: JiraSettings } as const;
export type TrackerKind = keyof typeof TRACKER_SETTINGS;
export type GithubSettings = z.infer<typeof GithubSettings>;
export type LinearSettings = z.infer<typeof LinearSettings>;
export type JiraSettings = z.infer<typeof JiraSettings>;
export type TrackerSettings = GithubSettings | LinearSettings | JiraSettings;

export const TRACKER_KINDS = Object.keys(TRACKER_SETTINGS) as TrackerKind[];
export const isTrackerKind = (kind: string): kind is TrackerKind => kind in TRACKER_SETTINGS;

/** The API base each tracker kind uses when `--url` is not given (Jira's is the site's own). */
export const DEFAULT_TRACKER_URLS: Partial<Record<TrackerKind, string>> = {
  github: "https://api.github.com",
  linear: "https://api.linear.app/graphql",
};

/** A destination's settings checked against its kind's schema: the settings, or what is wrong and where. */
export function parseTrackerSettings(
  kind: TrackerKind,
  settings: unknown,
): { ok: true; settings: TrackerSettings } | { ok: false; message: string } {
  const parsed = TRACKER_SETTINGS[kind].safeParse(settings);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, message: `Invalid ${kind} settings: ${z.prettifyError(parsed.error)}` };
}

/** Whether the ticket qualifies for an issue under any of the rules. */
export function matchesRules(rules: readonly CreationRule[], ticket: TicketEventData): boolean {
  return rules.some(
    (rule) =>
      (!rule.categories || rule.categories.includes(ticket.category as Category)) &&
      (!rule.priorities || rule.priorities.includes(ticket.priority as Priority)) &&
      (!rule.statuses || (rule.statuses as string[]).includes(ticket.status)) &&
      (rule.minReach === undefined || ticket.reach >= rule.minReach),
  );
}

/** The labels of a mapping for a ticket, each once, in order. */
export function labelsFor(mapping: z.infer<typeof LabelMapping>, ticket: TicketEventData): string[] {
  const labels = [
    ...mapping.always,
    ...(mapping.byCategory[ticket.category as Category] ?? []),
    ...(mapping.byPriority[ticket.priority as Priority] ?? []),
  ];
  return [...new Set(labels)];
}
