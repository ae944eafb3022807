import { type Cue, cue } from "../text.js";

/** Negated auxiliaries as typed in reviews, with and without apostrophes. */
export const NEG =
  "(?:doesn'?t|does not|didn'?t|did not|don'?t|do not|won'?t|will not|can'?t|cannot|can not|couldn'?t|could not|isn'?t|is not|" +
  "haven'?t|have not|hasn'?t|has not|wouldn'?t|would not|shouldn'?t|should not|" +
  "aren'?t|are not|wasn'?t|was not|not|unable to|not able to|never|refuses? to|fails? to|failed to|no longer)";

const BROKEN_VERBS =
  "work|works|working|worked|load|loads|loading|open|opens|opening|sync|syncs|syncing|connect|connects|connecting|" +
  "play|plays|playing|launch|launching|start|starting|save|saves|saving|send|sending|upload|uploading|download|" +
  "downloading|show|shows|showing|show up|display|displaying|update|updating|respond|responding|log ?in|login|" +
  "sign ?in|signin|recogni[sz]e|receive|arrive|arriving|refresh|function|functioning|register|verify|access|print|" +
  "pay|import|export|install|scroll|record|recording|detect|remember|go through|process|complete|finish|let me|" +
  "allow me|accept|submit|authenticate|stream|stay logged in|notify|ring|vibrate|appear|appearing|track|tracking|" +
  "count|counting|go off|trigger|fire|keep me logged in|get past|move|type|search|find anything|unlock";

