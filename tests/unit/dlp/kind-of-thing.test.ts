/**
 * h22-tune: a sensitive term that names the kind of a thing (a collection, a form, a rota, a
 * course) is a general mention when nothing owns it and nobody is referred to in its sentence but
 * the reader (`KIND_OF_THING`, `KIND_OF_THING_BEFORE`, read by `kindOfThing` in `detectors.ts`).
 * Each ordinary sentence has a near-miss beside it: a person's data in the same shape, which still
 * warns. The sentences are this round's own, none from a labelled set.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

describe('h22-tune: a term naming the kind of a thing', () => {
  const pairs: [string, string, string][] = [
    [
      'a collection',
      'Huge thanks, Priya: the harvest food bank collection went off to the church on Friday.',
      'Priya told me her family have been using the food bank since her dad lost his job.',
    ],
    [
      'a form',
      'Hi Dan, the payment plan forms are in the tray by the office door.',
      'Dan asked for a payment plan because the family cannot pay for the trip.',
    ],
    [
      'a course',
      'Ella, the dyslexia screening course is full, sorry.',
      "Ella's dyslexia screening came back and she has a reading age of 7.",
    ],
  ];
  for (const [what, ordinary, concern] of pairs) {
    it(`stays quiet: ${what}`, () => expect(warns(ordinary), ordinary).toBe(false));
    it(`near-miss still warns: ${what}`, () => expect(warns(concern), concern).toBe(true));
  }
  const owned: [string, string][] = [
    ['owned by a name', "Ruby's payment plan forms came back signed; money is tight at home."],
    ['owned by a pronoun', 'Thanks, Dan: his payment plan forms are in, the family cannot pay.'],
    ['something someone has', 'Olivia has a dyslexia screening course booked with the SENCo.'],
    [
      'a person named, not addressed',
      'The food bank collection slot Priya asked for is on Friday.',
    ],
  ];
  for (const [what, text] of owned) {
    it(`still warns: ${what}`, () => expect(warns(text), text).toBe(true));
  }
});
