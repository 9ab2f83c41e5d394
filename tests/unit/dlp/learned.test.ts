/**
 * The learned check (lib/dlp/learned.ts): the shipped weights are what the training script makes
 * of the labelled sets it records, it warns on wording no vocabulary term covers, it quiets
 * words-only findings in general mail, and it never vetoes identifiers or the school's own lists.
 *
 * The sentences here were written for this test and are in no labelled set (checked below), so
 * the model has never seen them.
 */
import '../../../lib/dlp/custom-patterns.ts';
import { describe, expect, it } from 'vitest';
import { confidenceAtLeast, detect } from '../../../lib/dlp/detectors.ts';
import {
  addThresholdFor,
  applyLearnedCheck,
  featuresOf,
  findingFeatures,
  isKnownWord,
  KNOWN_WORDS_GIVE_PIECES,
  MIN_PHRASE_WEIGHT,
  MIN_WORDS_TO_QUIET,
  meaningfulPhrase,
  PIECE,
  PIECE_BUCKETS,
  PIECE_WEIGHTING,
  pieceBuckets,
  pieceShare,
  refersToSomeone,
  scoreFeatures,
  scoreMessage,
  WORD,
  words,
} from '../../../lib/dlp/learned.ts';
import { LEARNED_MODEL, TRAINED_ON } from '../../../lib/dlp/learned-model.ts';
import {
  type ComposePolicy,
  DEFAULT_COMPOSE_POLICY,
  parseComposePolicy,
} from '../../../lib/dlp/policy.ts';
import { type Finding, scanMessage } from '../../../lib/dlp/scan.ts';
import {
  type Example,
  setExamples,
  TRAINING_SETS,
  train,
  trainingFiles,
} from '../../../scripts/send-model.ts';
import {
  CORPUS_NOW,
  LABELLED_SETS,
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
  STILL_HELD_OUT,
} from '../../fixtures/dlp-corpus/evaluate.ts';

/** The shipped model's weights by feature. */
function modelWeights(): { weight: Map<string, number> } {
  const names = LEARNED_MODEL.features.split('\n');
  return {
    weight: new Map(
      names.map((n, i) => [n, (LEARNED_MODEL.weights[i] ?? 0) * LEARNED_MODEL.scale]),
    ),
  };
}

const OFF: ComposePolicy = { ...DEFAULT_COMPOSE_POLICY, disabledDetectors: ['learned'] };

const scan = (body: string, policy: ComposePolicy = DEFAULT_COMPOSE_POLICY): Finding[] =>
  scanMessage({ subject: '', body, attachmentNames: [] }, policy, { now: CORPUS_NOW });
const warning = (findings: Finding[]) =>
  findings.filter((f) => confidenceAtLeast(f.confidence, 'medium'));

/** A disclosure in everyday words: no vocabulary term covers it. */
const GROOMING =
  'Ellie stayed behind after the lesson and told me her older cousin keeps turning up at the ' +
  "gate and she gets into his car, he buys her things and she won't say where they go.";
/** An INSET notice about the same subject: general, nobody in it. */
const INSET =
  'Our INSET on Monday covers how to spot the signs that a pupil may be struggling at home, ' +
  'and what to record.';
/** A training notice the vocabulary reads as about someone ("he" is the speaker). */
const TWILIGHT =
  "Hi everyone, next Wednesday's twilight session is led by a retired detective from the " +
  "county's exploitation team. He will walk us through how county lines gangs recruit children, " +
  'what grooming looks like online and in town, and what he wishes schools had spotted sooner. ' +
  'Tea and biscuits in the library from 3.30, please sign the register.';

