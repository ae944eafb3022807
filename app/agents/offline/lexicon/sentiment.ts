import { type Cue, cue } from "../text.js";

/** Positive appraisal (category Praise). Negated praise ("not great") counts as complaint instead. */
export const PRAISE_CUES: readonly Cue[] = [
  cue(
    "love",
    2.5,
    /(?<!(?:would|'d|i'd|would really|'d really|'d also|would also|really) )\blov(?:e|ed|es|ing)\b(?! (?:to see|to have|it if|to be able|a way|an option|the option|the ability|if|more|some|for))/,
  ),
  cue(
    "strong-positive",
    2.5,
    /\b(?:great|excellent|amazing|awesome|fantastic|wonderful|brilliant|perfect(?:ly)?|superb|outstanding|incredible|phenomenal|terrific|fabulous|stellar|exceptional|flawless(?:ly)?|gorgeous|beautiful(?:ly)?|lovely|impressive|impressed|delightful|genius|marvell?ous|excelent|amazin|awsome)\b(?! (?:if|to have|addition if))/,
  ),
  cue("best", 2.5, /\bbest\b(?! regards| wishes)/),
  cue(
    "positive",
    1.2,
    /\b(?:good|nice|cool|solid|decent|neat|handy|useful|helpful|reliable|smooth|intuitive|fast|quick|easy|simple|clean|stable|happy|pleased|satisfied|glad|enjoy(?:ed|ing|s)?|fun|ok|okay|wow|recommendable|fine|alright|all right)\b(?! (?:if|to have))/,
  ),
  cue(
    "thanks",
    2,
    /\bthanks?\b(?! for (?:nothing|considering|your time|reading|looking))|\bthank you\b(?! for (?:nothing|considering|your time|reading|looking))|\bthx\b|\bkudos\b|\bappreciated?\b|\bgrateful\b|\bcongrat(?:ulations|s)\b|\bbravo\b|\bty\b/,
  ),
  cue(
    "endorsement",
    3,
    /\brecommend(?:ed|s|ing)?\b|\bmust[- ]have\b(?! (?:an?|some) [\w-]+ (?:problem|issue|bug|error)s?\b)|\blife ?saver\b|\bgame ?changer\b|\b10\/10\b|\b(?:5|five) stars?\b(?! (?:if|once|when|until))|\bworth (?:it|every|the)\b|\bkeep (?:it |the good work )?up\b|\bwell done\b|\b(?:good|great|nice|excellent) (?:job|work)\b|\btop notch\b|\bhands down\b|\bcouldn'?t be happier\b|\bno complaints\b|\bjust works\b|\bworks (?:great|perfectly|flawlessly|like a charm|well|fine|beautifully|as expected|wonderfully)\b|\bdoes (?:exactly )?what (?:it says|i need)\b|\bexactly what i (?:was looking for|needed)\b|\bchanged (?:my life|how i)\b|\bcan'?t live without\b|\bhighly\b|\babove and beyond\b|\bbig fan\b|\bfavou?rite\b|\brock solid\b|\bkeeps getting better\b|\bmuch better\b|\bimproved my\b|\bsaved me\b|\bhelped me\b|\bno issues\b|\bno problems\b|\bzero (?:issues|problems|bugs)\b/,
  ),
  cue(
    "emoji",
    2,
    /[\u{1F60D}\u{2764}\u{1F44D}\u{1F64C}\u{1F44F}\u{1F970}\u{1F60A}\u{1F4AF}\u{2B50}\u{1F525}\u{1F600}\u{1F603}\u{1F604}\u{1F642}\u{1F496}\u{1F499}\u{1F389}]/u,
  ),
];

