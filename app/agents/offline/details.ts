import type { FeedbackItem } from "../../../sdk/schemas/feedback.js";
import { canonicalPlatform } from "../../../sdk/schemas/platform.js";
import { capitalise, sentences } from "./text.js";

/** Extraction of the technical context of a report: device, OS, app version, platform, steps, feature. */

const DEVICE_RE = new RegExp(
  [
    /iPhone(?: SE| X[RS]?(?: Max)?| \d{1,2}(?: (?:Pro Max|Pro|Plus|mini))?)?/.source,
    /iPad(?: (?:Pro|Air|mini))?(?: \d+(?:th gen)?)?/.source,
    /(?:Samsung )?Galaxy (?:S|A|M|Note|Z Fold|Z Flip|Tab S|Tab A|Buds)\s?\d*\w*(?: (?:Ultra|Plus|FE|\+))?/.source,
    /(?:Google )?Pixel \d+a?(?: (?:Pro|XL|Fold))?/.source,
    /OnePlus \d+\w*(?: Pro)?|Xiaomi(?: Redmi)?(?: Note)? \d+\w*(?: Pro)?|Redmi(?: Note)? \d+\w*/.source,
    // Brand words that are also common words ("yo vivo en", "Motorola is") need a model name with a digit.
    /Huawei (?:P|Mate) ?\d+\w*(?: Pro)?|Moto(?:rola)? (?:edge|razr|one|[a-z])(?:\d+\w*)?\b/.source,
    /(?:Nokia|Oppo|Vivo) (?:[a-z]+ ){0,2}[a-z]?\d+\w*/.source,
    /Apple TV(?: 4K)?|Apple Watch(?: \w+)?|MacBook(?: Pro| Air)?|Chromebook|Kindle Fire|Fire TV/.source,
  ].join("|"),
  "i",
);
const OS_RE =
  /\b(iPadOS|iOS|Android|macOS|OS X|Windows|watchOS|tvOS|Wear ?OS|HarmonyOS|ChromeOS|Linux)\s?(\d+(?:\.\d+)*)?\b/i;
const OS_NAMES: Record<string, string> = {
  ipados: "iPadOS",
  ios: "iOS",
  android: "Android",
  macos: "macOS",
  "os x": "macOS",
  windows: "Windows",
  watchos: "watchOS",
  tvos: "tvOS",
  "wear os": "Wear OS",
  wearos: "Wear OS",
  harmonyos: "HarmonyOS",
  chromeos: "ChromeOS",
  linux: "Linux",
};
const VERSION_RE =
  /\b(?:version|ver\.?|v|app version|update(?:d)? to|upgrad(?:e|ed|ing) to|build|release)\s?(\d+\.\d+(?:\.\d+)*)\b/i;
/** Not a date ("12.03.2024") or an IP address ("192.168.1.1"). */
const BARE_VERSION_RE = /(?<!(?:ios|android|ipados|macos|windows|os) ?)\b(\d+\.\d+\.\d{1,3})\b(?!\.\d)/i;

export interface Environment {
  device: string | null;
  os: string | null;
  appVersion: string | null;
  platform: string | null;
}

function osFromText(text: string): string | null {
  const m = OS_RE.exec(text);
  if (!m) return null;
  // "pop-up windows" names no OS: lower-case "windows" counts only with a version.
  if (m[1] === "windows" && !m[2]) return null;
  const name = OS_NAMES[m[1]!.toLowerCase()] ?? m[1]!;
  return m[2] ? `${name} ${m[2]}` : name;
}

function platformFrom(os: string | null, device: string | null, text: string): string | null {
  const probe = `${os ?? ""} ${device ?? ""}`.toLowerCase();
  if (/ios|iphone|ipad|apple watch|watchos/.test(probe)) return "iOS";
  if (/android|galaxy|pixel|oneplus|xiaomi|redmi|huawei|moto|nokia|oppo|vivo|wear os/.test(probe)) return "Android";
  if (/windows/.test(probe)) return "Windows";
  if (/macos|macbook/.test(probe)) return "macOS";
  if (/\b(?:web version|browser|website|chrome|firefox|safari|microsoft edge|edge browser)\b/i.test(text)) return "Web";
  return null;
}

export function extractEnvironment(item: FeedbackItem): Environment {
  const text = `${item.subject ?? ""} ${item.text}`;
  const device = item.device?.trim() || DEVICE_RE.exec(text)?.[0]?.trim() || null;
  const os = osFromText(text) ?? (item.platform && OS_RE.test(item.platform) ? osFromText(item.platform) : null);
  const appVersion = item.appVersion?.trim() || VERSION_RE.exec(text)?.[1] || BARE_VERSION_RE.exec(text)?.[1] || null;
  // The item's platform key ("ios") in the spelling tickets use ("iOS"), like the ones read from the text.
  const platform = canonicalPlatform(item.platform) ?? platformFrom(os, device, text);
  return { device, os, appVersion, platform };
}

const NUMBERED_STEP_RE =
  /(?:^|[\s:])(?:step )?(\d)[.):]?\s+(?!(?:mb|gb|kb|seconds?|minutes?|times|stars?|days?|weeks?|am|pm|%)\b)([^\d]{3,}?)(?=[\s,;]+(?:step )?\d[.):]?\s|[.!?]?$|\.\s)/gi;
