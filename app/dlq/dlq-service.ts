import type { Backend } from "../../sdk/backend.js";
import { NotFoundError, ValidationError } from "../../sdk/errors.js";
import type { DeadLetter } from "../../sdk/ports/queue.js";
import { QueueMessageBody } from "../../sdk/schemas/events.js";
import { fullUuid, idPrefixDigits, uniqueId } from "../../sdk/schemas/id-prefix.js";
import type { DeadLetterDetail, DeadLetterView } from "./dead-letter-views.js";

export function describeDeadLetter(letter: DeadLetter): DeadLetterView {
  const body = QueueMessageBody.safeParse(letter.body);
  const item = body.success ? body.data.item : null;
  return {
    messageId: letter.messageId,
    receiveCount: letter.receiveCount,
    sentAt: letter.sentAt.toISOString(),
    deadLetteredAt: letter.deadLetteredAt?.toISOString() ?? null,
    lastError: letter.lastError,
    sourceQueue: letter.sourceQueue,
    sourceType: item?.sourceType ?? null,
    sourceId: item?.sourceId ?? null,
    preview: item ? item.text.slice(0, 80) : null,
  };
}

export async function listDeadLetters(backend: Backend, limit = 100): Promise<DeadLetterView[]> {
  const letters = await backend.dlq.list({ limit });
  return letters.map(describeDeadLetter);
}

/** One dead letter in full, by its id or a unique prefix of it (>= 6 hex digits). */
export async function showDeadLetter(backend: Backend, given: string): Promise<DeadLetterDetail> {
  const [messageId] = await resolveDeadLetterIds(backend, [given]);
  const letter = messageId ? await backend.dlq.get(messageId) : null;
  if (!letter) {
    throw new NotFoundError(`No dead letter ${given} in ${backend.dlq.name}.`, {
      hint: "List them with 'feedback-cli dlq list' (a replayed message leaves the DLQ).",
    });
  }
  return { ...describeDeadLetter(letter), body: letter.body, attributes: letter.attributes };
}

/**
 * Typed message ids as the DLQ knows them: a unique prefix (>= 6 hex digits) becomes its whole id, an
 * ambiguous one is an error listing the candidates; anything else stays as given (reported not found).
 */
export async function resolveDeadLetterIds(backend: Backend, given: readonly string[]): Promise<string[]> {
  return Promise.all(
    given.map(async (id) => {
      if (fullUuid(id) || !idPrefixDigits(id)) return id;
      const candidates = await backend.dlq.resolveId(id);
      return candidates.length === 0 ? id : uniqueId(DEAD_LETTER_IDS, id, candidates);
    }),
  );
}

const DEAD_LETTER_IDS = { noun: "dead letter", listCommand: "feedback-cli dlq list" };

export async function replayDeadLetters(
  backend: Backend,
  options: { ids?: string[]; all?: boolean; dryRun?: boolean },
): Promise<{ dryRun: boolean; moved: string[]; notFound: string[] }> {
  const ids = await resolveDeadLetterIds(backend, options.ids ?? []);
  if (!options.all && ids.length === 0) {
    throw new ValidationError("Say which dead letters to replay", {
      hint: "Use --id <messageId> (repeatable) or --all; 'feedback-cli dlq list' shows the ids.",
    });
  }
  if (options.dryRun) {
    if (options.all) {
      const letters = await backend.dlq.list({ limit: 10_000 });
      return { dryRun: true, moved: letters.map((l) => l.messageId), notFound: [] };
    }
    const found = await Promise.all(ids.map((id) => backend.dlq.get(id)));
    return {
      dryRun: true,
      moved: ids.filter((_, i) => found[i]),
      notFound: ids.filter((_, i) => !found[i]),
    };
  }
  const result = await backend.dlq.redrive(options.all ? {} : { messageIds: ids });
  return { dryRun: false, ...result };
}

/** Where deleted dead letters' copies are kept, in the artifact store (`privacy erase` searches them too). */
export const DELETED_DEAD_LETTERS_PREFIX = "dlq-deleted/";

/** Where a deleted dead letter's copy is kept, in the artifact store. */
export const deletedDeadLetterKey = (messageId: string, at: Date) =>
  `${DELETED_DEAD_LETTERS_PREFIX}${at.toISOString().slice(0, 10)}/${messageId}.json`;

/**
 * Deletes dead letters for good, after keeping a copy of each (its view, body and attributes) as an
 * artifact under `dlq-deleted/<date>/<messageId>.json`: a message whose copy could not be written is not
 * deleted. `kept` lists the copies' keys.
 */
export async function deleteDeadLetters(
  backend: Backend,
  given: readonly string[],
  now = new Date(),
): Promise<{ deleted: string[]; notFound: string[]; kept: string[] }> {
  const ids = [...new Set(await resolveDeadLetterIds(backend, given))];
  const letters = await Promise.all(ids.map((id) => backend.dlq.get(id)));
  const kept: string[] = [];
  const present: string[] = [];
  for (const letter of letters) {
    if (!letter) continue;
    const copy = { ...describeDeadLetter(letter), body: letter.body, attributes: letter.attributes, deletedAt: now };
    const { key } = await backend.artifacts.put(
      deletedDeadLetterKey(letter.messageId, now),
      JSON.stringify(copy, null, 2),
      "application/json",
    );
    kept.push(key);
    present.push(letter.messageId);
  }
  const result = present.length > 0 ? await backend.dlq.delete(present) : { deleted: [], notFound: [] };
  const missing = ids.filter((id) => !present.includes(id));
  return { deleted: result.deleted, notFound: [...missing, ...result.notFound], kept };
}
