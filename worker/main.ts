import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { integrationSecretStore, secretResolver } from "../app/integrations/secrets.js";
import { describeError } from "../app/worker/describe-error.js";
import { runWorker, type WorkerTotals } from "../app/worker/run-worker.js";
import { pipelineDeps, startBesideStages } from "../app/worker/worker-service.js";
import type { Backend } from "../sdk/backend.js";
import { loadRuntimeConfig, type RuntimeConfig, showRuntimeConfig } from "../sdk/config/runtime.js";
import { createLog, log as defaultLog, type LogFn } from "../sdk/log.js";
import { openBackend } from "../sdk/open-backend.js";
import type { TriageAgents } from "../sdk/ports/agents.js";
import type {
  BatchResult,
  MessageQueue,
  QueueDepth,
  ReceivedMessage,
  ReceiveOptions,
  SendEntry,
} from "../sdk/ports/queue.js";
import { startTracing, type Tracing } from "../sdk/tracing/setup.js";

/**
 * The worker's entry point in its container (Fargate: `node dist/worker/main.js`):
 * - opens the configured backend (FEEDBACK_BACKEND=aws: SQS, DynamoDB metrics, RDS tickets);
 * - long-polls the queue through runWorker (20 s waits; visibility heartbeat at half the timeout), with e-mail
 *   threads attached, duplicates grouped (when configured) and integrations delivered beside it;
 * - serves GET /health on FEEDBACK_HEALTH_PORT / PORT (default 8080) for the container health check:
 *   200 while the loop is alive and has polled recently, 503 while starting, stopping or stuck;
 * - on SIGTERM/SIGINT stops receiving (an in-progress long poll is cut short), lets the batch in hand
 *   finish, and releases what is still in flight (visible again at once) if that takes longer than the
 *   grace period (FEEDBACK_SHUTDOWN_GRACE_MS, default 90 s; keep it under the task's stopTimeout).
 * Settings: FEEDBACK_TRIAGE_AGENTS, FEEDBACK_WORKER_BATCH_SIZE (default 10), FEEDBACK_VISIBILITY_TIMEOUT
 * (default 300 s), FEEDBACK_WORKER_WAIT_MS (default 20,000).
 */
export interface WorkerMainOptions {
  /** The runtime configuration (main() parses it from the environment). */
  config: RuntimeConfig;
  /** Default: openBackend({ role: "owner" }). */
  openBackend?: () => Promise<Backend>;
  /** Default: FEEDBACK_TRIAGE_AGENTS, else the stored agents.mode, else hybrid with ANTHROPIC_API_KEY, offline without. */
  agents?: TriageAgents;
  /** 0 = any free port (tests). */
  healthPort?: number;
  /** Default: JSON lines at the configured level (FEEDBACK_LOG_LEVEL). */
  log?: LogFn;
}

export interface WorkerMain {
  readonly healthPort: number;
  /** Resolves with the totals once the loop has stopped and everything is closed. */
  readonly done: Promise<WorkerTotals>;
  /** Graceful stop (what SIGTERM does). */
  stop(reason?: string): Promise<WorkerTotals>;
}

type State = "starting" | "running" | "stopping" | "stopped" | "failed";

