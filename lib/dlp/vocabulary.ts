/**
 * Words that mark special-category data (UK GDPR Art. 9 and 10, plus the financial and behaviour
 * records the seed policies single out) and safeguarding information in school email.
 *
 * Words alone are a weak signal: nearly every school email footer says "we are committed to
 * safeguarding", every trip letter asks about "medical conditions or allergies", and every
 * newsletter mentions "free school meals". So each term has a tier, and confidence comes from the
 * tier and from corroboration nearby (see `detectors.ts`):
 *
 * - `status`: phrasing that states a fact about an individual ("diagnosed with", "subject to a
 *   child protection plan", "permanently excluded", "has an EHCP"). Medium on its own.
 * - `topic`: a condition or service named on its own ("ADHD", "CAMHS", "social worker"). Low on
 *   its own, medium with another sensitive term or a third-person reference (he/she/his/her)
 *   nearby, which is how a message about one pupil reads, unlike a letter to all parents.
 * - `context`: generic words ("safeguarding", "medical", "SEN", "religion"). Never a finding above
 *   low on their own; they corroborate the others.
 */

export type VocabularyType = 'special_category' | 'safeguarding';
export type Tier = 'status' | 'topic' | 'context';

export type VocabularyTerm = {
  /** Regex source (no capturing groups), matched case-insensitively unless `caseSensitive`. */
  pattern: string;
  type: VocabularyType;
  /** The sub-category shown to staff and admins: `health`, `sen`, `child_protection`, … */
  category: string;
  tier: Tier;
  caseSensitive?: boolean;
};

function terms(
  type: VocabularyType,
  category: string,
  tier: Tier,
  patterns: string[],
  caseSensitive = false,
): VocabularyTerm[] {
  return patterns.flatMap(branches).map((pattern) => ({
    pattern,
    type,
    category,
    tier,
    caseSensitive,
  }));
}

/**
 * A pattern's leading alternatives as patterns of their own: "(?:burns?|bruises) on his back" →
 * "burns? on his back", "bruises on his back"; "toothache|tooth decay" → both. The same language
 * in the same order, but the scan (`first-chars.ts`) then tries each only at words that start
 * like it, where the whole pattern was tried at every word starting like any of its branches.
 * A group followed by a quantifier, or anything the splitter does not read, stays whole.
 */
export function branches(pattern: string): string[] {
  const top = splitTopLevel(pattern);
  if (top.length > 1) return top.flatMap(branches);
  if (!pattern.startsWith('(?:')) return [pattern];
  const close = closingParen(pattern, 0);
  if (close < 0) return [pattern];
  const rest = pattern.slice(close + 1);
  if (/^[?*+{]/.test(rest)) return [pattern];
  const inner = splitTopLevel(pattern.slice(3, close));
  return inner.flatMap((alternative) => branches(alternative + rest));
}

/** The pattern split at its top-level `|` (not inside a group or a class). */
function splitTopLevel(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(pattern.slice(from, i));
      from = i + 1;
    }
  }
  out.push(pattern.slice(from));
  return out;
}

