import { setTimeout as sleep } from "node:timers/promises";
import type {
  ClaimedDelivery,
  DestinationKind,
  IntegrationDestination,
  IntegrationOutbox,
} from "../../sdk/ports/integrations.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./backoff.js";
import { type Deliverer, outcomeOf, type PostResult, webhookDeliverer } from "./deliver.js";
import { type SecretResolver, secretResolver } from "./secrets.js";

export interface DeliveryLoopOptions {
  outbox: IntegrationOutbox;
  policy?: RetryPolicy;
  /** Deliveries claimed per pass. */
  batchSize?: number;
  /** How long a claimed delivery stays leased: past it, a delivery whose process died is due again. */
  leaseMs?: number;
  timeoutMs?: number;
  /** Pause when nothing was due. */
  idleMs?: number;
  fetch?: typeof fetch;
  /** Reads a destination's secret from its reference; default: "env:NAME" in `env`, "file:/path". */
  secrets?: SecretResolver;
  /** The environment "env:NAME" references read when no `secrets` is given (the entry point's, parsed once). */
  env?: Readonly<Record<string, string | undefined>>;
  /** How each kind of destination is delivered to; webhooks are built in. */
  deliverers?: Partial<Record<DestinationKind, Deliverer>>;
  now?: () => Date;
}

const DEFAULTS = { batchSize: 20, timeoutMs: 10_000, idleMs: 1_000 };

/** A lease outlasts the request's timeout with room to record the outcome; past it the delivery is due again. */
const LEASE_PER_TIMEOUT = 3;

/** One pass: claims the due deliveries, POSTs each and records how it went. Returns how many it attempted. */
export async function deliverDue(options: DeliveryLoopOptions): Promise<number> {
  const { outbox, policy = DEFAULT_RETRY_POLICY, now = () => new Date() } = options;
  const leaseMs = options.leaseMs ?? LEASE_PER_TIMEOUT * (options.timeoutMs ?? DEFAULTS.timeoutMs);
  const claimed = await outbox.claimDue({ limit: options.batchSize ?? DEFAULTS.batchSize, leaseMs });
  if (claimed.length === 0) return 0;
  const destinations = new Map((await outbox.destinations()).map((d) => [d.name, d]));
  const secrets = new Map<string, Promise<string>>();
  const resolve = options.secrets ?? secretResolver(options.env ?? {});
  const read = (ref: string) => {
    if (!secrets.has(ref)) secrets.set(ref, resolve(ref));
    return secrets.get(ref)!;
  };
  await Promise.all(
    claimed.map(async (delivery) => {
      const destination = destinations.get(delivery.destination);
      const result = await attempt(delivery, destination, read, options);
      await outbox.record(delivery.id, outcomeOf(result, delivery.attempts, policy, now()));
    }),
  );
  return claimed.length;
}

async function attempt(
  delivery: ClaimedDelivery,
  destination: IntegrationDestination | undefined,
  readSecret: SecretResolver,
  options: DeliveryLoopOptions,
): Promise<PostResult> {
  if (!destination?.enabled) return { error: `destination ${delivery.destination} is disabled` };
  const deliverer = destination.kind === "webhook" ? webhookDeliverer : options.deliverers?.[destination.kind];
  if (!deliverer) {
    return { error: `this worker cannot deliver to ${destination.kind} destinations`, permanent: true };
  }
  let secret: string;
  try {
    secret = await readSecret(destination.secretRef);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  return deliverer(delivery, destination, {
    secret,
    outbox: options.outbox,
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    now: options.now ?? (() => new Date()),
  });
}

/** Delivers until `signal` aborts: passes back to back while work is due, a pause when none is. */
export async function runDeliveryLoop(
  options: DeliveryLoopOptions & { signal: AbortSignal; onError?: (error: unknown) => void },
): Promise<void> {
  const idleMs = options.idleMs ?? DEFAULTS.idleMs;
  while (!options.signal.aborted) {
    let attempted = 0;
    try {
      attempted = await deliverDue(options);
    } catch (error) {
      options.onError?.(error);
    }
    if (attempted === 0) await sleep(idleMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** Whether any destination is enabled: the loop delivers only then. */
export async function hasEnabledDestination(outbox: IntegrationOutbox): Promise<boolean> {
  return (await outbox.destinations()).some((d) => d.enabled);
}

/**
 * The loop beside the worker. While no destination is enabled it only looks again every `recheckMs` (one small
 * query), so a destination added while the worker runs is served without a restart. Resolves when `signal` aborts
 * and the pass in hand has been recorded.
 */
export async function startDeliveryLoop(
  outbox: IntegrationOutbox,
  options: { signal: AbortSignal; onError: (error: unknown) => void; recheckMs?: number } & Omit<
    DeliveryLoopOptions,
    "outbox"
  >,
): Promise<void> {
  while (!options.signal.aborted && !(await enabled(outbox, options.onError))) {
    await sleep(options.recheckMs ?? 30_000, undefined, { signal: options.signal }).catch(() => undefined);
  }
  await runDeliveryLoop({ ...options, outbox });
}

async function enabled(outbox: IntegrationOutbox, onError: (error: unknown) => void): Promise<boolean> {
  try {
    return await hasEnabledDestination(outbox);
  } catch (error) {
    onError(error);
    return false;
  }
}
