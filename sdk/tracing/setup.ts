import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { AWSXRayIdGenerator } from "@opentelemetry/id-generator-aws-xray";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { TracingConfig } from "../config/runtime.js";

export interface Tracing {
  readonly enabled: boolean;
  /** Sends the spans still buffered (a Lambda calls it before its invocation returns: the sandbox freezes after). */
  flush(): Promise<void>;
  /** Flushes and unregisters the provider; tracing is off again afterwards. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, flush: async () => {}, shutdown: async () => {} };

export interface StartTracingOptions {
  /** The service the spans belong to (worker, dashboard, webhook-lambda, ...), unless OTEL_SERVICE_NAME names one. */
  service: string;
  /**
   * Where spans go instead of OTLP, each span exported as it ends (tests: an InMemorySpanExporter). Given an
   * exporter, tracing starts whatever the configuration says.
   */
  exporter?: SpanExporter;
}

/**
 * Registers the process's tracer provider once, at an entry point, from the parsed configuration: spans batched to
 * the OTLP/HTTP endpoint (the ADOT collector beside the task, or the ADOT Lambda layer's on localhost:4318, which
 * export to X-Ray), trace ids in X-Ray's format, W3C trace context propagation. When tracing is off nothing is
 * registered and every span in the code is a no-op.
 */
export function startTracing(config: TracingConfig, options: StartTracingOptions): Tracing {
  let processor: SpanProcessor;
  if (options.exporter) processor = new SimpleSpanProcessor(options.exporter);
  else if (config.enabled)
    processor = new BatchSpanProcessor(
      new OTLPTraceExporter({ url: `${config.endpoint.replace(/\/+$/, "")}/v1/traces` }),
    );
  else return OFF;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.serviceName ?? options.service }),
    idGenerator: new AWSXRayIdGenerator(),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
