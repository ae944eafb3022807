import type { Backend } from "../../sdk/backend.js";
import type { StatusJson } from "../output-schemas.js";

export async function getStatus(backend: Backend): Promise<StatusJson> {
  const [depth, dlqDepth, counts] = await Promise.all([
    backend.queue.depth(),
    backend.dlq.depth(),
    backend.tickets.counts(),
  ]);
  return {
    backend: { kind: backend.kind, description: backend.description },
    queue: { name: backend.queue.name, ...depth },
    dlq: { name: backend.dlq.name, depth: dlqDepth },
    tickets: counts,
  };
}
