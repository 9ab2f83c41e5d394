/**
 * The learned check (issue 13): a small linear model over the message's words (unigrams and
 * bigrams) and the built-in detectors' findings, trained offline in Node on the labelled staff
 * mail (`scripts/train-send-model.ts`) and shipped as weights (`learned-model.ts`, generated).
 * It runs here, in the page, on text that never leaves it.
 *
 * What it may do, and what it may not:
 * - ADD a finding of its own (`learned`, medium) when its score is at or over `addThreshold` (for
 *   a model that sets `shortWords`, higher on a shorter message: `addThresholdFor`, h27-tune; the
 *   shipped model sets none since session 28; `nobodyExtra` more on mail that refers to no one,
 *   h28-tune) and no other finding would warn: a person's data
 *   in words no vocabulary term covers. The finding names the phrases that weighed most, so the
 *   warning can say why.
 * - QUIET the vocabulary's findings (`special_category`, `safeguarding`: their confidence drops to
 *   low, under the default threshold) when its score is at or below `quietThreshold` and they are
 *   the only findings that would warn: a newsletter, training notice or governors' figures.
 * - NEVER touch anything else: identifiers with a valid check (UPN, NHS number, NI number, card,
 *   …), addresses, lists of people, credentials, and the school's own patterns and word lists
 *   (`custom`) always warn as the detectors say.
 *
 * A school turns it off with `compose.disabledDetectors: ["learned"]` (then it neither adds nor
 * quiets anything).
 */
import type { Detection, FindingType } from './detectors.ts';
import { LEARNED_MODEL } from './learned-model.ts';
import { GIVEN_NAMES, isGivenName } from './names.ts';
import { featureName, nearMissesOf } from './near-miss.ts';

/** The detectors' finding types the learned check may quiet: words, not identifiers. */
export const QUIETABLE: ReadonlySet<FindingType> = new Set(['special_category', 'safeguarding']);

const RANK = { low: 1, medium: 2, high: 3 } as const;

/** A message's text as the model reads it: subject, body and attachment names. */
export type LearnedInput = { subject: string; body: string; attachmentNames: readonly string[] };

/** Lower case, typographic apostrophes read as straight ones (as the detectors read them). */
function normalise(text: string): string {
  return text.toLowerCase().replace(/[‘’]/g, "'");
}

const DIGITS = /[0-9]+/g;

/** The words as a regular expression (the reference `words` is tested against). */
export const WORD = /[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*/g;

/** What a capitalised given name becomes: one feature for every name (never a word's spelling). */
export const NAME = '_name';

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
const isApostrophe = (c: number): boolean => c === 39 || c === 0x2018 || c === 0x2019;

/**
 * Words in order, in one pass by character code (the matches of `WORD` after curly apostrophes
 * are made straight): runs of letters and digits with inner apostrophes ("mum's", "won't"), lower
 * case; digit runs become "0" so "12 weeks" and "20 weeks" are one feature; a capitalised common
 * given name becomes `_name` ("Mason's mum" → "_name's mum"), so the model learns that someone is
 * named, not which names the training mail happened to use.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let digits = false;
    let apostrophe = -1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isWordChar(c)) {
        if (c >= 48 && c <= 57) digits = true;
        i++;
      } else if (isApostrophe(c) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
        if (apostrophe < 0) apostrophe = i - start;
        i++;
      } else break;
    }
    let w = text.slice(start, i);
    if (apostrophe >= 0) w = w.replace(/[‘’]/g, "'");
    const first = w.charCodeAt(0);
    if (first >= 65 && first <= 90) {
      const base = apostrophe < 0 ? w : w.slice(0, apostrophe);
      if (isGivenName(base)) {
        out.push(apostrophe < 0 ? NAME : `${NAME}${w.slice(apostrophe).toLowerCase()}`);
        continue;
      }
    }
    const lower = w.toLowerCase();
    out.push(digits ? lower.replace(DIGITS, '0') : lower);
  }
  return out;
}

/**
 * Features that come from the detectors' findings (prefixed `#`, never a word): which types, and
 * which vocabulary groups, were found at any confidence. Not whether they would warn: the
 * detectors were tuned on the training sets, so there their warnings are nearly always right, and
 * a model given them learns to echo them (tried: out of fold it then quieted nothing on the one
 * set the detectors were not tuned on). Each string is made once (`featureName`, h13-scan12): a
 * 100 KB message has thousands of findings, and a fresh string for each was ~1.5% of the scan.
 */
export function findingFeatures(findings: readonly Detection[]): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.type === 'learned') continue;
    out.add(featureName(f.type, ''));
    if (f.name && QUIETABLE.has(f.type)) out.add(featureName(f.type, f.name));
    // What the vocabulary weighed and set aside (h15-tune, `near-miss.ts`).
    const near = nearMissesOf(f);
    if (near !== undefined) for (const n of near) out.add(n);
  }
  return [...out];
}

/**
 * The model quiets nothing in a message shorter than this (subject and body, in words): there it
 * has too little to weigh, and its score is mostly its starting point (the bias), not evidence
 * that the mail is general ("For the SENCo handover - see attached.").
 */
export const MIN_WORDS_TO_QUIET = 30;

/**
 * Word pieces (h24-tune): a word of at least `PIECE_MIN_LENGTH` characters (as `words` makes it;
 * never `_name`) read as "<word>" with boundary marks gives its character n-grams for n from
 * `PIECE_MIN` to `PIECE_MAX`, each hashed (FNV-1a over the character codes) into one of
 * `PIECE_BUCKETS` buckets: the feature `~h<bucket>`. So a word form the training mail never spelt
 * ("radicalised", "bruising", "bailiffs") weighs through the pieces it shares with forms it did.
 */
