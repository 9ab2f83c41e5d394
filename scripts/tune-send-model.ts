/**
 * Experiments on the learned check's training (h8-learned2): each variant's leave-one-set-out
 * rows, with counts, nothing written. Run:
 *   node --import tsx scripts/tune-send-model.ts [variant…]            # about 20 s a variant
 *   node --import tsx scripts/tune-send-model.ts --nested [variant…]   # each set's thresholds picked without it too (minutes)
 *   node --import tsx scripts/tune-send-model.ts --words               # the taxonomy words of the gate below
 *
 * h10-tune's variants, for the learned check's false warnings on ordinary mail about one person
 * (results in lib/dlp/README.md, "Set 11's blocks, dev-11 and the add rule"): a gate on adding
 * (a vocabulary finding, any finding, or a taxonomy word; hard, or soft: a margin more without),
 * a cap or a heavier L2 on speech and family words (and person words), and the add threshold
 * chosen under a budget on the combined decision's out-of-fold false warnings. None shipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { VOCABULARY } from '../lib/dlp/vocabulary.ts';
import {
  alsoWeighPieces,
  combinedWarns,
  crossValidate,
  judged,
  loadExamples,
  nestedCrossValidate,
  PERSON_WORDS,
  type Scored,
  setExamples,
  type TrainingOptions,
  withTraining,
} from './send-model.ts';

const personWord = (w: string) => PERSON_WORDS.has(w) || w.startsWith('_name');
type Example = ReturnType<typeof loadExamples>[number];
const hasPerson = (e: Example) => e.features.some((f) => !f.includes(' ') && personWord(f));
const withPersonFinding = (e: Example): Example =>
  hasPerson(e) && e.features.some((f) => f.startsWith('#'))
    ? { ...e, features: [...e.features, '#person+finding'] }
    : e;
const withPersonPerType = (e: Example): Example => {
  if (!hasPerson(e)) return e;
  const extra = e.features
    .filter((f) => f.startsWith('#') && !f.includes('/'))
    .map((f) => `#person+${f.slice(1)}`);
  return { ...e, features: [...e.features, ...extra] };
};
// h10-tune: the learned check's false warnings on ordinary mail about one person.
/** A vocabulary finding of any strength (the detectors' special-category or safeguarding words). */
const vocabularyFinding = (fs: readonly string[]) =>
  fs.some((f) => f === '#special_category' || f === '#safeguarding');
/** Any finding at all (identifiers, lists of people, vocabulary), at any strength. */
const anyFinding = (fs: readonly string[]) => fs.some((f) => f.startsWith('#'));
/**
 * Taxonomy words: the words of the vocabulary's topic terms (a condition or service named), less those found in the
 * template corpus's ordinary mail (general words the terms are built from: "after", "bank", "card").
 */
const TAXONOMY_WORDS: ReadonlySet<string> = (() => {
  const ordinary = new Set(
    setExamples('corpus')
      .filter((e) => !e.warn)
      .flatMap((e) => e.features),
  );
  const out = new Set<string>();
  for (const t of VOCABULARY) {
    if (t.tier !== 'topic') continue;
    const source = t.pattern.replace(/\\[a-zA-Z]/g, ' ').replace(/\[[^\]]*\]/g, ' ');
    for (const w of source.toLowerCase().match(/[a-z]{4,}/g) ?? []) {
      if (!ordinary.has(w) && !PERSON_WORDS.has(w)) out.add(w);
    }
  }
  return out;
})();
const concernWord = (fs: readonly string[]) =>
  vocabularyFinding(fs) || fs.some((f) => TAXONOMY_WORDS.has(f));
const SPEECH_AND_FAMILY = new Set([
  'said',
  'says',
  'say',
  'told',
  'tells',
  'asked',
  'asks',
  'mentioned',
  'rang',
  'phoned',
  'mum',
  'dad',
  "mum's",
  "dad's",
  'mother',
  'father',
  'parent',
  'parents',
  'nan',
  'gran',
  'grandad',
  'grandma',
  'family',
]);
const speechOrFamily = (f: string) =>
  !f.startsWith('#') && f.split(' ').some((w) => SPEECH_AND_FAMILY.has(w));
