/**
 * Personal data in bulk, and people in running text (issue 13, part 3).
 *
 * - `findPeopleLists`: a list or a pasted table of people with something personal on each row (a
 *   date of birth, an address, an identifier, an SEN flag, a grade, a sensitive word), or a table
 *   whose heading row names such columns. Three rows or more: a trip list with dates of birth, an
 *   SEN register pasted from the MIS, a bus company's pick-up addresses. One name with one date is
 *   left to the date-of-birth and vocabulary detectors.
 * - `findHomeAddresses`: a UK postal address (house number and street, then a postcode) with a
 *   person's name or home words nearby; the school's own address or a supplier's is left alone.
 * - `nameMentions`: where a person is named in running text ("Sam is diabetic", "Jayden's mum"),
 *   leaving out greetings and sign-offs, for the vocabulary's "is this about someone?" test.
 *
 * Pure functions over one piece of text; `detectors.ts` calls them.
 */
import type { Detection } from './detectors.ts';
import { isGivenName, mightBeGivenName } from './names.ts';
import { isAsciiLetter } from './text-to-scan.ts';

// ---------------------------------------------------------------------------------------------
// Names

/** A capitalised word, optionally hyphenated: "Lily", "Lily-Mae", "O'Connor". */
const WORD = "[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?";
/** Given name then a capitalised surname: "Ella Thompson", "Harry O'Connor". */
const FULL_NAME = new RegExp(String.raw`\b(${WORD})\s(${WORD})\b`, 'g');
/** A character a `WORD` can hold: an ASCII letter, "-", "'" or "’". */
function inWord(c: number): boolean {
  return isAsciiLetter(c) || c === 45 || c === 39 || c === 0x2019;
}

