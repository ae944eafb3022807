import { describe, expect, it } from "vitest";
import { DEFAULT_OTLP_ENDPOINT, loadRuntimeConfig } from "../../../sdk/config/runtime.js";
import { feedbackReceivedEntry } from "../../../sdk/schemas/events.js";
import { startTracing } from "../../../sdk/tracing/setup.js";
import { currentTraceContext, inSpan, traceContextOf } from "../../../sdk/tracing/tracing.js";
import { makeItem } from "../../support/factories.js";

describe("tracing configuration", () => {
  it("is off unless FEEDBACK_TRACING or OTEL_EXPORTER_OTLP_ENDPOINT turns it on", () => {
    expect(loadRuntimeConfig({}).tracing).toEqual({
      enabled: false,
      endpoint: DEFAULT_OTLP_ENDPOINT,
      serviceName: null,
    });
    expect(loadRuntimeConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).tracing).toMatchObject({
      enabled: true,
      endpoint: "http://collector:4318",
    });
    expect(loadRuntimeConfig({ FEEDBACK_TRACING: "true", OTEL_SERVICE_NAME: "svc" }).tracing).toEqual({
      enabled: true,
      endpoint: DEFAULT_OTLP_ENDPOINT,
      serviceName: "svc",
    });
    expect(
      loadRuntimeConfig({ FEEDBACK_TRACING: "off", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }).tracing.enabled,
    ).toBe(false);
    expect(() => loadRuntimeConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT "collector:4318" is not an http\(s\) URL/,
    );
  });
});

describe("tracing while off", () => {
  it("registers nothing: spans run their work, no context travels, entries and messages stay as they were", async () => {
    const tracing = startTracing(loadRuntimeConfig({}).tracing, { service: "test" });
    expect(tracing.enabled).toBe(false);
    const carried = await inSpan("work", {}, async () => currentTraceContext());
    expect(carried).toEqual({});
    const item = makeItem();
    expect(feedbackReceivedEntry(item, carried).detail).toEqual({ item });
    await expect(
      inSpan("failing", {}, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("reads only the W3C fields from a carrier, and ignores oversized or non-string values", () => {
    expect(
      traceContextOf({ traceparent: "00-abc-def-01", tracestate: 5, other: "x", FeedbackOriginalMessageId: "m" }),
    ).toEqual({ traceparent: "00-abc-def-01" });
    expect(traceContextOf({ traceparent: "x".repeat(513) })).toEqual({});
    expect(traceContextOf(undefined)).toEqual({});
  });
});
