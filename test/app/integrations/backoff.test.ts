import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryAfterMs } from "../../../app/integrations/backoff.js";

const policy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 30_000 };

describe("retry timing", () => {
  it("doubles the delay ceiling with each attempt, jittered between half of it and all of it", () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(500);
    expect(backoffDelayMs(3, policy, () => 0.999_999)).toBe(4_000);
  });

  it("never waits longer than the policy's cap", () => {
    expect(backoffDelayMs(20, policy, () => 0.999_999)).toBe(30_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 07 Dec 2026 10:01:00 GMT", now)).toBe(60_000);
    expect(retryAfterMs("soon", now)).toBeNull();
  });
});
