/**
 * The structured side of duplicate grouping: what a feedback text says beyond its overall meaning. A sentence
 * encoder puts "the app crashes when I open the camera" closer to "the app crashes when I open settings" than to
 * a paraphrase of itself, so the component (feature) a report is about, the error codes and quoted messages it
 * gives and the symptom it names are read separately, and gate the semantic score (app/grouping/similarity.ts).
 */

export interface ItemFeatures {
  /** Content words, lower-cased and lightly stemmed (lexical overlap). */
  words: Set<string>;
  /** Stem -> a word as written (to read what the words that differ name). */
  spelled: Map<string, string>;
  /** Canonical product components named ("camera", "login", "payment"). */
  components: Set<string>;
  /** Canonical symptoms named ("crash", "freeze", "slow"). */
  symptoms: Set<string>;
  /** Error codes and quoted error messages, normalised. */
  codes: Set<string>;
  /** Numbers as written ("40", "4.2", "17"): two reports on one template that differ in them differ in fact. */
  numbers: Set<string>;
  /** Major.minor of the app version, when known. */
  version: string | null;
  /** Platform in one spelling, lower case ("ios", "android", "web"), when known. */
  platform: string | null;
}

/** Canonical component -> the phrases that name it (matched as whole words, after lower-casing). */
const COMPONENTS: Record<string, string[]> = {
  camera: ["camera", "cam", "selfie", "viewfinder", "front facing", "rear facing"],
  photo: [
    "photo",
    "photos",
    "picture",
    "pictures",
    "pic",
    "pics",
    "image",
    "images",
    "gallery",
    "thumbnail",
    "thumbnails",
  ],
  video: ["video", "videos", "clip", "clips"],
  call: ["call", "calls", "video call", "video calls", "calling", "facetime", "meeting", "meetings"],
  recording: ["recording", "recordings", "record", "screen recording", "screen record"],
  login: [
    "login",
    "log in",
    "logging in",
    "logged out",
    "log out",
    "sign in",
    "signing in",
    "signin",
    "password",
    "2fa",
    "two factor",
    "authentication",
    "otp",
    "verification code",
    "face id",
    "touch id",
    "sso",
  ],
  signup: ["sign up", "signup", "register", "registration", "create an account", "account creation", "create account"],
  payment: [
    "payment",
    "payments",
    "pay",
    "paying",
    "checkout",
    "check out",
    "credit card",
    "card",
    "billing",
    "billed",
    "charge",
    "charged",
    "charges",
    "subscription",
    "subscribe",
    "purchase",
    "purchases",
    "refund",
    "invoice",
    "paypal",
    "google pay",
    "apple pay",
    "premium",
    "in app purchase",
  ],
  notification: ["notification", "notifications", "push", "alert", "alerts", "badge"],
  sync: ["sync", "syncing", "synced", "synchronization", "synchronisation", "cloud"],
  search: ["search", "searching", "find", "filter results", "search bar", "search results"],
  settings: ["settings", "setting", "preferences", "preference", "options"],
  profile: ["profile", "avatar", "bio", "username", "display name"],
  map: ["map", "maps", "location", "gps", "navigation", "directions", "route"],
  chat: ["chat", "chats", "message", "messages", "messaging", "dm", "dms", "inbox", "conversation", "conversations"],
  stickers: ["sticker", "stickers", "gif", "gifs"],
  drafts: ["draft", "drafts"],
  upload: ["upload", "uploads", "uploading", "uploaded"],
  download: ["download", "downloads", "downloading", "downloaded", "offline copy"],
  export: ["export", "exporting", "exported", "csv", "pdf"],
  audio: ["audio", "sound", "microphone", "mic", "voice", "volume", "speaker"],
  calendar: ["calendar", "reminder", "reminders", "event", "events", "schedule", "agenda"],
  widget: ["widget", "widgets", "home screen widget"],
  darkmode: ["dark mode", "dark theme", "night mode", "darkmode", "light mode", "theme"],
  keyboard: ["keyboard", "typing", "autocorrect", "emoji"],
  share: ["share", "sharing", "shared", "share sheet"],
  backup: ["backup", "backups", "restore", "restoring", "back up"],
  battery: ["battery", "drain", "drains", "draining", "overheat", "overheating", "hot"],
  ads: ["ad", "ads", "advert", "adverts", "advertisement", "advertisements", "commercials"],
  cart: ["cart", "basket", "order", "orders", "delivery", "shipping", "tracking"],
  playback: [
    "playback",
    "player",
    "play",
    "playing",
    "stream",
    "streaming",
    "buffering",
    "playlist",
    "playlists",
    "song",
    "songs",
    "podcast",
    "podcasts",
    "episode",
    "episodes",
  ],
  subtitles: ["subtitles", "subtitle", "captions", "caption"],
  feed: ["feed", "timeline", "home feed", "stories", "story", "posts", "post"],
  comments: ["comment", "comments", "reply", "replies"],
  editor: ["editor", "edit", "editing", "crop", "cropping", "filter", "filters", "draw", "drawing"],
  attachment: ["attachment", "attachments", "attach", "attached", "file", "files"],
  contacts: ["contacts", "contact", "address book", "friends", "friend list"],
  bluetooth: ["bluetooth", "headphones", "earbuds", "airpods", "car play", "carplay", "android auto"],
  wifi: ["wifi", "wi fi", "network", "internet", "mobile data", "cellular", "router"],
  print: ["print", "printing", "printer"],
  scanner: ["scan", "scanner", "scanning", "qr", "barcode", "qr code"],
  watch: ["watch", "apple watch", "wear os", "smartwatch"],
  tablet: ["ipad", "tablet", "ipados"],
  orientation: ["landscape", "portrait", "rotate", "rotation", "split screen"],
  language: ["language", "translation", "translate", "translations", "localization", "spanish", "german", "french"],
  font: ["font", "fonts", "text size", "font size", "zoom"],
  accessibility: ["accessibility", "voiceover", "talkback", "screen reader", "contrast", "colorblind"],
  onboarding: ["onboarding", "tutorial", "walkthrough", "intro"],
  account: ["account deletion", "delete my account", "delete account", "account"],
  email: ["email", "emails", "e mail", "newsletter", "mail"],
  tasks: ["task", "tasks", "todo", "to do", "checklist", "list", "lists"],
  notes: ["note", "notes", "notebook", "notebooks"],
  workout: ["workout", "workouts", "exercise", "run", "runs", "running"],
  steps: ["steps", "step", "step count", "step counter", "pedometer"],
  heartrate: ["heart rate", "bpm", "pulse", "heart"],
};

