import type { Severity } from "../schemas.js";
import { BROKEN_VERBS, DATA_NOUNS, NEG } from "./bug.js";

/** Severity cues for bug reports, checked from critical down; the first level with an un-negated hit wins. */

const DATA = DATA_NOUNS;
/** Failing verbs that mean a feature is broken (settings that merely do not apply are not "high"). */
const MAJOR_VERBS = BROKEN_VERBS.replace(/\|apply\|/, "|");

const DATA_LOSS = new RegExp(
  [
    String.raw`\bdata loss\b`,
    String.raw`\blost (?:[\w']+ ){0,3}(?:${DATA})\b`,
    String.raw`\b(?:${DATA})\b[^.!?]{0,40}\b(?:disappear\w*|vanish\w*|gone|deleted|wiped|erased|missing|lost|not saved)`,
    String.raw`\b(?:disappear\w*|deleted|wiped|erased)\b[^.!?]{0,30}\b(?:${DATA})\b`,
    String.raw`\bwhere (?:are|is|did) (?:all )?my (?:${DATA})\b|\blos(?:e|ing) (?:whatever|everything|all) (?:i was|i'?ve|i had|my)\b`,
    String.raw`\b(?:my |our )?(?:account|profile) (?:doesn'?t exist|is gone|was deleted|disappeared|no longer exists)`,
  ].join("|"),
);
const SECURITY =
  /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak(?:s|ed|ing)?\b|\bexposed\b|\bvisible (?:to (?:other|everyone|anyone)|after (?:i )?log)|\bunauthori[sz]ed\b|\bunknown device\b|\bsomeone (?:else )?(?:logged|accessed|got) into\b|\bsomeone else'?s\b|\bshould(?:n'?t| not) (?:have access|be able to (?:see|access))\b|\bdon'?t belong to\b|\bother account'?s\b|\banother (?:user|customer|person)'?s\b|\b(?:privacy|security) (?:issue|problem|leak|bug|flaw|hole|vulnerability)\b|'s messages show up\b/;
const PAYMENT = new RegExp(
  [
    String.raw`\b(?:payment|transaction|checkout|check out|purchase|card|paypal|pay)\b[^.!?]{0,40}\b(?:fail\w*|error|declined|stuck|won'?t|doesn'?t|didn'?t go through|not go through|spinning|something went wrong|crash\w*)`,
    String.raw`\b(?:fail\w*|error|declined|stuck|something went wrong|crash\w*)\b[^.!?]{0,50}\b(?:check ?out|pay(?:ment)?|card|purchase)\b`,
    String.raw`\bcharged anyway\b|\bcharged for a subscription\b|\btook my money\b|\b(?:money|funds|amount) (?:was |got |has been )?(?:taken|deducted|debited)\b|\bmoney left my\b|\b(?:transfer|deposit|payment|withdrawal)\b[^.!?]{0,40}\bnever (?:arrived|showed up|went through|credited|reached)\b|\bbalance (?:never|didn'?t|did not|hasn'?t|has not) (?:update|change)d?\b|\blet me pay\b|\b(?:deposit|withdrawal|payout|transfer) (?:is )?still pending\b`,
    String.raw`\bpurchases? (?:isn'?t|is not|wasn'?t|aren'?t|not) restored\b|\b(?:coins|gems|credits|purchases) (?:\w+ )?(?:disappeared|vanished|are gone|missing)\b`,
    String.raw`\b(?:paid|charged)\b[^.!?]{0,40}\b(?:still|no|not)\b[^.!?]{0,30}\b(?:premium|pro|plan|access|unlock\w*|free|trial|expired)\b`,
    String.raw`\bcan(?:'?t|not) (?:pay|complete (?:the |my )?(?:payment|purchase|order|checkout|booking))`,
    String.raw`\b(?:balance|transactions?|transfers?)\b[^.!?]{0,30}\b(?:wrong|incorrect|missing)\b|\bwrong (?:amount|balance)\b`,
  ].join("|"),
);
const UNUSABLE = new RegExp(
  [
    String.raw`\bunusable\b|\bcompletely (?:broken|useless|unusable)\b|\b(?:totally|completely) useless\b`,
    String.raw`\b(?:won'?t|wont|doesn'?t|does not|will not|refuses to|can'?t|cannot) (?:even )?(?:open|launch|start)(?: the app| it| up)?(?: at all| anymore)?(?=[.!,;]|$| on | since | after | at all| anymore)`,
    String.raw`\b(?:verification|confirmation|reset|activation) (?:email|code|sms|link) (?:never|doesn'?t|does not|won'?t|isn'?t) (?:arrive|come|work)\w*`,
    String.raw`\b(?:white|black|blank) screen (?:after|on|at) (?:the )?(?:splash|start|launch|logo|opening)|\blocks? (?:me|us) out\b|\bcan(?:'?t|not) (?:register|sign up|create an account)\b`,
    String.raw`\bopens (?:and|then) (?:immediately |instantly )?closes\b|\bcan'?t get (?:into|in to|back into) (?:my|our) account\b`,
    String.raw`\bcan'?t use (?:the app|it|this app)(?: at all| anymore)?(?=[.!,;]|$)|\bsplash screen\b[^.!?]{0,40}\b(?:closes|crash\w*|freez\w*|stuck)|\bnothing (?:loads|works)\b|\blocked out of (?:my|our) account\b|\bcannot sign in\b`,
    String.raw`\b(?:crash\w*|closes|black screen|white screen|blank screen)\b[^.!?]{0,30}\b(?:on|at|during) (?:start ?up|launch|opening|boot)`,
    String.raw`\bcrash\w* (?:as soon as|right after|when|whenever|before) (?:i )?(?:open|start|launch)(?:ing)?(?: it| the app| this app)?(?=[.!,;]|$)`,
    String.raw`\bcrash\w* before i can (?:even )?\w+|\bcrash\w* (?:immediately|instantly)\b`,
  ].join("|"),
);
const CRASH =
  /\bcrash\w*|\bfreez\w*|\bfroze\b|\bforce[- ]?(?:clos|quit)\w*|\bcloses (?:by )?itself|\bapp closes\b|\brestarts\b|\bunresponsive\b|\bhangs\b/;