export const PIECE_MIN = 3;
export const PIECE_MAX = 5;
export const PIECE_MIN_LENGTH = 5;
export const PIECE_BUCKETS = 16384;
/** A word piece's feature: `~h` and its bucket. */
export const PIECE = '~h';
const LT = 60;
const GT = 62;

const FNV_START = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The bucket of a piece's FNV-1a hash (`PIECE_BUCKETS` is a power of two). */
const BUCKET_MASK = PIECE_BUCKETS - 1;

/**
 * How much each piece of a word weighs (h25-tune). A word of n characters gives 3(n − 1) pieces,
 * and when each counted 1 a long word weighed far more than the word alone ("payroll": +2.0 by
 * its pieces where the word weighed +0.13). `binary` (h24-tune): a bucket is there or not, 1;
 * `mean`: each piece of a word of n pieces gives 1/n (fastText averages a word's pieces), so a
 * word's pieces together weigh about one feature; `sqrt`: 1/√n, between the two. Under `mean` and
 * `sqrt` a bucket's value is the sum over the message's distinct words (subject, body and
 * attachment names together; a word said twice counts once, as its unigram does) of its pieces'
 * shares: a bucket two different words share, or one word has twice, adds up.
 */
export type PieceWeighting = 'binary' | 'mean' | 'sqrt' | `cap${number}`;
export const PIECE_WEIGHTING: PieceWeighting = 'binary';

/**
 * What one piece of a word with `n` pieces adds to its bucket's value. `cap<k>` (h26-tune):
 * min(1, k/n), so a word's pieces together weigh at most k (a short word's each 1, as `binary`).
 */
export function pieceShare(n: number, weighting: PieceWeighting = PIECE_WEIGHTING): number {
  if (weighting === 'mean') return 1 / n;
  if (weighting === 'sqrt') return 1 / Math.sqrt(n);
  if (weighting.startsWith('cap')) return Math.min(1, Number(weighting.slice(3)) / n);
  return 1;
}

/**
 * Known words without pieces (h26-tune): when false, a word whose unigram is one of the model's
 * features gives no pieces (its unigram already weighs it); only the words the model does not
 * name as a unigram (rare, new, misspelt or inflected forms) give theirs. The rule reads the
 * model's own feature list, so training (`scripts/send-model.ts`, which makes the model's
 * unigrams of `PIECE_MIN_LENGTH` or more characters exactly the words it trained without pieces)
 * and the page share one definition. True: every word gives its pieces (h24, h25).
 */
export const KNOWN_WORDS_GIVE_PIECES: boolean = true;

/** Does the model name `word` as a unigram (so, under `KNOWN_WORDS_GIVE_PIECES` false, no pieces)? */
export function isKnownWord(word: string, model: LearnedModel = LEARNED_MODEL): boolean {
  return load(model).weight.has(word);
}

/**
 * A word's pieces' buckets, in order (with repeats), or none (the reference for `scoreMessage`):
 * by where the piece starts, then shortest first, so that each longer piece's hash goes on from
 * the shorter one's (FNV-1a reads left to right) and the page hashes each start once.
 */
export function pieceBuckets(word: string): number[] {
  if (word.length < PIECE_MIN_LENGTH || word.startsWith(NAME)) return [];
  const codes = [LT, ...Array.from(word, (c) => c.charCodeAt(0)), GT];
  const out: number[] = [];
  for (let i = 0; i + PIECE_MIN <= codes.length; i++) {
    let h = FNV_START;
    for (let k = i; k < i + PIECE_MAX && k < codes.length; k++) {
      h = Math.imul(h ^ codes[k]!, FNV_PRIME);
      if (k - i + 1 >= PIECE_MIN) out.push((h >>> 0) & BUCKET_MASK);
    }
  }
  return out;
}

/**
 * Every feature of a message, each once, with its value, and its length in words: the unigrams
 * and bigrams in order (value 1), then the pieces' buckets in the order first met (each word's
 * pieces once, valued by `weighting`: see `PieceWeighting`), then the findings' features (1).
 */
export function featuresOf(
  message: LearnedInput,
  findings: readonly Detection[],
  weighting: PieceWeighting = PIECE_WEIGHTING,
  /** Words that give no pieces (`KNOWN_WORDS_GIVE_PIECES`); by default as the shipped model says. */
  known: (word: string) => boolean = KNOWN_WORDS_GIVE_PIECES ? () => false : (w) => isKnownWord(w),
): { features: string[]; values: number[]; words: number } {
  const out = new Set<string>();
  const pieceValue = new Map<string, number>();
  const piecesRead = new Set<string>();
  let length = 0;
  const parts = [message.subject ?? '', message.body ?? '', ...(message.attachmentNames ?? [])];
  parts.forEach((part, p) => {
    const ws = words(part);
    if (p < 2) length += ws.length;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      out.add(w);
      if (!piecesRead.has(w)) {
        piecesRead.add(w);
        const buckets = known(w) ? [] : pieceBuckets(w);
        const share = pieceShare(buckets.length, weighting);
        for (const b of buckets) {
          const key = `${PIECE}${b}`;
          pieceValue.set(key, weighting === 'binary' ? 1 : (pieceValue.get(key) ?? 0) + share);
        }
      }
      if (i + 1 < ws.length) out.add(`${w} ${ws[i + 1]}`);
    }
  });
  const features = [...out];
  const values = features.map(() => 1);
  for (const [f, v] of pieceValue) {
    features.push(f);
    values.push(v);
  }
  // Finding features are never words or pieces (`#`), each once (`findingFeatures` is a set).
  for (const f of findingFeatures(findings)) {
    features.push(f);
    values.push(1);
  }
  return { features, values, words: length };
}

