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
  return patterns.map((pattern) => ({ pattern, type, category, tier, caseSensitive }));
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
  keep: '(?:keep(?:s|ing)?|kept)',
  leave: '(?:leav(?:e|es|ing)|left)',
  put: 'put(?:s|ting)?',
  sit: '(?:sit(?:s|ting)?|sat)',
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

/** Someone a harm is done to, as staff write it down: "him", "her", "Mum", "his sister". */
const VICTIM =
  '(?:him|her|them|me|us|mum|mummy|dad|daddy|his (?:mum|mother|sister|brother)|her (?:mum|mother|sister|brother)|their (?:mum|mother)|my (?:mum|mother|sister|brother))';
const HARM_VERBS = verbs(
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
);
const SEXUAL_VERBS = verbs('touch', 'grope', 'fondle', 'rape', 'molest', 'undress', 'expose');
const RELATIVE =
  "(?:mum|mum's|mother|dad|dad's|father|step-?dad|step-?mum|stepfather|stepmother|partner|boyfriend|girlfriend|uncle|aunt|auntie|nan|nana|grandad|grandma|cousin|brother|sister)";

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
    `${HARM_VERBS} ${VICTIM}`,
    // The harm told by where it landed: "squeezed his neck", "pulled her hair".
    `${verbs('squeeze', 'twist', 'pull', 'grab', 'hit', 'punch', 'slap', 'kick', 'strangle', 'choke', 'burn', 'scratch')} (?:his|her|their|my) (?:neck|throat|arms?|face|head|hair|wrists?|ears?|legs?)`,
    "(?:couldn't|could not|can't|cannot) breathe",
    'belt marks?',
    '(?:got|get|gets|getting) the (?:belt|slipper|stick)',
    `${verbs('lock')} (?:him|her|them|me) in`,
    '(?:with|using) (?:a|the|his|her) (?:belt|slipper|stick|cable|wooden spoon|hairbrush)',
    'body map',
    'bite mark',
  ]),
  ...terms(G, 'physical_abuse', 'topic', [
    'bruis(?:e|es|ed|ing)',
    'marks on (?:his|her|their|both)',
    'nearly passed out',
  ]),
  // --- KCSIE: emotional abuse -------------------------------------------------------------------
  ...terms(G, 'emotional_abuse', 'status', [
    "(?:doesn't|does not|didn't|did not|won't) want to go (?:back )?home",
    '(?:scared|frightened|terrified|afraid) (?:of|to go home|to tell)',
    '(?:if (?:he|she|they) tells?|not to tell) (?:anyone|anybody)',
    '(?:keep|kept) (?:it|this) (?:a )?secret',
    `(?:threaten(?:s|ed|ing)?|said) (?:he'd|she'd|he would|she would|to) (?:kill|hurt)`,
    // KCSIE: emotional abuse "conveying to a child that they are worthless or unloved".
    `${verbs('tell', 'call', 'say')} (?:him|her|them|me) (?:that )?(?:(?:he|she|they|I)(?:'s|'re|'m| is| are| am) )?(?:useless|worthless|stupid|a mistake|unwanted|nothing)`,
    'nobody (?:wants|loves) (?:him|her|them|me)',
    'wish(?:es|ed)? (?:he|she|they|I) (?:had )?(?:never been born|was dead|were dead)',
    `${verbs('make')} (?:him|her|them|me) (?:stand|sleep|stay|sit|wait) (?:outside|in the garden|in the cold|in the rain|in the dark)`,
    '(?:promise|promised|swear|swore) not to tell',
  ]),
  ...terms(G, 'emotional_abuse', 'topic', [
    `${verbs('shout', 'scream', 'swear')} at (?:him|her|them|me)`,
  ]),
  // --- KCSIE: sexual abuse, child-on-child abuse and online sexual harm ---------------------------
  ...terms(G, 'sexual_abuse', 'status', [
    `${SEXUAL_VERBS} ${VICTIM}`,
    'sit on (?:his|her) lap',
    `${verbs('get', 'climb', 'come')} (?:into|in) (?:his|her|my|their) (?:bed|bedroom)`,
    'sex(?:ual)? act',
    'sat on (?:his|her) face',
    'sexual(?:ly)? (?:assault(?:ed)?|harass(?:ed|ment)?|touching)',
    'raped',
    'upskirt(?:ing)?',
    "photos? up (?:girls'|her|their) skirts?",
  ]),
  ...terms(G, 'online_sexual_harm', 'status', [
    '(?:nudes?|semi-nudes?|naked (?:pic(?:ture)?s?|photos?|images?|videos?))',
    '(?:pic(?:ture)?s?|photos?|images?|videos?) of (?:him|her|them)(?:self|selves)? (?:naked|topless|undressing|without)',
    '(?:topless|naked|nude|explicit|indecent|sexual) (?:pic(?:ture)?s?|photos?|images?|videos?|selfies?)',
    'without (?:a|her|his) top',
    'take (?:his|her|their) clothes off',
    'sextortion',
    'threatening to (?:send|post|share) (?:her|his|their|the) (?:pictures|photos|images|videos|pics)',
  ]),
  ...terms(G, 'online_sexual_harm', 'topic', [
    'naked',
    'topless',
    'undressing',
    'groom(?:ed|ing)?',
    'video call',
    'webcam',
    'gift cards?',
    '(?:being|been|was) (?:shared|passed round|sent round|going round)',
    'going round (?:instagram|snapchat|whatsapp|the school)',
    'met (?:online|on (?:a )?(?:gaming|dating)? ?(?:app|roblox|snapchat|instagram|tiktok|discord))',
  ]),
  ...terms(G, 'child_on_child', 'topic', [
    `${verbs('hold')} (?:him|her|them) down`,
    `${verbs('film')} (?:it|him|her|them)`,
  ]),
  // --- KCSIE: neglect ---------------------------------------------------------------------------
  ...terms(G, 'neglect', 'topic', [
    'no food',
    'hungry',
    'smell(?:s|ed|ing)? (?:strongly )?of (?:urine|wee)',
    'unwashed',
    'not been (?:bathed|washed)',
    'no coat',
    'no socks',
    'holes in (?:his|her|their) shoes|shoes with holes',
    'head lice',
    'untreated',
    '(?:left|were) (?:alone|on (?:their|his|her) own)',
    '(?:collected|picked up) (?:an hour |very )?late',
    "(?:wasn't|was not|hadn't been|not been|still hadn't been|nobody|no one) collected",
    'no heating',
    'electric(?:ity)? (?:has )?run out',
    "(?:hasn't|has not|haven't|didn't|did not) taken? (?:him|her|them) to (?:the|a) (?:dentist|doctor|GP|optician)",
    'asked (?:for more|if (?:he|she) could take)',
  ]),
  // --- KCSIE: child sexual and criminal exploitation, county lines ----------------------------------
  ...terms(G, 'exploitation', 'topic', [
    '(?:run|running|carry|carrying|holding|selling|dealing|deal) (?:drugs|packages|parcels)',
    '(?:drugs? )?(?:dealer|dealing|dealers)',
    'going country|out country|sent country',
    '(?:two|multiple|several) phones',
    'unexplained (?:cash|money|gifts)',
    '(?:owes|owe|owed) (?:money|a debt)',
    "a debt (?:he|she|they) (?:can't|cannot) pay",
    'older (?:men|lads|boys|man)',
    '\\d{2}-year-old man',
    'picked up (?:after school )?by',
    'new (?:trainers|phone|clothes)',
    'missing (?:overnight|from home)|been missing|went missing|reported missing',
    'exploit(?:ed|ation)',
    'STI',
  ]),
  // --- KCSIE: domestic abuse ------------------------------------------------------------------------
  ...terms(G, 'domestic_abuse', 'status', [
    `${verbs('threaten')} (?:her|him|mum|them) with a knife`,
    `${verbs('pin')} (?:her|him|mum) (?:against|to)`,
    'fled to (?:a )?refuge',
  ]),
  ...terms(G, 'domestic_abuse', 'topic', [
    'coercive control',
    'controlling',
    'refuge',
    'screaming',
    'smashing things',
    'checks her phone',
    'takes her bank card',
  ]),
  // --- KCSIE: FGM, forced marriage, radicalisation ---------------------------------------------------
  ...terms(G, 'fgm_forced_marriage', 'status', [
    '(?:will be|to be|being|get|getting) ["\'“‘]?cut\\b',
    // KCSIE Annex B and the multi-agency FGM guidance: a "special procedure" or ceremony to
    // "become a woman", a girl "cut" or "circumcised", a long trip to the family's country.
    '(?:been|was|were|had (?:it|this) done|got) ["\'“‘]?cut\\b',
    '(?:special|secret) (?:procedure|ceremony)',
    'become a (?:woman|proper woman)',
    'circumcis(?:e|ed|ion)',
    // Forced marriage: a marriage arranged for a pupil, a spouse found, a passport taken.
    `(?:arranged|arranging|forced|forcing|made|making) (?:for )?(?:him|her|them) to (?:be )?marr(?:y|ied)`,
    '(?:found|chosen|picked|arranged) (?:him|her|them) a (?:wife|husband|bride)',
    '(?:to be|be|get|getting|is being) married (?:to a (?:man|woman|cousin)|off|abroad)',
    'marr(?:y|ied|iage to) (?:a|her|his) cousin',
    'passport (?:has been |was |had been )?(?:taken|confiscated|kept)',
  ]),
  ...terms(G, 'radicalisation', 'topic', [
    'extremis[mt]s?',
    'far[- ]right',
    'neo-?nazi',
    'jihad(?:i|ist)?',
    '(?:white race|great replacement)',
    'terroris[mt]',
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
    'supervised contact',
    'contact arrangements',
    'birth (?:mum|mother|dad|father|parents?)',
    'parental responsibility',
    'duty social worker',
    'section 20',
    'family court',
    'final hearing',
    '(?:kinship|foster) (?:carer|mum|dad|placement)',
    'sex offenders? register',
  ]),
  // --- Parents' and carers' risks (KCSIE: "the wider environment"; Working Together: parental
  // substance misuse) -------------------------------------------------------------------------------
  ...terms(G, 'parental_risk', 'topic', [
    'drunk',
    'drinking',
    'intoxicated',
    'slurring',
    'smell(?:ing|s)? (?:strongly )?of (?:drink|alcohol|cannabis|weed)',
    'heroin',
    'crack',
    'cocaine',
    'cannabis',
    'methadone',
    'needles',
    'gambling',
    'addict(?:ion|ed)?',
    'alcoholic',
    'alcohol (?:dependency|misuse|problem)',
    'drug use',
  ]),
  // --- UK GDPR Art. 10: criminal offence data -------------------------------------------------
  ...terms(S, 'criminal', 'status', ['arrested', 'referral order', 'in prison', 'charged with']),
  // --- UK GDPR Art. 9: health, including mental health and pregnancy -------------------------------
  ...terms(S, 'health', 'status', [
    'type [12] diabet(?:ic|es)',
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
  ]),
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
  ]),
  // --- UK GDPR Art. 9: sexual orientation and gender identity ---------------------------------------
  ...terms(S, 'sexuality', 'status', [
    "(?:he|she|they|he's|she's|they're) (?:is |are |was )?(?:a )?(?:gay|lesbian|bi|bisexual|queer|pansexual)\\b",
    "(?:he's|she's|they're|is|are) (?:trans|transgender|non-binary)",
    'socially transition(?:ing|ed)?',
    'gender clinic',
    'use (?:he/him|she/her|they/them)',
    'to be (?:called|known as)',
  ]),
  ...terms(S, 'sexuality', 'topic', ['pronouns', 'he/him', 'she/her', 'they/them']),
  // --- UK GDPR Art. 9: religion and ethnicity about a person ----------------------------------------
  ...terms(S, 'religion', 'status', [
    '(?:family|families|he|she|they) (?:are|is) (?:practising |devout )?(?:Muslims?|Jewish|Hindus?|Sikhs?|Catholics?|Christians?|Jehovah)',
    '(?:start|started|wearing|wears|wear) (?:a )?(?:hijab|headscarf|turban|niqab)',
  ]),
  ...terms(S, 'ethnicity', 'status', []),
  // --- UK GDPR Art. 9: trade union membership ----------------------------------------------------------
  ...terms(S, 'trade_union', 'status', [
    '(?:is a |as a )?member of (?:the )?(?:NEU|NASUWT|NAHT|UNISON|GMB|ASCL|Unite|Voice)',
    "(?:his|her|their|[A-Z][a-z]+'s) (?:NEU |NASUWT |NAHT |UNISON |GMB |union )?rep",
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
  ]),
  ...terms(S, 'sen', 'topic', [
    'dyspraxia',
    'a reader',
    'a scribe',
    'rest breaks',
    'separate room',
    'writing slope',
    'SEND register',
  ]),
  // --- Financial hardship (seed policies: "financial matters"; FSM and pupil premium records) ------
  ...terms(S, 'financial_hardship', 'status', [
    "(?:on|receives?|claims?|claiming) (?:Universal Credit|jobseeker'?s?|JSA|ESA|PIP|income support|child benefit|benefits)",
    '(?:should be|is|are|now|be) eligible for free (?:school )?(?:meals|dinners)',
    'household income (?:is|of|now)',
    '(?:is|was) sanctioned',
    'food bank voucher',
    'behind (?:on|with) (?:the|their|her|his|our) (?:rent|mortgage|bills)',
    'rent arrears',
    '(?:facing|threatened with) eviction|been evicted|eviction notice',
    'skipping meals',
    "(?:can't|cannot|couldn't) afford (?:food|to eat|the rent|the electric|heating|uniform|shoes)",
    '(?:Universal Credit|benefits?) (?:has|have) been (?:stopped|cut|sanctioned)',
    'no money for (?:food|the (?:electric|gas|meter|rent))',
    'payment plan',
    'struggling with debt',
  ]),
  ...terms(S, 'financial_hardship', 'topic', ['food bank', 'PP register']),
  // --- Staff HR (seed policies: confidential staff information) ---------------------------------------
  ...terms(S, 'staff_hr', 'status', [
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
    'misconduct investigation',
    '(?:off|absence) (?:for|with) (?:work-related )?stress',
    'fit note',
    'off site while we investigate',
    'alleg(?:ed|ation) that (?:he|she|mr|mrs|ms|miss)',
    'a parent has alleged',
  ]),
];

