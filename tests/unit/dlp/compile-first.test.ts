/**
 * `compileFirst` runs a regular expression on texts long enough for V8 to compile it to machine
 * code at once, in both string representations, before the vocabulary's code turns V8's
 * optimisation off (lib/dlp/compile-first.ts). It must have no other effect.
 */
import { describe, expect, it } from 'vitest';
import { COMPILE_SAMPLES, compileFirst } from '../../../lib/dlp/compile-first.ts';

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