describe('the learned check', () => {
  it('uses sentences that are in no labelled set', () => {
    const all = [
      ...loadCorpus(),
      ...(Object.keys(LABELLED_SETS) as (keyof typeof LABELLED_SETS)[]).flatMap(loadLabelledSet),
    ].map((m) => m.body);
    for (const probe of [
      'turning up at the gate',
      'spot the signs that a pupil',
      'retired detective',
    ]) {
      expect(
        all.some((b) => b.includes(probe)),
        probe,
      ).toBe(false);
    }
  });

  it('warns on a disclosure no vocabulary term covers, and names the phrases that weighed most', () => {
    expect(warning(scan(GROOMING, OFF))).toEqual([]);
    const learned = warning(scan(GROOMING)).filter((f) => f.type === 'learned');
    expect(learned).toHaveLength(1);
    expect(learned[0]!.preview).toContain('‘told me’');
    expect(learned[0]!.field).toBe('body');
  });

  it('names only meaningful phrases: weighing at least the floor, never a filler word, a function-word pair, a digit or a name', () => {
    for (const weak of [
      'say',
      'thanks',
      'now',
      'two',
      'for the',
      'and has',
      'can you',
      'so please',
      'y0',
      '0mg',
      '_name',
      "_name's mum",
      '#safeguarding',
    ]) {
      expect(meaningfulPhrase(weak, 2), weak).toBe(false);
    }
    for (const strong of ['told me', 'mum', 'family are', 'on snapchat', 'please keep']) {
      expect(meaningfulPhrase(strong, 1), strong).toBe(true);
      expect(meaningfulPhrase(strong, MIN_PHRASE_WEIGHT / 2), strong).toBe(false);
    }
    // Every phrase the shipped model names on the development sets passes the same test.
    const { weight } = modelWeights();
    let named = 0;
    for (const set of ['development8', 'development9', 'probe9'] as const) {
      for (const m of loadLabelledSet(set)) {
        const { phrases } = scoreMessage(m, scanMessage(m, OFF, { now: CORPUS_NOW }));
        expect(phrases.length).toBeLessThanOrEqual(3);
        for (const p of phrases) {
          expect(meaningfulPhrase(p, weight.get(p) ?? 0), `${m.id}: ${p}`).toBe(true);
          named++;
        }
      }
    }
    expect(named).toBeGreaterThan(100);
  });

  it('stays quiet on a near-miss training notice', () => {
    expect(warning(scan(INSET))).toEqual([]);
  });

  it('quiets words-only findings in general mail the model scores far below its threshold', () => {
    const raw = warning(scan(TWILIGHT, OFF));
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.every((f) => f.type === 'safeguarding' || f.type === 'special_category')).toBe(true);
    expect(warning(scan(TWILIGHT))).toEqual([]);
    // Still found, below the threshold: `--all` in the CLI shows them.
    expect(scan(TWILIGHT).filter((f) => f.type === 'safeguarding').length).toBe(
      scan(TWILIGHT, OFF).filter((f) => f.type === 'safeguarding').length,
    );
  });

  it('never quiets a short message: there its score is mostly the bias', () => {
    // A short message under the quiet threshold (h27-tune: the retrain with set 28 moved it to
    // −1.5 and "Attached: the SENCo handover." to −1.45, so the message is a little longer).
    const short = 'Attached: the SENCo handover for next term.';
    expect(words(short).length).toBeLessThan(MIN_WORDS_TO_QUIET);
    const { features, values } = featuresOf({ subject: '', body: short, attachmentNames: [] }, []);
    expect(scoreFeatures(features, LEARNED_MODEL, values).score).toBeLessThanOrEqual(
      LEARNED_MODEL.quietThreshold,
    );
    expect(warning(scan(short)).map((f) => f.type)).toEqual(
      warning(scan(short, OFF)).map((f) => f.type),
    );
  });

  it('asks more of a short message before adding its own finding, and only of its own finding (h27-tune)', () => {
    const raised = { ...LEARNED_MODEL, addThreshold: 0.5, shortWords: 25, shortExtra: 2.75 };
    // Unchanged from N words on; rising by k × (N − words) / N below.
    for (const n of [25, 26, 30, 400]) expect(addThresholdFor(n, raised)).toBe(0.5);
    expect(addThresholdFor(24, raised)).toBe(0.5 + 2.75 / 25);
    expect(addThresholdFor(0, raised)).toBe(3.25);
    const plain = { ...LEARNED_MODEL, shortWords: undefined, shortExtra: undefined };
    for (const n of [0, 3, 24, 100]) expect(addThresholdFor(n, plain)).toBe(plain.addThreshold);
    // A short message the model alone would add on at the plain threshold: not under the raise.
    const short = { subject: 'Payroll', body: 'Thanks, received.', attachmentNames: [] };
    const raw = () => scanMessage(short, OFF, { now: CORPUS_NOW });
    const { score, words: length } = scoreMessage(short, raw());
    expect(length).toBe(3);
    // (Mail about nobody asks more too, h28-tune: off here, so the short rule alone is judged.)
    const at = {
      ...LEARNED_MODEL,
      addThreshold: score - 0.01,
      shortWords: 0,
      shortExtra: 0,
      nobodyExtra: 0,
    };
    const adds = raw();
    applyLearnedCheck(short, adds, at);
    expect(adds.some((f) => f.type === 'learned')).toBe(true);
    const quiet = raw();
    applyLearnedCheck(short, quiet, { ...at, shortWords: 25, shortExtra: 1 });
    expect(quiet).toEqual(raw());
    // A detector's finding in a short message stands whatever the raise.
    const upn = { subject: 'Payroll', body: 'UPN Z886711915284', attachmentNames: [] };
    const found = scanMessage(upn, OFF, { now: CORPUS_NOW });
    expect(warning(found).length).toBeGreaterThan(0);
    const after = scanMessage(upn, OFF, { now: CORPUS_NOW });
    applyLearnedCheck(upn, after, { ...at, shortWords: 30, shortExtra: 8 });
    expect(after).toEqual(found);
  });

  it('asks more of mail about nobody before adding its own finding (h28-tune)', () => {
    // Someone: a given name, he/she, the nouns for one child, parent or colleague, the writer.
    for (const body of [
      'Can you ring Aisha back?',
      'She has asked for Friday off.',
      'The Y9 girl was upset again.',
      'Mum rang at lunch.',
      'A colleague asked about leave.',
      "I've a hospital appointment on Friday.",
    ]) {
      expect(refersToSomeone({ subject: '', body }), body).toBe(true);
    }
    // Nobody: a notice to everyone, groups and plurals, a system or a process.
    for (const body of [
      'The pay award has been confirmed and will be paid in October. No action needed from staff.',
      'Support staff award will follow once the national agreement is signed.',
      'Categories are now split into attendance and wellbeing; children and parents see no change.',
    ]) {
      expect(refersToSomeone({ subject: 'Pay award', body }), body).toBe(false);
    }
    expect(refersToSomeone({ subject: 'Re: Aisha', body: 'Noted, thanks.' })).toBe(true);
    // Anybody, not someone (h30-nobody): a person noun after any/every/each, or after a/an in a
    // notice's case ("when a colleague …") or rule ("an employee … must"). An event stays someone.
    for (const body of [
      'Under the ACAS code, an employee facing a disciplinary hearing must be told in writing.',
      'When a colleague tells you about a bereavement, please point them to HR.',
      'Any pupil absent without a reason is recorded as unauthorised.',
      'Every child gets a reading book on Monday.',
      'If a parent asks about the trip, the letter is on the website.',
    ]) {
      expect(refersToSomeone({ subject: 'Notice', body }), body).toBe(false);
    }
    for (const body of [
      'A colleague asked about leave.',
      'A pupil in Y8 was upset at break.',
      'When a colleague tells you she is pregnant, send her to HR.',
      'An employee facing a hearing must be told, as Priya was.',
    ]) {
      expect(refersToSomeone({ subject: 'Notice', body }), body).toBe(true);
    }
    // The model's own finding at its score: under nobodyExtra only if the message names someone.
    const nobody = {
      subject: 'Pay award',
      body: 'The pay award has been confirmed and lands in October pay, back-dated to September.',
      attachmentNames: [],
    };
    const someone = { ...nobody, body: `${nobody.body} Priya asked when it lands.` };
    for (const [message, adds] of [
      [nobody, false],
      [someone, true],
    ] as const) {
      const raw = () => scanMessage(message, OFF, { now: CORPUS_NOW });
      expect(warning(raw())).toEqual([]);
      const { score } = scoreMessage(message, raw());
      const at = { ...LEARNED_MODEL, addThreshold: score - 0.01, shortWords: 0, shortExtra: 0 };
      const plain = raw();
      applyLearnedCheck(message, plain, { ...at, nobodyExtra: 0 });
      expect(plain.some((f) => f.type === 'learned')).toBe(true);
      const raised = raw();
      applyLearnedCheck(message, raised, { ...at, nobodyExtra: 0.5 });
      expect(
        raised.some((f) => f.type === 'learned'),
        message.body,
      ).toBe(adds);
      // Clearing the raise, it adds whoever the message is about.
      const clear = raw();
      applyLearnedCheck(message, clear, { ...at, addThreshold: score - 0.6, nobodyExtra: 0.5 });
      expect(clear.some((f) => f.type === 'learned')).toBe(true);
    }
  });

  it('never vetoes an identifier with a valid check or the school’s own word list', () => {
    const withUpn = `${TWILIGHT} Bring the form for UPN Z886711915284 to the office.`;
    expect(warning(scan(withUpn)).some((f) => f.type === 'upn')).toBe(true);
    const parsed = parseComposePolicy({
      customWords: [{ name: 'Cases', words: ['Operation Falcon'] }],
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const withWords = `${TWILIGHT} The Operation Falcon file stays in the DSL's office.`;
    const found = warning(scan(withWords, parsed.policy));
    expect(found.some((f) => f.type === 'custom')).toBe(true);
  });

  it('is off, adding and quieting nothing, with disabledDetectors: ["learned"]', () => {
    const parsed = parseComposePolicy({ disabledDetectors: ['learned'] });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(warning(scan(GROOMING, parsed.policy))).toEqual([]);
    expect(warning(scan(TWILIGHT, parsed.policy)).length).toBeGreaterThan(0);
  });

  // h15-tune (`near-miss.ts`): what a general-mention guard set aside reaches the model as a
  // `#`-feature, and whether someone was in reach all the same; a case gets neither.
  it('reads the near-misses: a topic word alone, a word framed as general, a person in reach of it', () => {
    expect(
      findingFeatures(
        detect('Hi,\n\nThe leaflets about diabetes are in the staffroom pigeonholes.'),
      ),
    ).toContain('#alone/health');
    const nearMisses = (text: string) =>
      findingFeatures(detect(text)).filter((f) => f.startsWith('#framed'));
    expect(
      nearMisses(
        'Hi,\n\nThe twilight course covers self-harm and eating disorders, places limited.',
      ),
    ).toEqual(['#framed/health']);
    expect(
      nearMisses(
        'Hi,\n\nJack in 9C asked me about it today. The course covers self-harm and eating disorders.',
      ),
    ).toEqual(['#framed/health', '#framed-person']);
    const caseFeatures = findingFeatures(
      detect('Hi,\n\nJack told me at break that he has been self-harming since Easter.'),
    );
    expect(caseFeatures.filter((f) => f.startsWith('#framed') || f.startsWith('#alone'))).toEqual(
      [],
    );
    const features = featuresOf(
      {
        subject: 'Twilight',
        body: 'The twilight course covers self-harm and eating disorders, places limited.',
        attachmentNames: [],
      },
      detect('The twilight course covers self-harm and eating disorders, places limited.'),
    ).features;
    expect(features).toContain('#framed/health');
  });
});

describe('the learned check in the page', () => {
  it('reads words by character code exactly as the regular expression does', () => {
    const reference = (text: string) =>
      [...text.replace(/[‘’]/g, "'").matchAll(WORD)].map((m) => m[0]);
    const texts = [
      ...loadCorpus().map((m) => m.body),
      ...loadLabelledSet('holdout8').map((m) => m.body),
      "Mum’s ‘boyfriend’ won't — Y9's 12pm O'Neill 'quoted' it's' ’tis Lily-Mae's",
    ];
    for (const text of texts) {
      const mine = words(text);
      const theirs = reference(text);
      expect(mine.length, text).toBe(theirs.length);
    }
    expect(words("Mum’s ‘boyfriend’ won't — Y9's Lily's")).toEqual([
      "mum's",
      'boyfriend',
      "won't",
      "y0's",
      "_name's",
    ]);
  });

  it('scores in one pass exactly as the training features do, on every labelled message', () => {
    // Not the sets still held out: no detector runs over them until they are measured.
    const sets = [loadCorpus(), ...labelledSetsNotHeldOut().map(loadLabelledSet)];
    let compared = 0;
    for (const messages of sets) {
      for (const m of messages.slice(0, 60)) {
        const findings = scanMessage(m, OFF, { now: CORPUS_NOW });
        const read = featuresOf(m, findings);
        const slow = scoreFeatures(read.features, LEARNED_MODEL, read.values);
        const fast = scoreMessage(m, findings);
        expect(fast.score, m.id).toBe(slow.score);
        expect(fast.phrases, m.id).toEqual(slow.phrases);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(600);
  }, 60_000);

  it('weighs the pieces of words it never saw, in one pass exactly as the training features do (h24-tune)', () => {
    // Word pieces: "<word>" with boundary marks, 3- to 5-character n-grams, hashed into buckets.
    expect(pieceBuckets('brui')).toEqual([]);
    expect(pieceBuckets('_name')).toEqual([]);
    // "<bruised>": 7 trigrams, 6 four-grams, 5 five-grams.
    expect(pieceBuckets('bruised')).toHaveLength(18);
    for (const b of pieceBuckets("radicalised mum's")) expect(b).toBeLessThan(PIECE_BUCKETS);
    // A word form no message spelt shares pieces with one the model weighs.
    const weighed = new Set(LEARNED_MODEL.features.split('\n').filter((f) => f.startsWith(PIECE)));
    expect(weighed.size).toBeGreaterThan(100);
    const shared = (w: string) => pieceBuckets(w).filter((b) => weighed.has(`${PIECE}${b}`));
    expect(shared('radicalisedness').length).toBeGreaterThan(0);
    // Text the sets never held, with digits, curly apostrophes, capitals, names and long words: the
    // one-pass score (pieces read from character codes) is the training features' score, to the bit.
    const texts = [
      'Sxyzzled re-bruisings: Y10’s RADICALISATIONS, bailiffs’ arrears 2024-25, Lily’s self-harming',
      "Mum's boyfriend-ish grandma's O'Neill x1234567 Oliver Olivers welts welted ’tis won't",
      'a'.repeat(70),
      // Words said again (their pieces are read once), and more long words than the scan remembers.
      'Bruised bruised BRUISED bruising, bruised. ' +
        Array.from(
          { length: 3000 },
          (_, i) =>
            `wq${String.fromCharCode(97 + (i % 26), 97 + (((i / 26) % 26) | 0), 97 + ((i / 676) | 0))}ed`,
        ).join(' ') +
        ' bruised wqaaaed',
      `${'b'.repeat(40)}'${'c'.repeat(40)} unbelievably counterproductive`,
      // One word spelt differently in the text (h25-tune: a word's pieces count once a message,
      // however it is spelt): curly and straight apostrophes, digit runs, capitals; and in the
      // subject and the attachment name too.
      "Zorblax’s zorblax's ZORBLAX’S 12qwerty 345qwerty qwerty7 Pieces pieces disclosures_log",
    ];
    for (const body of texts) {
      const m = {
        subject: 'Re: Pieces zorblax’s',
        body,
        attachmentNames: ['Disclosures_Log.docx', '0qwerty'],
      };
      const read = featuresOf(m, []);
      const slow = scoreFeatures(read.features, LEARNED_MODEL, read.values);
      const fast = scoreMessage(m, []);
      expect(fast.score, body).toBe(slow.score);
      expect(fast.phrases, body).toEqual(slow.phrases);
      expect(featuresOf(m, []).features.some((f) => f.startsWith(PIECE))).toBe(true);
    }
  });

  it('values a word’s pieces by the piece weighting, each distinct word once (h25-tune)', () => {
    const m = { subject: 'Payroll', body: 'payroll PAYROLL, payrolls', attachmentNames: [] };
    const { features, values } = featuresOf(m, []);
    const total = (w: string) => {
      const n = pieceBuckets(w).length;
      return n * pieceShare(n);
    };
    let sum = 0;
    features.forEach((f, i) => {
      if (f.startsWith(PIECE)) sum += values[i]!;
      else expect(values[i]).toBe(1);
    });
    // "payroll" once (said three times), "payrolls" once.
    if (PIECE_WEIGHTING === 'binary') {
      expect(sum).toBe(new Set([...pieceBuckets('payroll'), ...pieceBuckets('payrolls')]).size);
    } else expect(sum).toBeCloseTo(total('payroll') + total('payrolls'), 9);
    expect(pieceShare(18, 'mean')).toBe(1 / 18);
    expect(pieceShare(18, 'sqrt')).toBe(1 / Math.sqrt(18));
    expect(pieceShare(18, 'binary')).toBe(1);
    // h26-tune: a cap on one word's pieces, min(1, k/n) each.
    expect(pieceShare(18, 'cap12')).toBe(12 / 18);
    expect(pieceShare(12, 'cap12')).toBe(1);
  });

  it('gives no pieces to a word the model names as a unigram, when known words give none (h26-tune)', () => {
    const unigrams = LEARNED_MODEL.features
      .split('\n')
      .filter((f) => f.length >= 5 && !/[ #~]/.test(f) && !f.startsWith('_name'));
    expect(unigrams.length).toBeGreaterThan(100);
    for (const w of unigrams.slice(0, 200)) {
      expect(isKnownWord(w)).toBe(true);
      const pieces = featuresOf({ subject: '', body: w, attachmentNames: [] }, []).features.filter(
        (f) => f.startsWith(PIECE),
      );
      if (KNOWN_WORDS_GIVE_PIECES) expect(pieces.length, w).toBeGreaterThan(0);
      else expect(pieces, w).toEqual([]);
    }
    expect(isKnownWord('zorblaxes')).toBe(false);
  });
});

describe('the shipped model', () => {
  it('records the labelled sets it was trained on, unchanged since (else retrain)', () => {
    expect(TRAINED_ON).toEqual(trainingFiles());
  });

  // Empty between a round that measured its held-out sets (h8-learned2 trains on set 9 and probe
  // 9) and the merge of the next set; any set named in STILL_HELD_OUT is checked here.
  it('never learned from a held-out set that is still held out', () => {
    for (const set of STILL_HELD_OUT) {
      expect(TRAINED_ON.map((f) => f.file)).not.toContain(LABELLED_SETS[set]);
      expect(TRAINING_SETS).not.toContain(set);
    }
  });

  // Retrain the final fit and compare with the shipped weights: one set per test, so no single
  // synchronous step holds Vitest's worker for long on a loaded machine. (The thresholds come from
  // the cross-validation, `node --import tsx scripts/train-send-model.ts --check` checks them.)
  const examples: Example[] = [];
  for (const set of TRAINING_SETS) {
    it(`reads ${set} as the training script does`, () => {
      examples.push(...setExamples(set));
    });
  }
  it('is what the training script makes of those sets', () => {
    expect(examples.length).toBeGreaterThan(2500);
    const { model } = train(examples);
    expect(model.bias).toBe(LEARNED_MODEL.bias);
    expect(model.scale).toBe(LEARNED_MODEL.scale);
    expect(model.features).toBe(LEARNED_MODEL.features);
    expect(model.weights).toEqual(LEARNED_MODEL.weights);
  }, 120_000);
});
