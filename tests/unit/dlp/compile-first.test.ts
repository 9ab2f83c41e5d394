/**
 * `compileFirst` runs a regular expression on texts long enough for V8 to compile it to machine
 * code at once, in both string representations, before the vocabulary's code turns V8's
 * optimisation off (lib/dlp/compile-first.ts). It must have no other effect.
 */
import { describe, expect, it } from 'vitest';
import { COMPILE_SAMPLES, compileFirst } from '../../../lib/dlp/compile-first.ts';
import { compileWordList, scanWordLists } from '../../../lib/dlp/custom-rules.ts';

describe('compiling Steward’s searches before the vocabulary', () => {
  it('uses texts over 1,000 characters, one all one-byte and one with two-byte characters', () => {
    expect(COMPILE_SAMPLES).toHaveLength(2);
    for (const s of COMPILE_SAMPLES) expect(s.length).toBeGreaterThanOrEqual(1_000);
    const wide = (s: string) => [...s].some((c) => c.charCodeAt(0) > 0xff);
    expect(wide(COMPILE_SAMPLES[0]!)).toBe(false);
    expect(wide(COMPILE_SAMPLES[1]!)).toBe(true);
  });

  it('leaves a search as it found it', () => {
    for (const flags of ['g', 'y', 'gi', '']) {
      const re = /the/;
      const search = new RegExp(re.source, flags);
      search.lastIndex = 7;
      expect(compileFirst(search)).toBe(search);
      expect(search.lastIndex).toBe(7);
    }
    expect(compileFirst(null)).toBeNull();
  });
});

describe('a school word list compiled again', () => {
  // A policy is compiled again when the pattern engine arrives after a scan, and a managed-policy
  // update may keep a list as it was: compiled after the vocabulary, the list's search would be
  // unoptimised for the life of the page (about 15 times slower, h8-scan8). The list compiled
  // first is kept and given again.
  it('is the search compiled the first time, for the same name and words', () => {
    const list = { name: 'Staff codes', words: ['Project Falcon', 'Kestrel', 'bluebird'] };
    const first = compileWordList(list);
    const again = compileWordList({
      name: 'Staff codes',
      words: [' bluebird', 'Kestrel', 'Project Falcon'],
    });
    expect(first).not.toBeNull();
    expect(again?.re).toBe(first?.re);
    expect(compileWordList({ ...list, name: 'Other' })?.re).not.toBe(first?.re);
    expect(compileWordList({ ...list, words: ['Kestrel'] })?.re).not.toBe(first?.re);
  });

  it('finds the same words as a fresh compile', () => {
    const list = { name: 'Codes', words: ['Falcon', 'blue bird'] };
    const text = 'falcon, Blue  bird and FALCONS';
    const kept = compileWordList(list)!;
    compileWordList(list);
    expect(scanWordLists(text, [compileWordList(list)!])).toEqual(scanWordLists(text, [kept]));
    expect(scanWordLists(text, [kept]).map((d) => d.preview)).toEqual(['falcon', 'Blue bird']);
  });
});
