/**
 * The vocabulary scan looks terms up by the word a match starts with, comparing their wordings
 * (lib/dlp/wordings.ts) where they are a short finite list. It must find exactly what the one
 * alternation of every term (`v.re`, the regular expressions themselves) finds: over every
 * wording of every term, in the places a term can and cannot end, and over every corpus set.
 */
import { describe, expect, it } from 'vitest';
import { vocabulary, vocabularyMatches } from '../../../lib/dlp/detectors.ts';
import { firstWords, wordings } from '../../../lib/dlp/wordings.ts';
import { LABELLED_SETS, loadCorpus, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';

function byRegExp(re: RegExp, text: string): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ index: m.index, text: m[0] });
  return out;
}

describe('wordings read from a pattern', () => {
  it('lists every wording in the order a regular expression tries them', () => {
    expect(wordings('grab(?:s|bed|bing)?', true)).toEqual(['grabs', 'grabbed', 'grabbing', 'grab']);
    expect(wordings('(?:a|b){0,2}c', true)).toEqual(['aac', 'abc', 'ac', 'bac', 'bbc', 'bc', 'c']);
    expect(wordings('(?:a|b)??c', true)).toEqual(['c', 'ac', 'bc']);
    expect(wordings('[Ss]ection 47', false)).toEqual(['Section 47', 'section 47']);
    expect(wordings('EHCP', true)).toEqual(['ehcp']);
    expect(wordings("girls['’]", true)).toEqual(["girls'", 'girls’']);
  });
  it('keeps a \\b only where it holds', () => {
    expect(wordings('(?:a )?pic\\b', true)).toEqual(['a pic', 'pic']);
    expect(wordings('pic(?:s|\\b-x)', true)).toEqual(['pics', 'pic-x']);
    expect(wordings('pic(?:\\bs)', true)).toEqual([]);
  });
  it('reads nothing it cannot list', () => {
    for (const s of [
      'a+',
      '\\d+ days',
      '[a-z]+ing',
      'x(?! y)',
      'a.b',
      '\\s',
      '\\w',
      '[^.]x',
      '(a)',
    ]) {
      expect(wordings(s, true)).toBeNull();
    }
    expect(wordings('[a-z][a-z][a-z]', true, 64)).toBeNull(); // 17,576 wordings
    expect(wordings('caf\u00e9', true)).toBeNull(); // a letter with another case
  });
  it('reads the first word when what follows cannot be listed', () => {
    expect(firstWords('hit(?:s|ting)? (?:[a-z]+ )*him', true)?.sort()).toEqual([
      'hit',
      'hits',
      'hitting',
    ]);
    expect(firstWords('(?:is a |as a )?member of[^.]+', true)?.sort()).toEqual([
      'as',
      'is',
      'member',
    ]);
    expect(firstWords('\\d+ days', true)).toBeNull();
  });
});

describe('the scan by word against the regular expressions', () => {
  it('finds what the one alternation finds, at every wording of every term', () => {
    let compared = 0;
    for (const v of vocabulary()) {
      const all: string[] = [];
      for (const entry of v.terms) {
        for (const w of wordings(entry.term.pattern, v.ignoreCase) ?? []) {
          const shown = v.ignoreCase ? w.toUpperCase() : w;
          all.push(w, shown);
        }
      }
      // Each wording where a term ends (before a full stop, a space, a closing quote) and where
      // it must not (inside a longer word, before a hyphen or an apostrophe and a letter).
      const endings = ['. ', ' and ', "' ", 's ', '-x ', "'s ", '\n'];
      for (let from = 0; from < all.length; from += 400) {
        const chunk = all.slice(from, from + 400);
        for (const ending of endings) {
          const text = chunk.map((w) => `(${w}${ending}`).join('');
          const expected = byRegExp(v.re, text);
          expect(vocabularyMatches(v, text)).toEqual(expected);
          compared += expected.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(20_000);
  });

  it('finds what the one alternation finds, over every corpus set', () => {
    const texts = [
      ...loadCorpus().map((m) => `${m.subject}\n${m.body}`),
      ...Object.keys(LABELLED_SETS).flatMap((set) =>
        loadLabelledSet(set as keyof typeof LABELLED_SETS).map((m) => `${m.subject}\n${m.body}`),
      ),
    ];
    let compared = 0;
    for (const v of vocabulary()) {
      const expected = byRegExp(v.re, texts.join('\n\n'));
      expect(vocabularyMatches(v, texts.join('\n\n'))).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(500);
  });
});
