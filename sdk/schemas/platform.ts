/**
 * One spelling per platform and operating system, wherever a value comes from (file column, webhook, an agent's
 * extracted details): "ios", "IOS", "App Store" -> "iOS"; "android", "Google Play" -> "Android". Ingest keeps its
 * lower-case keys on the feedback item ("ios", "android"; see sdk/ingest/fields.ts, which reads the same name
 * lists); tickets, charts and filters show these names. The migration 20261208000000_ticket_submitted_at_app
 * rewrote stored tickets with the same table (keep the two in step).
 */

const NON_LETTERS = /[^a-z]/g;

export const IOS_NAMES: ReadonlySet<string> = new Set(["ios", "iphone", "ipad", "ipados", "apple", "appstore"]);
export const ANDROID_NAMES: ReadonlySet<string> = new Set(["android", "googleplay", "playstore", "google"]);

/** Known platform and OS names by their compact lower-case form. */
const NAMES: ReadonlyMap<string, string> = new Map([
  ...[...IOS_NAMES].map((name) => [name, "iOS"] as const),
  ...[...ANDROID_NAMES].map((name) => [name, "Android"] as const),
  ["macos", "macOS"],
  ["osx", "macOS"],
  ["mac", "macOS"],
  ["windows", "Windows"],
  ["web", "Web"],
  ["linux", "Linux"],
  ["watchos", "watchOS"],
  ["tvos", "tvOS"],
  ["wearos", "Wear OS"],
  ["harmonyos", "HarmonyOS"],
  ["chromeos", "ChromeOS"],
]);

/** "ios" / "android" for values that name the two store platforms, else null. */
export function platformKey(value: string): "ios" | "android" | null {
  const compact = value.toLowerCase().replace(NON_LETTERS, "");
  if (IOS_NAMES.has(compact)) return "ios";
  if (ANDROID_NAMES.has(compact)) return "android";
  return null;
}

/** A platform as tickets show it: "iOS", "Android", "Windows"...; other values trimmed; blank is null. */
export function canonicalPlatform(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  return NAMES.get(trimmed.toLowerCase().replace(NON_LETTERS, "")) ?? trimmed;
}

const OS_WITH_VERSION = /^([A-Za-z][A-Za-z ]*?)\s*(\d+(?:\.\d+)*)?$/;

/** An OS with an optional version: "ios 17.2" -> "iOS 17.2", "ANDROID14" -> "Android 14"; others trimmed. */
export function canonicalOs(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  const match = OS_WITH_VERSION.exec(trimmed);
  if (!match) return trimmed;
  const name = NAMES.get(match[1]!.toLowerCase().replace(NON_LETTERS, ""));
  if (!name) return trimmed;
  return match[2] ? `${name} ${match[2]}` : name;
}

/** Technical details with their platform and OS spelled as above; other fields untouched. */
export function withCanonicalPlatform<T extends Record<string, unknown>>(details: T): T {
  const out: Record<string, unknown> = { ...details };
  if (typeof details.platform === "string") out.platform = canonicalPlatform(details.platform);
  if (typeof details.os === "string") out.os = canonicalOs(details.os);
  return out as T;
}
