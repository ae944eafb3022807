import type { ArtifactStore } from "../../sdk/ports/artifacts.js";
import type { ErasureSubject } from "../../sdk/ports/personal-data.js";
import {
  isSubjectsItem,
  mentionPattern,
  REDACTED,
  redactedItem,
  redactMentions,
} from "../../sdk/store/personal-data-redaction.js";
import { DELETED_DEAD_LETTERS_PREFIX } from "../dlq/dlq-service.js";

/** Where upload reports live (`uploads/<bucket>/<key>.report.json`): a rejected row's message may quote a value. */
export const UPLOAD_REPORTS_PREFIX = "uploads/";

type Json = Record<string, unknown>;

/**
 * Finds the artifacts naming the person and (unless a dry run) rewrites each in place without their data:
 * a kept copy of a deleted dead letter of their own item keeps only what statistics read (as their stored
 * items do), any other copy or upload report has the occurrences redacted. Returns the keys rewritten (or
 * that would be). Only JSON artifacts under these prefixes are read: nothing else the product writes holds
 * feedback.
 */
export async function eraseFromArtifacts(
  artifacts: ArtifactStore,
  subject: ErasureSubject,
  options: { dryRun: boolean; requestId: string },
): Promise<string[]> {
  const pattern = mentionPattern(subject);
  const changed: string[] = [];
  for (const prefix of [DELETED_DEAD_LETTERS_PREFIX, UPLOAD_REPORTS_PREFIX]) {
    for (const key of (await artifacts.list(prefix)).filter((k) => k.endsWith(".json"))) {
      const stored = await readJson(artifacts, key);
      if (!stored) continue;
      const own = prefix === DELETED_DEAD_LETTERS_PREFIX && isSubjectsItem(itemOf(stored), subject);
      const mentions = redactMentions(stored, pattern);
      if (!own && !mentions.changed) continue;
      changed.push(key);
      if (options.dryRun) continue;
      const rewritten = own ? withoutTheirItem(mentions.value, options.requestId) : mentions.value;
      await artifacts.put(key, JSON.stringify(rewritten, null, 2), "application/json");
    }
  }
  return changed;
}

async function readJson(artifacts: ArtifactStore, key: string): Promise<Json | null> {
  const bytes = await artifacts.get(key);
  if (!bytes) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null; // not one of the product's JSON artifacts: nothing of theirs the product put there
  }
}

function itemOf(copy: Json): unknown {
  const body = copy.body;
  return body && typeof body === "object" ? (body as Json).item : undefined;
}

/**
 * A dead letter copy of their own item: the item as their stored items are redacted, no text preview, and no
 * last error (an agent's error may quote the item's text, which names them in other words).
 */
function withoutTheirItem(copy: Json, requestId: string): Json {
  const body = copy.body as Json;
  return {
    ...copy,
    preview: REDACTED,
    lastError: typeof copy.lastError === "string" ? REDACTED : copy.lastError,
    body: { ...body, item: redactedItem(body.item as Json, requestId) },
  };
}
