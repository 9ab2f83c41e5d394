import { describe, expect, it } from 'vitest';
import { countMatches } from '../../../lib/dlp/detectors.ts';
import { GENERIC_PRONOUN_PAIR, PERSONAL_REFERENCE } from '../../../lib/dlp/vocabulary.ts';

// countMatches stands in for `text.match(re)?.length ?? 0` in the vocabulary's pronoun checks
// (h35-vocab2): the same count without an array of every match's text.
const PATTERNS = [
  PERSONAL_REFERENCE,
  GENERIC_PRONOUN_PAIR,
  /\b(?:he|she|his|her|him|hers|they)\b/gi,
  /\b(?:his or her|he or she|him or her)\b/gi,
  /[0-9]{2,}/g,
  /ab|a/g,
];

function seededWords(seed: number, n: number): string {
  const words = [
    'he',
    'She',
    'his',
    'or',
    'her',
    'him',
    'hers',
    'they',
    'the',
    'ab',
    'a',
    '12',
    '7',
    'x',
  ];
  const seps = [' ', ', ', '. ', '\n', '', '-'];
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s;
  };
  let out = '';
  for (let i = 0; i < n; i++) out += words[next() % words.length]! + seps[next() % seps.length]!;
  return out;
}

describe('countMatches', () => {
  it('counts what match counts, and leaves lastIndex at 0', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = seededWords(seed, seed % 40);
      for (const re of PATTERNS) {
        expect(countMatches(re, text)).toBe(text.match(re)?.length ?? 0);
        expect(re.lastIndex).toBe(0);
      }
    }
  });

  it('ends on a pattern that can match nothing', () => {
    expect(countMatches(/x*/g, 'abc')).toBeGreaterThan(0);
  });
});
