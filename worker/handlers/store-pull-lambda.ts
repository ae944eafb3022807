import { pullSources } from "../../app/pulls/pull-service.js";
import { type PullSummaryJson, pullSummaryJson } from "../../app/pulls/pull-summary.js";
import type { Backend } from "../../sdk/backend.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { createLog, type LogFn } from "../../sdk/log.js";
import { openBackend } from "../../sdk/open-backend.js";
import { storeKeysFromSecret } from "../../sdk/stores/store-keys-secret.js";
import { startTracing } from "../../sdk/tracing/setup.js";
import { oncePerContainer, secretReader, traced } from "./aws-runtime.js";

export interface StorePullDeps {
  backend: Backend;
  /** Where sources that name a variable read their key: the store keys secret. */
  keys: Readonly<Record<string, string | undefined>>;
  log: LogFn;
}

/** Pages per source per run: a first pull of a large app spreads over several runs instead of one long one. */
export const PAGES_PER_RUN = 50;

/**
 * The scheduled pull (EventBridge Scheduler): every configured source, through the same use case as
 * `feedback-cli pull`. A source that fails is logged and left for the next run, which resumes from its cursor; the
 * invocation itself fails only when the stack cannot be reached, so the scheduler's retry is kept for that.
 */
export function createStorePullLambda(
  deps: () => Promise<StorePullDeps>,
): (event: unknown) => Promise<PullSummaryJson> {
  return async () => {
    const { backend, keys, log } = await deps();
    const summary = pullSummaryJson(await pullSources(backend, { connector: { env: keys }, maxPages: PAGES_PER_RUN }));
    for (const source of summary.sources) {
      if (source.error) log("error", "store.pull.failed", { source: source.source, ...source.error });
    }
    log("info", "store.pull", summary.totals);
    return summary;
  };
}

// Parsed once per container, at load: a malformed variable fails the function's init with its name.
const config = loadRuntimeConfig(process.env);
const tracing = startTracing(config.tracing, { service: "store-pull-lambda" });
// The backend is kept for the container's later invocations; the keys are read each run (the reader caches them
// for minutes), so a rotated key is picked up without a cold start.
const backend = oncePerContainer(() => openBackend({ config }));

export const handler = traced(
  tracing,
  "store.pull",
  createStorePullLambda(async () => {
    const secret = config.aws.settings.storeKeysSecretArn;
    const keys = secret ? storeKeysFromSecret(await secretReader(config.aws).read(secret), secret) : {};
    return { backend: await backend(), keys, log: createLog(config.log.level) };
  }),
);