export type LearnedModel = {
  /** Features, one per line, in the order of `weights`. */
  features: string;
  /** Quantised weights: weight = q × scale. */
  weights: readonly number[];
  scale: number;
  bias: number;
  addThreshold: number;
  quietThreshold: number;
  /**
   * Short messages (h27-tune): on a message of fewer than `shortWords` words (subject and body, as
   * `scoreMessage` counts them) the model's own finding needs `addThreshold + shortExtra × (shortWords
   * − words) / shortWords`, rising as the message gets shorter (`addThresholdFor`); both picked by
   * training's rule (scripts/send-model.ts, `pickShortRule`). Absent or 0: the one add threshold.
   */
  shortWords?: number;
  shortExtra?: number;
  /**
   * Mail about nobody (h28-tune): the model's own finding needs this much more on a message whose
   * subject and body refer to no one (`refersToSomeone`: no name, no he/she, no "the child", "mum",
   * "a colleague", no "I" or "my"), as a pay award notice or a note on CPOMS's categories reads.
   * Personal data is about someone; such mail can still warn, on a clearer score. Absent or 0: no
   * raise.
   */
  nobodyExtra?: number;
};

/**
 * The score the model's own finding needs on a message of `length` words (h27-tune): the add
 * threshold, raised on a short message so that one topic word's pieces ("Payroll" / "Thanks,
 * received.") cannot warn alone. Training judges with this same function. It never touches the
 * quieting branch or a detector's finding.
 */
export function addThresholdFor(
  length: number,
  model: Pick<LearnedModel, 'addThreshold' | 'shortWords' | 'shortExtra'> = LEARNED_MODEL,
): number {
  const n = model.shortWords ?? 0;
  if (length >= n) return model.addThreshold;
  return model.addThreshold + ((model.shortExtra ?? 0) * (n - length)) / n;
}

/** He and she in every form, as `words` makes them: one person written about. */
export const HE_AND_SHE: readonly string[] = [
  'he',
  'she',
  'him',
  'his',
  'her',
  'hers',
  'himself',
  'herself',
  "he's",
  "she's",
  "he'll",
  "she'll",
  "he'd",
  "she'd",
];

/**
 * Words by which mail refers to someone (h28-tune, `refersToSomeone`), as `words` makes them: he
 * and she in every form (`_name` stands for a given name), the nouns staff use for one child,
 * parent or colleague, and the writer (staff's own health, pay or pregnancy is theirs). Plural and
 * group words ("staff", "teachers", "parents", "children") are not here: a notice to every teacher
 * is about nobody in particular.
 */
export const SOMEONE_WORDS: ReadonlySet<string> = new Set([
  ...HE_AND_SHE,
  'child',
  'pupil',
  'student',
  'girl',
  'boy',
  'lad',
  'learner',
  'kid',
  'baby',
  'toddler',
  'teenager',
  'twins',
  'sibling',
  'mum',
  'dad',
  'mother',
  'father',
  'stepdad',
  'stepmum',
  'son',
  'daughter',
  'brother',
  'sister',
  'nan',
  'gran',
  'grandad',
  'uncle',
  'aunt',
  'carer',
  'parent',
  'family',
  'partner',
  'boyfriend',
  'girlfriend',
  'husband',
  'wife',
  'man',
  'woman',
  'person',
  'someone',
  'friend',
  'colleague',
  'employee',
  'member',
  // "Y10" as `words` makes it: "a Y10", "the Y7 girl".
  'y0',
  'i',
  'me',
  'my',
  'myself',
  "i'm",
  "i've",
  "i'll",
  "i'd",
]);

/**
 * Words that make the noun after them anybody rather than someone (h30-nobody): "any child",
 * "every pupil", "each member of staff".
 */
export const ANYBODY_BEFORE: ReadonlySet<string> = new Set(['any', 'every', 'each']);

/** "A"/"an": a noun after them is anybody in a rule or a case (`isAnybody`), else someone. */
const INDEFINITE: ReadonlySet<string> = new Set(['a', 'an']);

/** Words before "a"/"an" that make a case, not an event: "when a colleague tells you". */
const CASE_OPENERS: ReadonlySet<string> = new Set(['if', 'when', 'where', 'whether', 'unless']);

/** Words after "a"/"an" + noun that make a rule, not an event: "an employee … must be told". */
const RULE_WORDS: ReadonlySet<string> = new Set([
  'must',
  'may',
  'can',
  'should',
  'will',
  'might',
  'could',
  'would',
  'needs',
]);

/** How many words after the noun `isAnybody` reads for one of `RULE_WORDS`. */
const RULE_WORDS_WITHIN = 6;

/**
 * Whether the person noun at `at` (one of `SOMEONE_WORDS`) names anybody rather than someone
 * (h30-nobody): after "any", "every" or "each"; or after "a"/"an" in a case ("when a colleague
 * tells you", "if a pupil discloses") or a rule ("an employee facing a disciplinary hearing must be
 * told"). "A colleague asked about leave" and "the child" stay someone: an event, not a rule.
 */
