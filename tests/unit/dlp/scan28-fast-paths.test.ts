/**
 * h28-scan's allocation cuts, each against the code it replaced:
 * - `nameMentions` finds capitalised words by character code (`capitalisedWordEnd`) and makes a
 *   string only for a word that may be a given name (`mightBeGivenName`): the same mentions as
 *   the regexp pass it replaced (copied below) on every labelled message, issue 13's 100 KB
 *   message and seeded texts of names, titles, possessives, hyphens, apostrophes, digits and
 *   underscores run into words, and greetings.
 * - `capitalisedWordEnd` against `\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\b` matched sticky at every
 *   word boundary of seeded texts.
 * - `mightBeGivenName` is never false where `isGivenName` is true, for every capitalised word of
 *   the labelled messages and seeded words, and is false for most words that are not names.
 * - People lists ask whether a line may be a table row without slicing it (`cellsReader`): the
 *   same answer as the test on the line's slice, lines asked in order with some skipped; and
 *   count the people a line names only on lines with three full-name shapes or more
 *   (`peopleInSentence`): the same count where it is three or more, and under three where it was,
 *   on every line of the labelled messages and seeded lines.
 * - `wordsView` joins its stretches with `join(' ')` and keeps their offsets in typed arrays grown
 *   by doubling: the same text and offsets as the code it replaced (copied below) on every
 *   labelled message and seeded texts of line breaks, tabs, carriage returns, runs of spaces,
 *   commas and words broken after their hyphen (more than 64 stretches, so the arrays grow).
 * - Driving licences: the runs of six digits are found with `test` and read back to their start
 *   instead of a match array each: the same licences as the `exec` loop (copied below) on seeded
 *   texts of licences, padded surnames and digit runs of every length side by side.
 */