/** Index of the `)` closing the group opened at `open`, or -1. */
function closingParen(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

const S = 'special_category' as const;
const G = 'safeguarding' as const;

// ---------------------------------------------------------------------------------------------
// Light stemming. Staff write "grabbed", "grabs", "grabbing"; a disclosure is told in the past
// tense, a concern in the present. NLP libraries that do this properly were measured for the
// webmail content script (bench/README.md, "NLP libraries"): compromise adds 365 KB and takes
// seconds on a 100 KB message, wink-nlp with its lite model adds 3.6 MB; the scan must stay under
// 10 ms. So each verb below is written once and inflected here, regular rules plus the few
// irregular verbs the vocabulary needs.

const IRREGULAR: Record<string, string> = {
  hit: 'hit(?:s|ting)?',
  beat: 'beat(?:s|en|ing)?',
  throw: '(?:throw(?:s|n|ing)?|threw)',
  bite: '(?:bit(?:e|es|ten|ing)?)',
  shake: '(?:shak(?:e|es|en|ing)|shook)',
  hold: '(?:hold(?:s|ing)?|held)',
  hurt: 'hurt(?:s|ing)?',
  make: '(?:mak(?:e|es|ing)|made)',
  send: '(?:send(?:s|ing)?|sent)',
  take: '(?:tak(?:e|es|en|ing)|took)',
  tell: '(?:tell(?:s|ing)?|told)',
  say: '(?:say(?:s|ing)?|said)',
  burn: 'burn(?:s|t|ed|ing)?',
  smell: 'smel(?:l|ls|led|ling|t)',
  keep: '(?:keep(?:s|ing)?|kept)',
  leave: '(?:leav(?:e|es|ing)|left)',
  put: 'put(?:s|ting)?',
  sit: '(?:sit(?:s|ting)?|sat)',
  slide: '(?:slid(?:e|es|ing)?)',
  stick: '(?:stick(?:s|ing)?|stuck)',
  get: '(?:get(?:s|ting)?|got(?:ten)?)',
  come: '(?:com(?:e|es|ing)|came)',
};

/** A verb and its inflections as a regex source: "grab" → grab(?:s|bed|bing)?. */
export function inflect(verb: string): string {
  const irregular = IRREGULAR[verb];
  if (irregular) return irregular;
  if (verb.endsWith('e')) return `${verb.slice(0, -1)}(?:e|es|ed|ing)`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}(?:y|ies|ied|ying)`;
  if (/(?:ch|sh|ss|x)$/.test(verb)) return `${verb}(?:es|ed|ing)?`;
  // One syllable ending consonant-vowel-consonant doubles its last letter: grabbed, slapped.
  if (/^[^aeiou]*[aeiou][bdgklmnprt]$/.test(verb)) {
    const last = verb[verb.length - 1];
    return `${verb}(?:s|${last}ed|${last}ing)?`;
  }
  return `${verb}(?:s|ed|ing)?`;
}

const verbs = (...list: string[]) => `(?:${list.map(inflect).join('|')})`;

/**
 * One term per verb, each inflected and followed by `rest`: the scan tries at a word only the
 * terms that can start with its first two letters (`first-chars.ts`), so "punch(?:es|ed)… him"
 * is tried at "pu…" words alone, where one term for all the verbs was tried at every word
 * starting like any of them.
 */
const perVerb = (list: readonly string[], rest: string): string[] =>
  list.map((verb) => `${inflect(verb)}${rest}`);

/** Someone a harm is done to, as staff write it down: "him", "her", "Mum", "his sister". */
const VICTIM =
  '(?:him|her|them|me|us|mum|mummy|dad|daddy|(?:his|her|their|my) (?:mum|mother|sister|brother|son|daughter|wife|husband|partner|girlfriend|boyfriend|kids|children|baby)|(?:a|the|another) (?:year \\d+ |Y\\d+ )?(?:boy|girl|pupil|child|student))';
const HARM_VERBS = [
  'hit',
  'punch',
  'kick',
  'slap',
  'smack',
  'whack',
  'beat',
  'strangle',
  'choke',
  'grab',
  'push',
  'shove',
  'drag',
  'bite',
  'shake',
  'burn',
  'hurt',
  'attack',
  'pin',
  'thump',
  'batter',
  'throttle',
  'scald',
  'lock',
  'belt',
  'hold down',
  'scratch',
  'pinch',
  'stab',
  'whip',
  'headbutt',
  'strike',
];
const SEXUAL_VERBS = ['touch', 'grope', 'fondle', 'rape', 'molest', 'undress', 'expose'];
/**
 * Where on the body an injury is, as a body map records it: KCSIE's "unusual places" (face, ears,
 * neck, back, buttocks, upper arms, inner thighs, torso). Hands, legs, knees, elbows, ankles, the
 * forehead and the top of the head are left out: that is where sport and playground falls land,
 * and an injury there is a first-aid note.
 */
const BODY_PART =
  '(?:neck|throat|face|cheeks?|eyes?|ears?|scalp|lips?|mouth|jaw|arms?|forearms?|upper arms?|wrists?|thighs?|back|bottom|bum|chest|stomach|tummy|ribs|shoulders?|hips?|side)';
/**
 * "Erin hurt her finger catching a pass": "her" owns the body part, nobody was hurt by anyone. A
 * harm verb's victim is not followed by a body part (where it landed is `INJURY` and the squeeze
 * patterns below).
 */
const NOT_A_BODY_PART =
  '(?! (?:own |left |right |little |big )?(?:fingers?|thumbs?|toes?|hands?|feet|foot|ankles?|knees?|legs?|elbows?|wrists?|arms?|heads?|backs?|necks?|shoulders?|hips?|shins?|noses?|knuckles?|mouth|lips?|teeth|tooth|eyes?|face|ribs?|bottom)\\b)';
/** What staff see on a child: the injury words of a body map. Cuts and grazes are self-harm below. */
const INJURY =
  '(?:bruis(?:e|es|ing)|burns?|scalds?|welts?|sores|scratch(?:es)?|(?:red |finger ?|belt |bite |strap )?marks?|handprints?)';
const SELF = '(?:him|her|them|my)sel(?:f|ves)';
/**
 * Whose it is, as staff write it: a pronoun or a pupil's name in the possessive ("pulled Ava's
 * tights down", "his hand up Ellie's skirt"). Case-insensitive terms cannot tell a name from a
 * word, so any word with 's counts: the clothing or body word after it carries the meaning.
 */
const WHOSE = "(?:his|her|their|my|[a-z]+['’]s)";
/** Clothes a child-on-child assault or an upskirt photo is told by. */
const CLOTHES =
  '(?:shorts|trousers|pants|knickers|skirt|underwear|top|bra|tights|leggings|joggers|dress|shirt|boxers)';
/** Someone on the other end of a message or a photo: him, her, a pupil, "their son". */
const CHILD_OBJECT =
  '(?:him|her|them|me|a pupil|pupils|a student|students|a child|children|their (?:son|daughter|child))';

/**
 * The vocabulary by taxonomy (issue 13). Each group names its source: Keeping Children Safe in
 * Education (KCSIE) Part 1 and Annex B for the kinds of abuse and harm; Working Together to
 * Safeguard Children for the social-care process; UK GDPR Articles 9 and 10 for special-category
 * and criminal-offence data; the SEND Code of Practice; and the seed policies for financial
 * circumstances and staff records. Words are written as staff write them (the development set,
 * `tests/fixtures/dlp-corpus/dev-3.jsonl`), not as the statutory guidance does.
 */
const TAXONOMY: VocabularyTerm[] = [
  // --- KCSIE: physical abuse ----------------------------------------------------------------
  ...terms(G, 'physical_abuse', 'status', [
    ...perVerb(HARM_VERBS, ` ${VICTIM}${NOT_A_BODY_PART}`),
    // The harm told by where it landed: "squeezed his neck", "pulled her hair".
    ...perVerb(
      [
        'squeeze',
        'twist',
        'pull',
        'grab',
        'hit',
        'punch',
        'slap',
        'kick',
        'strangle',
        'choke',
        'burn',
        'scratch',
        // A head or body driven into something: "shoved his head into the wall".
        'shove',
        'push',
        'bang',
        'smash',
        'slam',
      ],
      ' (?:his|her|their|my) (?:neck|throat|arms?|face|head|hair|wrists?|ears?|legs?)',
    ),
    "(?:couldn't|could not|can't|cannot) breathe",
    'belt marks?',
    '(?:got|get|gets|getting) the (?:belt|slipper|stick)',
    `${verbs('lock')} (?:him|her|them|me) in`,
    '(?:be|been|gets?|got|is|was|being) locked in (?:his|her|their|my|the) (?:rooms?|bedrooms?|cupboard|shed|garden)',
    '(?:with|using) (?:a|the|his|her) (?:belt|slipper|stick|cable|wooden spoon|hairbrush)',
    'body map',
    'bite mark',
    // An injury where accidents rarely land ("a burn on the back of her hand", "marks down his
    // neck"), the cigarette burn, and the explanation that does not fit.
    `${INJURY} (?:on|to|down|across|around|behind|under|along|over|at|above|below) (?:the (?:back|side|top|front|inside|outside) of )?(?:both )?(?:his|her|their|my) ${BODY_PART}`,
    `${INJURY} (?:on|to|down|across|around|along|over) the (?:top|back|inside|upper part) of (?:his|her|their|my|both) (?:legs?|arms?|thighs?)`,
    'cigarette (?:burns?|ends?|marks?)',
    '(?:burns?|scalds?) (?:on|to) (?:the (?:back|palms?) of )?(?:his|her|their|my|both) hands?',
    `${verbs('throw', 'hurl', 'chuck')} (?:(?:a|the|his|her|their) )?(?:chair|plate|bottle|glass|mug|cup|phone|remote|shoe|knife|brick|stone|hot drink|kettle|table|something) at (?:him|her|them|me|mum|dad|his (?:mum|wife|partner)|her (?:husband|partner))`,
    '(?:did|does|done) (?:it|that|this) (?:to (?:him|her|them|me) )?(?:when|because) (?:she|he|they) (?:was|were|got|gets|is|are) (?:angry|cross|mad|drunk|upset|in a (?:mood|temper))',
    '(?:with|using) (?:a|the|his|her) (?:lighter|cigarette)',
    // A beating in a child's own words, often quoted: "I'll get a hiding", "she gives us a belting".
    '(?:get|gets|getting|got|give|gives|gave|giving) (?:me|him|her|them|us)? ?(?:a |another |the )?(?:good )?(?:hiding|belting|leathering|battering|beating|walloping)',
    // Hair pulled out: an injury a body map records on the scalp.
    '(?:pulled|ripped|yanked|tore|torn) (?:it|(?:his|her|their) hair|chunks|clumps|handfuls) out|(?:clumps?|chunks?|handfuls?|patch(?:es)?|tufts?) of (?:his |her |their )?hair (?:missing|pulled out|gone|out)',
  ]),
  ...terms(G, 'physical_abuse', 'topic', [
    'bruis(?:e|es|ed|ing)',
    'marks on (?:his|her|their|both)',
    'nearly passed out',
    'flinch(?:es|ed|ing)?',
    "(?:doesn't|does not|didn't|did not|don't|can't|cannot) (?:know|remember|say|want to say) how (?:he|she|they|I|it) (?:got|happened|did)",
    "(?:doesn't|does not|didn't|did not) look like (?:an accident|a fall|(?:that|it) to me)",
    'black eye',
    // A face injury as staff write it (h6-recall6): "a split lip", "a fat lip".
    '(?:split|fat|bust|busted|swollen|cut) lip',
    '(?:dad|mum|mother|father|parents?|stepdad|stepmum|carer) (?:said|says|claimed|claims|told us|explained) (?:that )?(?:he|she|they) (?:fell|had fallen|walked into|bumped into|tripped|bruises easily|did it)',
    '(?:lost|loses) (?:it|(?:his|her) temper) (?:last night|again|with (?:him|her|them|me)|at (?:him|her|them|me))',
  ]),
  // --- KCSIE: emotional abuse -------------------------------------------------------------------
  ...terms(G, 'emotional_abuse', 'topic', [
    // Shut out of family life (h5-recall5): "not allowed in the living room", tea alone upstairs.
    "(?:not|isn't|is not|aren't|never) allowed (?:in|into) the (?:living room|lounge|front room|kitchen)",
    '(?:eat|eats|have|has|having) (?:(?:his|her|their) )?(?:tea|dinner|meals?) (?:on (?:his|her|their) own|alone|upstairs|in (?:his|her|their) room|in the hall(?:way)?)|stay upstairs even for (?:tea|dinner|meals)',
  ]),
  ...terms(G, 'emotional_abuse', 'status', [
    // Shut away as a punishment (emotional abuse): "shuts him in the downstairs loo" (h5-recall5).
    '(?:shuts?|shutting|locks?|locked|locking) (?:him|her|them|me) in (?:the |a |his |her |their |my )?(?:[a-z]+ )?(?:loo|toilet|cupboard|bathroom|bedroom|room|shed|garage|cellar|dark)',
    "(?:doesn't|does not|didn't|did not|won't) want to go (?:back )?home",
    '(?:scared|frightened|terrified|afraid) (?:of|to go home|to tell)',
    '(?:if (?:he|she|they) tells?|not to tell) (?:anyone|anybody)',
    '(?:keep|kept) (?:it|this) (?:a )?secret',
    `(?:threaten(?:s|ed|ing)?|said) (?:he'd|she'd|he would|she would|to) (?:kill|hurt)`,
    // KCSIE: emotional abuse "conveying to a child that they are worthless or unloved".
    `${verbs('tell', 'call', 'say')} (?:him|her|them|me) (?:that )?(?:(?:he|she|they|I)(?:'s|'re|'m| is| are| am) )?['"‘“]?(?:the |a |an )?(?:useless|worthless|stupid|a mistake|unwanted|nothing|fat|ugly|thick|pathetic|disgusting|a burden|evil|a freak|a waste of space)`,
    '(?:nobody|no one|no-one) (?:at home |here |in (?:the|this|my|his|her) family )?(?:would |will |could |will ever |would ever )?(?:wants?|loves?|likes?|cares? about) (?:him|her|them|me)',
    '(?:has|have|had|must) to (?:stay|keep) (?:quiet|silent)|(?:sleeps?|slept|sleeping) in (?:his|her|my|their) bed',
    'wish(?:es|ed)? (?:he|she|they|I) (?:had )?(?:never been born|was dead|were dead)',
    // Told, in the passive (h13-tune): "they're constantly told they're useless", "being told
    // they are the reason their parents split".
    `(?:is|are|they're|they’re|gets?|getting|being|was|were|been) (?:constantly |always |repeatedly |often |regularly |still )?(?:told|called) (?:that )?(?:(?:he|she|they|I)(?:'s|'re|’s|’re|'m| is| are| am) )?['"‘“]?(?:the |a |an )?(?:useless|worthless|stupid|a mistake|unwanted|thick|pathetic|a burden|a waste of space|the reason (?:for|why|(?:his|her|their|my) (?:parents|mum|dad)))`,
    `${verbs('make')} (?:him|her|them|me) (?:stand|sleep|stay|sit|wait) (?:outside|in the garden|in the cold|in the rain|in the dark|in (?:the |his |her |their )?(?:wet|dirty|soiled) (?:sheets|bed|clothes|pyjamas))`,
    // Basic care withheld as punishment: "won't let him have a shower before school".
    "(?:won't|doesn't|didn't|will not|does not|wouldn't|never) lets? (?:him|her|them|me) (?:have a (?:shower|bath|wash|drink)|wash|use the toilet|go to the toilet)",
    'waste of (?:money|oxygen|space|skin)',
    '(?:promise|promised|swear|swore) not to tell',
    // Secrecy asked of a child, and being shut out of the family: "not allowed to eat with the rest
    // of the family", "the reason Dad left", "she'll send him away".
    "(?:not allowed|not supposed|mustn't|must not|isn't allowed|is not allowed) (?:to )?tell (?:anyone|anybody|mummy|mum|daddy|dad|(?:his|her) (?:mum|dad)|the teacher|a teacher|(?:his|her|their) teacher)",
    "(?:didn't|doesn't|did not|does not) want (?:me|us) to tell (?:anyone|anybody|mum|dad|(?:his|her) (?:mum|dad))",
    '(?:asked|begged|told) (?:me|us) not to (?:tell (?:anyone|anybody|mum|dad|(?:his|her) (?:mum|dad))|say anything|phone home|call home|ring home)',
    "(?:isn't|is not|aren't|are not|not|wasn't|never) allowed to (?:eat|have (?:tea|dinner|meals|food)|come down for (?:tea|dinner)) with (?:the|his|her|their) (?:family|rest|others|brothers|sisters|siblings)",
    '(?:makes?|made|making) (?:him|her|them|me) eat (?:(?:his|her|their|my) (?:tea|dinner|meals|food) )?(?:on (?:his|her|their|my) own|alone|separately|in (?:the kitchen|(?:his|her|their) room)|on the floor|outside|in the (?:garden|shed|garden shed|hall|hallway|car|cupboard|bathroom|garage))',
    'reason (?:why |that )?(?:dad|mum|daddy|mummy|(?:his|her|my) (?:dad|mum)|they|she|he) (?:left|split|drinks|went)',
    "wish(?:es|ed)? (?:she|he|they|I)(?:'d| had) never had (?:him|her|them|me)",
    '(?:send|sends|sent|sending|put|puts|putting) (?:him|her|them|me) (?:in(?:to)? care|away to live)',
    // The same threats and rejections in the passive, the first person and the conditional (a
    // child quoted, a parent's text read out): "she'll be sent to live with relatives abroad",
    // "I don't want to go home", "she should never have been born", "he's ignored for days".
    "(?:she'll|he'll|they'll|I'll|will|would|gets?|being|be) (?:be )?['‘\"“]?sent (?:away|abroad|back home|back to (?:your|her|his|their|my) (?:real |birth )?(?:mum|dad|mother|father|family|country)|to live (?:with|in|abroad))",
    "(?:don't|do not|never) want to go (?:back )?home",
    'never (?:have |had )?been born',
    "(?:ignore[sd]?|ignoring|blank(?:s|ed|ing)?|not speak(?:ing)? to|(?:won't|doesn't|didn't) speak to) (?:him|her|them|me) for (?:days|hours|weeks|a week)",
    "(?:nobody|no one|no-one|not|isn't|is not|aren't) (?:is )?allowed to (?:speak|talk) to (?:him|her|them|me)",
    '(?:leave|go|walk out)(?: and| to)? never come back',
    "(?:isn't|is not|aren't|not|wasn't|never) allowed out of (?:his|her|their|my) (?:room|bedroom)",
    `${verbs('make')} (?:him|her|them|me) (?:stand|sit|kneel) (?:facing the wall|in the corner|for hours)`,
    // KCSIE: "conveying to a child that they are worthless or unloved, inadequate".
    "(?:he|she|they|I)(?:'s| is| was| were| are| am|'m) (?:just |such )?['\"‘“]?(?:an embarrassment|a disappointment|a burden|the bad one|worthless|unwanted|unloved|unlovable|a waste of space|a mistake)",
  ]),
  ...terms(G, 'emotional_abuse', 'topic', [
    'hiding in the (?:toilets|loos|cupboard|cloakroom)',
    "(?:not|isn't|aren't|never|wasn't|weren't) allowed (?:any )?(?:food|snacks|dinner|tea|breakfast|to eat)",
    "(?:can't|cannot|couldn't) stand (?:the sight of )?(?:him|her|them)|(?:hates?|hated) the sight of (?:him|her|them)",
    '(?:just )?like (?:his|her|their) (?:useless|waste of space|good for nothing|lazy) (?:father|dad|mother|mum)',
    "(?:mum|dad|stepmum|stepdad|she|he) (?:hates|doesn't love|does not love|never loved) (?:me|him|her)",
    'disown(?:ed|ing)?',
    "(?:not|isn't|wasn't|never) allowed (?:back )?(?:home|in the house|in the flat)",
    `${verbs('shout', 'scream', 'swear')} at (?:him|her|them|me)`,
    `(?:has|have|had|made|makes|make) to stay in (?:his|her|their|my) (?:room|bedroom)`,
    '(?:very|quite|more|really|so|seems?|seemed|been|become|becoming) withdrawn',
    'blam(?:e|es|ed|ing) (?:him|her|them|me) for (?:everything|(?:dad|mum|his dad|her dad|his mum|her mum) (?:leaving|going)|the (?:divorce|split))',
  ]),
  // --- KCSIE: sexual abuse, child-on-child abuse and online sexual harm ---------------------------
  ...terms(G, 'sexual_abuse', 'status', [
    ...perVerb(SEXUAL_VERBS, ` ${VICTIM}`),
    `${verbs('make', 'get', 'want', 'tell', 'ask')} (?:him|her|them|me) (?:to )?sit on (?:his|her) (?:lap|knee)`,
    `(?:comes?|came|coming|goes|went|gets|got|creeps?|crept) (?:in)?to (?:his|her|their|my) (?:bed|bedroom|room) (?:at night|in the night|when (?:she|he|I|they)(?:'s| is| am| are) (?:asleep|in bed|in the bath))`,
    `${verbs('make')} (?:him|her|them|me) (?:do|touch|watch|look at|lick|kiss|hold) (?:things|stuff|rude|private|grown-up|adult|weird)`,
    '(?:does|did|doing|do) (?:weird|rude|naughty|secret|grown-up|sex|sexy|sexual|dirty) (?:stuff|things)',
    '(?:weird|rude|grown-up|adult|dirty) (?:videos|films|pictures|photos)',
    'secret games?',
    // A game an adult plays that is kept hidden: "a 'touching game' under the duvet". ("A tickling
    // game with the puppets" is role play: left out.)
    '(?:touching|naughty|rude|private) games?',
    'under the (?:duvet|covers|bedcovers|blanket|quilt)',
    '(?:little|special) secret|our secret',
    "(?:it's|it is|it was|that's) (?:our|their|a|his|her) (?:little |special )?secret",
    // The room is often left unsaid: "he comes in when she's in the bath".
    "(?:comes?|came|coming|walks?|walked|goes|went|gets?|got) (?:in(?:to)?|in to)(?: the (?:bathroom|toilet|shower|bedroom))? when (?:she|he|I|they)(?:'s| is| am| are| was| were|'m) (?:in the (?:shower|bath)|getting (?:changed|dressed|undressed)|on the toilet|asleep|in bed)",
    "in a way (?:she|he|they|I) (?:doesn't|didn't|does not|did not|don't) like",
    `${verbs('touch', 'hurt')} (?:him|her|them|me)? ?(?:on |in )?(?:his |her |their |my )?(?:private parts|privates|down there|front bottom|willy|fanny)`,
    `${verbs('get', 'climb', 'come')} (?:into|in) ${WHOSE} (?:bed|bedroom|sleeping bag)`,
    'sex(?:ual)? act',
    // Underwear taken off, in a child's telling (h6-recall6): "she has to take her knickers off".
    '(?:take|takes|took|taking|taken|pull|pulls|pulled|pulling) (?:off )?(?:her|his|their|my) (?:knickers|pants|underwear|bra|boxers|nappy)(?: off| down)?',
    'sat on (?:his|her) face',
    'sexual(?:ly)? (?:assault(?:ed)?|harass(?:ed|ment)?|touching)',
    'raped',
    'upskirt(?:ing)?',
    "photos? up (?:girls'|her|their) skirts?",
  ]),
  ...terms(G, 'sexual_abuse', 'topic', [
    'private parts',
    'privates',
    // Something done to a child while the adult who would stop it is away (h6-recall6): "what her
    // brother's friend does to her when mum's at work".
    "(?:does|did|do|doing|done) (?:things |stuff |it |that |this )?to (?:her|him|me|them) when (?:mum|dad|mummy|daddy|nan|nana|gran|nobody|no one|no-one|they|everyone)(?:'s|’s| is| was| are| were| has| had)? (?:at work|out|gone out|asleep|not (?:in|home|there|looking|around)|in bed|away|busy)",
  ]),
  ...terms(G, 'online_sexual_harm', 'status', [
    // Sextortion (CEOP/NCA alert): pictures of himself or herself asked for, then money demanded or a threat to share them (h5-recall5).
    'sen(?:d|ds|t|ding) (?:him |her |them )?(?:some |more )?(?:pic(?:ture)?s?|photos?|images?|videos?|clips?) of (?:him|her|them)sel(?:f|ves)',
    'threat(?:en(?:s|ed|ing)?)? to (?:post|share|send|leak|put up) (?:them|the (?:pic(?:ture)?s?|photos?|images?|videos?))',
    "demand(?:s|ed|ing)? (?:£|\\$)?\\d+ or (?:they|he|she)(?:'ll| will| would)",
    '(?:nudes?|semi-nudes?|naked (?:pic(?:ture)?s?|photos?|images?|videos?))',
    '(?:pic(?:ture)?s?|photos?|images?|videos?) of (?:him|her|them)(?:self|selves)? (?:naked|topless|undressing|without)',
    '(?:topless|naked|nude|explicit|indecent|sexual) (?:pic(?:ture)?s?|photos?|images?|videos?|selfies?)',
    'without (?:a|her|his) top',
    'take (?:his|her|their) clothes off',
    'sextortion',
    // In everyday words: asked for a picture "in her bra", a camera turned on in a bedroom, an
    // image made by AI, a threat to tell or post.
    '(?:pic(?:ture)?s?|photos?|images?|videos?|selfies?|snaps?) of (?:him|her|them)(?:self|selves)? (?:[a-z]+ing )?(?:in (?:his|her|their) (?:bra|underwear|knickers|pants|boxers|bikini|bed|bedroom|towel|pyjamas)|in the (?:bath|shower)|getting (?:changed|undressed))',
    '(?:video ?call|facetime|camera on) (?:with )?(?:him|her|them|me)? ?(?:in (?:his|her|their|my) (?:pyjamas|underwear|bed|bedroom)|late at night)',
    '(?:deep ?fakes?|AI[- ]generated (?:nudes?|naked|explicit|sexual|fake)|nudif(?:y|ied|ying))',
    `(?:asked|asking|pressured|pressuring|made|making|told|telling|forced|forcing|begging|wanted|wants) (?:him|her|them|me) to (?:strip|undress|take (?:his|her|their|my) (?:top|clothes) off)`,
    '(?:asked|asking|pressured|pressuring|begging|begged|kept asking) (?:him|her|them|me) for (?:nudes?|pics|naked|more pics|(?:a )?pic\\b)',
    `(?:turn|turned|turning|switch|switched|put|putting) (?:his|her|their|my|the) (?:camera|webcam) on in (?:his|her|their|my) (?:bed)?room`,
    '(?:threaten(?:s|ed|ing)?|saying|said|says) (?:to )?(?:tell everyone|share|post|send|show|leak|put) (?:it|them|the|her|his|their) (?:pic|photo|image|video|nude|picture)',
    "tell everyone (?:she's|he's|they're|she is|he is) (?:easy|a slag|a slut|frigid)",
    '(?:buying|bought|buys|sending|sent|gives?|gave) (?:him|her|them) (?:skins|v-?bucks|robux|game credit|top-?ups)',
    '(?:paying|paid|pays|pay) (?:him|her|them) (?:money )?(?:to|for) (?:post|send|film|take|dance|strip|pose|pictures|pics|photos|videos)',
    'threatening to (?:send|post|share) (?:her|his|their|the) (?:pictures|photos|images|videos|pics)',
    // Online sexual harm in everyday words (KCSIE Part 5; UKCIS "Sharing nudes and semi-nudes"):
    // what was asked for ("with less on", "show him her body"), what was offered, where an image
    // went. A named child stands where a pronoun would: "a picture of Leah in her underwear".
    '(?:with|wearing) (?:less|nothing|no clothes|not much) on|with no clothes|without (?:any )?clothes',
    `show (?:him|them|me|a man|someone|the man) (?:her|his|their|my) (?:body|chest|boobs|bum|privates|bits)`,
    `(?:pic(?:ture)?s?|photos?|images?|videos?|selfies?|snaps?) of [a-z]+ (?:[a-z]+ing )?in (?:his|her|their) (?:bra|underwear|knickers|pants|boxers|bikini|towel)`,
    `(?:threaten(?:s|ed|ing)?|saying|said|says) (?:he'll |she'll |they'll |he will |she will |they will )?(?:to )?(?:post|share|put|upload|send|spread|leak|show) (?:them|it|the (?:photos?|pictures?|videos?|pics?|images?)) (?:on|online|round|around|to (?:everyone|the))`,
    `(?:offer(?:s|ed|ing)?|promis(?:es|ed|ing)|giv(?:es|ing)|gave) (?:him|her|them) (?:robux|v-?bucks|skins|money|cash|gift cards?|game credit)`,
  ]),
  ...terms(G, 'online_sexual_harm', 'topic', [
    // Images taken where pupils undress, and pupils' bodies rated (KCSIE child-on-child, h5-recall5).
    "(?:photos?|pictures?|pics|videos?|filmed|filming) (?:taken )?in the (?:girls' |boys' )?(?:changing rooms?|toilets|showers)",
    "rat(?:ing|ed|es) (?:the )?(?:girls|boys)(?:' bodies)?",
    // An adult's direct messages to a child of a stated age (h5-recall5): "sending DMs to her 11-year-old daughter".
    '(?:DMs?|direct messages|messag(?:es|ing)|texts|texting|snapchatting) (?:to |with )?(?:his|her|their|a|an) \\d+-year-old',
    'naked',
    'topless',
    'undressing',
    'groom(?:ed|ing)?',
    'video call',
    'webcam',
    'gift cards?',
    '(?:being|been|was|is|are|were) (?:shared|passed round|sent round|going round|going around|passed around)',
    '(?:go|goes|going|went|gone) on (?:video|camera|cam|facetime|live)',
    // An adult's messages to a child that KCSIE's staff code forbids: compliments on her looks,
    // what she is wearing.
    '(?:ask|asks|asked|asking) (?:her|him|them|me) what (?:she|he|they|I) (?:was|were|is|are|am|had) (?:wearing|got on)',
    '(?:calling|called|calls|call) (?:her|him|them|me) (?:gorgeous|sexy|hot|fit|babe|baby girl|stunning|beautiful)',
    'air ?drop(?:ped|ping|s)?',
    `(?:messag|text|DM|snapchatt|call|ring)(?:s|ed|ing)? ${CHILD_OBJECT}(?: \\([^)]{1,12}\\))? (?:on [a-z]+ )?(?:late at night|at night|in the night|at (?:1[0-2]|[1-4]) ?(?:am|pm))`,
    `(?:ask|asks|asked|asking|begging|begged) (?:him|her|them|me) for (?:pictures|photos|pics|selfies|videos)`,
    'going round (?:instagram|snapchat|whatsapp|the school)',
    'met (?:online|on (?:a )?(?:gaming|dating)? ?(?:app|roblox|snapchat|instagram|tiktok|discord))',
    '(?:a|an|older|grown|adult) (?:man|men) (?:he|she|they) (?:plays?|met|talks? to|chats? to|games? with|messages?)',
    'older (?:lads?|boys?) (?:he|she|they) (?:met|talks? to|chats? to|messages?)',
    'sexting',
    '(?:private|intimate|explicit) (?:photos|pictures|pics|images|videos)',
    'ranking (?:the )?(?:girls|boys)',
    'porn(?:ography|ographic)?',
    '(?:do|doing|does|did) (?:things|stuff|it) on (?:camera|webcam|video)',
    'genitals|penis|dick pics?',
    '(?:unsolicited|unrequested|unwanted) (?:pic(?:ture)?s|photos|images|nudes|videos)',
    "rating (?:girls'?|boys'?|their|her|his) (?:bodies|looks|bums?)",
    '(?:asked|asking|asks|wanted to know) [a-z ]{0,30}(?:knickers|underwear|bra|pants) (?:were|was|is|are)',
    '(?:keep|kept|keeping) (?:their|the|our|these) (?:chats?|messages?|conversations?|friendship) (?:private|secret)',
    '(?:said|says|pretended|pretending|pretends) (?:he|she|they) (?:was|were|is|are|to be) (?:1[0-7]|a kid|a child|a girl|a boy)',
  ]),
  ...terms(G, 'child_on_child', 'topic', [
    // A blow where it lands, and things taken by threat (h12-tune): "one of them was kicked in the
    // stomach", "made to hand over their lunch every day". Not "hit": "hit in the face by a ball".
    '(?:was|were|got|been|being|is|are) (?:kicked|punched|slapped|headbutted|stamped on|elbowed) (?:hard )?in the (?:stomach|face|head|ribs|back|chest|groin|mouth|eye|nose|privates)',
    '(?:made|forced|told|having) to hand over (?:their|his|her|my|our) (?:lunch|lunches|dinner money|money|phones?|snacks?|pocket money)',
    `${verbs('pull', 'yank', 'tug', 'lift')} (?:down |up )?${WHOSE} ${CLOTHES}(?: (?:down|off|up))?`,
    // Harmful sexual behaviour between children (KCSIE Part 5) told as what happened: a hand up a
    // skirt, a chest grabbed, kisses forced, comments about a body, photos taken to shame.
    `${verbs('put', 'stick', 'shove', 'slide')} (?:his|her|their) hands? (?:up|down|inside|in|under) ${WHOSE} ${CLOTHES}`,
    `${verbs('put', 'rest', 'keep', 'rub', 'stroke')} (?:his|her|their) hands? (?:on|up|between) ${WHOSE} (?:thighs?|bum|bottom|chest|breasts?|boobs|crotch|groin|legs)`,
    `${verbs('touch', 'grab', 'rub')} ${WHOSE} private (?:area|parts|bits)|(?:his|her|their|my) private (?:area|bits)`,
    // The hand as subject ("daddy's hands go in my knickers"), and between the legs.
    `hands? (?:go|goes|went|going|gets?|got|(?:is|are|was|were) put) (?:in|into|inside|down|up|under) ${WHOSE} ${CLOTHES}`,
    `${verbs('touch', 'grab', 'rub', 'feel')} (?:him|her|them|me|[a-z]+) (?:between (?:his|her|their|my) legs|on (?:his|her|their|my) (?:privates|private parts|bum|bottom|chest|breasts|boobs|crotch))`,
    `(?:followed|follows|following|came|went|walked|barged|burst) (?:(?:him|her|them|me) )?in(?:to)? the (?:girls'|boys'|girls|boys)? ?(?:changing rooms?|toilets?|showers?|cubicles?)`,
    "(?:snap|ping|ping|twang|pull|undo)(?:s|ped|ping|ed|ing)? (?:the girls'|girls'|her|their|[a-z]+'s) bra straps?",
    `${verbs('grab', 'touch', 'squeeze', 'slap', 'pinch', 'grope')} ${WHOSE} (?:chest|boobs|breasts|bum|bottom|backside|crotch|groin|privates)`,
    '(?:tries|tried|trying|try|keeps trying|kept trying) to kiss (?:him|her|them|me)',
    `(?:sexual|rude|dirty|explicit|crude) (?:comments|remarks|jokes|gestures|noises|messages|drawings?) (?:about|to|at|on) (?:him|her|them|me|${WHOSE} (?:body|chest|bum|looks))`,
    `(?:took|taking|take|takes|taken) (?:photos?|pictures?|videos?|pics?) of (?:him|her|them|[a-z]+) (?:in|getting changed in|through|under) the (?:changing rooms?|toilets?|showers?|cubicles?)`,
    "(?:dragged|pulled|pushed|forced|cornered) (?:him|her|them|me|[a-z]+) in(?:to)? the (?:girls'|boys'|)\\s?(?:toilets?|changing rooms?|cubicles?|showers?)",
    `${verbs('pin', 'hold')} (?:him|her|them|me) (?:to|against|on) the (?:floor|ground|wall|bed)`,
    `${verbs('hold')} (?:him|her|them) down`,
    `${verbs('film')} (?:it|him|her|them)`,
  ]),
  // --- KCSIE: neglect ---------------------------------------------------------------------------
  ...terms(G, 'neglect', 'topic', [
    // Put out of home, and a night without a bed (h12-tune): "mum's boyfriend put them out of the
    // house last night and they slept in the bus shelter".
    '(?:put|threw|thrown|kicked|locked|chucked) (?:him|her|them|me) out of the (?:house|flat|home)',
    '(?:slept|sleeping|sleeps|spent the night) (?:in|on|at) (?:a|the) (?:bus shelter|park|street|streets|doorway|stairwell|car|garage|shed|bus station)',
    // Children left uncollected and without a coat (neglect: supervision and basic care, h5-recall5).
    '(?:no one|nobody|no-one) (?:has |had )?(?:come|came|turned up|arrived) (?:for|to collect|to pick up)|(?:no one|nobody|no-one) (?:has |had )?(?:collected|picked up)',
    "(?:hasn't|has not|hadn't|had not) got a coat|without a coat",
    // Not a rule of a place or a trip (h12-tune): "no food is taken into the animal houses",
    // "no food to be eaten on the coach" is a notice, not a child without food.
    'no food(?! (?:or drink |or drinks )?(?:is|are|to be|may|must|should|can|will be|allowed|permitted|taken|brought|eaten)\\b)',
    '(?:always|often|constantly|so|still|very|starving) hungry|hungry (?:all the time|every day|every morning|when (?:he|she|they) (?:arrives?|comes? in|gets? here))',
    'smell(?:s|ed|ing)? (?:strongly )?of (?:urine|wee)',
    'unwashed',
    '(?:coming|comes?|came|arrives?|arrived|arriving) (?:in(?:to school)? )?(?:very |really |absolutely )?(?:filthy|unkempt|grubby|dishevelled)',
    `${verbs('smell')} (?:strongly |heavily )?of (?:cigarette |stale )?smoke`,
    'not been (?:bathed|washed)',
    'no coat',
    'no socks',
    'holes in (?:his|her|their) shoes|shoes with holes',
    // Head lice are common and no sign of poor care (the NHS: anyone can get them, clean hair or
    // not); a letter home about a case in a class is routine. Neglect is lice left untreated or
    // coming back (KCSIE: persistent failure to meet basic needs), as the care record says it
    // (h18-tune): "untreated head lice", "head lice for weeks", "nits again", "nits are back".
    '(?:untreated|persistent|recurring|constant|crawling with|covered in|riddled with|full of) (?:head lice|nits|lice)',
    "(?:head lice|nits|lice) (?:again|for (?:weeks|months|ages)|(?:are|is) back|untreated|never treated|not treated|(?:that|which) (?:have|has|had)(?:n't| not| never) been treated|(?:have|has|had) (?:never|not) been treated)",
    'untreated',
    '(?:left|were) (?:alone|on (?:their|his|her) own)',
    'left (?:him|her|them)(?: and (?:his|her|their) [a-z ]{1,20})? (?:alone|on (?:their|his|her) own|home alone|by (?:him|her|them)sel(?:f|ves))',
    '(?:has|had|have) to (?:feed|look after|care for|put to bed|get) (?:the baby|(?:his|her|their) (?:baby|little|younger) (?:brothers?|sisters?|siblings))',
    '(?:collected|picked up) (?:an hour |very )?late',
    "(?:wasn't|was not|hadn't been|not been|still hadn't been|nobody|no one) collected",
    'no heating',
    'electric(?:ity)? (?:has )?run out',
    'no (?:electric|electricity|gas|power|hot water) (?:on )?(?:at home|in the (?:house|flat)|so)',
    // Not fed, and worn-out shoes, in everyday words (h11-tune): "hasn't eaten since Friday",
    // "his shoes have split right through", "asleep on the desk by 10".
    "(?:hasn't|has not|hadn't|had not|haven't|not) (?:eaten|had (?:anything|a (?:proper |hot )?meal) to eat|had a (?:proper |hot )?meal) (?:since|for (?:two|three|\\d+|a) (?:days?|meals?)|all (?:day|weekend))",
    '(?:shoes|trainers) (?:have|has|had) (?:split|a hole)',
    'asleep (?:on|at) (?:the|his|her|their) desk',
    "(?:can't|cannot|couldn't) (?:wash|get washed|have a (?:bath|shower|wash))",
    "(?:hasn't|has not|haven't|didn't|did not) taken? (?:him|her|them) to (?:the|a) (?:dentist|doctor|GP|optician)",
    // Taking food home, not a photo or a part (h12-tune): "asked if he could take the photo".
    // "Asked for more" is a child still hungry when it ends the clause or food follows ("ate two
    // breakfasts and asked for more"), not anyone asking for more of something else ("asked for
    // more phonics", "asked for more time", "asked for more information") (h18-tune).
    'asked for more(?=\\s*[.,;:!?)]|\\s*$| (?:food|toast|bread|cereal|fruit|milk|breakfast|dinner|lunch|tea|to eat|helpings?|seconds|again|and|but|then)\\b)',
    'asked (?:if (?:he|she) could take (?:some |any |the |a |it |them )?(?:food|bread|toast|fruit|leftovers|left-overs|snacks?|sandwiches|(?:some|any|it|them|extra|more) home|home))',
    // What neglect looks like day to day (KCSIE: "persistent failure to meet a child's basic
    // physical needs"): no food at home, a parent asleep all day, the same clothes, toothache.
    'never any (?:food|dinner|tea)',
    'nothing to eat',
    // A home visit's notes (h6-recall6): a parent in bed in the afternoon, mould, crisps for tea.
    "(?:mum|dad|mother|father|parents?|mummy|daddy)(?: was| were| is| are|'s)? (?:still )?(?:in bed|asleep) at (?:\\d\\d?(?:[.:]\\d\\d)? ?(?:am|pm)|lunch ?time|lunch|midday|noon|dinner ?time|tea ?time)",
    'mould (?:on|up|all over|everywhere|in|round)|(?:black|damp and) mould',
    '(?:crisps|sweets|biscuits|chocolate|a packet of crisps|nothing|toast|dry cereal) for (?:tea|dinner|breakfast|supper)',
    // An empty kitchen told as staff see it on a home visit or hear it from a child (h6-recall6).
    '(?:nothing|no food|hardly anything|only [a-z ]{1,25}) in the (?:fridge|cupboards?|kitchen|freezer)',
    '(?:fridge|cupboards?|freezer) (?:is|are|was|were) (?:empty|bare)|empty (?:fridge|cupboards?)',
    "(?:dirty|soiled|full|wet|filthy) nappy|nappy (?:hadn't|had not|hasn't|has not|wasn't) been changed",
    '(?:puts?|putting) (?:him|her|them)sel(?:f|ves) to bed',
    '(?:the|no) heating (?:turned |switched )?off|(?:heating|electric|electricity) (?:is|was|has been|had been|were|is always|was always) (?:turned |switched |cut )?off',
    '(?:mum|dad|mother|father|parents?|mummy|daddy) (?:sleeps|is asleep|stays? in bed|is always asleep|is sleeping) (?:all day|in the day|until)',
    "(?:mum|dad|mother|father|mummy|daddy)(?:'s| is| has been|'s been) (?:always |often |usually )?['\"‘“]?(?:poorly |ill |sick |ill )?in bed",
    "(?:uniform|clothes) (?:hasn't|haven't|has not|have not) been washed",
    'same (?:uniform|clothes|shirt|jumper|top|trousers|socks|polo shirt) (?:on )?(?:since|all week|every day|for (?:days|a week|weeks|a fortnight|(?:two|three|four|2|3|4|several) (?:days|weeks)))',
    // A child caring for siblings because a parent cannot (young carers; KCSIE neglect).
    '(?:getting|gets|get|got|gotten) (?:his|her|their) (?:little |younger |baby )?(?:brothers?|sisters?|siblings) (?:ready|up|dressed|to school|breakfast)',
    '(?:had |has had |having |with )?no breakfast (?:again|today|this week|most days|every day)',
    `${verbs('lock')} the (?:fridge|food cupboards?|kitchen|food)`,
    '(?:smelly|soiled|unwashed) (?:uniform|clothes)',
    `${verbs('smell')} (?:quite |very |really |a bit )?(?:strongly|bad(?:ly)?|unwashed|of smoke)`,
    'toothache|tooth decay|rotten teeth',
    "(?:can't|cannot|couldn't|unable to|hasn't|has not|haven't|never) (?:get|got|find|found|register(?:ed)? with|been to|go to|take (?:him|her|them) to) (?:a|an|the) (?:dentist|doctor|GP)",
    '(?:shoes|trainers|school shoes) (?:are|were|have been) (?:taped|held|tied|glued) together|(?:shoes|trainers) (?:are|were) falling apart',
    '(?:shoes|trainers) (?:have|has|with|had) holes',
    '(?:trousers|shoes|uniform|clothes|coat|jumper) (?:are|is|were|was) (?:far |much |way |a lot |(?:two|three|2|3) sizes )too (?:small|short|tight)',
    'no hot water',
    '(?:electric(?:ity)?|gas|power) (?:went|has gone|had gone|was|has been|got) (?:off|cut off)',
    '(?:had|have|has) (?:their|the|her|his) (?:gas|electric(?:ity)?|power|water) (?:cut off|disconnected|turned off)',
    'living on (?:toast|cereal|crisps|noodles|bread|nothing)',
    '(?:left|leaves) (?:alone )?to (?:look after|care for|mind) (?:his|her|their) (?:baby |little |younger )?(?:brothers?|sisters?|siblings)',
    "(?:hasn't|has not|haven't|hadn't|not) had (?:a )?(?:bath|shower|wash)",
    "(?:won't|doesn't|didn't|hasn't|has not|haven't|never|can't|no time to|not got time to|hasn't got time to) (?:[a-z']+ ){0,3}take (?:him|her|them) to (?:the|a) (?:dentist|doctor|GP|optician|hospital)",
    'always (?:starving|hungry)',
    'matted',
    "(?:is|it's|was|has become|had become|now) (?:now |badly |really )?infected",
    '(?:falls?|falling|fallen|fell) asleep in (?:class|lessons?|my lessons?|assembly|registration)',
    // Up at night minding siblings (h6-recall6): "up till 2 looking after his baby sister".
    '(?:up|awake) (?:till|until|til) (?:\\d\\d?(?:am|pm)?|midnight|late) (?:looking after|minding|feeding|with) (?:his|her|their|the) (?:baby|little|younger)',
    'walk (?:him|her|them)sel(?:f|ves) home',
    "(?:nobody|no one|no-one|no adult)(?:'s| is)? (?:in|home|at home|there) when (?:he|she|they) gets? (?:back|home|in)",
    'mouldy (?:food|sandwich(?:es)?|bread|lunch)',
    '(?:asks?|asking|asked|begs?|begging|begged) (?:other children |others |friends |the other children )?for (?:food|snacks)',
    "food (?:from|out of) (?:other children's|others'|friends') (?:lunchboxes|lunches|plates)|food (?:from|out of) the bins?",
    '(?:summer shoes|sandals|no socks|no coat|no jumper) in the (?:snow|rain|cold)',
    'too small to (?:zip|do up|fasten)',
    'no beds?|(?:sleeps?|sleeping|slept) on (?:a|the) (?:mattress|floor|sofa)',
    '(?:dog|cat) (?:mess|poo|faeces)|(?:home|house|flat|kitchen|bedroom) (?:was|is) (?:filthy|squalid|very dirty|in a terrible state)',
    "(?:ate|eats|eating|had|has|wanted|wants|asked for|asks for) (?:two|2|three|3|four|4|seconds of|other children's) (?:lunches|dinners|breakfasts|helpings|portions|plates|platefuls)",
    '(?:steal(?:s|ing)?|stole|hoard(?:s|ed|ing)?|takes?|took) food (?:from|out of)',
    '(?:make|makes|making|made) (?:his|her|their|my) own (?:tea|dinner|meals|breakfast)',
  ]),
  // --- KCSIE: child sexual and criminal exploitation, county lines ----------------------------------
  ...terms(G, 'exploitation', 'topic', [
    // Gifts from people who then want something (h13-tune): "given a bike and a phone by people
    // from the estate".
    '(?:given|bought|got) (?:him|her|them )?(?:a )?(?:new )?(?:bike|phone|moped|trainers|coat)(?: and (?:a )?(?:new )?(?:bike|phone|moped|trainers|coat))? by (?:people|older|men|lads|boys|a man|some lads|someone)',
    // Handed something by an adult (h12-tune): "handed parcels by a man in a van".
    '(?:handed|given|passed) (?:parcels|packages|a parcel|a package|bags|a bag|packets|a packet) by (?:a man|men|an older|an adult|adults|older|someone in a)',
    // County lines as pupils say it: a second or burner phone, going to a town "to do a shift" (h5-recall5).
    '(?:flip|burner|brick) phones?|a second phone',
    '(?:a|new|his|her|their|another) burner|\\d[\\d,]* in (?:cash|notes|twenties|tenners)',
    // The handset as staff see it (h6-recall6): "a cheap Nokia", "an old brick of a phone".
    '(?:cheap|old|basic|second|spare) (?:Nokia|Alcatel|pay-as-you-go|PAYG)(?: phone)?|Nokia',
    '(?:going|go|goes|went|gone) (?:up|down|over|out) (?:to )?[a-z]+ (?:at the weekend |this weekend |tonight |on [a-z]+ )?to do (?:a |some )?(?:shifts?|drops?|a job|jobs)',
    "threaten(?:s|ed|ing)? (?:him|her|them) if (?:he|she|they) (?:doesn't|don't|won't|does not|do not|didn't)",
    '(?:run|running|carry|carrying|holding|selling|dealing|deal|delivering|deliver|dropping off) (?:small )?(?:drugs|packages|parcels)',
    // Being used (Home Office CCE guidance): "being used to carry stuff for a group".
    'used to (?:carry|deliver|hold|sell|move|run|drop off|stash) (?:stuff|things|bags|packages|parcels|drugs|gear)',
    '(?:found|caught|seen|arrested) (?:with|carrying) a (?:knife|blade|machete|weapon)|knife in (?:his|her|their) (?:bag|pocket|coat)',
    '(?:drugs? )?(?:dealer|dealing|dealers)',
    'going country|gone country|out country|sent country',
    '(?:two|multiple|several) phones',
    'unexplained (?:cash|money|gifts)',
    '(?:owes|owe|owed) (?:money|a debt|someone|people|them|a (?:lad|man|guy|gang|dealer|boy|group|older))',
    "(?:hurt|get|stab|batter|beat up|kill|do in) (?:him|her|them|his [a-z]+(?: [a-z]+)?|her [a-z]+(?: [a-z]+)?) if (?:he|she|they) (?:doesn't|don't|does not|won't|can't|cannot) pay",
    '(?:lost|losing|lose) (?:a|the) (?:package|parcel|bag|stash)',
    "a debt (?:he|she|they) (?:can't|cannot) pay",
    'older (?:men|lads|boys|man)',
    // An adult man or men, said as such (h11-tune): "an adult man offering her £50", "linked to
    // a group of adult males", "driven off by an adult at 10pm".
    '(?:adult|grown) (?:man|men|males?)(?! (?:volunteers?|learners?|education|ed|classes|courses?|football|team|choir|section)\\b)',
    '(?:driven|drove|taken) (?:off |away )?by (?:an adult|adults|a man|men|an older|older)',
    '\\d{2}-year-old man',
    '(?:1[89]|[2-5]\\d)-year-old',
    '(?:staying|stays?|stayed) out (?:all night|overnight|until|late)',
    '(?:been|is|was|goes|going|gone|stays?|staying) out (?:until|till|til) (?:[1-5] ?am|midnight|the early hours|gone midnight)',
    "(?:picks?|picked|picking) (?:him|her|them) up in (?:a|his|her|their) car|(?:getting|gets?|got) into (?:(?:a )?different |strangers'? |unknown )?cars?",
    // CSE/CCE signs as staff see them: an adult's age given ("who's 23"), the scare quotes round
    // "boyfriend", alcohol or drugs given, nights at an adult's flat, cash nobody explains.
    "(?:who's|who is|he's|he is|aged) (?:1[89]|[2-5]\\d)\\b(?! (?:mins?|minutes|hours|days|weeks|months|per ?cent)\\b| ?%)",
    '(?:her|his|their|a|an|new|older) [\'‘"“](?:boyfriend|girlfriend|friend|uncle|mate)[\'’"”]',
    // County lines as a child puts it: "working" away, a phone with one number in it.
    "(?:been|is|was|he's|she's|they're|went|go|goes|going|gone) ['‘\"“](?:working|grafting|running|trapping|on a job|doing jobs)['’\"”]",
    '(?:phone|mobile|sim) with (?:just |only )?(?:one|1|a single) (?:number|contact)',
    'paid in cash',
    '(?:gives?|gave|giving|buys?|bought|buying|supplies|supplied) (?:her|him|them) (?:vodka|alcohol|drink|booze|weed|cannabis|cigarettes|vapes|drugs|pills)',
    "(?:stay|stays|stayed|staying|sleeps?|slept|sleeping) (?:over )?at (?:his|their|an older [a-z]+'s) (?:flat|house|place)",
    "(?:won't|will not|wouldn't|doesn't|didn't|can't) (?:say|tell (?:me|us)) where (?:from|it came from|(?:he|she|they) got (?:it|them))",
    'designer (?:bags?|clothes|trainers)',
    // Brands and cash a child cannot explain, and a love bite (CSE/CCE signs, h6-recall6).
    'Gucci|Louis Vuitton|Moncler|Stone Island|Canada Goose|Balenciaga',
    // Written after the pound sign, where the scan's words start: "£50 notes".
    '(?:50|fifty)(?: pound| quid)? notes',
    'hickeys?|love ?bites?',
    '(?:taxis?|Ubers?|cabs?) (?:paid for|booked|sent|ordered) by (?:a man|men|an older|an adult|adults|someone|a friend)',
    'who are (?:1[89]|[2-5]\\d)\\b(?! (?:mins?|minutes|hours|days|weeks|months|per ?cent)\\b| ?%)',
    // Not by family: "picked up by his grandma today" is an office note.
    'picked up (?:after school )?by(?! (?:his |her |their |my |a |the )?(?:mum|mummy|dad|daddy|grandma|gran|granny|nan|nana|nanny|grandad|grandpa|grandparents?|aunt|auntie|aunty|uncle|childminder|parents?|carer|foster carer|older (?:sister|brother)|sister|brother|step-?(?:mum|dad)|family|the minibus|the coach|taxi|the taxi)\\b)',
    // A gift whose giver or occasion is told ("for her birthday", "from his nan") is not unexplained.
    '(?:new|expensive) (?:trainers|phones?|clothes|iPhone|(?:designer |North Face |Canada Goose )?(?:coat|jacket))(?!(?: for (?:his|her|their) (?:birthday|Christmas|Eid)| from (?:his|her|their) (?:mum|dad|parents|nan|gran|grandma|grandad|family))\\b)',
    'telling (?:him|her|them) where to go',
    'missing (?:overnight|from home)|been missing|went missing|reported missing|going missing|goes missing',
    // A child missing now, with a pronoun (h9-tune): "he's missing again since last night".
    "(?:he's|she's|they're|he is|she is|they are) missing (?:again|since|overnight|for (?:two|three|four|\\d+) (?:days|nights))",
    'hotel (?:key ?cards?|rooms?)',
    'exploit(?:ed|ation)',
    'STI',
    // An injury or an absence nobody will account for (h6-recall6): "a cut on his face and won't say how".
    "(?:won't|will not|wouldn't|would not|refuses to|refused to) (?:say|explain|tell (?:me|us|anyone)) (?:how|who|where (?:he|she|they) (?:was|were|went|had been|goes))",
    '(?:wads?|rolls?|bundles?|large amounts?) of (?:cash|money|notes|twenties|tenners|fifties|£\\d+ notes)',
    // "Works for" someone, in a child's words: CCE's employer, not a job.
    "(?:he|she|they|he's|she's|they're) ['‘\"“](?:works? for|working for|runs? for|running for|does jobs for|doing jobs for)",
    'balaclava',
    '(?:holding|looking after|keeping) (?:it |something |a bag |a package |stuff )?for (?:a mate|a friend|someone|an older)',
  ]),
  // --- KCSIE: domestic abuse ------------------------------------------------------------------------
  ...terms(G, 'domestic_abuse', 'status', [
    `${verbs('threaten')} (?:her|him|mum|them) with a knife`,
    `${verbs('pin')} (?:her|him|mum) (?:against|to)`,
    'fled to (?:a )?refuge',
    `(?:got|has|have|had|taken out|granted|obtained|applied for) an? (?:injunction|restraining order|non-molestation order|occupation order)`,
    `${verbs('lock')} (?:him|her|them|me|mum|dad) out`,
    // Someone heard at the multi-agency risk conference (h11-tune): "Y6 family on next week's MARAC".
    "(?:family|families|mum|mother|child|children|case|pupil|sisters|brothers|siblings|he|she|they)(?: is| are| was| were| will be|'s|'re)? (?:on|at|to|for|discussed at|heard at|referred to|going to) (?:the |next week's |this week's |tomorrow's |today's |[A-Z][a-z]+day's )?MARAC",
  ]),
  ...terms(G, 'domestic_abuse', 'topic', [
    'coercive control',
    // The multi-agency risk conference for high-risk domestic abuse, a family on it (h11-tune):
    // "Y6 family on next week's MARAC". A topic term: a notice about MARAC needs someone near.
    'MARAC',
    'controlling',
    // A fire plan's refuge point or area is where a wheelchair user waits on a stair (h37-tune);
    // "the disabled refuge on the top corridor" is found from its first word (`fire_refuge`).
    'refuge(?! (?:points?|areas?)\\b)',
    'screaming',
    'smashing things',
    'checks her phone',
    'takes her bank card',
    `${verbs('shout', 'scream', 'swear')} and ${verbs('throw', 'smash', 'break', 'hit')} (?:things|stuff)`,
    // Coercive control in plain words (Domestic Abuse Act 2021 s.1): money kept from her, her
    // movements checked, the children watching.
    "(?:won't|will not|doesn't|does not|didn't|did not) let (?:her|him|mum|me) (?:have (?:any |her own |his own )?(?:money|a phone|friends|a bank)|see (?:her|his|my) (?:friends|family|sister|mum)|leave the house|work)",
    'checks (?:where|who) (?:she|he|I|mum)',
    "(?:isn't|is not|not|wasn't|never) allowed to (?:leave the house|go out alone|see (?:her|his) (?:friends|family)|have (?:a phone|money|her own money))",
    '(?:taken|takes|took|taking) (?:her|his|my) (?:car keys|keys|bank card|money|benefits|wages)',
    'injunction',
    'restraining order',
  ]),
  // --- KCSIE: FGM, forced marriage, radicalisation ---------------------------------------------------
  ...terms(G, 'fgm_forced_marriage', 'status', [
    '(?:will be|to be|being|get|getting) ["\'“‘]?cut\\b',
    // KCSIE Annex B and the multi-agency FGM guidance: a "special procedure" or ceremony to
    // "become a woman", a girl "cut" or "circumcised", a long trip to the family's country.
    '(?:been|was|were|had (?:it|this) done|got) ["\'“‘]?cut\\b',
    '(?:be|been|get|getting|got|was|were) ["\'“‘]?(?:purified|cleansed|sewn)',
    // "Closed" alone is a car park or a road (h6-recall6); the procedure is sewn or stitched closed.
    '(?:sewn|stitched) (?:up|closed)',
    "engaged to (?:a man|an older man|a much older man|a stranger|(?:his|her) cousin|someone (?:she|he) (?:has|hasn't|has not) (?:never )?met)",
    '(?:special|secret) (?:procedure|ceremony) (?:to|for|where)|(?:special|secret) (?:party|celebration) (?:to (?:become|make)|where (?:she|girls|they) (?:become|are made|get))',
    'becom(?:e|es|ing) a (?:woman|proper woman|big girl|grown[- ]up|real woman|lady|proper lady|real lady)',
    // The cutting named as a party, and a girl "done" like her relatives (h13-tune).
    'cutting[\'"’”]? (?:party|ceremony|celebration)',
    '(?:get|getting|got|have|having|had) (?:her|them|[A-Z][a-z]+) [\'"‘“]?done[\'"’”]? like (?:her|their|my) (?:cousins?|sisters?|mum|mother|aunts?)',
    '(?:make|makes|made|making|get|getting) (?:her|them) ready for (?:womanhood|marriage|being a woman)',
    "big girl(?:'s|s')? (?:party|ceremony|celebration|day)",
    // What the cutting is said to do, in the words a girl repeats (h6-recall6): "the thing that makes you a proper lady".
    '(?:makes?|made|making) (?:you|her|girls|them) (?:into )?a (?:proper|real|clean|pure|good) (?:lady|woman|girl)',
    '(?:made|make|makes|making|be made) (?:her |them )?(?:into )?(?:a (?:woman|proper woman)|clean|pure)',
    '(?:makes?|made|making) (?:girls|her|them|you) (?:grown[- ]up|a (?:grown[- ]up|proper) (?:woman|girl))',
    'circumcis(?:e|ed|ion)',
    '(?:have|having|get|getting|had|do|did) (?:it|this)? ?[\'"‘“]?the cutting',
    // Forced marriage: a marriage arranged for a pupil, a spouse found, a passport taken.
    `(?:arranged|arranging|forced|forcing|made|making) (?:for )?(?:him|her|them) to (?:be )?marr(?:y|ied)`,
    '(?:prepare|prepares|prepared|preparing|ready|readying) (?:her|them|girls|(?:his|her|their) daughters?) for (?:womanhood|marriage|being a woman)',
    '(?:found|chosen|picked|arranged) (?:him|her|them) a (?:wife|husband|bride)|(?:found|chosen|picked|arranged) a (?:wife|husband|bride|match) for (?:him|her|them)',
    '(?:to be|be|get|getting|is being) married (?:to a (?:man|woman|cousin)|off|abroad)',
    'marr(?:y|ied|iage to) (?:a|her|his) cousin',
    "marr(?:y|ied|ying) (?:a (?:man|woman|stranger)|someone|an older man|a much older man) (?:she|he|they)(?:'s|'ve| has| have)? (?:never|not) (?:met|seen)",
    'passport (?:has been |was |had been )?(?:taken|confiscated|kept)',
    "(?:man|woman|boy|girl|person|cousin) (?:she's|he's|she is|he is|they're|they are) (?:going|supposed|meant|promised|due|being made) to marry",
    "(?:can't|cannot|couldn't|isn't allowed to|not allowed to) say no",
  ]),
  // FGM's names in the communities that practise it (multi-agency statutory guidance on FGM).
  ...terms(G, 'fgm_forced_marriage', 'topic', [
    '(?:a man|someone|a husband|a wife) in (?:his|her) (?:twenties|thirties|forties|fifties)',
    'sunna|tahur|tahor|khitan|gudniin|bondo|halalays',
    // Health signs the multi-agency FGM guidance lists, as a nurse or teacher reports them.
    '(?:trouble|pain|difficulty|problems?|hurts?|burning) (?:when )?(?:weeing|urinating|passing urine|(?:she|I) wees?)|hurts? to (?:wee|pee)|painful periods|(?:did|done) the thing to (?:me|her)',
  ]),
  ...terms(G, 'radicalisation', 'status', [
    '(?:attackers?|shooters?|bombers?|terrorists?|killers?|gunman|gunmen)[^.]{0,40} (?:were|was|are|is) [\'"‘“]?(?:heroes|a hero|legends?|right)',
    // Death wished on anyone by what they did (h6-recall6): "people who insult the prophet deserve to die".
    '(?:deserve|deserves|deserved) to (?:die|be killed|be shot|be beheaded|be hanged|burn)|should (?:all )?be (?:beheaded|executed|wiped out)',
    '(?:Muslims|immigrants|foreigners|Jews|black people|Asians|Pakis|refugees|non-believers|unbelievers|infidels|kuffar|gay people|Christians) (?:should|need to|must|deserve to) (?:all )?[\'"‘“]?(?:be [\'"‘“](?:sent back|sent home|kicked out|thrown out|deported)|be sent back|be kicked out|be thrown out|be sent home|go home|be deported|leave|die|be killed|be punished|be shipped (?:back|out|home)|be sent packing|be got rid of|be removed)',
    // Prevent's signs as a pupil voices them: praise for an extremist leader or attacker, the
    // "replacement" conspiracy, a group named as too many or as the enemy, violence wished.
    '(?:Hitler|Nazis|Breivik|Tarrant|Anders|attackers?|shooters?|bombers?)(?: [a-z]+){0,3} (?:had|has|have) the right idea|(?:Hitler|Nazis|Breivik|Tarrant)(?: was| were| is)? (?:actually |really |totally )?(?:right|a hero|heroes|a legend|legends)',
    '(?:praise[sd]?|praising|glorif(?:y|ies|ied|ying)|worship(?:s|ped|ping)?|idoli[sz](?:es|ed|ing)?) (?:the )?(?:[A-Z][a-z]+ )?(?:attackers?|shooters?|bombers?|terrorists?|gunman|gunmen)',
    'too many (?:foreigners|immigrants|Muslims|Pakis|refugees|Jews|black people|Asians|Poles|Romanians|migrants)',
    '(?:white people|whites|white Britons|white race|we|Britain|Europe) (?:are|is) being (?:replaced|wiped out|invaded)',
    '(?:shoot(?:ing)?|shot|blow(?:ing)?|bomb(?:ing)?) up (?:a |the |our |his |her )?(?:school|mosque|synagogue|church)s?',
    'day of the rope',
    "it's (?:ok|okay) to be white",
    '(?:kill|gas|shoot|bomb|burn|hang) (?:all |the |every )?(?:Jews|Muslims|blacks|black people|immigrants|gays|gay people|Pakis|refugees|Christians|Hindus|Sikhs|whites|white people|foreigners)',
    '(?:Jews|Zionists) (?:control|run|own) (?:everything|the (?:world|media|banks|government))',
    '(?:Muslims|immigrants|foreigners|Jews|refugees|migrants|black people|Asians) (?:are|is) (?:taking over|invading|replacing us)|(?:Muslims|immigrants|foreigners|Jews|refugees|migrants) (?:need|needs|have|has|must) to be (?:stopped|dealt with|got rid of)',
    '(?:Islam|Muslims|Quran|mosques|Jews|synagogues|immigrants|refugees|migrants|foreigners|black people|gay people) should (?:all )?(?:be )?(?:banned|burn(?:ed|t)?(?: down)?|bombed|killed|shot|gassed|hanged|deported|wiped out|sent (?:home|back))',
    "(?:anyone|people|everyone) who (?:doesn't|don't|does not|do not|won't) (?:pray|believe|follow)[a-z ]{0,20} (?:is|are) (?:an? |the )?(?:enem(?:y|ies)|kafirs?|infidels?|traitors?)",
  ]),
  ...terms(G, 'radicalisation', 'topic', [
    // Searches a filter flags (h12-tune): "how to make pipe bomb", "incel manifesto".
    'pipe ?bombs?|incels?|incel manifesto|Elliot Rodger',
    // A terrorist attack's video shown or shared, by its best-known name (Prevent, h5-recall5).
    'Christchurch (?:shooting|attack|massacre|video|mosque attack)',
    // A family member called a traitor, and a violent act hinted at in quotes (h11-tune): "calls his
    // sister a traitor", talks about "doing something big".
    '(?:calls?|called|calling) (?:his|her|their|my) (?:[a-z]+ )?(?:a |an )?(?:race )?(?:traitors?|kafirs?|kuffar|infidels?|apostates?)',
    'race traitors?',
    "(?:going to|gonna|will|he'll|she'll|they'll|I'll|talks? about|talking about|talked about|planning to|plans to) ['\"‘“](?:do|doing) something (?:big|huge|drastic|terrible)",
    'extremis[mt]s?',
    'far[- ]right',
    'neo-?nazi',
    'jihad(?:i|ist)?',
    '(?:white race|great replacement)',
    'terroris[mt]',
    // How staff hear it: the words a recruiter uses, the videos, the slogans.
    'beheading',
    'ISIS|Daesh|Islamic State',
    'kuffar|kafirs?|infidels',
    'swastikas?|nazi salute|white power|race war|remigration',
    // Groups by name (proscribed under the Terrorism Act 2000, or named in Prevent's referral data, h6-recall6).
    'Patriotic Alternative|National Action|Britain First|English Defence League|EDL|Hizb ut-Tahrir|al-Muhajiroun|Sonnenkrieg Division|Atomwaffen|Combat 18|Blood and Honour|Proud Boys|Hamas|Hezbollah|al-Qaeda',
    'boogaloo|3D[- ]print(?:ed|ing)? (?:a )?(?:gun|guns|weapon|firearm)',
    '(?:needs? to be|there should be|start(?:ing)?|want(?:s|ed)?) a (?:civil|race|holy) war',
    '(?:men|people|someone|a man|adults?) online (?:who|telling|asking|encouraging)',
    'travel to (?:Syria|Iraq|Afghanistan)',
    'fight(?:ing)? (?:for Allah|for the cause|jihad|in Syria|abroad)',
    '(?:taking|take|took) (?:the|our) country back',
    '(?:attack(?:s|ed)? on|attacked|shooting at|bombing of|burnt down|set fire to) (?:a|the) (?:mosque|synagogue|church|temple|gurdwara)',
    'accelerationis[mt]|white genocide|great replacement',
    '(?:get rid of|wipe out|kill|deport|send back) (?:them all|all of them|every (?:last )?one of them)',
    'videos? of (?:fighters|beheadings|executions|the attacks?|martyrs|(?:the )?shootings?)',
    'someone should do something about (?:it|them)',
  ]),
  // --- Working Together: the social-care process ------------------------------------------------------
  ...terms(G, 'social_care', 'status', [
    'ICPC',
    'RCPC',
    'core group',
    's\\.? ?47',
    'CIN (?:review|meeting|plan)',
    'made subject to',
    'subject to a (?:CP|child protection|child in need) plan',
    '(?:interim |final )?care order',
    'supervised (?:contact|visits?)',
    'contact arrangements',
    'birth (?:mum|mother|dad|father|parents?)',
    'parental responsibility',
    'duty social worker',
    'section 20',
    'family court',
    'final hearing',
    '(?:kinship|foster) (?:carers?|mum|dad|placement|arrangement)',
    'sex offenders? register',
    // A court's decision about a child (Children Act 1989 s.8 orders), as staff pass it on.
    '(?:family )?(?:court|judge|magistrates?) (?:has |have |had )?(?:decided|ruled|ordered|granted|awarded|given|said|made an order)',
    "(?:must not|mustn't|is not allowed to|isn't allowed to|cannot) (?:take|remove) (?:him|her|them) (?:abroad|out of the country)",
    '(?:child arrangements|prohibited steps|residence|specific issue) order',
    'contact cent(?:re|er)',
    // Early help and step-down (Working Together ch. 1): a case closed or stepped down is still a
    // named family's record.
    '(?:stepped|stepping|step) (?:it |the case |them |him |her )?down to early help',
    '(?:TAF|TAC|team around the (?:family|child)) meeting',
    'early help (?:form|plan|referral|meeting|review)',
  ]),
  ...terms(G, 'social_care', 'topic', [
    "children's services",
    'custody',
    'must not (?:collect|pick (?:him|her|them) up|have contact|contact)',
    "(?:not|isn't|is not) allowed to (?:collect|pick (?:him|her|them) up|see (?:him|her|them)|have contact)",
    'court hearing',
    '(?:can|may) only see (?:him|her|them) (?:at|in|with|under)',
    "(?:is|are|isn't|aren't) not to (?:collect|pick (?:him|her|them) up|have contact)|(?:is|are) not allowed to collect",
    'non-mol(?:estation)?',
  ]),
  // --- Parents' and carers' risks (KCSIE: "the wider environment"; Working Together: parental
  // substance misuse) -------------------------------------------------------------------------------
  ...terms(G, 'parental_risk', 'topic', [
    'drunk',
    'drinking',
    'intoxicated',
    'slurring',
    `${verbs('smell')} (?:very |really )?(?:strongly |heavily )?of (?:drink|alcohol|booze|cannabis|weed|skunk)`,
    'under the influence',
    'drinks (?:all day|every day|a lot|heavily|too much|in the morning|during the day)',
    'slurred',
    '(?:was|were|is) swaying',
    'unsteady on (?:his|her|their) feet',
    '(?:takes?|taking|took) (?:tablets|pills) (?:that|which) make',
    'relaps(?:e|ed|ing)|rehab',
    '(?:using|uses|used|taking|takes|took) (?:drugs|cocaine|heroin|weed|spice|ketamine)',
    '(?:was|is|were|got|seemed|looked) (?:stoned|wasted|off (?:his|her|their) face)',
    'high on (?:drugs|something|weed|cannabis)',
    'nodding off|pupils (?:were |was )?pinned|pinned pupils|gouching',
    'heroin',
    'crack',
    'cocaine',
    'cannabis',
    'methadone',
    'needles',
    'gambling',
    'addict(?:ion|ed)?',
    'alcoholic',
    '(?:alcohol|drink|drinking|drug) (?:dependency|misuse|problems?|issues)',
    'drug use',
  ]),
  // --- UK GDPR Art. 10: criminal offence data -------------------------------------------------
  ...terms(S, 'criminal', 'status', [
    'arrested',
    'referral order',
    'in prison',
    'charged with',
    // What a DBS certificate or a court says (UK GDPR Art. 10): a conviction or caution for an
    // offence, a sentence, probation.
    '(?:cautions?|cautioned) for (?:assault|theft|possession|shoplifting|criminal damage|drugs|drink|burglary|harassment|fraud|robbery|affray|battery)',
    'convictions? for',
    '(?:actual|grievous) bodily harm',
    'ABH|GBH',
    'possession (?:with intent|of (?:a )?(?:class [ABC]|drugs|an offensive weapon|a knife|cannabis))',
    'drink[- ]driving',
    '(?:sentenced|jailed|imprisoned) (?:to|for)',
    'on probation|probation officer',
    '(?:on remand|remanded)',
    '(?:released|out) (?:from|of) (?:prison|jail|custody)',
    'came back with (?:a |an |two |three )?(?:convictions?|cautions?|records?|offences?)',
    '(?:caught|arrested|cautioned|charged|convicted|accused|suspected|nicked) (?:for |of |with )?(?:shoplifting|burglary|theft|stealing|robbery|criminal damage)',
  ]),
  ...terms(S, 'criminal', 'topic', ['assault(?:ed|ing)?(?! courses?\\b)', 'prison|jail']),
  // --- UK GDPR Art. 9: health, including mental health and pregnancy -------------------------------
  ...terms(S, 'health', 'status', [
    'type [12] diabet(?:ic|es)',
    // Diabetes as a family or a nurse says it: "he has type 1 now", checking his levels.
    '(?:has|got|with|is|diagnosed) type (?:1|2|one|two)\\b',
    '(?:check|checks|checking|test|tests|testing) (?:his|her|their) (?:levels|blood sugars?|bloods|sugars|ketones)',
    '(?:is|are|was) (?:diabetic|epileptic|asthmatic|autistic)',
    'had a (?:hypo|seizure|fit|panic attack)',
    'adrenaline pens?',
    'intensive care',
    'wants? to (?:kill (?:him|her|them)self|die|end it)',
    'kill (?:himself|herself|themselves|myself)',
    'cochlear implant',
    'profoundly deaf',
    'chemotherapy',
    'waiting list at the gender clinic',
    // Self-harm and suicidal feelings in a child's words (NICE NG225; KCSIE mental health).
    '(?:cuts|scars|scratches) (?:on|to|across|down|all over) (?:his|her|their|my|both) (?:arms|forearms?|wrists?|thighs)',
    // Fresh marks on a named child, the wrists shown first (h5-recall5): needs a person nearby.
    '(?:fresh|new|deep) (?:scratches|cuts|scars)',
    `(?:cutting|hurting|harming|self-harming) ${SELF}`,
    `(?:hurt|harm|harmed|cut|cuts|burnt|burned) ${SELF} (?:on purpose|deliberately|again|when)`,
    `${verbs('scratch', 'cut', 'burn')} (?:his|her|their|my) (?:arms?|wrists?|legs?|thighs?|stomach) with (?:a|the) (?:compass|blade|razor|sharpener|glass|lighter)`,
    'no point (?:in )?(?:being here|living|going on|carrying on|being alive)',
    "(?:take|taking|took|swallow(?:ed)?|swallowing) (?:all|a load of|loads of|lots of|a bunch of|a handful of) (?:(?:his|her|their|my) (?:mum's |dad's )?|the )?(?:pills|tablets|paracetamol)",
    '(?:nobody|no one|no-one) (?:will|would) (?:miss|notice|care about) (?:him|her|me|them)',
    '(?:better off|happier) without (?:him|her|them|me)',
    "(?:doesn't|didn't|does not|did not|don't) want to (?:live|be alive|wake up|be here any ?more)",
    '(?:thinks?|thinking|thought) about (?:jumping|killing|ending|hurting|dying|not being here|taking (?:an overdose|(?:his|her|their) (?:own )?life))',
    '(?:jump|jumping|jumped|throw (?:him|her)self) (?:off|in front of) (?:a|the) (?:bridge|train|car|bus|building|roof|cliff)',
    // Eating disorders (NICE NG69) as friends and tutors describe them.
    `(?:making|make|makes|made) ${SELF} sick`,
    '(?:been|is|was|started|starting|keeps?|kept) cutting (?:again|at night|in (?:her|his|their) (?:room|bedroom)|every (?:night|day))',
    '(?:want|wants|wanted|wanting) to (?:disappear|not exist|go to sleep and not wake up|stop existing)',
    // Health a colleague or a pupil tells the school about: an operation, a long-term condition,
    // occupational health's advice, medication being taken.
    '(?:heart|knee|hip|back|brain|spinal|major|emergency|keyhole|open[- ]heart|appendix|tonsil|hernia|eye|ear|shoulder|gallbladder|bowel) (?:surgery|operation|op)',
    'appendicitis|tonsillectomy|appendectomy',
    'hysterectomy|mastectomy|miscarriage|IVF|fertility treatment|heart attack|multiple sclerosis',
    // Pregnancy at work by its risk assessment (h6-recall6): "a new and expectant mother's risk assessment".
    "expectant mother(?:'s|s'|s)? risk assessment|(?:new (?:and|or) )?expectant mothers? (?:assessment|form)",
    // A colleague's own maternity certificate and dates, written to her (h6-recall6): "thanks for
    // your MATB1". "Mrs Ahmed starts her maternity leave on Friday" is a public congratulation.
    'MATB1|your (?:maternity leave|due date)|(?:her|my) due date',
    // A pregnancy lost: "she lost the baby at the weekend".
    '(?:lost|losing|lose) (?:the|her|their|a|his) baby',
    // A pregnancy ended, told of someone (h12-tune): "she had a termination last week".
    '(?:had|having|has had|booked) (?:a|an) (?:termination|abortion)',
    // ...and told by its appointment (h31-tune): "time out for a termination appointment", "a
    // termination clinic appointment", "go ahead with the termination at the clinic". Never "the
    // termination of a contract", which names employment.
    '(?:termination|abortion) (?:clinic|appointment)|(?:for|with) (?:a|an|the) (?:termination|abortion)(?! of\\b)',
    // A secret kept from home out of fear, the way pregnancy, orientation and abuse are told:
    // "terrified his dad will find out".
    '(?:scared|terrified|frightened|worried|afraid) (?:that )?(?:his|her|their|my) (?:dad|mum|parents|family|father|mother) (?:will|would|might|could) (?:find out|know|see)',
    'occupational health (?:say|said|says|recommend(?:s|ed)?|report|referral|advise(?:s|d)?|assessment|advice)',
    '(?:on|taking|takes|prescribed|started on|started taking) (?:beta[- ]blockers|anti-?depressants|sertraline|fluoxetine|citalopram|methylphenidate|ritalin|melatonin|steroids|morphine|lithium|epilim|keppra|medication for)',
    'wheelchair user|uses a wheelchair|feeding tube|peg[- ]fed|catheter|stoma|colostomy',
    // Intimate care told as the procedure (h37-recall): "needs intermittent catheterisation".
    'catheteri[sz](?:ation|ed|ing)',
    'rescue (?:meds|medication|medicine)|buccal midazolam',
    // Pregnancy as staff tell it (UK GDPR Art. 9 health; the Equality Act's protected
    // characteristic): "she's expecting", "20 weeks now", "having the baby in March", a positive
    // test, the risk assessment that follows it.
    // "She's expecting me in Y5 on Monday" is a timetable (h37-tune): expecting someone or
    // something is not a pregnancy.
    "(?:she's|she is|is|she was|was|I'm|I am) (?:now )?(?:expecting(?! (?:me|you|us|him|them|it|to)\\b)|pregnant)\\b",
    "(?:she's|she is|I'm|I am) (?:now )?\\d{1,2} weeks\\b",
    '(?:weeks|months) (?:pregnant|gone)',
    "(?:is|she's|she is|was) having (?:a|the|her) (?:baby|babies|twins)",
    '(?:new and )?expectant mothers? risk assessment',
    '(?:test|it) (?:was|came back|is) positive',
    'miscarr(?:y|ied|iage|ying)',
  ]),
  ...terms(
    S,
    'health',
    'status',
    ['OH (?:say|said|says|recommend(?:s|ed)?|report|referral|advise(?:s|d)?|assessment|advice)'],
    true,
  ),
  ...terms(S, 'health', 'topic', [
    'insulin',
    'hypo',
    'seizures?',
    'epilepsy',
    'anaphylaxis',
    'A&E',
    'low mood',
    'depressed',
    'in hospital',
    'deaf',
    '(?:lost|losing) (?:a lot of |lots of |so much |loads of )?weight',
    'hears? voices|hearing voices',
    "(?:hasn't|has not|haven't|not) slept (?:properly |well )?(?:for|in) (?:days|weeks|months)",
    '(?:skips?|skipping|skipped) (?:lunch|breakfast|meals|dinner)|(?:not eating|stopped eating|refus(?:es|ed|ing) to eat)',
    `${verbs('throw')} (?:away )?(?:his|her|their) (?:lunch|food|dinner)`,
    '(?:nearly |almost )?faint(?:ed|ing|s)',
    'when things get (?:too much|bad|on top of)',
    'panic attacks?',
    'menopaus(?:e|al)',
    'migraines?',
    'back pain',
    '(?:had|has had|suffered|having) a (?:stroke|heart attack)',
    'phased return',
    'return[- ]to[- ]work (?:meeting|interview)',
    'bring a (?:companion|union rep(?:resentative)?)\\b',
    'days off (?:so far )?(?:this|last) (?:term|year|half[- ]term)',
    'beta[- ]blockers|anti-?depressants|sertraline|fluoxetine|citalopram|methylphenidate|ritalin',
    // Sleep, ADHD and antipsychotic medicines prescribed to children (BNF for Children, h5-recall5).
    'melatonin|elvanse|lisdexamfetamine|concerta|atomoxetine|risperidone|aripiprazole|quetiapine',
    // The BNF for Children's other ADHD medicines, by generic and brand name (h37-recall).
    'dexamfetamine|dextroamphetamine|medikinet|equasy|xaggitin|delmosart|guanfacine|intuniv',
    'hearing aids?|insulin pump',
    '(?:some |heavy )?bleeding',
    'morning sickness',
    // Pregnancy told by its appointments (h5-recall5).
    '\\d+[- ]week scan|dating scan|(?:baby|pregnancy) scan|antenatal (?:appointments?|class(?:es)?|clinic|care|checks?)|midwife (?:appointment|visit|check)',
    'due (?:in|on|at the (?:end|start) of) (?:January|February|March|April|May|June|July|August|September|October|November|December)',
  ]),
  // A sum or a payment falling due (h9-tune): "the remaining £90 is due in March", "the balance is
  // due on 1 May" is a trip or a bill, not a baby. Found from the sum or the payment's name, it is
  // one match, so the pregnancy term above never starts inside it; context only, and its own
  // category, so it corroborates nothing about health.
  ...terms(S, 'money_due', 'context', [
    '\\d[\\d,]*(?:\\.\\d\\d)? (?:is |are |will be |now )?(?:due|payable)',
    // A renewal, a report or a piece of work falling due is no baby either (h37-tune: "two DBS
    // renewals due in March").
    '(?:renewals?|reviews?|reports?|returns?|forms?|certificates?|inspections?|audits?|deadlines?|coursework|homework|assessments?|essays?|submissions?|contracts?|subscriptions?|appraisals?) (?:is |are |will be |now |still )?due',
    '(?:payments?|balance|deposit|instalments?|fees?|remainder|amount|invoice|subs|rest of the money|final payment|money) (?:is |are |will be |now |still )?(?:due|payable)',
  ]),
  // A fire plan's refuge for wheelchair users (h37-tune): "check the disabled refuge on the top
  // corridor" is a fire drill. One match from its first word, so the domestic abuse term never
  // starts inside it; context only, and its own category.
  ...terms(S, 'fire_refuge', 'context', ['(?:disabled|fire|evacuation|wheelchair) refuges?']),
  // Medicines packed for a trip, said of everyone in the plural (h10-tune): "inhalers and
  // adrenaline pens travel in a named bag" is a trip letter, not one child's condition. One match
  // from the first medicine, so the health terms never start inside it; context only, own category.
  ...terms(S, 'medicines_packed', 'context', [
    '(?:inhalers|adrenaline pens|epipens|epi-pens|auto-injectors|medicines|medication)(?: and (?:inhalers|adrenaline pens|epipens|epi-pens|auto-injectors|medicines|medication))? (?:travel|go|will travel|will go|are kept|are carried|are packed|must be|should be|need to be|are to be|will be) (?:in|with|on|by|handed|packed|named|labelled|clearly)',
  ]),
  // Marks on a piece of work (h10-tune): "full marks on her chemistry mock" is praise, not a
  // bruise. One match from the score, so the physical term "marks on her" never starts inside it.
  ...terms(S, 'work_marks', 'context', [
    '(?:full|top|high|good|great|extra|bonus|half|the|\\d+) marks on (?:his|her|their) (?:[a-z]+ )?(?:mock|test|paper|exam|essay|quiz|homework|assessment|coursework|project)s?',
  ]),
  // --- UK GDPR Art. 9: sexual orientation and gender identity ---------------------------------------
  ...terms(S, 'sexuality', 'status', [
    // Orientation and gender identity told of a person (h5-recall5): a same-sex spouse, not out at work, transitioning, living or identifying as.
    'his (?:husband|boyfriend)|her (?:wife|girlfriend)',
    "(?:she's|she is|she’s) married to a woman|(?:he's|he is|he’s) married to a man",
    "(?:he|she|they|he's|she's|they're|who) (?:is |are )?(?:not|isn't|aren't|is not|are not) (?:yet )?out (?:at work|at school|at home|to (?:colleagues|staff|anyone|people|(?:his|her|their) (?:family|parents|colleagues)))",
    // The first person (h9-tune): a colleague asking for discretion, "I'm not out at school".
    "(?:I'm|I am|I'm still|I am still|we're|we are) not (?:yet )?out (?:at work|at school|here|to (?:colleagues|staff|anyone|people|the staff|(?:my|our) (?:family|parents|colleagues)))",
    "(?:is|are|he's|she's|they're|will be|has been|have been|started|starting|I'm|I am|we're) transitioning(?! (?:to|from|into|between|back|well|smoothly|across)\\b)",
    // A gender recognition certificate, held or applied for (Gender Recognition Act 2004, h9-tune).
    '(?:my|his|her|their) (?:GRC|gender recognition certificate)|(?:GRC|gender recognition certificate) (?:application|has come through|came through|was granted|has been granted)|(?:applied|applying|apply) for (?:a |my |his |her |their )?(?:GRC|gender recognition certificate)',
    '(?:live|lives|living) as (?:a )?(?:man|woman|male|female|boy|girl)\\b',
    'identif(?:y|ies|ied|ying) as (?:a )?(?:boy|girl|man|woman|male|female)\\b',
    'registered (?:as )?(?:male|female|a girl|a boy)|assigned (?:male|female)',
    "(?:he|she|they|he's|she's|they're) (?:is |are |was )?(?:a )?(?:gay|lesbian|bi|bisexual|queer|pansexual|asexual|aromantic|ace)\\b",
    '(?:might|may|could) be (?:trans|transgender|gay|bi|bisexual|lesbian|non-binary)\\b',
    "(?:start|starting|started|begin|began) (?:using|to use|to be called) (?:the name|a new name|(?:his|her|their) new name|(?:a )?(?:boy|girl)'s name)",
    "(?:he's|she's|they're|is|are) (?:trans|transgender|non-binary)",
    // Said of a pupil as a noun phrase (h6-recall6): "Charlie is a trans girl", "as a trans boy".
    "(?:is|as|he's|she's|they're|being) (?:a |an )?(?:trans|transgender|non-binary) (?:girl|boy|man|woman|pupil|student|kid|teenager|young person)",
    'socially transition(?:ing|ed)?',
    // A transition planned, said in the first person or of a colleague (h10-tune): "I am planning to transition at work".
    "(?:I|I'm|I am|he's|she's|they're|he is|she is|they are) (?:planning|going|hoping|ready|about|wanting|due|intending) to transition(?! (?:to|from|into|between|back|across|over)\\b)",
    '(?:to|my|her|his|their) transition at work|transitioning at work',
    "(?:he|he's|he is) (?:thinks he |might |may |probably )?(?:likes?|fancies|is into|is attracted to) (?:boys|men|other boys|lads)|(?:she|she's|she is) (?:thinks she |might |may |probably )?(?:likes?|fancies|is into|is attracted to) (?:girls|women|other girls)",
    // Orientation told by a secret kept from home: "her parents would throw her out if they knew".
    '(?:throw|kick|chuck|put)(?:s|ing)? (?:him|her|them|me) out if (?:they|he|she|mum|dad) (?:found out|find out|knew|know)',
    'gender clinic',
    'use (?:he/him|she/her|they/them)',
    'to be (?:called|known as)',
    // A transition begun, first person or of a colleague (h11-tune): "starting my transition over
    // the summer"; a pronoun changed on a record: "and the pronoun to he". Not a system's or a
    // class's transition "to" or "into" somewhere.
    '(?:start|starting|started|begin|beginning|began|begun) (?:my|her|his|their) (?:social |medical )?transition(?! (?:to|from|into|between|back|across|over (?:to|into))\\b)',
    '(?:the |his |her |their )?pronouns? (?:to|changed to|is now|are now|should be|as) (?:he|she|they)\\b',
  ]),
  ...terms(S, 'sexuality', 'topic', [
    // A person's orientation said by a complaint about it (h5-recall5); a lesson's is framed as general.
    '(?:gay|lesbian|same-sex|bisexual) (?:lifestyle|relationship|partner|couple)',
    'pronouns',
    'he/him',
    'she/her',
    'they/them',
    "(?:she has|she's got|she is with|she's seeing) a girlfriend|(?:he has|he's got|he is with|he's seeing) a boyfriend",
  ]),
  // --- UK GDPR Art. 9: religion and ethnicity about a person ----------------------------------------
  ...terms(S, 'religion', 'status', [
    '(?:family|families|he|she|they) (?:are|is) (?:practising |devout |strict |strictly |observant |orthodox |very )?(?:Muslims?|Jewish|Hindus?|Sikhs?|Catholics?|Christians?|Jehovah|Orthodox)',
    // Diet kept for faith, said of someone (h6-recall6): "make sure Aaron has kosher food".
    '(?:has|have|needs?|eats?|only eats?|must have|gets?|to have) (?:only )?(?:halal|kosher)(?: food| meals?| meat| lunch(?:es)?| options?)?',
    '(?:start|started|wearing|wears|wear) (?:a )?(?:hijab|headscarf|turban|niqab)',
    "(?:he|she|they)(?:'ll be| will be|'s|'re| is| are| was| were) fasting",
    // A change of faith is a person's religious belief (Art. 9): "they've converted", "converted to Islam".
    "(?:they've|they have|she's|she has|he's|he has|family (?:has|have)|parents have|mum has|dad has) (?:recently |just )?converted|converted to (?:Islam|Christianity|Judaism|Catholicism|Hinduism|Sikhism|Buddhism|being a Muslim)",
    // The simple past and the faith left (h6-recall6): "he converted from Islam to Christianity".
    '(?:he|she|they|mum|dad) (?:recently |secretly |quietly )?converted|convert(?:ed|ing|s)? (?:away )?from (?:Islam|Christianity|Judaism|Catholicism|Hinduism|Sikhism|Buddhism|being a Muslim)',
    '(?:meals?|food|lunch(?:es)?|dinners?) (?:changed )?to (?:halal|kosher)',
  ]),
  ...terms(S, 'ethnicity', 'status', []),
  // --- UK GDPR Art. 9: trade union membership ----------------------------------------------------------
  ...terms(S, 'trade_union', 'status', [
    '(?:is a |as a )?member of (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite|Voice)',
    // "Their rep" alone is as often a supplier's (h37-tune: "their rep, Mr Hale, needs it for the
    // credit note"): theirs counts with the union named.
    '(?:his|her) (?:NEU |NASUWT |NAHT |UNISON |GMB |union )?rep(?:resentative)?',
    'their (?:NEU|NASUWT|NAHT|UNISON|GMB|union) rep(?:resentative)?',
    // A member's own steward or rep, in the first person (h12-tune): "my GMB steward is coming".
    'my (?:NEU|NASUWT|NAHT|UNISON|Unison|GMB|ASCL|Unite|union) (?:steward|rep|representative|caseworker|official)',
    // Not the union's own business said to all staff (h14-tune): "we are all in the NEU ballot".
    '(?:is|are|am|both|all|are both) (?:in (?:the )?)?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL)\\b(?! (?:ballot|strike|action|dispute|conference|survey|campaign|pay|consultation|indicative)\\b)',
    // Membership told by joining, paying or voting (UK GDPR Art. 9 trade union membership).
    '(?:joined|joining|join|joins|left|leaving) (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL)\\b',
    "(?:joined|joining|he's in|she's in|they're in|both in|all in|are in|is in) (?:a|the) union",
    // A group of staff told by their union (h9-tune): "four support staff in Unison", "the TAs in the GMB".
    '(?:staff|colleagues|TAs|assistants|teachers|cleaners|lunchtime supervisors|others|two|three|four|five|six) (?:who are )?in (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL)\\b',
    'union (?:subs|subscriptions|membership|deductions?)',
    // Membership told by who pays (h10-tune): "which support staff pay Unison subs".
    '(?:staff|colleagues|TAs|assistants|teachers|cleaners|who|which [a-z]+(?: staff)?) (?:pay|pays|paid|are paying) (?:the |their |her |his )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite|union) (?:subs|subscriptions|dues|fees)',
  ]),
  // --- SEND Code of Practice: needs, diagnoses, provision, access arrangements ---------------------
  ...terms(S, 'sen', 'status', [
    'qualif(?:y|ies) for (?:\\d+% )?extra time',
    '\\d+% extra time',
    'reading age',
    '(?:his|her|their) (?:draft )?EHC(?:P| plan)',
    'named as needing',
    'hours of 1:1',
    'language disorder',
    // What an assessment says about a child (SEND Code of Practice 6.28: the four broad areas).
    '(?:\\d+)(?:st|nd|rd|th) (?:percentile|centile)',
    '(?:cognitive|psychological|educational psychology|ed psych|speech and language|SALT|sensory|occupational therapy) (?:assessment|report)(?: (?:is |has come )?(?:attached|enclosed|back|in))? (?:for|on|of|shows?|showed|found)',
    // An assessment wanted or begun for a named condition (h10-tune): "needs an assessment for PDA".
    '(?:assessment|assessed|referral|referred|waiting list|on the list) for (?:PDA|ADHD|ASD|ASC|autism|dyslexia|dyspraxia|dyscalculia|pathological demand avoidance)',
  ]),
  ...terms(S, 'sen', 'topic', [
    'dyspraxia',
    // Pathological demand avoidance, by its letters too (h10-tune).
    'PDA',
    'pathological demand avoidance',
    'sensory (?:plan|diet|profile|processing)',
    'a reader',
    'a scribe',
    'rest breaks',
    'separate room',
    'writing slope',
    // The register itself is the school's whole list (h28-tune: a topic, no longer a status):
    // "SEN register review next week" is a document; someone's place on it is the status "on the
    // SEN register", and an attached register ("Y2 SEN register.xlsx") is a status as every topic
    // word in a document name is.
    'SEN register',
    'SEND register',
    'cognitive assessment',
    'below age[- ]related expectations',
    'working memory',
    'processing speed',
    '(?:receptive|expressive) language',
    '(?:speech|language|global|developmental|speech and language) delay',
    '(?:severe|significant|specific|moderate|profound|complex) (?:learning )?(?:difficult(?:y|ies)|delay|needs)',
    'learning difficult(?:y|ies)',
  ]),
  // --- Financial hardship (seed policies: "financial matters"; FSM and pupil premium records) ------
  ...terms(S, 'financial_hardship', 'status', [
    // A household's income told as a figure, and benefits with "get" (h6-recall6): "earn under £7,400 and get housing benefit".
    '(?:earn|earns|earning|earned|income is|income of|live on|lives on|living on) (?:under|less than|below|about|around|only|just) £\\d[\\d,.]*',
    "(?:on|receives?|claims?|claiming|living on|lives on|get|gets|getting) (?:Universal Credit|jobseeker'?s?|JSA|ESA|PIP|DLA|income support|child benefit|benefits|housing benefit|carer'?s allowance|tax credits)",
    '(?:had|has|have|having|needed|needs) to (?:use|go to|visit) (?:the|a) food ?bank',
    '(?:using|used|uses|rely on|relying on|relied on) (?:the|a) food ?bank',
    '(?:should be|is|are|now|be) eligible for free (?:school )?(?:meals|dinners)',
    'household income (?:is|of|now)',
    '(?:is|was) sanctioned',
    'food ?bank voucher',
    // On a food bank's list (h12-tune): "the family are on the foodbank list again", "foodbank"
    // written as one word.
    'on the food ?bank (?:list|register|referral list)',
    // Housed by the council after losing a home (h12-tune): "the council has had them in
    // temporary accommodation since the eviction". Not a class in temporary classrooms.
    "since the eviction|(?:placed|housed|living|had them|put them|put the family|the family are|the family is|they are|they're|family have been|family has been|moved) in(?:to)? temporary accommodation",
    'behind (?:on|with) (?:the|their|her|his|our) (?:rent|mortgage|bills)',
    // Left alone with the bills (h6-recall6): "she's been left with the rent and three kids on her wage alone".
    '(?:left|struggling) (?:alone )?with (?:the|all the) (?:rent|bills|mortgage|debts)|on (?:her|his|one|a single) (?:wage|income|salary) alone',
    'rent arrears',
    // Debt told in everyday words (h10-tune): "the bailiffs have been round", "I can't pay the rent".
    'bailiffs? (?:have|has|had|were|was|are|is|came|come|turned up|called)(?: been)?(?: round| at| to)?',
    "(?:can't|cant|cannot|can not|couldn't|could not) pay (?:the|my|our|her|his|their) (?:rent|mortgage|bills|electric|gas|council tax)",
    '(?:advance|sub|loan) on (?:my|her|his|their) (?:salary|wages|pay)',
    '(?:facing|threatened with) eviction|been evicted|eviction notice',
    'skipping meals',
    "(?:can't|cannot|couldn't) afford (?:food|to eat|the rent|the electric|heating|uniform|shoes)",
    '(?:Universal Credit|benefits?) (?:has|have) been (?:stopped|cut|sanctioned)',
    'no money for (?:food|the (?:electric|gas|meter|rent))',
    'payment plan',
    'struggling with debt',
    // Debt in everyday words (h11-tune): the bailiffs taking things, a loan shark owed or paid.
    'bailiffs? (?:took|take|takes|taking|have taken|had taken|has taken|seized|removed|clamped)',
    '(?:owe|owes|owed|owing|borrowed from|borrowing from|paying off|paying back|pay back|in debt to|scared of) (?:a |the )?loan ?sharks?',
  ]),
  ...terms(S, 'financial_hardship', 'topic', [
    'food ?bank',
    // A family's money told in its own words (h5-recall5).
    'food parcels?',
    'emergency credit',
    '(?:nothing|no money|\\d+) left (?:until|till|before) (?:payday|pay day|the end of the month|(?:his|her|their) (?:wages|pay|benefits))',
    'PP register',
    'hardship (?:application|grant|payment|award|form)',
    'single (?:parent|mum|dad)',
    '(?:lost|losing) (?:his|her|their) job',
    "(?:can't|cannot|couldn't|can not|could not) afford",
    '(?:made|been made|being made) redundant',
    '(?:at risk of|selected for|chosen for|picked for) redundancy',
    "(?:doesn't|does not|won't|can't|didn't) cover the (?:rent|bills|mortgage)",
    '(?:pupil premium|PP|FSM|free school meals?) (?:pupils|children|students|list)',
  ]),
  // --- Staff HR (seed policies: confidential staff information) ---------------------------------------
  ...terms(S, 'staff_hr', 'status', [
    // A colleague's sickness record told in days and episodes (h5-recall5).
    '\\d+ days? (?:off )?in \\d+ (?:episodes|spells|occasions|separate absences)',
    '(?:first|final|formal) written warning',
    'gross misconduct',
    'disciplinary (?:hearing|investigation|meeting)',
    'formal grievance',
    '(?:raised|raise) a grievance',
    'stage [1-3] of the (?:absence|sickness|capability)',
    '(?:has been|was|been) suspended',
    'has been off (?:for|since)',
    'off sick (?:for|with|since)',
    '(?:formal|informal) capability',
    'capability (?:procedure|process|stage|meeting|hearing) (?:for|with|against)',
    '(?:placed|put|be placed|be put) on a (?:formal )?(?:support|improvement|performance improvement|action) plan',
    'extend (?:his|her|their) probation',
    'probation (?:will be|is being|has been|is to be|to be|was) extended',
    '(?:parents?|colleagues?|pupils?|staff) (?:have|has) complained about (?:his|her|their) (?:manner|conduct|behaviour|attitude|teaching|comments)',
    '(?:observations?|lessons?) (?:have been|has been|were|was) (?:judged )?(?:below standard|inadequate|unsatisfactory|poor|weak|requiring improvement)',
    '(?:complained|complaints?|concerns?) about how (?:he|she|they) (?:speaks?|talks?|treats?|shouts?|spoke|treated|shouted) (?:to |at )?(?:the )?(?:children|pupils|students|class|them|her|him|staff)',
    '(?:three|two|four|\\d+) inadequate (?:observations|lessons)',
    'misconduct investigation',
    '(?:off|absence) (?:for|with) (?:work-related )?stress',
    'fit note',
    'off site while we investigate',
    'alleg(?:ed|ation) that (?:he|she|mr|mrs|ms|miss)',
    'a parent has alleged',
    // Sickness absence management and investigations (ACAS codes; the seed policies' staff records).
    "\\d+ days'? (?:sickness|off sick)",
    // A sickness record as a list: days beside the reason in brackets (h11-tune): "Mrs Ellis 14
    // days (back), Mr Patel 9 (stress)".
    '\\d+ (?:days? )?\\((?:back|stress|anxiety|depression|surgery|operation|bereavement|migraines?|mental health|work-related stress|long[- ]term sick)\\)',
    '(?:had|taken|has had|has taken) \\d+ days off',
    '(?:two|three|four|five|six|\\d+) separate (?:absences|periods of (?:sickness|absence))',
    '(?:hit|reached|triggered|met) the (?:absence |sickness |attendance )?trigger(?: point)?',
    'triggered stage [1-4]',
    'stage [1-4] (?:of the )?(?:attendance|absence|sickness|capability) (?:policy|procedure|process|meeting|review)',
    '(?:first|second|formal|stage [1-4]) (?:absence|attendance|sickness) (?:review|meeting|hearing)',
    '(?:absence|attendance|sickness) review meeting',
    'under (?:police )?investigation',
    '(?:resigned|left) (?:while|whilst|before|during) (?:under investigation|(?:a |the )?(?:capability|disciplinary|investigation|grievance))',
    '(?:capability|disciplinary) (?:process|procedure|investigation) (?:was |is |had been |has been )?(?:under ?way|ongoing|started|in progress)',
    // A member of staff's conduct toward pupils (the staff code of conduct; KCSIE Part 4).
    '(?:shout(?:ing|ed|s)?|swear(?:ing|s)?|swore|scream(?:ing|ed)?) (?:and (?:shout(?:ing|ed)?|swear(?:ing)?|swore) )?at (?:the|a|his|her|their) (?:class|pupils?|children|child|students?|group|Year \\d+s?)',
    'formal complaint about (?:his|her|their) (?:line manager|manager|colleague|head)',
    // A grievance in plain words: a complaint put in about a named colleague's treatment.
    "(?:put in|made|raised|lodged|submitted|filed|making) a (?:formal )?complaint about (?:his|her|their) (?:line manager|manager|colleague|head(?: of (?:department|year))?|HoD)|(?:his|her|their) (?:line manager|manager|head of department|HoD|colleague)'s (?:behaviour|conduct|treatment|comments)",
    '(?:settlement|compromise) agreement',
    // Exam or data malpractice (JCQ; the staff code of conduct), and the hearing that follows.
    '(?:falsified|fabricated|altered|inflated|changed) (?:his|her|their|the) (?:[a-z0-9]+ ){0,3}(?:marks|grades|results|records|data|coursework|registers?)',
    // Suspension in plain words (ACAS: a precautionary step "while we look into it").
    "(?:asked|told|sent) (?:him|her|them) (?:not to come in|to stay (?:at )?home|to stay away|home)(?: [a-z']+){0,5} (?:while|whilst|until|pending)",
    '(?:sent|been sent) home pending',
  ]),
  ...terms(S, 'staff_hr', 'topic', [
    'sickness absence',
    // Capability (the DfE model capability policy): a notice about the policy is framed as general.
    'capability (?:process|procedure|hearing|meeting|proceedings|plan|stage)|formal capability',
    'grievance',
    'disciplinary',
    // A record or a trigger (h5-recall5): needs a person, as a notice speaks of them too.
    'sickness record|absence record',
    'trigger(?:s|ed|ing)? (?:stage|level) (?:\\d|one|two|three)',
  ]),
  // A process named as absent (h9-tune): a reference's "no record of any disciplinary matters",
  // "not subject to any capability procedure". One match from the negation on, so "disciplinary"
  // alone never starts inside it; context only.
  // Who can apply, said to everyone (h9-tune): "families don't need to be on benefits to apply",
  // "whether or not you're on Universal Credit". One match from the eligibility words on, so the
  // status term "on benefits" never starts inside it; context only.
  ...terms(S, 'financial_hardship', 'context', [
    // A payment plan said to everyone (h11-tune): "anyone on a payment plan will have had a
    // letter". One match from "anyone" on, so the status term never starts inside it.
    '(?:anyone|everyone|families|parents|those|all families) (?:who (?:are|is) )?(?:already )?on a payment plan',
    "(?:(?:don't|do not|doesn't|does not|won't|will not) )?(?:need|needs|have|has) to be (?:on|claiming|getting|receiving|in receipt of) (?:Universal Credit|income support|child benefit|benefits|housing benefit|tax credits|any benefits)",
    "(?:whether|if|even if|whether or not) (?:you're|you are|you get|you receive|you claim|you're not|you are not|families are|a family is|they're|they are) (?:not )?(?:on|getting|claiming|receiving|in receipt of) (?:Universal Credit|income support|child benefit|benefits|housing benefit|tax credits|any benefits)",
  ]),
  // Near-misses read as safeguarding (h12-tune), each one match starting before the topic term,
  // so the topic never starts inside it; context only, own categories. A thing that went missing
  // ("her PE kit went missing after games") is lost property, not a missing child (not "a bag"
  // or "it": a bag minded for older lads that "went missing" is exploitation); a game won ("he'll
  // probably beat me") is chess club, not a blow; the numbers for the LADO and MASH in a policy
  // are a policy, not a referral.
  ...terms(G, 'lost_property', 'context', [
    '(?:blazers?|coats?|jumpers?|jackets?|PE kit|kit|lunch ?box(?:es)?|water bottles?|bottles?|keys?|books?|calculators?|trainers|shoes|boots|hats?|scarf|scarves|glasses|tie|ties|homework|folder|planner) (?:has |had |have )?(?:went|gone|go|goes|going) missing',
  ]),
  ...terms(G, 'game_won', 'context', [
    '(?:probably|easily|finally|nearly|almost|narrowly) beat (?:me|us|you)\\b',
  ]),
  ...terms(G, 'service_contacts', 'context', [
    '(?:contact (?:numbers?|details)|phone numbers?|telephone numbers?|numbers|email addresses|details) (?:for|of) (?:the )?(?:LADO|MASH)(?: and (?:the )?(?:LADO|MASH))?',
  ]),
  ...terms(S, 'staff_hr', 'context', [
    '(?:no|never|(?:never |not |not been |never been )subject to|free of|clear of|not aware of) (?:record of |history of |known |previous |outstanding |current |live |formal )?(?:any )?(?:record of |history of |previous |outstanding |formal )?(?:disciplinary|capability|grievance)(?: (?:matters|issues|concerns|action|actions|record|records|warnings?|proceedings|sanctions|procedures?|processes))?',
  ]),
];