const BROKEN = new RegExp(
  [
    String.raw`\b${NEG} (?:even |properly |correctly )?(?:${MAJOR_VERBS}|see)\b`,
    String.raw`\b(?:don'?t|do not) (?:work|load|open|sync|show|appear|respond|save|play|arrive|update|refresh|connect)\b`,
    String.raw`\bdisappear\w*|\b(?:is|are) gone\b|\bbroke (?:everything|it|the|my)\b|\bdisconnect\w*|\bcut(?:s|ting)? out\b`,
    String.raw`\bcan'?t be (?:scanned|used|opened|read|found|loaded|saved|sent|printed|played|downloaded|accessed)\b|\b(?:can'?t|cannot) (?:i|we) \w+`,
    String.raw`\bkeeps? (?:on )?(?!(?:getting|going|asking|telling|saying|showing|reminding|sending|popping|improving|making|me)\b)\w+ing\b|\b(?:shows?|appears?|receives?|sent|arrives?|gets?) (?:\w+ ){0,3}(?:twice|three times)\b|\b(?:shows?|shown) no data\b|\bcompletely useless\b|\bsays? (?:[\w']+ ){0,4}(?:invalid|expired|denied)\b`,
    String.raw`\bstopped \w+ing\b|\bstops \w+ing\b|\b(?:is|goes|went|turns) (?:all |completely )?(?:black|blank)\b|\bbroken\b|\bfail\w*|\berrors?\b|\b(?:gets?|is|got) stuck\b|\bstuck (?:on|at|in)\b`,
    String.raw`\b(?:logs?|logged|kick(?:s|ed)?|signs?) (?:me )?out\b|\b(?:black|white|blank) screen\b|\bnothing happens\b|\bdoes nothing\b`,
    String.raw`\bkeeps? (?:crashing|closing|logging|restarting|freezing)|\bvanish\w*|\bmissing\b|\bunable to\b|\breset to 0\b`,
    String.raw`\b(?:pending|loading|spinning|syncing|buffering|spins) forever\b|\b(?:drops|cuts? out)\b|\boff by\b|\bshows? (?:\$?0|the wrong)`,
    String.raw`\bgets? duplicated\b|\bwrong one\b|\bnot (?:working|loading|arriving|syncing)\b|\bgreyed out\b|\bempty dashboard\b`,
    String.raw`\bunreachable\b|\b(?:returns|shows) nothing\b|\bstops (?:when|whenever|after|every|randomly)\b|\bforgets\b|\bgoe?s? blank\b`,
    String.raw`\basks? (?:me )?to (?:log|sign) ?in\b|\bout of (?:sync|order)\b|\bstops? after \d+|\b(?:says|tells me) (?:\w+ ){0,3}no (?:internet|connection)\b|\b(?:way|completely|totally) off\b|\bby itself\b|\beverything works except\b|\bused to work\b|\bjust spins\b|\b(?:do|does|did) nothing\b|\bempty file\b|\bshows? (?:a |just )?black\b|\bcan (?:never|not ever) get it to\b|\bcan'?t (?:ever )?get it to\b|\b(?:says|telling|tells) (?:me )?(?:my )?(?:password|code|pin|card|email) is (?:wrong|invalid|incorrect)\b`,
  ].join("|"),
);
const PERFORMANCE =
  /\bslow\w*|\blag\w*|\bstutter\w*|\bchoppy\b|\btakes? (?:forever|ages|about|around|\d+)|\bbattery\b|\bheats? up\b|\blate\b|\bdelay\w*|\bwrong\b|\bincorrect\b|\binstead of\b|\bsideways\b|\bresets?\b|\bduplicat\w*|\bglitch\w*|\bbug\b|\bissue\b/;