/** Canonical symptom -> the phrases that name it. */
const SYMPTOMS: Record<string, string[]> = {
  crash: [
    "crash",
    "crashes",
    "crashed",
    "crashing",
    "force close",
    "force closes",
    "closes itself",
    "shuts down",
    "quits",
    "kicks me out",
    "closes immediately",
    "closes instantly",
    "closes right away",
    "keeps closing",
  ],
  freeze: [
    "freeze",
    "freezes",
    "froze",
    "frozen",
    "freezing",
    "hang",
    "hangs",
    "stuck",
    "unresponsive",
    "not responding",
  ],
  slow: ["slow", "slowly", "lag", "laggy", "lags", "lagging", "takes forever", "sluggish", "ages to load"],
  blank: ["blank", "white screen", "black screen", "empty screen", "grey screen", "nothing shows", "shows nothing"],
  missing: ["disappeared", "disappear", "disappears", "missing", "gone", "lost", "deleted", "vanished", "wiped"],
  duplicate: ["duplicate", "duplicates", "duplicated", "twice", "double", "doubled"],
  wrong: ["wrong", "incorrect", "inaccurate", "off by", "mismatch"],
  fail: [
    "fails",
    "failed",
    "failing",
    "won't",
    "doesn't work",
    "does not work",
    "not working",
    "can't",
    "cannot",
    "unable",
    "error",
  ],
  request: [
    "please add",
    "would love",
    "wish",
    "feature request",
    "could you add",
    "it would be great",
    "add an option",
    "add a",
    "option to",
    "ability to",
    "support for",
    "would be nice",
  ],
};

const STOPWORDS = new Set(
  (
    "a an the and or but if then so to of in on at for with from by about as is are was were be been being it its " +
    "this that these those i me my we our you your he she they them their there here have has had do does did " +
    "not no can could would should will just very really also too when while after before again now app apps " +
    "application please thanks thank hi hello still every time always any all some one get got make makes "
  ).split(" "),
);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function phraseMatcher(table: Record<string, string[]>): (text: string) => Set<string> {
  const entries = Object.entries(table).map(([name, phrases]) => ({
    name,
    pattern: new RegExp(`(?:^|[^a-z0-9])(?:${phrases.map(escapeRegExp).join("|")})(?=$|[^a-z0-9])`),
  }));
  return (text) => new Set(entries.filter((e) => e.pattern.test(text)).map((e) => e.name));
}