export const VOCABULARY: readonly VocabularyTerm[] = [
  ...TAXONOMY,
  // --- Health (Art. 9) -------------------------------------------------------------------------
  ...terms(S, 'health', 'status', [
    // One's own condition, in the first person (h12-tune): "a really bad night with my bipolar".
    "my (?:bipolar|depression|PTSD|OCD|epilepsy|schizophrenia|Crohn's|colitis|endometriosis|eating disorder|psychosis)\\b",
    // Lithium as a medicine, with a cue (h12-tune): "about the lithium and the regular blood
    // tests"; the element in chemistry has no "on"/"taking"/"about the".
    '(?:on|taking|takes|take|taken|about the|started on|dose of|prescribed) lithium',
    // Someone's own lithium (h37-recall): "remind her to take her lithium at lunch"; a battery's
    // is never "her lithium".
    '(?:his|her|their|my) lithium(?! batter(?:y|ies)\\b)',
    // One pupil's auto-injectors (h12-tune): "carries two EpiPens"; a trip letter says "carry".
    '(?:carries|has to carry) (?:two |an |her |his |a |their )(?:EpiPens?|epi-pens?|adrenaline pens?|auto-injectors?|Jext pens?)',
    'diagnosed with',
    'diagnosis of',
    'has been diagnosed',
    'awaiting (?:a |an )?(?:diagnosis|assessment for (?:ADHD|autism|ASD))',
    'suffers? from',
    // Prescribed to someone (h6-recall6): "she was prescribed", "prescribed him". "Medicines that
    // have been prescribed by a doctor" is a medicines policy; bare "prescribed" is a topic below.
    "(?:he|she|they|I|[A-Z][a-z]+)(?:'s| is| was| has been| had been|'s been| got| has| had) (?:now |just |recently )?(?:been )?prescribed|prescribed (?:him|her|them|me)\\b",
    'individual healthcare plan',
    'IHCP',
    'care plan for (?:his|her|their) (?:epilepsy|diabetes|asthma|allergy|condition)',
    'self[- ]harm(?:ing|ed)?',
    'suicidal(?: thoughts| ideation)?',
    'overdose',
    'eating disorder',
    'anorexi[ac]',
    'bulimi[ac]',
    'terminal(?:ly)? ill',
    'is pregnant',
    'pregnancy test',
    'sectioned',
    'admitted to hospital',
    'mental health (?:crisis|assessment|referral|diagnosis)',
    'referred to (?:CAMHS|the paediatrician|a paediatrician|the eating disorder service|occupational health|a psychiatrist)',
    'referral to (?:CAMHS|the paediatrician|occupational health)',
    'medical register',
    '(?:sick|fit) note',
    'signed off (?:sick|with|for)',
    'off sick with',
    'stress[- ]related (?:absence|illness)',
  ]),
  ...terms(S, 'health', 'topic', [
    'ADHD',
    // A mood disorder named (h12-tune): "a bad night with my bipolar".
    'bipolar',
    'autism',
    'autistic',
    'ASD',
    'epilepsy',
    'epileptic',
    'seizures?',
    'diabet(?:es|ic)',
    'anaphyla(?:xis|ctic)',
    'CAMHS',
    'depression',
    'anxiety disorder',
    'OCD',
    'PTSD',
    'psychiatrist',
    'psychologist',
    'counsell(?:ing|or) (?:sessions?|referral)',
    'medication',
    'cancer',
    'chemotherapy',
    'HIV',
    'cerebral palsy',
    'cystic fibrosis',
    'dyspraxia',
    'dyslexi[ac]',
    'tourette',
    'sickle cell',
    'hearing impair(?:ed|ment)',
    'visual(?:ly)? impair(?:ed|ment)',
    // Sensory needs as the SEND Code's "sensory and/or physical needs" and the NHS name them
    // (h18-tune: set 19's hearing loss had no word): a loss of hearing or sight, how it is found
    // (audiology) and treated (grommets, a cochlear implant).
    '(?:hearing|sight) loss',
    'glue ear',
    'grommets',
    'cochlear implants?',
    'audiology',
    'registered (?:blind|partially sighted)|severely sight impaired',
    'pregnan(?:t|cy)',
  ]),
  // An attack or a fit is something that happened to someone (h6-recall6): "two bad asthma attacks
  // this term". The condition's name alone stays context (every trip letter asks about asthma).
  ...terms(S, 'health', 'topic', [
    '(?:asthma|panic|anxiety|epileptic|allergic|diabetic|hypo|hypoglycaemic) (?:attacks?|episodes?|fits?|seizures?|reactions?)',
    'steroid (?:inhaler|tablets|cream|injections?)|on steroids',
    'prescribed',
  ]),
  ...terms(S, 'health', 'context', [
    'medical(?: conditions?| needs| history| records?)?',
    // Not "health and safety" (a workplace's risk assessments and checks, the HSE's word): no
    // one's health (h18-tune; 0 confidential, 4 ordinary over every labelled set).
    'health(?! (?:and|&) safety\\b)(?: needs| condition)?',
    'allerg(?:y|ies|ic)',
    'asthma',
    'inhaler',
    'epipen',
    'GP',
    'hospital',
    'mental health',
    'wellbeing',
    'anxiety',
    'counselling',
    'school nurse',
  ]),
  // --- Special educational needs --------------------------------------------------------------
  ...terms(S, 'sen', 'topic', ['statutory assessment']),
  ...terms(S, 'sen', 'status', [
    '(?:has|have|with|holds?|got) an? (?:EHCP|EHC plan|education,? health and care plan)',
    'statement of SEN',
    'on the SEN register',
    'SEN support plan',
    'annual review of (?:his|her|their) (?:EHCP|EHC plan|statement)',
    'one[- ]page profile',
    'top[- ]up funding',
  ]),
  ...terms(S, 'sen', 'topic', [
    // Bare "EHCP" is everyday SEN administration ("EHCP reviews are statutory"); it counts when
    // it is someone's ("her EHC plan") or beside other sensitive words.
    'EHCP',
    'EHC plan',
    'education,? health and care plan',
    'SEN support',
    'speech and language therapy',
    'SALT',
    'access arrangements',
    'extra time in (?:his|her|their) exams',
    'IEP',
    '1:1 support',
    'one[- ]to[- ]one support',
  ]),
  // A provision map is the school's whole record of its interventions (the SEND Code's provision
  // mapping), updated by every class teacher each term: a school document, like a visual
  // timetable, so context (h18-tune: "I'll update the provision map" beside a TA timetable).
  // A professional's title is context (h28-tune): "the educational psychologist" names who does
  // the work, a visitor as the school nurse and the SENCo are, not any child's need ("the
  // educational psychologist is in on Wednesday", "a twilight with an educational psychologist
  // from the county team"). What an EP found about a child stays a status ("educational
  // psychology report on", "EP assessment shows"). Over every labelled set no confidential
  // message warned by the title alone; four ordinary ones did (sets 22, 27 and 30).
  ...terms(S, 'sen', 'context', [
    'educational psychologist',
    'SENCo',
    'SENDCo',
    'SEND',
    'SEN',
    'special educational needs',
    'provision maps?',
  ]),
  // --- Free school meals / pupil premium (financial circumstances) ---------------------------
  ...terms(S, 'free_school_meals', 'status', [
    // "is eligible", not "you may be eligible": newsletters invite every family to apply.
    '(?:is|are|was|were|became|been|as|pupils|children) (?:eligible|entitled) (?:for|to) (?:free school meals|FSM)',
    'FSM[- ]eligible',
    'in receipt of free school meals',
    'receives free school meals',
    'FSM6?\\b status',
    'pupil premium (?:pupil|child|student)s? list',
    'in receipt of (?:universal credit|income support|jobseeker)',
    'disadvantaged pupils? list',
  ]),
  ...terms(S, 'free_school_meals', 'topic', ['FSM', 'PP pupil', 'universal credit', 'debt']),
  ...terms(S, 'free_school_meals', 'context', ['free school meals', 'pupil premium']),
  // --- Exclusions and behaviour records ------------------------------------------------------
  ...terms(S, 'exclusion', 'status', [
    'permanent(?:ly)? exclu(?:ded|sion)',
    'fixed[- ]term exclu(?:ded|sion)',
    '(?:was|were|has been|have been|had been|will be|is being|is to be) (?:suspended|excluded)',
    '(?:suspended|excluded) for (?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|a) (?:school )?days?',
    'managed move',
    "governors?' (?:discipline|exclusion) (?:committee|panel|review)",
    'independent review panel',
    'internal exclusion',
    'isolation for (?:\\d+|one|two|three) days?',
  ]),
  ...terms(S, 'exclusion', 'topic', ['exclusion', 'suspension', 'alternative provision', 'PRU']),
  // --- Religion, ethnicity, sexuality, politics, trade union, criminal (Art. 9 and 10) -------
  ...terms(S, 'religion', 'status', [
    "(?:his|her|their|the family's) (?:religion|faith|religious beliefs)",
    'religious (?:belief|affiliation)s? (?:is|are|of)',
  ]),
  ...terms(S, 'religion', 'topic', [
    'Umrah|Hajj',
    'Muslim',
    'Jewish',
    'Hindu',
    'Sikh',
    'Buddhist',
    'Catholic',
    "Jehovah's Witness(?:es)?",
    'atheist',
  ]),
  // Pupils fasting, listed or told (h11-tune): "add these pupils to the fasting list for Ramadan".
  ...terms(S, 'religion', 'topic', [
    'fasting (?:list|register|pupils|children|students)|(?:pupils|children|students|boys|girls) (?:who are |who will be )?fasting (?:for|during|this)',
  ]),
  ...terms(S, 'religion', 'context', ['religion', 'religious', 'faith']),
  ...terms(S, 'immigration', 'topic', [
    'seeking asylum',
    'asylum seekers?',
    'refugee status',
    'no recourse to public funds',
    'NRPF',
    'immigration status',
  ]),
  ...terms(S, 'ethnicity', 'status', [
    'ethnic (?:origin|background|group) (?:is|of|:)',
    '(?:his|her|their) (?:ethnicity|ethnic origin|race)',
    'racial(?:ly)? (?:abuse|motivated|incident)',
    'go back to (?:his|her|their|your) own country',
    // Ethnicity said of a family (Art. 9): "they're Irish Travellers".
    "(?:they're|they are|family (?:are|is)|he's|she's|he is|she is) (?:a |an )?(?:Irish Travellers?|Travellers?|Gypsies|Gypsy|Roma|Romany|of (?:Pakistani|Indian|Bangladeshi|Somali|Polish|Romanian|Nigerian|Caribbean|Chinese|Kurdish|Roma) (?:heritage|origin|descent))",
  ]),
  ...terms(S, 'ethnicity', 'topic', [
    'racist (?:names?|comments?|remarks?|slurs?|incidents?|abuse|language|bullying)',
  ]),
  // The census and school-census ethnicity codes, as a person's entry (h11-tune): "Mrs K Ndlovu
  // Black African", "One has written Black Caribbean". Capitalised as the codes are written; a
  // topic term, so it needs someone near.
  ...terms(
    S,
    'ethnicity',
    'topic',
    [
      'White (?:British|Irish|Other|and (?:Black Caribbean|Black African|Asian))|Black (?:African|Caribbean|British|Other)|(?:Asian|Black|Mixed) British|Mixed (?:White|Other)|Any other (?:White|Black|Asian|Mixed|ethnic) background|Traveller of Irish heritage|Gypsy/Roma|(?:British )?(?:Pakistani|Bangladeshi|Indian) and (?:Muslim|Hindu|Sikh|Christian)',
    ],
    true,
  ),
  ...terms(S, 'ethnicity', 'context', ['ethnicity', 'ethnic origin', 'racial', 'traveller']),
  ...terms(S, 'sexuality', 'status', [
    'sexual orientation',
    '(?:come|came|comes|coming) out (?:to (?:me|us|(?:his|her|their) [a-z]+) )?(?:(?:today|yesterday|recently|at lunch|this morning|last week|in tutor time) )?as',
    '(?:is|identifies as) (?:gay|lesbian|bisexual|transgender|trans|non-binary)',
    'gender (?:transition|dysphoria)',
  ]),
  ...terms(S, 'trade_union', 'topic', [
    // Membership told by a payroll deduction (h5-recall5): needs a person, as a rates notice says it too.
    '(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite) (?:subs|subscriptions?|membership|deductions?)',
    '(?:subs|membership) deductions?',
    // "Gary's NASUWT rep" is found from the union's name on, beside a person ("[A-Z][a-z]+'s"
    // could start at any word, so it sat in all 676 first-letter groups and was most of their
    // compiled code); "the NEU rep has asked me" alone is a notice.
    '(?:NEU|NASUWT|NAHT|UNISON|GMB|union) rep(?:resentative)?',
    '(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL) members?',
    // A union in brackets after a name (h9-tune): "Sarah (NEU) and Ian (NASUWT) will be out". Found
    // from the union's name to the bracket; a topic, as a notice spells the acronym out the same
    // way ("the National Education Union (NEU)"), so it needs a person near.
    '(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite)\\)',
    '(?:took|taking|take|takes) part in (?:the|a) strike|(?:on|joined|joining) (?:the )?strike',
    "(?:they're|they are|he's|she's|he is|she is|who are) (?:striking|going on strike|on strike)",
    '(?:they|he|she|who) (?:voted|vote|are voting|will vote) (?:yes|for (?:strike )?action|to strike)',
  ]),
  ...terms(S, 'trade_union', 'status', [
    'trade union membership',
    'member of (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL)',
  ]),
  ...terms(S, 'political', 'status', ['political (?:opinions?|beliefs?|affiliation)']),
  ...terms(S, 'criminal', 'status', [
    'criminal (?:record|conviction|offence)s?',
    'convicted of',
    'was arrested',
    'has been arrested',
    'youth offending (?:team|service)',
    'YOT worker',
    'on bail',
    'police caution',
    'court appearance',
  ]),
  // --- Safeguarding and child protection -----------------------------------------------------
  // A list of open cases under their labels (h12-tune): "CP plans: Kai Bennett (Y2), …",
  // "CIN: Summer Haines". Case-sensitive, a full name after the colon; "CP plans: reviewed
  // termly" is a policy.
  ...terms(
    G,
    'child_protection',
    'status',
    ['(?:CP plans?|CIN|CIN plans?|Early help|LAC|CLA): [A-Z][a-z]+ [A-Z][a-z]+'],
    true,
  ),
  ...terms(G, 'child_protection', 'status', [
    'child protection plan',
    'CP plan',
    'child in need plan',
    'CIN plan',
    's\\.?47 (?:enquiry|investigation)',
    'section 17',
    'CP (?:file|records?|chronology|concerns?|referral)',
    '(?:scared|frightened|afraid) (?:to go|of going) home',
    'initial child protection',
    "referral to (?:MASH|children's social care|social services|the police|Channel|Prevent)",
    'MASH referral',
    'Prevent referral',
    // A referral being made, of pupils told by pronoun or count (h9-tune): "I'm referring all three
    // to Prevent", "we referred her to Channel". Guidance says "refer" in the present.
    "(?:referring|referred|I'll refer|we'll refer|will be referring) (?:him|her|them|both(?: of them)?|all (?:two|three|four|five|six|of them|\\d)|the (?:boy|girl|boys|girls|pupil|pupils|student|students|child|children|family|brothers|sisters)|this (?:pupil|student|child|boy|girl|family)|these (?:pupils|students|boys|girls|children)) to (?:Prevent|Channel|MASH|the MASH|children's social care|social care|social services|the front door|early help)",
    'Channel referral',
    // The Prevent programme's own panel (h10-tune): "Channel panel have accepted the case".
    'Channel (?:panel|case|mentor|intervention|support)',
    'allegation (?:against|about) (?:a |the )?(?:member of staff|teacher|staff member)',
    'disclosed (?:that|to)',
    'made a disclosure',
    'neglect(?:ed)? (?:at home|concerns?)',
    'bruis(?:e|es|ing) (?:on|to) (?:his|her|their)',
    'unexplained (?:bruis\\w*|injur\\w*|marks)',
    'interim care order',
    'reported missing',
    'not safe at home',
    'at risk of (?:significant )?harm',
  ]),
  ...terms(G, 'child_protection', 'topic', [
    // KCSIE's and Working Together's names for kinds of harm and for the process: how a training
    // course or a policy talks as much as a case file does, so they need a person nearby.
    'EHC needs assessment',
    'strategy (?:meeting|discussion)',
    'child protection (?:conference|case conference|referral|concern|register|file|records?)',
    'LADO',
    'sexual(?:ly)? abuse[ds]?',
    'physical(?:ly)? abuse[ds]?',
    'emotional abuse',
    'domestic (?:abuse|violence)',
    'FGM',
    'female genital mutilation',
    'forced marriage',
    'child sexual exploitation',
    'CSE',
    'child criminal exploitation',
    'CCE',
    'county lines',
    'radicali[sz]ation',
    'care proceedings',
    'missing from (?:home|care|education)',
    'non-molestation order',
    'section 47',
    'social worker',
    'child protection',
    "children's social care",
    'social services',
    'MASH',
    'early help assessment',
    'safeguarding (?:concern|referral|incident)',
    'welfare concern',
    'police',
    'abuse',
    'neglect',
    // What a disclosure sounds like: always about someone, so the pronoun corroborates.
    `(?:hits|hit|hurts|hurt|kicks|kicked|punched|slapped|smacked|beats|beat|touched) (?:him|her|them)${NOT_A_BODY_PART}`,
  ]),
  ...terms(G, 'child_protection', 'context', [
    'safeguarding',
    'DSL',
    'designated safeguarding lead',
    'CPOMS',
    'MyConcern',
    'early help',
    'vulnerable',
    'concern',
    'disclosure',
  ]),
  ...terms(G, 'looked_after', 'status', [
    'looked[- ]after child(?:ren)?',
    'child(?:ren)? looked after',
    'LAC',
    'CLA',
    'in the care of (?:the )?(?:local authority|council)',
    'in (?:local authority|foster) care',
    'foster (?:carers?|placement|parents?)',
    'special guardianship order',
    'SGO',
    'kinship care',
    'personal education plan',
    'PEP (?:meeting|review)',
    'virtual school head',
    'previously looked[- ]after',
    'adopted from care',
    'residential care home',
  ]),
  ...terms(G, 'looked_after', 'topic', [
    'virtual school',
    'PEP',
    'foster',
    'adoption',
    'young carer',
  ]),
  // --- Concepts by taxonomy (h14-tune) -------------------------------------------------------------
  // A concept's own word is the evidence, not one sentence's phrasing: set 15's misses were plain
  // messages naming a condition ("it's MS", "with Down's syndrome"), a court's decision ("was
  // sentenced yesterday"), suicidal intent ("a plan to end their life", "saving up tablets"),
  // violence done to someone ("being slapped"), union membership in any person ("I'm in the
  // NASUWT"), orientation told of someone ("my partner is a woman"), rent trouble, neglect and
  // exploitation signs. Each list below names its source; a bare condition name is a topic (it
  // counts with a person near: he/she, a name, or `PERSON_CUE` in detectors.ts); a phrase that can
  // only be said of someone is a status.
  //
  // Named conditions: the NHS Health A to Z (nhs.uk/conditions), the long-term conditions a school
  // writes about (the DfE's "Supporting pupils at school with medical conditions", 2015, and the
  // conditions staff disclose under the Equality Act 2010). Topic: "a first-aid course on
  // epilepsy", "the cystic fibrosis charity" are framed as general; "the boy in 4C with Down's
  // syndrome", "it's Crohn's. I'll need" are someone's.
  ...terms(S, 'health', 'topic', [
    "down['’]?s syndrome|down syndrome",
    "crohn['’]?s(?: disease)?",
    'ulcerative colitis|colitis',
    'coeliac(?: disease)?',
    'muscular dystrophy',
    'spina bifida',
    'hydrocephalus',
    'leuk(?:a)?emia',
    'lymphoma',
    '(?:brain )?tumou?rs?',
    "parkinson['’]?s",
    'motor neurone disease',
    'chronic fatigue(?: syndrome)?',
    'fibromyalgia',
    'lupus',
    '(?:juvenile |rheumatoid )?arthritis',
    'heart (?:condition|defect|murmur|problems?)',
    'hole in (?:the|his|her|my|their) heart',
    'kidney (?:disease|failure|problems?)',
    'dialysis',
    '(?:liver|heart|kidney|lung|bone marrow) transplant',
    'hepatitis(?: [ABC])?',
    'meningitis',
    'sepsis',
    'glandular fever',
    'long covid',
    'endometriosis',
    'polycystic ovar(?:y|ies|ian)(?: syndrome)?',
    '(?:hypo|hyper)thyroidism|underactive thyroid|overactive thyroid',
    'alopecia',
    'scoliosis',
    'ha?emophilia',
    "addison['’]?s(?: disease)?",
    'turner syndrome|fragile X',
    'f(?:o)?etal alcohol (?:syndrome|spectrum)|FASD',
    'global developmental delay',
    'schizophreni[ac]',
    'psychosis|psychotic',
    'incontinen(?:t|ce)',
    'intimate care',
    'pad chang(?:e|es|ed|ing)',
    'radiotherapy',
    'biopsy',
    'in remission',
    'neurolog(?:y|ist)|neuro clinic',
    'oncolog(?:y|ist)',
    '(?:breast|bowel|prostate|lung|skin|ovarian|cervical|testicular|blood|bone) cancer',
    // Medicines a colleague or a pupil is on (BNF): beside the ones above.
    'propranolol|amitriptyline|mirtazapine|venlafaxine|pregabalin|gabapentin|diazepam|lorazepam|olanzapine',
  ]),
  ...terms(S, 'health', 'status', [
    // A dose changed: only said of someone's own medicine.
    '(?:my|her|his|their) (?:[a-z]+ )?(?:dose|dosage|meds|medication|tablets) (?:went|has gone|had gone|was|has been|were|is being|is going) (?:up|down|increased|changed|reduced|upped|doubled)',
    '(?:put|upped|increased|changed|doubled|reduced) (?:my|her|his|their) (?:dose|dosage|meds|medication|tablets|sertraline|fluoxetine|citalopram|propranolol)',
    // The first person, a condition named (h14-tune): "I'm type 1", "I'm epileptic".
    "(?:I'm|I am|I've got|I have) (?:type (?:1|2|one|two)|diabetic|epileptic|asthmatic|coeliac|bipolar|dyslexic)\\b",
    // Suicidal intent and its signs (NICE NG225 self-harm; the Samaritans' and Papyrus's guidance
    // for schools): a life ended, tablets saved, a plan, a note.
    '(?:end|ends|ending|ended|take|takes|taking|took) (?:his|her|their|my) (?:own )?life',
    'kill (?:him|her|them|my)sel(?:f|ves)',
    '(?:saving|saved|stockpil(?:e|es|ed|ing)|hoarding|hoarded|collecting) (?:up )?(?:tablets|pills|paracetamol|medication|meds)',
    '(?:suicide|goodbye) (?:notes?|letters?|messages?)',
    '(?:look(?:ed|ing)? up|googl(?:e|ed|ing)|search(?:ed|ing)? for) how (?:many|much) (?:paracetamol|tablets|pills)',
  ]),
  ...terms(S, 'health', 'topic', ['safety plan', 'crisis team|home treatment team', 'suicide']),
  // "It's MS", "she has MS": case-sensitive, after a verb (MS Teams, MS Word are not a condition).
  ...terms(
    S,
    'health',
    'status',
    [
      "(?:it's|it is|has|have|got|with|diagnosed with|diagnosis of) MS\\b(?! (?:Teams|Word|Excel|Office|Forms|Outlook|PowerPoint|OneNote|Edge|Paint|Access)\\b)",
    ],
    true,
  ),
  // Criminal-justice events (UK GDPR Art. 10; the Sentencing Council's and the Crown Prosecution
  // Service's words for the stages of a case): sentenced, remanded, bailed, tagged, on licence,
  // found guilty. Status: said of someone; a citizenship mock trial is framed by its lesson.
  ...terms(S, 'criminal', 'status', [
    '(?:was|been|got|were|is|be|being|are) (?:sentenced|remanded|convicted|bailed|jailed|sent down)\\b',
    'sentenced (?:yesterday|today|last|this|on)\\b',
    'bail (?:conditions|hearing|paperwork|papers|date|address)',
    '(?:on|wears?|wearing) (?:a |an )?(?:electronic |ankle )?tag\\b',
    '(?:out|released|is|he is|she is) on licence',
    '(?:found|pleaded|pled) (?:not )?guilty',
    'police custody|in custody',
  ]),
  // Violence done to a person (KCSIE physical abuse and child-on-child abuse): in the passive
  // ("being slapped in the park") and held down. Not "hit" (a ball hits people).
  ...terms(G, 'physical_abuse', 'topic', [
    '(?:being|been|getting|got) (?:slapped|punched|kicked|beaten|battered|strangled|choked|stabbed|headbutted|stamped on|booted|attacked|assaulted|held down|pinned down|dragged|shoved)\\b',
  ]),
  ...terms(G, 'physical_abuse', 'status', [
    'held (?:a|the|another|one|this) (?:Y\\d+|year \\d+|boy|girl|kid|lad|pupil|student|child)(?: [a-z]+)? down\\b',
    `boot(?:s|ed|ing)? ${VICTIM}`,
    '(?:took|take|taking|taken) turns (?:kicking|hitting|punching|booting|slapping)',
    '(?:hands?|fingers) (?:round|around) (?:her|his|my|their) (?:neck|throat)',
    '(?:tried|try|tries|trying) to (?:get|pull|take) (?:his|her|their) (?:trousers|pants|shorts|knickers|skirt|underwear|clothes) (?:down|off)',
  ]),
  // Union membership in any person and tense (UK GDPR Art. 9; the unions of school staff: NEU,
  // NASUWT, NAHT, ASCL, UNISON, GMB, Unite): "I'm in the NASUWT", "you are the NEU rep for
  // science", "who voted yes in the GMB ballot". "Our NEU rep" to all staff and "we are all in
  // the NEU ballot" stay quiet.
  ...terms(S, 'trade_union', 'status', [
    "(?:I'm|I am|I've been|I have been|he's|she's|they're|you're|you are|we're) (?:in|with|a member of) (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL)\\b(?! (?:ballot|strike|action|dispute|conference|survey|campaign|pay|consultation|indicative)\\b)",
    "(?:you are|you're|he is|he's|she is|she's|I am|I'm|is|was) (?:the |a |an )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|union) (?:rep|representative|steward|caseworker|official|member)\\b",
    'who (?:voted|have voted|had voted) (?:yes|no|for|against)(?: [a-z]+)? in (?:the |a |their )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|union) ballot',
  ]),
  // Orientation told of someone (UK GDPR Art. 9; Stonewall's guidance for schools on coming out):
  // a partner's sex said with a wish for discretion, coming out, two pupils kissing.
  ...terms(S, 'sexuality', 'status', [
    '(?:my|his|her|their) (?:partner|spouse|other half) is (?:also )?(?:a )?(?:woman|man|female|male)\\b',
    '(?:came|come|comes|coming) out (?:as (?:gay|bi|bisexual|lesbian|trans|transgender|non-binary|queer|pan|pansexual)|to (?:his|her|their|my) (?:parents|mum|dad|family|friends|class|form))\\b',
    "(?:I'm|I am) (?:a )?(?:gay|lesbian|bi|bisexual|queer|pansexual|asexual|trans|transgender|non-binary)\\b",
    "(?:knows|know|find out|found out) (?:that )?(?:I'm|I am|he's|she's|they're) (?:gay|lesbian|bi|bisexual|queer|trans)\\b",
    "(?:one|both|neither|the other) (?:isn't|is not|aren't|are not) out (?:at home|at school|to (?:his|her|their) (?:family|parents))",
    '(?:two|both|the two) (?:Y\\d+ |year \\d+ )?(?:boys|girls|lads) (?:who were )?(?:seen |caught )?kissing',
  ]),
  // Housing and money trouble (the seed policies' "financial matters"; Shelter's and Citizens
  // Advice's words for rent debt and eviction).
  ...terms(S, 'financial_hardship', 'status', [
    'behind (?:on|with) (?:the |her |his |their |my )?(?:rent|mortgage|bills|council tax|payments)',
    'court date for (?:the )?(?:arrears|debt|rent|eviction)',
    "(?:owe|owes|owed|owing) (?:(?:two|three|four|five|six|\\d+) )?(?:months?|weeks?)['’]? rent",
    '(?:served|given|handed) (?:us |them |her |him |me )?(?:a section 21|an eviction notice|notice to quit)',
    'landlord (?:has |had )?(?:served|given) (?:notice|them notice|us notice|her notice|him notice|me notice)',
    'section 21 notice',
    '(?:electric|electricity|gas|water|power|heating) (?:was |has been |got |had been )?(?:cut off|disconnected)',
    'debt (?:plan|management|relief order|collectors?)',
    'advance (?:of )?£?\\d+ (?:of|on) (?:her|his|my|their) (?:[a-z]+ )?(?:pay|salary|wages)',
  ]),
  ...terms(S, 'financial_hardship', 'topic', ['arrears']),
  // Neglect's signs (KCSIE neglect; the NSPCC's signs of neglect: hungry, no coat, poor dental
  // care, left uncollected or alone).
  ...terms(G, 'neglect', 'topic', [
    '(?:no|without) (?:a )?(?:packed lunch|dinner money|lunch money)',
    'teeth (?:are |is |that are |clearly |going |gone |turning )*(?:black|rotten|rotting|decayed|brown)\\b',
    '(?:neither|none of them|nor) (?:has|have) (?:a )?(?:coat|shoes|socks)\\b',
    '(?:nobody|no one|no-one) (?:coming|came|turned up|has come) (?:for (?:him|her|them)|to (?:collect|pick))',
    'with (?:nobody|no one|no-one) (?:coming|to collect|to pick)',
    'same (?:wet|dirty|soiled|smelly) (?:trousers|clothes|uniform)',
    '(?:food|eating|eats|ate) (?:out of|from) the bins',
    'nothing to eat (?:at home|in the (?:house|flat))',
  ]),
  // Exploitation's signs (KCSIE child criminal exploitation; the Home Office's county-lines
  // guidance: paid to carry, unexplained cash and goods, older lads, a second phone).
  ...terms(G, 'exploitation', 'topic', [
    '(?:pays?|paid|paying|gives?|gave|giving) (?:him|her|them) (?:money |cash )?to (?:drop|deliver|carry|take|hold|mind|move) (?:stuff|things|bags|packages|parcels|something|it)\\b',
    'drop (?:stuff|things|bags|packages|parcels|something) off',
    'older (?:lad|lads|boy|boys|man|men|kids?) (?:pays?|paid|gives?|gave|drives?|drove|picks?|picked)\\b',
    '\\d{2,} (?:in (?:cash|twenties|tens|notes)|in (?:his|her|their) (?:blazer |coat |jacket |trouser |school )?(?:bag|pocket)s?)',
    'second phone',
    '(?:driven|taken) (?:about|around|off) by (?:older|men|adults|a man|lads)',
  ]),
  // Sexual harm told by what a young child acts out (NSPCC: harmful sexual behaviour), and FGM
  // told in a child's words.
  ...terms(G, 'sexual_abuse', 'topic', [
    '(?:acting|acts|acted) out (?:sex|sexual|things)',
    'no child (?:that|her|his|of that) age should',
  ]),
  ...terms(G, 'fgm_forced_marriage', 'status', ['down there with a (?:blade|razor|knife)']),
  // --- Concepts by taxonomy (h16-tune) -------------------------------------------------------------
  // Set 16's misses (read in h15) and set 17's (read in h16) that had no finding at all were
  // concepts with no word in the vocabulary. Each list below widens one taxonomy group from its
  // source's own terms, not from a message; all are topic tier (they count only with a person near,
  // and a course, a policy or a lesson still frames them), unless a phrase can only be said of
  // someone.
  //
  // Court and family orders (Children Act 1989 s.8 and Part IV; Family Law Act 1996 Part IV;
  // the FGM Act 2003 and Forced Marriage (Civil Protection) Act 2007 protection orders; Cafcass):
  // the orders a school is told about, and contact stopped or supervised by a court.
  ...terms(G, 'social_care', 'topic', [
    '(?:FGM |forced marriage |emergency )?protection order',
    'supervision order|placement order|occupation order',
    'Cafcass|CAFCASS',
    '(?:a|the|with a|has a|got a|under a) court order',
    "(?:court|judge|magistrates) (?:has |have |had )?(?:stopped|suspended|restricted|refused) (?:his |her |their |the |all |dad's |mum's |father's |mother's )?(?:contact|visits)",
    '(?:contact|visits) (?:with (?:his|her|their) (?:dad|mum|father|mother) )?(?:was |were |has been |have been )?(?:stopped|suspended) by the (?:court|judge)',
    '(?:no|not allowed|not to have) contact (?:with (?:the children|the kids|him|her|them) )?(?:under|because of) (?:a|the) (?:court )?order',
  ]),
  // Courts and driving offences (UK GDPR Art. 10; the Sentencing Council's magistrates' court
  // guidelines: drink and drug driving, driving while disqualified; cautions and bail, PACE).
  ...terms(S, 'criminal', 'topic', [
    "magistrates(?:['’])? court|crown court|youth court",
    '(?:up )?(?:in front of|before) the magistrates',
    'drink[- ]driv(?:e|er|ers|ing)|drunk[- ]driving|drug[- ]driving|driving (?:while |whilst )?(?:disqualified|banned|over the limit|under the influence)|over the drink[- ]drive limit',
    '(?:banned|disqualified) from driving|driving ban|(?:lost|losing) (?:his|her|their|my) (?:driving )?licence',
    '(?:given|got|gets|had|received|accepted) a (?:police |formal |conditional |youth )?caution',
    '(?:on|out on|released on|police) bail',
    'court summons|summons(?:ed)? to court|community (?:order|sentence)|unpaid work hours',
  ]),
  // Home Office decisions and asylum claims (UK GDPR Art. 9 ethnicity, and the Home Office's own
  // words for the stages of a claim: asylum claim, substantive interview, leave to remain,
  // reporting, refusal, appeal, removal, detention; the EU Settlement Scheme).
  ...terms(S, 'immigration', 'topic', [
    'asylum (?:claim|application|interview|appeal|case|support|hotel|decision)',
    'Home Office (?:decision|interview|letter|appeal|refusal|reporting|hearing|papers|case)|(?:waiting on|waiting for|heard from|reporting to|report to) the Home Office',
    '(?:indefinite |limited )?leave to remain|settled status|pre-settled status|refugee status',
    '(?:claim|asylum|visa|application) (?:was |has been |had been )?refused|refused asylum',
    'deport(?:ed|ation|ing)|removal (?:notice|directions|centre)|immigration (?:detention|removal centre|tribunal|solicitor|appeal|bail)',
    'overstay(?:ed|ing)|undocumented',
  ]),
  // Gender identity in practice (DfE "Gender Questioning Children" guidance, 2023, and NHS
  // gender identity services: questioning, social transition, a binder, puberty blockers, a new
  // name and pronouns; deadnaming in the Equality Act 2010's harassment sense).
  ...terms(S, 'sexuality', 'topic', [
    'chest binders?|(?:wears?|wearing|wore|bought|buy|uses?|using) a binder|binding (?:her|his|their|my) chest',
    'questioning (?:their|his|her|my) (?:gender|identity|gender identity)|gender questioning|gender[- ]questioning',
    'puberty blockers?|cross[- ]sex hormones',
    'dead[- ]?nam(?:e|es|ed|ing)',
    // Outing (Stonewall): someone's orientation or identity told without their consent.
    'out(?:ed|ing) (?:him|her|them|me) as',
    'new name and (?:new )?pronouns|(?:their|his|her|my) chosen name',
    'gender identity (?:clinic|service|development service)|GIDS',
  ]),
  // Housing loss (Shelter's and the Housing Act 1996 Part 7's words: a tenancy lost, sofa
  // surfing, a B&B, a hostel or temporary accommodation, a homelessness application).
  ...terms(S, 'financial_hardship', 'topic', [
    '(?:lost|losing|lose|ended|end) (?:the|their|her|his|my|our) tenancy|tenancy (?:has |was )?(?:ended|ending|ends)',
    'sofa[- ]surf(?:ing|ed|s)?',
    '(?:living|placed|put|moved|housed|staying|stuck|are|is|been) (?:in|into) (?:a |the )?(?:B&B|B and B|bed and breakfast|homeless hostel|family hostel|hostel room|temporary accommodation|emergency accommodation)',
    "homeless(?:ness)? (?:application|duty|officer|team|assessment|unit|persons unit)|(?:declared|presented as|made|are|is|now|been|they are|they're|we are|we're|intentionally) homeless",
  ]),
  // Extremist content (the Prevent duty guidance, 2023, and the Counter Terrorism Policing
  // referral signs: extremist material and channels, a preacher online, far-right and Islamist
  // propaganda named as such).
  ...terms(G, 'radicalisation', 'topic', [
    'extremist (?:videos?|content|material|channels?|sites?|websites?|forums?|groups?|views|speeches|preachers?|propaganda|memes?|literature)',
    '(?:Telegram|Discord) (?:channels?|groups?|servers?)',
    'far[- ]right|neo[- ]?nazis?|white supremac(?:y|ist|ists)|race war|great replacement|white genocide',
    '(?:preacher|preachers|imam|speaker|influencer|YouTuber)s? (?:online|on YouTube|on TikTok|on Telegram)|online (?:preacher|preachers|influencer)s?',
    '(?:ISIS|Daesh|Islamic State) (?:recruitment|propaganda|videos?|footage|flags?|fighters?)|beheading videos?|martyrdom',
  ]),
  // SEND told as behaviour (the SEND Code of Practice 2015's four broad areas: sensory and
  // physical, social, emotional and mental health; the DfE's "Use of reasonable force" and
  // positive behaviour support's records: an ABC chart, a sensory room, hand over hand, meltdowns).
  ...terms(S, 'sen', 'topic', [
    'sensory (?:room|breaks?|circuits?|overload|needs|seeking|seeker)',
    'hand[- ]over[- ]hand',
    'ABC (?:charts?|forms?|logs?|sheets?)',
    'meltdowns?|shut ?downs? at school',
    '(?:positive handling|physical intervention|restraint|Team Teach) (?:plan|form|record|log|incident)|(?:was|been|had to be) restrained',
    'non-?verbal(?! reasoning\\b)|stimming|stims',
  ]),
  // Set 17's no-finding misses by their group (read in h16-tune), each from its group's source:
  // Domestic abuse (SafeLives' DASH risk checklist: strangulation, objects broken, threats to
  // kill).
  ...terms(G, 'domestic_abuse', 'topic', [
    "(?:by|round|around) (?:the|her|his|my|mum's|dad's) throat",
    '(?:held|holds|holding|pinned|pins|pushed|pushes|shoved|slammed) (?:mum|dad|her|him|me|them|his (?:mum|wife|partner)|her (?:mum|husband|partner)) (?:up )?against the (?:wall|door|fridge)',
    `(?:smash(?:es|ed|ing)?|break(?:s|ing)?|broke|wreck(?:s|ed|ing)?) (?:stuff|things|up the house|the house up|plates|doors|the telly|the TV)`,
    '(?:threaten(?:s|ed|ing)?|said he would|said she would|says he will|says she will) (?:to )?kill (?:her|him|mum|dad|me|them|us)',
  ]),
  // Child criminal exploitation told as work (the Home Office's county-lines and CCE guidance:
  // running errands or "jobs", carrying or handing over packages, easy money, older teenagers).
  ...terms(G, 'exploitation', 'topic', [
    '(?:doing|does|did|do) (?:jobs|errands|runs|drops) for (?:a mate|mates|an older|older|some older|these|the lads|them)',
    '(?:hand(?:s|ed|ing)?|pass(?:es|ed|ing)?) (?:a |the )?(?:bag|bags|package|packages|parcel|parcels) (?:over )?to (?:an? )?(?:older|man|lad|teenager|someone)',
    'easy money',
    '(?:runs?|running|ran) (?:a |the |their )?(?:line|deal line|drugs line|county line)\\b|line[\'"’”]? (?:he|she|they|I) (?:runs?|works?|deals?) for',
    '(?:with|by|from) (?:an|the same|some|a group of) older (?:teenagers?|teens)',
  ]),
  // Sexual harm in a young child's words (the NSPCC's PANTS rule: underwear, private parts,
  // bottom; "secrets" about touching).
  ...terms(G, 'sexual_abuse', 'topic', [
    `${verbs('hurt', 'touch', 'tickle')} (?:my|her|his|their) (?:bottom|bum|front bottom|private parts|privates)`,
    '(?:tickles?|tickled|tickling|touch(?:es|ed|ing)?|hands?)(?: (?:me|her|him|them))? (?:in|inside|down|under) (?:my|her|his|their) (?:knickers|pants|underwear|nappy)',
    'secret (?:tickles|touching|games?)',
  ]),
  // FGM in a girl's words (the FGM multi-agency statutory guidance's traditional terms, beside
  // those above: "the cut", cut and "clean").
  ...terms(G, 'fgm_forced_marriage', 'topic', [
    '(?:do|did|have|having|had|get|getting|got) the [\'"‘“]?cut\\b',
    '(?:cut|cutting) (?:me|her) (?:down there|abroad|back home|on holiday|when (?:I|she) was little)',
    "so (?:I'm|she's|she will be|I will be) ['\"‘“]?clean",
    "(?:I'm|I am|she's|she is) a woman now",
  ]),
  // Orientation told of a pupil by a same-sex relationship (Stonewall's guidance for schools).
  ...terms(S, 'sexuality', 'topic', [
    "(?:son|he|he's|boy|lad|brother) (?:is |was |has been |'s been )?(?:going out with|seeing|dating|kissing|in a relationship with) (?:another|a) (?:boy|lad|man)\\b",
    "(?:daughter|she|she's|girl|sister) (?:is |was |has been |'s been )?(?:going out with|seeing|dating|kissing|in a relationship with) (?:another|a) (?:girl|woman)\\b",
  ]),
  // Ethnicity told by a slur or a family named by its community (UK GDPR Art. 9; the CPS's
  // racist and religious hate crime guidance; the school census's Gypsy/Roma and Traveller codes).
  ...terms(S, 'ethnicity', 'topic', [
    'gypsies|gyppos?|pikeys?|pakis?',
    '(?:Roma|Romany|Gypsy|Traveller|Kurdish|Somali|Syrian|Afghan|Eritrean|Sudanese) (?:family|families|children|boy|girl|pupils?|mum|dad|parents)',
  ]),
  // Industrial action by a named member of staff (UK GDPR Art. 9: union membership; ACAS on
  // industrial action: who is taking part, a list for the day).
  ...terms(S, 'trade_union', 'topic', [
    "(?:who(?:'s| is| are| will be|'ll be)|they'll|he'll|she'll|I'll) (?:be )?(?:striking|on strike|strike|taking (?:strike|industrial) action|crossing the picket)",
    // Out on a strike day with one's union, or in its branch (h31-tune): "I will be out on the 12th
    // with the union", "we're in the same branch". Lawful industrial action is called by a union
    // for its members, so who is out with it is who belongs to it.
    'out (?:on (?:the )?[0-9a-z]+ )?with (?:the|my|our|their) (?:union|NEU|NASUWT|NAHT|UNISON|GMB|ASCL)\\b|(?:in|from) the same (?:union |NEU |NASUWT |NAHT |UNISON |GMB )?branch',
  ]),
  // --- Concepts by taxonomy (h17-tune) -------------------------------------------------------------
  // Set 18's misses (read in h17-tune) in the weakest categories had no word in the vocabulary.
  // Each list widens its group from its source's own terms, not from a message; all are topic tier
  // (a person near; a course, a policy or a lesson still frames them).
  //
  // Debt and its enforcement (StepChange's and Citizens Advice's debt advice: priority debts,
  // bailiffs or enforcement agents, a county court judgment, payday loans and loan sharks, a debt
  // relief order; a salary advance asked for), food insecurity (the Trussell Trust's referral
  // voucher) and a home lost (Housing Act 1988 s.21 notices, eviction; Part 7 placements).
  ...terms(S, 'financial_hardship', 'topic', [
    'bailiffs?|enforcement agents?|debt collectors?|debt collection|county court judg(?:e)?ments?|CCJs?\\b',
    'payday loans?|loan sharks?|debt relief order|debt management plan',
    '(?:got|has|have|had|with|in|into|owes?|owed|owing|run up) (?:so much |a lot of |serious |huge |big |massive |some )?debts?\\b',
    '(?:an? )?advance on (?:my|his|her|their) (?:salary|wages|pay)|salary advance|(?:sub|loan) (?:until|till) payday',
    'food ?bank (?:vouchers?|referrals?|parcels?)|food vouchers?|(?:referred|refer|referral) (?:them |her |him |the family )?(?:to|for) (?:the |a )?food ?bank',
    '(?:evicted|eviction notice|facing eviction|section 21 notice|notice to quit)',
    '(?:lost|losing|lose) (?:the|their|her|his|my|our) (?:house|home|flat)\\b',
    '(?:put|placed|moved|housed) (?:them|her|him|us|the family|the kids|the children) (?:in|into) (?:a |the )?(?:B&B|B and B|bed and breakfast|hostel|temporary accommodation|emergency accommodation)',
  ]),
  // Religion or belief in practice (Equality Act 2010 s.10; the observances schools make room
  // for: a fast kept, religious dress, a devout or observant family).
  ...terms(S, 'religion', 'topic', [
    '(?:keeping|keeps|kept|keep|observing|observes|observed|started|starting|breaking|broke|broken) (?:the |their |his |her |my )?(?:Ramadan |Lent |Yom Kippur |Navratri )?fasts?\\b',
    "(?:is|are|was|were|been|he's|she's|they're) (?:now |still |also )?fasting\\b",
    // "Ahmed's fasting": led by the word, as every term must be (the scan tries terms only at
    // word starts; a term starting "'s" turned the whole gated scan off: session 23).
    "[a-z]+['’]s (?:now |still |also )?fasting\\b",
    '(?:strict|devout|observant|practising|practicing) (?:Muslims?|Christians?|Hindus?|Sikhs?|Jews|Jewish|Catholics?|Jehovah)',
    '(?:wears?|wearing|wore|started wearing) (?:a |the |her |his |their )?(?:hijab|niqab|burqa|burka|jilbab|turban|patka|kippah|yarmulke|kara)\\b',
  ]),
  // Staff HR (ACAS's redundancy guidance: posts in scope, at risk, a selection pool, consultation,
  // suitable alternative employment; the DfE model capability policy's informal stage and
  // improvement plan; union support told of someone, UK GDPR Art. 9).
  ...terms(S, 'staff_hr', 'topic', [
    '(?:posts?|roles?|jobs?) (?:in scope|at risk)|(?:be|being|are|is|were|was|been|put|placed) at risk (?:after|following|in|during) (?:the )?(?:consultation|restructure|restructuring|review)|selection pool|(?:redundancy|restructure|restructuring) consultation|suitable alternative (?:employment|role|post)',
    'informal (?:support|improvement|capability) plan|(?:performance|capability) improvement plan',
  ]),
  ...terms(S, 'trade_union', 'topic', [
    "(?:you're|you are|he's|she's|he is|she is|is) (?:the |our |a )?(?:school |site |workplace |branch |local )?rep for (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite|union)\\b",
    "(?:I'd like to|I want to|I'm going to|I've|I have|I'll|I will|I) (?:join|joined) (?:a |the )?union",
  ]),
  // Signs that FGM may have taken place (the multi-agency statutory guidance on FGM, 2020: difficulty
  // walking, sitting or standing; longer in the toilet; pain between the legs; "the procedure").
  ...terms(G, 'fgm_forced_marriage', 'topic', [
    '(?:walks?|walking|walked|sits?|sitting|sat) (?:really |very |quite )?(?:stiffly|awkwardly|gingerly|with difficulty)|(?:difficulty|trouble|pain when) (?:walking|sitting down|sitting|standing)',
    '(?:takes?|taking|took|spends?|spending|spent) (?:ages|so long|a long time|longer(?: than (?:normal|usual))?) (?:in|on) the (?:toilet|toilets|loo|bathroom)',
    '(?:pain|sore|hurts?|discomfort) (?:between|down) (?:her|my) legs',
    '(?:had|have|having|get|getting|got) [\'"‘“]?the (?:operation|procedure)\\b',
  ]),
  // Emotional abuse (the NSPCC's signs: humiliation, name-calling, rejection, screaming).
  ...terms(G, 'emotional_abuse', 'topic', [
    'being (?:screamed|shouted|yelled|sworn) at',
    '(?:calls?|called|calling) (?:him|her|them|me) [\'"‘“]?(?:useless|stupid|thick|worthless|pathetic|a mistake|the mistake|an idiot|a waste of space|names)',
    "wish(?:es|ed)? (?:I'd|I had|she'd|he'd|they'd|we'd) never (?:had|adopted) (?:you|him|her|them)|wish(?:es|ed)? (?:you|he|she|they) (?:had )?never (?:been born|existed)",
  ]),
  // Domestic abuse (SafeLives' DASH checklist: property damaged, fear of going back).
  ...terms(G, 'domestic_abuse', 'topic', [
    '(?:kicked|kicks|kicking|smashed|broke|punched) (?:the |her |our |his |a )?(?:front |back |bedroom |bathroom )?door (?:in|down)|kicked in the door|(?:punched|kicked) (?:a )?holes? in the (?:wall|door)',
    '(?:scared|frightened|terrified|afraid) to go back (?:home|there|to (?:him|her|the house))?',
  ]),
  // Sexual exploitation (the Home Office's CSE indicators: gifts, alcohol or drugs from older men).
  ...terms(G, 'exploitation', 'topic', [
    'older (?:men|man|boys|lads|guys) (?:give|gave|giving|gives|buy|bought|buying|buys|supply|supplying|supplies) (?:them|her|him|the girls|the boys) (?:alcohol|vodka|drink|drinks|drugs|pills|weed|cigarettes|vapes|money|phones|gifts)',
  ]),
];

