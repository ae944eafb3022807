import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/**
 * The trace context as it travels between processes: W3C `traceparent` (and `tracestate`), carried in an event's
 * detail (`traceContext`) and in a queue message's attributes. Empty when tracing is off (no provider registered:
 * every function here is then a no-op costing a property lookup), so local runs and tests pay nothing.
 */
export type TraceContext = Record<string, string>;

/** The names a TraceContext may hold; anything else in a carrier is ignored. */
export const TRACE_CONTEXT_KEYS = ["traceparent", "tracestate"] as const;

export { SpanKind };
export type { Span };

const TRACER = "feedback-triage";

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The remote parent (an event's or message's trace context); default the active span. */
  parent?: TraceContext;
}

/**
 * Runs `work` in a span named `name`, the active one for everything `work` awaits; the span ends when `work` settles,
 * marked as an error (with the exception recorded) when it throws, and the error is rethrown unchanged.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ? contextOf(options.parent) : context.active();
  return trace
    .getTracer(TRACER)
    .startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, parent, async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
}

/**
 * Starts a span the caller ends (for work whose end is not one awaited call, e.g. an item's processing across a
 * batch); `activate` runs a function with it as the active span.
 */
export function startSpan(name: string, options: SpanOptions): { span: Span; activate<T>(fn: () => T): T } {
  const parent = options.parent ? contextOf(options.parent) : context.active();
  const span = trace.getTracer(TRACER).startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  const active = trace.setSpan(parent, span);
  return { span, activate: (fn) => context.with(active, fn) };
}

/** Ends `span` as failed with `message`. */
export function failSpan(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

/** The active span's context to send along (empty when tracing is off or no span is active). */
export function currentTraceContext(): TraceContext {
  const carrier: TraceContext = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The trace context among `carrier`'s fields (message attributes, an event detail's `traceContext`). */
export function traceContextOf(carrier: Readonly<Record<string, unknown>> | undefined): TraceContext {
  const found: TraceContext = {};
  for (const key of TRACE_CONTEXT_KEYS) {
    const value = carrier?.[key];
    if (typeof value === "string" && value.length > 0 && value.length <= 512) found[key] = value;
  }
  return found;
}

/** Whether the active span already belongs to the trace `carrier` continues (then it is the better parent). */
export function continuesActiveTrace(carrier: TraceContext): boolean {
  const active = trace.getSpanContext(context.active());
  const carried = trace.getSpanContext(contextOf(carrier));
  return active !== undefined && carried !== undefined && active.traceId === carried.traceId;
}

function contextOf(carrier: TraceContext): Context {
  return propagation.extract(context.active(), carrier);
}
