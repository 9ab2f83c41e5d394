/**
 * h14-scan13's fast paths, each against the plain computation it replaced:
 * - `isGivenName` remembers its answers by word as written (`givenNameOf` is the computation):
 *   the same answer for every capitalised word of the labelled messages and of issue 13's 100 KB
 *   message, asked twice, and for seeded words built to break a memo (names and near misses in
 *   every case, dashes, apostrophes, the Kelvin sign and the dotted capital I, which lower-case to
 *   other letters), more distinct words than the memo holds so that it empties and fills again.
 */
import { describe, expect, it } from 'vitest';
import { ANSWERED_LIMIT, GIVEN_NAMES, givenNameOf, isGivenName } from '../../../lib/dlp/names.ts';
import {
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

const CAPITALISED = /\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\b/g;

function labelledTexts(): string[] {
  const texts = [schoolCodesMessage().body];
  for (const m of loadCorpus()) texts.push(m.subject, m.body);
  for (const set of labelledSetsNotHeldOut()) {
    if (/holdout1[56]/.test(set)) continue;
    for (const m of loadLabelledSet(set)) texts.push(m.subject, m.body);
  }
  return texts;
}

describe('isGivenName remembered', () => {
  it('answers as givenNameOf for every capitalised word of the labelled messages, twice', () => {
    let asked = 0;
    let names = 0;
    for (const text of labelledTexts()) {
      for (const [word] of text.matchAll(CAPITALISED)) {
        const expected = givenNameOf(word);
        expect(isGivenName(word), word).toBe(expected);
        expect(isGivenName(word), word).toBe(expected);
        asked++;
        if (expected) names++;
      }
    }
    expect(asked).toBeGreaterThan(10_000);
    expect(names).toBeGreaterThan(500);
  });

  it('answers as givenNameOf for seeded words, through the memo emptying and filling again', () => {
    const r = seededRandom(13);
    const names = [...GIVEN_NAMES];
    const cases = [
      (w: string) => w,
      (w: string) => w.charAt(0).toUpperCase() + w.slice(1),
      (w: string) => w.toUpperCase(),
      (w: string) => `${w.charAt(0).toUpperCase()}${w.slice(1, -1)}`,
      (w: string) =>
        `${w.charAt(0).toUpperCase()}${w.slice(1)}${r.pick(['s', 'x', 'é', '’s', "'s"])}`,
      (w: string) => `${w.charAt(0).toUpperCase()}${w.slice(1)}-${r.pick(names)}`,
      (w: string) => `${r.pick(['Mc', 'O’', 'De', 'Van-'])}${w}`,
      (w: string) => w.replace(/k/g, '\u212a').replace(/i/, '\u0130'),
      (w: string) => `-${w}`,
      (w: string) => `${w}${r.int(100_000)}`,
    ];
    const distinct = new Set<string>();
    let named = 0;
    for (let k = 0; k < 3 * ANSWERED_LIMIT; k++) {
      const word = r.pick(cases)(r.pick(names));
      distinct.add(word);
      const expected = givenNameOf(word);
      if (expected) named++;
      expect(isGivenName(word), word).toBe(expected);
    }
    expect(distinct.size).toBeGreaterThan(ANSWERED_LIMIT);
    expect(named).toBeGreaterThan(1000);
  });
});