/**
 * Third-person references, how a message about one pupil reads ("his medication", "she
 * disclosed"). Letters to every parent say "your child" and "his or her", which are not counted.
 */
/**
 * A sensitive term followed by one of these names the school's process, not a person's data:
 * "child protection training", "SEN policy", "mental health awareness week". Such a hit counts
 * only as context.
 *
 * Also an organisation named by its cause (h31-tune): "the Teenage Cancer Trust", "Diabetes UK",
 * "the National Autistic Society", "the local autism charity", "the British Dyslexia
 * Association". A charity's name says what it works on, not anyone's condition (UK GDPR special
 * category data is about an identifiable person; a sponsored run for a cancer charity is no one's
 * health record). Over every labelled set no confidential message has a term right before one of
 * these words.
 */
export const INSTITUTIONAL_NOUN =
  /^[\s-]+(?:trust|charity|charities|society|foundation|association|UK\b|training|twilights?|CPD|policy|policies|procedures?|course|lead|leads|team|officer|governor|audit|statement|information|awareness|workshop|week|day|display|posters?|certificates?|modules?|update|briefing|duty|champion|ambassadors?|curriculum|lessons?|leaflets?|newsletters?|toolkits?|templates?|checklists?|factsheets?|guidance|spotlight|resources?)\b/i;

