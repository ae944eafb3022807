import type { Backend } from "../../sdk/backend.js";
import { type RuntimeConfig, showRuntimeConfig } from "../../sdk/config/runtime.js";
import { groupingSettings } from "../grouping/grouping-stage.js";
import type { StatusReport } from "./status-report.js";

/** What `feedback-cli status` reports, with the configuration the command ran with (secrets redacted). */
export async function getStatus(backend: Backend, config: RuntimeConfig): Promise<StatusReport> {
  const [depth, dlqDepth, counts, usage, routing, grouping, settings] = await Promise.all([
    backend.queue.depth(),
    backend.dlq.depth(),
    backend.tickets.counts(),
    backend.insights.modelUsage(),
    backend.insights.crewRouting(),
    backend.grouping.status(),
    groupingSettings(backend.configuration),
  ]);
  return {
    backend: { kind: backend.kind, description: backend.description },
    queue: { name: backend.queue.name, ...depth },
    dlq: { name: backend.dlq.name, depth: dlqDepth },
    tickets: counts,
    modelUsage: usage,
    routing: routing.items > 0 ? routing : null,
    grouping: { enabled: settings.enabled, ...grouping },
    configuration: showRuntimeConfig(config),
  };
}
