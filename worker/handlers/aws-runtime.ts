import { type AwsClients, createAwsClients } from "../../sdk/aws/clients.js";
import { type AwsSettingKey, type AwsSettings, requireAwsSettings } from "../../sdk/aws/config.js";
import { SecretReader } from "../../sdk/aws/secrets.js";
import type { AwsConfig } from "../../sdk/config/runtime.js";
import type { Tracing } from "../../sdk/tracing/setup.js";
import { inSpan, SpanKind, type TraceContext } from "../../sdk/tracing/tracing.js";

/**
 * What the Lambda handlers share per container: one client per service, created on first use and
 * reused by warm invocations, for the settings each handler parsed from its environment at load.
 * No client is created at import time, so the handlers bundle and load cleanly.
 */
let clients: AwsClients | undefined;
let secrets: SecretReader | undefined;

export function awsClients(aws: AwsConfig): AwsClients {
  clients ??= createAwsClients(aws);
  return clients;
}

export function secretReader(aws: AwsConfig): SecretReader {
  secrets ??= new SecretReader(awsClients(aws).secrets);
  return secrets;
}

/** The settings `keys`, or a ConfigurationError naming each missing one and how to set it. */
export function awsSettings<K extends AwsSettingKey>(
  aws: AwsConfig,
  keys: readonly K[],
): Required<Pick<AwsSettings, K>> & AwsSettings {
  return { ...aws.settings, ...requireAwsSettings(aws.settings, keys) };
}

/**
 * `handler` in a span per invocation (`name`, continuing `parentOf(event)`'s trace when given), with the spans
 * flushed before the invocation returns: Lambda freezes the sandbox after it, so a batch left waiting would leave late.
 */
export function traced<E, R>(
  tracing: Tracing,
  name: string,
  handler: (event: E) => Promise<R>,
  parentOf?: (event: E) => TraceContext,
): (event: E) => Promise<R> {
  if (!tracing.enabled) return handler;
  return async (event) => {
    try {
      return await inSpan(name, { kind: SpanKind.SERVER, parent: parentOf?.(event) }, () => handler(event));
    } finally {
      await tracing.flush().catch(() => undefined);
    }
  };
}

/**
 * `build` run once per container and its promise shared by warm invocations; a rejection is forgotten, so the next
 * invocation builds again (a secret or a database briefly out of reach must not poison the container).
 */
export function oncePerContainer<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      const attempt = build();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