export const COSMETIC =
  /\btypos?\b|\bmisspel\w*|\bspelled\b|\bmisaligned\b|\balignment\b|\boverlap\w*|\bcut off\b|\btruncated\b|\bblurry\b|\bpixelated\b|\bstretched\b|\bcosmetic\b|\bspelling (?:mistake|error)s?\b|\bnot translated\b|\bscreens? in english\b|\bhard to read\b|\bunreadable\b|\buntranslated\b|\btranslation\b|\blooks? (?:a bit |slightly )?(?:off|weird|odd|messy)\b|\bfont\b|\bcolou?r\b|\bicons?\b|\blogo\b|\b(?:white|black|wrong) background\b|\bgrey on black\b/;

export const SEVERITY_CUES: ReadonlyArray<readonly [Severity, string, RegExp]> = [
  ["critical", "data loss", DATA_LOSS],
  ["critical", "security or privacy", SECURITY],
  ["critical", "payment failure", PAYMENT],
  ["critical", "app unusable", UNUSABLE],
  ["high", "crash or freeze", CRASH],
  ["high", "feature broken", BROKEN],
  ["medium", "performance or wrong behaviour", PERFORMANCE],
  ["low", "cosmetic", COSMETIC],
];

export const WORKAROUND =
  /\bworkaround\b|\bwork around\b|\bfixes it\b|\bcan fix it manually\b|\b(?:works|shows?|arrive) (?:fine |ok |correctly )?on the (?:web|website|desktop|laptop|browser|web version)\b|\bthe web version shows\b|\bbefore it loads\b|\beventually (?:loads|works)\b|\bfor now i (?:just )?\w+|\bjust rotate\b|\bregenerate\b|\bthey do arrive on\b|\bcan still use (?:it|the app)\b/;
export const MINOR =
  /\bminor\b|\bsmall (?:issue|bug|thing)\b|\bnot (?:a big deal|urgent|a huge deal)\b|\bjust (?:a )?(?:small|cosmetic)\b|\bslightly\b|\ba bit (?:irritating|annoying)\b|\bjust confusing\b/;
export const URGENT =
  /\bcritical\b|\burgent(?:ly)?\b|\basap\b|\bemergency\b|\bimmediate (?:resolution|fix|help|attention|action|assistance)\b|\bas soon as possible\b|\bblocking\b|\bneeds fixing now\b|\bcosting us\b|\blosing (?:money|customers|business|sales)\b|\bfixed immediately\b/;
export const WIDESPREAD =
  /\b(?:all|every|whole|entire) (?:of )?(?:our |the )?(?:users|staff|team|company|organi[sz]ation|office|department|employees|customers|cashiers)\b|\bnobody (?:in|can)\b|\b\d{2,}\+? (?:users|people|employees|staff|cashiers|members|accounts)\b|\bmultiple users\b|\b(?:team|office|organi[sz]ation|company|department) of \d+\b|\bour \d+ \w+ (?:cannot|can'?t)\b|\bour whole\b|\beveryone on\b/;

export const SYMPTOM_CUES: ReadonlyArray<readonly [string, RegExp]> = [
  ["Data loss", /\bdata loss\b|\blost (?:all |my |our )|\b(?:disappeared|vanished|wiped|gone|deleted)\b/],
  [
    "Security issue",
    /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak\w*|\bexposed\b|\bprivacy (?:issue|leak)|\bsecurity (?:issue|problem)/,
  ],
  ["Payment failure", /\bpayment\w*|\bcheck ?out\b|\bcharged\b|\btransaction\b|\bcard\b/],
  ["App won't open", /\b(?:won'?t|wont|doesn'?t|can'?t|cannot) (?:even )?(?:open|launch|start)\b/],
  ["Crash", /\bcrash\w*|\bforce[- ]?clos\w*|\bcloses (?:by )?itself/],
  ["Freeze", /\bfreez\w*|\bfroze\b|\bunresponsive\b|\bhangs\b/],
  ["Blank screen", /\b(?:black|white|blank|grey) screen\b/],
  ["Login failure", /\b(?:log ?in|sign ?in|login|logs? (?:me )?out|logged out|locked out)\b/],
  ["Sync failure", /\bsync\w*/],
  ["Slow performance", /\bslow\w*|\blag\w*|\btakes? (?:forever|ages|about|around|\d+)/],
  ["Battery drain", /\bbattery\b|\boverheat\w*/],
  [
    "Cosmetic issue",
    /\btypo\w*|\bmisspel\w*|\bmisaligned\b|\boverlap\w*|\bblurry\b|\bstretched\b|\bcolou?r\b|\bfont\b/,
  ],
];
