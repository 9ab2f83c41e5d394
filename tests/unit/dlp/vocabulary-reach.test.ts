/**
 * Fewer sticky group tests (h33-terms), both exact:
 * - a term the gate cannot read whose every match holds a literal ("[A-Z][a-z]+ … prescribed")
 *   is tried only at word starts where the literal is written within reach (`reachBefore`:
 *   the characters and the most of them a match can hold before it), not at every word start of
 *   its pairs once the text holds the literal anywhere;
 * - a term led by a run of digits is tried only where what follows the run is one of the exact
 *   starts of what follows it in the term (`runDeep`), and a gated term led by a digit only where
 *   its pair's deep starts are written: the trie's classes had let "14:00" and "2025 in the" by.
 * Each held to the one alternation of all terms (`v.re`) on texts dense with the shapes skipped.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompiledVocabulary,
  compileVocabulary,
  reachBefore,
  vocabulary,
  vocabularyMatchesAlone,
  vocabularyMatchesBoth,
} from '../../../lib/dlp/detectors.ts';
import type { VocabularyTerm } from '../../../lib/dlp/vocabulary.ts';
import { corpusMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { type SeededRandom, seededRandom } from '../support/seeded-random.ts';
import { alternationFinds } from '../support/vocabulary-alternation.ts';

const letters = (r: { alphabet: Uint8Array } | null) =>
  r ? [...r.alphabet].map((x, i) => (x ? String.fromCharCode(i) : '')).join('') : null;

describe('what a match can hold before its literal (reachBefore)', () => {
  it('reads the characters and the most of them', () => {
    const r = reachBefore('ab(?:c|de){2}x?[0-9a-f]{1,3}\\bliteral', false);
    expect(r?.literal).toBe('literal');
    expect(r?.max).toBe(2 + 4 + 1 + 3);
    expect(letters(r)).toBe('0123456789abcdefx');
    const p = reachBefore("[A-Z][a-z]+(?:'s| is| has been) (?:now )?prescribed", true);
    expect(p?.max).toBe(Number.POSITIVE_INFINITY);
    expect(letters(p)).toBe(" 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    expect(p?.nonAscii).toBe(false);
    expect(reachBefore("[a-z]+[\u2019']s fasting", true)?.nonAscii).toBe(true);
    expect(reachBefore('a{2,}?b{3}literal', false)?.max).toBe(Number.POSITIVE_INFINITY);
    expect(reachBefore('(a|bc)?\\-literal', false)?.max).toBe(2);
    expect(letters(reachBefore('\\d[\\d,]*(?:\\.\\d)?literal', false))).toBe(',.0123456789');
  });
  it('reads nothing it cannot bound soundly', () => {
    for (const p of [
      '(?=x)literal',
      '(?!x)literal',
      '[^a]literal',
      'x.literal',
      'x\\sliteral',
      'x\\Wliteral',
      '(a)\\1literal',
      '[a-\u00ff]literal',
      'abc|literal',
      'abc',
    ]) {
      expect(reachBefore(p, true), p).toBeNull();
    }
  });
});

const CAPITALS = ['Sam', 'The', 'Doctor', 'Mum', 'Ahmed', 'I', 'A', 'Zed', 'Ab', 'Q'];
const FILLER = ['is', 'was', 'has been', 'now', 'just', 'been', "'s", '\u2019s', 'had', 'x'];
const BREAKS = [' ', ' ', ' ', '  ', '. ', ', ', '\n', '-', "'", '\u00e9', '\u2019', ''];

const LINKS = ["'s", '\u2019s', ' is', ' was', ' has been', ' x', ' had', '', 's'];
const ADVERBS = ['now ', 'just ', 'been ', 'x ', '', '', 'now been '];

/**
 * Text dense with capitalised words, the literal at every distance, and what breaks a run: loose
 * words, and phrases of the terms' own shape (a word, a link, adverbs, the literal), each part
 * sometimes cut short, upper-cased or broken by punctuation or a character outside ASCII.
 */
function denseText(r: SeededRandom, literals: string[], pieces: number): string {
  const vary = (w: string) => {
    if (r.next() < 0.1) w = w.toUpperCase();
    if (r.next() < 0.08) w = w.slice(0, r.int(w.length + 1));
    return w;
  };
  let s = '';
  for (let i = 0; i < pieces; i++) {
    const k = r.int(10);
    let w: string;
    if (k < 5) {
      w = vary(r.pick(CAPITALS)) + vary(r.pick(LINKS));
      w += r.next() < 0.1 ? r.pick(BREAKS) : ' ';
      w += vary(r.pick(ADVERBS)) + vary(r.pick(ADVERBS)) + vary(r.pick(literals));
    } else w = vary(k < 7 ? r.pick(CAPITALS) : k < 9 ? r.pick(FILLER) : r.pick(literals));
    s += w + r.pick(BREAKS);
  }
  return s;
}

function term(pattern: string, caseSensitive: boolean): VocabularyTerm {
  return {
    pattern,
    type: 'safeguarding',
    category: 'test',
    tier: 'status',
    ...(caseSensitive ? { caseSensitive } : {}),
  };
}

