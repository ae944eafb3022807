import { type Cue, cue } from "../text.js";

/** Evidence that the author asks for something new (category Feature Request). */
export const FEATURE_CUES: readonly Cue[] = [
  cue(
    "please-add",
    4,
    /\b(?:please|pls|plz+|plse|kindly) (?:\w+ )?(?:add|bring|make|include|implement|support|allow|let|consider|integrate|create|build|give|enable|introduce|offer|improve|prioriti[sz]e|put|modify)\b/,
  ),
  cue(
    "add",
    2,
    /\b(?:add|adding) (?:a |an |the |some |more |support|option|ability|dark|widgets?|an? option|feature|integration|offline)/,
  ),
  cue(
    "would-love",
    4,
    /\b(?:would|'d|i'd|we'd) (?:really |so |also |just )?(?:love|like|appreciate|want|prefer)\b(?! to (?:say|thank|share|report|let you know|tell|point out|inform|mention|complain|praise|compliment|congratulate|express|know))/,
  ),
  cue(
    "wish",
    3.5,
    /\bwish (?:there (?:was|were|is)|it (?:had|would|could|was)|i could|you (?:would|could|had|guys)(?! stop)|they would|for)\b|\bwish ?list\b|\bmy (?:one |only )?wish\b/,
  ),
  cue(
    "game-changer",
    3.5,
    /\bwould (?:also )?be (?:a |an )?(?:game changer|huge help|great addition|nice addition|nice touch|welcome addition|big improvement|lifesaver)\b|\bwould be (?:awesome|amazing|great|nice|perfect)[.!]*$/,
  ),
  cue(
    "would-be-nice",
    3.5,
    /\b(?:would|will|'d|might) (?:also )?be (?:so |really |very |super |extremely |a )?(?:great|nice|cool|awesome|amazing|helpful|handy|good|better|perfect|useful|fantastic|lovely|ideal|brilliant|fun|huge help|game changer) (?:if|to|with|for|feature)\b/,
  ),
  cue(
    "would-make-perfect",
    3,
    /\bwould make (?:this|it|the app|your app) (?:perfect|better|complete|even better|indispensable|ideal)\b|\band it'?s perfect\b|\band i'?m sold\b/,
  ),
  cue(
    "request",
    3.5,
    /\bfeature requests?\b|\bsuggestion:|\b(?:my|a|one|small|quick|little) suggestion\b|\bsuggestion (?:would be|is to|for)\b|\b(?:i|i'd|we|we'd|would) suggest\b|\bsuggest (?:adding|that|you)\b|\brequest(?:ing)?:|\brequested (?:this|it|a|an|that|the same)\b|\brequests? (?:for|that)\b|\bidea:|\bhave (?:the same|expressed the same) (?:need|wish|request)\b/,
  ),
  cue("option-to", 2.5, /\b(?:an?|the|any) (?:option|ability|way|setting|feature|mode) (?:to|for|that)\b/),
  cue("support-for", 2, /\bsupport (?:for|of)\b|\bintegrat(?:e|ion|ions) (?:with|into)\b|\b(?:an? |public )?api\b/),
  cue(
    "can-you-add",
    3.5,
    /\b(?:can|could|would|will) (?:you|u|we|they|you guys|y'?all|you all) (?:please )?(?:add|make|include|let|allow|consider|integrate|build|bring|get|have|create|implement|give|support|put|offer|introduce)\b/,
  ),
  cue(
    "any-plans",
    3,
    /\bany plans? (?:for|to|on)\b|\b(?:do you have|are there|you have) (?:any )?plans (?:for|to)\b|\bis there any chance\b|\bany chance (?:of|you|to|that)\b|\bhow about\b|\bwhat about adding\b|\bconsider(?:ing)? (?:adding|an?)\b|\bon (?:your|the) roadmap\b|\bwould it be possible\b|\bis it possible to\b|\bis there an option\b/,
  ),
  cue(
    "imperative",
    3.5,
    /(?:^|[.!?]\s+)(?:add|adding|include|implement|bring back(?! (?:the )?old (?:version|design|layout|ui|look|one|interface|app|icon)s?\b)|integrate|give us|let us|let me(?! know)|enable|introduce|provide|make it possible)\b/,
    false,
  ),
  cue("please-tail", 2.5, /^(?!.*\b(?:fix|help|respond|answer|refund)).*\b(?:pls|plz+|please)[.!? ]*$/),
  cue(
    "why-not-add",
    3,
    /\bwhy (?:not|don'?t you|can'?t you|isn'?t there|is there no|hasn'?t (?:an?|the) [\w-]+ (?:version|app|option))\b(?: \w+){0,3}? (?:add|make|include|have|allow|let|offer|support|an? (?:option|way|feature|setting|button)|been done)\b/,
  ),
  cue(
    "hope-it-can",
    3,
    /\bhope (?:it|you|they|the app|this|the developers?|devs?) (?:\w+ )?(?:can|will|could|would) (?:\w+ )?(?:add|save|make|support|include|have|get|bring|allow|let|offer|introduce|update|fix)\b/,
  ),
  cue(
    "make-it-compatible",
    3,
    /\bmake (?:it|this|the app|this app) (?:compatible|available|work) (?:with|on|for|in)\b|\bwould come in (?:very |really |so )?handy\b|\bexcept (?:for )?(?:being able to|the ability to|an? (?:option|way) to)\b/,
  ),
  cue("could-be-improved", 2.5, /\b(?:can|could|should|needs? to) be (?:improved|better|enhanced|expanded|added)\b/),
  cue(
    "want-to-do",
    2.5,
    /(?<!\b(?:when|whenever|if|as) )\bi (?:just |really |only )?want (?:to be able to|to (?:download|export|import|share|add|create|choose|change|customi[sz]e|save|sort|filter|hide|edit|delete|unlock|sync|print|record|transfer|move|mute|set|pick))\b/,
  ),
  cue(
    "if-there-were-a-way",
    3,
    /\bif (?:there (?:was|were|is|could be) (?:a|an|some|any) ?(?:way|option|setting|feature|button)|i could (?:only )?(?:\w+ )?(?:add|choose|change|customi[sz]e|export|share|sort|set|edit|make|use|have|turn))\b/,
  ),
  cue(
    "we-need",
    1.5,
    /\b(?:we|i) (?:really |desperately |also )?need\b(?! (?:help|assistance|immediate|a refund|an? answer|a fix|to (?:talk|speak|know|get)))|\bit'?s 20\d\d\b/,
  ),
  cue(
    "wish-generic",
    2.5,
    /\b(?:i |just |really |only )wish\b(?! i (?:never|had ?n'?t|could give)| (?:you|they) (?:would|'d) stop)/,
  ),
  cue("could-use", 3, /\bcould (?:really )?use (?:a|an|some|more|the option)\b/),
  cue(
    "when-will",
    3,
    /\bwhen (?:the |your )?[\w-]+(?: [\w-]+)? will (?:support|have|get|be available|work with)\b|\bwhen (?:will|are) (?:you|they|we|it|the \w+(?: \w+)?) (?:\w+ )?(?:add|support|have|get|be (?:able|available|adding|supporting)|going to add|release)\b/,
  ),
  cue(
    "maybe-offer",
    3,
    /\bmaybe (?:(?:you|they|u|we) (?:could |can |should |will )?)?(?:also )?(?:offer|add|consider|make|introduce|include|allow)\b|\bplease consider\b/,
  ),
  cue(
    "available-or-planned",
    2.5,
    /\b(?:are they|is (?:this|it|that)) (?:available|planned|on the roadmap)\b|\bor planned\b/,
  ),
  cue(
    "needs-a",
    2.5,
    /\b(?:needs?|need) (?:a|an|the|option|options|to have|more|some|support|better|an option|dark|offline|integration|granular|audit|the ability)\b|\bdesperately need\b|\breally needs\b/,
  ),
  cue(
    "missing-feature",
    3,
    /\bmissing (?:a |an |the )?(?:basic |key |important |simple )?(?:feature|option|function)\b|\bthe (?:only|one) thing (?:missing|i miss|lacking|that'?s missing)\b|\bstill missing\b|\bit lacks?\b|\blacks? (?:a|an|the|any|support)\b|\bdoesn'?t (?:have|support|offer) (?:a|an|any)\b|\bno way to\b|\bno option to\b|\bthe only thing (?:i miss|missing)\b/,
    false,
  ),
  cue(
    "let-us",
    3,
    /\b(?:let|allow) (?:us|me|users|people) (?:to )?(?:choose|pick|change|sort|set|use|customi[sz]e|edit|export|import|share|add|hide|select|switch|create|upload|mute|filter|reorder|rename|group|move|connect|schedule|pin|lock|turn)\b/,
  ),
  cue("give-us", 2.5, /\bgive (?:us|me) (?:the |an? )?(?:option|ability|choice|way)|\bgive us\b/),
  cue("should-have", 2.5, /\bshould (?:have|add|include|support|offer|allow|let)\b(?! been)/),
  cue("would-pay", 3, /\bwould (?:happily |gladly )?pay (?:for|extra)\b|\bi'?d pay\b/),
  cue(
    "stars-if",
    2.5,
    /\b(?:stars?|rating) (?:until|once|when)\b|\bgive (?:it )?(?:5|five) stars? if\b|\b(?:5|five) stars? (?:if|once|when)\b|\bi'?d give (?:it )?(?:5|five)\b|\bwould give (?:it )?(?:5|five)\b/,
  ),
  cue(
    "bring-back",
    2.5,
    /\bbring back\b(?! (?:the )?old (?:version|design|layout|ui|look|one|interface|app|icon)s?\b)/,
  ),
  cue(
    "more-things",
    2,
    /\bmore (?:themes|options|colou?rs|languages|voices|levels|features|customi[sz]ation|avatars?|stickers|filters|templates|fonts|sounds|integrations|granular|control)\b/,
  ),
  cue(
    "platform-version",
    1.5,
    /\b(?:ipad|tablet|desktop|web|mac|linux|windows|android|apple watch|watch|wear ?os) (?:version|app|layout|client|support)\b|\btablet-optimi[sz]ed\b/,
  ),
  cue("looking-forward", 2, /\blooking forward to\b|\bcan'?t wait for\b/),
  cue(
    "want-ability",
    2,
    /\bi (?:really )?want (?:a|an|the|to be able|the option|the ability) (?:way|option|ability|feature|mode|to)\b/,
  ),
  cue(
    "missing-common",
    3,
    /\b(?:no|without an?|lack of|still no) (?:proper |a |an )?(?:dark (?:mode|theme)|landscape (?:mode|view)|offline (?:mode|maps|support)|widgets?|(?:ipad|tablet|desktop|web|mac|windows|apple watch|android|linux) (?:app|version|client)|search (?:bar|function)|2fa|two[- ]factor\w*|(?:[\w-]+ )?integration|family (?:plan|sharing)|export(?: option)?)\b/,
    false,
  ),
  cue(
    "needs-thing",
    3,
    /\bneeds? (?:a |an |more |some )?(?!customer\b|tech\b)(?:[\w-]+ )?(?:widgets?|mode|option|integration|support|version|feature|button|setting|filter|theme|view|shortcut|timer|notification|alert|sound|colou?r|language)s?\b(?! (?:team|agent|staff))/,
  ),
  cue(
    "already-ask",
    3,
    /\b(?:add|get|give us|bring|make|implement|include) (?!it\b)(?:[\w-]+ ){0,5}(?:option|mode|feature|setting|button|support|integration|version|widget)s? already\b/,
  ),
  cue(
    "cherry-on-top",
    3,
    /\b(?:cherry on top|icing on the cake|the only thing (?:missing|i'?d add))\b|\bwould be (?:so |really |very |super |extremely )?(?:useful|helpful|handy)\b/,
  ),
  cue("should-be-able", 2.5, /\b(?:should|could) be able to\b|\bbe able to\b/),
  // Request phrasings common in real reviews (measured leave-one-file-out on the real review sentences).
  cue(
    "would-be-best",
    3,
    /\b(?:it )?would be (?:best|even better|much better|more convenient|easier|great|nice|cool|awesome) (?:if|to have)\b|\bit would be nice\b|\bthat would be nice\b/,
  ),
  cue(
    "need-this",
    2.5,
    /\b(?:really |badly |desperately )?need (?:this|that) (?:feature|option|function|badly|asap)\b|\bneed this\b[.!]*$/,
  ),
  cue(
    "there-should-be",
    3,
    /\bthere (?:should|needs to) be\b|\bshould be (?:an? |more |some )?(?:option|way|setting|button|feature|choice|ability|mode|filter)s?\b|\b(?:you|u|they|devs?|developers?|you guys) should (?:really |definitely |also |seriously )?(?:add|make|put|include|let|allow|bring|create|implement|give|consider|update)\b/,
  ),
  cue(
    "not-supported",
    2.5,
    /\b(?:is|are) not supported\b|\bnot (?:yet )?supported\b|\b(?:still )?no (?:[\w-]+ ){0,2}support\b(?! (?:team|staff|agent|reply|response|answer))|\b(?:doesn'?t|does not|don'?t|do not) support\b/,
    false,
  ),
  cue(
    "hope-you-add",
    3,
    /\bhope (?:you|they|u|the developers?|devs?) (?:will |can |could |would )?(?:add|make|bring|include|implement|introduce|create|consider)\b|\bwhen (?:will|are) (?:you|they|we) (?:get(?:ting)?|add(?:ing)?|make|making|implement|bring|release|support)\b/,
  ),
  cue(
    "would-be-great",
    3,
    /\bwould (?:be|b) (?:so |really |very |absolutely |just )?(?:great|nice|awesome|amazing|incredible|handy|useful|helpful|cool|fantastic|wonderful)\b(?! (?:if|when) (?:it|the app|this app) (?:didn'?t|did not|wouldn'?t|would stop|stopped|worked|work))/,
  ),
  cue(
    "lacks-thing",
    2.5,
    /\b(?:lack of|missing|no|without) (?:[\w-]+ ){0,2}(?:push notifications?|notifications?|alerts?|sign[- ]?out|immersive mode|video calls?|landscape|dark theme|themes?|sync(?:ing)?|backup|search(?:ing)?|undo|stylus support|language support)\b/,
    false,
  ),
  cue(
    "if-it-had",
    2.5,
    /\bif (?:it|the app|this app|you|they) (?:supported|had|offered|allowed|could|was able to|were able to|let)\b(?! (?:not|n'?t|crash|work|load|open))|\bif there (?:was|were|is) (?:a |an |some |any )?(?:way|option|setting|button|feature|mode)\b/,
  ),
  cue(
    "should-be-shown",
    2.5,
    /\bshould (?:also )?be (?:displayed|shown|added|available|included|possible|an option|optional|customi[sz]able)\b/,
  ),
  cue(
    "need-thing",
    2.5,
    /(?:^|[.!?]\s+)(?:need|needs|want|we want|i want) (?:an? |more |some |the )?(?!help\b|assistance\b|a refund\b|refund\b|my money\b|answers?\b|to\b)[\w-]+/,
  ),
  cue("if-only", 3, /\bif only (?:i|we|you|it|they|the app) (?:could|had|was|were|would)\b/),
  cue(
    "make-some",
    3,
    /(?:^|[.!?]\s+)(?:make|allow|put) (?:some|an?|more|new|it possible|us|users|the option)\b|(?:^|[.!?]\s+)or (?:allow|add|let)\b/,
  ),
];
