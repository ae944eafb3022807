import type { SourceKind } from "./layouts.js";

const KNOWN_PRIORITIES = new Map(
  ["Critical", "Urgent", "High", "Medium", "Low"].map((name) => [name.toLowerCase(), name]),
);

/** "HIGH" -> "High"; values outside the usual five are kept as written. */
export function normalizeStatedPriority(value: string | null): string | null {
  if (value === null) return null;
  return KNOWN_PRIORITIES.get(value.toLowerCase()) ?? value;
}

const IOS_NAMES = new Set(["ios", "iphone", "ipad", "ipados", "apple", "appstore"]);
const ANDROID_NAMES = new Set(["android", "googleplay", "playstore", "google"]);
const NON_LETTERS = /[^a-z]/g;
const IOS_DEVICE = /iphone|ipad|ipod|\bios\b/i;
const ANDROID_DEVICE = /pixel|samsung|galaxy|android|oneplus|xiaomi|redmi|huawei|motorola|\bmoto\b|oppo|vivo|realme/i;

/** A platform column value: "iOS", "App Store" -> "ios"; "Google Play" -> "android"; others lower-cased. */
export function normalizePlatform(value: string): string {
  const compact = value.toLowerCase().replace(NON_LETTERS, "");
  if (IOS_NAMES.has(compact)) return "ios";
  if (ANDROID_NAMES.has(compact)) return "android";
  return value.toLowerCase();
}

export function platformFromDevice(device: string | null): "ios" | "android" | null {
  if (device === null) return null;
  if (IOS_DEVICE.test(device)) return "ios";
  if (ANDROID_DEVICE.test(device)) return "android";
  return null;
}

export function channelFor(kind: SourceKind, platform: string | null): string {
  if (kind === "email") return "email";
  if (platform === "ios") return "app_store";
  if (platform === "android") return "google_play";
  return "app_review";
}
