import { describe, expect, it } from "vitest";
import { AnthropicModelClient } from "../../../../app/agents/claude/anthropic-client.js";
import { ClaudeCrewError, createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { TriageResult } from "../../../../sdk/ports/agents.js";
import type { FeedbackItem } from "../../../../sdk/schemas/feedback.js";
import {
  CannedFetch,
  config,
  errorResponse,
  type Handler,
  hang,
  honestAnswer,
  makeItem,
  messageResponse,
  requestedTexts,
} from "./canned.js";

/** Deterministic PRNG (mulberry32), so that a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  "App crashes every time I open the {f}. Version 3.{n}.1 on iPhone 14.",
  "Please add {w}, it would help my whole team.",
  "Love this app, the {f} is beautiful. Thank you!",
  "Too many ads and the subscription is too expensive.",
  "Click here for FREE coins www.free{n}.example !!!",
  "The {f} freezes since the update, I have to restart the app (Pixel 8, Android 14).",
  "I was charged twice this month, please refund me.",
];
const FEATURES = ["profile page", "calendar", "search", "sync", "camera", "export"];
const WISHES = ["dark mode", "a Slack integration", "offline mode", "CSV export"];

function items(count: number): FeedbackItem[] {
  return Array.from({ length: count }, (_, i) =>
    makeItem({
      sourceId: `fi-${i}`,
      text: `${TEMPLATES[i % TEMPLATES.length]!.replace("{f}", FEATURES[i % FEATURES.length]!)
        .replace("{w}", WISHES[i % WISHES.length]!)
        .replace(/\{n\}/g, String(i % 9))} (#${i})${i % 250 === 7 ? " POISON" : ""}`,
      rating: (i % 5) + 1,
    }),
  );
}

describe("fault injection: 1,000 items, 20% of model calls failing in mixed ways", () => {
  it("loses no item, makes at most 3 attempts per call, and every ticket is schema-valid", async () => {
    const all = items(1000);
    const byText = new Map(all.map((item) => [item.text, item]));
    const random = prng(20261125);
    const faults: Record<string, number> = {};
    const honest: Handler = (request) => {
      const r = [...requestedTexts(request).entries()].map(([id, text]) => honestAnswer(byText.get(text)!, id));
      return messageResponse(JSON.stringify({ r }), {
        usage: { input_tokens: 150 * r.length + 1000, output_tokens: 50 * r.length },
      });
    };
    const FAULTS: ReadonlyArray<readonly [string, Handler]> = [
      ["429", () => errorResponse(429, { "retry-after": "1" })],
      ["529", () => errorResponse(529)],
      ["500", () => errorResponse(500)],
      ["timeout", hang],
      ["malformed-json", () => messageResponse('{"r":[{"i":1,"c":"B",')],
      ["not-the-schema", () => messageResponse('{"results":"all critical"}')],
      ["refusal", () => messageResponse("", { stopReason: "refusal" })],
      [
        "partial",
        (request, signal) => {
          const response = honest(request, signal) as Response;
          return response.json().then((body) => {
            const answer = JSON.parse((body as { content: { text: string }[] }).content[0]!.text) as {
              r: { i: number }[];
            };
            return messageResponse(JSON.stringify({ r: answer.r.slice(0, Math.ceil(answer.r.length / 2)) }));
          });
        },
      ],
    ];
    let calls = 0;
    let failing = new Set<number>();
    const canned = new CannedFetch((request, signal) => {
      // Poisoned items are always refused: they must end up reported for the DLQ, never lost.
      if ([...requestedTexts(request).values()].some((t) => t.includes("POISON")))
        return messageResponse("", { stopReason: "refusal" });
      // Exactly 2 of every 10 calls fail, at random positions in the block: 20% of the calls.
      const position = calls++ % 10;
      if (position === 0) failing = new Set([Math.floor(random() * 5), 5 + Math.floor(random() * 5)]);
      if (failing.has(position)) {
        const [name, handler] = FAULTS[Math.floor(random() * FAULTS.length)]!;
        faults[name] = (faults[name] ?? 0) + 1;
        return handler(request, signal);
      }
      return honest(request, signal);
    });

    const sleeps: number[] = [];
    const agents = createClaudeAgents({
      client: new AnthropicModelClient({ apiKey: "k", fetch: canned.fetch }),
      batchSize: 15,
      retry: { sleep: async (ms) => void sleeps.push(ms), timeoutMs: 40 },
    });

    // What the pipeline does: a batch at once, then item by item when the batch fails.
    const outcome = new Map<string, { result?: TriageResult; error?: string }>();
    let callsWithMoreThanThreeAttempts = 0;
    const triageCall = async (batch: FeedbackItem[]) => {
      const before = canned.requests.length;
      try {
        return await agents.triage(batch, config());
      } finally {
        // Within one triage call, each item is sent at most 3 times (3 attempts of its group's call).
        const seen = new Map<string, number>();
        for (const request of canned.requests.slice(before)) {
          for (const text of requestedTexts(request).values()) seen.set(text, (seen.get(text) ?? 0) + 1);
        }
        if ([...seen.values()].some((n) => n > 3)) callsWithMoreThanThreeAttempts += 1;
      }
    };
    for (let start = 0; start < all.length; start += 50) {
      const batch = all.slice(start, start + 50);
      try {
        const results = await triageCall(batch);
        results.forEach((result, k) => {
          outcome.set(batch[k]!.sourceId, { result });
        });
      } catch (error) {
        expect(error).toBeInstanceOf(ClaudeCrewError);
        for (const item of batch) {
          try {
            const [result] = await triageCall([item]);
            outcome.set(item.sourceId, { result });
          } catch (itemError) {
            expect(itemError).toBeInstanceOf(ClaudeCrewError);
            outcome.set(item.sourceId, { error: (itemError as Error).message });
          }
        }
      }
    }

    expect(outcome.size).toBe(1000);
    const failed = [...outcome.entries()].filter(([, o]) => o.error);
    const poisoned = all.filter((i) => i.text.includes("POISON")).map((i) => i.sourceId);
    for (const [id, o] of outcome) {
      if (o.result) expect(() => TriageResult.parse(o.result)).not.toThrow();
      else expect(o.error, id).toMatch(/after [1-3] attempt\(s\)/);
      const attempts = o.result?.logs.find((l) => l.agent === "claude")?.result.attempts as number | undefined;
      if (attempts !== undefined) expect(attempts).toBeLessThanOrEqual(3);
    }
    expect(failed.map(([id]) => id).sort()).toEqual(expect.arrayContaining(poisoned.sort()));
    expect(failed.length).toBeLessThanOrEqual(poisoned.length + 5);
    expect(callsWithMoreThanThreeAttempts).toBe(0);
    expect(Object.keys(faults).length).toBeGreaterThanOrEqual(6);
    expect(sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThan(0); // retry-after honoured
    const totalCalls = canned.requests.length;
    const faultCount = Object.values(faults).reduce((a, b) => a + b, 0);
    expect(faultCount / calls).toBeGreaterThanOrEqual(0.19);
    console.log(
      `fault injection: ${totalCalls} requests, ${faultCount} injected faults ${JSON.stringify(faults)}, ` +
        `${1000 - failed.length} tickets, ${failed.length} reported for the DLQ (poisoned: ${poisoned.length})`,
    );
  });
});
