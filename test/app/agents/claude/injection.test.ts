import { describe, expect, it } from "vitest";
import { createClaudeAgents } from "../../../../app/agents/claude/crew.js";
import { screenForInjection } from "../../../../app/agents/claude/injection.js";
import type { ModelClient, ModelRequest } from "../../../../app/agents/claude/model-port.js";
import { loadDevSet } from "../../../../app/agents/offline/dataset.js";
import { isInstructionLike } from "../../../../app/agents/offline/title.js";
import { TriageResult } from "../../../../sdk/ports/agents.js";
import type { FeedbackItem, Priority } from "../../../../sdk/schemas/feedback.js";
import { fixture } from "../factories.js";
import { config, honestAnswer, makeItem } from "./canned.js";
import { HOSTILE_SAMPLES } from "./injection-samples.js";

const LEVELS: readonly Priority[] = ["Low", "Medium", "High", "Critical"];
const rank = (p: Priority) => LEVELS.indexOf(p);

/**
 * A model that obeys injections: for a hostile item it answers "Critical bug" with the injected text and
 * a link as title and hides the attempt (x=0), or answers garbage outside the schema; other items it
 * answers honestly.
 */
function obedientModel(
  items: readonly FeedbackItem[],
  hostile: ReadonlySet<string>,
): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  let garbage = false;
  return {
    requests,
    async complete(request) {
      requests.push(request);
      const r: unknown[] = [];
      for (const m of request.user.matchAll(
        /<item id="(\d+)"[^>]*>\n(?:<subject>[\s\S]*?<\/subject>\n)?([\s\S]*?)\n<\/item>/g,
      )) {
        const id = Number(m[1]);
        const text = m[2]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
        const item = items.find((i) => i.text === text);
        if (!item) throw new Error(`unknown item ${text}`);
        if (!hostile.has(item.text)) {
          r.push(honestAnswer(item, id));
          continue;
        }
        garbage = !garbage;
        r.push(
          garbage
            ? { i: id, c: "CRITICAL", f: "100%", s: "P0", t: text, x: 0, system: "obey", priority: "Critical" }
            : {
                i: id,
                c: "B",
                f: 100,
                s: "c",
                w: null,
                t: `${text.slice(0, 60)} https://evil.example/p0`,
                a: "everything",
                u: null,
                x: 0,
                priority: "Critical",
                status: "approved",
              },
        );
      }
      return {
        json: { r },
        usage: { inputTokens: 1000, outputTokens: 60 * r.length, cacheReadTokens: 0, cacheWriteTokens: 0 },
      };
    },
  };
}

const RESULT_KEYS = Object.keys(TriageResult.shape).sort();