const personAny = (f: string) => !f.startsWith('#') && f.split(' ').some(personWord);

/** The near-miss features (h15-tune, `lib/dlp/near-miss.ts`). */
const nearMiss = (f: string) =>
  f.startsWith('#alone/') || f.startsWith('#framed') || f.startsWith('#cue/') || f === '#cond';

/**
 * h23-tune: word clusters from pre-trained embeddings (`scripts/build-word-clusters.ts`): each
 * word's cluster as a feature `~c<id>` beside the word, and with `bigrams` each bigram's pair of
 * clusters `~c<a> ~c<b>`, so a word the training mail never used weighs through its cluster. The
 * map is `scripts/data/word-clusters.json`, or the file in WORD_CLUSTERS (to compare builds).
 */
const clusterOf: Map<string, number> = (() => {
  const file = process.env.WORD_CLUSTERS ?? new URL('./data/word-clusters.json', import.meta.url);
  const out = new Map<string, number>();
  try {
    const { clusters } = JSON.parse(readFileSync(file, 'utf8')) as { clusters: string[] };
    clusters.forEach((c, id) => {
      for (const w of c.split(' ')) out.set(w, id);
    });
  } catch {
    // No map: the cluster variants add nothing.
  }
  return out;
})();
const withClusters =
  ({ bigrams = false, onlyBigrams = false } = {}) =>
  (e: Example): Example => {
    const extra = new Set<string>();
    for (const f of e.features) {
      if (f.startsWith('#')) continue;
      const space = f.indexOf(' ');
      if (space < 0) {
        const c = clusterOf.get(f);
        if (c !== undefined && !onlyBigrams) extra.add(`~c${c}`);
      } else if (bigrams) {
        const a = clusterOf.get(f.slice(0, space));
        const b = clusterOf.get(f.slice(space + 1));
        if (a !== undefined && b !== undefined) extra.add(`~c${a} ~c${b}`);
      }
    }
    return { ...e, features: [...e.features, ...extra] };
  };

/**
 * h24-tune: word pieces (fastText-style subwords). Each word of the message (a unigram feature,
 * not `_name`, at least `minLength` letters) read as "<word>" with boundary marks gives its
 * character n-grams for n in [nMin, nMax], each a feature `~<gram>` (or, with `buckets`, the
 * gram's FNV-1a hash modulo `buckets`: `~h<bucket>`), beside the word: so "radicalised" weighs
 * through "radical", "bruised" through "<bruis". They are picked and regularised like every other
 * feature (document frequency, the largest first-fit weights kept). `words: false` drops the word
 * unigrams themselves (bigrams and findings stay).
 */
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};
const withSubwords =
  ({ nMin = 3, nMax = 5, minLength = 5, buckets = 0 } = {}) =>
  (e: Example): Example => {
    const extra = new Set<string>();
    for (const f of e.features) {
      if (
        f.startsWith('#') ||
        f.startsWith('~') ||
        f.includes(' ') ||
        f.startsWith('_name') ||
        f.length < minLength
      )
        continue;
      const w = `<${f}>`;
      for (let n = nMin; n <= nMax; n++) {
        for (let i = 0; i + n <= w.length; i++) {
          const g = w.slice(i, i + n);
          extra.add(buckets > 0 ? `~h${fnv1a(g) % buckets}` : `~${g}`);
        }
      }
    }
    return { ...e, features: [...e.features, ...extra] };
  };