const WHEN_RE =
  /\b(?:when|whenever|every time|each time|as soon as|after|if) (?:i|you|we|users?) (?:try to |tried to |attempt to )?((?:open|tap|click|press|go|select|switch|change|upload|send|rotate|scroll|attach|export|import|log|sign|add|share|save|enable|disable|use|start|launch|play|pick|type|search|edit|delete|connect|check|pay|turn|lock|receive|get|create|update|install|renamed?)[^.!?;]{0,90})/i;

/** Numbered steps when the author wrote them, else the triggering action ("when I open the camera"). */
export function extractSteps(text: string): string[] {
  const steps: string[] = [];
  if (/\bsteps?\b|\b1[.)]\s|\bstep 1\b/i.test(text)) {
    for (const m of text.matchAll(NUMBERED_STEP_RE)) {
      const step = m[2]!.trim().replace(/[,;.]+$/, "");
      if (step.length >= 3) steps.push(capitalise(step));
      if (steps.length >= 6) break;
    }
  }
  if (steps.length >= 2) return steps;
  const trigger = WHEN_RE.exec(text);
  return trigger ? [capitalise(trigger[1]!.trim().replace(/[,;]+$/, ""))] : [];
}

const FEATURE_NOUN =
  "login|log ?in|sign[- ]?in|sign[- ]?up|sync(?:ing)?|search(?: bar)?|notifications?|camera|uploads?|uploading|" +
  "downloads?|payments?|checkout|export|import|calendar|maps?|chat|messages?|messaging|video calls?|video player|" +
  "videos?|audio|sound|dashboard|settings|widgets?|playback|bluetooth|gps|scanner|keyboard|reminders?|attachments?|" +
  "photos?|backup|onboarding|account|subscription|cart|orders?|statistics|reports?|invoices?|editor|timer|" +
  "face id|two-factor|2fa|dark mode|profile|home screen|feed|inbox|contacts?|share button|back button|api|gallery|" +
  "library|player|playlists?|queue|favou?rites|stories|posts?|comments?|timeline|friends|groups|events|bookings?|" +
  "tickets?|wallet|balance|transfers?|receipts?|rewards|points|preferences|filters?|tasks?|notes?|editor|scanner|" +
  "printing|print|voice messages?|audio messages?|video player|map view|navigation|tracking|step counter|streak";
const FEATURE_PHRASE_RE = new RegExp(
  `\\b((?:[a-z]+ ){0,1}(?:${FEATURE_NOUN})(?: (?:page|screen|tab|view|button|feature|menu|section|function|integration|mode))?)\\b`,
  "i",
);
const NAMED_SCREEN_RE = /\b(?:the|my|a) ([a-z]+(?: [a-z]+)?) (page|screen|tab|view|feature|menu|section)\b/i;
/** "when I open the gallery" -> "gallery": the object of the action that triggers the problem. */
const ACTION_OBJECT_RE =
  /\b(?:open|opening|tap|tapping|click|clicking|go to|going to|visit|access|use|using|switch to|scroll through|view) (?:on )?(?:the |my |a )?([a-z]+(?: (?:page|screen|tab|view|list|section|menu|button))?)\b/i;
const STOP = new Set([
  "the",
  "my",
  "a",
  "an",
  "this",
  "that",
  "any",
  "every",
  "new",
  "your",
  "our",
  "of",
  "on",
  "in",
  "to",
  "app",
  "during",
  "with",
  "when",
  "while",
  "for",
  "at",
  "from",
  "into",
  "after",
  "before",
  "open",
  "opening",
  "use",
  "using",
  "try",
  "tap",
  "and",
  "or",
  "is",
  "are",
  "was",
  "it",
  "its",
  "i",
  "we",
  "you",
  "me",
  "anymore",
  "again",
  "properly",
  "all",
  "up",
  "down",
  "now",
  "today",
  "anything",
  "everything",
  "something",
  "them",
  "there",
  "here",
]);

function cleanFeature(phrase: string): string {
  const words = phrase
    .toLowerCase()
    .split(" ")
    .filter((w) => !STOP.has(w) && !/^[a-z]$/.test(w)); // "t" from "can't sync" is no word of the feature
  return words.join(" ");
}

/** The part of the app the report is about, preferring the sentence that describes the problem. */
export function extractAffectedFeature(text: string, problemIndex: number | null): string | null {
  const parts = sentences(text);
  let offset = 0;
  const ordered: string[] = [];
  for (const s of parts) {
    const start = text.indexOf(s, offset);
    offset = start + s.length;
    if (problemIndex !== null && problemIndex >= start && problemIndex <= offset) ordered.unshift(s);
    else ordered.push(s);
  }
  for (const s of ordered) {
    const acted = ACTION_OBJECT_RE.exec(s);
    const named = NAMED_SCREEN_RE.exec(s);
    if (named && !/\b(?:app|latest|same|whole|entire|home)\b/i.test(named[1]!))
      return cleanFeature(`${named[1]} ${named[2]}`);
    const known = FEATURE_PHRASE_RE.exec(s);
    if (known) return cleanFeature(known[1]!);
    if (acted && !STOP.has(acted[1]!)) return cleanFeature(acted[1]!);
  }
  return null;
}
