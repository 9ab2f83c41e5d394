/**
 * People lists read each "Forename Surname" pair (`FULL_NAME`) with `test` and read its two words
 * back from the match's end (`nextFullName`, h35-scan). Each must be exactly the `exec` loop's
 * match: the same start, the same break between the two captured words, the same end.
 */
import { describe, expect, it } from 'vitest';
import { fullNamesRead, PEOPLE_SEARCHES } from '../../../lib/dlp/people.ts';
import { loadCorpus } from '../../fixtures/dlp-corpus/evaluate.ts';
import { corpusMessage, schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

const FULL_NAME = PEOPLE_SEARCHES[0]!;

function byExec(line: string): string[] {
  const out: string[] = [];
  FULL_NAME.lastIndex = 0;
  for (let m = FULL_NAME.exec(line); m; m = FULL_NAME.exec(line)) {
    out.push(`${m.index}-${m.index + m[1]!.length}-${m.index + m[0].length}`);
  }
  FULL_NAME.lastIndex = 0;
  return out;
}

const PIECES = [
  'Ella',
  'Thompson',
  'O',
  "O'Connor",
  'Lily-Mae',
  'Mae-Lily',
  'Tia’s',
  "D'Arcy",
  'McDonald',
  'De-La',
  'X',
  'Xx',
  'ab',
  'abc-',
  'x',
  '7',
  '_',
  'é',
  'É',
  'Éa',
  '-',
  "'",
  '’',
  ' ',
  ' ',
  '\t',
  '\n',
  ',',
  '.',
  'Smith',
  'SMITH',
  'Jo',
  'J',
  'aJo',
];

describe('full names read back from the end of a test', () => {
  it('reads the exec loop’s matches on the bench messages and the labelled corpus', () => {
    const texts = [schoolCodesMessage().body!, corpusMessage(30 * 1024).body!];
    for (const m of loadCorpus()) texts.push(`${m.subject ?? ''}\n${m.body ?? ''}`);
    let matches = 0;
    for (const text of texts) {
      for (const line of text.split('\n')) {
        const want = byExec(line);
        expect(fullNamesRead(line), line).toEqual(want);
        matches += want.length;
      }
    }
    expect(matches).toBeGreaterThan(1000);
  });

  it('starts no match before the last one ended, and after a \\b', () => {
    // The first match ends inside a run of word characters ("-Cd" goes on): the next one, "Cd Ef",
    // must not start back at "Ab", where a WORD with a \b before it also fills the run.
    for (const line of [
      'Ella Thompson-Ab-Cd Ef',
      'abc-John Smith',
      'xJohn Smith',
      'Jo Ann Bo Cy',
    ]) {
      expect(fullNamesRead(line), line).toEqual(byExec(line));
    }
    expect(fullNamesRead('Ella Thompson-Ab-Cd Ef')).toEqual(['0-4-16', '17-19-22']);
  });

  it('reads the exec loop’s matches on seeded lines of name-like pieces', () => {
    const next = seededRandom(35).next;
    let matches = 0;
    for (let n = 0; n < 20_000; n++) {
      let line = '';
      const pieces = 1 + Math.floor(next() * 12);
      for (let i = 0; i < pieces; i++) line += PIECES[Math.floor(next() * PIECES.length)]!;
      const want = byExec(line);
      expect(fullNamesRead(line), JSON.stringify(line)).toEqual(want);
      matches += want.length;
    }
    expect(matches).toBeGreaterThan(300);
  });
});
