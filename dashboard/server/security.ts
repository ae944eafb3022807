import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type AlbTokenVerifier, actorOf } from "./alb-jwt.js";

export type DashboardEnv = { Variables: { actor: string; csrfToken: string } };

export type AuthConfig = { mode: "none"; actor: string } | { mode: "alb"; verifier: AlbTokenVerifier };

export const CSRF_COOKIE = "ft_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const CSRF_FIELD = "_csrf";
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Paths answered before authentication: the load balancer's and the container's health checks. */
const PUBLIC_PATHS = new Set(["/health"]);

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/** Security headers on every response; no caching of anything but the fingerprinted assets. */
export function securityHeaders(options: { trustProxy: boolean }): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const h = c.res.headers;
    h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "same-origin");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (isHttps(c, options.trustProxy)) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
    h.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}`);
  };
}

const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Who is asking. Without authentication (loopback only) the Host header must name a loopback address, so
 * a web page cannot reach the dashboard through DNS rebinding. Behind the ALB, every request but the
 * health check must carry a valid `x-amzn-oidc-data` token.
 */
export function authenticate(auth: AuthConfig): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return next();
    if (auth.mode === "none") {
      if (!LOOPBACK_HOST.test(c.req.header("host") ?? ""))
        return c.text("Forbidden: this dashboard answers on its loopback address only.", 403);
      c.set("actor", auth.actor);
      return next();
    }
    const token = c.req.header("x-amzn-oidc-data");
    if (!token) return c.text("Unauthorized: sign in through the load balancer.", 401);
    try {
      c.set("actor", actorOf(await auth.verifier.verify(token)));
    } catch {
      return c.text("Unauthorized: the identity token is not valid.", 401);
    }
    return next();
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF: a double-submit token (random, in an HttpOnly SameSite=Strict cookie, echoed by every form as
 * `_csrf` and by scripts as the x-csrf-token header) plus an Origin/Sec-Fetch-Site check on every write.
 */
export function csrfProtection(options: { trustProxy: boolean }): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || c.req.path.startsWith("/assets/")) return next();
    let token = getCookie(c, CSRF_COOKIE);
    if (!token || !TOKEN_RE.test(token)) {
      token = randomBytes(32).toString("base64url");
      setCookie(c, CSRF_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "Strict",
        secure: isHttps(c, options.trustProxy),
      });
      if (UNSAFE.has(c.req.method)) return refuse(c, "missing CSRF cookie: reload the page and try again");
    }
    c.set("csrfToken", token);
    if (!UNSAFE.has(c.req.method)) return next();

    if (c.req.header("sec-fetch-site") === "cross-site") return refuse(c, "cross-site request");
    const origin = c.req.header("origin") ?? refererOrigin(c.req.header("referer"));
    const host = c.req.header("host");
    if (origin !== undefined && origin !== "null") {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (!host || originHost !== host) return refuse(c, "request from another origin");
    } else if (origin === "null") {
      return refuse(c, "request from an opaque origin");
    }

    let submitted = c.req.header(CSRF_HEADER);
    if (!submitted) {
      const type = c.req.header("content-type") ?? "";
      if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
        const body = await c.req.parseBody({ all: true });
        const field = body[CSRF_FIELD];
        submitted = typeof field === "string" ? field : undefined;
      }
    }
    if (!submitted || !sameToken(submitted, token))
      return refuse(c, "missing or wrong CSRF token: reload the page and try again");
    return next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

function refuse(c: Context, reason: string) {
  if (c.req.path.startsWith("/api/")) {
    return c.json(
      {
        error: {
          code: "CSRF",
          message: `Forbidden: ${reason}`,
          hint: "Send the x-csrf-token header from GET /api/session.",
        },
      },
      403,
    );
  }
  return c.text(`Forbidden: ${reason}.`, 403);
}