/** A `\w` character: the other side of a `\b`. */
function isRegExpWord(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

function isLowerAt(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  return c >= 97 && c <= 122;
}

/** Whether [start, end) of `line` is one `WORD` exactly: `[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?`. */
function isWordAt(line: string, start: number, end: number): boolean {
  let i = start;
  const c = line.charCodeAt(i);
  if (!(c >= 65 && c <= 90)) return false;
  i++;
  if (i >= end || !isLowerAt(line, i)) return false;
  while (i < end && isLowerAt(line, i)) i++;
  if (i === end) return true;
  const d = line.charCodeAt(i);
  if (d !== 45 && d !== 39 && d !== 0x2019) return false;
  i++;
  if (i < end && line.charCodeAt(i) >= 65 && line.charCodeAt(i) <= 90) i++;
  if (i >= end || !isLowerAt(line, i)) return false;
  while (i < end && isLowerAt(line, i)) i++;
  return i === end;
}

/**
 * `FULL_NAME`'s next match read without `exec` (h35-scan): `test` gives its end, and its two words
 * are read back from there. No match array and no two captured strings per name-shaped pair
 * (~45 KB a 100 KB scan); the words are made strings only when they may be given names
 * (`givenNameIn`). The match holds one character no `WORD` holds, the `\s` between the words, so
 * the last such character before the end is it; the first word ends there, and starts at the
 * first place from `from` (where the search began) in the run of word characters before it where
 * a `WORD` fills the run to its end with a `\b` before it. A match starts there (the same second
 * word follows), and none starts earlier, so it is the match `exec` finds: the same start, and the
 * same alternatives tried there give the same end. Sets `nameStart`, `nameBreak`, `nameEnd`.
 */
let nameStart = 0;
let nameBreak = 0;
let nameEnd = 0;
function nextFullName(line: string): boolean {
  const from = FULL_NAME.lastIndex;
  if (!FULL_NAME.test(line)) return false;
  const end = FULL_NAME.lastIndex;
  let gap = end - 1;
  while (inWord(line.charCodeAt(gap))) gap--;
  let run = gap;
  while (run > 0 && inWord(line.charCodeAt(run - 1))) run--;
  let start = Math.max(run, from);
  while (
    !((start === 0 || !isRegExpWord(line.charCodeAt(start - 1))) && isWordAt(line, start, gap))
  ) {
    start++;
  }
  nameStart = start;
  nameBreak = gap;
  nameEnd = end;
  return true;
}

/** Each `FULL_NAME` match of `line` as `nextFullName` reads it, `start-break-end`, for its test. */
export function fullNamesRead(line: string): string[] {
  const out: string[] = [];
  FULL_NAME.lastIndex = 0;
  while (nextFullName(line)) out.push(`${nameStart}-${nameBreak}-${nameEnd}`);
  return out;
}

/** `isGivenName(line.slice(start, end))`, sliced only when the word may be one. */
function givenNameIn(line: string, start: number, end: number): boolean {
  return mightBeGivenName(line, start, end) && isGivenName(line.slice(start, end));
}
/**
 * A line that is only a greeting or a sign-off: "Hi Karen,", "Thanks, Tom", "Priya Shah", and a
 * name with the role after it: "Mr Jones, Headteacher", "Rachel - SENCo".
 */
const GREETING_OR_SIGNATURE =
  /^\s*(?:(?:hi|hello|dear|morning|afternoon|thanks|thank you|many thanks|regards|kind regards|best wishes|best|cheers|love|from)\b[\s,]*)?(?:(?:mr|mrs|ms|miss|dr|coach)\.?\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?(?:\s*\([^)]{0,30}\))?(?:\s*[,–-]\s*[A-Z][\w'’&/ ]{0,30})?\s*[,.!]?\s*$/i;

export type NameMention = {
  start: number;
  end: number;
  /** "Mrs Kowalski": staff are named so in general mail too ("run by Mr Holt"). */
  titled?: boolean;
};

/** A title before a surname (capitalised words, so the pass below meets them anyway). */
const TITLE = /^(?:Mr|Mrs|Ms|Miss|Dr)$/;
/** "Tia's father", "Zofia's mum": whoever the name is, it is a person's family. */
const POSSESSIVE_S = /['’]s$/;
const RELATIVE_AFTER =
  /^ (?:mum|mummy|dad|daddy|mother|father|parents?|stepdad|stepmum|brother|sister|nan|grandma|grandad|carer|family|uncle|aunt|auntie)\b/;
/**
 * `RELATIVE_AFTER` read where a name ends, in the text itself (`lastIndex`), instead of on the
 * next 12 characters sliced off: its longest word with the space is 8 characters, so `\b` sees
 * the same next character either way.
 */
const RELATIVE_AT = new RegExp(RELATIVE_AFTER.source.slice(1), 'y');
const SURNAME_AFTER_TITLE = new RegExp(String.raw`\.? ${WORD}\b`, 'y');

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
/** `\w` without the `u` flag: ASCII letters, digits and `_` (NaN, past the end, is not). */
const isWordCode = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/**
 * Where the capitalised word starting at `i` ends (`WORD` then `\b`, as the regexp
 * `\b${WORD}\b` matches from `i` when `i` is at a word boundary), or -1 when none starts there.
 * Read by character code, so no match array or string per word (h28-scan): each run of `[a-z]`
 * is taken whole (a shorter one would leave a letter before `\b` or the hyphen), and the part
 * after a hyphen or apostrophe is kept only when it ends the word; without it the word ends at
 * the hyphen or apostrophe, itself a word boundary.
 */
export function capitalisedWordEnd(text: string, i: number): number {
  if (!isUpper(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (isLower(text.charCodeAt(j))) j++;
  if (j === i + 1) return -1;
  const c = text.charCodeAt(j);
  if (c === 45 || c === 39 || c === 0x2019) {
    let k = j + 1;
    if (isUpper(text.charCodeAt(k))) k++;
    const lowerFrom = k;
    while (isLower(text.charCodeAt(k))) k++;
    return k > lowerFrom && !isWordCode(text.charCodeAt(k)) ? k : j;
  }
  return isWordCode(c) ? -1 : j;
}

/** `isTitle(text.slice(start, end))` by character code: Mr, Ms, Dr, Mrs, Miss. */
function isTitleAt(text: string, start: number, end: number): boolean {
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  switch (end - start) {
    case 2:
      return (a === 77 && (b === 114 || b === 115)) || (a === 68 && b === 114);
    case 3:
      return a === 77 && b === 114 && text.charCodeAt(start + 2) === 115;
    case 4:
      return (
        a === 77 &&
        b === 105 &&
        text.charCodeAt(start + 2) === 115 &&
        text.charCodeAt(start + 3) === 115
      );
    default:
      return false;
  }
}

/** `endsPossessive(text.slice(start, end))` for a word of two characters or more. */
function endsPossessiveAt(text: string, end: number): boolean {
  if (text.charCodeAt(end - 1) !== 115) return false;
  const c = text.charCodeAt(end - 2);
  return c === 39 || c === 0x2019;
}

/**
 * `TITLE.test(word)`, without a regexp call for every capitalised word of the text (h13-scan12):
 * a title is two to four characters long.
 */
export function isTitle(word: string): boolean {
  return word.length >= 2 && word.length <= 4 && TITLE.test(word);
}

/** `POSSESSIVE_S.test(word)` by character code: ends in "'s" or "’s". */
export function endsPossessive(word: string): boolean {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 115) return false;
  const c = word.charCodeAt(n - 2);
  return c === 39 || c === 0x2019;
}

/**
 * Given names used in running text. A name alone on a greeting or signature line ("Hi Karen,",
 * "Tom") is the correspondents', not the subject of the message, and is skipped.
 */
export function nameMentions(text: string): NameMention[] {
  const out: NameMention[] = [];
  // Each capitalised word in turn, as the global search `\b${WORD}\b` finds them, without a
  // match array each (`nextWordStart`, `capitalisedWordEnd`): a message has thousands ("The",
  // "Year", "Please") and few are names, so a string is made only for a word that may be a given
  // name (h28-scan).
  for (let from = 0; ; ) {
    const start = nextWordStart(text, from);
    if (start < 0) break;
    from = start + 1;
    const wordEnd = capitalisedWordEnd(text, start);
    if (wordEnd < 0) continue;
    // The search goes on at the word's end, or after a title's surname.
    from = wordEnd;
    // "Mrs Kowalski", "Mr Dale": a title and a surname name a person whatever the surname, as
    // staff write parents and colleagues. Read here, in the one pass over capitalised words.
    let end = wordEnd;
    const titled = isTitleAt(text, start, wordEnd);
    if (titled) {
      SURNAME_AFTER_TITLE.lastIndex = wordEnd;
      if (!SURNAME_AFTER_TITLE.test(text)) continue;
      end = SURNAME_AFTER_TITLE.lastIndex;
      from = end;
      // "Mrs Crane's sickness record": a titled name in the possessive owns what follows, so it is
      // whom the message is about, not who runs a course (h5-recall5).
      if (endsPossessiveAt(text, end)) {
        out.push({ start, end });
        continue;
      }
    } else {
      // "Jayden's": the name without its possessive; "Tia's father" whatever the name.
      const possessive = endsPossessiveAt(text, wordEnd);
      const nameEnd = possessive ? wordEnd - 2 : wordEnd;
      const given =
        mightBeGivenName(text, start, nameEnd) && isGivenName(text.slice(start, nameEnd));
      if (!given && !(possessive && relativeAt(text, wordEnd))) continue;
    }
    const lineStart = text.lastIndexOf('\n', start) + 1;
    const nl = text.indexOf('\n', start);
    const line = text.slice(lineStart, nl === -1 ? text.length : nl);
    if (GREETING_OR_SIGNATURE.test(line)) continue;
    // "Hi Karen," at the start of a line that goes on: the greeting is still not the subject.
    const before = text.slice(lineStart, start);
    if (GREETING_BEFORE.test(before)) continue;
    out.push(titled ? { start, end, titled } : { start, end });
  }
  return out;
}

/**
 * Where a capitalised word can start: a capital after a word boundary, then a lower-case letter.
 * Searched with `test` (no match array); `capitalisedWordEnd` reads the word from there.
 */
const WORD_START = /\b[A-Z][a-z]/g;

/**
 * The first place at or after `from` where `WORD` can start after a word boundary (every match of
 * `\b${WORD}` starts at one), or -1.
 */
export function nextWordStart(text: string, from: number): number {
  WORD_START.lastIndex = from;
  if (!WORD_START.test(text)) return -1;
  return WORD_START.lastIndex - 2;
}

/** `RELATIVE_AFTER.test(text.slice(at, at + 12))`. */
function relativeAt(text: string, at: number): boolean {
  RELATIVE_AT.lastIndex = at;
  return RELATIVE_AT.test(text);
}

// ---------------------------------------------------------------------------------------------
// UK postal addresses

/**
 * A UK postcode: outward code (area letters, district digit(s), optional letter) and inward code
 * (digit and two letters). Area letters never Q, V or X first, never I, J or Z second; the inward
 * letters never C, I, K, M, O or V (Royal Mail's rules). Capitals only, as written on letters.
 */
export const POSTCODE =
  /\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}\b|\bGIR ?0AA\b/g;
const POSTCODE_IN_ROW = new RegExp(POSTCODE.source);
/** A house number (or flat) and a street, somewhere before the postcode. */
const STREET =
  /(?:\b(?:flat|apartment|apt)\s*\d+[a-z]?\b|\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){0,3}(?:road|rd|street|st|lane|ln|avenue|ave|close|grove|drive|dr|way|crescent|court|ct|place|pl|gardens|terrace|walk|view|rise|hill|mews|row|square|park|green|croft|fold|mount|vale|parade)\b)/i;
/** An organisation's address (the school, a supplier, a venue) rather than someone's home. */
const ORGANISATION =
  /\b(?:academy|school|college|university|ltd|limited|plc|council|centre|center|church|mosque|gurdwara|synagogue|surgery|hospital|clinic|museum|office|car park|trust|services|industrial|business park|retail park)\b/i;
const HOME_WORDS =
  /\b(?:lives? at|living at|home address|address is|address:|moved (?:in )?(?:to|with)|home visit|family home|at home|pick[- ]?up address|drop[- ]?off|new address|staying at|his address|her address|their address)\b/i;

export type Address = { start: number; end: number; personal: boolean };

export function findHomeAddresses(text: string, names: readonly NameMention[]): Address[] {
  const out: Address[] = [];
  POSTCODE.lastIndex = 0;
  for (let m = POSTCODE.exec(text); m; m = POSTCODE.exec(text)) {
    const end = m.index + m[0].length;
    // The address: this line and up to two before it (a letter's address block).
    let from = m.index;
    for (let lines = 0; lines < 3 && from > 0; lines++) {
      const prev = text.lastIndexOf('\n', from - 2);
      from = prev === -1 ? 0 : prev + 1;
      if (m.index - from > 160) break;
    }
    const block = text.slice(Math.max(from, m.index - 160), end);
    const street = STREET.exec(block);
    if (!street) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const line = text.slice(lineStart, end);
    if (ORGANISATION.test(line)) continue;
    const start = Math.max(from, m.index - 160) + street.index;
    const around = text.slice(Math.max(0, start - 200), Math.min(text.length, end + 100));
    const named = names.some((n) => n.end > start - 200 && n.start < end + 40);
    const personal = named || HOME_WORDS.test(around) || HIS_HER.test(around);
    out.push({ start, end, personal });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lists and tables of people

const DATE_IN_ROW =
  /(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-]((?:19|20)\d{2}|\d{2})(?![\d/.-]*\d)/;
/** A heading row's words for a column about the person. */
const PERSONAL_COLUMN =
  /\b(?:d\.?o\.?b|date of birth|birth ?date|born|address|postcode|upn|uln|uci|nhs|ni number|sen|send|ehcp|fsm|pp|pupil premium|free (?:school )?meals?|disadvantaged|grades?|target|predicted|current|working at|ks2|ks1|sats?|reading age|scaled score|arrangements?|reason|medical|medication|allerg\w*|condition|diagnosis|ethnicity|religion|nationality|gender|sex|attendance|exclusions?|behaviour|cp|cin|lac|cla|eal|phone|mobile|email)\b/i;
const NAME_COLUMN =
  /\b(?:name|names|pupil|student|learner|child|forename|first name|surname|last name|candidate)\b/i;
/** A cell that is an SEN code, a yes/no flag or a grade: K, E, EHCP, 4-, 6+, A*, 98. */
const FLAG_OR_GRADE =
  /^(?:K|E|EHCP|SEN|SEND|PP|FSM|LAC|CLA|CP|CIN|Y|N|yes|no|[1-9][+-]?|[A-E]\*?|A\*|U|\d{2,3}(?:\.\d)?)$/;
/** Words in running text that make a list of names a list about those people. */
const LIST_ABOUT =
  /pupil premium|\bPP\b|free (?:school )?meals|\bFSM\b|\bSEND?\b|EHCP|register|eligible|disadvantaged|looked[- ]after|\bLAC\b|child protection|\bCP\b|medical|allerg|diagnos|exclu|suspen|reading age|intervention|subsid|hardship|bursary|referr|concern|social worker|dietary|\bdiets?\b|striking|\bunion\b/i;

/**
 * A line introducing marks, grades, attendance or behaviour records ("Predicted grades for my set
 * as you asked:", "Pupils with 10+ lates this half term:", "New Y9 maths sets:"): the names under it are each pupil's
 * record. Only for a line ending
 * in a colon, not for a sentence naming people: "well done to A, B and C on their results" is a
 * newsletter.
 */
const RECORD_INTRO =
  /\b(?:grades?|predicted|predictions|mocks?|results|marks|scores|targets|levels|working at|reading ages?|SATs|assessment data|tracking|lates|absences|attendance|detentions?|behaviour points|sanctions|isolations?|emergency contacts?|contact (?:numbers|details)|sets|set changes|setting|phone numbers|home addresses|dinner money|debts?|arrears|owing|owed|outstanding|unpaid)\b/i;
/**
 * A grade or mark written straight after a name, as a mark sheet is pasted into prose: "Harvey
 * Lowe 4", "Maya Collins - 7", "Isla Grant: B", "Leo Walsh (62%)". Three numbers after a name
 * (an extension, a room) are not grades.
 */
const GRADE_AFTER_NAME =
  /^[\t ]*(?:[-–—:=][\t ]*)?\(?(?:[1-9][+-]?|[A-E]\*?|A\*|U|\d{1,3}%)\)?(?![\w%*+/-])/;

/** Words that make a list a celebration, not a record: awards, thanks, "well done". */
const CELEBRATION =
  /\b(?:well done|congratulations|congrats|awards?|certificates?|winners?|stars? of|shout[- ]?outs?|thank you|thanks to|proud)\b/i;

/** A UK mobile number on a row: a contact list of families ("Jake Ward - dad 07700 900456"). */
const MOBILE_IN_ROW = /(?<!\d)(?:\+44 ?7|07)\d{3} ?\d{3} ?\d{3}(?!\d)/;

type Row = {
  start: number;
  end: number;
  name: boolean;
  attribute: 'date' | 'other' | null;
  /** The list's first row follows a line saying why these people are listed (`introducesList`). */
  underReason: boolean;
};

/** A finding's span as `start * SPAN_SCALE + end`: exact for texts under 2 ** 26 characters. */
const SPAN_SCALE = 2 ** 26;

/** Longest cell of a heading row ("Date of birth", "Access arrangement"). */
const HEADING_CELL = 40;

/**
 * A short line ending in a colon that says why the names under it are listed: the line
 * [start, end) of `text`, read in place and sliced only when it ends in a colon (h31-scan: the
 * line before each name-shaped line was sliced first, ~900 slices on issue 13's message).
 */
function introducesList(text: string, start: number, end: number): boolean {
  // The colon first: most lines do not end in one, and they cost no allocation.
  let last = end;
  while (last > start && isSpaceTabOrReturn(text.charCodeAt(last - 1))) last--;
  if (last === start || last - start > 200 || text.charCodeAt(last - 1) !== 58) return false;
  const heading = text.slice(start, last);
  // "100% attendance this term - well done to:" names pupils to celebrate them, in a newsletter.
  if (CELEBRATION.test(heading)) return false;
  return LIST_ABOUT.test(heading) || RECORD_INTRO.test(heading);
}

/** " ", "\t" or "\r". */
function isSpaceTabOrReturn(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

/**
 * Two capitalised words in a row, searched through the whole text from a line's start (h26-scan;
 * before, `test` on every line). No match holds a line break and the search has no anchor,
 * look-around or `\b`, so a line has a match exactly when the search from the line's start finds
 * one ending within it: one search per name-shaped line instead of one per line.
 */
const NAME_SHAPE = /[A-Z][a-z'’-]+,?[\t ][A-Z][a-z]/g;

/**
 * `NOT_BLANK.test(line)`: a line whose first character is ASCII and not white space is not blank
 * without a regexp (most lines of a message); any other line asks the regexp (h26-scan).
 */
export function notBlank(line: string): boolean {
  return notBlankAt(line, 0, line.length);
}
/** `notBlank(text.slice(start, end))`, slicing only a line led by white space or beyond ASCII. */
function notBlankAt(text: string, start: number, end: number): boolean {
  if (start === end) return false;
  const c = text.charCodeAt(start);
  if (c < 128 && c !== 32 && (c < 9 || c > 13)) return true;
  return NOT_BLANK.test(text.slice(start, end));
}

/**
 * Whether a line may be a table row ("Pupil,Arrangement,Reason": a tab, a pipe or two commas),
 * for the lines [start, end) of `text` (no line break inside), asked in order of their starts,
 * any of them skipped (h28-scan): the next tab, pipe and two commas at or after a line's start
 * are kept and searched again only once a line starts past them, so a line is read without
 * slicing it.
 */
export function cellsReader(text: string): (start: number, end: number) => boolean {
  const none = Number.POSITIVE_INFINITY;
  const next = (c: string, from: number): number => {
    const i = text.indexOf(c, from);
    return i === -1 ? none : i;
  };
  let tab = -1;
  let pipe = -1;
  let comma = -1;
  let secondComma = -1;
  return (start, end) => {
    if (tab < start) tab = next('\t', start);
    if (pipe < start) pipe = next('|', start);
    if (comma < start) {
      comma = next(',', start);
      secondComma = comma === none ? none : next(',', comma + 1);
    }
    return tab < end || pipe < end || secondComma < end;
  };
}

function splitCells(line: string): string[] | null {
  if (line.includes('\t')) return trimmedCells(line.split('\t'));
  const comma = line.indexOf(',');
  if (comma !== -1 && line.indexOf(',', comma + 1) !== -1) {
    return trimmedCells(line.split(','));
  }
  if (line.includes('|')) return trimmedCells(line.split('|'));
  return null;
}

/** Each cell trimmed in the array `split` made: no second array per row (h31-scan). */
function trimmedCells(cells: string[]): string[] {
  for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
  return cells;
}

/** Whether every cell is short enough for a heading row. */
function allHeadingCells(cells: string[]): boolean {
  for (const c of cells) if (c.length > HEADING_CELL) return false;
  return true;
}

/** Whether a cell after the first holds a flag or a grade. */
function flagOrGradeAfterFirst(cells: string[]): boolean {
  for (let i = 1; i < cells.length; i++) if (FLAG_OR_GRADE.test(cells[i]!)) return true;
  return false;
}

function hasFullName(line: string, cells: string[] | null): boolean {
  FULL_NAME.lastIndex = 0;
  while (nextFullName(line)) {
    if (givenNameIn(line, nameStart, nameBreak) || givenNameIn(line, nameBreak + 1, nameEnd)) {
      FULL_NAME.lastIndex = 0;
      return true;
    }
  }
  // "Cole, Maisie" or "Jack<TAB>Taylor": a given name in one cell beside a capitalised cell.
  if (cells) {
    for (let i = 0; i < cells.length; i++) {
      if (!isGivenName(cells[i]!)) continue;
      const before = cells[i - 1];
      const after = cells[i + 1];
      if (before !== undefined && CAPITALISED_CELL.test(before)) return true;
      if (after !== undefined && CAPITALISED_CELL.test(after)) return true;
    }
  }
  return false;
}

/**
 * How many "Forename Surname" people one line of running text names, when that is three or more
 * (all `findPeopleLists` asks); otherwise a number under three. A line with fewer than three
 * full-name shapes cannot name three people, and most lines have fewer: they are counted with
 * `test`, without a match array each (h28-scan).
 */
export function peopleInSentence(line: string): number {
  FULL_NAME.lastIndex = 0;
  let shapes = 0;
  while (shapes < 3 && FULL_NAME.test(line)) shapes++;
  if (shapes < 3) return shapes;
  FULL_NAME.lastIndex = 0;
  let people = 0;
  while (nextFullName(line)) if (givenNameIn(line, nameStart, nameBreak)) people++;
  return people;
}

/**
 * How many "Forename Surname" people one line of running text names with a grade or mark right
 * after the name ("Harvey Lowe 4, Isla Grant 3, Deacon Price 5"): a mark sheet in a sentence.
 */
function gradedPeopleInSentence(line: string): number {
  FULL_NAME.lastIndex = 0;
  let graded = 0;
  for (let m = FULL_NAME.exec(line); m; m = FULL_NAME.exec(line)) {
    if (isGivenName(m[1]!) && GRADE_AFTER_NAME.test(line.slice(m.index + m[0].length))) graded++;
  }
  return graded;
}

function pastYear(raw: string, now: Date): number {
  if (raw.length === 4) return Number(raw);
  const yy = Number(raw);
  return yy <= now.getFullYear() % 100 ? 2000 + yy : 1900 + yy;
}

/**
 * `(start, end) => NAME_SHAPE.test(text.slice(start, end))` for the lines [start, end) of `text`
 * (no line break inside), asked in order of their starts, any of them skipped (h26-scan): the
 * search goes on from a line's start only when the last match ended before it.
 */
export function nameShapeReader(text: string): (start: number, end: number) => boolean {
  // Where the last match ends; Infinity when none is left.
  let matchEnd = -1;
  return (start, end) => {
    if (matchEnd <= start) {
      NAME_SHAPE.lastIndex = start;
      matchEnd = NAME_SHAPE.test(text) ? NAME_SHAPE.lastIndex : Number.POSITIVE_INFINITY;
    }
    return matchEnd <= end;
  };
}

/**
 * Rows (lines) of people with a personal attribute; three or more close together make a list.
 * `found` are the findings already made in this text (identifiers, vocabulary): a row carrying
 * one of them has an attribute.
 */
export function findPeopleLists(
  text: string,
  found: readonly Detection[],
  now: Date,
): { lists: Detection[]; birthDates: Detection[] } {
  const lists: Detection[] = [];
  const birthDates: Detection[] = [];
  // Findings sorted by start, for a binary search per line (a 100 KB message has ~2,000 lines and
  // hundreds of findings). Findings are short, so one starting 200 characters before the line
  // cannot reach into it.
  // Each span packed in one number, start first, so that a typed array's numeric sort orders
  // them by start without an array per finding (h28-scan).
  const packed = new Float64Array(found.length);
  for (let i = 0; i < found.length; i++) packed[i] = found[i]!.start * SPAN_SCALE + found[i]!.end;
  packed.sort();
  const spanStarts = new Int32Array(found.length);
  const spanEnds = new Int32Array(found.length);
  for (let i = 0; i < packed.length; i++) {
    const start = Math.floor(packed[i]! / SPAN_SCALE);
    spanStarts[i] = start;
    // The same as `% SPAN_SCALE` on these integers (exact below 2 ** 53), without a float modulo.
    spanEnds[i] = packed[i]! - start * SPAN_SCALE;
  }
  // Lines are asked in order of their starts, so the first span starting at or after `start -
  // 200` only moves forward: a cursor walked once over the spans instead of a binary search per
  // line through the shared `firstAtOrAfter` and its callback (h32-scan4, the same index).
  let cursor = 0;
  const carries = (start: number, end: number) => {
    const from = start - 200;
    while (cursor < spanStarts.length && spanStarts[cursor]! < from) cursor++;
    for (let i = cursor; i < spanStarts.length && spanStarts[i]! < end; i++) {
      if (spanEnds[i]! > start) return true;
    }
    return false;
  };

  let run: Row[] = [];
  let headed = false;
  let gap = 0;
  let dates: { start: number; end: number; year: number }[] = [];
  const close = () => {
    if (run.length === 0 && !headed) return;
    if (run.length >= 3) {
      const first = run[0]!;
      const last = run[run.length - 1]!;
      lists.push({
        type: 'people_list',
        confidence: run.length >= 5 || headed ? 'high' : 'medium',
        start: first.start,
        end: last.end,
        preview: `${run.length} people`,
      });
      // Dates on every row of a list of people, years back: their dates of birth.
      const old = dates.filter((d) => d.year <= now.getFullYear() - 3);
      if (old.length >= 3) {
        for (const d of old) {
          birthDates.push({
            type: 'date_of_birth',
            confidence: 'medium',
            start: d.start,
            end: d.end,
            preview: text.slice(d.start, d.end).replace(DIGIT, '•'),
          });
        }
      }
    }
    run = [];
    headed = false;
    dates = [];
    gap = 0;
  };

  // The last line that was not blank, [previousStart, previousEnd), sliced only when asked for.
  let previousStart = 0;
  let previousEnd = 0;
  let blankAfterPrevious = false;
  // Under a heading row that names people but no column about them ("Name, Room, Extension": a
  // staff directory, a room list), numbers in the cells are not grades or flags.
  let plainTable = false;
  const nameShaped = nameShapeReader(text);
  const hasCells = cellsReader(text);
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    // The line before, across one blank line: "Predicted grades for my set:", a gap, the names.
    const beforeStart = previousStart;
    const beforeEnd = previousEnd;
    const lineNotBlank = notBlankAt(text, start, end);
    if (lineNotBlank) {
      previousStart = start;
      previousEnd = end;
      blankAfterPrevious = false;
    } else if (blankAfterPrevious) previousStart = previousEnd = 0;
    else blankAfterPrevious = true;
    const lineStart = start;
    start = end + 1;
    // No two capitalised words in a row and no table cells: no name, so neither a row nor a
    // sentence listing people. Most lines of a long message end here, without allocating (no
    // slice of the line either, h28-scan).
    if (!headed && !nameShaped(lineStart, end) && !hasCells(lineStart, end)) {
      plainTable = false;
      if (run.length > 0 && lineNotBlank) close();
      else if (run.length > 0 && ++gap > 1) close();
      continue;
    }
    const lineText = text.slice(lineStart, end);
    const trimmed = lineText.trim();
    if (trimmed.length === 0 || trimmed.length > 300) {
      if (++gap > 1 || trimmed.length > 300) close();
      continue;
    }
    const cells = splitCells(trimmed);
    // A heading row: a name column and a column about the person, in short cells (a sentence with
    // two commas that says "pupil premium" is prose, not a heading).
    if (
      cells &&
      cells.length >= 2 &&
      allHeadingCells(cells) &&
      NAME_COLUMN.test(trimmed) &&
      PERSONAL_COLUMN.test(trimmed)
    ) {
      close();
      headed = true;
      plainTable = false;
      continue;
    }
    if (cells === null) plainTable = false;
    else if (cells.length >= 2 && allHeadingCells(cells) && NAME_HEADING.test(cells[0]!)) {
      plainTable = true;
    }
    // Cheap tests first: most lines of a long message are prose with no attribute and no reason
    // to be a list, and are passed over without looking for names.
    let attribute: Row['attribute'] = null;
    // `test` here; the match is read (`exec`, the same match) only for a dated row of a list
    // (h35-scan): most dated lines are not one, and each match array cost ~100 bytes.
    const dated = DATE_IN_ROW.test(trimmed);
    // Names one per line under a line saying why: "The new FSM children from Monday are:".
    const underReason =
      run.length > 0 ? run[0]!.underReason : introducesList(text, beforeStart, beforeEnd);
    if (dated) {
      attribute = 'date';
    } else if (
      underReason ||
      // A finding already on the line first: the cursor's test costs less than either search,
      // and every test here is a pure condition, so the order changes nothing found (h32-scan4).
      carries(lineStart, end) ||
      POSTCODE_IN_ROW.test(trimmed) ||
      MOBILE_IN_ROW.test(trimmed) ||
      (!plainTable && cells !== null && flagOrGradeAfterFirst(cells)) ||
      (headed && cells !== null && cells.length >= 2) ||
      SEN_IN_ROW.test(trimmed)
    ) {
      attribute = 'other';
    }
    // One line naming three or more people beside a word that says why they are listed: "the
    // pupil premium children going on the residential: Maddie Lowe, Riley Fox, Ayesha Khan".
    const people = peopleInSentence(trimmed);
    if (people >= 3) {
      close();
      if (
        LIST_ABOUT.test(trimmed) ||
        LIST_ABOUT.test(text.slice(beforeStart, beforeEnd)) ||
        gradedPeopleInSentence(trimmed) >= 3
      ) {
        lists.push({
          type: 'people_list',
          confidence: 'medium',
          start: lineStart,
          end,
          preview: `${people} people`,
        });
      }
      continue;
    }
    // Inside a list, or under a line saying why ("Mock grades:"), a row shaped like a name
    // ("Tariq Aziz - …", "Faith Okoro 6") counts even when the given name is not one the list of
    // common names knows.
    const name =
      attribute !== null &&
      (hasFullName(trimmed, cells) ||
        (headed && cells !== null && CAPITAL_FIRST.test(trimmed)) ||
        ((run.length > 0 || underReason) && NAME_ROW.test(trimmed)));
    if (name && attribute) {
      run.push({ start: lineStart, end, name, attribute, underReason });
      gap = 0;
      if (dated) {
        const date = DATE_IN_ROW.exec(trimmed)!;
        const start = lineStart + lineText.indexOf(date[0]);
        dates.push({ start, end: start + date[0].length, year: pastYear(date[1]!, now) });
      }
    } else {
      close();
    }
  }
  close();
  return { lists, birthDates };
}

// Searches once written inline in the functions above, kept here so that `PEOPLE_SEARCHES` can
// compile them before the vocabulary (h13-scan12): most run on one line or cell at a time, so V8
// compiled them only after the vocabulary's code, unoptimised for the life of the page.
const GREETING_BEFORE = /^\s*(?:hi|hello|dear|thanks|morning)\s*$/i;
const HIS_HER = /\b(?:his|her|their)\b/i;
const CAPITALISED_CELL = /^[A-Z][a-z'’-]+$/;
const DIGIT = /\d/g;
const NOT_BLANK = /\S/;
const NAME_HEADING = /^(?:name|names|staff|staff name|teacher|colleague)$/i;
const SEN_IN_ROW = /reading age|\bSEN\b|EHCP/i;
const CAPITAL_FIRST = /^[A-Z]/;
const NAME_ROW = /^[A-Z][a-z'’-]+,?\s[A-Z][a-z'’-]+\b/;

/**
 * Every search above, for `compileBeforeVocabulary` (detectors.ts): most run line by line or row
 * by row, on short texts, so V8 would otherwise compile them only after the vocabulary.
 */
export const PEOPLE_SEARCHES: readonly RegExp[] = [
  FULL_NAME,
  GREETING_OR_SIGNATURE,
  TITLE,
  POSSESSIVE_S,
  RELATIVE_AFTER,
  RELATIVE_AT,
  WORD_START,
  SURNAME_AFTER_TITLE,
  POSTCODE,
  POSTCODE_IN_ROW,
  STREET,
  ORGANISATION,
  HOME_WORDS,
  DATE_IN_ROW,
  PERSONAL_COLUMN,
  NAME_COLUMN,
  FLAG_OR_GRADE,
  LIST_ABOUT,
  NAME_SHAPE,
  GREETING_BEFORE,
  HIS_HER,
  CAPITALISED_CELL,
  DIGIT,
  NOT_BLANK,
  NAME_HEADING,
  SEN_IN_ROW,
  CAPITAL_FIRST,
  NAME_ROW,
];
