/**
 * `mask` writes a run of masked characters at once (h30-scan2); held to the character-at-a-time
 * version it replaced, on seeded strings of letters, digits, separators and non-ASCII units.
 */
import { describe, expect, it } from 'vitest';
import { mask } from '../../../lib/dlp/finding-text.ts';
import { seededRandom } from '../support/seeded-random.ts';

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The version before h30-scan2. */
function maskByCharacter(value: string, keepStart: number, keepEnd: number): string {
  const n = value.length;
  let alnum = 0;
  for (let i = 0; i < n; i++) if (isAlnum(value.charCodeAt(i))) alnum++;
  let seen = 0;
  let out = '';
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!isAlnum(value.charCodeAt(i))) continue;
    if (!(seen < keepStart || seen >= alnum - keepEnd)) {
      out += `${value.slice(kept, i)}•`;
      kept = i + 1;
    }
    seen++;
  }
  return kept === 0 ? value : out + value.slice(kept);
}

describe('mask by runs', () => {
  it('gives what masking a character at a time gave', () => {
    const r = seededRandom(3013);
    const units = ['A', 'z', '0', '9', ' ', '-', '/', '.', '\u00e9', '\ud83d', '\ude00', '•', '\n'];
    for (let t = 0; t < 5000; t++) {
      let s = '';
      const len = r.int(24);
      for (let i = 0; i < len; i++) s += r.pick(units);
      const a = r.int(5);
      const b = r.int(5);
      expect(mask(s, a, b)).toBe(maskByCharacter(s, a, b));
    }
    expect(mask('A123456789012', 1, 1)).toBe('A•••••••••••2');
    expect(mask('AB 12 34 56 C', 2, 1)).toBe('AB •• •• •• C');
  });
});