/** Evidence that something is malfunctioning (category Bug). */
export const BUG_CUES: readonly Cue[] = [
  cue("crash", 3.5, /\bcrash(?:es|ed|ing|y)?\b|\bcrashs\b/),
  cue("freeze", 3.5, /\b(?:freez(?:e|es|ing)|froze|frozen)\b/),
  cue("force-close", 3, /\bforce[- ]?(?:clos|quit|stop)\w*/),
  cue("hang", 2.5, /\b(?:hangs|hanging|hung)\b/),
  cue("does-not-work", 3.5, new RegExp(`\\b${NEG} (?:even |properly |correctly )?(?:${BROKEN_VERBS})\\b`), false),
  cue("cannot-do", 2, /\b(?:can'?t|cannot|unable to|not able to) (?:even )?(?:see|use|get|hear|read|edit|change|add|delete|remove|select|click|tap|watch|view|enter|reach|create|close|reset|attach|post|share|book|order)\b/, false),
  cue("stopped-working", 3.5, /\b(?:stopped|stops|quit|quits) (?:working|loading|syncing|recording|showing|updating|opening|responding|sending|playing|tracking|counting|connecting|functioning)\b/),
  cue("keeps-failing", 3.5, /\b(?:keeps?|kept|keep on) (?:on )?(?:crashing|closing|freezing|restarting|logging (?:me )?out|signing (?:me )?out|kicking me|loading|buffering|stopping|resetting|disconnecting|dropping|asking|saying|telling|showing|failing|spinning|refreshing|reloading|glitching|lagging|deleting|reverting|hanging|quitting|shutting|timing out|disappearing|going back|jumping)\b/, false),
  cue("logged-out", 3, /\b(?:logs?|logged|signs?|signed|kicks?|kicked|throws?|boots?) (?:me|us|everyone|all)(?: \w+)? out\b|\blogged out\b|\blocked out\b/),
  cue("blank-screen", 3, /\b(?:black|white|blank|grey|gray|empty) (?:screen|page|dashboard|charts?)\b/),
  cue("stuck", 3, /\bstuck\b|\bspins? forever|\bspinning (?:wheel|forever|circle)|\b(?:loading|syncing|pending|buffering) forever|\bforever (?:to load|loading)|\btim(?:es|ed) out\b/),
  cue("bug-word", 3, /\bbugs?\b|\bbuggy\b|\bglitch(?:es|y)?\b/),
  cue("error", 3, /\berrors?\b|\bsomething went wrong\b|\bexceptions?\b/),
  cue("error-code", 2, /\b(?:code|error|http) ?[45]\d\d\b|\b[45]0\d (?:error|bad gateway|not found)|\b404\b/),
  cue("fail", 3, /\bfail(?:s|ed|ing|ure|ures)?\b/),
  cue("broken", 3, /\bbroken\b|\bbreaks\b/),
  cue("issue", 1.5, /\bissues?\b|\bproblems?\b|\bunreliable\b|\bnot reliable\b|\bintermittent(?:ly)?\b/),
  cue("unusable", 3.5, /\bunusable\b|\bnot usable\b|\buseless right now\b/),
  cue("nothing-happens", 3, /\bnothing (?:happens|happened|loads|works|shows|appears)\b|\bdoes nothing\b|\bdoesn'?t do anything\b|\bnot doing anything\b/, false),
  cue("disappeared", 2.5, /\b(?:disappear(?:s|ed|ing)?|vanish(?:es|ed|ing)?|wiped|erased)\b/),
  cue("gone-missing", 2, /\b(?:are|is|were|was|all|now|just) (?:gone|missing|deleted)\b|\bmissing from\b|\bgot deleted\b/),
  cue("data-lost", 3.5, /\blost (?:all |about |almost |half |some |\d+ |my |our |the |every )*(?:data|notes?|files?|photos?|pictures|messages?|chats?|progress|history|contacts?|projects?|work|documents?|invoices?|recordings?|playlists?|highlights?|bookmarks?|workouts?|entries|everything|changes|saved)/),
  cue("slow", 2, /\bslow(?:er|ly|s|ed|ness)?\b|\bsluggish\b|\bunresponsive\b|\bnot responding\b/),
  cue("lag", 2.5, /\blag(?:s|gy|ging|ged)?\b|\bstutter\w*|\bchoppy\b|\bflicker\w*|\bjitter\w*/),
  cue("takes-long", 1.5, /\btakes? (?:forever|ages|so long|too long|a long time|about \d+|around \d+|\d+|over \d+|more than \d+|a minute|minutes)\b/),
  cue("battery", 2.5, /\bbattery (?:drain|draining|hog|usage)|\bdrains? (?:my |the )?battery|\boverheat\w*|\bheats? up\b/),
  cue("late", 2, /\b(?:arrive|arrives|come|comes|show up|shows up)(?: \w+){0,2} late\b|\bdelayed\b|\bhours late\b/),
  cue("wrong-result", 2, /\b(?:the )?wrong (?:time|date|order|place|account|language|item|one|price|total|number|day|colou?r|size|zone|page|screen|name|amount|direction|way)\b|\bincorrect(?:ly)?\b|\binstead of\b|\bout of sync\b|\boff by\b|\bduplicat(?:ed|es|ing)\b|\bsideways\b|\bupside down\b|\bis wrong\b/),
  cue("fix-request", 2.5, /\bplease fix\b|\bfix (?:this|it|the|that|asap|your app)\b|\bneeds? (?:a )?fix(?:ing)?\b|\bhot ?fix\b|\bplease (?:look into|take a look|investigate)\b|\bcould you (?:take a look|look into)\b/, false),
  cue("regression", 1, /\b(?:since|after) (?:i |the |this |last |latest |recent |new |an? |updating |upgrading )*(?:update|upgrade|updating|upgrading|version|release|\d+\.\d+)\b/),
  cue("resets", 2, /\bresets?\b|\breverts?\b|\bforgets\b|\bdoesn'?t remember\b/),
  cue("drops", 2, /\b(?:drops|dropping|disconnects?|disconnecting|cuts? out|cutting out|skips|skipping)\b/),
  cue("restarts", 2.5, /\brestarts? (?:itself|by itself|randomly|when)|\bcloses (?:by |on )?itself|\bshuts? (?:down|off)\b|\bcloses (?:on its own|randomly|unexpectedly)|\bkicks? me (?:back )?(?:to|out)/),
  cue("cosmetic", 2, /\btypos?\b|\bmisspel\w*|\bspelled\b|\bmisaligned\b|\balignment\b|\boverlap\w*|\bcut off\b|\btruncated\b|\bblurry\b|\bpixelated\b|\bstretched\b|\bcosmetic\b|\bhard to read\b|\bunreadable\b|\buntranslated\b|\blooks? (?:a bit |slightly )?(?:off|weird|odd|messy|broken)\b/),
  cue("unexpected", 1.5, /\bunexpected(?:ly)?\b|\bis this expected\b|\bif this is expected\b|\bshould(?:n'?t)? (?:be|show|work|display)\b/),
  cue("security-bug", 3, /\bhacked\b|\bcompromised\b|\bbreach\b|\bleak(?:s|ed|ing)?\b|\bexposed\b|\bvisible (?:to|after)\b|\bunauthori[sz]ed\b|\bunknown device\b|\bsomeone (?:else )?(?:logged|accessed|got) into\b|\b(?:privacy|security) (?:issue|problem|leak|bug|flaw|hole|vulnerability)\b|'s messages show up\b/),
  cue("payment-failure", 3, /\b(?:payment|transaction|checkout|check out|purchase|card|paypal|order)\b[^.!?]{0,40}\b(?:fail\w*|error|declined|stuck|won'?t|doesn'?t|didn'?t go through|not go through|spinning|something went wrong)|\bcharged anyway\b/),
  cue("paid-not-unlocked", 3, /\b(?:paid|charged|purchased|bought)\b[^.!?]{0,40}\b(?:still|no|not|but)\b[^.!?]{0,30}\b(?:premium|pro|plan|access|unlock\w*|free)\b/, false),
  cue("relogin-loop", 2.5, /\basks? (?:me )?to (?:log|sign) ?in (?:again|every)|\b(?:log|sign) ?in again every\b/),
  cue("every-time", 1, /\bevery (?:single )?time\b|\bwhenever\b|\beach time\b/),
  cue("bug-report", 2, /\bsteps to reproduce\b|\bstep \d\b|\b(?:ios|android|ipados) \d+|\bversion \d+(?:\.\d+)+|\bv\d+\.\d+/),
];
