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
  mayStartAuxiliary,
  SentenceBounds,
  sentenceAround,
  spacesOne,
  vocabulary,
  vocabularyMatches,
} from '../../../lib/dlp/detectors.ts';
import { AUXILIARY_START } from '../../../lib/dlp/vocabulary.ts';
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

describe('sentence bounds reused from hit to hit (h36-scan)', () => {
  // Hits are asked in text order within a pass, several to a sentence; a pass starts again from
  // the text's start. Every answer must be `sentenceAround`'s.
  const check = (text: string, spans: [number, number][], label: string) => {
    const bounds = new SentenceBounds();
    for (const [start, end] of spans) {
      expect(
        [bounds.start(text, start), bounds.end(text, end)],
        `${label} [${start}, ${end})`,
      ).toEqual(sentenceAround(text, start, end));
    }
  };

  it('is sentenceAround at every hit of the labelled messages, in order, twice over', () => {
    for (const text of labelled()) {
      const spans: [number, number][] = [];
      for (const v of vocabulary()) {
        for (const m of vocabularyMatches(v, text)) spans.push([m.index, m.index + m.text.length]);
      }
      check(text, spans, 'labelled');
    }
  });

  it('is sentenceAround at seeded spans, mostly ascending, over seeded text with long sentences', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const r = seededRandom(seed);
      // Long runs without a stop now and then, so that the 400-character limit is reached.
      const text =
        r.int(3) === 0
          ? randomText(r, 1 + r.int(60)) + 'word '.repeat(r.int(200)) + randomText(r, 1 + r.int(60))
          : randomText(r, 1 + r.int(200));
      const spans: [number, number][] = [];
      let at = 0;
      for (let k = 0; k < 40; k++) {
        // A step back now and then (the second pass, or overlapping hits).
        at = r.int(8) === 0 ? r.int(text.length + 1) : Math.min(text.length, at + r.int(60));
        spans.push([at, Math.min(text.length, at + r.int(30))]);
      }
      check(text, spans, `seed ${seed}`);
    }
  });
});

describe('AUXILIARY_START read by its first character first (h36-scan)', () => {
  it('never passes a match whose first character mayStartAuxiliary turns away', () => {
    const rests = [
      'as',
      'ave',
      'ad',
      'as',
      'ere',
      's',
      're',
      'een',
      'ill',
      'e',
      'AS',
      'AVE',
      'EEN',
    ];
    const passed: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if (mayStartAuxiliary(c)) continue;
      const first = String.fromCharCode(c);
      for (const rest of rests) {
        if (AUXILIARY_START.test(first + rest)) passed.push(`U+${c.toString(16)} ${rest}`);
      }
    }
    expect(passed).toEqual([]);
    for (const word of ['has', 'Have', 'HAD', 'was', 'Were', 'is', 'Are', 'been', 'will', 'be']) {
      expect(mayStartAuxiliary(word.charCodeAt(0))).toBe(true);
    }
    expect(mayStartAuxiliary(Number.NaN)).toBe(false);
  });
});
