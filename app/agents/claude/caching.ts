/**
 * Prompt caching decision. A cache write costs 1.25x the input price and a read 0.1x, and the API only
 * caches a prefix of at least the model's minimum cacheable length (shorter prefixes are processed
 * uncached: marking them buys nothing). Caching pays when the fixed prefix reaches that minimum and is
 * reused by at least one more request within the cache lifetime (5 minutes).
 */

/** Minimum cacheable prompt length in tokens, by model family (Anthropic prompt-caching docs). */
export const MIN_CACHEABLE_TOKENS: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ["claude-haiku-4-5", 4096],
  ["claude-opus-4-5", 4096],
  ["claude-sonnet-4-5", 1024],
  ["claude-sonnet-4", 1024],
  ["claude-opus-4-1", 1024],
  ["claude-opus-4", 1024],
  ["claude-3-7-sonnet", 1024],
  ["claude-3-5-haiku", 2048],
  ["claude-3-haiku", 2048],
];

/** Unknown models: assume the largest minimum, so caching is only switched on where it surely applies. */
export const DEFAULT_MIN_CACHEABLE_TOKENS = 4096;

export function minCacheableTokens(model: string): number {
  const id = model.toLowerCase();
  return (
    MIN_CACHEABLE_TOKENS.find(([prefix]) => id === prefix || id.startsWith(`${prefix}-`))?.[1] ??
    DEFAULT_MIN_CACHEABLE_TOKENS
  );
}

export interface CachingDecision {
  readonly enabled: boolean;
  readonly prefixTokens: number;
  readonly minimumTokens: number;
  readonly reason: string;
}

export function decidePromptCaching(input: {
  model: string;
  prefixTokens: number;
  expectedRequests: number;
}): CachingDecision {
  const minimumTokens = minCacheableTokens(input.model);
  const base = { prefixTokens: input.prefixTokens, minimumTokens };
  if (input.prefixTokens < minimumTokens) {
    return {
      ...base,
      enabled: false,
      reason: `prefix of ~${input.prefixTokens} tokens is below the ${minimumTokens}-token minimum of ${input.model}`,
    };
  }
  if (input.expectedRequests < 2) {
    return { ...base, enabled: false, reason: "a single request cannot reuse a cache entry (a write costs 1.25x)" };
  }
  return {
    ...base,
    enabled: true,
    reason: `prefix of ~${input.prefixTokens} tokens reaches the ${minimumTokens}-token minimum and is reused`,
  };
}
