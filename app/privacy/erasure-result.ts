import { z } from "zod";

const count = z.number().int().nonnegative();

/** Per kind of stored data, how many records an erasure changed (or, dry run, would change). */
export const ErasureCounts = z.object({
  /** The person's own feedback items: text, author, subject, metadata and the rest of the payload redacted. */
  feedbackItems: count,
  /** Other people's items that named them: those occurrences redacted. */
  feedbackMentions: count,
  /** Tickets changed (see `tickets`). */
  tickets: count,
  /** Earlier ticket history entries rewritten (an edit's before/after holding their text). */
  ticketHistory: count,
  /** Processing-log rows whose result held their text. */
  processingLogs: count,
  /** Queue messages: their items not processed yet are deleted, others naming them are redacted. */
  queueMessages: count,
  deadLetters: count,
  /** Duplicate grouping's embeddings of their items, deleted (0 in erasures recorded before grouping existed). */
  embeddings: count.default(0),
  /**
   * Artifacts rewritten without their data (0 in erasures recorded before artifacts were searched): kept copies
   * of deleted dead letters (`dlq-deleted/`; their own items' copies keep only what statistics read) and upload
   * reports (`uploads/`) quoting them in a rejected row's message.
   */
  artifacts: count.default(0),
});
export type ErasureCounts = z.infer<typeof ErasureCounts>;

/** What `privacy erase` did (or would do): the contract of `--json`. It never names the person. */
export const ErasureResult = z.object({
  /** The erasure's id, recorded with it (`privacy_erasures`); a dry run records nothing. */
  requestId: z.uuid(),
  dryRun: z.boolean(),
  /** Whether the author was given as an e-mail address (also looked for inside the stored items) or a name. */
  subjectKind: z.enum(["email", "name"]),
  /** Whether anything of the person was found. */
  found: z.boolean(),
  counts: ErasureCounts,
  /**
   * Tickets touched: `item` ones were made from the person's feedback (title and description replaced by a
   * marker, category, priority and status kept), `mention` ones quoted them (the quote redacted).
   */
  tickets: z.array(z.object({ id: z.uuid(), scope: z.enum(["item", "mention"]) })),
  /** Stores this backend could not search, each with why. */
  notSearched: z.array(z.string()),
  /** The audit entry written (null for a dry run): who, when, and the salted hash of the subject. */
  audit: z
    .object({
      actor: z.string(),
      erasedAt: z.iso.datetime({ offset: true }),
      subjectHash: z.string().regex(/^[a-f0-9]{64}$/),
    })
    .nullable(),
});
export type ErasureResult = z.infer<typeof ErasureResult>;

/** One recorded erasure (`privacy history --json`): who asked, when, what changed; the person only as a salted hash. */
export const ErasureRecord = z.object({
  requestId: z.uuid(),
  actor: z.string(),
  erasedAt: z.iso.datetime({ offset: true }),
  subjectKind: z.enum(["email", "name"]),
  /** sha256 of `<salt>:<normalised name or e-mail>`, hex: `privacy history --author` recomputes it. */
  subjectHash: z.string(),
  salt: z.string(),
  counts: ErasureCounts,
  ticketIds: z.array(z.string()),
});
export const ErasureHistory = z.array(ErasureRecord);
export type ErasureHistory = z.infer<typeof ErasureHistory>;