/** Dissatisfaction that is not a malfunction: price, ads, support, design, policy (category Complaint). */
export const COMPLAINT_CUES: readonly Cue[] = [
  cue("ads", 2.5, /\bads?\b|\badverts?\b|\badvertis(?:ements?|ing)\b|\bpop-?ups?\b|\bcommercials?\b/),
  cue(
    "too-much",
    2,
    /\btoo (?:many|much|expensive|pricey|complicated|complex|hard|difficult|small|big|high|confusing|cluttered|intrusive|aggressive|limited)\b|\bway too\b/,
  ),
  cue(
    "price",
    1.2,
    /\b(?:expensive|overpriced|pricey|price[ds]?|pricing|costs?|costly|fees?|dollars|money|paywall(?:ed|s)?|pay to win|cash grab|coins|tier|charges?)\b/,
  ),
  cue(
    "negative",
    2,
    /\b(?:worst|terrible|horrible|awful|garbage|trash|rubbish|sucks?|hate[ds]?|disappoint\w*|frustrat\w*|annoy\w*|irritat\w*|ridiculous|unacceptable|useless|pathetic|joke|rude|dismissive|ugly|toxic|manipulative|sketchy|confusing|confused|boring|creepy|shady|greedy|unfair|misle\w*|misled|outdated|obnoxious|unbearable|poor|lousy|mediocre|overrated|clunky|dated|old-fashioned|cluttered|waste|meh|bad|worse|nightmare|disgusting|insulting|unprofessional|incompetent|furious|angry|upset|unhappy|fake|forced|scam\w*|rip-?off|fraud\w*|steal\w*|stole|deceptive|predatory|ruin\w*|destroy\w*|horrendous|dreadful|atrocious|abysmal|appalling)\b/,
  ),
  cue(
    "support-failure",
    2.5,
    /\b(?:customer (?:service|support|care)|support (?:team|agent)?|agent|chatbot|helpdesk|help desk)\b[^.!?]{0,40}\b(?:never|no|not|didn'?t|doesn'?t|won'?t|rude|useless|joke|slow|awful|terrible|worst|unhelpful|dismissive|ignored?)\b|\bno (?:response|reply|answer|callback)\b|\bnever (?:replies|replied|responds?|responded|answers?|answered|got back|called)\b|\bstill (?:no|waiting)\b|\bwaited\b|\bwaiting (?:for|\d)|\bnobody called\b|\bhung up on (?:me|us)\b/,
  ),
  cue(
    "why-must",
    1.5,
    /\bwhy (?:do|does|did|would|should|is|are|on earth|the hell) (?:i|you|we|they|it)\b|\bwhy (?:so|all the)\b/,
  ),
  cue(
    "change-regret",
    2.5,
    /\b(?:old|previous) (?:one|version|layout|design|ui|icon|app|interface) (?:was|is) (?:way |much |so |far )?better\b|\bstep backwards?\b|\b(?:nobody|no one) asked for\b|\bremoved (?:my|the|a|features?)\b|\b(?:harder|more difficult) to (?:find|use|navigate)\b|\bburied\b|\bmore clicks\b|\bnew (?:design|layout|ui|update|interface) is\b|\bnew look\b/,
  ),
  cue(
    "churn",
    2.5,
    /\buninstall\w*|\bdelet(?:e|ed|ing) (?:the app|my account|it|this app)\b|\bswitch(?:ed|ing)? to (?:a |another |the )?(?:competitor|different|other|another|\w+ instead)|\bmoving to (?:another|a different|a competitor|\w+)\b|\bcompetitors?\b|\bleaving\b|\bnever again\b|\blost (?:all )?(?:my )?trust\b|\bcancel(?:l?ing|l?ed)? (?:my |the |our )?(?:[\w-]+ )?(?:subscription|account|membership|plan)\b|\bcancel(?:l?ing|l?ed)[.!]*$|\bnever (?:using|ordering|buying|shopping|booking|coming back|going back|downloading|installing|recommending|use|order|buy)\b[^.!?]{0,30}\bagain\b|\bunsubscrib\w*|\bnot worth\b|\bno thanks\b|\b(?:remove|close|delete) my account\b|\bno longer (?:wish|want) to use\b|\bstop(?:ped)? using\b|\bback to (?:pen|paper|the old|using)|\bgoing elsewhere\b|\b(?:will not|won'?t|not going to) renew\b|\bnot renewing\b|\b(?:got|was|been) banned\b|\blook(?:ing)? for (?:an )?alternatives?\b|\baccount (?:was |got |has been )?(?:suspended|banned|blocked|closed)\b|\bdone with\b/,
  ),
  cue("needs-work", 2, /\bneeds? (?:some |a lot of |lots of )?(?:improvement|work|polish)\b|\bcould be better\b/),
  cue(
    "old-back",
    3,
    /\bbring back the old\b|\bgive (?:me|us) the old (?:one|version|design|layout) back\b|\b(?:old|previous) (?:one|version|design|layout) back\b/,
  ),
  cue("stop-doing", 2.5, /\bstop (?:pushing|sending|showing|forcing|asking|changing|spamming|tracking|selling)\b/),
  cue(
    "fulfilment",
    3,
    /\b(?:received|got|delivered|sent) (?:me )?(?:a |the )?(?:wrong|different|cold|damaged)\b|\bwrong (?:order|item|food|product|package|parcel) (?:was )?(?:delivered|arrived|sent)\b|\bordered (?:a |an |the )?\w+ and (?:received|got)\b|\b(?:slow|late|delayed) (?:deliver\w*|shipping|support|service|response|replies)\b|\bdeliver(?:y|ies) (?:\w+ ){0,3}(?:slow|late|take)\b/,
  ),
  cue(
    "cannot-reach",
    3,
    /\b(?:able|unable) to reach (?:anyone|someone|a human|support|you)\b|\bcan'?t reach (?:anyone|someone|support|you)\b|\bphone line\b/,
  ),
  cue("slow-support", 2.5, /\btakes? (?:days|weeks|forever|ages) to (?:answer|reply|respond|get back)\b/),
  cue(
    "warn-others",
    3,
    /\b(?:don'?t|do not|never) (?:download|install|buy|bother|waste)\b|\b(?:zero|0|no|negative) stars\b|\bif i could give\b/,
    false,
  ),
  cue(
    "privacy",
    1.5,
    /\bprivacy\b|\bmy data\b|\bpersonal (?:data|information|questions|info)\b|\bsell(?:s|ing)? (?:my|your|our|user) data\b|\bconsent\b|\bfor no reason\b|\bterms of service\b/,
  ),
  cue(
    "dislike",
    2,
    /\b(?:don'?t|do not|didn'?t|did not|doesn'?t) (?:really |even )?(?:like|enjoy)\b|\bdislike\b/,
    false,
  ),
  cue(
    "price-change",
    2.5,
    /\b(?:price|prices|pricing|fees?|subscription|cost|fare)\b[^.!?]{0,20}\b(?:increase[sd]?|went up|go(?:es)? up|going up|hikes?|raised|doubled|tripled|out of control|insane|crazy|absurd|jumped)\b|\b(?:raised|increased|doubled|hiked) (?:the |their |its |our )?(?:price|prices|fees?|subscription)\b|\bprice (?:increase|hike)\b/,
  ),
  cue("no-human", 2.5, /\b(?:real|actual|live) (?:person|human)\b|\btalk to (?:a |an )?(?:human|person)\b/, false),
  cue(
    "not-expected",
    1.5,
    /\bexpected (?:much |a lot |way )?more\b|\bnot what (?:i|we) (?:expected|paid)\b|\bdoes not do what\b|\bnot as advertised\b|\bnot what (?:was|they|you) advertised\b/,
  ),
];

/** Billing disputes: strong Complaint signals that win over a described malfunction. */
export const MONEY_DEMAND_CUES: readonly Cue[] = [
  cue(
    "refund",
    4,
    /(?<!\b(?:fast|quick|speedy|prompt|easy|instant|smooth|the) )\brefund(?!ed)\w*|\b(?:not|never|hasn'?t been|haven'?t been|wasn'?t|still not|yet to be) refunded\b|\bmoney back\b|\breturn the (?:extra )?payment\b|\bchargeback\b/,
  ),
  cue(
    "double-charge",
    4,
    /\b(?:charged|billed) (?:me |us )?(?:twice|double|two times)|\bdouble[- ]charg\w*|\bduplicate (?:charge|payment)\b|\bover-?charg\w*|\bbilled for \d+|\bcharged (?:me )?after cancel\w*|\bcharged me \$?\d/,
  ),
  cue(
    "still-billed",
    2.5,
    /\b(?:still|keep getting|kept getting) (?:being )?(?:billed|charged)\b|\b(?:billed|charged) (?:\w+ ){0,3}after (?:i )?cancel\w*/,
  ),
];

/** Phrases that turn surrounding praise into irony. */
export const SARCASM_RE =
  /\bthanks? (?:you )?for nothing\b|\bthanks a lot for (?:ruin|break|mak|remov|nothing|nothing)\w*|\byeah,? right\b|\bsure,? (?:i|because|why not)\b|\boh,? (?:great|wonderful|lovely|brilliant|fantastic|perfect|joy|nice|good)\b|\bjust (?:great|wonderful|perfect|brilliant|fantastic)\b|^(?:great|brilliant|wonderful|perfect|awesome|fantastic|fabulous)(?:\.{3}|…|[,!]) ?(?:another|now|the|it|just|update|thanks)|\bslow clap\b|\bwhat a joke\b|\b(?:genius|brilliant|great) (?:move|idea|decision)\b|\b(?:brilliant|great|fantastic|awesome) update(?:\.{3}|…)|\blove (?:how|that|when) (?:it|the app|this app|you)\b[^.!?]{0,40}\b(?:crash|freez|log|delet|break|fail|stop|close|ads?|charg|kick|forget|lose|lag)\w*|\bi love paying\b|\bso glad i paid\b|\bwell done\.?\s*$|\breally helpful\.?\s*$|\bmore like\b/;

/** "/s" marks the clause before it as ironic. */
export const IRONY_TAG_RE = /(?:^|\s)\/s\b/;
export const JUST_KIDDING_RE = /\b(?:just kidding|jk|kidding)\b/;