function isAnybody(ws: readonly string[], at: number): boolean {
  const before = ws[at - 1] ?? '';
  if (ANYBODY_BEFORE.has(before)) return true;
  if (!INDEFINITE.has(before)) return false;
  if (CASE_OPENERS.has(ws[at - 2] ?? '')) return true;
  for (let k = at + 1; k <= at + RULE_WORDS_WITHIN && k < ws.length; k++) {
    if (RULE_WORDS.has(ws[k]!)) return true;
  }
  return false;
}

/**
 * Whether the subject or body refers to anyone (h28-tune, `LearnedModel.nobodyExtra`): a given
 * name, or one of `SOMEONE_WORDS`, but not a noun of them that names anybody in a notice's case or
 * rule (`isAnybody`, h30-nobody). Read only when the model's score would add a finding.
 */
export function refersToSomeone(message: Pick<LearnedInput, 'subject' | 'body'>): boolean {
  for (const part of [message.subject ?? '', message.body ?? '']) {
    const ws = words(part);
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (w === NAME || w.startsWith(`${NAME}'`)) return true;
      if (SOMEONE_WORDS.has(w) && !isAnybody(ws, i)) return true;
    }
  }
  return false;
}

/**
 * Every word the model's features name (a unigram, or either half of a bigram), and every common
 * given name, as a trie over the symbols `words` makes of the text (a–z, `0` for a digit run,
 * `'`), so that the page's pass finds a word's id from the text's character codes without making
 * a string for it; the words of the features and the words of the text are the same strings, so
 * the same ids.
 */
type WordTrie = {
  /** Node × symbol → child node; 0, the dead node (its own child), when no word or name goes on. */
  child: Uint16Array | Int32Array;
  /** Node → the id of the word ending there, or -1. */
  wordAt: Int32Array;
  /** Node → 1 where a common given name ends (`isGivenName` of the letters read so far). */
  nameAt: Uint8Array;
  /** The words a capitalised given name becomes (`_name`, `_name's`) → id. */
  idOf: Map<string, number>;
  /** Id → its unigram's feature index, or -1. */
  unigram: Int32Array;
  /** Id → the bigrams it starts: the next word's id → feature index. */
  next: (Map<number, number> | undefined)[];
  /** Id → the word (for the tests). */
  words: string[];
};

/** Symbols: a–z 0–25, a digit (one `0` for the run) 26, `'` 27. */
const SYMBOLS = 28;
const DIGIT = 26;
const APOSTROPHE = 27;
/** Node 0 is dead (nothing goes on from it: its children are 0, so "no child" is 0), 1 the root. */
const ROOT = 1;

/** ASCII code → symbol, -1 for what is not a word character (`isWordChar`). */
const SYMBOL_OF = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let c = 0; c < 26; c++) {
    table[97 + c] = c;
    table[65 + c] = c;
  }
  for (let c = 48; c <= 57; c++) table[c] = DIGIT;
  return table;
})();

function wordTrie(names: readonly string[]): WordTrie {
  const ids = new Map<string, number>();
  const idOf = (w: string): number => {
    let id = ids.get(w);
    if (id === undefined) {
      id = ids.size;
      ids.set(w, id);
    }
    return id;
  };
  const unigrams: number[] = [];
  const nexts: (Map<number, number> | undefined)[] = [];
  names.forEach((n, i) => {
    if (n.startsWith('#') || n.startsWith(PIECE)) return;
    const space = n.indexOf(' ');
    if (space < 0) {
      unigrams[idOf(n)] = i;
      return;
    }
    const first = idOf(n.slice(0, space));
    const second = idOf(n.slice(space + 1));
    if (!nexts[first]) nexts[first] = new Map();
    nexts[first]!.set(second, i);
  });
  // Nodes 0 and 1 first; at most one more per character of every word and name.
  let bound = 2;
  for (const w of ids.keys()) bound += w.length;
  for (const name of GIVEN_NAMES) bound += name.length;
  // 0: no child, the dead node (the root is nobody's child).
  const edges =
    bound < 0x10000 ? new Uint16Array(bound * SYMBOLS) : new Int32Array(bound * SYMBOLS);
  const ends = new Int32Array(bound).fill(-1);
  const nameEnds = new Uint8Array(bound);
  let nodes = 2;
  /** The node of `w`, made as needed; -1 when `w` has a character no text word has. */
  const nodeOf = (w: string): number => {
    let node = ROOT;
    for (let k = 0; k < w.length; k++) {
      const c = w.charCodeAt(k);
      const sym = c === 39 ? APOSTROPHE : c === 48 ? DIGIT : c >= 97 && c <= 122 ? c - 97 : -1;
      if (sym < 0) return -1;
      let to = edges[node * SYMBOLS + sym]!;
      if (to === 0) {
        to = nodes++;
        edges[node * SYMBOLS + sym] = to;
      }
      node = to;
    }
    return node;
  };
  const byName = new Map<string, number>();
  for (const [w, id] of ids) {
    const node = nodeOf(w);
    if (node >= 0) ends[node] = id;
    else byName.set(w, id); // `_name`, `_name's`: never read from the text's letters
  }
  // A word is a given name when its letters lower-cased are one (a name with a dash never is:
  // a word has none).
  for (const name of GIVEN_NAMES) {
    const node = nodeOf(name);
    if (node >= 0) nameEnds[node] = 1;
  }
  const child = edges.slice(0, nodes * SYMBOLS);
  const unigram = new Int32Array(ids.size).fill(-1);
  unigrams.forEach((i, id) => {
    unigram[id] = i;
  });
  return {
    child,
    wordAt: ends.slice(0, nodes),
    nameAt: nameEnds.slice(0, nodes),
    idOf: byName,
    unigram,
    next: nexts,
    words: [...ids.keys()],
  };
}

