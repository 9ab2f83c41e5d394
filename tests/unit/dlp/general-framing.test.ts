/**
 * Whether a sentence is framed as general mail ("the course covers...") is read by `framingOf` in
 * lib/dlp/detectors.ts (one pass over the whole text until h13-scan11, now the sentence alone;
 * kept for any faster reading to come). It must say exactly what
 * `GENERAL_FRAMING` tested on the sentence alone says, for every sentence, including those cut
 * mid-word at 400 characters, at a carriage return or inside a framing word.
 */
import { describe, expect, it } from 'vitest';
import { detect, framingOf } from '../../../lib/dlp/detectors.ts';
import { nearMissesOf } from '../../../lib/dlp/near-miss.ts';
import { GENERAL_FRAMING } from '../../../lib/dlp/vocabulary.ts';
import { loadCorpus } from '../../fixtures/dlp-corpus/evaluate.ts';

const sliceSays = (text: string, from: number, to: number): boolean => {
  GENERAL_FRAMING.lastIndex = 0;
  return GENERAL_FRAMING.test(text.slice(from, to));
};

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'course',
  'courses',
  'COURSE',
  'Training',
  'signs of',
  'signs',
  'how to',
  'e-learning',
  'the law',
  'dealing with',
  // Framing words that overlap ("some children who"): a match must not hide the next.
  'some ',
  'children',
  ' who',
  'families on',
  'NSPCC',
  'policies',
  'sessions',
  'Sam',
  'he',
  'x',
  '_',
  '-',
  '7',
  'é',
  'K', // Kelvin sign: not a "k" to a RegExp without `u`
  ' ',
  ' ',
  '.',
  '. ',
  '!',
  '?',
  '\n',
  '\r\n',
  "'",
];

describe('general framing of a sentence', () => {
  it('agrees with the slice test on every range of seeded random texts', () => {
    const next = random(13);
    let framed = 0;
    for (let round = 0; round < 300; round++) {
      let text = '';
      const parts = 4 + Math.floor(next() * 20);
      for (let i = 0; i < parts; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      const framing = framingOf(text);
      for (let from = 0; from <= text.length; from++) {
        for (let to = from; to <= text.length; to++) {
          const expected = sliceSays(text, from, to);
          if (expected) framed++;
          if (framing(from, to) !== expected) {
            throw new Error(`${JSON.stringify(text)} [${from}, ${to}): expected ${expected}`);
          }
        }
      }
    }
    // The texts exercise both answers.
    expect(framed).toBeGreaterThan(1000);
  });

  it('agrees where framing words overlap, so that one match must not hide the next', () => {
    // "some children" and "children who" are both framing: a sentence starting at "children"
    // is framed whether or not the one before it ended after "some".
    const text =
      'Tell some children who. children who\nsome children who! families on. some families on';
    const framing = framingOf(text);
    let framed = 0;
    for (let from = 0; from <= text.length; from++) {
      for (let to = from; to <= text.length; to++) {
        const expected = sliceSays(text, from, to);
        if (expected) framed++;
        expect(framing(from, to), `[${from}, ${to})`).toBe(expected);
      }
    }
    expect(framed).toBeGreaterThan(100);
  });

  it('agrees with the slice test on every line and sentence of the labelled corpus', () => {
    const text = loadCorpus()
      .map((m) => `${m.subject}\n${m.body}`)
      .join('\n');
    const framing = framingOf(text);
    let checked = 0;
    let from = 0;
    for (let i = 0; i <= text.length; i++) {
      const ch = text[i];
      if (i === text.length || ch === '\n' || ch === '.' || ch === '!' || ch === '?') {
        expect(framing(from, i)).toBe(sliceSays(text, from, i));
        // Also a sentence cut short inside a word, as at the 400-character limit.
        if (i - from > 6) expect(framing(from + 3, i - 2)).toBe(sliceSays(text, from + 3, i - 2));
        checked++;
        from = i + 1;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

/**
 * A general note for a whole audience (h16-tune): a process, a right or a timescale told to a
 * group ("Parents can request...", "Families may appeal..."), with nobody named, no he/she, no
 * "Mum" or "the child" and no role noun, is general mail (`GENERAL_MAIL` in vocabulary.ts, read by
 * `aboutNobody`): its vocabulary words are context, and the learned check is told they were framed
 * (`#framed/<group>`, near-miss.ts). The same words about someone stay someone's. Wordings of this
 * round's own, none from a labelled set.
 */
const NOW = new Date('2025-09-01T12:00:00Z');

describe('a general note for a whole audience', () => {
  const framedOnly = (text: string): boolean => {
    const vocabulary = detect(text, { now: NOW }).filter(
      (d) => d.type === 'special_category' || d.type === 'safeguarding',
    );
    // Every word low, at least one set aside as framed, none left low for want of a person.
    const near = vocabulary.flatMap((d) => nearMissesOf(d) ?? []);
    return (
      vocabulary.length > 0 &&
      vocabulary.every((d) => d.confidence === 'low') &&
      near.some((f) => f.startsWith('#framed/')) &&
      !near.some((f) => f.startsWith('#alone/'))
    );
  };
  const general: [string, string][] = [
    [
      'a review, requested by parents',
      'Reviewing an EHCP\nEvery EHC plan is reviewed at least once a year. Parents can request an earlier review from the SEND team at the council.',
    ],
    [
      'an appeal, by families',
      'Refusals to assess\nFamilies may appeal a refusal to carry out an EHC needs assessment within two months of the letter.',
    ],
    [
      'an assessment, asked for by parents',
      'Autism assessments\nThe wait for an autism assessment with the community paediatrician is about eighteen months at present. Parents can ask the GP for a referral.',
    ],
    [
      'time off, asked for by colleagues',
      'Pregnancy at work\nColleagues are entitled to ask for paid time off for antenatal appointments once the pregnancy is confirmed.',
    ],
  ];
  for (const [what, text] of general) {
    it(`is general: ${what}`, () => expect(framedOnly(text), text).toBe(true));
  }
  const someone: [string, string][] = [
    [
      'a named pupil',
      "Parents can request a review, and Leo's EHCP is well out of date after the diagnosis.",
    ],
    [
      'the parents, and she',
      'The parents can request an EHC needs assessment now; she is struggling in every lesson.',
    ],
    ['her parents', 'Her parents can request an EHC needs assessment for the autism.'],
    [
      'a pupil by form',
      'The boy in 4C is waiting on an EHC needs assessment. Parents can request a quicker date.',
    ],
  ];
  for (const [what, text] of someone) {
    it(`is someone's: ${what}`, () => expect(framedOnly(text), text).toBe(false));
  }
});
