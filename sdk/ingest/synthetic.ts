import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * Deterministic, realistic app reviews for benchmarks and load tests, in the
 * `review_id, platform, rating, review_text, user_name, date, app_version` layout.
 * The same (count, seed) always gives the same rows.
 */

export type SyntheticCategory = "Bug" | "Feature Request" | "Praise" | "Complaint" | "Spam";

export interface SyntheticReview {
  review_id: string;
  platform: "ios" | "android";
  rating: number;
  review_text: string;
  user_name: string;
  date: string;
  app_version: string;
  /** What a correct classifier should say; not part of the file unless asked for. */
  expectedCategory: SyntheticCategory;
}

export const SYNTHETIC_REVIEW_COLUMNS = [
  "review_id",
  "platform",
  "rating",
  "review_text",
  "user_name",
  "date",
  "app_version",
] as const;

/** mulberry32: tiny, fast and good enough to vary test data. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IOS_DEVICES = ["iPhone 15 Pro", "iPhone 14", "iPhone 13 mini", "iPhone SE", "iPad Air", "iPad Pro 12.9"];
const ANDROID_DEVICES = ["Pixel 8", "Pixel 7a", "Samsung Galaxy S23", "Galaxy A54", "OnePlus 11", "Xiaomi 13T"];
const IOS_VERSIONS = ["iOS 16.7", "iOS 17.1", "iOS 17.2", "iOS 17.4", "iPadOS 17.3"];
const ANDROID_VERSIONS = ["Android 12", "Android 13", "Android 14"];
const APP_VERSIONS = ["3.0.4", "3.1.0", "3.1.2", "3.2.0", "3.2.1", "3.3.0-beta"];
const SCREENS = [
  "profile page",
  "settings",
  "checkout",
  "dashboard",
  "search results",
  "photo upload",
  "calendar view",
];
const FEATURES = [
  "dark mode",
  "an offline mode",
  "CSV export",
  "a widget for the home screen",
  "Apple Watch support",
  "shared folders",
  "two-factor login",
  "bulk editing",
];
const NAMES = ["alex", "sam", "maria", "kenji", "fatima", "lukas", "priya", "tom", "chen", "olivia", "noah", "zoe"];

type Slots = { device: string; os: string; version: string; screen: string; feature: string };
type Template = (s: Slots) => string;

const TEMPLATES: Record<SyntheticCategory, readonly Template[]> = {
  Bug: [
    (s) => `App crashes every time I open the ${s.screen}. ${s.device} on ${s.os}, version ${s.version}.`,
    (s) =>
      `Since updating to ${s.version} the app freezes on the splash screen and never starts. ${s.device}, ${s.os}.`,
    (s) => `Lost all my notes after the ${s.version} update! They were there yesterday, now the list is empty.`,
    (s) =>
      `Payment fails with "card declined" even though the card works everywhere else. Tried 3 times on ${s.device}.`,
    (s) =>
      `Steps to reproduce:\n1. Open ${s.screen}\n2. Rotate the phone\nResult: blank screen. ${s.device}, app ${s.version}.`,
    (s) => `Login loops back to the sign-in page after entering the code. ${s.os}, ${s.device}.`,
    (s) =>
      `Sync between my phone and tablet stopped working in ${s.version}; changes never show up on the other device.`,
  ],
  "Feature Request": [
    (s) => `Please add ${s.feature}. It's the one thing keeping me from recommending this app.`,
    (s) => `Would love ${s.feature} - I use the app every day and this would save me a lot of time.`,
    (s) => `Any plans for ${s.feature}? Competitors have it, and I'd rather stay here.`,
    (s) => `Suggestion: let us customise the ${s.screen}, and maybe add ${s.feature} too.`,
  ],
  Praise: [
    () => "Absolutely love this app! Clean design, fast and it just works.",
    (s) => `The ${s.version} update is great, the ${s.screen} is so much faster now. Thank you!`,
    () => 'Best app in its category, hands down. Support answered in minutes. "Five stars" well deserved.',
    (s) => `Works flawlessly on my ${s.device}. Keep up the good work, team.`,
  ],
  Complaint: [
    () => "The new subscription price is way too high for what you get. Very disappointed.",
    (s) => `Too many ads, especially on the ${s.screen}. I'm close to uninstalling.`,
    () => "Customer support took two weeks to reply, and the answer didn't help at all.",
    (s) => `The redesign in ${s.version} made everything harder to find. Bring back the old layout, please.`,
  ],
  Spam: [
    () => "Click here for FREE money!!! Visit www.totally-legit-deals.biz and earn $5000 daily!",
    () => "Follow my channel for crypto tips, 1000% returns guaranteed, link in bio!!!",
    () => "BEST CHEAP PHONES >>> www.cheap-phones-4u.example <<< limited offer, buy now",
  ],
};

const CATEGORY_WEIGHTS: readonly [SyntheticCategory, number][] = [
  ["Bug", 0.32],
  ["Feature Request", 0.2],
  ["Praise", 0.25],
  ["Complaint", 0.17],
  ["Spam", 0.06],
];

const RATINGS: Record<SyntheticCategory, readonly number[]> = {
  Bug: [1, 1, 2, 2, 3],
  "Feature Request": [3, 4, 4, 5],
  Praise: [4, 5, 5, 5],
  Complaint: [1, 2, 2, 3],
  Spam: [1, 5],
};

const FIRST_DAY = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** Yields `count` reviews one at a time, so any count fits in memory. */
export function* generateReviews(count: number, seed = 1): Generator<SyntheticReview> {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let n = 1; n <= count; n++) {
    const category = pickCategory(random());
    const platform = random() < 0.55 ? "ios" : "android";
    const slots: Slots = {
      device: pick(platform === "ios" ? IOS_DEVICES : ANDROID_DEVICES),
      os: pick(platform === "ios" ? IOS_VERSIONS : ANDROID_VERSIONS),
      version: pick(APP_VERSIONS),
      screen: pick(SCREENS),
      feature: pick(FEATURES),
    };
    yield {
      review_id: `SYN-${seed}-${String(n).padStart(7, "0")}`,
      platform,
      rating: pick(RATINGS[category]),
      review_text: pick(TEMPLATES[category])(slots),
      user_name: `${pick(NAMES)}_${Math.floor(random() * 10_000)}`,
      date: new Date(FIRST_DAY + Math.floor(random() * 365) * DAY_MS).toISOString().slice(0, 10),
      app_version: slots.version,
      expectedCategory: category,
    };
  }
}

