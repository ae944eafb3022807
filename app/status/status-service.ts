import type { Backend } from "../../sdk/backend.js";
import type { StatusReport } from "./status-report.js";

export async function getStatus(backend: Backend): Promise<StatusReport> {
  const [depth, dlqDepth, counts, usage] = await Promise.all([
    backend.queue.depth(),
    backend.dlq.depth(),
    backend.tickets.counts(),
    backend.insights.modelUsage(),
  ]);
  return {
    backend: { kind: backend.kind, description: backend.description },
    queue: { name: backend.queue.name, ...depth },
    dlq: { name: backend.dlq.name, depth: dlqDepth },
    tickets: counts,
    modelUsage: usage,
  };
}