/**
 * A sensitive term naming the kind of a thing (h22-tune): the term is a modifier, and the noun it
 * modifies, the head of the phrase, is an event, a document, a collection or a place, at most one
 * word further on: "the educational psychologist visit is confirmed", "a PEP meeting or a TAC in
 * there", "the Christmas food bank collection", "the payment plan forms", "a dyslexia screening
 * course". The sentence is then about the visit, the form or the collection, not anyone's data.
 * Read on the few characters after a hit (like `INSTITUTIONAL_NOUN`, which has the process nouns
 * right after the term), and only with `KIND_OF_THING_BEFORE` and no person in the sentence
 * (`detectors.ts`, `kindOfThing`): "Jayden's PEP meeting", "his EP visit", "Tom has a TAC
 * meeting", "the CIN meeting for the boy in 4C" stay about someone.
 */
export const KIND_OF_THING =
  /^[\s-]+(?:[a-z]+[\s-]+)?(?:collections?|appeals?|sales?|forms|paperwork|rotas?|timetables?|training|twilights?|CPD|policy|procedures?|course|courses|workshops?|display|posters?|leaflets?|resources?|guidance)\b/i;
/**
 * What stands before a term that names the kind of a thing (`KIND_OF_THING`): the start of the
 * sentence or a clause ("Fwd:", "Re:", a colon, a dash), or a determiner that owns nothing ("a",
 * "the", "any", "our", "this", "next"), with at most one word between ("the Christmas food bank
 * collection"). Not a possessive ("his", "her", "their", "Ellie's"), and not something someone
 * has ("has a", "had the", "got a"): "he has a PEP meeting" is his.
 */
