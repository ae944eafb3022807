import { z } from "zod";
import { Category, Priority, SourceType } from "./feedback.js";
import { Quote, TicketItemView } from "./grouping.js";
import { refuseUnstorable } from "./safe-text.js";

export const TICKET_STATUSES = ["open", "needs_review", "approved", "rejected", "closed"] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const TechnicalDetails = z
  .object({
    device: z.string().nullable().optional(),
    os: z.string().nullable().optional(),
    appVersion: z.string().nullable().optional(),
    platform: z.string().nullable().optional(),
    stepsToReproduce: z.array(z.string()).optional(),
    affectedFeature: z.string().nullable().optional(),
    severity: z.string().nullable().optional(),
    requestedCapability: z.string().nullable().optional(),
    userImpact: z.string().nullable().optional(),
  })
  .catchall(z.unknown());
export type TechnicalDetails = z.infer<typeof TechnicalDetails>;

/** ISO 639-1 code of the language feedback is written in ("en", "de"). */
export const LanguageCode = z.string().regex(/^[a-z]{2}$/, "an ISO 639-1 code: two lower-case letters, like en or de");
export type LanguageCode = z.infer<typeof LanguageCode>;

/** An app as tickets name it: a store package name ("com.example.notes"), an App Store app id, or a configured name. */
export const AppName = z.string().trim().min(1, "an app name, not blank").max(200);
export type AppName = z.infer<typeof AppName>;

/** The time a date filter ranges over: when the ticket was created (triaged), or when its feedback was written. */
export const DATE_FIELDS = ["created", "submitted"] as const;
export const DateField = z.enum(DATE_FIELDS);
export type DateField = z.infer<typeof DateField>;

export const Ticket = z.object({
  id: z.uuid(),
  sourceType: SourceType,
  sourceId: z.string(),
  channel: z.string().nullable(),
  title: z.string().min(5).max(200),
  description: z.string(),
  category: Category,
  priority: Priority,
  confidence: z.number().min(0).max(1),
  technicalDetails: TechnicalDetails,
  status: TicketStatus,
  qualityScore: z.number().int().min(1).max(10).nullable(),
  reviewReasons: z.array(z.string()),
  /** The feedback's language; null when undetermined (or triaged before languages were recorded). */
  language: LanguageCode.nullable(),
  /** When the feedback was written (its date in the file, an e-mail's Date header, a webhook's created_at); null when the source gives none. */
  submittedAt: z.iso.datetime({ offset: true }).nullable(),
  /** The app the feedback is about (store package name / app id, an `app` column, the ingest's default); null when none. */
  app: z.string().nullable(),
  contentHash: z.string(),
  /** How many feedback items this ticket stands for (1 until duplicates are grouped into it). */
  reach: z.number().int().positive(),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketList = z.array(Ticket);

export const ProcessingLogEntry = z.object({
  agent: z.string(),
  action: z.string(),
  result: z.record(z.string(), z.unknown()),
  confidence: z.number().min(0).max(1).nullable(),
  durationMs: z.number().nonnegative(),
  tokensIn: z.number().int().nullable(),
  tokensOut: z.number().int().nullable(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
});
export type ProcessingLogEntry = z.infer<typeof ProcessingLogEntry>;

export const TicketHistoryEntry = z.object({
  actor: z.string(),
  reason: z.string().nullable(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  changedAt: z.iso.datetime({ offset: true }),
});
export type TicketHistoryEntry = z.infer<typeof TicketHistoryEntry>;

export const TicketDetail = Ticket.extend({
  feedback: z.record(z.string(), z.unknown()).nullable(),
  /** The feedback items of the group, oldest first (the ticket's own item among them). */
  items: z.array(TicketItemView),
  firstSeenAt: z.iso.datetime({ offset: true }).nullable(),
  lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
  versions: z.array(z.string()),
  platforms: z.array(z.string()),
  quotes: z.array(Quote),
  /** Set when this ticket's item was folded into another ticket (then it is not listed). */
  mergedInto: z.uuid().nullable(),
  /** When a new report reopened this closed ticket. */
  regressedAt: z.iso.datetime({ offset: true }).nullable(),
  logs: z.array(ProcessingLogEntry),
  history: z.array(TicketHistoryEntry),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const SORTABLE_FIELDS = ["createdAt", "updatedAt", "priority", "confidence", "category"] as const;

export const TicketQuery = z.object({
  priority: z.array(Priority).optional(),
  category: z.array(Category).optional(),
  status: z.array(TicketStatus).optional(),
  sourceType: z.array(SourceType).optional(),
  language: z.array(LanguageCode).optional(),
  /** Exact app names (package name, app id or configured name). */
  app: z.array(AppName).optional(),
  since: z.date().optional(),
  until: z.date().optional(),
  /**
   * The time `since`/`until` range over: "created" (triaged; the default) or "submitted" (the feedback's own
   * time, COALESCE(submitted_at, created_at), which trends bucket by).
   */
  dateBy: DateField.optional(),
  search: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).default(0),
  sortBy: z.enum(SORTABLE_FIELDS).default("createdAt"),
  sortOrder: z.enum(["asc", "desc"]).default("desc"),
});
export type TicketQuery = z.infer<typeof TicketQuery>;
export type TicketQueryInput = z.input<typeof TicketQuery>;

/** The fields a person may edit (dashboard, API); the crew's own judgement (confidence, quality, review reasons) is not among them. */
const EditableFields = z.object({
  title: z.string().min(5).max(200),
  description: z.string(),
  category: Category,
  priority: Priority,
  status: TicketStatus,
  technicalDetails: TechnicalDetails,
  language: LanguageCode.nullable(),
});

/** A manual change: the HTTP/dashboard contract. */
export const TicketPatch = EditableFields.partial().superRefine(refuseUnstorable);
export type TicketPatch = z.infer<typeof TicketPatch>;

/**
 * What a re-triage writes: the editable fields plus the crew's confidence, quality score and review
 * reasons, which only the crew sets (never a manual override). Not accepted from outside the process.
 */
export const TriageRewrite = EditableFields.extend({
  confidence: z.number().min(0).max(1),
  qualityScore: z.number().int().min(1).max(10).nullable(),
  reviewReasons: z.array(z.string()),
})
  .partial()
  .superRefine(refuseUnstorable);
export type TriageRewrite = z.infer<typeof TriageRewrite>;
