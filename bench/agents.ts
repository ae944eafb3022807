/**
 * Throughput of the offline agent crew on one core.
 *
 *   npx jiti bench/agents.ts [count]          # or: npm run build && node dist/bench/agents.js [count]
 *
 * Generates `count` (default 20,000) varied reviews and e-mails, triages them in batches of 500 with the
 * seeded configuration, and prints items/s. Goal: >= 2,000 items/s.
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { SEEDED_CONFIGURATION } from "../app/agents/offline/dataset.js";
import { createOfflineAgents } from "../app/agents/offline/index.js";
import { FeedbackItem } from "../sdk/schemas/feedback.js";

const TEMPLATES = [
  "App crashes every time I open the {feature}. {device}, {os}. Version {version}.",
  "Love this app but since {version} the {feature} freezes constantly.",
  "Please add {wish}. Would make this app perfect for my team.",
  "Great app!! Best {feature} I have used, thank you devs.",
  "Way too many ads and the subscription is too expensive. I want a refund.",
  "Click here for FREE coins www.free-{n}.example !!! Use promo code WIN{n}",
  "No crash since the update, works great on my {device}.",
  "Hi, the {feature} doesn't load since version {version}. I tried reinstalling. {os} on {device}.",
  "Worst customer service ever, waited {n} days for an answer.",
  "Would love to see integration with {wish}. Many of our colleagues asked for it.",
  "Great, another update and the {feature} is broken again. Thanks for nothing.",
  "All my {feature} data disappeared after updating to {version}!",
];
const FEATURES = [
  "camera",
  "sync",
  "search",
  "calendar",
  "profile page",
  "checkout",
  "notifications",
  "dashboard",
  "export",
];
const DEVICES = ["iPhone 14", "Pixel 8", "Samsung Galaxy S23", "iPad Air", "OnePlus 11"];
const OSES = ["iOS 17.2", "Android 14", "iPadOS 17", "Android 13"];
const WISHES = ["dark mode", "widgets", "Slack", "offline mode", "CSV export", "Google Calendar"];

function generate(count: number): FeedbackItem[] {
  const items: FeedbackItem[] = [];
  for (let i = 0; i < count; i++) {
    const pick = <T>(xs: readonly T[], salt: number): T =>
      xs[(i * 7 + salt * 13 + Math.floor(i / xs.length)) % xs.length]!;
    const text = pick(TEMPLATES, 1)
      .replace("{feature}", pick(FEATURES, 2))
      .replace("{device}", pick(DEVICES, 3))
      .replace("{os}", pick(OSES, 4))
      .replace(/\{version\}/g, `3.${i % 9}.${i % 4}`)
      .replace("{wish}", pick(WISHES, 5))
      .replace(/\{n\}/g, String(i % 97));
    const isEmail = i % 3 === 0;
    const subject = isEmail ? `Feedback #${i}: ${text.split(/[.!]/)[0]!.slice(0, 60)}` : null;
    const contentHash = createHash("sha256").update(`${i}:${text}`).digest("hex");
    items.push(
      FeedbackItem.parse({
        sourceType: isEmail ? "email" : "app_store_review",
        sourceId: `bench-${i}`,
        text,
        subject,
        rating: isEmail ? null : (i % 5) + 1,
        statedPriority: isEmail ? ["Low", "Medium", "High", "Critical"][i % 4] : null,
        contentHash,
      }),
    );
  }
  return items;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 20_000);
  const items = generate(count);
  const agents = createOfflineAgents();
  await agents.triage(items.slice(0, 200), SEEDED_CONFIGURATION); // warm-up
  const start = performance.now();
  let done = 0;
  for (let i = 0; i < items.length; i += 500)
    done += (await agents.triage(items.slice(i, i + 500), SEEDED_CONFIGURATION)).length;
  const seconds = (performance.now() - start) / 1000;
  const perSecond = Math.round(done / seconds);
  console.log(`offline crew: ${done} items in ${seconds.toFixed(2)} s = ${perSecond} items/s (goal >= 2000)`);
}

void main();