export const KIND_OF_THING_BEFORE =
  /(?:^\s*|[:;(–—-]\s*|(?<!\b(?:has|have|had|having|got|gets|getting|with|attend|attends|attended|attending|for|about)\s+)\b(?:a|an|the|any|no|our|this|that|these|those|next|each|every)\s+(?:[A-Za-z]+\s+)?)$/i;

/**
 * A cause given to (h31-tune): "£213 raised for the food bank", "tins and packets for the food bank
 * in Kendal", "raising money for the National Autistic Society". The term names the charity or
 * service that receives the gift, not anyone's circumstances or condition: UK GDPR special
 * categories are data about an identifiable person, and a bake sale's proceeds are no one's
 * financial hardship. Read on the characters before a hit: a word of giving (money raised,
 * donations, a collection, tins, sponsorship), then within a few words "for the" or "to the local"
 * right before the term (`detectors.ts`, `givenToCause`). "Using the food bank", "a food bank
 * voucher", "referred to the food bank", "raised a concern with the LADO" give nothing and stay
 * someone's.
 */
export const GIVEN_TO_BEFORE =
  /(?:£\d[\d,.]* raised|\b(?:raised|raising|raise) (?:£|over |nearly |almost |about |more than |money|funds|\d)|\b(?:donat(?:ed|ing|ions?|e)|collections?|tins|packets|sponsor(?:ed|ship)?|fundrais(?:er|ing|ed))\b)[^.!?\n]{0,40}\b(?:for|to) (?:the |our |a )?(?:local |[A-Z][a-z]+ )?$/i;

/**
 * A thing, not a person, as the subject of a term told as a verb ("has been suspended", "was
 * excluded"): "your payroll has been suspended", "the account was suspended", "the fixture has
 * been suspended" (h18-tune: an IT warning about a phishing email). Read on the few characters
 * before a hit that starts with an auxiliary verb (`AUXILIARY_START`); such a hit is the word in
 * another sense, so it is no finding at all (not even context for the learned check). Things a school suspends or closes: accounts and logins, pay and payments, services,
 * clubs, fixtures, trips and works.
 */
export const THING_SUBJECT =
  /\b(?:account|accounts|login|logins|access|password|email|emails|website|system|server|subscription|licen[cs]e|card|membership|payroll|pay|payment|payments|direct debit|standing order|service|services|club|clubs|fixture|fixtures|match|matches|league|trip|trips|visit|visits|works|building work|project|scheme|sale|order|delivery|contract|app|portal|feed)['"’”]?\s+$/i;
export const AUXILIARY_START = /^(?:has|have|had|was|were|is|are|been|will|be)\b/i;

export const PERSONAL_REFERENCE = /\b(?:he|she|him|his|her|hers)\b/gi;

/**
 * A message addressed to a group ("Dear parents", "Hi all", "Dear colleagues"): with a general
 * framing word and no one named or referred to anywhere in it, the message is about a topic, not a
 * person (see `detectors.ts`, `aboutNobody`).
 */
/**
 * How staff refer to one child or family without a name: "the child", "this pupil", "a Year 10
 * girl", "Mum", "Dad", and to a parent "your daughter" (not "your child" or "your son or
 * daughter", which every letter home says). A message with these is about someone even with no
 * name or he/she in it.
 */
export const ANONYMISED_PERSON =
  /\b(?:(?:the|this|that) (?:child|pupil|student|girl|boy|young person|family|learner)|(?:an?|the|this|that) (?:year|Y) ?\d+ (?:pupil|girl|boy|student|child)|your (?:son|daughter)(?! or)|mum|dad|mummy|daddy|stepdad|stepmum|step-dad|step-mum)\b/i;

/**
 * What makes a whole message general mail (`aboutNobody`): narrower than `GENERAL_FRAMING`, which
 * judges one sentence, because words like "information" or "week" appear in any email.
 *
 * A group told what anyone in it may do (h16-tune): "Parents can request an assessment from the
 * local authority", "Families may appeal within 30 days", "Carers are entitled to ask for a
 * review". A statement of a process, rights or a timescale for a whole audience, not a case: the
 * plural noun is nobody in particular. Not "the parents can", "their parents may", "both carers
 * should" (someone's), and only with a verb of asking or applying, so "parents can't cope" or
 * "parents should be told" is not read as a process. The other guards of `aboutNobody` still
 * hold: a name, he/she, "Mum", "the child" or a role noun anywhere makes the message about
 * someone.
 */
export const GENERAL_MAIL =
  /(?<!\b(?:the|their|his|her|my|our|your|these|those|both|two|whose|its|Mum's|Dad's) )\b(?:parents|carers|families|parents and carers|staff|colleagues|employees|pupils|students) (?:can|may|should|could|are able to|are entitled to|have the right to|will be able to) (?:(?:also|still|now|usually|always|then) )?(?:request|apply|ask|appeal|self-refer|refer|contact|book|challenge|expect)\b|\b(?:training|course|webinar|workshop|polic(?:y|ies)|procedures?|guidance|assembly|lessons?|curriculum|scheme of work|newsletter|bulletin|leaflet|(?<!\bfor (?:your )?)awareness|INSET|mock trials?|e-learning|module|briefing|PSHE|RSE|vacancy|job description|person specification|closing date|spotlight|warning signs|toolkit|new staff|induction|numbers only|ACAS|line managers|anonymised|anonymized|no names|figures only|termly (?:safeguarding )?report|(?:discipline|disciplinary|exclusions?|pupil discipline) committee|(?:report|papers|pack) for governors|governors'? (?:report|papers|pack)|head(?:teacher)?'s report|full governing body|FGB|information report|(?:worried|concerned|concerns?|worries) (?:that|about) (?:a|any) (?:child|pupil|student|young person))\b/i;

export const GROUP_ADDRESS =
  /\b(?:dear|hi|hello|morning|good morning|afternoon)\s+(?:all|everyone|everybody|parents|families|carers|colleagues|staff|team|governors|headteachers|year \d+)\b/i;
/**
 * A sentence about anyone in a role, in the present tense: "when a colleague tells you she is
 * pregnant", "if a pupil says he is being hurt". Its he/she stands for that anyone, so with a
 * framing word and no name the sentence is still general (`sentenceIsGeneral`, h5-recall5).
 */
export const GENERIC_CONDITIONAL =
  /\b(?:if|when|once|whenever) (?:a|an|any) (?:child|pupil|student|young person|member of staff|colleague|employee|parent|carer)(?: [a-z]+)? (?:tells|says|discloses|is|has|asks|comes|needs|shares|reports|makes)\b/i;

/**
 * A disclosure that happened, in the past tense with a pronoun: "she told me", "he said", "she
 * showed me". Beside guidance ("when a child tells you something you must pass it on, and this
 * morning she told me her uncle hits her") the he/she is a real child, not the conditional's
 * anyone, so the sentence is not general (h6-recall6).
 */
export const PRONOUN_TOLD =
  /\b(?:(?:he|she|they) (?:told|said|showed|disclosed|mentioned|admitted|explained|whispered|wrote)|(?:told|showed) me)\b/i;

export const GENERIC_PRONOUN_PAIR =
  /\b(?:he|she|him|his|her)\s*(?:\/|or)\s*(?:he|she|him|his|her)\b/gi;

/**
 * Words that make a sentence about a topic in general: a course, a policy, a lesson, an awareness
 * day, a charity. A sensitive word in such a sentence, with no one named and no he/she in it,
 * counts only as context (see `generalMention` in `detectors.ts`).
 *
 * "Week" and "month" frame an awareness week or a history month, not a span of time: "since last
 * week", "for the last month", "next week", "every week" say when something happened (h16-tune).
 * So do "all week" and "this week" / "this month" (h17-tune: "off all week", "I had a
 * miscarriage this month"), unless a newsletter or an awareness week follows: "this week we're
 * looking at…", "this month's theme", "this week is Anti-Bullying Week" still frame.
 *
 * "How to" is guidance ("how to spot the signs"), but not a search someone typed or a question
 * someone asked ("searching 'how to make a pipe bomb'", "asked how to get hold of pills"):
 * that is what a person did (h16-tune).
 *
 * "Twilight" and "CPD" are how schools name staff training (an after-school session, continuing
 * professional development): "a twilight on dyslexia screening tools", "the dyslexia CPD", "our
 * autism outreach team are coming in for a twilight" (h28-tune; in `INSTITUTIONAL_NOUN` and
 * `KIND_OF_THING` too). Over every labelled set the detectors alone then warn on no confidential
 * message less; three ordinary ones no longer warn (sets 27, 29, 30).
 *
 * "For your awareness" (and "for awareness") is a courtesy that hands on a case, "for your
 * awareness as chair: a Section 47 enquiry has been opened for a Y1 pupil", not an awareness day
 * or campaign (h31-tune; in `GENERAL_MAIL` too). Over every labelled set each message with it is
 * confidential.
 */
export const GENERAL_FRAMING =
  /\b(?:training|twilights?|CPD|course|courses|webinar|session|sessions|workshop|(?<!\bfor (?:your )?)awareness|polic(?:y|ies)|procedures?|guidance|assembly|lessons?|units?|curriculum|topic|talk|briefing|bulletin|newsletter|leaflet|resources?|information|signs(?: of)?|(?<!(?:search(?:es|ed|ing)?|googl(?:e|es|ed|ing)|look(?:ed|ing)? up|typ(?:ed|ing)|ask(?:s|ed|ing)?) ['"‘“]?)how to|what to do|the law|illegal|mock trials?|role[- ]plays?|themes?|explores?|covers|covering|cover(?! (?:for|with|work|teachers?|supervisors?|staff|lessons?|arrangements|rota|is|was|will|needed|me|her|him|them|my|his|their)\b)|learn(?:ing)? about|study(?:ing)?|raising money|charity|society|(?<!\b(?:next|last|per|every|each|two|three|four|five|six|few|following|coming|same|whole|all|this) )(?:week|month)|\bthis (?:week|month)(?=,? (?:we|we're|we've|we'll|our|in|at|is|marks|sees|the)\b|['’]s\b)|helpline|NSPCC|website|e-learning|module|handbook|key adults|young people|children who|pupils who|any child|all staff|parents and carers|network|conference for schools|research|statistics|nationally|in the news|annual report|agenda|(?:if|when) (?:a|any) (?:child|pupil|student|young person|member of staff|colleague|employee)|some (?:children|pupils|students|families)|students who|families who|staff who|the employee|an employee|line managers?|ACAS|spotlight|warning signs|toolkit|template|new staff|per (?:primary |secondary )?pupil|rates|funding|budget|forecast|grant|allocation|numbers only|can apply|may be eligible|eligible for|families on|biology|chemistry|science|revision|homework|worksheet|GCSE|syllabus|scheme of work|PSHE|RSE|poems?|poetry|novels?|(?:deals?|dealing) with|explains? (?:how|what|why)|sets out how|speak(?:s|ing)? (?:about|on)|(?:children|pupils|students|young people|families) with|the (?:play|playwright|character|protagonist|narrator|poet|author)|anonymised|anonymized|no names|for governors|(?:worried|concerned) (?:that|about) (?:a|any) (?:child|pupil|student|young person))\b/i;

/**
 * Someone speaking at an event ("Mrs Ahmed will talk about how EHCP applications work at the SEND
 * information evening", "Carol from family support will be at the coffee morning to talk about
 * the food bank"): the name is the speaker's, not the subject's (h6-recall6). A sentence with
 * both, a framing word and no he/she, is general (`sentenceIsGeneral`).
 */
export const EVENT_SPEAKER =
  /\b(?:(?:will|to|'ll|is going to|are going to) (?:talk|speak|explain|present|give a talk|lead a session|run a session|run a workshop|answer questions)|(?:will be|is|are) (?:talking|speaking|explaining|presenting)|guest speakers?)\b/i;
export const EVENT =
  /\b(?:evening|open evening|morning|afternoon|session|assembly|workshop|webinar|event|drop-in|open day|conference|celebration|INSET)\b/i;

/**
 * A text studied in a lesson: its characters' he/she and names are fiction ("how Priestley uses
 * her pregnancy and death to criticise the Birlings"), unless a child told someone something
 * (`PRONOUN_TOLD`). With a framing word, such a sentence is general (h6-recall6).
 */
export const LITERATURE =
  /\b(?:the (?:play|novel|poem|playwright|poet|author|character|protagonist|narrator|extract)|An Inspector Calls|Macbeth|Romeo and Juliet|Of Mice and Men|Jekyll and Hyde|A Christmas Carol|Blood Brothers|Lord of the Flies|Priestley|Shakespeare|Dickens|Steinbeck|(?:we|they|pupils|students|the class) (?:looked at|explored|discussed|analysed|studied) how)\b/;

/**
 * A colleague named by their team ("Leanne in science is 12 weeks pregnant", "Dan from the
 * office has been off"): a subject, not a subject taught, so the sentence is about someone even
 * where "science" frames a lesson elsewhere (h6-recall6). Case-sensitive: the name is capitalised.
 */
export const COLLEAGUE_BY_TEAM =
  /\b(?!(?:Everyone|Anyone|Someone|Staff|Pupils|Students|Children|Those|All|Work|Homework|Year|Teachers|Nobody|Colleagues|Parents)\b)[A-Z][a-z]+ (?:in|from) (?:science|maths|English|history|geography|PE|music|art|drama|RE|computing|languages|MFL|DT|food tech|reprographics|the office|reception|finance|IT|the kitchen|catering|site|premises|HR|facilities|Year \d+)(?: department| team| office)? (?:is|has|was|had|will|who|isn't|hasn't|'s|’s)\b/;

/**
 * A pupil told by form group ("the pupil in 11S asked to be called Ash", "a student in 10M"): a
 * subject, so the sentence is about someone even where "lessons" frames it (h11-tune). The form
 * is a year and capital letters, as registers write it; "a pupil in Year 7" stays general.
 */
export const PUPIL_BY_FORM =
  /\b(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]|[Oo]ne) (?:pupil|student|child|girl|boy|learner|lad) in (?:my |our )?(?:1[0-3]|[1-9])[A-Z]{1,3}\b/;

/**
 * One family or pupil told by year or class, though the sentence reads as general (h13-tune):
 * "the family in Y3", "the dad in 5H", "the Y10 girl we talked about", "a Y9 pupil has told
 * me". Definite and singular, or "a Y9 pupil" with what happened; "families in Y3 can apply", "the
 * children in Year 3" and "a Y9 pupil could win a prize" stay general. Case-sensitive like
 * `PUPIL_BY_FORM`: the year is written Y9, Year 9 or a form (5H).
 */
export const FAMILY_BY_YEAR =
  /\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur) (?:family|mum|dad|twins|siblings|pupil|student|child|girl|boy|lad) (?:in|from) (?:(?:Y|Year )(?:1[0-3]|[1-9])(?:[A-Z]{1,3})?|(?:1[0-3]|[1-9])[A-Z]{1,3})\b|\b(?:[Tt]he|[Tt]his|[Tt]hat|[Oo]ur) (?:Y|Year )(?:1[0-3]|[1-9]) (?:pupil|student|girl|boy|child|lad)\b|\b(?:[Aa]|[Oo]ne) (?:Y|Year )(?:1[0-3]|[1-9]) (?:pupil|student|girl|boy|child|lad) (?:has|had|was|is being|told|said|disclosed|came|admitted|mentioned|showed|who has|who was)\b/;

/**
 * A family's circumstances told as "they're on universal credit", "they've been on benefits"
 * (h13-tune): a present state of known people, unless the sentence is a condition ("if they're on
 * universal credit they may be eligible": `CONDITION_WORD`).
 */
export const THEY_ON_BENEFITS =
  /\b[Tt]hey(?:'re|’re| are|'ve been|’ve been| have been| were) (?:now |still |both |only )?on (?:universal credit|UC|benefits|ESA|JSA|PIP|income support|tax credits)\b/;
export const CONDITION_WORD = /\b(?:if|when|whether|unless|once)\b/i;

/**
 * One person told by a role, a class or a relative instead of a name or he/she (h14-tune): "the
 * boy in 4C", "a Y12 student", "the little one in Reception", "one of the TAs", "one of the 5
 * year olds", "the twins", "2M child", "Jack's older brother". Case-sensitive like
 * `PUPIL_BY_FORM`: a year is written Y9 or Year 9, a form 5H. Used by `personCueNear` and
 * `aboutNobody` in `detectors.ts`; the framing of `sentenceIsGeneral` is judged before it, so "a
 * Y12 student will give a talk on mental health" stays general. Since h17-tune also "Y9 lad",
 * "Y8 girl" without an article (singular) and "two/three/four of our Y9/Y10 pupils".
 */
export const ROLE_PERSON =
  /\b(?:(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]|[Oo]ne|[Oo]ur|[Mm]y) (?:boy|girl|lad|child|kid|pupil|student|learner|young person|little one|TA|teaching assistant|colleague|teacher|member of staff|twins?) (?:in|from) (?:my |our )?(?:(?:Y|Year )(?:1[0-3]|[1-9])(?:[A-Z]{1,3})?|Reception|Nursery|(?:1[0-3]|[1-9])[A-Z]{1,3})|(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Oo]ne) (?:Y|Year )(?:1[0-3]|[1-9]) (?:pupil|student|girl|boy|child|lad|kid)|(?:1[0-3]|[1-9])[A-Z]{1,2} (?:child|pupil|boy|girl|kid|student)|Y(?:1[0-3]|[1-9]) (?:lad|girl|boy|kid)|[Oo]ne of (?:the|our|my) (?:TAs|teachers|cleaners|lunchtime staff|support staff|twins|Y\d+s|Year \d+s|\d+ year olds|(?:Y|Year )\d+ (?:girls|boys|lads|pupils|students))|(?:[Tt]wo|[Tt]hree|[Ff]our) of (?:the|our|my) (?:Y|Year )\d+(?:\/(?:Y|Year )?\d+)? (?:girls|boys|lads|pupils|students)|[Tt]he twins|[A-Z][a-z]+'s (?:older |younger |big |little |twin |step-?)?(?:brother|sister|mum|dad|mother|father|nan|grandad|uncle|aunt|auntie|cousin))\b/;

/**
 * The writer's own case, or one pupil as "they" (h14-tune): "I'm", "I've", "my", "they've".
 * Not "their" or "them", which as often mean things ("in their original packaging", "book them
 * via the SENCo"). Only in the sentence of the sensitive word, and only when that sentence is not a
 * condition ("if they are on benefits they can apply": `CONDITION_WORD`) or framed as general
 * (judged before, in `sentenceIsGeneral`). Since h17-tune also the second person ("your
 * suspension", "you're"), in a letter to the person concerned; not "your form", "your class",
 * "your child" and the like, which name a group or whom a letter home is for.
 */
export const SELF_OR_THEY =
  /\b(?:I'm|I am|I've|I have|I had|I was|I'd|[Mm]y|[Tt]hey|[Tt]hey're|[Tt]hey've|[Tt]hey'd|[Yy]ou're|[Yy]ou've|[Yy]our(?! (?:form|forms|class|classes|team|teams|department|tutor group|group|groups|students|pupils|children|child|year|staff|colleagues|school|own)\b))\b/;

/**
 * The writer doing their job (h17-tune): "I'm reviewing the SEND register", "I will update the
 * CP log", "I have to chair the disciplinary panel". The first person here is who does the work,
 * not whom it is about, so it is taken out of the sentence before `SELF_OR_THEY` looks for a cue
 * ("my" or "they" left in the sentence still count).
 */
export const WRITER_AT_WORK =
  /\bI(?:'m| am|'ll| will| have to| need to| want to|'ve been asked to| was asked to| was going to)? (?:(?:just|also|currently|still) )?(?:review(?:ing)?|updat(?:e|ing)|run(?:ning)?|lead(?:ing)?|organis(?:e|ing)|plan(?:ning)?|deliver(?:ing)?|prepar(?:e|ing)|check(?:ing)?|compil(?:e|ing)|collat(?:e|ing)|chair(?:ing)?|audit(?:ing)?|book(?:ing)?|send(?:ing)? out|put(?:ting)? together|draft(?:ing)?|tidy(?:ing)?|print(?:ing)?)\b/g;

/**
 * SEN provision named as a thing, not a need (h37-tune): "the sensory room", "sensory circuits",
 * "a scribe", "a reader", "access arrangements", "rest breaks". A pupil's scribe is SEN data when
 * the message says why ("her dyslexia", "on the SEN register", an EHCP), but said beside "she" and
 * nothing else it is usually logistics: petty cash for the sensory room, a scribe for a broken
 * wrist, "more bubbles please" in sensory circuits. So a person cue alone does not lift these
 * topic words to medium; another vocabulary word within reach, an identifier or an attachment's
 * name still does (`detectors.ts`, `personCueIsNotEnough`). The SEND Code of Practice's needs and
 * diagnoses ("dyspraxia", "EHCP", "working memory") are not in this list: broader, the rule lost
 * seven real SEN catches on the development sets.
 */
export const SEN_PROVISION =
  /^(?:sensory\s+(?:rooms?|breaks?|circuits?)|an?\s+(?:scribe|reader|prompter)|access\s+arrangements|rest\s+breaks?)$/i;

/**
 * A place someone is in, read right before a `SEN_PROVISION` word: "in the sensory room", "into
 * sensory circuits", "back from the sensory room". A pupil there is told of (the SEND Code's
 * provision as it happens to a child), so a person cue still lifts it.
 */
export const SOMEWHERE_BEFORE = /\b(?:in|into|to|from|out of)\s+(?:the\s+|a\s+)?$/i;

/**
 * A member of staff off for the day with a migraine (h37-tune): "Lowri's off with a migraine so
 * I'll cover", "I'm off sick today with a migraine. Cover work is on my desk". Read in the hit's
 * sentence. A migraine is health data, but a one-day absence in a cover request is the everyday
 * logistics every school runs on; what HR guards is the record, so any of `SICKNESS_RECORD`'s words
 * anywhere in the message keeps the hit (every confidential migraine message in the development
 * sets is a sickness record, a trigger or a list of absences).
 */
export const OFF_TODAY_WITH_MIGRAINE =
  /\b(?:off|sick|home|not in|won't be in)\b[^.!?\n]{0,25}\bwith (?:a |another )?migraine\b/i;

/** The words of a sickness record (`OFF_TODAY_WITH_MIGRAINE`): counts, triggers, stages, notes. */
export const SICKNESS_RECORD =
  /\b(?:days|episodes?|triggers?|stage|absences|spells|Bradford|sickness record|times|fit notes?|again)\b/i;

/**
 * Staff logistics around a safeguarding word (h37-tune): a colleague at a child protection
 * conference all day, the DSL refresher on county lines, a PEP meeting in the meeting room, a foster
 * carer recruitment evening, a cover request. The word names the meeting or the course a member of
 * staff attends, not a child's case. Phrasal on purpose: a looser list ("room", "training", "cover"
 * on their own) quieted real disclosures ("comes into her room at night", "after training … made
 * him take his clothes off"). Read in the hit's sentence; for a topic word also in the sentence
 * before ("Ceri and I are on the DSL refresher. It's the one on county lines"). `detectors.ts`,
 * `staffLogistics`, quiets a medium safeguarding finding only when every other finding in reach is
 * one too.
 */
export const STAFF_LOGISTICS =
  /\b(?:(?:is|am|are|I'm|we're|I am|we are|will be) (?:at|on) (?:a|an|the) (?:[\w'-]+ ){0,4}(?:conference|course|training|refresher|evening)|refresher|on (?:a|the) (?:[\w'-]+ ){0,3}(?:course|training)|meeting room|recruitment (?:evening|event|drive)|need cover|cover please)\b/i;

/**
 * A course a member of staff is on (`STAFF_LOGISTICS`'s course words): its subject may be a harm
 * ("the refresher on county lines and exploitation"). Any other frame (a conference attended, a
 * meeting room, a recruitment evening, a cover request) quiets only the social-care process's own
 * words (`SOCIAL_CARE_PROCESS`): "at a child protection conference all day about Leo, who came in
 * with a black eye" still tells a harm.
 */
export const STAFF_COURSE = /\b(?:refresher|course|training)\b/i;

/** The social-care process's categories: its meetings and people, not a harm told. */
export const SOCIAL_CARE_PROCESS: ReadonlySet<string> = new Set([
  'child_protection',
  'social_care',
  'looked_after',
]);
