/**
 * `matchTwins` (h35-scan): a global search's matches read with a lookahead twin's `test` (the
 * start) and a sticky twin's `test` (the end) must be exactly its `exec` loop's matches: for
 * people lists' full-name pairs (`PEOPLE_SEARCHES[0]`, `FULL_NAME`), the one search read this way,
 * and for the keyword and birth-date searches, as more real searches to hold the twins to.
 */
import { describe, expect, it } from 'vitest';
import { KEYWORD_SEARCHES } from '../../../lib/dlp/detectors.ts';
import { forEachMatch, matchTwins } from '../../../lib/dlp/match-twins.ts';
import { PEOPLE_SEARCHES } from '../../../lib/dlp/people.ts';
import { loadCorpus } from '../../fixtures/dlp-corpus/evaluate.ts';
import { corpusMessage, schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

function byExec(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(`${m.index}-${m.index + m[0].length}`);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}

function byTwins(re: RegExp, text: string): string[] {
  const out: string[] = [];
  forEachMatch(matchTwins(re), text, (start, end) => {
    out.push(`${start}-${end}`);
    return false;
  });
  return out;
}

const FULL_NAME = PEOPLE_SEARCHES[0]!;
// The keyword searches as well: a larger set of real searches to hold the twins to.
const SEARCHES = [...KEYWORD_SEARCHES, /d\.?\s?o\.?\s?b|birth|born/gi, FULL_NAME];

const PIECES = [
  'mastercard',
  'master card',
  'card',
  'NHS',
  'UPN',
  'pupil number',
  'acc no',
  'a/c',
  'passport',
  'licence number',
  'National Insurance',
  'exam',
  'date of birth',
  'D.O.B',
  'Ella Thompson',
  "Harry O'Connor",
  'Lily-Mae Smith',
  'Tia’s',
  'Jack\tTaylor',
  'Amy  Cole',
  'xJohn Smith',
  'abc-John Smith',
  'Mr',
  'é',
  ' ',
  '\n',
  '\r\n',
  '.',
  '7',
  'a',
  'A',
];

describe('matches read by twins, not exec', () => {
  it('makes the twins the searches need', () => {
    expect(SEARCHES.length).toBeGreaterThan(10);
    const t = matchTwins(/a|b/gi);
    expect(t.ahead.flags).toBe('gi');
    expect(t.at.flags).toBe('iy');
  });

  it('finds what exec finds on the bench messages and the labelled corpus', () => {
    const texts = [schoolCodesMessage().body!, corpusMessage(30 * 1024).body!];
    for (const m of loadCorpus()) texts.push(`${m.subject ?? ''}\n${m.body ?? ''}`);
    let matches = 0;
    for (const re of SEARCHES) {
      for (const text of texts) {
        const want = byExec(re, text);
        expect(byTwins(re, text), re.source).toEqual(want);
        matches += want.length;
      }
    }
    expect(matches).toBeGreaterThan(1000);
  });

  it('finds what exec finds on seeded texts of overlapping pieces, and empty matches', () => {
    const next = seededRandom(35).next;
    for (let n = 0; n < 300; n++) {
      let text = '';
      const pieces = 1 + Math.floor(next() * 40);
      for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      for (const re of [...SEARCHES, /x*/g, /\b/g, /(?:)/gi]) {
        expect(byTwins(re, text), `${re.source} on ${JSON.stringify(text)}`).toEqual(
          byExec(re, text),
        );
      }
    }
  });
});
