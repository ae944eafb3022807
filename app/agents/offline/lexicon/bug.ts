import { type Cue, cue } from "../text.js";

/** Negated auxiliaries as typed in reviews, with and without apostrophes. */
export const NEG =
  "(?:doesn'?t|does not|didn'?t|did not|won'?t|will not|can'?t|cannot|can not|couldn'?t|could not|isn'?t|is not|" +
  "haven'?t|have not|hasn'?t|has not|wouldn'?t|would not|shouldn'?t|should not|" +
  "aren'?t|are not|wasn'?t|was not|not|unable to|not able to|never|refuses? to|fails? to|failed to|no longer)";

/** Things that hold a user's data: losing them is data loss. */
export const DATA_NOUNS =
  "data|notes?|files?|photos?|pictures|messages|chats?|progress|history|contacts?|projects?|documents?|invoices?|" +
  "recordings?|playlists?|highlights?|bookmarks?|workouts?|entries|transactions|folders?|workspace|addresses|" +
  "saved \\w+|everything|changes|drafts?|records|receipts|recipes|lists|tasks|emails|conversations|library|saves";

export const BROKEN_VERBS =
  "work|works|working|worked|load|loads|loading|open|opens|opening|sync|syncs|syncing|connect|connects|connecting|" +
  "play|plays|playing|launch|launching|start|starting|save|saves|saving|send|sending|upload|uploading|download|" +
  "downloading|show|shows|showing|show up|display|displaying|update|updating|respond|responding|log ?in|login|" +
  "sign ?in|signin|recogni[sz]e|receive|arrive|arriving|refresh|function|functioning|register|verify|access|print|log ?into|sign ?into|let you|let us|" +
  "pay|import|export|install|scroll|record|recording|detect|remember|go through|process|complete|finish|let me|" +
  "allow me|accept|submit|authenticate|stream|stay logged in|notify|ring|vibrate|appear|appearing|track|tracking|" +
  "count|counting|go off|trigger|fire|keep me logged in|get past|move|type|search|find|unlock|apply|activate|updated|" +
  "activated|unlocked|arrived|came|come|loaded|opened|synced|showed up|went through|worked|accept|accepted|connect|sends|" +
  "receives|records|tracks|counts|displays|updates|responds|connects|plays|saves|fire|fires|trigger|triggers|register|" +
  "arrives|comes|restored|restore|scan|registered|going off|ringing|come through";

