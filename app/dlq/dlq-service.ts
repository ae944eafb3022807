import type { Backend } from "../../sdk/backend.js";
import { ValidationError } from "../../sdk/errors.js";
import type { DeadLetter } from "../../sdk/ports/queue.js";
import { QueueMessageBody } from "../../sdk/schemas/events.js";
import type { DeadLetterView } from "./dead-letter-views.js";

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

export async function replayDeadLetters(
  backend: Backend,
  options: { ids?: string[]; all?: boolean; dryRun?: boolean },
): Promise<{ dryRun: boolean; moved: string[]; notFound: string[] }> {
  const ids = options.ids ?? [];
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
