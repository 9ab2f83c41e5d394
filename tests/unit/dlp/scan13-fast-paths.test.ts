/**
 * h14-scan13's fast paths, each against the plain computation it replaced:
 * - `isGivenName` remembers its answers by word as written (`givenNameOf` is the computation):
 *   the same answer for every capitalised word of the labelled messages and of issue 13's 100 KB
 *   message, asked twice, and for seeded words built to break a memo (names and near misses in
 *   every case, dashes, apostrophes, the Kelvin sign and the dotted capital I, which lower-case to
 *   other letters), more distinct words than the memo holds so that it empties and fills again.
 * - A school pattern's keywords are looked for in each match's slice alone while the slices add up
 *   to less than the text, then in an index of the whole text (`keywordNearby`): the confidence
 *   is the keyword alternation tested on the slice [start - PROXIMITY, end + PROXIMITY), as the
 *   scan always defined it, for keywords placed at every offset around that slice's edges, and
 *   for seeded texts with few matches (slices only) and many (the index from part-way through).
 * - Dates of birth are searched only around birth-date words (`datesOfBirth`): the same findings
 *   as the search of the whole text, on every labelled message and issue 13's message, and on
 *   seeded texts of dates in every format, labels before and after them at every distance around
 *   the regions' edges, table headings, long runs of spaces and line breaks inside dates, and the
 *   characters a date cannot hold, where the search starts afresh.
 * (The anchored search from each possible start is compared with the plain windowed search in
 * `pattern-starts.test.ts`.)
 */
