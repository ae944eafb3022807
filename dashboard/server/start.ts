import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { integrationSecretStore, secretResolver } from "../../app/integrations/secrets.js";
import { runWorkerService } from "../../app/worker/worker-service.js";
import type { Backend } from "../../sdk/backend.js";
import type { DashboardConfig, RuntimeConfig } from "../../sdk/config/runtime.js";
import { ConfigurationError } from "../../sdk/errors.js";
import type { LogFn } from "../../sdk/log.js";
import { openBackend } from "../../sdk/open-backend.js";
import { AlbTokenVerifier, type KeyFetcher } from "./alb-jwt.js";
import { createDashboardApp } from "./app.js";
import { type Assets, loadAssets } from "./assets.js";
import { AggregateCache } from "./cache.js";
import type { AuthConfig, DashboardEnv } from "./security.js";
import { type DashboardContext, overviewStatsCached } from "./services.js";

export interface DashboardOptions {
  /** The runtime configuration: backend, agents of the in-process worker, authentication settings. */
  config: RuntimeConfig;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** "none" (loopback only) or "alb"; default the configured one (DASHBOARD_AUTH, else alb in AWS mode). */
  auth?: string;
  /** An open backend to use (not closed by the dashboard); default: openBackend with the configuration. */
  backend?: Backend;
  /** Run the worker in this process when it owns the embedded database (default true). */
  worker?: boolean;
  /** Folder the Quality page may read labels from by path; null (default) allows uploads only. */
  evalRoot?: string | null;
  /** Freshness of the overview/analytics aggregates, ms (default 5000; 0 computes on every request). */
  cacheTtlMs?: number;
  /** ALB mode: how public keys are fetched (tests inject keys). */
  albKeyFetcher?: KeyFetcher;
  assets?: Assets;
  log?: (line: string) => void;
  /** The in-process worker's log (default: JSON lines at info); the entry point picks human lines on a terminal. */
  workerLog?: LogFn;
}

export interface RunningDashboard {
  url: string;
  host: string;
  port: number;
  backend: Backend;
  app: Hono<DashboardEnv>;
  workerInProcess: boolean;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The authentication the dashboard runs with. Refuses to serve a non-loopback address without any, or with
 * ALB authentication that does not name its load balancer: every ALB in the region signs tokens with the
 * region's keys, so without DASHBOARD_ALB_ARN a token from anyone else's load balancer would be accepted.
 */
export function resolveAuth(options: {
  auth?: string;
  host: string;
  config: DashboardConfig;
  albKeyFetcher?: KeyFetcher;
  localActor?: string;
}): AuthConfig {
  const { config } = options;
  const mode = options.auth || config.auth;
  if (mode === "none") {
    if (!isLoopback(options.host)) {
      throw new ConfigurationError(`Refusing to serve the dashboard on ${options.host} without authentication`, {
        hint: "Bind 127.0.0.1 (the default), or run it behind an ALB that signs users in and set DASHBOARD_AUTH=alb (--auth alb).",
      });
    }
    return { mode: "none", actor: options.localActor ?? `${config.localUser}@localhost` };
  }
  if (mode === "alb") {
    const region = config.albRegion;
    if (!region) {
      throw new ConfigurationError("ALB authentication needs the load balancer's region", {
        hint: "Set AWS_REGION (or DASHBOARD_ALB_REGION).",
      });
    }
    if (!config.albArn && !isLoopback(options.host)) {
      throw new ConfigurationError(
        `Refusing to serve the dashboard on ${options.host} with ALB authentication but no DASHBOARD_ALB_ARN`,
        {
          hint:
            "Set DASHBOARD_ALB_ARN to the ARN of the load balancer in front of the dashboard " +
            "(arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>; " +
            "`aws elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn'` lists them), " +
            "so that only its identity tokens are accepted. The Pulumi program sets it on the dashboard's task.",
        },
      );
    }
    return {
      mode: "alb",
      verifier: new AlbTokenVerifier({
        region,
        expectedSigner: config.albArn ?? undefined,
        fetchKey: options.albKeyFetcher,
      }),
    };
  }
  throw new ConfigurationError(`Unknown dashboard authentication '${mode}'`, {
    hint: "Use DASHBOARD_AUTH=alb, or none on 127.0.0.1.",
  });
}

/**
 * Starts the dashboard: opens the backend (unless given), runs the worker in-process when this process
 * owns the embedded database, and serves the pages and the JSON API.
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { config } = options;
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8080;
  const log = options.log ?? ((line: string) => console.error(line));
  const auth = resolveAuth({
    auth: options.auth,
    host,
    config: config.dashboard,
    albKeyFetcher: options.albKeyFetcher,
  });
  if (auth.mode === "alb" && !config.dashboard.albArn)
    log(
      "dashboard: DASHBOARD_ALB_ARN is not set; on this loopback address tokens from any load balancer in the region are accepted.",
    );
  const assets = options.assets ?? loadAssets();
  const ownsBackend = !options.backend;
  const backend = options.backend ?? (await openBackend({ config }));

  const controller = new AbortController();
  const runWorker = (options.worker ?? true) && backend.isOwner;
  let workerDone: Promise<void> = Promise.resolve();
  const secrets = secretResolver(config.credentialEnv, await integrationSecretStore(config.aws));
  const ctx: DashboardContext = {
    backend,
    secrets,
    cache: new AggregateCache(options.cacheTtlMs ?? 5000, 30_000),
    workerInProcess: runWorker,
    evalRoot: options.evalRoot ?? null,
    agentsConfig: config.agents,
  };
  const app = createDashboardApp({ ctx, auth, assets, trustProxy: auth.mode === "alb" });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host, port }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    if (ownsBackend) await backend.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(`Cannot listen on ${host}:${port}: ${(error as Error).message}`, {
      cause: error,
      hint: code === "EADDRINUSE" ? "Another program uses that port: pick another with --port." : undefined,
    });
  }
  void overviewStatsCached(ctx).catch(() => undefined);
  if (runWorker) {
    workerDone = (async () => {
      while (!controller.signal.aborted) {
        try {
          await runWorkerService(backend, {
            signal: controller.signal,
            waitTimeMs: 500,
            agentsConfig: config.agents,
            secrets,
            log: options.workerLog,
          });
        } catch (error) {
          if (controller.signal.aborted) break;
          log(`dashboard: worker stopped on an error, restarting in 5 s: ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, 5000));
        }
      }
    })();
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}`,
    host: address.address,
    port: address.port,
    backend,
    app,
    workerInProcess: runWorker,
    close() {
      closing ??= (async () => {
        controller.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        await workerDone;
        if (ownsBackend) await backend.close();
      })();
      return closing;
    },
  };
}
