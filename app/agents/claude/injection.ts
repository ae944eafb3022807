/**
 * A local screen for prompt injection in feedback text, run before anything is sent to a model. It is a
 * second line of defence: the prompt already delimits and escapes item content, the model is asked to
 * flag steering attempts (x=1), and the crew cross-checks the model's answer with the offline crew. An
 * item this screen flags is classified on content (escalation capped by the offline assessment) and goes
 * to needs_review.
 *
 * The text is scanned in several readings, so that obfuscation does not hide an instruction: Unicode
 * NFKC with zero-width and control characters removed, look-alike letters (Cyrillic/Greek homoglyphs,
 * leetspeak) folded to Latin, letters spaced out ("i g n o r e") joined, ROT13, reversed text, and
 * decoded base64 / hex / percent-encoded runs. Patterns cover English and a dozen other languages.
 */

export interface InjectionScreen {
  readonly suspected: boolean;
  /** `pattern@reading`, e.g. "ignore-instructions@base64". */
  readonly signals: string[];
}

const HOMOGLYPHS: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  ı: "i",
  ɩ: "i",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  γ: "y",
  ω: "w",
  β: "b",
  η: "n",
  μ: "u",
};
const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
};

const INVISIBLE_RE = /[\p{Cf}\p{Cc}\u115f\u1160\u3164\uffa0]|\u034f/gu;

function baseReading(text: string): string {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE_RE, (c) => (c === "\n" || c === "\t" ? " " : ""))
    .toLowerCase();
}

function foldHomoglyphs(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFKD").replace(/\p{M}/gu, "")) out += HOMOGLYPHS[ch] ?? ch;
  return out;
}

function foldLeet(text: string): string {
  return text.replace(/[0134579@$!|]/g, (c, offset: number) => {
    // Only inside words: "1gn0re" but not "version 3.1" or "5 stars".
    const before = text[offset - 1] ?? " ";
    const after = text[offset + 1] ?? " ";
    return /\p{L}/u.test(before) || /\p{L}/u.test(after) ? (LEET[c] ?? c) : c;
  });
}

/** "i g n o r e  a l l" / "i.g.n.o.r.e" -> "ignore all". */
function joinSpacedLetters(text: string): string {
  return text.replace(/\b(?:\p{L}[ ._\-*]){3,}\p{L}\b/gu, (run) => run.replace(/(\p{L})[ ._\-*](?=\p{L})/gu, "$1"));
}

function rot13(text: string): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
}

const mostlyPrintable = (s: string): boolean => {
  if (s.length < 8) return false;
  const printable = s.match(/[\p{L}\p{N}\p{P}\p{Zs}]/gu)?.length ?? 0;
  return printable / s.length > 0.9 && /\s/.test(s);
};

