/**
 * The learned check (issue 13): a small linear model over the message's words (unigrams and
 * bigrams) and the built-in detectors' findings, trained offline in Node on the labelled staff
 * mail (`scripts/train-send-model.ts`) and shipped as weights (`learned-model.ts`, generated).
 * It runs here, in the page, on text that never leaves it.
 *
 * What it may do, and what it may not:
 * - ADD a finding of its own (`learned`, medium) when its score is at or over `addThreshold` and
 *   no other finding would warn: a person's data in words no vocabulary term covers. The finding
 *   names the phrases that weighed most, so the warning can say why.
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
import { isGivenName } from './names.ts';

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
 * set the detectors were not tuned on).
 */
export function findingFeatures(findings: readonly Detection[]): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.type === 'learned') continue;
    out.add(`#${f.type}`);
    if (f.name && QUIETABLE.has(f.type)) out.add(`#${f.type}/${f.name}`);
  }
  return [...out];
}

/**
 * The model quiets nothing in a message shorter than this (subject and body, in words): there it
 * has too little to weigh, and its score is mostly its starting point (the bias), not evidence
 * that the mail is general ("For the SENCo handover - see attached.").
 */
export const MIN_WORDS_TO_QUIET = 30;

/** Every feature of a message (unigrams, bigrams, findings), each once, and its length in words. */
export function featuresOf(
  message: LearnedInput,
  findings: readonly Detection[],
): { features: string[]; words: number } {
  const out = new Set<string>();
  let length = 0;
  const parts = [message.subject ?? '', message.body ?? '', ...(message.attachmentNames ?? [])];
  parts.forEach((part, p) => {
    const ws = words(part);
    if (p < 2) length += ws.length;
    for (let i = 0; i < ws.length; i++) {
      out.add(ws[i]!);
      if (i + 1 < ws.length) out.add(`${ws[i]} ${ws[i + 1]}`);
    }
  });
  for (const f of findingFeatures(findings)) out.add(f);
  return { features: [...out], words: length };
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
};

/** A word the model knows: its own feature (index, or -1) and the bigrams it starts. */
type Known = { unigram: number; next: Map<string, number> | undefined };

type Loaded = {
  /** Every feature's weight, by its name (for `scoreFeatures`). */
  weight: Map<string, number>;
  names: string[];
  weights: Float64Array;
  /** One look-up per word: its unigram's index and the bigrams it starts (no string built). */
  known: Map<string, Known>;
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
  const known = new Map<string, Known>();
  const entry = (word: string): Known => {
    let k = known.get(word);
    if (!k) {
      k = { unigram: -1, next: undefined };
      known.set(word, k);
    }
    return k;
  };
  names.forEach((n, i) => {
    weight.set(n, weights[i]!);
    if (n.startsWith('#')) return;
    const space = n.indexOf(' ');
    if (space < 0) entry(n).unigram = i;
    else {
      const k = entry(n.slice(0, space));
      if (!k.next) k.next = new Map();
      k.next.set(n.slice(space + 1), i);
    }
  });
  const l = { weight, names, weights, known, model };
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
  if (feature.startsWith('#') || feature.includes(NAME) || /[0-9]/.test(feature)) return false;
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

/** Score a message (features from `featuresOf`). */
export function scoreFeatures(
  features: readonly string[],
  model: LearnedModel = LEARNED_MODEL,
): LearnedScore {
  const { weight } = load(model);
  let score = model.bias;
  const positive: [string, number][] = [];
  for (const f of features) {
    const w = weight.get(f);
    if (w === undefined) continue;
    score += w;
    if (w > 0) positive.push([f, w]);
  }
  return { score, phrases: explain(positive) };
}

/**
 * The same score as `scoreFeatures(featuresOf(message, findings).features)`, in one pass over the
 * words without building the feature list: each word's unigram, then the bigram it ends, then the
 * findings' features, each counted once, summed in the same order (so the same number, to the bit;
 * `tests/unit/dlp/learned.test.ts` compares them on every labelled message).
 */
export function scoreMessage(
  message: LearnedInput,
  findings: readonly Detection[],
  model: LearnedModel = LEARNED_MODEL,
): LearnedScore & { words: number } {
  const { weight, names, weights, known } = load(model);
  let score = model.bias;
  let length = 0;
  const seen = new Uint8Array(names.length);
  const positive: [string, number][] = [];
  const count = (i: number) => {
    if (seen[i] === 1) return;
    seen[i] = 1;
    const w = weights[i]!;
    score += w;
    if (w > 0) positive.push([names[i]!, w]);
  };
  const parts = [message.subject ?? '', message.body ?? '', ...(message.attachmentNames ?? [])];
  for (let p = 0; p < parts.length; p++) {
    const ws = words(parts[p]!);
    if (p < 2) length += ws.length;
    let after: Map<string, number> | undefined;
    for (const w of ws) {
      // featuresOf adds word i, then bigram (i, i+1), then word i+1: so the bigram that ends at
      // this word is counted before the word itself.
      if (after) {
        const b = after.get(w);
        if (b !== undefined) count(b);
      }
      const k = known.get(w);
      if (k === undefined) {
        after = undefined;
        continue;
      }
      if (k.unigram >= 0) count(k.unigram);
      after = k.next;
    }
  }
  for (const f of findingFeatures(findings)) {
    // Finding features are never words: each once (findingFeatures is a set).
    const w = weight.get(f);
    if (w !== undefined) score += w;
  }
  return { score, phrases: explain(positive), words: length };
}

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
 * the bench).
 */
export function applyLearnedCheck<
  F extends Detection & { field: 'subject' | 'body' | 'attachment' },
>(message: LearnedInput, findings: F[], model: LearnedModel = LEARNED_MODEL): LearnedScore {
  const { words: length, ...result } = scoreMessage(message, findings, model);
  const warning = findings.filter((f) => RANK[f.confidence] >= RANK.medium);
  // Its own finding only where nothing else would warn: beside an identifier it would say
  // nothing more, and its phrases would not be why.
  if (result.score >= model.addThreshold && warning.length === 0) {
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
