/**
 * One re2js matcher per pattern, set on each input (`matcherOn`, h30-scan): it must answer as a
 * matcher made afresh on that input does, whatever the same matcher was asked before (a match
 * found and searched on from, an anchored try that failed, its look-behind state, kept and reset).
 */
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { matcherOn } from '../../../lib/dlp/custom-patterns.ts';
import { seededRandom } from '../support/seeded-random.ts';

const SOURCES = [
  '\\bPAY-\\d{4,6}\\b',
  '(?i)cp\\d+',
  '\\bref [A-Z]{2}\\d{3}',
  '(?s:.)(?:\\bAB\\d+)',
  'x*',
  '^\\w+',
];
const PIECES = [
  'PAY-1234',
  'pay-123456',
  'cp12',
  'CP9',
  'ref AB123',
  'AB9',
  ' ',
  '\n',
  'x',
  'xx',
  'é',
  '𝒳',
];

/** Everything a scan reads from a matcher: anchored and unanchored tries, spans, searches on. */
function answers(m: ReturnType<RE2JS['matcher']>, length: number, r: () => number): unknown[] {
  const out: unknown[] = [];
  out.push(m.lookingAt() ? [m.start(), m.end()] : null);
  const from = Math.floor(r() * (length + 1));
  out.push(m.find(from) ? [m.start(), m.end()] : null);
  for (let i = 0; i < 4; i++) out.push(m.find() ? [m.start(), m.end()] : null);
  return out;
}

describe('matcherOn', () => {
  it('answers as a fresh matcher on each input, whatever it was asked before', () => {
    const res = SOURCES.map((s) => RE2JS.compile(s));
    const rand = seededRandom(13);
    for (let t = 0; t < 400; t++) {
      const re = rand.pick(res);
      let input = '';
      for (let i = 0; i < 1 + rand.int(8); i++) input += rand.pick(PIECES);
      const seed = rand.int(1_000_000);
      const fresh = answers(re.matcher(input), input.length, seededRandom(seed).next);
      const reused = answers(matcherOn(re, input), input.length, seededRandom(seed).next);
      expect(reused, `${re.pattern()} on ${JSON.stringify(input)}`).toEqual(fresh);
    }
  });
  it('is the same matcher for the same pattern, another for another', () => {
    const a = RE2JS.compile('a+');
    const b = RE2JS.compile('a+');
    expect(matcherOn(a, 'aa')).toBe(matcherOn(a, 'ba'));
    expect(matcherOn(a, 'aa')).not.toBe(matcherOn(b, 'aa'));
  });
});