export async function startWorkerMain(options: WorkerMainOptions): Promise<WorkerMain> {
  const { config } = options;
  const log = options.log ?? createLog(config.log.level);
  const { batchSize, waitTimeMs, shutdownGraceMs: graceMs } = config.worker;
  const visibility = config.worker.visibilityTimeoutSeconds;
  let state: State = "starting";
  let lastPoll = Date.now();
  let batches = 0;
  let failure: string | null = null;

  const health = createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/health") {
      res.writeHead(404).end();
      return;
    }
    const stuckFor = Date.now() - lastPoll;
    const healthy = state === "running" && stuckFor < (visibility + waitTimeMs / 1000 + 60) * 1000;
    res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: healthy ? "ok" : state, batches, lastPollMsAgo: stuckFor, error: failure }));
  });
  const port = options.healthPort ?? config.worker.healthPort;
  await new Promise<void>((resolve, reject) => {
    health.once("error", reject);
    health.listen(port, config.worker.healthHost, resolve);
  });
  const healthPort = (health.address() as AddressInfo).port;

  let backend: Backend;
  try {
    backend = await (options.openBackend ?? (() => openBackend({ config, role: "owner" })))();
  } catch (error) {
    await closeServer(health);
    throw error;
  }
  const deps = await pipelineDeps(backend, config.agents, { agents: options.agents, log });
  const queue = new InFlightQueue(deps.queue, () => {
    lastPoll = Date.now();
  });
  const controller = new AbortController();
  state = "running";
  log("info", "worker.started", {
    backend: backend.description,
    queue: backend.queue.name,
    batchSize,
    visibility,
    healthPort,
    agents: deps.agents.name,
    configuration: showRuntimeConfig(config),
  });

  // Threads, duplicate grouping and outbound integrations run here as in the CLI's worker.
  const stages = startBesideStages(backend, {
    signal: controller.signal,
    log,
    secrets: secretResolver(config.credentialEnv, await integrationSecretStore(config.aws)),
  });
  const loop = runWorker(
    { ...deps, queue },
    {
      batchSize,
      waitTimeMs,
      visibilityTimeoutSeconds: visibility,
      signal: controller.signal,
      onBatch: (outcome) => {
        batches += 1;
        lastPoll = Date.now();
        log("info", "worker.batch", {
          created: outcome.created,
          duplicates: outcome.duplicates,
          failed: outcome.failed.length,
          lateWrites: outcome.lateWrites,
        });
      },
    },
  );

  let stopping: Promise<WorkerTotals> | undefined;
  const empty: WorkerTotals = { received: 0, created: 0, duplicates: 0, failed: 0, lateWrites: 0, batches: 0 };
  const finish = async (): Promise<WorkerTotals> => {
    let totals = empty;
    try {
      totals = await loop;
    } catch (error) {
      state = "failed";
      failure = describeError(error);
      log("error", "worker.failed", { error: failure });
    }
    await deps.agents.close?.();
    await stages
      .stop(state !== "failed")
      .catch((error: unknown) => log("error", "worker.stages_failed", { error: describeError(error) }));
    await queue.releaseInFlight(log);
    await backend
      .close()
      .catch((error: unknown) => log("error", "worker.close_failed", { error: describeError(error) }));
    await closeServer(health);
    if (state !== "failed") state = "stopped";
    log("info", "worker.stopped", { ...totals, state });
    if (state === "failed") throw new Error(failure ?? "worker failed");
    return totals;
  };
  const done = finish();
  done.catch(() => undefined);

  const stop = (reason = "stop requested"): Promise<WorkerTotals> => {
    if (stopping) return stopping;
    state = state === "failed" ? state : "stopping";
    log("info", "worker.stopping", { reason, inFlight: queue.inFlight.size, graceMs });
    controller.abort();
    backend.queue.interruptReceives();
    const grace = setTimeout(() => {
      log("warn", "worker.grace_expired", { inFlight: queue.inFlight.size });
      void queue.releaseInFlight(log);
    }, graceMs);
    grace.unref();
    stopping = done.finally(() => clearTimeout(grace));
    return stopping;
  };
  return { healthPort, done, stop };
}

/**
 * The queue as the loop sees it, remembering what is in flight (received, not yet deleted or
 * released) so a shutdown can make it visible again at once instead of after the visibility timeout.
 */
class InFlightQueue implements MessageQueue {
  readonly inFlight = new Set<string>();
  constructor(
    private readonly queue: MessageQueue,
    private readonly onPoll: () => void,
  ) {}

  get name(): string {
    return this.queue.name;
  }

  send(entries: readonly SendEntry[]): Promise<string[]> {
    return this.queue.send(entries);
  }

  async receive<TBody = unknown>(options?: ReceiveOptions): Promise<ReceivedMessage<TBody>[]> {
    const messages = await this.queue.receive<TBody>(options);
    this.onPoll();
    for (const message of messages) this.inFlight.add(message.receiptHandle);
    return messages;
  }

  async deleteBatch(receiptHandles: readonly string[]): Promise<BatchResult> {
    const result = await this.queue.deleteBatch(receiptHandles);
    for (const handle of receiptHandles) this.inFlight.delete(handle);
    return result;
  }

  async changeVisibility(receiptHandle: string, timeoutSeconds: number, lastError?: string): Promise<void> {
    try {
      await this.queue.changeVisibility(receiptHandle, timeoutSeconds, lastError);
    } finally {
      // A release (retry delay, or 0) hands the message back; a heartbeat keeps it ours.
      if (lastError !== undefined || timeoutSeconds === 0) this.inFlight.delete(receiptHandle);
    }
  }

  depth(): Promise<QueueDepth> {
    return this.queue.depth();
  }

  interruptReceives(): void {
    this.queue.interruptReceives();
  }

  async releaseInFlight(log: LogFn): Promise<void> {
    const handles = [...this.inFlight];
    this.inFlight.clear();
    if (handles.length === 0) return;
    const results = await Promise.allSettled(handles.map((handle) => this.queue.changeVisibility(handle, 0)));
    log("info", "worker.released", {
      messages: handles.length,
      failed: results.filter((r) => r.status === "rejected").length,
    });
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function main(): Promise<void> {
  let worker: WorkerMain;
  let tracing: Tracing | undefined;
  try {
    const config = loadRuntimeConfig(process.env);
    tracing = startTracing(config.tracing, { service: "worker" });
    worker = await startWorkerMain({ config });
  } catch (error) {
    defaultLog("error", "worker.start_failed", {
      error: describeError(error),
      hint: (error as { hint?: string }).hint,
    });
    process.exitCode = 1;
    return;
  }
  process.once("SIGTERM", () => void worker.stop("SIGTERM"));
  process.once("SIGINT", () => void worker.stop("SIGINT"));
  try {
    await worker.done;
  } catch {
    process.exitCode = 1;
  }
  // The spans of the last batches leave before the task stops.
  await tracing?.shutdown().catch(() => undefined);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
