import type { MessageQueue, ReceivedMessage } from "../../sdk/ports/queue.js";

/**
 * Extends the visibility of messages being worked on at half the timeout, as an SQS heartbeat would.
 * `stop()` waits for extensions already sent, so that a release made afterwards is never overtaken.
 */
export function startHeartbeat(
  queue: MessageQueue,
  messages: readonly ReceivedMessage[],
  visibilitySeconds: number,
): { stop: () => Promise<void> } {
  const pending = new Set<Promise<void>>();
  const timer = setInterval(
    () => {
      for (const message of messages) {
        const extension = queue.changeVisibility(message.receiptHandle, visibilitySeconds).catch(() => undefined);
        pending.add(extension);
        extension.finally(() => pending.delete(extension));
      }
    },
    (visibilitySeconds * 1000) / 2,
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}
