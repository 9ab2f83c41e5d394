/**
 * The vocabulary scan tries, at each word start, only the terms that can begin with its letter
 * (lib/dlp/first-chars.ts). It must find exactly what the one alternation of all terms finds.
 */
import { describe, expect, it } from 'vitest';
import { termMatching, vocabulary, vocabularyMatches } from '../../../lib/dlp/detectors.ts';
import { firstChars, prefixes } from '../../../lib/dlp/first-chars.ts';
import { branches, VOCABULARY } from '../../../lib/dlp/vocabulary.ts';
import { loadCorpus, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';

describe('first characters of a pattern', () => {
  it('reads literals, groups, optional parts, classes and \\d', () => {
    const f = (s: string, i = true) => {
      const r = firstChars(s, i);
      return r ? [...r].sort() : null;
    };
    expect(f('hit(?:s|ting)?')).toEqual(['h']);
    expect(f('(?:drugs? )?(?:dealer|dealing)')).toEqual(['d']);
    expect(f('(?:interim |final )?care order')).toEqual(['c', 'f', 'i']);
    expect(f('[Ss]ection 47', false)).toEqual(['S', 's']);
    expect(f('\\d{2}-year-old')).toEqual([...'0123456789']);
    expect(f('\\bCHI\\b', false)).toEqual(['C']);
  });

  it('reads the first two letters, through optional parts and repeats', () => {
    const p = (s: string) => [...(prefixes(s, true, 2) ?? ['null'])].sort();
    expect(p('hit(?:s|ting)?')).toEqual(['hi']);
    expect(p('(?:drugs? )?(?:dealer|dealing)')).toEqual(['de', 'dr']);
    expect(p('s\\.? ?47')).toEqual(['s ', 's.', 's4']);
    expect(p('a+b')).toEqual(['aa', 'ab']);
    expect(p('(?:a|bc)d')).toEqual(['ad', 'bc']);
    // A match can be shorter than two characters: not usable as a pair.
    expect(prefixes('a', true, 2)).toBeNull();
  });

  it('says "could be anything" for what it does not read', () => {
    for (const s of ['.x', '\\w+', '[^a]b', '(?=a)a', 'a?', '(?:a|)', '^a', '(?<n>a)']) {
      expect(firstChars(s, true)).toBeNull();
    }
  });
});

describe('a term split into its leading alternatives', () => {
  it('splits a leading group and a top-level alternation, keeping the order', () => {
    expect(branches('(?:burns?|scalds?) (?:on|to) (?:his|her) back')).toEqual([
      'burns? (?:on|to) (?:his|her) back',
      'scalds? (?:on|to) (?:his|her) back',
    ]);
    expect(branches('toothache|tooth decay')).toEqual(['toothache', 'tooth decay']);
    expect(branches('(?:(?:hit|kick)|punch) him')).toEqual(['hit him', 'kick him', 'punch him']);
  });
  it('leaves alone what it cannot split without changing the language', () => {
    expect(branches('(?:very |really )?hungry')).toEqual(['(?:very |really )?hungry']);
    expect(branches('(?:a|b)+c')).toEqual(['(?:a|b)+c']);
    expect(branches('[|(]x')).toEqual(['[|(]x']);
    expect(branches('(?:x\\|y|z)w')).toEqual(['x\\|yw', 'zw']);
  });
});

describe('the vocabulary scan by first letter', () => {
  it('reads every term (none falls back to the slow alternation)', () => {
    for (const v of vocabulary()) expect(v.byFirst).not.toBeNull();
  });

  // The reference is the one big alternation the product no longer runs: V8 stops optimising
  // regexps once a process has generated 1 MB of their code, so over every message it takes
  // 20-60 s on a loaded two-core machine. A synchronous test that long starves Vitest's worker
  // (its RPC times out after 60 s), so the messages are compared in slices, one test each.
  const bodies = [
    ...loadCorpus().map((m) => `${m.subject}\n${m.body}`),
    ...loadLabelledSet('development').map((m) => `${m.subject}\n${m.body}`),
    ...loadLabelledSet('holdout').map((m) => `${m.subject}\n${m.body}`),
    "Sam's mum SAID he'd hurt her; she's a LAC pupil with an EHCP. re-referred to MASH_x",
    // Word starts after non-ASCII letters, digits and underscores; non-ASCII second letters
    // (the Kelvin sign lower-cases to k, the dotted I to two characters); a term at the very end.
    'caf\u00e9abuse _abuse 9abuse s\u212aelf-harm \u0130NJURY a\u0130 \u00e9EHCP self-harm',
    'Self-harmSELF-HARM self-harm\nsELF-hARM.ADHD,adhd;ADHD\tEHCP-EHCP_EHCP EHCP',
    'x'.repeat(5000).concat(' abuse'),
    'abuse',
    'a',
  ];
  const SLICES = 8;
  const sliceSize = Math.ceil(bodies.length / SLICES);
  let compared = 0;
  for (let slice = 0; slice < SLICES; slice++) {
    const texts = bodies.slice(slice * sliceSize, (slice + 1) * sliceSize);
    it(`finds the same matches as the one alternation, on labelled messages (slice ${slice + 1} of ${SLICES})`, () => {
      for (const v of vocabulary()) {
        for (const text of texts) {
          const expected: { index: number; text: string }[] = [];
          v.re.lastIndex = 0;
          for (let m = v.re.exec(text); m; m = v.re.exec(text)) {
            expected.push({ index: m.index, text: m[0] });
          }
          expect([...vocabularyMatches(v, text)]).toEqual(expected);
          compared += expected.length;
        }
      }
    }, 60_000);
  }
  it('compared many matches across the slices', () => {
    expect(compared).toBeGreaterThan(500);
  });

  it('names the same term as trying every term in order, for every match', () => {
    const texts = [
      ...loadCorpus().map((m) => `${m.subject}\n${m.body}`),
      ...loadLabelledSet('development').map((m) => `${m.subject}\n${m.body}`),
      "Sam's mum SAID he'd hurt her; she's a LAC pupil with an EHCP. re-referred to MASH_x",
      'caf\u00e9abuse s\u212aelf-harm \u0130NJURY a\u0130 \u00e9EHCP self-harm Self-harmSELF-HARM',
    ];
    let compared = 0;
    for (const v of vocabulary()) {
      const seen = new Set<string>();
      for (const text of texts) {
        for (const m of vocabularyMatches(v, text)) {
          if (seen.has(m.text)) continue;
          seen.add(m.text);
          const expected = v.terms.find((t) => t.whole.test(m.text))?.term ?? null;
          expect(termMatching(v, m.text), m.text).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(250);
  });
});

/**
 * h6-recall6, open question 3 ("a term ending in an optional part did not match without it"):
 * probing every term's shortest form, followed by each of sixteen next words, found no such
 * failure, but found two shapes of the same kind that did fail. A negative lookahead of words
 * without a word end refused any longer word starting like one ("is transitioning today" was cut
 * by "(?! to)"), and a term ending in a bare digit could not end before a letter ("in bed at 3pm",
 * "£7,400"). Checked here on the vocabulary's data and on the sentences.
 */
describe('terms end where words end', () => {
  it('every negative lookahead of words in a term ends at a word boundary', () => {
    const open: string[] = [];
    for (const t of VOCABULARY) {
      for (const m of t.pattern.matchAll(/\(\?!/g)) {
        let depth = 0;
        let i = m.index;
        for (; i < t.pattern.length; i++) {
          const c = t.pattern[i];
          if (c === '\\') i++;
          else if (c === '(') depth++;
          else if (c === ')' && --depth === 0) break;
        }
        const lookahead = t.pattern.slice(m.index, i + 1);
        if (/[a-z]\)+$/i.test(lookahead) && !/\\b\)+$/.test(lookahead)) open.push(lookahead);
      }
    }
    expect(open).toEqual([]);
  });

  it('reads a term followed by a word that starts like its lookahead, or a unit after a digit', () => {
    const found = (text: string) =>
      vocabulary().some((v) => vocabularyMatches(v, text).some((m) => termMatching(v, m.text)));
    expect(found('Our caretaker is transitioning today.')).toBe(true);
    expect(found('Dad was still in bed at 3pm.')).toBe(true);
    expect(found('They earn under £7,400 a year.')).toBe(true);
    // And the lookahead still does its job on the word itself.
    expect(found('He is transitioning to secondary in September.')).toBe(false);
  });
});