export const VOCABULARY: readonly VocabularyTerm[] = [
  ...TAXONOMY,
  // --- Health (Art. 9) -------------------------------------------------------------------------
  ...terms(S, 'health', 'status', [
    'diagnosed with',
    'diagnosis of',
    'has been diagnosed',
    'awaiting (?:a |an )?(?:diagnosis|assessment for (?:ADHD|autism|ASD))',
    'suffers? from',
    'prescribed',
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
    'pregnan(?:t|cy)',
  ]),
  ...terms(S, 'health', 'context', [
    'medical(?: conditions?| needs| history| records?)?',
    'health(?: needs| condition)?',
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
    'SEN register',
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
    'educational psychologist',
    'access arrangements',
    'extra time in (?:his|her|their) exams',
    'IEP',
    'provision map',
    '1:1 support',
    'one[- ]to[- ]one support',
  ]),
  ...terms(S, 'sen', 'context', ['SENCo', 'SENDCo', 'SEND', 'SEN', 'special educational needs']),
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
    'Muslim',
    'Jewish',
    'Hindu',
    'Sikh',
    'Buddhist',
    'Catholic',
    "Jehovah's Witness(?:es)?",
    'atheist',
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
  ]),
  ...terms(S, 'ethnicity', 'context', ['ethnicity', 'ethnic origin', 'racial', 'traveller']),
  ...terms(S, 'sexuality', 'status', [
    'sexual orientation',
    'came out as',
    '(?:is|identifies as) (?:gay|lesbian|bisexual|transgender|trans|non-binary)',
    'gender (?:transition|dysphoria)',
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
    'Channel referral',
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
    '(?:hits|hit|hurts|hurt|kicks|kicked|punched|slapped|smacked|beats|beat|touched) (?:him|her|them)',
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
];

/**
 * Third-person references, how a message about one pupil reads ("his medication", "she
 * disclosed"). Letters to every parent say "your child" and "his or her", which are not counted.
 */
/**
 * A sensitive term followed by one of these names the school's process, not a person's data:
 * "child protection training", "SEN policy", "mental health awareness week". Such a hit counts
 * only as context.
 */
export const INSTITUTIONAL_NOUN =
  /^[\s-]+(?:training|policy|policies|procedures?|course|lead|leads|team|officer|governor|audit|statement|information|awareness|workshop|week|day|display|posters?|certificates?|modules?|update|briefing|duty|champion|ambassadors?|curriculum|lessons?)\b/i;

export const PERSONAL_REFERENCE = /\b(?:he|she|him|his|her|hers)\b/gi;

/**
 * A message addressed to a group ("Dear parents", "Hi all", "Dear colleagues"): with a general
 * framing word and no one named or referred to anywhere in it, the message is about a topic, not a
 * person (see `detectors.ts`, `aboutNobody`).
 */
/**
 * How staff refer to one child or family without a name: "the child", "this pupil", "a Year 10
 * girl", "Mum", "Dad". A message with these is about someone even with no name or he/she in it.
 */
export const ANONYMISED_PERSON =
  /\b(?:(?:the|this|that) (?:child|pupil|student|girl|boy|young person|family|learner)|an? (?:year|Y) ?\d+ (?:pupil|girl|boy|student)|mum|dad|mummy|daddy|stepdad|stepmum|step-dad|step-mum)\b/i;

/**
 * What makes a whole message general mail (`aboutNobody`): narrower than `GENERAL_FRAMING`, which
 * judges one sentence, because words like "information" or "week" appear in any email.
 */
export const GENERAL_MAIL =
  /\b(?:training|course|webinar|workshop|polic(?:y|ies)|procedures?|guidance|assembly|lessons?|curriculum|scheme of work|newsletter|bulletin|leaflet|awareness|INSET|e-learning|module|briefing|PSHE|RSE)\b/i;

export const GROUP_ADDRESS =
  /\b(?:dear|hi|hello|morning|good morning|afternoon)\s+(?:all|everyone|everybody|parents|families|carers|colleagues|staff|team|governors|headteachers|year \d+)\b/i;
export const GENERIC_PRONOUN_PAIR =
  /\b(?:he|she|him|his|her)\s*(?:\/|or)\s*(?:he|she|him|his|her)\b/gi;

/**
 * Words that make a sentence about a topic in general: a course, a policy, a lesson, an awareness
 * day, a charity. A sensitive word in such a sentence, with no one named and no he/she in it,
 * counts only as context (see `generalMention` in `detectors.ts`).
 */
export const GENERAL_FRAMING =
  /\b(?:training|course|courses|webinar|session|sessions|workshop|awareness|polic(?:y|ies)|procedures?|guidance|assembly|lessons?|units?|curriculum|topic|talk|briefing|bulletin|newsletter|leaflet|resources?|information|signs(?: of)?|how to|what to do|the law|illegal|themes?|explores?|covers?|covering|learn(?:ing)? about|study(?:ing)?|raising money|charity|society|week|month|helpline|NSPCC|website|e-learning|module|handbook|key adults|young people|children who|pupils who|any child|all staff|parents and carers|network|conference for schools|research|statistics|nationally|in the news|biology|chemistry|science|revision|homework|worksheet|GCSE|syllabus|scheme of work|PSHE|RSE)\b/i;
