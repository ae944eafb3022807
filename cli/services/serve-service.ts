import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { secretResolver } from "../../app/integrations/secrets.js";
import {
  handleTrackerWebhook,
  trackerEventsDestination,
  verifiableTrackerDestinations,
} from "../../app/integrations/trackers/tracker-webhooks.js";
import { BatchingPublisher } from "../../app/webhooks/batching-publisher.js";
import {
  DEFAULT_MAX_BODY_BYTES,
  handleWebhook,
  WEBHOOK_CHANNELS,
  type WebhookChannel,
  type WebhookDeps,
  type WebhookSecrets,
} from "../../app/webhooks/webhook.js";
import type { WorkerTotals } from "../../app/worker/run-worker.js";
import { runWorkerService } from "../../app/worker/worker-service.js";
import type { Backend } from "../../sdk/backend.js";
import type { RuntimeConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import { createLog, type LogFn, type LogFormat } from "../../sdk/log.js";

export interface ServeOptions {
  host: string;
  port: number;
  secrets: WebhookSecrets;
  /** Run the worker in this process (default true), so accepted items become tickets. */
  worker?: boolean;
  agents?: string;
  /** The configured crew (a --agents flag in `agents` wins) and log level. */
  config: Pick<RuntimeConfig, "agents" | "log" | "credentialEnv">;
  maxBodyBytes?: number;
  /** Default: JSON lines at the configured level. */
  log?: LogFn;
  /** JSON lines (default), or readable lines when a person watches a terminal. */
  logFormat?: LogFormat;
}

export interface RunningServe {
  url: string;
  host: string;
  port: number;
  enabled: WebhookChannel[];
  disabled: WebhookChannel[];
  /** Tracker destinations whose events are taken at /integrations/<name>/events (those with a webhook secret). */
  trackers: string[];
  /** Stops accepting, lets requests in progress finish, stops the worker after its batch. */
  close(): Promise<{ requests: Record<string, number>; worker: WorkerTotals | null }>;
}

/**
 * Throws a ConfigurationError naming the variables when no webhook could be verified at all: no feedback sender's
 * secret is set and no tracker destination has a webhook secret.
 */
export function requireSomethingToVerify(secrets: WebhookSecrets, trackers: readonly string[]): void {
  if (Object.values(secrets).some(Boolean) || trackers.length > 0) return;
  throw new ConfigurationError(
    "No webhook secret is set and no tracker destination has a webhookSecretRef, so no webhook could be verified",
    {
      hint: "Set FEEDBACK_WEBHOOK_SECRET_GENERIC (and/or FEEDBACK_WEBHOOK_SECRET_ZENDESK, FEEDBACK_WEBHOOK_SECRET_INTERCOM) to the secret the sender signs with, e.g. `export FEEDBACK_WEBHOOK_SECRET_GENERIC=$(openssl rand -hex 32)`; or give a tracker destination a webhookSecretRef for its status events (docs/integrations.md).",
    },
  );
}

/**
 * `feedback-cli serve`: the webhook endpoints (POST /webhooks/{zendesk,intercom,generic}) and a health
 * route (GET /health), and the trackers' webhooks for two-way status sync (POST /integrations/<destination>/events),
 * on a local HTTP server, publishing to the backend's bus (the embedded one
 * locally) with deliveries deduplicated in the `webhook_deliveries` table, and the worker running in
 * this process so accepted items become tickets.
 */
export async function startServe(backend: Backend, options: ServeOptions): Promise<RunningServe> {
  const trackers = await verifiableTrackerDestinations(backend);
  requireSomethingToVerify(options.secrets, trackers);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deps: WebhookDeps = {
    // Concurrent requests share one publish (one transaction on the embedded bus).
    bus: new BatchingPublisher(backend.bus),
    deliveries: backend.deliveries,
    secrets: options.secrets,
    maxBodyBytes,
    log: options.log ?? createLog(options.config.log.level, options.logFormat),
  };
  const enabled = WEBHOOK_CHANNELS.filter((c) => options.secrets[c]);
  const disabled = WEBHOOK_CHANNELS.filter((c) => !options.secrets[c]);
  const requests: Record<string, number> = {};
  const stop = new AbortController();
  let worker: Promise<WorkerTotals> | null = null;
  let workerError: unknown = null;
  if (options.worker !== false) {
    // The worker as `feedback-cli worker` runs it: e-mail threads attached, duplicates grouped when configured.
    worker = runWorkerService(backend, {
      agents: options.agents,
      agentsConfig: options.config.agents,
      secrets: secretResolver(options.config.credentialEnv),
      signal: stop.signal,
      waitTimeMs: 250,
      batchSize: 20,
      log: deps.log,
      onBatch: (outcome) =>
        deps.log?.("debug", "worker.batch", {
          created: outcome.created,
          duplicates: outcome.duplicates,
          failed: outcome.failed.length,
        }),
    });
    worker.catch((error: unknown) => {
      workerError = error;
    });
  }

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { error: "internal", message: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (path === "/health") {
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "method_not_allowed" });
      const healthy = workerError === null && !stop.signal.aborted;
      return send(res, healthy ? 200 : 503, {
        status: healthy ? "ok" : "unhealthy",
        backend: backend.description,
        webhooks: enabled.map((c) => `/webhooks/${c}`),
        worker: worker ? (workerError ? `failed: ${(workerError as Error).message}` : "running") : "off",
      });
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === null) {
      res.setHeader("connection", "close");
      return send(res, 413, { error: "payload_too_large", message: `The body is larger than ${maxBodyBytes} bytes` });
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    const tracker = trackerEventsDestination(path);
    if (tracker && req.method === "POST") {
      const answer = await handleTrackerWebhook(
        { backend, secrets: secretResolver(options.config.credentialEnv) },
        {
          destination: tracker,
          headers,
          body,
        },
      );
      requests[String(answer.statusCode)] = (requests[String(answer.statusCode)] ?? 0) + 1;
      return send(res, answer.statusCode, answer.body);
    }
    const response = await handleWebhook(deps, { method: req.method ?? "GET", path, headers, body });
    requests[String(response.statusCode)] = (requests[String(response.statusCode)] ?? 0) + 1;
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new ConfigurationError(`Port ${options.port} on ${options.host} is in use`, {
              hint: "Pick another with --port (0 = any free port).",
            })
          : error,
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    host: address.address,
    port: address.port,
    enabled,
    disabled,
    trackers,
    close: async () => {
      stop.abort();
      await closeServer(server);
      const totals = worker ? await worker.catch(() => null) : null;
      return { requests, worker: totals };
    },
  };
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** The whole body, or null as soon as it exceeds `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}
