import { platformKey } from "../schemas/platform.js";
import type { SourceKind } from "./layouts.js";

const KNOWN_PRIORITIES = new Map(
  ["Critical", "Urgent", "High", "Medium", "Low"].map((name) => [name.toLowerCase(), name]),
);

/** "HIGH" -> "High"; values outside the usual five are kept as written. */
export function normalizeStatedPriority(value: string | null): string | null {
  if (value === null) return null;
  return KNOWN_PRIORITIES.get(value.toLowerCase()) ?? value;
}

const IOS_DEVICE = /iphone|ipad|ipod|\bios\b/i;
const ANDROID_DEVICE = /pixel|samsung|galaxy|android|oneplus|xiaomi|redmi|huawei|motorola|\bmoto\b|oppo|vivo|realme/i;

/**
 * A platform column value: "iOS", "IOS", "App Store" -> "ios"; "Google Play" -> "android"; others lower-cased.
 * The item keeps these keys; tickets show the same platforms as "iOS" / "Android" (sdk/schemas/platform.ts).
 */
export function normalizePlatform(value: string): string {
  return platformKey(value) ?? value.toLowerCase();
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
