/**
 * Whether an identifier's keywords ("NHS", "card", "passport") are within reach is answered by
 * searching the lines the window touches (`Evidence.nearInText`, h7-scan7), not by listing
 * every match in the whole text first. It must give exactly the answer the whole-text list gives:
 * a match of that list starting inside the window, where the list is the searches one after
 * another from the text's start, so a match ("mastercard") hides a shorter one inside it ("card").
 */
import { describe, expect, it } from 'vitest';
import { KEYWORD_SEARCHES, keywordNearOf, withinLines } from '../../../lib/dlp/detectors.ts';
import { loadCorpus, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';
import { corpusMessage, numbersMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** The answer as it was: every match over the whole text, then a window test. */
function wholeTextSays(
  re: RegExp,
  text: string,
): (start: number, end: number, d: number) => boolean {
  const at: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    at.push(m.index);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return (start, end, d) => at.some((p) => p >= start - d && p <= end + d);
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
const random = (seed: number): (() => number) => seededRandom(seed).next;

/** Pieces whose matches overlap and touch line breaks, to break a window's start. */
const PIECES = [
  'mastercard',
  'master card',
  'card',
  'Card',
  'NHS',
  'NHSX',
  'unique pupil',
  'pupil number',
  'pupil no',
  'UPN',
  'UPNs',
  'acc no',
  'account number',
  'a/c',
  'bank',
  'passportpassport',
  'passport',
  'driving licence no',
  'licence number',
  'National Insurance',
  'N.I. No',
  'NINO',
  'community health index',
  'CHI',
  'exam',
  'examination',
  'results',
  'learner record',
  'date of birth',
  'date',
  'of',
  'birth',
  'D.O.B',
  // A match across a line break hides one that starts on the next line.
  'birth\ndate of birth',
  'hospital',
  'x',
  '_',
  '7',
  'é',
  ' ',
  '\n',
  '\n\n',
  '\r\n',
  '.',
  '/',
];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
  return text;
}

/** Every keyword search against the whole-text answer, on windows in text order and at random. */
function compare(text: string, next: () => number, windows: number): number {
  let asked = 0;
  for (const re of KEYWORD_SEARCHES) {
    const says = wholeTextSays(re, text);
    // One Evidence per order, as a scan has: searches are kept and resumed between questions.
    const inOrder = keywordNearOf(text);
    const atRandom = keywordNearOf(text);
    const step = Math.max(1, Math.floor(text.length / windows));
    for (let start = 0; start < text.length; start += step) {
      const end = Math.min(text.length, start + 1 + Math.floor(next() * 12));
      const d = [0, 3, 20, 100, 300][Math.floor(next() * 5)]!;
      expect(inOrder(re, start, end, d), `${re.source} at ${start}-${end} ±${d}`).toBe(
        says(start, end, d),
      );
      const s = Math.floor(next() * text.length);
      const e = Math.min(text.length, s + Math.floor(next() * 12));
      expect(atRandom(re, s, e, d), `${re.source} at ${s}-${e} ±${d}`).toBe(says(s, e, d));
      asked += 2;
    }
  }
  return asked;
}

describe('keywords near an identifier, searched from the line', () => {
  it('reads which searches cannot match a line break', () => {
    expect(withinLines(/\bcard|master ?card/gi)).toBe(true);
    expect(withinLines(/a\/c|acc(?:ount)?\.? ?no/gi)).toBe(true);
    expect(withinLines(/date\s+of\s+birth/gi)).toBe(false);
    expect(withinLines(/date[^x]of/gi)).toBe(false);
    expect(withinLines(/a\Wb/g)).toBe(false);
    expect(withinLines(/a\Db/g)).toBe(false);
    expect(withinLines(/a[\s-]b/g)).toBe(false);
    expect(withinLines(/a.b/gs)).toBe(false);
    expect(withinLines(/a\nb/g)).toBe(false);
    const escapedLineBreak = ['a', '\\u000a', 'b'].join('');
    expect(withinLines(new RegExp(escapedLineBreak, 'g'))).toBe(false);
    expect(withinLines(/card/i)).toBe(false); // not global: not a keyword search
    expect(withinLines(/card/gy)).toBe(false);
    // A lookaround or an anchor can look past the line's end: searching the line alone differs.
    expect(withinLines(/card(?= number)/gi)).toBe(false);
    expect(withinLines(/card(?!\d)/gi)).toBe(false);
    expect(withinLines(/(?<=credit )card/gi)).toBe(false);
    expect(withinLines(/card$/gi)).toBe(false);
    expect(withinLines(/^card/gi)).toBe(false);
    expect(withinLines(/(?:card)/gi)).toBe(true);
    // `.` matches no line break without `s`.
    expect(withinLines(/a.b/g)).toBe(true);
  });

  it('hides a keyword inside an earlier match, as the whole-text list does', () => {
    // "master card" starts 7 before "card": a window starting at "card" holds no match start of
    // the whole-text list, though a search begun at the window would find "card" there.
    const text = 'Paid by master card ending 4242';
    const near = keywordNearOf(text);
    const card = KEYWORD_SEARCHES.find((re) => re.source.startsWith('\\bcard'))!;
    const at = text.indexOf('card');
    expect(near(card, at, at + 4, 0)).toBe(wholeTextSays(card, text)(at, at + 4, 0));
    expect(near(card, at, at + 4, 0)).toBe(false);
    expect(near(card, at - 7, at + 4, 0)).toBe(true);
    // "birth\ndate" is one match across the line break, and hides "date of birth" on the next
    // line: a search that can span lines is not begun at a line's start.
    const dob = KEYWORD_SEARCHES.find((re) => re.source.includes('birth\\s*date'))!;
    const lines = 'Born: birth\ndate of birth unknown';
    const line = lines.indexOf('\n') + 1;
    expect(wholeTextSays(dob, lines)(line, line + 4, 0)).toBe(false);
    expect(keywordNearOf(lines)(dob, line, line + 4, 0)).toBe(false);
  });

  it('answers as the whole-text list on seeded random texts of overlapping keywords', () => {
    const next = random(713);
    let asked = 0;
    for (let i = 0; i < 60; i++) asked += compare(randomText(next, 20 + i * 5), next, 60);
    expect(asked).toBeGreaterThan(10_000);
  });

  it('answers as the whole-text list on every labelled message and the 100 KB messages', () => {
    const next = random(13);
    const texts = [
      ...loadCorpus().map((m) => `${m.subject}\n${m.body}`),
      ...loadLabelledSet('development').map((m) => `${m.subject}\n${m.body}`),
    ];
    let asked = 0;
    for (const text of texts) asked += compare(text, next, 8);
    // Long texts, with many windows each: searches are resumed, and the budget runs out.
    for (const text of [corpusMessage().body, numbersMessage().body, 'card '.repeat(5000)]) {
      asked += compare(text, next, 400);
    }
    expect(asked).toBeGreaterThan(20_000);
  }, 120_000);
});