/** The words `wordIds` knows, by id (for the tests). */
export function knownWords(model: LearnedModel = LEARNED_MODEL): readonly string[] {
  return load(model).trie.words;
}

/**
 * The ids (`WordTrie`) of `text`'s words, in order, -1 for a word no feature names: the words of
 * `words(text)`, read from the character codes with the trie (h8-scan8: making, lower-casing and
 * hashing a string for every word was about half the learned check's time on a 100 KB message).
 * Whether a capitalised word is a given name is read from the same trie; only a name with an
 * apostrophe ("Lily's") is made a string, as `words` makes it. Fills `out` from 0 and returns how
 * many; `out` grows as needed (the grown array is returned).
 */
export function wordIds(
  text: string,
  model: LearnedModel = LEARNED_MODEL,
  out: Int32Array = new Int32Array(64) as Int32Array,
): { ids: Int32Array; count: number } {
  const { ids, count } = readWords(text, load(model), out, null);
  return { ids, count };
}

/**
 * Word pieces read with the words (`readWords`): for word k, the feature indices of its pieces the
 * model weighs are `at[start[k]…start[k+1])`, in the order `pieceBuckets` gives them (repeats kept),
 * each adding `share[k]` to its feature's value (`pieceShare`); a word read before in the message
 * has none. The word's characters (`code`) are kept as `words` makes them (lower case, one `0` for
 * a digit run, a straight apostrophe), between the boundary marks.
 */
type Pieces = {
  start: Int32Array;
  share: Float64Array;
  at: Int32Array;
  count: number;
  code: Uint16Array;
};
const pieceBuffer: Pieces = {
  start: new Int32Array(1025),
  share: new Float64Array(1025),
  at: new Int32Array(4096),
  count: 0,
  code: new Uint16Array(66),
};
/**
 * The longer words no feature names whose pieces this message has already read, so a word said
 * again (in any part) adds nothing: its pieces were counted the first time, as `featuresOf` counts
 * each distinct word's once. An open-addressed table of a hash of the word's characters as `words`
 * makes them, each checked against those characters (kept in `chars`): exact. It grows as needed,
 * so it is exact however many words a message has. `stamp` marks the message an entry belongs to.
 */
const seenWords = {
  slots: 8192,
  stamp: new Int32Array(8192),
  hash: new Int32Array(8192),
  at: new Int32Array(8192),
  length: new Int32Array(8192),
  chars: new Uint16Array(65536),
  charsUsed: 0,
  used: 0,
  scan: 0,
};
/** A new message: no word seen yet. */
function forgetSeenWords(): void {
  seenWords.scan++;
  seenWords.used = 0;
  seenWords.charsUsed = 0;
}
/** Twice the slots, every entry of this message placed again by its hash. */
function growSeenWords(): void {
  const { slots, stamp, hash, at, length, scan } = seenWords;
  const size = slots * 2;
  const s2 = new Int32Array(size);
  const h2 = new Int32Array(size);
  const a2 = new Int32Array(size);
  const l2 = new Int32Array(size);
  for (let i = 0; i < slots; i++) {
    if (stamp[i] !== scan) continue;
    let slot = hash[i]! & (size - 1);
    while (s2[slot] === scan) slot = (slot + 1) & (size - 1);
    s2[slot] = scan;
    h2[slot] = hash[i]!;
    a2[slot] = at[i]!;
    l2[slot] = length[i]!;
  }
  Object.assign(seenWords, { slots: size, stamp: s2, hash: h2, at: a2, length: l2 });
}
/** Were the characters `code[1…n]` (hash `h`) read before in this message? Remembers them if not. */
function seenBefore(code: Uint16Array, n: number, h: number): boolean {
  if ((seenWords.used + 1) * 2 > seenWords.slots) growSeenWords();
  const { stamp, hash, at, length, scan, slots } = seenWords;
  let chars = seenWords.chars;
  let slot = h & (slots - 1);
  while (stamp[slot] === scan) {
    if (hash[slot] === h && length[slot] === n) {
      const from = at[slot]!;
      let k = 0;
      while (k < n && chars[from + k] === code[1 + k]) k++;
      if (k === n) return true;
    }
    slot = (slot + 1) & (slots - 1);
  }
  if (seenWords.charsUsed + n > chars.length) {
    const grown = new Uint16Array(Math.max(chars.length * 2, seenWords.charsUsed + n));
    grown.set(chars.subarray(0, seenWords.charsUsed));
    seenWords.chars = grown;
    chars = grown;
  }
  chars.set(code.subarray(1, 1 + n), seenWords.charsUsed);
  stamp[slot] = scan;
  hash[slot] = h;
  at[slot] = seenWords.charsUsed;
  length[slot] = n;
  seenWords.charsUsed += n;
  seenWords.used++;
  return false;
}

/**
 * The pieces the model weighs of the word `text[start…end)` (its id `id`, -1 when no feature names
 * it), added to `pieces`, unless this message has read the same word before: its characters are
 * read again as `words` makes them (lower case, one `0` for a digit run, a straight apostrophe).
 * Returns what each of its pieces adds (`pieceShare`), 0 when none is added.
 */