/** Open terms of the shapes bounded, with gated ones sharing their pairs. */
const OPEN_TERMS = [
  "[A-Z][a-z]+(?:'s| is| was| has been) (?:now |just )?(?:been )?prescribed",
  "[a-z]+['\u2019]s (?:now )?fasting\\b",
  '[A-Z][a-z]{0,2} (?:x )?zedlit',
  '(?:Sa|[A-Z])[a-z]? (?:is )?(?:now )?prescribed him',
  '[A-Z]\\w* had [a-z]+ed fasting',
  // The literal's first character is not one of what comes before it: found at the run's end.
  '[a-z]+\\.zedlit',
  'sam is',
  'the doctor',
  'is prescribed',
];

describe('a term the gate cannot read is tried only where its literal is within reach', () => {
  it('finds what the one alternation finds, on text dense with capitals and the literal', () => {
    let compared = 0;
    let opened = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = seededRandom(seed * 7331);
      const terms = OPEN_TERMS.filter(() => r.next() < 0.7);
      if (terms.length === 0) continue;
      const text = denseText(
        r,
        ['prescribed', 'fasting', 'zedlit', 'prescribed him', '.zedlit'],
        300,
      );
      for (const caseSensitive of [false, true]) {
        const v = compileVocabulary(
          caseSensitive,
          terms.map((p) => term(p, caseSensitive)),
        );
        if (!v.byFirst?.gate) continue;
        opened += v.byFirst.gate.conditional.filter((c) => c.reach !== null).length;
        const expected = alternationFinds(v, text);
        expect(vocabularyMatchesAlone(v, text), `seed ${seed}`).toEqual(expected);
        compared += expected.length;
      }
    }
    expect(opened).toBeGreaterThan(300);
    expect(compared).toBeGreaterThan(1000);
  }, 60_000);

  it('in one walk for both cases, asked in order of the starts', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = seededRandom(seed * 92821);
      const terms = OPEN_TERMS.flatMap((p) => [term(p, false), term(p, true)]);
      const a = compileVocabulary(false, terms);
      const b = compileVocabulary(true, terms);
      const text = denseText(r, ['prescribed', 'fasting', 'zedlit'], 300);
      expect(vocabularyMatchesBoth(a, b, text), `seed ${seed}`).toEqual([
        alternationFinds(a, text),
        alternationFinds(b, text),
      ]);
    }
  }, 60_000);

  it("the shipped vocabulary: the corpus text that holds 'prescribed' and 'fasting'", () => {
    const [a, b] = vocabulary() as [CompiledVocabulary, CompiledVocabulary];
    const body = corpusMessage(200 * 1024).body;
    // Near the literals, and the same lower- and upper-cased.
    const at = body.toLowerCase().indexOf('prescribed');
    expect(at).toBeGreaterThan(0);
    for (const text of [body.slice(at - 6000, at + 6000)].flatMap((t) => [
      t,
      t.toLowerCase(),
      t.toUpperCase(),
    ])) {
      expect(vocabularyMatchesBoth(a, b, text)).toEqual([
        alternationFinds(a, text),
        alternationFinds(b, text),
      ]);
    }
  }, 60_000);
});

const DIGIT_PIECES = [
  '14:00',
  '2025 in the',
  '20 in cash',
  '3 days (back',
  '3 days',
  '12 days off in 3 spells',
  '1:1 support',
  '21-year-old',
  '45-year-old man',
  '12-year-old man',
  '40% extra time',
  '40%',
  '1,000 in notes',
  '1,000 in cash',
  '1,000.00 is due',
  '7th percentile',
  '3 separate absences',
  '12.50 payable',
  '10 marks on his mock',
  '24-week scan',
  '24 week scan',
  '350 agreed',
  '004512 is',
];

describe('terms led by a digit are tried only where their exact starts are written', () => {
  it('passes a character outside ASCII after the run, as the alternation may match it', () => {
    const terms = ['\\d+\u00e9t\u00e9 days', '\\d+x\u00e9 days', '\\d+ days', '\\d{2}-year-old'];
    const text = '20\u00e9t\u00e9 days, 3x\u00e9 days, 12 days, 4\u00e9 x, 40-year-old, 7x days';
    for (const caseSensitive of [false, true]) {
      const v = compileVocabulary(
        caseSensitive,
        terms.map((p) => term(p, caseSensitive)),
      );
      expect(v.byFirst?.gate?.runDeep).toBeTruthy();
      const expected = alternationFinds(v, text);
      expect(expected.length).toBe(4);
      expect(vocabularyMatchesAlone(v, text)).toEqual(expected);
    }
  });

  it('the shipped vocabulary on text dense with runs of digits and what follows them', () => {
    const [a, b] = vocabulary() as [CompiledVocabulary, CompiledVocabulary];
    let compared = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = seededRandom(seed * 3571);
      let text = '';
      for (let w = 0; w < 300; w++) {
        let s = r.pick(DIGIT_PIECES);
        if (r.next() < 0.3) s = s.slice(0, 1 + r.int(s.length));
        if (r.next() < 0.2) s = s.toUpperCase();
        if (r.next() < 0.2) s = s.replace(/[ :.,%-]/, r.pick([':', '.', '/', ' ', '\u00e9', '-']));
        text += s + r.pick([' ', '. ', '\n', ', ', ' ', '']);
      }
      const expected = [alternationFinds(a, text), alternationFinds(b, text)];
      expect(vocabularyMatchesBoth(a, b, text), `seed ${seed}`).toEqual(expected);
      expect(vocabularyMatchesAlone(a, text)).toEqual(expected[0]);
      compared += expected[0]!.length;
    }
    expect(compared).toBeGreaterThan(500);
  }, 60_000);
});
