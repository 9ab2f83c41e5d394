/**
 * `aboutNobody` (lib/dlp/detectors.ts) reads a name that is not titled first when the names are
 * found already (h33-vocab): the message is then about someone, with no whole-text search. Every
 * other test in it is a pure conjunct, so the answer must be the same as the full reading's, for
 * every text, with or without the rest of the message.
 */
import { describe, expect, it } from 'vitest';
import { aboutNobodyOf } from '../../../lib/dlp/detectors.ts';
import { loadCorpus } from '../../fixtures/dlp-corpus/evaluate.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** Sentences of general mail, of someone, and names titled, untitled and in greetings. */
const PIECES = [
  'Parents can request an assessment from the local authority.',
  'The training is on Tuesday.',
  'Please read the attached policy.',
  'Dear all,',
  'Hi everyone,',
  'Mr Holt will run the session.',
  'Mrs Ahmed will talk about it.',
  'Ellie Smith was upset today.',
  'Jayden Brown said that it hurt.',
  'Thanks, Priya',
  'Hi Dan,',
  'Kind regards,\nSarah Jones',
  'He was upset.',
  'his or her',
  'he or she',
  'The child was upset.',
  'Mum rang.',
  'the boy in 4C',
  'We have an assembly next week.',
  'Families may appeal within 30 days.',
  'The weather was nice.',
  'Tom',
  'Lucy Green',
  '\n',
  '\n\n',
];

function generated(seed: number, count: number): string[] {
  const { next } = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const n = 1 + Math.floor(next() * 7);
    for (let k = 0; k < n; k++) parts.push(PIECES[Math.floor(next() * PIECES.length)]!);
    out.push(parts.join(next() < 0.5 ? ' ' : '\n'));
  }
  return out;
}

const full = (text: string, rest: string) => aboutNobodyOf(text, rest, false, false);

describe('aboutNobody with the names read first', () => {
  it('says what the full reading says on generated texts, names found or not', () => {
    const texts = generated(33, 4000);
    let shortcutTaken = 0;
    let nobody = 0;
    for (const text of texts) {
      const expected = full(text, '');
      if (expected) nobody++;
      expect(aboutNobodyOf(text, '', true, true), text).toBe(expected);
      expect(aboutNobodyOf(text, '', false, true), text).toBe(expected);
      // The shortcut would answer where the full reading gets past `GENERAL_MAIL`.
      if (
        !expected &&
        /can request|training|policy|Dear all|Hi everyone|assembly|appeal/.test(text)
      ) {
        shortcutTaken++;
      }
    }
    // Both answers occur, and many texts are general mail that names someone.
    expect(nobody).toBeGreaterThan(100);
    expect(shortcutTaken).toBeGreaterThan(500);
  });

  it('keeps to the joined text when there is a rest of the message', () => {
    const texts = generated(34, 1500);
    const rests = generated(35, 1500);
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      const rest = rests[i]!;
      const expected = full(text, rest);
      expect(aboutNobodyOf(text, rest, true, true), `${text}\n--\n${rest}`).toBe(expected);
    }
  });

  it('says what the full reading says on each corpus message', () => {
    let nobody = 0;
    for (const m of loadCorpus()) {
      const expected = full(m.body, '');
      if (expected) nobody++;
      expect(aboutNobodyOf(m.body, '', true, true), m.body).toBe(expected);
      expect(aboutNobodyOf(m.subject, m.body, true, true)).toBe(full(m.subject, m.body));
    }
    expect(nobody).toBeGreaterThan(0);
  });
});