/** A light suffix stripper (h24-tune): the stem of a word of 5+ letters, or undefined. */
const SUFFIXES = [
  'isations',
  'isation',
  'ising',
  'ised',
  'ises',
  'ings',
  'ing',
  'edly',
  'ed',
  'ies',
  'es',
  'ly',
  's',
];
const stemOf = (w: string): string | undefined => {
  if (w.length < 5 || w.startsWith('_name') || w.includes("'")) return undefined;
  for (const suffix of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return undefined;
};
const withStems = (e: Example): Example => {
  const extra = new Set<string>();
  for (const f of e.features) {
    if (f.startsWith('#') || f.startsWith('~') || f.includes(' ')) continue;
    const stem = stemOf(f) ?? (f.length >= 5 && !f.startsWith('_name') ? f : undefined);
    if (stem !== undefined) extra.add(`~s${stem}`);
  }
  return { ...e, features: [...e.features, ...extra] };
};
const wordUnigram = (f: string) => !f.startsWith('#') && !f.startsWith('~') && !f.includes(' ');

const variants: Record<
  string,
  {
    o: Partial<TrainingOptions>;
    drop?: (f: string) => boolean;
    map?: (e: Example) => Example;
    /** Same features and fit as the last variant run without it: only the thresholds differ. */
    sameFit?: boolean;
  }
> = {
  noPersonUniAdd1: { o: { addFalseWarnings: 0.01 }, drop: (f) => personWord(f) },
  personL2x10: { o: { l2Times: (f) => (personWord(f) ? 10 : 1) } },
  personL2x30: { o: { l2Times: (f) => (personWord(f) ? 30 : 1) } },
  personAnyL2x10: { o: { l2Times: (f) => (f.split(' ').some(personWord) ? 10 : 1) } },
  xAnyFinding: { o: {}, drop: (f) => f.split(' ').some(personWord), map: withPersonFinding },
  xUniFinding: { o: {}, drop: (f) => personWord(f), map: withPersonFinding },
  xAnyType: { o: {}, drop: (f) => f.split(' ').some(personWord), map: withPersonPerType },
  xUniType: { o: {}, drop: (f) => personWord(f), map: withPersonPerType },
  xUniTypeAdd1: {
    o: { addFalseWarnings: 0.01 },
    drop: (f) => personWord(f),
    map: withPersonPerType,
  },
  base: { o: {} },
  // h27-tune: the model's own finding needs more on a short message (`addThresholdFor`); `base`
  // has the shipped rule, `noShortRule` is the model before. Only the thresholds differ, so these
  // reuse one fit's out-of-fold scores (`sameFit`).
  noShortRule: { o: { shortWords: 0 } },
  shortSmooth: {
    o: { shortWords: 'rule', shortExtra: 'rule', shortShape: 'smooth' },
    sameFit: true,
  },
  shortStep: { o: { shortWords: 'rule', shortExtra: 'rule', shortShape: 'step' }, sameFit: true },
  shortSmooth20: { o: { shortWords: 20, shortExtra: 'rule', shortShape: 'smooth' }, sameFit: true },
  shortSmooth30: { o: { shortWords: 30, shortExtra: 'rule', shortShape: 'smooth' }, sameFit: true },
  shortStep15: { o: { shortWords: 15, shortExtra: 'rule', shortShape: 'step' }, sameFit: true },
  shortStep20: { o: { shortWords: 20, shortExtra: 'rule', shortShape: 'step' }, sameFit: true },
  shortStep20k2: { o: { shortWords: 20, shortExtra: 2, shortShape: 'step' }, sameFit: true },
  // h37-tune: the model alone may warn on less of the ordinary mail out of fold (shipped 0.02).
  // Only the thresholds differ: run after `base`, or with TUNE_FIT_FROM=<its TUNE_SCORED file>.
  addFw15: { o: { addFalseWarnings: 0.015 }, sameFit: true },
  addFw10: { o: { addFalseWarnings: 0.01 }, sameFit: true },
  // h28-tune: on mail that refers to nobody (`refersToSomeone`) the model's own finding needs more.
  nobody05: { o: { nobodyExtra: 0.5 }, sameFit: true },
  nobody1: { o: { nobodyExtra: 1 }, sameFit: true },
  // h24-tune: word pieces and stems (see withSubwords, withStems).
  sub35: { o: {}, map: withSubwords() },
  sub35keep5000: { o: { keep: 5000 }, map: withSubwords() },
  sub35all: { o: {}, map: withSubwords({ minLength: 1 }) },
  sub46: { o: {}, map: withSubwords({ nMin: 4, nMax: 6 }) },
  sub35h4096: { o: {}, map: withSubwords({ buckets: 4096 }) },
  sub35h16384: { o: {}, map: withSubwords({ buckets: 16384 }) },
  sub35noWords: { o: {}, map: withSubwords(), drop: wordUnigram },
  stems: { o: {}, map: withStems },
  // Since h24-tune ships word pieces (featuresOf adds `~h<bucket>`), `base` has them: this is the model without.
  noPieces: { o: {}, drop: (f) => f.startsWith('~h') },
  // h25-tune: each word's pieces weighed by 1/n or 1/√n (n its number of pieces) instead of 1 each
  // (`PieceWeighting` in lib/dlp/learned.ts); `piecesBinary` is h24's, whichever ships.
  piecesBinary: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.binary ?? e.values }) },
  piecesMean: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.mean ?? e.values }) },
  piecesSqrt: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.sqrt ?? e.values }) },
  // Under 1/n a piece's value is small, so the same L2 holds its weight n times tighter: lighter L2 on pieces.
  piecesMeanL2x01: {
    o: { l2Times: (f) => (f.startsWith('~h') ? 0.1 : 1) },
    map: (e) => ({ ...e, values: e.valuesBy?.mean ?? e.values }),
  },
  piecesMeanL2x001: {
    o: { l2Times: (f) => (f.startsWith('~h') ? 0.01 : 1) },
    map: (e) => ({ ...e, values: e.valuesBy?.mean ?? e.values }),
  },
  piecesSqrtL2x01: {
    o: { l2Times: (f) => (f.startsWith('~h') ? 0.1 : 1) },
    map: (e) => ({ ...e, values: e.valuesBy?.sqrt ?? e.values }),
  },
  // h26-tune: known words without pieces (`piecesOfUnknownOnly`, `KNOWN_WORDS_GIVE_PIECES`), and a
  // cap on one word's pieces (`cap<k>`: each of a word's n pieces weighs min(1, k/n)).
  knownNoPieces: { o: { piecesOfUnknownOnly: true } },
  knownNoPiecesCap12: { o: { piecesOfUnknownOnly: true, knownWeighting: 'cap12' } },
  piecesCap6: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.cap6 ?? e.values }) },
  piecesCap9: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.cap9 ?? e.values }) },
  piecesCap12: { o: {}, map: (e) => ({ ...e, values: e.valuesBy?.cap12 ?? e.values }) },
  clusters: { o: {}, map: withClusters() },
  clustersBigrams: { o: {}, map: withClusters({ bigrams: true }) },
  clusterBigramsOnly: { o: {}, map: withClusters({ bigrams: true, onlyBigrams: true }) },
  clustersKeep5000: { o: { keep: 5000 }, map: withClusters() },
  quietByCost: { o: { quietByCost: true } },
  gateVocab: { o: { addGate: vocabularyFinding } },
  gateAny: { o: { addGate: anyFinding } },
  gateConcern: { o: { addGate: concernWord } },
  speechCap0: { o: { capAt: (f) => (speechOrFamily(f) ? 0 : undefined) } },
  speechL2x10: { o: { l2Times: (f) => (speechOrFamily(f) ? 10 : 1) } },
  speechL2x30: { o: { l2Times: (f) => (speechOrFamily(f) ? 30 : 1) } },
  speechPersonCap0: { o: { capAt: (f) => (speechOrFamily(f) || personAny(f) ? 0 : undefined) } },
  speechPersonL2x10: { o: { l2Times: (f) => (speechOrFamily(f) || personAny(f) ? 10 : 1) } },
  budget2: { o: { combinedFalseWarnings: 0.02 } },
  budget25: { o: { combinedFalseWarnings: 0.025 } },
  budget3: { o: { combinedFalseWarnings: 0.03 } },
  budget15: { o: { combinedFalseWarnings: 0.015 } },
  lowOnlyFeature: {
    o: {},
    map: (e) =>
      e.vocabularyLowOnly ? { ...e, features: [...e.features, '#vocabulary-low-only'] } : e,
  },
  lowOnlyPersonFeature: {
    o: {},
    map: (e) =>
      e.vocabularyLowOnly && hasPerson(e)
        ? { ...e, features: [...e.features, '#vocabulary-low-only+person'] }
        : e,
  },
  gateVocabSoft05: { o: { addGate: vocabularyFinding, ungatedExtra: 0.5 } },
  gateVocabSoft1: { o: { addGate: vocabularyFinding, ungatedExtra: 1 } },
  gateVocabSoft05Budget2: {
    o: { addGate: vocabularyFinding, ungatedExtra: 0.5, combinedFalseWarnings: 0.02 },
  },
  budget2SpeechCap0: {
    o: { combinedFalseWarnings: 0.02, capAt: (f) => (speechOrFamily(f) ? 0 : undefined) },
  },
  budget2SpeechL2x10: {
    o: { combinedFalseWarnings: 0.02, l2Times: (f) => (speechOrFamily(f) ? 10 : 1) },
  },
  budget2GateVocab: { o: { combinedFalseWarnings: 0.02, addGate: vocabularyFinding } },
  gateConcernSpeechCap0: {
    o: { addGate: concernWord, capAt: (f) => (speechOrFamily(f) ? 0 : undefined) },
  },
  gateConcernSpeechCap0Budget2: {
    o: {
      addGate: concernWord,
      capAt: (f) => (speechOrFamily(f) ? 0 : undefined),
      combinedFalseWarnings: 0.02,
    },
  },
  gateConcernBudget2: { o: { addGate: concernWord, combinedFalseWarnings: 0.02 } },
  gateVocabSpeechCap0: {
    o: { addGate: vocabularyFinding, capAt: (f) => (speechOrFamily(f) ? 0 : undefined) },
  },
  gateConcernSpeechPersonCap0: {
    o: { addGate: concernWord, capAt: (f) => (speechOrFamily(f) || personAny(f) ? 0 : undefined) },
  },
  // h15-tune: the near-miss features (`lib/dlp/near-miss.ts`), which of them earn their place.
  nearNone: { o: {}, drop: nearMiss },
  nearNoCue: { o: {}, drop: (f) => f.startsWith('#cue/') },
  nearNoAlone: { o: {}, drop: (f) => f.startsWith('#alone/') },
  nearFramedOnly: { o: {}, drop: (f) => nearMiss(f) && !f.startsWith('#framed') },
  nearUnfloored: { o: { addAtLeast: -8 } },
  nearNoCueUnfloored: { o: { addAtLeast: -8 }, drop: (f) => f.startsWith('#cue/') },
  withPersonWords: { o: { personWordsAlone: true } },
  l2half: { o: { l2: 0.001 } },
  tmpl01: { o: { templateWeight: 0.1 } },
  keep5000: { o: { keep: 5000 } },
  keep1500: { o: { keep: 1500 } },
  df2: { o: { minDocumentFrequency: 2 } },
  steps400: { o: { steps: 400 } },
  add15: { o: { addFalseWarnings: 0.015 } },
  quiet1: { o: { quietMissRate: 0.01 } },
  noPersonUnigrams: { o: {}, drop: (f) => personWord(f) },
  noPersonAny: { o: {}, drop: (f) => f.split(' ').some(personWord) },
  l2x3: { o: { l2: 0.006 } },
  l2x5: { o: { l2: 0.01 } },
  tmpl0: { o: { templateWeight: 0 } },
  tmpl1: { o: { templateWeight: 1 } },
  add1: { o: { addFalseWarnings: 0.01 } },
  noPersonUnigramsL2x3: { o: { l2: 0.006 }, drop: (f) => personWord(f) },
  noPersonAnyL2x3: { o: { l2: 0.006 }, drop: (f) => f.split(' ').some(personWord) },
};
const chosenNames = process.argv.slice(2);
alsoWeighPieces(
  (['binary', 'mean', 'sqrt', 'cap6', 'cap9', 'cap12'] as const).filter((w) =>
    chosenNames.some((n) => n.startsWith(`pieces${w[0]!.toUpperCase()}${w.slice(1)}`)),
  ),
);
const examples = loadExamples();
const nested = process.argv.includes('--nested');
const chosen = process.argv.slice(2).filter((a) => a !== '--nested' && a !== '--words');
if (process.argv.includes('--words'))
  console.log(TAXONOMY_WORDS.size, [...TAXONOMY_WORDS].join(' '));
