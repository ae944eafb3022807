import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceRequests } from "../../dashboard/server/tracing.js";
import { loadRuntimeConfig } from "../../sdk/config/runtime.js";
import { startTracing, type Tracing } from "../../sdk/tracing/setup.js";
import { currentTraceContext } from "../../sdk/tracing/tracing.js";

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(() => {
  tracing = startTracing(loadRuntimeConfig({}).tracing, { service: "dashboard-test", exporter });
});
afterAll(() => tracing.shutdown());

describe("the dashboard's request spans", () => {
  const app = new Hono();
  app.use(traceRequests());
  app.post("/tickets/:id/status", (c) => c.json(currentTraceContext()));

  it("name the route, not the path, continue the caller's trace and are the parent of what the request does", async () => {
    const caller = "00-6b16027145dfc7723d590d3e74397019-1b0dc5e0e79c21c5-01";
    const response = await app.request("/tickets/0b6c5e2a-1111/status", {
      method: "POST",
      headers: { traceparent: caller },
    });
    expect(response.status).toBe(200);
    const carried = (await response.json()) as { traceparent: string };
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({ name: "POST /tickets/:id/status", kind: SpanKind.SERVER });
    expect(span!.attributes).toMatchObject({ "http.route": "/tickets/:id/status", "http.response.status_code": 200 });
    expect(span!.spanContext().traceId).toBe("6b16027145dfc7723d590d3e74397019");
    expect(span!.parentSpanContext?.spanId).toBe("1b0dc5e0e79c21c5");
    // What the handler publishes carries the request span as its parent.
    expect(carried.traceparent).toBe(`00-6b16027145dfc7723d590d3e74397019-${span!.spanContext().spanId}-01`);
  });
});