function readPieces(
  text: string,
  start: number,
  end: number,
  id: number,
  l: Loaded,
  pieces: Pieces,
  pieceAt: Int32Array,
): number {
  // A word the model names as a unigram gives none, when known words give none (h26-tune).
  if (id >= 0 && !KNOWN_WORDS_GIVE_PIECES && l.trie.unigram[id]! >= 0) return 0;
  // A word the model names is known by its id: read once a message.
  if (id >= 0) {
    if (l.piecesReadIn[id] === seenWords.scan) return 0;
    l.piecesReadIn[id] = seenWords.scan;
  }
  let code = pieces.code;
  if (end - start + 2 > code.length) {
    code = new Uint16Array(2 * (end - start + 2));
    pieces.code = code;
  }
  let length = 0;
  let inDigits = false;
  let h = FNV_START;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    const sym = c < 128 ? SYMBOL_OF[c]! : -1;
    let ch: number;
    if (sym === DIGIT) {
      if (inDigits) continue;
      inDigits = true;
      ch = 48;
    } else {
      inDigits = false;
      ch = sym >= 0 ? 97 + sym : 39;
    }
    code[++length] = ch;
    h = Math.imul(h ^ ch, FNV_PRIME);
  }
  if (length < PIECE_MIN_LENGTH) return 0;
  if (id < 0 && seenBefore(code, length, h)) return 0;
  code[0] = LT;
  code[length + 1] = GT;
  const total = length + 2;
  for (let k = 0; k + PIECE_MIN <= total; k++) {
    let h = FNV_START;
    const last = Math.min(k + PIECE_MAX, total);
    for (let j = k; j < last; j++) {
      h = Math.imul(h ^ code[j]!, FNV_PRIME);
      if (j - k + 1 < PIECE_MIN) continue;
      const f = pieceAt[(h >>> 0) & BUCKET_MASK]!;
      if (f < 0) continue;
      if (pieces.count === pieces.at.length) {
        const grown = new Int32Array(pieces.at.length * 2);
        grown.set(pieces.at);
        pieces.at = grown;
      }
      pieces.at[pieces.count++] = f;
    }
  }
  // A word of n characters between the marks has (n−2) + (n−3) + (n−4) pieces (`pieceBuckets`).
  return pieceShare(3 * total - 9);
}

function readWords(
  text: string,
  l: Loaded,
  out: Int32Array,
  pieces: Pieces | null,
): { ids: Int32Array; count: number } {
  const { child, wordAt, nameAt, idOf } = l.trie;
  const pieceAt = pieces ? l.pieceAt : null;
  const nameId = idOf.get(NAME) ?? -1;
  let ids: Int32Array = out;
  let count = 0;
  if (pieces) pieces.count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const first = text.charCodeAt(i);
    if (first >= 128 || SYMBOL_OF[first]! < 0) {
      i++;
      continue;
    }
    const start = i;
    let node = ROOT;
    let base = -1; // the node where the first apostrophe was read
    let apostrophe = -1;
    let inDigits = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      const sym = c < 128 ? SYMBOL_OF[c]! : -1;
      if (sym >= 0) {
        if (sym !== DIGIT) {
          node = child[node * SYMBOLS + sym]!;
          inDigits = false;
        } else if (!inDigits) {
          node = child[node * SYMBOLS + DIGIT]!;
          inDigits = true;
        }
        i++;
      } else if (isApostrophe(c) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
        if (apostrophe < 0) {
          apostrophe = i - start;
          base = node;
        }
        node = child[node * SYMBOLS + APOSTROPHE]!;
        inDigits = false;
        i++;
      } else break;
    }
    let id = wordAt[node]!;
    if (first >= 65 && first <= 90 && nameAt[apostrophe < 0 ? node : base] === 1) {
      // A capitalised given name is `_name` (with its ending after the apostrophe), as in `words`.
      id =
        apostrophe < 0
          ? nameId
          : (idOf.get(
              `${NAME}${text
                .slice(start + apostrophe, i)
                .replace(/[‘’]/g, "'")
                .toLowerCase()}`,
            ) ?? -1);
    }
    if (count === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    if (pieces) {
      if (count + 1 >= pieces.start.length) {
        const grown = new Int32Array(pieces.start.length * 2);
        grown.set(pieces.start);
        pieces.start = grown;
        const shares = new Float64Array(pieces.start.length);
        shares.set(pieces.share);
        pieces.share = shares;
      }
      pieces.start[count] = pieces.count;
      pieces.share[count] = 0;
      // A given name (`_name`) has no pieces; a word shorter than the shortest with pieces is
      // never read again (its characters are at least as many as the symbols `words` keeps).
      const isName = first >= 65 && first <= 90 && nameAt[apostrophe < 0 ? node : base] === 1;
      if (!isName && i - start >= PIECE_MIN_LENGTH && pieceAt) {
        pieces.share[count] = readPieces(text, start, i, id, l, pieces, pieceAt);
      }
      pieces.start[count + 1] = pieces.count;
    }
    ids[count++] = id;
  }
  return { ids, count };
}

type Loaded = {
  /** Every feature's weight, by its name (for `scoreFeatures`). */
  weight: Map<string, number>;
  names: string[];
  weights: Float64Array;
  /** One look-up per word, from its characters: its unigram's index and the bigrams it starts. */
  trie: WordTrie;
  /** Word piece bucket → its feature index, or -1; null when the model weighs no piece. */
  pieceAt: Int32Array | null;
  /** Word id → the message (`seenWords.scan`) that last read its pieces. */
  piecesReadIn: Int32Array;
  model: LearnedModel;
};
let loaded: Loaded | null = null;
const loadedModels = new WeakMap<LearnedModel, Loaded>();

