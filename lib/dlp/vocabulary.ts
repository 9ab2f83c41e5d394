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

export const VOCABULARY: readonly VocabularyTerm[] = [
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
  ...terms(S, 'sen', 'status', [
    '(?:has|have|with|holds?|got) an? (?:EHCP|EHC plan|education,? health and care plan)',
    'SEN register',
    'EHC needs assessment',
    'statement of SEN',
    'on the SEN register',
    'SEN support plan',
    'annual review of (?:his|her|their) (?:EHCP|EHC plan|statement)',
    'one[- ]page profile',
    'statutory assessment',
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
    'section 47',
    's\\.?47 (?:enquiry|investigation)',
    'section 17',
    'strategy (?:meeting|discussion)',
    'child protection (?:conference|case conference|referral|concern|register|file|records?)',
    'CP (?:file|records?|chronology|concerns?|referral)',
    '(?:scared|frightened|afraid) (?:to go|of going) home',
    'initial child protection',
    "referral to (?:MASH|children's social care|social services|the police|Channel|Prevent)",
    'MASH referral',
    'Prevent referral',
    'Channel referral',
    'LADO',
    'allegation (?:against|about) (?:a |the )?(?:member of staff|teacher|staff member)',
    'disclosed (?:that|to)',
    'made a disclosure',
    'sexual(?:ly)? abuse[ds]?',
    'physical(?:ly)? abuse[ds]?',
    'emotional abuse',
    'domestic (?:abuse|violence)',
    'neglect(?:ed)? (?:at home|concerns?)',
    'FGM',
    'female genital mutilation',
    'forced marriage',
    'child sexual exploitation',
    'CSE',
    'child criminal exploitation',
    'CCE',
    'county lines',
    'radicali[sz]ation',
    'bruis(?:e|es|ing) (?:on|to) (?:his|her|their)',
    'unexplained (?:bruis\\w*|injur\\w*|marks)',
    'non-molestation order',
    'care proceedings',
    'interim care order',
    'missing from (?:home|care|education)',
    'reported missing',
    'not safe at home',
    'at risk of (?:significant )?harm',
  ]),
  ...terms(G, 'child_protection', 'topic', [
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
export const GENERIC_PRONOUN_PAIR =
  /\b(?:he|she|him|his|her)\s*(?:\/|or)\s*(?:he|she|him|his|her)\b/gi;
