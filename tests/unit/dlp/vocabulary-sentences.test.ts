/**
 * The vocabulary's work after matching, read by character code instead of strings and regular
 * expressions (h13-scan11): the sentence around a hit (`sentenceAround`) and the term's key and
 * preview with runs of white space made one space (`spacesOne`). Each must say exactly what the
 * plain computation it replaced says, on every labelled message and on seeded random text full of
 * stops, line breaks, tabs, non-breaking and other Unicode spaces.
 */
import { describe, expect, it } from 'vitest';
import {
  detect,
  sentenceAround,
  spacesOne,
  vocabulary,
  vocabularyMatches,
} from '../../../lib/dlp/detectors.ts';
import { loadCorpus, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';
import { schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * The sentence around [start, end) as read before h13-scan11, by one-character strings; since
 * session 23 a line break between a lower-case word (or a comma) and a lower-case word is a
 * sentence wrapped across lines, not its end.
 */
function sentenceAroundPlain(text: string, start: number, end: number): [number, number] {
  const wrapped = (at: number) =>
    /[a-z,]/.test(text[at - 1] ?? '') && /[a-z]/.test(text[at + 1] ?? '');
  let from = start;
  while (from > 0 && start - from < 400) {
    const ch = text[from - 1]!;
    if (ch === '\n' && !wrapped(from - 1)) break;
    if ((ch === '.' || ch === '!' || ch === '?') && /\s/.test(text[from] ?? ' ')) break;
    from--;
  }
  let to = end;
  while (to < text.length && to - end < 400) {
    const ch = text[to]!;
    if (
      (ch === '\n' && !wrapped(to)) ||
      ((ch === '.' || ch === '!' || ch === '?') && /\s|$/.test(text[to + 1] ?? ''))
    )
      break;
    to++;
  }
  return [from, to];
}

const spacesPlain = (text: string): string => text.replace(/\s+/g, ' ');

const labelled = (): string[] => [
  ...loadCorpus().map((m) => `${m.subject}\n${m.body}`),
  ...loadLabelledSet('development').map((m) => `${m.subject}\n${m.body}`),
  schoolCodesMessage().body,
];

const PIECES = [
  'she',
  'he said',
  'Mum',
  'abuse',
  'the course covers',
  'self-harm',
  '.',
  '. ',
  '!',
  '?',
  '?\n',
  '\n',
  '\r\n',
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'é',
  '’',
  'x'.repeat(150),
  'word word word ',
  '3.5',
  'e.g.',
];

function randomText(r: ReturnType<typeof seededRandom>, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += r.pick(PIECES);
  return s;
}

describe('the sentence around a vocabulary hit', () => {
  it('is what the reading by one-character strings gave, around every hit of the labelled messages', () => {
    let compared = 0;
    for (const text of labelled()) {
      for (const v of vocabulary()) {
        for (const m of vocabularyMatches(v, text)) {
          const end = m.index + m.text.length;
          expect(sentenceAround(text, m.index, end)).toEqual(
            sentenceAroundPlain(text, m.index, end),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('is what the reading by one-character strings gave, at random spans of seeded text', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = seededRandom(seed);
      const text = randomText(r, 1 + r.int(120));
      for (let k = 0; k < 20; k++) {
        const start = r.int(text.length + 1);
        const end = Math.min(text.length, start + r.int(30));
        expect(sentenceAround(text, start, end), `seed ${seed}, [${start}, ${end})`).toEqual(
          sentenceAroundPlain(text, start, end),
        );
      }
    }
  });
});

describe('runs of white space made one space', () => {
  it('is what the regular expression gave, for every hit of the labelled messages', () => {
    for (const text of labelled()) {
      for (const v of vocabulary()) {
        for (const m of vocabularyMatches(v, text)) {
          expect(spacesOne(m.text)).toBe(spacesPlain(m.text));
          expect(spacesOne(m.text.toLowerCase())).toBe(spacesPlain(m.text.toLowerCase()));
        }
      }
    }
  });

  it('is what the regular expression gave, on seeded text with every kind of space', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const r = seededRandom(seed);
      const text = randomText(r, r.int(12));
      expect(spacesOne(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(spacesPlain(text));
    }
    for (const text of [
      '',
      ' ',
      '  ',
      'a  b',
      ' a ',
      'a\tb',
      'a\u00a0b',
      'a\u2009b',
      'a~b',
      'a\u007fb',
    ]) {
      expect(spacesOne(text)).toBe(spacesPlain(text));
    }
  });
});

describe('sentences judged once', () => {
  it('judges a sentence from the same start to another end on its own', () => {
    // Both hits' sentences start after "Notes"; the first is cut 400 characters after its hit,
    // before "training", the second runs to the line's end and is framed by it (general: context
    // only). Kept by start alone, the second would be given the first's answer (medium).
    const filler = (n: number) => 'lorem '.repeat(n);
    const text = `Notes\nchild protection plan ${filler(45)}child protection plan ${filler(40)}training in school\nMum called.\n`;
    const found = detect(text).map((f) => [f.type, f.confidence, f.start]);
    expect(found).toEqual([
      ['safeguarding', 'medium', 6],
      ['safeguarding', 'low', 298],
    ]);
  });
});
