import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Backend } from "../../sdk/backend.js";
import { ValidationError } from "../../sdk/errors.js";
import type { ErasureSubject } from "../../sdk/ports/personal-data.js";
import { emailsIn, normaliseSubjectValue } from "../../sdk/store/personal-data-redaction.js";
import { eraseFromArtifacts } from "./artifact-erasure.js";
import type { ErasureHistory, ErasureResult } from "./erasure-result.js";

export type { ErasureHistory, ErasureResult };

/** Shorter than this, a name would match too much (every "Al" in every text). */
export const MIN_AUTHOR_CHARS = 3;

const EMAIL_ONLY = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * The person an erasure is about, from what the operator typed: an e-mail address (also the address in
 * "Lena Fischer <lena@example.com>") or a name, normalised as stored values are compared (trimmed, inner
 * white space collapsed, lower-cased). Too short or blank is a ValidationError.
 */
export function erasureSubject(author: string): ErasureSubject {
  const normalised = normaliseSubjectValue(author);
  const bracketed = /<([^<>]+)>\s*$/.exec(normalised)?.[1];
  const address = bracketed && emailsIn(bracketed).length === 1 ? emailsIn(bracketed)[0]! : null;
  const value = address ?? normalised;
  if (value.length < MIN_AUTHOR_CHARS || !/[\p{L}\p{N}]/u.test(value)) {
    throw new ValidationError(
      `The author must be a name or an e-mail address of at least ${MIN_AUTHOR_CHARS} characters`,
      {
        hint: "Give the name or the e-mail address exactly as the feedback carries it, e.g. --author lena.fischer@example.com.",
      },
    );
  }
  return { value, kind: EMAIL_ONLY.test(value) ? "email" : "name" };
}

export interface EraseRequest {
  author: string;
  dryRun: boolean;
  /** Who asked for it, recorded in the audit entry and in the history of the tickets changed. */
  actor: string;
}

/**
 * Erases one person's data on request (GDPR-style): first the artifacts naming them (kept copies of deleted
 * dead letters, upload reports), then their feedback items, the tickets, history and processing logs made
 * from them, queued and dead-lettered messages of their items, and every mention of them elsewhere, in one
 * transaction that records the erasure with counts, the operator and a salted hash of the subject, never the
 * subject itself. Artifacts go first so that a recorded erasure has done them; a failure after leaves them
 * redacted and the request to run again. A dry run changes and records nothing.
 */
export async function eraseAuthor(backend: Backend, request: EraseRequest): Promise<ErasureResult> {
  const subject = erasureSubject(request.author);
  const requestId = randomUUID();
  const salt = randomBytes(16).toString("hex");
  const subjectHash = saltedHash(salt, subject.value);
  const artifacts = await eraseFromArtifacts(backend.artifacts, subject, { dryRun: request.dryRun, requestId });
  const report = await backend.privacy.erase(subject, {
    dryRun: request.dryRun,
    audit: { requestId, actor: request.actor, subjectHash, salt },
    erasedElsewhere: { artifacts: artifacts.length },
  });
  const found = Object.values(report.counts).some((n) => n > 0);
  return {
    requestId,
    dryRun: request.dryRun,
    subjectKind: subject.kind,
    found,
    counts: report.counts,
    tickets: report.tickets,
    notSearched: report.notSearched,
    audit: report.erasedAt ? { actor: request.actor, erasedAt: report.erasedAt, subjectHash } : null,
  };
}

const saltedHash = (salt: string, value: string) => createHash("sha256").update(`${salt}:${value}`).digest("hex");

/**
 * Recorded erasures, newest first; with `author`, only those of that person (their salted hash recomputed for
 * each entry): the answer to "was this person's data erased, when, by whom?".
 */
export async function erasureHistory(
  backend: Backend,
  options: { author?: string; limit?: number } = {},
): Promise<ErasureHistory> {
  const subject = options.author === undefined ? null : erasureSubject(options.author);
  const records = await backend.privacy.erasures({ limit: subject ? 10_000 : options.limit });
  const matching = subject
    ? records.filter((r) => r.subjectKind === subject.kind && r.subjectHash === saltedHash(r.salt, subject.value))
    : records;
  return matching.slice(0, options.limit ?? 100);
}
