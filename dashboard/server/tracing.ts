import type { MiddlewareHandler } from "hono";
import { inSpan, SpanKind, traceContextOf } from "../../sdk/tracing/tracing.js";

/**
 * A SERVER span per request (`GET /tickets/:id`, the route's pattern, not the path, so ids stay out of span names),
 * continuing a caller's W3C trace context; an upload's publish and everything else the request awaits are its
 * children. A no-op span when tracing is off.
 */
export function traceRequests(): MiddlewareHandler {
  return (c, next) =>
    inSpan(
      `${c.req.method} request`,
      {
        kind: SpanKind.SERVER,
        parent: traceContextOf({ traceparent: c.req.header("traceparent"), tracestate: c.req.header("tracestate") }),
        attributes: { "http.request.method": c.req.method },
      },
      async (span) => {
        await next();
        span.updateName(`${c.req.method} ${c.req.routePath}`);
        span.setAttributes({ "http.route": c.req.routePath, "http.response.status_code": c.res.status });
      },
    );
}