/** Evidence that something is malfunctioning (category Bug). */
export const BUG_CUES: readonly Cue[] = [
  cue("crash", 3.5, /\bcrash(?:es|ed|ing|y)?\b|\bcrashs\b/),
  cue("freeze", 3.5, /\b(?:freez(?:e|es|ing)|froze|frozen)\b/),
  cue("force-close", 3, /\bforce[- ]?(?:clos|quit|stop)\w*/),
  cue("hang", 2.5, /\b(?:hangs|hanging|hung|stalls|stalling|stalled)\b(?! up\b)/),
  cue(
    "does-not-work",
    3.5,
    new RegExp(
      `\\b${NEG} (?:even |properly |correctly |really |always |reliably |consistently )?(?:${BROKEN_VERBS})\\b`,
    ),
    false,
  ),
  cue(
    "do-not-work",
    3,
    /\b(?:don'?t|do not) (?:even )?(?:work|load|open|sync|show|show up|appear|respond|save|play|arrive|update|refresh|connect|display|match|get saved|come through|go through|come|recogni[sz]e|go off|ring)\b/,
    false,
  ),
  cue(
    "cannot-i",
    2.5,
    /\b(?:can'?t|cannot|can not) (?:i|we|you) (?:\w+)|\bcan (?:never|not ever) get it to\b|\bcan'?t (?:ever )?get it to\b/,
    false,
  ),
  cue(
    "cannot-passive",
    3,
    /\b(?:can'?t|cannot|can no longer) be (?:scanned|used|opened|read|found|loaded|saved|sent|printed|played|downloaded|accessed|edited|deleted)\b/,
    false,
  ),
  cue(
    "where-did-it-go",
    3,
    /\bwhere (?:did|has|have) (?:the |my |all )?[\w ]{2,25} go(?:ne)?\b|\b(?:button|option|tab|icon|menu) is (?:gone|missing|not there)\b/,
  ),
  cue(
    "app-closes",
    3.5,
    /\b(?:app|it|game) (?:just |then |immediately |instantly )*(?:closes|shuts down|quits|exits|jumps out)\b|\bjumps out of (?:the )?apps?\b|\b(?:immediately|instantly) closes\b|\bcloses (?:immediately|instantly|right away)\b/,
  ),
  cue("useless-now", 3, /\b(?:completely|totally|now) useless\b|\buseless (?:since|after)\b/),
  cue(
    "quality-bad",
    2.5,
    /\b(?:video|audio|sound|picture|image|call|stream) quality is (?:terrible|bad|poor|awful|horrible|garbage)\b/,
  ),
  cue(
    "says-invalid",
    2.5,
    /\b(?:says?|tells? me|telling me|shows?) (?:[\w']+ ){0,4}(?:invalid|not found|doesn'?t exist|expired|not available|unavailable|failed|denied|no (?:internet|connection|network)|offline|not connected|is wrong|incorrect)\b/,
  ),
  cue(
    "used-to-work",
    3,
    /\bused to work\b|\bworked (?:fine|perfectly|great) (?:before|until)\b|\b(?:it )?just spins\b|\beverything works except\b|\bworks except (?:for )?the\b/,
    false,
  ),
  cue(
    "still-pending",
    3,
    /\bstill (?:pending|processing|not (?:received|credited|arrived))\b|\bpending for \d+|\bstuck (?:on |in )?pending\b/,
  ),
  cue(
    "way-off",
    2.5,
    /\b(?:way|completely|totally|always|wildly) off\b|\b(?:readings?|numbers|counts?|totals?) (?:are|is) off\b/,
  ),
  cue("by-itself", 2.5, /\b(?:by|on) (?:it|them)sel(?:f|ves)\b|\bon its own\b/),
  cue("nothing-but-problems", 3, /\bnothing but (?:problems|issues|trouble|errors|bugs|glitches)\b/, false),
  cue(
    "mismatch",
    1.5,
    /\b(?:although|even though|despite) (?:my|i|the|it|they)\b|\b(?:everything|all) else (?:on my phone |on my device )?(?:works|is) fine\b/,
  ),
  cue(
    "wrong-access",
    3,
    /\bshould(?:n'?t| not) (?:have access|be able to (?:see|access))\b|\bdon'?t belong to\b|\b(?:the )?other account'?s\b|\bsomeone else'?s\b|\banother (?:user|account|customer)'?s\b/,
    false,
  ),
  cue(
    "covers-control",
    2.5,
    /\b(?:covers|hides|blocks) (?:the|my) [\w ]{0,15}(?:button|field|box|text|bar|screen|menu)\b/,
  ),
  cue(
    "resource-hog",
    2.5,
    /\b(?:using|uses|takes up|eats|eating) (?:up )?(?:\d+(?:\.\d+)? ?(?:gb|mb)|so much|too much) (?:of )?(?:storage|space|memory|data|ram)\b/,
  ),
  cue("where-is-my", 3, /\bwhere (?:are|is|did) (?:all )?my \w+/),
  cue(
    "shows-no-data",
    3,
    /\b(?:returns|finds|gives|shows?|shown|showing|displays?) (?:no data|no results|nothing|someone else'?s|other (?:people|users)'?s?)\b|\bno data (?:shows?|appears?)\b|\b(?:is|are|all|went|goes?) (?:all )?(?:blank|empty)\b/,
  ),
  cue(
    "duplicated",
    2.5,
    /\b(?:shows?|appears?|receives?|gets?|sent|arrives?|charged|shown|comes?|coming|goes|went|fires?|plays?|played|rings?|pops? up) (?:\w+ ){0,3}(?:twice|three times|double)\b/,
  ),
  cue("is-normal", 1.5, /\b(?:is|if) (?:this|that|it)(?:'s| is)? (?:normal|expected|intended)\b/, false),
  cue(
    "keeps-doing",
    2,
    /\b(?:keeps?|kept) (?:on )?(?!(?:getting|going|raising|increasing|adding|improving|growing|pushing|sending|asking|telling|reminding|coming|making|me)\b)\w+ing\b/,
    false,
  ),
  cue(
    "cannot-do",
    2,
    /\b(?:can'?t|cannot|unable to|not able to) (?:even )?(?:see|use|get|hear|read|edit|change|add|delete|remove|select|click|tap|watch|view|enter|reach|create|close|reset|attach|post|share|book|order)\b/,
    false,
  ),
  cue(
    "stopped-working",
    3.5,
    /\b(?:stopped|stops|quit|quits) (?:working|loading|syncing|recording|showing|updating|opening|responding|sending|playing|tracking|counting|connecting|functioning|firing|triggering|arriving|coming|saving|notifying)\b/,
  ),
  cue(
    "keeps-failing",
    3.5,
    /\b(?:keeps?|kept|keep on) (?:on )?(?:crashing|closing|freezing|restarting|logging (?:me )?out|signing (?:me )?out|kicking me|loading|buffering|stopping|resetting|disconnecting|dropping|asking|saying|telling|showing|failing|spinning|refreshing|reloading|glitching|lagging|deleting|reverting|hanging|quitting|shutting|timing out|disappearing|going back|jumping)\b/,
    false,
  ),
  cue(
    "logged-out",
    3,
    /\b(?:logs?|logged|signs?|signed|kicks?|kicked|throws?|boots?) (?:me|us|everyone|all)(?: \w+)? out\b|\blogged out\b|\blocked out\b/,
  ),
  cue(
    "blank-screen",
    3,
    /(?<!\bbright )\b(?:black|white|blank|grey|gray|empty) (?!screens? (?:at night|in the dark|is (?:too )?bright|hurts|burns|is killing))(?:screen|page|dashboard|charts?|file)\b|\bshows? (?:a |just )?(?:black|blank|white)\b/,
  ),
  cue(
    "stuck",
    3,
    /\b(?:gets?|is|got|still|keeps? getting) stuck\b|\bstuck (?:on|at|in|loading)\b|\b(?:screen|spinner|wheel|circle|loads?) forever\b|\bspins? forever|\bspinning (?:wheel|forever|circle)|\b(?:loading|syncing|pending|buffering) forever|\bforever (?:to load|loading)|\btim(?:es|ed) out\b/,
  ),
  cue("bug-word", 3, /\bbugs?\b|\bbuggy\b|\bglitch(?:es|y)?\b/),
  cue("error", 3, /\berrors?\b|\bsomething went wrong\b|\bexceptions?\b/),
  cue("error-code", 2, /\b(?:code|error|http) ?[45]\d\d\b|\b[45]0\d (?:error|bad gateway|not found)|\b404\b/),
  cue("fail", 3, /\bfail(?:s|ed|ing|ure|ures)?\b/),
  cue("broken", 3, /\bbroken\b|\bbreaks\b|\bbroke (?:everything|it|the|my)\b/),
  cue(
    "named-fault",
    3,
    /\b(?:authentication|login|log-?in|sign-?in|sync|syncing|connection|connectivity|loading|upload|download|notification|playback|audio|sound|display|rendering|keyboard|battery drain) (?:problems?|issues?|errors?|bugs?|failures?)\b|\b(?:messed|screwed) up (?:the|my|everything|all)\b|\b(?:lose|loses|losing|lost) (?:my |the |\w+ )?(?:connection|signal|sound|audio)\b/,
  ),
  cue("issue", 1.5, /\bissues?\b|\bproblems?\b|\bunreliable\b|\bnot reliable\b|\bintermittent(?:ly)?\b/),
  cue("unusable", 3.5, /\bunusable\b|\bnot usable\b|\buseless right now\b/),
  cue(
    "nothing-happens",
    3,
    /\bnothing (?:happens|happened|loads|works|shows|appears)\b|(?<!\b(?:support|they|he|she|agent|staff|company|reporting|report|team|you|mods?|moderators?|nobody|police|bank|management|manager|driver|seller|store|guys|it all|that) )\b(?:do|does|did) nothing\b|\bdoesn'?t do anything\b|\bnot doing anything\b/,
    false,
  ),
  cue("disappeared", 2.5, /\b(?:disappear(?:s|ed|ing)?|vanish(?:es|ed|ing)?|wiped|erased)\b/),
  cue(
    "gone-missing",
    2,
    /\b(?:are|is|were|was|all|now|just) (?:gone|missing|deleted)\b|\bmissing from\b|\bgot deleted\b/,
  ),
  cue("data-lost", 3.5, new RegExp(`\\blost (?:[\\w']+ ){0,3}(?:${DATA_NOUNS})\\b`)),
  cue(
    "slow",
    2,
    /\bslow(?:er|ly|s|ed|ness)?\b(?! (?:deliver\w*|support|service|shipping|response|replies|customer))|\bsluggish\b|\bunresponsive\b|\bnot responding\b/,
  ),
  cue("lag", 2.5, /\blag(?:s|gy|ging|ged)?\b|\bstutter\w*|\bchoppy\b|\bflicker\w*|\bjitter\w*/),
  cue(
    "takes-long",
    1,
    /\btakes? (?:forever|ages|so long|too long|a long time|about \d+|around \d+|\d+|over \d+|more than \d+|a minute|minutes)\b/,
  ),
  cue(
    "slow-to-respond",
    2.5,
    /\btakes? (?:forever|ages|so long|too long|a long time|(?:about |around |over |more than |almost )?(?:\d+|a|one|two|three|five|ten)(?:-\d+)? (?:seconds?|secs?|minutes?|mins?)) (?:to|before (?:it|the app)) (?:load|open|start|launch|sync|respond|show|appear|send|upload|download|refresh|save|finish|connect|log ?in)/,
  ),
  cue(
    "battery",
    2.5,
    /\bbattery (?:drain|draining|hog|usage)|\bdrains? (?:my |the )?battery|\boverheat\w*|\bheats? up\b/,
  ),
  cue(
    "late",
    2.5,
    /\b(?:an?|one|\d+) hours? (?:early|late)\b|\b(?:arrive|arrives|come|comes|show up|shows up)(?: \w+){0,3} late\b|\bdelayed\b|\bhours late\b/,
  ),
  cue(
    "wrong-result",
    2,
    /\b(?:the |a )?wrong \w+|\bout of order\b|\bincorrect(?:ly)?\b|\binstead of\b|\bout of sync\b|\boff by\b|\bduplicat(?:ed|es|ing)\b|\bsideways\b|\bupside down\b|\bis wrong\b/,
  ),
  cue(
    "fix-request",
    2.5,
    /\b(?:please|pls|plz|pl[sz]e) fix\b|\bfix (?:this|it|the|that|asap|your app)\b|\bneeds? (?:a )?fix(?:ing)?\b|\bhot ?fix\b|\bworth fixing\b|\bplease (?:look into|take a look|investigate)\b|\bcould you (?:take a look|look into)\b/,
    false,
  ),
  cue(
    "regression",
    1,
    /\b(?:since|after) (?:i |the |this |last |latest |recent |new |an? |updating |upgrading )*(?:update|upgrade|updating|upgrading|version|release|\d+\.\d+)\b/,
  ),
  cue(
    "stops-when",
    3,
    /\bstops? (?:after \d+|when|whenever|after|every|randomly|working|playing|recording|tracking)\b/,
  ),
  cue("deleted-data", 3, /\b(?:deleted|erased|wiped|lost) (?:all|my|our|the|every|your|everything)\b/),
  cue("resets", 2, /\bresets?\b|\breverts?\b|\bforgets\b|\bdoesn'?t remember\b/),
  cue("drops", 2, /\b(?:drops|dropping|disconnects?|disconnecting|cuts? out|cutting out|skips|skipping)\b/),
  cue(
    "restarts",
    2.5,
    /\brestarts? (?:itself|by itself|randomly|when)|\bcloses (?:by |on )?itself|\bshuts? (?:down|off)\b|\bcloses (?:on its own|randomly|unexpectedly)|\bkicks? me (?:back )?(?:to|out)/,
  ),
  cue(
    "cosmetic",
    2,
    /\btypos?\b|\bmisspel\w*|\bspelled\b|\bmisaligned\b|\balignment\b|\boverlap\w*|\bcut off\b|\btruncated\b|\bblurry\b|\bpixelated\b|\bstretched\b|\bcosmetic\b|\bspelling (?:mistake|error)s?\b|\bnot translated\b|\bscreens? in english\b|\bhard to read\b|\bunreadable\b|\buntranslated\b|\blooks? (?:a bit |slightly )?(?:off|weird|odd|messy|broken)\b|\b(?:white|black|wrong) background\b/,
  ),
  cue("unexpected", 1.5, /\bunexpected(?:ly)?\b|\bshould(?:n'?t)? (?:be|show|work|display)\b/),
  cue(
    "is-this-expected",
    1.5,
    /\bis this expected\b|\bif (?:this|that)(?:'s| is) expected\b|\bif this is (?:a bug|intended)\b/,
    false,
  ),
  cue(
    "security-bug",
    3,
    /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak(?:s|ed|ing)?\b|\bexposed\b|\bvisible (?:to|after)\b|\bunauthori[sz]ed\b|\bunknown device\b|\bsomeone (?:else )?(?:logged|accessed|got) into\b|\b(?:privacy|security) (?:issue|problem|leak|bug|flaw|hole|vulnerability)\b|'s messages show up\b/,
  ),
  cue(
    "payment-failure",
    3,
    /\b(?:payment|transaction|checkout|check out|purchase|card|paypal|order)\b[^.!?]{0,40}\b(?:fail\w*|error|declined|stuck|won'?t|doesn'?t|didn'?t go through|not go through|spinning|something went wrong)|\bcharged anyway\b/,
  ),
  cue(
    "paid-not-unlocked",
    3,
    /\b(?:paid|charged|purchased|bought)\b[^.!?]{0,60}\b(?:still|no|not|but)\b[^.!?]{0,30}\b(?:premium|pro|plan|access|unlock\w*|free)\b/,
    false,
  ),
  cue("relogin-loop", 2.5, /\basks? (?:me )?to (?:log|sign) ?in (?:again|every)|\b(?:log|sign) ?in again every\b/),
  cue("every-time", 1, /\bevery (?:single )?time\b|\bwhenever\b|\beach time\b/),
  cue(
    "duplicates-itself",
    2.5,
    /\bduplicates? (?:themselves|itself|entries|events|items|tasks|messages|notifications)\b/,
  ),
  cue(
    "never-clears",
    3,
    /\b(?:badges?|notifications?|dots?|banners?|counters?|alerts?|pop-?ups?)(?: count)? (?:never|won'?t|doesn'?t|does not|don'?t) (?:go(?:es)? away|clear|reset|disappear|update)\b/,
    false,
  ),
  cue(
    "measurement-off",
    2.5,
    /\b(?:readings?|heart rate|bpm|step count|steps|distance|calories|eta|temperature|gps|location|speed|pace|balance|total)\b[^.!?]{0,25}\b(?:(?:way |always |much |far )?too (?:high|low|optimistic)|inaccurate|way off|always off)\b/,
  ),
  cue(
    "bug-report",
    2,
    /\bsteps to reproduce\b|\bstep \d\b|\b(?:ios|android|ipados) \d+|\bversion \d+(?:\.\d+)+|\bv\d+\.\d+/,
  ),
];
