/**
 * Whose data an erasure is about: a normalised author value (trimmed, inner spaces collapsed, lower-cased)
 * and whether it is an e-mail address (then it is also looked for inside the stored items, e.g. a `from`).
 */
export interface ErasureSubject {
  value: string;
  kind: "email" | "name";
}

/** How an erasure is recorded: no personal data, only a salted hash of the subject, counts and who asked. */
export interface ErasureAudit {
  requestId: string;
  actor: string;
  /** sha256 of `${salt}:${subject.value}`, hex. */
  subjectHash: string;
  salt: string;
}

export interface ErasureCounts {
  /** The person's own feedback items (author or an address of theirs in the item): text, author, payload redacted. */
  feedbackItems: number;
  /** Other items whose text or fields named them: those occurrences redacted. */
  feedbackMentions: number;
  /** Tickets changed: made from their items (personal content replaced) or quoting them. */
  tickets: number;
  ticketHistory: number;
  processingLogs: number;
  /** Messages of their items not processed yet: deleted; others naming them: redacted. */
  queueMessages: number;
  deadLetters: number;
  /** Sentence embeddings of their items kept by duplicate grouping: deleted. */
  embeddings: number;
  /**
   * Artifacts naming them (kept copies of deleted dead letters, upload reports quoting a rejected value):
   * rewritten without their data. Searched by the application (the artifact store is not this store's).
   */
  artifacts: number;
}

/** Counts of an erasure that has changed nothing yet. */
export function noErasureCounts(): ErasureCounts {
  return {
    feedbackItems: 0,
    feedbackMentions: 0,
    tickets: 0,
    ticketHistory: 0,
    processingLogs: 0,
    queueMessages: 0,
    deadLetters: 0,
    embeddings: 0,
    artifacts: 0,
  };
}

export interface ErasedTicket {
  id: string;
  /** "item": made from the person's feedback (title, description, details replaced); "mention": quoted them. */
  scope: "item" | "mention";
}

export interface ErasureReport {
  counts: ErasureCounts;
  tickets: ErasedTicket[];
  /** Places this adapter cannot search (e.g. SQS on AWS), each with why. */
  notSearched: string[];
  /** When the erasure was recorded; null for a dry run. */
  erasedAt: string | null;
}

export interface ErasureRecord {
  requestId: string;
  actor: string;
  subjectHash: string;
  salt: string;
  subjectKind: "email" | "name";
  counts: ErasureCounts;
  ticketIds: string[];
  erasedAt: string;
}

/**
 * Finds and erases one person's data wherever the product stored it (feedback items, tickets and their
 * history, processing logs, the queue and DLQ where they are reachable), in one transaction, and records the
 * erasure without personal data. Reads and writes: `erase` with `dryRun` changes nothing and records nothing.
 */
export interface PersonalDataStore {
  /** `erasedElsewhere`: what the caller erased outside this store (the artifacts), added to the counts recorded. */
  erase(
    subject: ErasureSubject,
    options: { dryRun: boolean; audit: ErasureAudit; erasedElsewhere?: Partial<ErasureCounts> },
  ): Promise<ErasureReport>;
  /** Recorded erasures, newest first. */
  erasures(options?: { limit?: number }): Promise<ErasureRecord[]>;
}
