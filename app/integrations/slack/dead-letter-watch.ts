import { setTimeout as sleep } from "node:timers/promises";
import type { IntegrationOutbox } from "../../../sdk/ports/integrations.js";
import type { DeadLetterQueue } from "../../../sdk/ports/queue.js";
import type { PostResult } from "../deliver.js";
import type { SecretResolver } from "../secrets.js";
import type { SlackAlerts } from "./slack-alerts.js";

export interface DeadLetterWatchOptions {
  dlq: DeadLetterQueue;
  outbox: IntegrationOutbox;
  alerts: SlackAlerts;
  secrets: SecretResolver;
  /** How often the depth is read; default a minute. */
  everyMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  onError: (error: unknown) => void;
}

/** One look: the DLQ's depth, checked against each enabled Slack destination's threshold. */
export async function checkDeadLetterGrowth(
  options: Omit<DeadLetterWatchOptions, "everyMs" | "onError">,
): Promise<PostResult[]> {
  const slack = (await options.outbox.destinations()).filter((d) => d.kind === "slack" && d.enabled);
  if (slack.length === 0) return [];
  const dlq = { name: options.dlq.name, depth: await options.dlq.depth() };
  const results = await Promise.all(
    slack.map(async (destination) =>
      options.alerts.checkDeadLetters(destination, dlq, {
        secret: await options.secrets(destination.secretRef),
        outbox: options.outbox,
        fetch: options.fetch ?? fetch,
        timeoutMs: options.timeoutMs ?? 10_000,
        now: options.now ?? (() => new Date()),
      }),
    ),
  );
  return results.filter((r): r is PostResult => r !== null);
}

/** Watches the dead-letter queue beside the worker until `signal` aborts; a failed look is reported and retried. */
export async function watchDeadLetters(options: DeadLetterWatchOptions & { signal: AbortSignal }): Promise<void> {
  while (!options.signal.aborted) {
    try {
      for (const result of await checkDeadLetterGrowth(options)) {
        if ("error" in result) options.onError(new Error(`Slack DLQ alert: ${result.error}`));
        else if ("status" in result && result.status >= 300)
          options.onError(new Error(`Slack DLQ alert: HTTP ${result.status}`));
      }
    } catch (error) {
      options.onError(error);
    }
    await sleep(options.everyMs ?? 60_000, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
