/**
 * The identifier searches are tried only at runs of digits (`matchesAtDigitRuns`, h32-scan): each
 * pattern, sticky, a letter or two before or at the start of each run whose length it could match,
 * instead of searching the whole text. The findings must not change, so each must give exactly the
 * matches the global `exec` loop from the text's start gives: the same places, the same text, the
 * same groups, the same hiding of a match inside an earlier one.
 */
import { describe, expect, it } from 'vitest';
import { searchesAtDigitRuns } from '../../../lib/dlp/detectors.ts';
import {
  corpusMessage,
  numbersMessage,
  schoolCodesMessage,
} from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** The matches as they were found before: the global search from the text's start. */
function wholeText(re: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) found.push(m);
  re.lastIndex = 0;
  return found;
}

const asPlain = (ms: RegExpExecArray[]) => ms.map((m) => ({ index: m.index, groups: [...m] }));

/** Pieces that make identifiers, near-identifiers and runs touching letters, spaces and hyphens. */
const PIECES = [
  '0',
  '1',
  '4',
  '9',
  '12',
  '943',
  '4765',
  '12345',
  '123456',
  '4765 4321',
  '401 023 2137',
  '401-023-2137',
  '4010232137',
  '4111111111111111',
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '3782 822463 10005',
  '12-34-56',
  '12-34-567',
  '123456789',
  'A12345678901B',
  'Z123456789012',
  'AB123456C',
  'AB 12 34 56 C',
  'AB12 34 56C',
  'QQ 123456 A',
  '52205 B 12 3456 K',
  '522051234567K',
  'MORGA657054SM9IJ',
  'LI999802256AB1CD',
  ' ',
  '  ',
  '-',
  '+',
  '+44',
  '\n',
  'A',
  'B',
  'x',
  'Q',
  '_',
  '.',
];

const random = (seed: number): (() => number) => seededRandom(seed).next;

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

describe('identifier searches tried at runs of digits', () => {
  for (const { name, search, matches, digits } of searchesAtDigitRuns()) {
    it(`${name}: the whole-text search's matches in 3,000 generated texts`, () => {
      const next = random(name.length * 7919);
      let found = 0;
      for (let i = 0; i < 3_000; i++) {
        const text = randomText(next, 1 + Math.floor(next() * 40));
        const before = wholeText(search, text);
        found += before.length;
        expect(asPlain(matches(text)), JSON.stringify(text)).toEqual(asPlain(before));
      }
      // The texts hold the identifier's shapes: the test compares matches, not two empty lists.
      expect(found).toBeGreaterThan(100);
    });

    if (digits) {
      it(`${name}: a match's digits read from its text are its groups joined`, () => {
        const next = random(name.length * 104729);
        let found = 0;
        for (let i = 0; i < 3_000; i++) {
          const text = randomText(next, 1 + Math.floor(next() * 40));
          for (const m of wholeText(search, text)) {
            found++;
            expect(digits(m[0]), JSON.stringify(m[0])).toBe(m.slice(1).join(''));
          }
        }
        expect(found).toBeGreaterThan(100);
      });
    }

    it(`${name}: the whole-text search's matches in the bench's 100 KB messages`, () => {
      for (const text of [corpusMessage().body, schoolCodesMessage().body, numbersMessage().body]) {
        expect(asPlain(matches(text))).toEqual(asPlain(wholeText(search, text)));
      }
    });
  }
});