const componentsOf = phraseMatcher(COMPONENTS);

const componentsOfWord = new Map<string, Set<string>>();

/** The components some single words name (e.g. the words in which two reports differ); memoised per word. */
export function componentsNamed(words: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const word of words) {
    let named = componentsOfWord.get(word);
    if (!named) {
      named = componentsOf(` ${word} `);
      if (componentsOfWord.size < 100_000) componentsOfWord.set(word, named);
    }
    for (const component of named) found.add(component);
  }
  return found;
}
const symptomsOf = phraseMatcher(SYMPTOMS);

/** A light stem: enough for "crashes"/"crashing"/"crashed" to meet. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(?:ingly|edly|ing|ied|ies|ed|es|s|ly)$/, "") || word;
}

const CODE_PATTERNS = [
  /\b(?:error|err|code|exception|status)\s*(?:code)?\s*[:#]?\s*([a-z]*[-_]?\d{2,6}[a-z]?)\b/gi,
  /\b([A-Z]{1,6}[-_]\d{2,6})\b/g,
  /\b(0x[0-9a-f]{4,})\b/gi,
  /\b([A-Za-z]+(?:Exception|Error))\b/g,
];

/** Error codes ("E-1042", "error 503", "0x80070005", "NullPointerException") and quoted messages. */
export function codesOf(text: string): Set<string> {
  const codes = new Set<string>();
  for (const pattern of CODE_PATTERNS)
    for (const match of text.matchAll(pattern)) codes.add(match[1]!.toLowerCase().replace(/[-_\s]/g, ""));
  for (const match of text.matchAll(/["“']([^"”']{8,80})["”']/g)) {
    const quoted = match[1]!
      .toLowerCase()
      .replace(/[^a-z0-9 ]/g, "")
      .trim();
    if (/error|fail|invalid|unable|went wrong|denied|not found|expired|timed out|try again/.test(quoted))
      codes.add(`"${quoted}"`);
  }
  return codes;
}

/** Canonical platform: "iOS 17.2" -> "ios", "Android 14" -> "android". */
export function platformOf(platform: string | null | undefined, text: string): string | null {
  const source = `${platform ?? ""}`.toLowerCase();
  const pick = (s: string) =>
    /\b(?:ios|iphone|ipad|ipados)\b/.test(s)
      ? "ios"
      : /\b(?:android|pixel|galaxy|samsung|oneplus|xiaomi)\b/.test(s)
        ? "android"
        : /\b(?:web|browser|chrome|firefox|safari|edge)\b/.test(s)
          ? "web"
          : /\b(?:windows|macos|mac)\b/.test(s)
            ? "desktop"
            : null;
  return pick(source) ?? pick(text.toLowerCase());
}

/** Major.minor: "4.2.1" -> "4.2". */
export function versionOf(version: string | null | undefined, text: string): string | null {
  const match = (version ?? "").match(/\d+\.\d+/) ?? text.match(/\b(?:version|v)\s?(\d+\.\d+)/i);
  return match ? (match[1] ?? match[0]) : null;
}

/** Everything the similarity reads besides the embedding. `feature` is the crew's affected feature, if any. */
export function featuresOf(
  text: string,
  facts: { appVersion?: string | null; platform?: string | null; affectedFeature?: string | null } = {},
): ItemFeatures {
  const lower = ` ${text
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^a-z0-9'\s]/g, " ")
    .replace(/\s+/g, " ")} `;
  const spelled = new Map<string, string>();
  for (const word of lower.split(" ").map((w) => w.replace(/'/g, ""))) {
    if (word.length > 1 && !STOPWORDS.has(word) && !/^\d+$/.test(word) && !spelled.has(stem(word)))
      spelled.set(stem(word), word);
  }
  const words = new Set(spelled.keys());
  const components = componentsOf(lower);
  if (facts.affectedFeature)
    for (const c of componentsOf(` ${facts.affectedFeature.toLowerCase()} `)) components.add(c);
  return {
    words,
    spelled,
    components,
    symptoms: symptomsOf(lower),
    codes: codesOf(text),
    numbers: new Set(text.match(/\d+(?:[.,]\d+)*/g) ?? []),
    version: versionOf(facts.appVersion, text),
    platform: platformOf(facts.platform, text),
  };
}