function load(model: LearnedModel): Loaded {
  if (model === LEARNED_MODEL && loaded) return loaded;
  const cached = loadedModels.get(model);
  if (cached) return cached;
  const names = model.features.length > 0 ? model.features.split('\n') : [];
  const weights = Float64Array.from(names, (_, i) => (model.weights[i] ?? 0) * model.scale);
  const weight = new Map<string, number>();
  names.forEach((n, i) => {
    weight.set(n, weights[i]!);
  });
  let pieceAt: Int32Array | null = null;
  names.forEach((n, i) => {
    if (!n.startsWith(PIECE)) return;
    pieceAt ??= new Int32Array(PIECE_BUCKETS).fill(-1);
    pieceAt[Number(n.slice(PIECE.length))] = i;
  });
  const trie = wordTrie(names);
  const piecesReadIn = new Int32Array(trie.words.length);
  const l = { weight, names, weights, trie, pieceAt, piecesReadIn, model };
  loadedModels.set(model, l);
  if (model === LEARNED_MODEL) loaded = l;
  return l;
}

/**
 * Words that weigh in the score (a pronoun says someone is being written about) but explain
 * nothing to the member of staff reading the warning: never named as a reason on their own.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if so to of in on at by for with from as is was are were be been has have had ' +
    'do does did i me my we us our you your he him his she her hers they them their it its this that ' +
    'these those there here who what when which not no 0 0th am pm just about up out into over after ' +
    "before then than can could would will should i'm he's she's it's they're don't can't won't didn't"
  ).split(' '),
);

/**
 * Everyday words that can weigh a little in the score but say nothing to the member of staff
 * about why ("say", "thanks", "now", "two"): never named as a reason, alone or as a phrase made
 * only of them and function words.
 */
const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    'say tell ask thanks thank please hi hello dear regards best wishes cheers ' +
    'kind many also just still very really well get got go going make made let know see look ' +
    'now off back only one two three four five six first last next new week today tomorrow ' +
    "yesterday day time morning afternoon re fw fwd pp ok yes any all some more can't let's " +
    'been being again other same way thing things'
  ).split(' '),
);

/**
 * A phrase is named as a reason only when it weighs at least this much towards a warning (a
 * log-odds; the shipped model's largest word weights are about 1 to 2): below it, a word tipped
 * the score only together with many others, and naming it would mislead.
 */
export const MIN_PHRASE_WEIGHT = 0.25;

/** Can this feature be named as a reason? A word or bigram with a word that means something. */
export function meaningfulPhrase(feature: string, weight: number): boolean {
  if (weight < MIN_PHRASE_WEIGHT) return false;
  if (
    feature.startsWith('#') ||
    feature.startsWith(PIECE) ||
    feature.includes(NAME) ||
    /[0-9]/.test(feature)
  )
    return false;
  return feature
    .split(' ')
    .some((w) => w.length > 2 && !FUNCTION_WORDS.has(w) && !FILLER_WORDS.has(w));
}

export type LearnedScore = {
  /** The model's log-odds that a careful data protection lead would want a warning. */
  score: number;
  /** The words and phrases in the message that weighed most towards a warning, strongest first. */
  phrases: string[];
};

/**
 * Score a message (features and their values from `featuresOf`; without values, every feature's
 * is 1): the bias plus each weighed feature's weight times its value, summed in order.
 */
export function scoreFeatures(
  features: readonly string[],
  model: LearnedModel = LEARNED_MODEL,
  values?: readonly number[],
): LearnedScore {
  const { weight } = load(model);
  let score = model.bias;
  const positive: [string, number][] = [];
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const w = weight.get(f);
    if (w === undefined) continue;
    const x = values ? w * values[i]! : w;
    score += x;
    if (x > 0) positive.push([f, x]);
  }
  return { score, phrases: explain(positive) };
}

/**
 * The same score as `scoreFeatures(featuresOf(message, findings).features, model, ….values)`, in
 * one pass over the words without building the feature list: each word's unigram and the bigram it
 * ends, each counted once, then the pieces' features in the order first met with their values
 * (summed over the message's distinct words exactly as `featuresOf` sums them), then the findings'
 * features, summed in the same order (so the same number, to the bit;
 * `tests/unit/dlp/learned.test.ts` compares them on every labelled message).
 */
