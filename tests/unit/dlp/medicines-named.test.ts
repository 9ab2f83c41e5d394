/**
 * h37-recall: a medicine or a procedure named the way staff name it. The BNF for Children's other
 * ADHD medicines (dexamfetamine, Medikinet, Equasy, guanfacine), someone's own lithium, and intimate
 * care told as the procedure ("catheterisation") are health data about a person; a battery's
 * lithium is not. The sentences are this round's own, none from a labelled set.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

describe('h37-recall: medicines and procedures named as staff name them', () => {
  const concerns: [string, string][] = [
    [
      'an ADHD medicine by generic name',
      'Dexamfetamine for Jacob goes up to 5mg at lunch from Monday.',
    ],
    [
      'an ADHD medicine by brand name',
      'Mum has dropped off a new box of Medikinet for him, 10mg a day.',
    ],
    [
      'another by brand name',
      'She takes Intuniv at breakfast now, so she may be sleepy in period 1.',
    ],
    [
      "someone's lithium",
      'Please can you remind him to take his lithium at break, he forgot yesterday.',
    ],
    [
      'a procedure',
      'Amira will need catheterisation at 11 and 2, in the medical room with two staff.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(`warns: ${what}`, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'a battery',
      'The lithium batteries for the Y6 robots are in the blue box in the IT cupboard.',
    ],
    ['chemistry', 'Y10 will compare lithium, sodium and potassium in water on Thursday.'],
  ];
  for (const [what, text] of ordinary) {
    it(`stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});