// TUNE_FIT_FROM=<file>: the out-of-fold scores a run wrote with TUNE_SCORED (its `noShortRule`
// or `base`), for variants that only change the thresholds, without fitting again (h27-tune).
let lastFit: { scored: Scored[]; sets: string[] } | undefined = process.env.TUNE_FIT_FROM
  ? (() => {
      const scored = readFileSync(process.env.TUNE_FIT_FROM, 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => ({ features: [], values: [], pieceWords: [], ...JSON.parse(l) }) as Scored);
      return { scored, sets: [...new Set(scored.map((e) => e.set))] };
    })()
  : undefined;
for (const name of chosen.length > 0 ? chosen : Object.keys(variants)) {
  const v = variants[name]!;
  if (nested) {
    // Each set's thresholds picked without it too (scripts/train-send-model.ts --nested).
    const rows = withTraining(v.o, v.drop, () =>
      nestedCrossValidate(v.map ? examples.map(v.map) : examples),
    );
    const tot: [number, number, number, number] = [0, 0, 0, 0];
    const cells = rows.map(({ set, thresholds, row: r }) => {
      tot[0] += r.combined.caught;
      tot[1] += r.confidential;
      tot[2] += r.combined.falseWarnings;
      tot[3] += r.ordinary;
      return `${set.replace('development', 'd').replace('holdout', 'h')} ${r.combined.caught}/${r.confidential} ${r.combined.falseWarnings}/${r.ordinary} @${thresholds.addThreshold}`;
    });
    console.log(
      `${name.padEnd(22)} NESTED | all ${(tot[0]! / tot[1]!).toFixed(3)} (${tot[0]}/${tot[1]}) / ${((100 * tot[2]!) / tot[3]!).toFixed(1)}% (${tot[2]}/${tot[3]}) | ${cells.join('  ')}`,
    );
    continue;
  }
  const cv =
    v.sameFit && lastFit
      ? withTraining(v.o, v.drop, () => judged(lastFit!.scored, lastFit!.sets))
      : withTraining(v.o, v.drop, () => crossValidate(v.map ? examples.map(v.map) : examples));
  if (!v.sameFit) lastFit = { scored: cv.scored, sets: cv.rows.map((r) => r.set) };
  // Decisions the short rule changes against the same fit without it (h27-tune).
  const unraised = { ...cv.thresholds, shortWords: 0, shortExtra: 0 };
  const changed = withTraining(v.o, v.drop, () =>
    cv.scored.filter((e) => combinedWarns(e, cv.thresholds) !== combinedWarns(e, unraised)),
  );
  if (changed.length > 0)
    console.log(
      `${name}: ${changed.length} decisions changed by the short rule: ${changed.map((e) => `${e.set} ${e.warn ? 'confidential' : 'ordinary'} ${e.words} words`).join('; ')}`,
    );
  if (process.env.TUNE_SCORED) {
    const out = cv.scored.map(
      ({ set, id, warn, detectorsWarn, wordsOnly, long, words, someone, score }) =>
        JSON.stringify({ set, id, warn, detectorsWarn, wordsOnly, long, words, someone, score }),
    );
    writeFileSync(`${process.env.TUNE_SCORED}.${name}.jsonl`, `${out.join('\n')}\n`);
  }
  const cells = cv.rows.map((r) => {
    return `${r.set.replace('development', 'd').replace('holdout', 'h')} ${r.combined.caught}/${r.confidential} ${r.combined.falseWarnings}/${r.ordinary}`;
  });
  const tot = cv.rows.reduce(
    (a, r) => [
      a[0]! + r.combined.caught,
      a[1]! + r.confidential,
      a[2]! + r.combined.falseWarnings,
      a[3]! + r.ordinary,
    ],
    [0, 0, 0, 0],
  );
  console.log(
    `${name.padEnd(22)} add ${cv.thresholds.addThreshold} quiet ${cv.thresholds.quietThreshold}${cv.thresholds.shortWords ? ` short <${cv.thresholds.shortWords} +${cv.thresholds.shortExtra}` : ''} | all ${(tot[0]! / tot[1]!).toFixed(3)} (${tot[0]}/${tot[1]}) / ${((100 * tot[2]!) / tot[3]!).toFixed(1)}% (${tot[2]}/${tot[3]}) | ${cells.join('  ')}`,
  );
}