export function scoreMessage(
  message: LearnedInput,
  findings: readonly Detection[],
  model: LearnedModel = LEARNED_MODEL,
): LearnedScore & { words: number } {
  const l = load(model);
  const { weight, names, weights, trie } = l;
  const { unigram, next } = trie;
  const pieces = l.pieceAt ? pieceBuffer : null;
  let score = model.bias;
  let length = 0;
  const seen = new Uint8Array(names.length);
  const positive: [string, number][] = [];
  // The pieces' features in the order first met, and their values (`featuresOf`'s `pieceValue`).
  if (pieceValue.length < names.length) pieceValue = new Float64Array(names.length);
  const value = pieceValue;
  const binary = PIECE_WEIGHTING === 'binary';
  let pieceCount = 0;
  if (pieces) forgetSeenWords();
  const count = (i: number) => {
    if (seen[i] === 1) return;
    seen[i] = 1;
    const w = weights[i]!;
    score += w;
    if (w > 0) positive.push([names[i]!, w]);
  };
  const parts = [message.subject ?? '', message.body ?? '', ...(message.attachmentNames ?? [])];
  let buffer = idBuffer;
  for (let p = 0; p < parts.length; p++) {
    const read = readWords(parts[p]!, l, buffer, pieces);
    buffer = read.ids;
    if (p < 2) length += read.count;
    let after: Map<number, number> | undefined;
    for (let k = 0; k < read.count; k++) {
      const id = buffer[k]!;
      // featuresOf adds word i, then bigram (i, i+1), then word i+1: so the bigram that ends at
      // this word is counted before the word itself.
      if (after && id >= 0) {
        const b = after.get(id);
        if (b !== undefined) count(b);
      }
      if (id >= 0) {
        const u = unigram[id]!;
        if (u >= 0) count(u);
      }
      // A word's pieces (an unknown word's too) add to their features' values, counted after
      // every word and bigram, as featuresOf lists them.
      if (pieces) {
        const share = pieces.share[k]!;
        for (let q = pieces.start[k]!; q < pieces.start[k + 1]!; q++) {
          const f = pieces.at[q]!;
          if (seen[f] === 0) {
            seen[f] = 1;
            if (pieceCount === pieceOrder.length) {
              const grown = new Int32Array(pieceOrder.length * 2);
              grown.set(pieceOrder);
              pieceOrder = grown;
            }
            pieceOrder[pieceCount++] = f;
            value[f] = 0;
          }
          value[f] = binary ? 1 : value[f]! + share;
        }
      }
      after = id < 0 ? undefined : next[id];
    }
  }
  idBuffer = buffer;
  for (let q = 0; q < pieceCount; q++) {
    const f = pieceOrder[q]!;
    const x = weights[f]! * value[f]!;
    score += x;
    if (x > 0) positive.push([names[f]!, x]);
  }
  for (const f of findingFeatures(findings)) {
    // Finding features are never words: each once (findingFeatures is a set).
    const w = weight.get(f);
    if (w !== undefined) score += w;
  }
  return { score, phrases: explain(positive), words: length };
}

/** Reused between scans: one word id per word of the longest part read so far. */
let idBuffer: Int32Array = new Int32Array(1024);
/** Reused between scans: the pieces' features in the order first met, and their values. */
let pieceOrder: Int32Array = new Int32Array(1024);
let pieceValue: Float64Array = new Float64Array(0);

/**
 * Up to three phrases that weighed most towards a warning, none inside another, each meaningful
 * (`meaningfulPhrase`): none when nothing in the message is.
 */
function explain(positive: [string, number][]): string[] {
  const named = positive.filter(([f, w]) => meaningfulPhrase(f, w));
  named.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // Three phrases, none inside another ("told" is said by "told me").
  const phrases: string[] = [];
  for (const [f] of named) {
    if (phrases.length === 3) break;
    const inside = (a: string, b: string) => ` ${b} `.includes(` ${a} `);
    const i = phrases.findIndex((p) => inside(p, f) || inside(f, p));
    if (i < 0) phrases.push(f);
    else if (inside(phrases[i]!, f)) phrases[i] = f;
  }
  return phrases;
}

/** Where the strongest phrase first appears in the body, for the finding's offsets. */
function locate(body: string, phrase: string): { start: number; end: number } {
  const text = normalise(body);
  const at = text.indexOf(phrase.split(' ')[0] ?? phrase);
  return at < 0 ? { start: 0, end: 0 } : { start: at, end: at + phrase.length };
}

/**
 * The hook where findings are decided: given the detectors' findings for a whole message, add the
 * model's own finding or quiet vocabulary-only findings, in place. Returns the score (for tests and
 * the bench), or null when the message was not read because no score could change its findings.
 */
export function applyLearnedCheck<
  F extends Detection & { field: 'subject' | 'body' | 'attachment' },
>(message: LearnedInput, findings: F[], model: LearnedModel = LEARNED_MODEL): LearnedScore | null {
  // A warning the check may not quiet (an identifier, an address, a list, a date of birth, the
  // school's own patterns) stands whatever the score: it adds nothing beside a warning and quiets
  // only when every warning is quietable. So neither branch below can act, and the message is not
  // read (h26-scan: ~1.6 ms of a 100 KB message with identifiers in it). Asked before the
  // warnings are listed (h31-scan: a list of ~800 on issue 13's message, only to be dropped).
  for (const f of findings) {
    if (RANK[f.confidence] >= RANK.medium && !QUIETABLE.has(f.type)) return null;
  }
  const warning = findings.filter((f) => RANK[f.confidence] >= RANK.medium);
  const { words: length, ...result } = scoreMessage(message, findings, model);
  // Its own finding only where nothing else would warn: beside an identifier it would say
  // nothing more, and its phrases would not be why.
  // On a short message it needs more (`addThresholdFor`, h27-tune).
  // On mail about nobody it needs more still (`nobodyExtra`, h28-tune).
  const addAt = addThresholdFor(length, model);
  if (
    result.score >= addAt &&
    warning.length === 0 &&
    (!model.nobodyExtra || result.score >= addAt + model.nobodyExtra || refersToSomeone(message))
  ) {
    const top = result.phrases[0] ?? '';
    findings.push({
      type: 'learned',
      confidence: 'medium',
      ...locate(message.body ?? '', top),
      preview: result.phrases.map((p) => `‘${p}’`).join(', '),
      field: 'body',
    } as F);
  } else if (
    result.score <= model.quietThreshold &&
    length >= MIN_WORDS_TO_QUIET &&
    warning.length > 0 &&
    warning.every((f) => QUIETABLE.has(f.type))
  ) {
    for (const f of warning) f.confidence = 'low';
  }
  return result;
}
