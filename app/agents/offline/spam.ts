import { type Cue, cue, scan, sumWeights } from "./text.js";

/** Strong spam signals: each alone is nearly decisive when the text says nothing about the app. */
const SPAM_CUES: readonly Cue[] = [
  cue(
    "link",
    3,
    /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]+\.(?:com|net|org|biz|info|ru|xyz|top|io|co|ly|me|example|shop|site|online|club|win)\b(?:\/\S*)?|\bdot (?:com|net|org|xyz|biz|info)\b|\s\.\s?(?:com|net|org|xyz|biz|info)\b|\bbit\.ly\b|\blink in (?:my )?(?:bio|profile)\b|\b(?:visit|check) (?:our|my) (?:site|website|store|shop|page|channel)\b/,
    false,
  ),
  cue(
    "money-offer",
    3,
    /\b(?:earn|make|making|made) (?:\$|usd ?)?\d[\d,.]*k?\b|\$\d[\d,.]*k? (?:a|per|every) (?:day|week|month|hour)|\b(?:earn|make) (?:money|cash)\b|\bfree (?:money|cash|gems|coins|v-?bucks|robux|iphone|gift|followers|likes|diamonds|spins)\b|\bgift ?cards?\b|\byou(?:'ve| have)? (?:won|been selected)\b|\blottery\b|\bprizes?\b|\bwinner\b|\bguaranteed\b|\bdouble your\b|\binvestment opportunit\w*|\b\d+% (?:daily|weekly) returns?\b|\b\d+x returns?\b|\bcash prizes?\b|\bwork from home\b|\bno experience needed\b|\binstant approval\b|\bno credit check\b|\bloans?\b/,
    false,
  ),
  cue(
    "call-to-action",
    3,
    /\bclick (?:here|the link|this link|below|now)\b|\bbuy now\b|\bshop now\b|\border now\b|\bact now\b|\bcall now\b|\bsign up now\b|\bclaim (?:your|it|now|at|the)\b|\blimited (?:time )?offer\b|\bbefore (?:it'?s|this offer|the offer)(?: \w+)? (?:gone|expires)\b|\btoday only\b|\breply now\b/,
    false,
  ),
  cue(
    "crypto",
    3,
    /\bbitcoin\b|\bbtc\b|\bcrypto\w*|\bnft\b|\bairdrop\b|\bwallet\b|\bdoge\b|\bethereum\b|\bforex\b|\btrading signals\b|\btoken now\b|\bmoon token\b/,
    false,
  ),
  cue(
    "promo-code",
    3,
    /\b(?:promo|coupon|discount|referral|invite|bonus) codes?\b|\buse (?:my |the )?code [a-z0-9]{3,}\b|\b\d+% off\b/,
    false,
  ),
  cue(
    "followers",
    3,
    /\b(?:buy|get|gain|boost|free|instant|real|cheap|\d+k?) (?:(?:instagram|tiktok|twitter|youtube|real|active) )?followers\b|\blikes and followers\b|\bsubscribe to my\b|\bfollow (?:me|my|us)\b|\bmy (?:youtube |tiktok |twitch )?channel\b|\bcheck (?:out )?my (?:profile|page|bio|channel|account|website|store)\b|\bcheck out my\b|\b(?:get|got) (?:premium|pro|gems|coins) for free\b|\bshout ?out\b/,
    false,
  ),
  cue(
    "contact-offsite",
    3,
    /\bwhats ?app\b|\btelegram\b|\bkik\b|\bsnap ?chat\b|\badd me (?:on|at)\b|\bdm me\b|\bmessage me\b|\bcontact (?:him|her|us|me) (?:on|at|via)\b|\b\+\d[\d ]{7,}\b/,
    false,
  ),
  cue(
    "shady-goods",
    3,
    /\bhot singles\b|\bdating (?:site|fun)\b|\bno prescription\b|\bcheap (?:meds|pills|viagra|replica\w*)\b|\breplica\w*|\bviagra\b|\b(?:best|cheap) pills\b|\bgrowth hack\w*|\bfree consultation\b|\bguarantee (?:top|first|\d)|\bapp (?:store )?marketing\b|\btop \d+ ranking\b|\bprice list\b|\b\d+k (?:installs|downloads|followers|users)\b|\bonline casino\b|\bseo (?:services?|agency)\b|\brank your (?:website|site|app)\b|\bfirst page (?:ranking|of google)\b|\bhack for unlimited\b|\b(?:coins?|gems?|robux|v-?bucks|money|followers?) generator\b|\bno (?:survey|human verification)\b|\bdoctors hate\b|\bsimple trick\b|\bbusiness proposal\b|\b(?:i am|i'm) a prince\b|\btransfer \d+ (?:million|thousand)\b|\bbank details\b|\bcredit card details\b|\bverify your (?:password|account) here\b|\baccount will be suspended\b|\bdownloads a week\b|\bmarketing agency\b|\bflash sale\b|\bdesigner bags\b|\bsugar (?:daddy|baby|mommy)\b|\bguest posts?\b|\bsponsored posts?\b|\b(?:prices?|packages?|posts?|plans?) start(?:s|ing)? (?:at|from) \$\d+|\bbacklinks?\b/,
    false,
  ),
  cue(
    "off-topic",
    3,
    /\banyone (?:want to|wanna) (?:chat|talk|be friends|date)\b|\bwho else is here (?:from|for|because)\b|\blooking for (?:a )?(?:friends?|girlfriend|boyfriend|wife|husband|someone to talk)\b|\bi am a lonely\b|\bi'?m (?:so )?lonely\b/,
    false,
  ),
];

const KEYBOARD_MASH = /^(?:(\w)\1{5,}|asdf\w*|qwer\w*|zxcv\w*|[bcdfghjklmnpqrstvwxz]{7,})$/;

export interface SpamAssessment {
  readonly score: number;
  readonly kinds: string[];
}

/** Scores spam signals on the raw text (case matters for shouting) and its normalised form. */
export function assessSpam(raw: string, normalised: string): SpamAssessment {
  const { hits } = scan(normalised.replace(/\S+@\S+/g, " "), SPAM_CUES);
  const kinds = hits.map((h) => h.id);
  let score = sumWeights(hits);
  const letters = raw.replace(/[^A-Za-z]/g, "");
  const upper = raw.replace(/[^A-Z]/g, "").length;
  if (letters.length >= 12 && upper / letters.length > 0.7) {
    score += 1.5;
    kinds.push("shouting");
  }
  if (/([!?$])\1{3,}/.test(raw) || /([a-z])\1{4,}/i.test(raw)) {
    score += 1;
    kinds.push("repeated-characters");
  }
  const words = normalised.split(/\s+/).filter(Boolean);
  const letterWords = words.map((w) => w.replace(/[^a-z]/g, "")).filter(Boolean);
  const mash = (w: string) => KEYBOARD_MASH.test(w) || (w.length >= 4 && !/[aeiouy]/.test(w));
  const filler = (w: string) => /^(?:test|testing|hi|hello|ok)$/.test(w);
  if (letterWords.some(mash) && letterWords.every((w) => mash(w) || filler(w))) {
    score += 5;
    kinds.push("gibberish");
  }
  return { score, kinds };
}