function pickCategory(roll: number): SyntheticCategory {
  let cumulative = 0;
  for (const [category, weight] of CATEGORY_WEIGHTS) {
    cumulative += weight;
    if (roll < cumulative) return category;
  }
  return "Praise";
}

const NEEDS_QUOTES = /[",\n\r]/;
const QUOTE = /"/g;

/** RFC 4180 field: quoted only when it holds a comma, quote or line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTE, '""')}"` : text;
}

export function reviewToCsvLine(review: SyntheticReview, includeExpectedCategory = false): string {
  const values: (string | number)[] = SYNTHETIC_REVIEW_COLUMNS.map((column) => review[column]);
  if (includeExpectedCategory) values.push(review.expectedCategory);
  return `${values.map(csvField).join(",")}\n`;
}

/**
 * Writes `count` generated reviews as CSV, streaming with back-pressure.
 * `includeExpectedCategory` adds an `expected_category` column (it lands in item metadata).
 */
export async function writeSyntheticReviewsCsv(
  path: string,
  count: number,
  seed = 1,
  options: { includeExpectedCategory?: boolean } = {},
): Promise<void> {
  const output = createWriteStream(path, { encoding: "utf8" });
  const closed = once(output, "close");
  const header = [...SYNTHETIC_REVIEW_COLUMNS, ...(options.includeExpectedCategory ? ["expected_category"] : [])];
  let batch = `${header.join(",")}\n`;
  for (const review of generateReviews(count, seed)) {
    batch += reviewToCsvLine(review, options.includeExpectedCategory);
    if (batch.length >= 64 * 1024) {
      if (!output.write(batch)) await once(output, "drain");
      batch = "";
    }
  }
  output.end(batch);
  await closed;
}