import { describe, expect, it } from 'vitest';
import { compilePattern, scanCustomPatterns } from '../../../lib/dlp/custom-patterns.ts';
import { datesOfBirth } from '../../../lib/dlp/detectors.ts';
import { PROXIMITY } from '../../../lib/dlp/finding-text.ts';
import { ANSWERED_LIMIT, GIVEN_NAMES, givenNameOf, isGivenName } from '../../../lib/dlp/names.ts';
import {
  CORPUS_NOW,
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

describe('school pattern keywords looked for near each match', () => {
  const compiled = compilePattern({
    name: 'Ref',
    pattern: 'REF-\\d{4}',
    keywords: ['case file', 'Pupil', 'é'],
  });
  if ('error' in compiled) throw new Error(compiled.error);

  /** The confidence by definition: some keyword wholly inside the match's slice. */
  const expected = (text: string) =>
    scanCustomPatterns(text, [compiled], Number.POSITIVE_INFINITY).detections.map((d) => {
      const near = text.slice(
        Math.max(0, d.start - PROXIMITY),
        Math.min(text.length, d.end + PROXIMITY),
      );
      compiled.keywords!.lastIndex = 0;
      const high = compiled.keywords!.test(near);
      compiled.keywords!.lastIndex = 0;
      return { start: d.start, confidence: high ? 'high' : 'low' };
    });
  const actual = (text: string) =>
    scanCustomPatterns(text, [compiled], Number.POSITIVE_INFINITY).detections.map((d) => ({
      start: d.start,
      confidence: d.confidence,
    }));

  it('finds a keyword at every offset around the slice edges (one match: slices only)', () => {
    let high = 0;
    for (const keyword of ['case file', 'PUPIL', 'É']) {
      for (let offset = -PROXIMITY - 12; offset <= PROXIMITY + 12; offset++) {
        // The match at 2,000 in 8,000 characters; the keyword `offset` from the match's start
        // (before it) or from its end (after it).
        const at = 2000;
        const match = 'REF-1234';
        const filler = 'a '.repeat(4000);
        const before = offset < 0;
        const k = before ? at + offset : at + match.length + offset;
        if (k < 0 || (k < at + match.length && k + keyword.length > at)) continue;
        const chars = filler.split('');
        chars.splice(at, match.length, ...match);
        chars.splice(k, keyword.length, ...keyword);
        const text = chars.join('');
        const found = actual(text);
        expect(found, `${keyword} at ${offset}`).toEqual(expected(text));
        expect(found.length).toBe(1);
        if (found[0]!.confidence === 'high') high++;
      }
    }
    expect(high).toBeGreaterThan(1000);
  });

  it('gives the same confidences with few matches and with many (the index part-way)', () => {
    const r = seededRandom(1313);
    const pieces = ['REF-1234', 'REF-99', 'ref-1234', 'case file', 'Case File', 'pupil', 'é', 'e'];
    let compared = 0;
    let high = 0;
    let low = 0;
    for (let seed = 0; seed < 40; seed++) {
      const rare = seed % 2 === 0;
      let text = '';
      const length = 3000 + r.int(6000);
      while (text.length < length) {
        text += r.next() < (rare ? 0.004 : 0.2) ? r.pick(pieces) : r.pick(['a', ' ', 'b ', '\n']);
      }
      const found = actual(text);
      expect(found, `seed ${seed}`).toEqual(expected(text));
      compared += found.length;
      high += found.filter((f) => f.confidence === 'high').length;
      low += found.filter((f) => f.confidence === 'low').length;
    }
    expect(compared).toBeGreaterThan(500);
    expect(high).toBeGreaterThan(100);
    expect(low).toBeGreaterThan(10);
  });
});

describe('dates of birth searched only around birth-date words', () => {
  it('finds what the whole-text search finds in every labelled message', () => {
    let found = 0;
    for (const text of labelledTexts()) {
      const whole = datesOfBirth(text, CORPUS_NOW, true);
      expect(datesOfBirth(text, CORPUS_NOW), text.slice(0, 80)).toEqual(whole);
      found += whole.length;
    }
    expect(found).toBeGreaterThan(100);
  });

  it('finds what the whole-text search finds in seeded texts built around the edges', () => {
    const r = seededRandom(1414);
    const dates = [
      '12/03/2011',
      '1.2.09',
      '3-4-1999',
      '2010-05-17',
      '4th March 2012',
      '21 of  june 2008',
      'Sept 3rd, 2014',
      'jan\n\n  5,\n 2013',
      '12 \n\n\n   march    2010',
      '31/12/2025',
      '1/1/1899',
      '12/03/2011/4',
      '07/07/07',
    ];
    const labels = [
      'DOB:',
      'D.O.B',
      'd. o. b',
      'dob',
      'Date of birth:',
      'date  of\nbirth',
      'birth date',
      'Birthdate -',
      'born on',
      'Born',
      '(DOB)',
      'dobirth',
      'd.o.born',
    ];
    const fillers = [
      ' ',
      ' ',
      '\n',
      'and',
      'the trip',
      ':',
      '(',
      ')',
      '!',
      ';',
      '"',
      "'",
      'é',
      ',',
      '.',
      '-',
    ];
    let compared = 0;
    let found = 0;
    for (let seed = 0; seed < 400; seed++) {
      let text = '';
      const length = 200 + r.int(2500);
      while (text.length < length) {
        const roll = r.next();
        if (roll < 0.08) text += r.pick(dates);
        else if (roll < 0.11) text += r.pick(labels);
        else if (roll < 0.13) text += ' '.repeat(r.int(330));
        else if (roll < 0.14) text += 'x'.repeat(r.int(330));
        else text += r.pick(fillers);
      }
      const whole = datesOfBirth(text, CORPUS_NOW, true);
      expect(datesOfBirth(text, CORPUS_NOW), `seed ${seed}`).toEqual(whole);
      compared++;
      found += whole.length;
    }
    expect(compared).toBe(400);
    expect(found).toBeGreaterThan(1000);
  });

  it('finds a date at every distance from its label, before and after it', () => {
    // Dates with a comma and line breaks inside: a region can start inside one, and the search
    // must then start before the date (a comma is no place to start afresh).
    // One longer than a heading's reach, so that its region starts after its comma.
    const dates = [
      '12/03/2011',
      'Sept 3rd, 2014',
      '4th\n  March   2012',
      'jan 5,\n 2013',
      `jan 5,${' '.repeat(330)}2013`,
    ];
    let found = 0;
    for (const date of dates) {
      for (const label of ['DOB:', 'date of birth', 'Born on', 'd. o. b', '(DOB)']) {
        for (let gap = 0; gap <= 330; gap++) {
          for (const pad of [' ', 'x', '\n', ':']) {
            const filler = 'Trip list: '.repeat(40);
            const rest = ` ${'and more '.repeat(60)}`;
            const before = `${filler}${label}${pad.repeat(gap)}${date}${rest}`;
            const after = `${filler}${date}${pad.repeat(gap)}${label}${rest}`;
            for (const text of [before, after]) {
              const whole = datesOfBirth(text, CORPUS_NOW, true);
              expect(
                datesOfBirth(text, CORPUS_NOW),
                `${JSON.stringify(date)} ${label} ${gap} ${JSON.stringify(pad)}`,
              ).toEqual(whole);
              found += whole.length;
            }
          }
        }
      }
    }
    expect(found).toBeGreaterThan(4000);
  });
});