import { describe, expect, it } from 'vitest';
import { isPlausibleDrivingLicence } from '../../../lib/dlp/checksums.ts';
import { detect, FINDING_TYPES, type FindingType } from '../../../lib/dlp/detectors.ts';
import { GIVEN_NAMES, isGivenName, mightBeGivenName } from '../../../lib/dlp/names.ts';
import {
  capitalisedWordEnd,
  cellsReader,
  endsPossessive,
  isTitle,
  type NameMention,
  nameMentions,
  peopleInSentence,
} from '../../../lib/dlp/people.ts';
import { wordsView } from '../../../lib/dlp/text-to-scan.ts';
import {
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

const WORD = "[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?";
const CAPITALISED = new RegExp(String.raw`\b${WORD}\b`, 'g');
const CAPITALISED_AT = new RegExp(String.raw`\b${WORD}\b`, 'y');
const RELATIVE_AFTER =
  /^ (?:mum|mummy|dad|daddy|mother|father|parents?|stepdad|stepmum|brother|sister|nan|grandma|grandad|carer|family|uncle|aunt|auntie)\b/;
const SURNAME_AFTER_TITLE = new RegExp(String.raw`\.? ${WORD}\b`, 'y');
const GREETING_OR_SIGNATURE =
  /^\s*(?:(?:hi|hello|dear|morning|afternoon|thanks|thank you|many thanks|regards|kind regards|best wishes|best|cheers|love|from)\b[\s,]*)?(?:(?:mr|mrs|ms|miss|dr|coach)\.?\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?(?:\s*\([^)]{0,30}\))?(?:\s*[,–-]\s*[A-Z][\w'’&/ ]{0,30})?\s*[,.!]?\s*$/i;
const GREETING_BEFORE = /^\s*(?:hi|hello|dear|thanks|morning)\s*$/i;

/** `nameMentions` as it was before h28-scan: one regexp match per capitalised word. */
function nameMentionsBefore(text: string): NameMention[] {
  const out: NameMention[] = [];
  CAPITALISED.lastIndex = 0;
  for (let m = CAPITALISED.exec(text); m; m = CAPITALISED.exec(text)) {
    let end = m.index + m[0].length;
    const titled = isTitle(m[0]);
    if (titled) {
      SURNAME_AFTER_TITLE.lastIndex = end;
      const surname = SURNAME_AFTER_TITLE.exec(text);
      if (!surname) continue;
      end = surname.index + surname[0].length;
      CAPITALISED.lastIndex = end;
      if (endsPossessive(surname[0])) {
        out.push({ start: m.index, end });
        continue;
      }
    } else {
      const possessive = endsPossessive(m[0]);
      const name = possessive ? m[0].slice(0, -2) : m[0];
      if (!isGivenName(name) && !(possessive && RELATIVE_AFTER.test(text.slice(end, end + 12)))) {
        continue;
      }
    }
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const nl = text.indexOf('\n', m.index);
    const line = text.slice(lineStart, nl === -1 ? text.length : nl);
    if (GREETING_OR_SIGNATURE.test(line)) continue;
    const before = text.slice(lineStart, m.index);
    if (GREETING_BEFORE.test(before)) continue;
    out.push(titled ? { start: m.index, end, titled } : { start: m.index, end });
  }
  return out;
}

function labelledTexts(): string[] {
  const texts = [schoolCodesMessage().body];
  for (const m of loadCorpus()) texts.push(m.subject, m.body);
  for (const set of labelledSetsNotHeldOut()) {
    for (const m of loadLabelledSet(set)) texts.push(m.subject, m.body);
  }
  return texts;
}

const NAMES = [...GIVEN_NAMES];
const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Seeded text made of the pieces a capitalised word, a name or a title can be cut from. */
function seededText(r: ReturnType<typeof seededRandom>): string {
  const words = [
    () => cap(r.pick(NAMES)),
    () => r.pick(NAMES),
    () => `${cap(r.pick(NAMES))}${r.pick(["'s", '’s', 's', "'", '’', '-', '_', '1', 'X'])}`,
    () => `${cap(r.pick(NAMES))}-${r.pick([cap(r.pick(NAMES)), r.pick(NAMES), 'MAE', 'mae2', ''])}`,
    () => `${cap(r.pick(NAMES))}${r.pick(["'", '’'])}${r.pick(['s', 'Connor', 'am', 'S', 'sX'])}`,
    () => r.pick(['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Mr.', 'Mrs.', 'MR', 'Mx', 'Missy', 'Dre']),
    () => r.pick(['The', 'Year', 'Please', 'McDonald', 'O’Neil', "D'Arcy", 'Ma’am', 'A', 'I']),
    () => r.pick(['mum', 'dad', 'parents', 'grandma', 'auntie', 'aunties', 'family', 'carer']),
    () => r.pick(['Hi', 'Dear', 'Thanks', 'Kind regards,', 'hello', 'Morning']),
    () => r.pick(['is', 'and', 'the', 'has', 'Ünal', 'Łukasz', 'Zoë', '2024', 'x_y', '’', "'"]),
    () => `${cap(r.pick(NAMES))}${r.pick(['é', 'ß', 'İ', '\u212a'])}`,
  ];
  const seps = [' ', ' ', ' ', '  ', '\n', ', ', '. ', '-', '_', "'", '’', '(', '\t', ''];
  let text = '';
  const n = 1 + r.int(30);
  for (let i = 0; i < n; i++) text += r.pick(words)() + r.pick(seps);
  return text;
}

describe('nameMentions by character code', () => {
  it('finds what the regexp pass found on every labelled message and the 100 KB message', () => {
    let mentions = 0;
    for (const text of labelledTexts()) {
      const expected = nameMentionsBefore(text);
      expect(nameMentions(text)).toEqual(expected);
      mentions += expected.length;
    }
    expect(mentions).toBeGreaterThan(1_000);
  });

  it('finds what the regexp pass found on seeded texts', () => {
    const r = seededRandom(28);
    let mentions = 0;
    let titled = 0;
    for (let i = 0; i < 6_000; i++) {
      const text = seededText(r);
      const expected = nameMentionsBefore(text);
      expect(nameMentions(text), JSON.stringify(text)).toEqual(expected);
      mentions += expected.length;
      titled += expected.filter((m) => m.titled).length;
    }
    expect(mentions).toBeGreaterThan(5_000);
    expect(titled).toBeGreaterThan(300);
  });
});

describe('capitalisedWordEnd', () => {
  it('ends each word where the sticky regexp match ends, at every word boundary', () => {
    const r = seededRandom(2028);
    let words = 0;
    for (let t = 0; t < 3_000; t++) {
      const text = seededText(r);
      for (let i = 0; i < text.length; i++) {
        if (i > 0 && /\w/.test(text[i - 1]!)) continue;
        CAPITALISED_AT.lastIndex = i;
        const m = CAPITALISED_AT.exec(text);
        const expected = m ? i + m[0].length : -1;
        expect(capitalisedWordEnd(text, i), `${JSON.stringify(text)} at ${i}`).toBe(expected);
        if (m) words++;
      }
    }
    expect(words).toBeGreaterThan(20_000);
  });
});

describe('mightBeGivenName', () => {
  it('is never false for a given name, and false for most other capitalised words', () => {
    let asked = 0;
    let skipped = 0;
    const check = (text: string, start: number, end: number) => {
      const word = text.slice(start, end);
      const maybe = mightBeGivenName(text, start, end);
      if (isGivenName(word)) expect(maybe, word).toBe(true);
      asked++;
      if (!maybe) skipped++;
    };
    for (const text of labelledTexts()) {
      for (const m of text.matchAll(CAPITALISED)) {
        check(text, m.index, m.index + m[0].length);
        // The name without a possessive, as nameMentions asks.
        if (/['’]s$/.test(m[0])) check(text, m.index, m.index + m[0].length - 2);
      }
    }
    expect(skipped / asked).toBeGreaterThan(0.7);
    const r = seededRandom(282);
    for (let i = 0; i < 20_000; i++) {
      const text = seededText(r);
      for (const m of text.matchAll(CAPITALISED)) {
        for (let end = m.index + 2; end <= m.index + m[0].length; end++) check(text, m.index, end);
      }
    }
  });

  it('fails when the lengths of names before a hyphen are not read', () => {
    // "Lily-Mae" is a given name by its first part: the whole word's length is no name's.
    const text = 'Lily-Mae and Jayden-Lee';
    expect(isGivenName('Lily-Mae')).toBe(true);
    expect(mightBeGivenName(text, 0, 8)).toBe(true);
    expect(mightBeGivenName(text, 13, 23)).toBe(true);
    expect(mightBeGivenName('Thursday', 0, 8)).toBe(false);
    expect(mightBeGivenName('Dear', 0, 4)).toBe(false);
    // The Kelvin sign lower-cases to "k": "\u212aai" is "kai" to isGivenName.
    expect(isGivenName('\u212aai')).toBe(true);
    expect(mightBeGivenName('\u212aai', 0, 3)).toBe(true);
  });
});

/** `peopleInSentence` as it was before h28-scan. */
function peopleBefore(line: string): number {
  const fullName = new RegExp(String.raw`\b(${WORD})\s(${WORD})\b`, 'g');
  let people = 0;
  for (const m of line.matchAll(fullName)) if (isGivenName(m[1]!)) people++;
  return people;
}

/** The line test `cellsReader` replaced. */
function maybeCells(line: string): boolean {
  if (line.includes('\t') || line.includes('|')) return true;
  const comma = line.indexOf(',');
  return comma !== -1 && line.indexOf(',', comma + 1) !== -1;
}

function linesOf(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    out.push([start, end]);
    start = end + 1;
  }
  return out;
}

describe('people lists read lines without slicing them', () => {
  it('counts three people or more as before, and under three where there were', () => {
    const r = seededRandom(283);
    const lines: string[] = [];
    for (const text of labelledTexts()) lines.push(...text.split('\n'));
    for (let i = 0; i < 6_000; i++) lines.push(seededText(r).replace(/\n/g, ' '));
    // Lists of full names, some of them given names: "Ella Ward, Tom Hill and The Hall".
    const person = () =>
      r.pick([
        () => `${cap(r.pick(NAMES))} ${cap(r.pick(NAMES))}`,
        () => `${cap(r.pick(NAMES))} ${r.pick(['Ward', 'Hill', "O'Neil", 'Smith-Jones'])}`,
        () => r.pick(['The Hall', 'Year Seven', 'Mrs Hill', 'Sam', 'Upper School']),
      ])();
    for (let i = 0; i < 3_000; i++) {
      let line = person();
      for (let n = r.int(6); n >= 0; n--)
        line += r.pick([', ', ' and ', '; ', ',', ' ']) + person();
      lines.push(line);
    }
    let three = 0;
    for (const line of lines) {
      const expected = peopleBefore(line);
      const got = peopleInSentence(line);
      if (expected >= 3) {
        expect(got, line).toBe(expected);
        three++;
      } else expect(got, line).toBeLessThan(3);
    }
    expect(three).toBeGreaterThan(300);
  }, 60_000);

  it('tells a possible table row as the test on its slice, lines asked in order, some skipped', () => {
    const r = seededRandom(8);
    const texts = labelledTexts();
    for (let i = 0; i < 3_000; i++) {
      let text = '';
      for (let n = r.int(12); n >= 0; n--) {
        text += r.pick(['Name', 'a, b', ',', '|', '\t', 'x', '\n', '\n', ', ', 'Ella Ward']);
      }
      texts.push(text);
    }
    let rows = 0;
    for (const text of texts) {
      for (const skip of [0, 0.5]) {
        const read = cellsReader(text);
        for (const [start, end] of linesOf(text)) {
          if (r.next() < skip) continue;
          const expected = maybeCells(text.slice(start, end));
          expect(read(start, end), JSON.stringify(text.slice(start, end))).toBe(expected);
          if (expected) rows++;
        }
      }
    }
    expect(rows).toBeGreaterThan(2_000);
  }, 60_000);
});

/** `wordsView` as it was before h28-scan. */
function wordsViewBefore(text: string): { text: string; at: number[]; from: number[] } | null {
  const isLineSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
  const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  const isWordCharacter = (c: number) => isLetter(c) || (c >= 48 && c <= 57);
  const triggers = ['\n', '\t', '\r', '  '];
  const next = triggers.map((t) => text.indexOf(t));
  const nextTrigger = (): number => {
    let best = -1;
    for (const p of next) if (p >= 0 && (best < 0 || p < best)) best = p;
    return best;
  };
  let trigger = nextTrigger();
  if (trigger < 0) return null;
  const pieces: string[] = [];
  const at: number[] = [0];
  const from: number[] = [0];
  let copiedTo = 0;
  let length = 0;
  for (; trigger >= 0; trigger = nextTrigger()) {
    let i = trigger;
    while (i > copiedTo && isLineSpace(text.charCodeAt(i - 1))) i--;
    let j = trigger;
    let breaks = 0;
    for (;;) {
      const d = text.charCodeAt(j);
      if (isLineSpace(d)) j++;
      else if (d === 10) {
        breaks++;
        j++;
      } else break;
    }
    for (let t = 0; t < next.length; t++) {
      if (next[t]! >= 0 && next[t]! < j) next[t] = text.indexOf(triggers[t]!, j);
    }
    const before = i > 0 ? text.charCodeAt(i - 1) : 0;
    const after = text.charCodeAt(j);
    if (breaks >= 2 || !isWordCharacter(after)) continue;
    const hyphenBreak =
      breaks === 1 &&
      text.charCodeAt(i) === 10 &&
      before === 45 &&
      i >= 2 &&
      isLetter(text.charCodeAt(i - 2)) &&
      isLetter(after);
    if (!hyphenBreak && !isWordCharacter(before) && before !== 44) continue;
    pieces.push(text.slice(copiedTo, i));
    length += i - copiedTo;
    if (!hyphenBreak) {
      pieces.push(' ');
      at.push(length);
      from.push(i);
      length++;
    }
    at.push(length);
    from.push(j);
    copiedTo = j;
  }
  if (copiedTo === 0) return null;
  pieces.push(text.slice(copiedTo));
  return { text: pieces.join(''), at, from };
}

function checkWordsView(text: string): number {
  const expected = wordsViewBefore(text);
  const view = wordsView(text);
  if (expected === null) {
    expect(view.stretches, JSON.stringify(text)).toBeNull();
    expect(view.text).toBe(text);
    return 0;
  }
  expect(view.text, JSON.stringify(text)).toBe(expected.text);
  expect(Array.from(view.stretches!.at)).toEqual(expected.at);
  expect(Array.from(view.stretches!.from)).toEqual(expected.from);
  return expected.at.length;
}

describe('wordsView with one join and typed offsets', () => {
  it('gives the text and offsets it gave before, for every labelled message', () => {
    let stretches = 0;
    for (const text of labelledTexts()) stretches += checkWordsView(text);
    expect(stretches).toBeGreaterThan(10_000);
  }, 60_000);

  it('gives the text and offsets it gave before, for seeded texts', () => {
    const r = seededRandom(280);
    const bits = [
      'self-',
      'harm',
      'a',
      'child',
      ',',
      '.',
      '-',
      ' ',
      '  ',
      '\n',
      '\n\n',
      '\t',
      '\r',
      '\r\n',
      ' \n ',
      '9',
      'é',
      '- item',
    ];
    let stretches = 0;
    let grown = 0;
    for (let i = 0; i < 4_000; i++) {
      let text = '';
      if (i % 10 === 0) {
        // Long wrapped prose: many stretches.
        for (let n = 300; n >= 0; n--) {
          text += r.pick(['a', 'child', 'self-', 'harm,', 'x']) + r.pick(['\n', '  ', '\t', ' ']);
        }
      }
      for (let n = r.int(40); n >= 0; n--) text += r.pick(bits);
      const found = checkWordsView(text);
      stretches += found;
      if (found > 64) grown++;
    }
    expect(stretches).toBeGreaterThan(10_000);
    expect(grown).toBeGreaterThan(20);
  });
});

const LICENCE_AT =
  /^(?<![A-Za-z0-9])([A-Z9]{5}) ?(\d{6}) ?([A-Z9]{2}\d[A-Z0-9]{2})(?: ?\d{2})?(?![A-Za-z0-9])/;

/** The licences' spans as `detectLicence` found them before h28-scan (one `exec` per run). */
function licencesBefore(text: string): [number, number][] {
  const out: [number, number][] = [];
  const sixDigits = /\d{6,}/g;
  let lastEnd = -1;
  for (let d = sixDigits.exec(text); d; d = sixDigits.exec(text)) {
    for (let start = d.index - 6; start < d.index; start++) {
      if (start < 0 || start < lastEnd) continue;
      const first = text.charCodeAt(start);
      if (first < 65 || first > 90) continue;
      const m = LICENCE_AT.exec(text.slice(start, start + 24));
      if (!m || (start > 0 && /[A-Za-z0-9]/.test(text[start - 1]!))) continue;
      if (!isPlausibleDrivingLicence(`${m[1]}${m[2]}${m[3]}`)) continue;
      lastEnd = start + m[0].length;
      out.push([start, lastEnd]);
      break;
    }
  }
  return out;
}

describe('driving licences found from digit runs without match arrays', () => {
  it('finds the licences the exec loop found, on seeded texts', () => {
    const r = seededRandom(2804);
    const onlyLicences = new Set<FindingType>(FINDING_TYPES.filter((t) => t !== 'driving_licence'));
    const digits = (n: number) => Array.from({ length: n }, () => r.int(10)).join('');
    const bits = [
      () => 'MORGA753116SM9IJ',
      () => 'MORGA 753116 SM9IJ 35',
      () => 'LI999802256A99AB',
      () =>
        `${r.pick(['SMITH', 'JONES', 'AB999', 'LI999'])}${r.pick(['753116', digits(6)])}${r.pick(['SM9IJ', 'AB1CD', 'A99AB'])}`,
      // Surnames padded with 9s and all-digit endings: digit runs of up to 18 around a licence.
      () =>
        `${r.pick(['99999', 'A9999', 'AB999'])}${r.pick(['753116', '802256', digits(6)])}${r.pick(['99', 'A9'])}${digits(3)}${r.pick(['', '12'])}`,
      () => digits(1 + r.int(14)),
      () => r.pick([' ', '  ', '\n', 'x', 'A', '-', ', ', 'licence ']),
    ];
    let found = 0;
    for (let i = 0; i < 4_000; i++) {
      let text = '';
      for (let n = r.int(16); n >= 0; n--) text += r.pick(bits)();
      const expected = licencesBefore(text);
      const got = detect(text, { disabled: onlyLicences })
        .filter((d) => d.type === 'driving_licence')
        .map((d) => [d.start, d.end]);
      expect(got, JSON.stringify(text)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(1_000);
  });
});
