/**
 * h31-scan's allocation cuts, each against the code it replaced (copied below):
 * - `toOriginalSpan` (the scan maps each finding back in place) gives `originalSpan`'s span as it
 *   was, with its closure, on seeded texts with quoted lines and invisible marks.
 */
import { describe, expect, it } from 'vitest';
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