function decodedRuns(raw: string): string[] {
  const out: string[] = [];
  for (const m of raw.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    try {
      const decoded = Buffer.from(m[0].replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
      if (mostlyPrintable(decoded)) out.push(decoded);
    } catch {
      // not base64
    }
  }
  for (const m of raw.matchAll(/(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s:,]?){12,}/g)) {
    const hex = m[0].replace(/\\x|0x|[\s:,]/g, "");
    const decoded = Buffer.from(hex, "hex").toString("utf8");
    if (mostlyPrintable(decoded)) out.push(decoded);
  }
  if (/%[0-9a-fA-F]{2}/.test(raw)) {
    try {
      out.push(decodeURIComponent(raw.replace(/\+/g, " ")));
    } catch {
      // malformed escapes
    }
  }
  for (const m of raw.matchAll(/(?:&#x?[0-9a-fA-F]+;){6,}/g)) {
    out.push(
      m[0].replace(/&#(x?)([0-9a-fA-F]+);/g, (_, x: string, n: string) =>
        String.fromCodePoint(Number.parseInt(n, x ? 16 : 10)),
      ),
    );
  }
  return out;
}

const PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  // English
  [
    "ignore-instructions",
    /\b(?:ignore|disregard|forget|override|bypass|skip|drop|discard|abandon)\b[^.!?\n]{0,50}\b(?:instructions?|prompts?|rules|guidelines|directives?|directions|context|programming|above|previous|prior|earlier|system)\b/,
  ],
  [
    "new-instructions",
    /\b(?:new|updated|real|actual|hidden|secret|true|additional|revised) (?:instructions?|directives?|system prompt)\b|\bnew task\s*:/,
  ],
  [
    "system-prompt",
    /\b(?:system prompt|system message|developer mode|dev mode|jailbreak|jailbroken|do anything now|dan mode|god mode|admin(?:istrator)? mode|unrestricted mode|prompt injection)\b/,
  ],
  [
    "role-change",
    /\byou are (?:now|no longer)\b|\b(?:act|behave|respond|answer) as (?:an?|the|my|if you were) (?:ai|assistant|admin|administrator|developer|system|different|new|unrestricted|unfiltered|evil|root)\b|\bpretend (?:to be|you are|you're)\b|\bfrom now on,? you\b/,
  ],
  [
    "reveal-prompt",
    /\b(?:reveal|print|repeat|output|show|leak|tell me)\b[^.!?\n]{0,25}\b(?:your|the|this) (?:system )?(?:prompt|instructions|rules|system message)\b/,
  ],
  [
    "addressed-to-ai",
    /\b(?:dear|hey|hi|attention|note to( the)?|to the|to any|message for( the)?) (?:ai|a\.i\.|llm|language model|chatbot|bot|assistant|model|classifier|triage (?:system|bot|ai)|gpt|claude)\b|\bif you are an? (?:ai|llm|language model|bot)\b|\bas an? (?:ai|language model|llm)\b/,
  ],
  [
    "set-priority",
    /\b(?:mark|set|classify|label|tag|flag|categori[sz]e|escalate|prioriti[sz]e|treat|file|change|make|assign|rank|route|give|rate)\b[^.!?\n]{0,40}\b(?:as|to|with|at)\b[^.!?\n]{0,20}\b(?:critical|urgent|p0|p1|sev ?[01]|highest|top|maximum|max|blocker|emergency)\b(?:[^.!?\n]{0,12}\b(?:priority|severity|bug|ticket|importance))?/,
  ],
  [
    "priority-assignment",
    /\b(?:priority|severity|category|status|classification|urgency)\s*(?:=|:|->|=>|must be|should be|is now|shall be)\s*["'`]?(?:critical|urgent|p0|p1|high(?:est)?|bug|blocker|sev ?[01])\b/,
  ],
  [
    "output-control",
    /\b(?:respond|reply|answer|output|return|print|say)\b[^.!?\n]{0,20}\b(?:only|exactly|nothing but)\b[^.!?\n]{0,30}\b(?:json|word|text|the following|critical|yes)\b|\brespond with\b[^.!?\n]{0,20}["'{]/,
  ],
  [
    "fake-markup",
    /<\/?\s*(?:item|items|system|instructions?|prompt|assistant|user|human|admin|im_start|im_end)\b[^>]*>|<\|[a-z_]+\|>|\[\/?(?:inst|system|sys)\]|(?:^|\s)#{2,}\s*(?:instruction|system|new task)|(?:^|[\n.!?]\s*)(?:system|assistant|human|user|admin)\s*:/,
  ],
  // German
  [
    "ignore-instructions-de",
    /\b(?:ignorier|vergiss|missacht|übergeh)\w*\b[^.!?\n]{0,50}\b(?:anweisung|instruktion|regel|vorgabe|befehl|anleitung)\w*/,
  ],
  [
    "set-priority-de",
    /\b(?:markier|setz|stuf|klassifizier|einstuf|kennzeichn|behandl)\w*\b[^.!?\n]{0,40}\b(?:kritisch|dringend|höchste[rn]? priorität|notfall|blocker)\w*/,
  ],
  // French
  [
    "ignore-instructions-fr",
    /\b(?:ignor|oubli|néglig|contourn)\w*\b[^.!?\n]{0,50}\b(?:instructions?|consignes?|règles?|directives?|ordres?)\b/,
  ],
  [
    "set-priority-fr",
    /\b(?:marqu|class|mett|défini|consid[eé]r|trait)\w*\b[^.!?\n]{0,40}\b(?:critique|urgent|urgente|prioritaire|priorité maximale)\b/,
  ],
  // Spanish / Portuguese / Italian
  [
    "ignore-instructions-es-pt-it",
    /\b(?:ignor|olvid|esquec|dimentic|omit)\w*\b[^.!?\n]{0,50}\b(?:instrucciones|instruções|instrucoes|istruzioni|reglas|regras|regole|indicaciones|órdenes|ordens|direttive)\b/,
  ],
  [
    "set-priority-es-pt-it",
    /\b(?:marc|clasific|classifi|pon|defin|establec|segn|impost|trat|consider)\w*\b[^.!?\n]{0,40}\b(?:crític[oa]|critic[oa]|urgente|prioridad máxima|prioridade máxima|massima priorità)\b/,
  ],
  // Dutch / Polish / Turkish / Swedish
  [
    "ignore-instructions-nl-pl-tr-sv",
    /\b(?:negeer|vergeet|zignoruj|ignoruj|zapomnij|strunt|glöm)\w*\b[^.!?\n]{0,50}\b(?:instructies|regels|instrukcj\w*|polecen\w*|reguł\w*|instruktioner)\b|\btalimatlar\w*\b[^.!?\n]{0,30}\b(?:yok say|görmezden|unut)/,
  ],
  [
    "set-priority-nl-pl-tr",
    /\b(?:markeer|zet|oznacz|ustaw|işaretle)\w*\b[^.!?\n]{0,40}\b(?:kritiek|urgent|dringend|krytyczn\w*|pilne|pilny|kritik|acil)\b/,
  ],
  // Russian / Ukrainian
  [
    "ignore-instructions-ru",
    /(?:игнорир|игнору|забуд|проигнорир|не обращай внимани|ігноруй|забудь)[^.!?\n]{0,50}(?:инструкц|указани|правил|команд|інструкц|вказів)/,
  ],
  [
    "set-priority-ru",
    /(?:отметь|пометь|классифицир|установи|поставь|сделай|познач)[^.!?\n]{0,40}(?:критич|срочн|наивысш|критичн|терміново)/,
  ],
  // Chinese / Japanese / Korean
  [
    "ignore-instructions-zh",
    /(?:忽略|无视|忽视|不要理会|忘记|忘掉)[^。！？\n]{0,15}(?:指令|指示|说明|规则|提示|命令|设定)/,
  ],
  ["set-priority-zh", /(?:标记|标为|设为|设置为|归类为|分类为|列为|定为)[^。！？\n]{0,8}(?:紧急|严重|关键|最高|致命)/],
  [
    "ignore-instructions-ja",
    /(?:指示|命令|ルール|指令|プロンプト)[^。！？\n]{0,12}(?:無視|忘れ)|(?:無視|忘れ)して[^。！？\n]{0,12}(?:指示|命令|ルール)/,
  ],
  [
    "set-priority-ja",
    /(?:緊急|重大|最優先|クリティカル)[^。！？\n]{0,8}(?:として|に)[^。！？\n]{0,4}(?:マーク|設定|分類|扱)/,
  ],
  ["ignore-instructions-ko", /(?:지시|명령|규칙|지침)[^.!?\n]{0,12}(?:무시|잊어)/],
  ["set-priority-ko", /(?:긴급|심각|최우선|치명)[^.!?\n]{0,8}(?:으로|로)\s?(?:표시|설정|분류|처리)/],
  // Arabic / Hindi
  [
    "ignore-instructions-ar-hi",
    /(?:تجاهل|انس)[^.!?\n]{0,40}(?:التعليمات|الأوامر|القواعد)|(?:निर्देशों|नियमों)[^.!?\n]{0,20}(?:अनदेखा|नज़रअंदाज़|भूल)/,
  ],
];

function scanReading(reading: string, label: string, signals: Set<string>): void {
  for (const [name, re] of PATTERNS) if (re.test(reading)) signals.add(`${name}@${label}`);
}

/** Screens one text; pure and fast (tens of microseconds for a review). */
export function screenForInjection(text: string): InjectionScreen {
  const signals = new Set<string>();
  const base = baseReading(text);
  const folded = foldHomoglyphs(base);
  const readings: Array<readonly [string, string]> = [
    ["text", base],
    ["homoglyphs", folded],
    ["leetspeak", foldLeet(folded)],
    ["spaced", joinSpacedLetters(folded)],
    ["rot13", rot13(folded)],
    ["reversed", [...folded].reverse().join("")],
  ];
  for (const decoded of decodedRuns(text.normalize("NFKC")))
    readings.push(["decoded", foldHomoglyphs(baseReading(decoded))]);
  const seen = new Set<string>();
  for (const [label, reading] of readings) {
    if (seen.has(reading)) continue;
    seen.add(reading);
    scanReading(reading, label, signals);
  }
  // Homoglyphs mixed into Latin words are themselves a sign of evasion.
  if (
    /\p{Script=Latin}[\p{Script=Cyrillic}\p{Script=Greek}]|[\p{Script=Cyrillic}\p{Script=Greek}]\p{Script=Latin}/u.test(
      text.normalize("NFKC"),
    )
  ) {
    if (signals.size > 0) signals.add("mixed-script@text");
  }
  return { suspected: signals.size > 0, signals: [...signals].sort() };
}
