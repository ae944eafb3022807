import { setTimeout as delay } from "node:timers/promises";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { ConfigurationError } from "../errors.js";
import { GatedQueryQueue } from "./gated-query-queue.js";
import type { SessionGate } from "./session-gate.js";

const SETTLE_WITHIN_MS = 2_000;

/** Connections the owner accepts; every other process's pool (max 1 each) takes one. */
export const DEFAULT_MAX_CONNECTIONS = 16;

export interface EmbeddedSocketServer {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  /** Connections currently open. */
  connections(): number;
  /**
   * Stops listening and closes every connection, rolling back their open transactions. Waits first, up
   * to `waitForClientsMs`, for connected clients to disconnect by themselves.
   */
  stop(options?: { waitForClientsMs?: number }): Promise<void>;
}

export interface SocketServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxConnections?: number;
  /** Closes a connection idle this long (ms, 0 = never). */
  idleTimeout?: number;
}

const QUEUE_METHODS = ["enqueue", "clearQueueForHandler", "clearTransactionIfNeeded", "getQueueLength"] as const;

/**
 * Swaps pglite-socket's private query queue for the gated one. This relies on internals of
 * @electric-sql/pglite-socket 0.2.17 (a `queryQueue` field read by each new connection's handler);
 * both it and @electric-sql/pglite are pinned exactly, and test/sdk/db/socket-server.test.ts pins the behaviour.
 */
export function installGatedQueue(server: PGLiteSocketServer, queue: GatedQueryQueue): void {
  const internals = server as unknown as { queryQueue?: Record<string, unknown> };
  const original = internals.queryQueue;
  if (!original || QUEUE_METHODS.some((name) => typeof original[name] !== "function")) {
    throw new ConfigurationError("@electric-sql/pglite-socket no longer has the query queue this package replaces", {
      hint: "Install the exact @electric-sql/pglite-socket version that feedback-triage pins (0.2.17).",
    });
  }
  internals.queryQueue = queue as unknown as Record<string, unknown>;
}

/**
 * Serves the in-process PGlite to other processes over the Postgres wire protocol on 127.0.0.1.
 * Socket clients and in-process callers take turns through `gate`.
 */
export async function startSocketServer(
  db: PGlite,
  gate: SessionGate,
  options: SocketServerOptions = {},
): Promise<EmbeddedSocketServer> {
  const host = options.host ?? "127.0.0.1";
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    maxConnections,
    idleTimeout: options.idleTimeout ?? 0,
  });
  const queue = new GatedQueryQueue(db, gate);
  installGatedQueue(server, queue);
  let port = 0;
  server.addEventListener("listening", (event) => {
    port = (event as CustomEvent<{ port: number }>).detail.port;
  });
  await server.start();
  const connections = () => server.getStats().activeConnections;
  return {
    host,
    port,
    maxConnections,
    connections,
    async stop({ waitForClientsMs = 0 } = {}) {
      const deadline = Date.now() + waitForClientsMs;
      while (connections() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await server.stop();
      // Rolling back what disconnected clients left open is best effort: PGlite's close discards it anyway,
      // so a cleanup that cannot finish must not keep the owner (and its command) from exiting.
      await Promise.race([queue.settled(), delay(SETTLE_WITHIN_MS)]);
    },
  };
}
