/**
 * h31-scan's allocation cuts, each against the code it replaced (copied below):
 * - `sameLowerCase` (vocabulary neighbours compared without a lower-cased copy of each hit) gives
 *   `a.toLowerCase() === b.toLowerCase()` on seeded pairs of ASCII and non-ASCII words, the Kelvin
 *   sign, the dotted capital I (two characters lower-cased) and the final sigma among them.
 * - `toOriginalSpan` (the scan maps each finding back in place) gives `originalSpan`'s span as it
 *   was, with its closure, on seeded texts with quoted lines and invisible marks.
 */
import { describe, expect, it } from 'vitest';
import { sameLowerCase } from '../../../lib/dlp/detectors.ts';
import { type TextToScan, textToScan, toOriginalSpan } from '../../../lib/dlp/text-to-scan.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** `originalSpan` as it was before h31-scan. */
function originalSpanBefore(
  scanned: TextToScan,
  start: number,
  end: number,
): { start: number; end: number } {
  const { from } = scanned;
  if (!from) return { start, end };
  const at = (i: number) => (i < from.length ? from[i]! : scanned.originalLength);
  if (end <= start) {
    const point = at(start);
    return { start: point, end: point };
  }
  return { start: at(start), end: from[Math.min(end, from.length) - 1]! + 1 };
}

describe('sameLowerCase', () => {
  const pieces = [
    'a',
    'A',
    'b',
    'B',
    'z',
    'Z',
    ' ',
    '-',
    '@',
    '`',
    '[',
    '{',
    'é',
    'É',
    'ß',
    'İ',
    'i',
    'I',
    '\u212a',
    'k',
    'K',
    'Σ',
    'σ',
    'ς',
    '’',
  ];
  it('agrees with comparing lower-cased copies', () => {
    const r = seededRandom(31);
    const word = () => {
      let w = '';
      const n = 1 + r.int(6);
      for (let i = 0; i < n; i++) w += r.pick(pieces);
      return w;
    };
    let equal = 0;
    for (let i = 0; i < 40_000; i++) {
      const a = word();
      // Often b is a with some letters' case changed, so that equal pairs are common.
      const b =
        r.next() < 0.6
          ? [...a].map((c) => (r.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('')
          : word();
      const expected = a.toLowerCase() === b.toLowerCase();
      if (expected) equal++;
      expect(sameLowerCase(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(expected);
      // As the vocabulary asks it (h32-scan2): each hit's ASCII-ness known beforehand.
      const ascii = (t: string) => [...t].every((c) => c.charCodeAt(0) < 128);
      const bothAscii = ascii(a) && ascii(b);
      expect(sameLowerCase(a, b, bothAscii), `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(
        expected,
      );
    }
    expect(equal).toBeGreaterThan(10_000);
    expect(sameLowerCase('Self-Harm', 'self-harm')).toBe(true);
    expect(sameLowerCase('\u212aS4', 'ks4')).toBe(true);
    expect(sameLowerCase('@', '`')).toBe(false);
  });
});

describe('toOriginalSpan', () => {
  it('maps spans as originalSpan did', () => {
    const r = seededRandom(3131);
    const parts = [
      'word',
      ' ',
      '\n',
      '> ',
      '\n> ',
      '\u200b',
      '\u00ad',
      '\u00a0',
      '\u2011',
      'x',
      '.',
    ];
    let mapped = 0;
    for (let t = 0; t < 300; t++) {
      let original = '';
      const n = 5 + r.int(60);
      for (let i = 0; i < n; i++) original += r.pick(parts);
      const scanned = textToScan(original);
      if (scanned.from) mapped++;
      for (let start = 0; start <= scanned.text.length; start++) {
        for (const end of [start - 1, start, start + 1, start + 4, scanned.text.length]) {
          const span = { start, end };
          toOriginalSpan(scanned, span);
          expect(span, `${JSON.stringify(original)} [${start}, ${end})`).toEqual(
            originalSpanBefore(scanned, start, end),
          );
        }
      }
    }
    expect(mapped).toBeGreaterThan(100);
  });
});