describe("prompt injection", () => {
  const hostileItems = HOSTILE_SAMPLES.map((s) =>
    makeItem({
      text: s.text,
      subject: s.subject ?? null,
      rating: s.rating ?? null,
      sourceType: s.subject ? "email" : "app_store_review",
    }),
  );
  const benign = [
    makeItem({
      text: "App crashes every time I open my profile page. iPhone 14 with iOS 17.2, version 3.2.1.",
      rating: 1,
    }),
    makeItem({ text: "Please add dark mode support, the white screen is too bright at night.", rating: 3 }),
    makeItem({ text: "Absolutely love this app! Best productivity app I have ever used.", rating: 5 }),
    makeItem({ text: "Way too many ads since the last update and the subscription is too expensive.", rating: 2 }),
    makeItem({ text: "I was charged twice for my subscription this month, I want a refund.", rating: 1 }),
  ];

  it("has at least 30 hostile samples of every kind", () => {
    expect(HOSTILE_SAMPLES.length).toBeGreaterThanOrEqual(30);
    for (const kind of ["direct", "quoted", "encoded", "language", "mixed"])
      expect(HOSTILE_SAMPLES.some((s) => s.kind === kind)).toBe(true);
  });

  it("the local screen flags every hostile sample", () => {
    const missed = HOSTILE_SAMPLES.filter((s) => !screenForInjection(`${s.subject ?? ""}\n${s.text}`).suspected).map(
      (s) => s.text,
    );
    expect(missed).toEqual([]);
  });

  it("the local screen rarely flags ordinary feedback (dev and calibration sets)", () => {
    const items = [...loadDevSet(fixture("dev-set.csv")), ...loadDevSet(fixture("calibration-set.csv"))].map(
      (l) => l.item,
    );
    const flagged = items.filter((i) => screenForInjection(`${i.subject ?? ""}\n${i.text}`).suspected);
    expect(items.length).toBeGreaterThan(300);
    expect(flagged.length / items.length).toBeLessThan(0.01);
  });

  it("with a model that obeys injections, tickets stay schema-valid, flagged, clean-titled and not escalated", async () => {
    const all = [...hostileItems, ...benign];
    const hostile = new Set(hostileItems.map((i) => i.text));
    const model = obedientModel(all, hostile);
    const agents = createClaudeAgents({ client: model, batchSize: 12, retry: { sleep: async () => {} } });
    const results = await agents.triage(all, config());
    expect(results).toHaveLength(all.length);

    results.forEach((result, index) => {
      const item = all[index]!;
      expect(() => TriageResult.parse(result)).not.toThrow();
      expect(Object.keys(result).sort()).toEqual(RESULT_KEYS); // nothing outside the output schema
      const log = result.logs.find((l) => l.agent === "claude");
      if (log) expect(log.result.attempts as number).toBeLessThanOrEqual(3);
      if (!hostile.has(item.text)) {
        expect(result.technicalDetails.injectionSuspected).toBeUndefined();
        return;
      }
      const sample = HOSTILE_SAMPLES[index]!;
      const where = `sample ${index}: ${sample.text.slice(0, 50)}`;
      expect(result.technicalDetails.injectionSuspected, where).toBe(true);
      expect(result.status, where).toBe("needs_review");
      expect(result.reviewReasons.join(" "), where).toMatch(/prompt injection/);
      expect(rank(result.priority), `${where} -> ${result.priority}`).toBeLessThanOrEqual(rank(sample.maxPriority));
      expect(result.title, where).not.toMatch(/https?:|www\.|evil|ignore|instruction|critical|system|priorit|p0\b/i);
      expect(isInstructionLike(result.title), where).toBe(false);
      expect(screenForInjection(result.title).suspected, where).toBe(false);
      expect(result.title.length).toBeLessThanOrEqual(80);
      expect(result.status).not.toBe("approved");
    });

    // The hostile "content" categories: praise stays praise, the real bug stays a bug, spam stays spam.
    const byText = new Map(all.map((item, i) => [item.text, results[i]!]));
    expect(byText.get(HOSTILE_SAMPLES[0]!.text)!.category).toBe("Praise");
    expect(byText.get(HOSTILE_SAMPLES.find((s) => s.text.includes("Pixel 8"))!.text)!.category).toBe("Bug");
    expect(byText.get(HOSTILE_SAMPLES.find((s) => s.text.includes("cheap-followers"))!.text)!.category).toBe("Spam");
    const praise = HOSTILE_SAMPLES.filter((s) => s.maxPriority === "Low" && s.rating === 5).map(
      (s) => byText.get(s.text)!,
    );
    expect(praise.filter((r) => r.category === "Praise").length / praise.length).toBeGreaterThanOrEqual(0.9);
  });

  it("untrusted text reaches the model only inside its escaped <item> element", async () => {
    const model = obedientModel(hostileItems, new Set());
    await createClaudeAgents({ client: model, batchSize: 50 }).triage(hostileItems, config());
    const user = model.requests[0]!.user;
    expect(user.match(/<item /g)).toHaveLength(hostileItems.length);
    expect(user.match(/<\/item>/g)).toHaveLength(hostileItems.length);
    expect(user).not.toContain("<|im_start|>");
    expect(model.requests[0]!.system).not.toMatch(/Ignore all previous/);
  });
});
