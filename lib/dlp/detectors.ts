/**
 * Confidential-data detectors for the send warning. Pure functions over one piece of text (a
 * subject, a body, an attachment name); `scan.ts` runs them over a whole message.
 *
 * How confidence is scored, after Microsoft Purview's sensitive information types: a pattern
 * match, then validation (check digit, prefix rules, real dates), then corroborating words within
 * about 300 characters. A validated identifier alone is usually `medium`; with its words nearby it
 * is `high`; identifiers that are only ten or nine digits (NHS number, passport) need their words
 * to count at all, because phone, order and ISBN numbers share their shape.
 *
 * Type names (`FindingType`) are a contract with the warning, the report and the admin CLI.
 */

import {
  isPlausibleDrivingLicence,
  isValidCardNumber,
  isValidChi,
  isValidNhsNumber,
  isValidNino,
  isValidUci,
  isValidUln,
  isValidUpn,
} from './checksums.ts';
import { COMPILE_SAMPLES, compileFirst } from './compile-first.ts';
import { mask, PROXIMITY } from './finding-text.ts';
import { FINDING_TYPES, type FindingType } from './finding-types.ts';
import { prefixes } from './first-chars.ts';
import { isGivenName } from './names.ts';
import { noteNearMiss } from './near-miss.ts';
import {
  findHomeAddresses,
  findPeopleLists,
  type NameMention,
  nameMentions,
  PEOPLE_SEARCHES,
} from './people.ts';
import { firstAtOrAfter, itself } from './sorted.ts';
import { doubled, isAsciiLetter, originalOffset, wordsView } from './text-to-scan.ts';

const startOf = (item: { start: number }): number => item.start;
const spanStart = (span: readonly [number, number]): number => span[0];

import {
  ANONYMISED_PERSON,
  AUXILIARY_START,
  COLLEAGUE_BY_TEAM,
  CONDITION_WORD,
  EVENT,
  EVENT_SPEAKER,
  FAMILY_BY_YEAR,
  GENERAL_FRAMING,
  GENERAL_MAIL,
  GENERIC_CONDITIONAL,
  GENERIC_PRONOUN_PAIR,
  GIVEN_TO_BEFORE,
  GROUP_ADDRESS,
  INSTITUTIONAL_NOUN,
  KIND_OF_THING,
  KIND_OF_THING_BEFORE,
  LITERATURE,
  OFF_TODAY_WITH_MIGRAINE,
  PERSONAL_REFERENCE,
  PRONOUN_TOLD,
  PUPIL_BY_FORM,
  ROLE_PERSON,
  SELF_OR_THEY,
  SEN_PROVISION,
  SICKNESS_RECORD,
  SOCIAL_CARE_PROCESS,
  SOMEWHERE_BEFORE,
  STAFF_COURSE,
  STAFF_LOGISTICS,
  THEY_ON_BENEFITS,
  THING_SUBJECT,
  type Tier,
  VOCABULARY,
  type VocabularyTerm,
  WRITER_AT_WORK,
} from './vocabulary.ts';

export { FINDING_TYPES, type FindingType };

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
const RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

export function confidenceAtLeast(value: Confidence, threshold: Confidence): boolean {
  return RANK[value] >= RANK[threshold];
}

/** A finding within one piece of text. */
export type Detection = {
  type: FindingType;
  confidence: Confidence;
  /** UTF-16 offsets into the text that was scanned. */
  start: number;
  end: number;
  /** What staff see: the identifier with most characters masked, or the word that matched. */
  preview: string;
  /** Sub-category (`health`, `child_protection`) or the admin's pattern / word-list name. */
  name?: string;
};

export type DetectOptions = {
  disabled?: ReadonlySet<FindingType>;
  /**
   * Text whose words corroborate findings anywhere in this text (the subject, for the body and
   * attachments): "Safeguarding referral" in the subject is as telling as in the first line.
   */
  context?: string;
  /**
   * The rest of the message when this text is only part of it (the body, for the subject line):
   * whether the message is about anyone is judged on the whole of it (`aboutNobody`).
   */
  restOfMessage?: string;
  /** Reference date for "is this date in the past": defaults to now. */
  now?: Date;
  /**
   * The text is a file name: a document named after a sensitive topic ("Ellie EHC plan.pdf") is
   * a document of that kind, so topic words count as statements.
   */
  documentName?: boolean;
};

export { mask, PROXIMITY };

/**
 * Positions of a keyword pattern in the text, computed once per pattern and only when a candidate
 * needs them, then binary-searched: keeps a 100 KB message with many candidates linear.
 */
class Evidence {
  private cache = new Map<RegExp, number[]>();
  private lineSearches = new Map<RegExp, LineSearches>();
  private contextCache = new Map<RegExp, boolean>();
  private nameCache: NameMention[] | null = null;
  private runs: DigitRuns | null = null;
  constructor(
    readonly text: string,
    private readonly context: string,
  ) {}

  positions(re: RegExp): number[] {
    let found = this.cache.get(re);
    if (!found) {
      found = [];
      re.lastIndex = 0;
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        found.push(m.index);
        if (m[0].length === 0) re.lastIndex++;
      }
      this.cache.set(re, found);
    }
    return found;
  }

  /** The text's runs of digits a long identifier could begin with (`DigitRuns`), found once. */
  digitRuns(): DigitRuns {
    if (!this.runs) {
      const text = this.text;
      // Typed arrays grown by doubling: arrays grown by `push` for ~870 runs allocated ~57 KB.
      let starts = new Int32Array(64);
      let lengths = new Int32Array(64);
      let count = 0;
      // `test`, not `exec`: no match array per run. A match is a whole run (`DIGIT_RUN`), so it
      // starts where the digits before its end start.
      DIGIT_RUN.lastIndex = 0;
      while (DIGIT_RUN.test(text)) {
        const end = DIGIT_RUN.lastIndex;
        let start = end - 1;
        while (start > 0 && isDigitCode(text.charCodeAt(start - 1))) start--;
        if (count === starts.length) {
          const s = new Int32Array(count * 2);
          s.set(starts);
          starts = s;
          const l = new Int32Array(count * 2);
          l.set(lengths);
          lengths = l;
        }
        starts[count] = start;
        lengths[count] = end - start;
        count++;
      }
      DIGIT_RUN.lastIndex = 0;
      this.runs = { count, starts, lengths };
    }
    return this.runs;
  }

  /** People named in running text (not greetings or sign-offs), computed once. */
  names(): NameMention[] {
    this.nameCache ??= nameMentions(this.text);
    return this.nameCache;
  }

  /**
   * The names if `names()` was asked already, else null (no search made here). The whole scan's
   * home addresses ask for them before the vocabulary pass (h33-vocab, `aboutNobody`).
   */
  namesIfFound(): NameMention[] | null {
    return this.nameCache;
  }

  /** Whether a person is named wholly inside [from, to). Names are in text order. */
  nameWithin(from: number, to: number): boolean {
    const names = this.names();
    for (
      let i = firstAtOrAfter(names, from, startOf);
      i < names.length && names[i]!.start < to;
      i++
    ) {
      if (names[i]!.end <= to) return true;
    }
    return false;
  }

  /** Whether a person is named within `distance` characters of [start, end). */
  nameNear(start: number, end: number, distance: number): boolean {
    const names = this.names();
    const a = firstAtOrAfter(names, start - distance, startOf);
    return a < names.length && names[a]!.start <= end + distance;
  }

  /** Whether `re` matches within `distance` characters of [start, end), or in the context. */
  near(re: RegExp, start: number, end: number, distance = PROXIMITY): boolean {
    if (this.inContext(re)) return true;
    return this.nearInText(re, start, end, distance);
  }

  nearInText(re: RegExp, start: number, end: number, distance = PROXIMITY): boolean {
    const lo = start - distance;
    const hi = end + distance;
    if (!this.cache.has(re)) {
      const near = this.nearByLines(re, lo, hi);
      if (near !== null) return near;
    }
    const positions = this.positions(re);
    const a = firstAtOrAfter(positions, lo, itself);
    return a < positions.length && positions[a]! <= hi;
  }

  /**
   * Whether `positions(re)` has a start in [lo, hi], found by searching only the lines the window
   * touches instead of listing the whole text's matches: a 100 KB message has a few dozen
   * identifiers, and their keyword windows cover under a tenth of it. Exact for a search that
   * cannot match a line break and looks no further than the next character (`withinLines`): no
   * match of the whole-text search runs across a line's start, so the whole-text search finds the
   * same matches in those lines as a search of them alone, and each match attempt stops at the
   * line break at the latest. The lines searched are kept, so later windows inside them are
   * answered without searching. Null (list the whole text's matches instead) for a search that
   * could span lines, or once the windows have searched more than the text's length or are too
   * many to look through.
   */
  private nearByLines(re: RegExp, start: number, stop: number): boolean | null {
    let searches = this.lineSearches.get(re);
    if (!searches) {
      if (!withinLines(re)) return null;
      searches = new LineSearches();
      this.lineSearches.set(re, searches);
    }
    const text = this.text;
    // Matches start inside the text: the same question.
    const lo = Math.max(0, start);
    const hi = Math.min(text.length, stop);
    // A loop, not `find`: no closure per question (h28-scan). By index, not `for…of` (h35-people):
    // the `for…of` here allocated ~55 KB of a warm scan of issue 13's message (an iterator and a
    // result object per step, ~64 questions a keyword), though V8 optimises this method.
    let run: LineSearch | undefined;
    const runs = searches.runs;
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i]!;
      if (r.from <= lo && hi < r.to) {
        run = r;
        break;
      }
    }
    if (!run) {
      if (searches.searched > text.length || searches.runs.length >= MAX_LINE_SEARCHES) return null;
      const from = lo === 0 ? 0 : text.lastIndexOf('\n', lo - 1) + 1;
      const lineBreak = text.indexOf('\n', hi);
      // Through the line break that ends hi's line: a match attempt reads up to it, never past.
      const to = lineBreak < 0 ? text.length : lineBreak + 1;
      const lines = from === 0 && to === text.length ? text : text.slice(from, to);
      // Gathered in the search's own buffer, each run's after the last's (`LineSearches.add`):
      // no typed array per run (h35-scan). Not an array literal grown by `push`: V8 may allocate
      // one old while its elements are young (h33-gc, see `LineSearch`).
      const first = searches.count;
      re.lastIndex = 0;
      for (let m = re.exec(lines); m; m = re.exec(lines)) {
        searches.add(from + m.index);
        if (m[0].length === 0) re.lastIndex++;
      }
      re.lastIndex = 0;
      searches.searched += to - from;
      // A window ending at the text's end is inside [from, to) too.
      run = new LineSearch(from, to === text.length ? to + 1 : to, first, searches.count);
      searches.runs.push(run);
    }
    // The run's first match start at or after lo, found by halving [run.first, run.end).
    const at = searches.at;
    let a = run.first;
    let b = run.end;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (at[mid]! < lo) a = mid + 1;
      else b = mid;
    }
    return a < run.end && at[a]! <= hi;
  }

  inContext(re: RegExp): boolean {
    if (!this.context) return false;
    let hit = this.contextCache.get(re);
    if (hit === undefined) {
      re.lastIndex = 0;
      hit = re.test(this.context);
      re.lastIndex = 0;
      this.contextCache.set(re, hit);
    }
    return hit;
  }
}

/**
 * The runs of digits in a text that a long identifier could begin with, in order: where each
 * starts and how many digits it has (h32-scan). A run of five digits or more, or of four followed
 * by a space or hyphen and a digit (a card's first group). UPNs, ULN and CHI numbers, UCIs, cards,
 * bank accounts, passports and driving licences can only match at the start of such a run (a UPN a letter before
 * it), so their searches are tried there (`matchesAtDigitRuns`) instead of each searching the
 * whole text: one search for the runs replaces seven. A 100 KB message holds ~3,800 runs of digits,
 * nearly all dates, times and years of one to four digits; ~870 of them are these.
 */
type DigitRuns = { count: number; starts: Int32Array; lengths: Int32Array };
// Four `\d` written out, not `\d{4}`: irregexp then checks four characters at once (0.06 ms
// against 0.11 ms on 100 KB). Every match is a whole run: a try inside a run has fewer digits ahead
// than one at its start, so none succeeds where the start failed.
const DIGIT_RUN = /\d\d\d\d(?:\d+|(?=[ -]\d))/g;

/** Whether a run of digits so long could begin an identifier's match. */
type RunFits = (length: number) => boolean;

/** Where a search is tried: at the run's own start (the identifiers that begin with a digit). */
const AT_RUN: readonly number[] = [0];

/**
 * The matches of an identifier search, exactly as a global `exec` loop over the whole text finds
 * them, tried only where one can start (h32-scan): `sticky` (the same pattern, flag `y`) at each
 * of `before` characters ahead of the start of every run of digits that `fits`. Each detector
 * states why every match of its pattern starts at such a place; a try at any other place could
 * only fail, so skipping it changes nothing. As in the loop, the next try is after the end of the
 * last match. `before` is in descending order, so tries are in text order.
 *
 * Each match as its start and end, in pairs in one flat array (h37-scan): a sticky `test` is
 * tried where the match would start, so the start is known and `lastIndex` gives the end, with no
 * match array (~240 a scan of issue 13's message, ~20 KB with their captured digits). Callers read
 * the match's text with `slice`, and its digits from that text (`digitsOf`).
 */
function matchesAtDigitRuns(
  ev: Evidence,
  sticky: RegExp,
  fits: RunFits,
  before: readonly number[] = AT_RUN,
): number[] {
  const { count, starts, lengths } = ev.digitRuns();
  const text = ev.text;
  const found: number[] = [];
  let next = 0;
  for (let r = 0; r < count; r++) {
    const runStart = starts[r]!;
    if (!fits(lengths[r]!)) continue;
    // By index, not `for…of`: no iterator per run tried.
    for (let k = 0; k < before.length; k++) {
      const at = runStart - before[k]!;
      if (at < next) continue;
      sticky.lastIndex = at;
      if (sticky.test(text)) {
        next = sticky.lastIndex;
        found.push(at, next);
        break;
      }
    }
  }
  sticky.lastIndex = 0;
  return found;
}

/**
 * One search of `Evidence.nearByLines`: whole lines [from, to), and every match start of the
 * whole-text search in them, at [first, end) of its `LineSearches`' `at`.
 */
class LineSearch {
  readonly from: number;
  readonly to: number;
  readonly first: number;
  readonly end: number;
  constructor(from: number, to: number, first: number, end: number) {
    this.from = from;
    this.to = to;
    this.first = first;
    this.end = end;
  }
}
/**
 * The searches of one keyword pattern in one text, how many characters they have covered, and
 * their match starts in one buffer grown by doubling (a text has under 2 ** 31 characters).
 */
class LineSearches {
  searched = 0;
  readonly runs: LineSearch[] = [];
  at = new Int32Array(16);
  count = 0;
  add(start: number): void {
    if (this.count === this.at.length) this.at = doubled(this.at);
    this.at[this.count++] = start;
  }
}

/** Beyond this many windows of one keyword search, list its matches over the whole text. */
const MAX_LINE_SEARCHES = 64;

/**
 * Whether no match of `re` can hold a line break ("\n") and no match attempt looks past the next
 * character, read from its source: a global, not sticky search without the `s` flag, with no
 * class that is negated or holds an escape other than `\d`/`\w`, no escape but `\b`, `\B`, `\d`,
 * `\w`, `\S` and escaped punctuation, no lookaround or anchor (`(?=`, `(?!`, `(?<`, `^`, `$`), and
 * no line break written in it (`.` matches no line break without `s`). Anything else: false.
 */
export function withinLines(re: RegExp): boolean {
  if (!re.global || re.sticky || re.dotAll || re.unicode || re.unicodeSets) return false;
  const source = re.source;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029') return false;
    if (ch === '\\') {
      const e = source[++i] ?? '';
      if (/[A-Za-z0-9]/.test(e) && !(inClass ? 'dw' : 'bBdwS').includes(e)) return false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      if (source[i + 1] === '^') return false;
      inClass = true;
    } else if (
      ch === '^' ||
      ch === '$' ||
      (ch === '(' && source[i + 1] === '?' && source[i + 2] !== ':')
    ) {
      return false;
    }
  }
  return true;
}

const PHONE_CONTEXT =
  /(?:\btel|phone|\bmob|mobile|\bcall|\bfax|\bring\b|\btext\b|\+44|whatsapp|contact)[^\n]{0,20}$/i;
const ISBN_CONTEXT = /ISBN(?:-1[03])?[:\s]*$/i;

function precededBy(text: string, index: number, re: RegExp, span = 30): boolean {
  return re.test(text.slice(Math.max(0, index - span), index));
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/**
 * A ten-digit or UCI match's digits: its captured groups joined, which is its text without the
 * spaces (h37-scan): each pattern's only characters outside its groups are optional single spaces
 * (`TEN_DIGITS_RE`, `UCI_RE`; `digit-runs.test.ts` holds it to the groups). No match array needed.
 */
function digitsOf(found: string): string {
  return found.indexOf(' ') < 0 ? found : found.replace(SPACES_IN_DIGITS, '');
}
const SPACES_IN_DIGITS = / /g;

const UPN_RE = /(?<![A-Za-z0-9])[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z](?![A-Za-z0-9])/g;
const UPN_WORDS = /\bUPNs?\b|unique pupil|pupil (?:number|no\b|ref|identifier|ID\b)/gi;

/**
 * Where a UPN can start: the letter before a run of 11 digits (then the check letter) or 12 (the
 * check character a digit; no letter or digit may follow it).
 */
const UPN_AT = new RegExp(UPN_RE.source, 'y');
const UPN_BEFORE: readonly number[] = [1];
const upnRun: RunFits = (length) => length === 11 || length === 12;

function detectUpn(ev: Evidence, out: Detection[]): void {
  const matches = matchesAtDigitRuns(ev, UPN_AT, upnRun, UPN_BEFORE);
  for (let i = 0; i < matches.length; i += 2) {
    const start = matches[i]!;
    const end = matches[i + 1]!;
    const upn = ev.text.slice(start, end);
    if (!isValidUpn(upn)) continue;
    out.push({
      type: 'upn',
      confidence: ev.near(UPN_WORDS, start, end) ? 'high' : 'medium',
      start,
      end,
      preview: mask(upn, 1, 1),
    });
  }
}

// Upper case only, as HMRC prints it and staff copy it: accepting lower case would match
// ordinary words-and-number codes far more often than real NINOs typed in lower case.
const NINO_RE = /(?<![A-Za-z0-9])([A-Z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/g;
const NINO_WORDS =
  /[Nn]ational [Ii]nsurance|\bN\.?I\.? ?(?:[Nn]o|[Nn]umber|[Nn]um)?\b|\bNINO\b|\bNIN\b/g;

function detectNino(ev: Evidence, out: Detection[]): void {
  NINO_RE.lastIndex = 0;
  for (let m = NINO_RE.exec(ev.text); m; m = NINO_RE.exec(ev.text)) {
    const compact = m.slice(1, 6).join('');
    if (!isValidNino(compact)) continue;
    const end = m.index + m[0].length;
    out.push({
      type: 'nino',
      confidence: ev.near(NINO_WORDS, m.index, end) ? 'high' : 'medium',
      start: m.index,
      end,
      preview: mask(m[0], 2, 1),
    });
  }
}

// Never starts with 0: UK phone numbers in national format always do, and so do most ISBN-10s.
// Grouped 3-3-4 by spaces, hyphens or (session 39) dots, the same between all three groups.
const NHS_RE = /(?<![\d+]|\d[ .-])([1-9]\d{2})([ .-]?)(\d{3})\2(\d{4})(?!\d|[.-]\d)/g;
const NHS_WORDS = /\bNHS\b/gi;
const HEALTH_WORDS =
  /\bpatient|hospital|\bGP\b|surgery|medical|clinic|health|date of birth|\bD\.?O\.?B\b|\bCHI\b/gi;

function detectNhs(ev: Evidence, out: Detection[]): void {
  NHS_RE.lastIndex = 0;
  for (let m = NHS_RE.exec(ev.text); m; m = NHS_RE.exec(ev.text)) {
    const digits = `${m[1]}${m[3]}${m[4]}`;
    if (!isValidNhsNumber(digits)) continue;
    if (precededBy(ev.text, m.index, PHONE_CONTEXT) || precededBy(ev.text, m.index, ISBN_CONTEXT))
      continue;
    const end = m.index + m[0].length;
    const confidence: Confidence = ev.near(NHS_WORDS, m.index, end)
      ? 'high'
      : ev.near(HEALTH_WORDS, m.index, end)
        ? 'medium'
        : 'low';
    out.push({ type: 'nhs_number', confidence, start: m.index, end, preview: mask(m[0], 0, 2) });
  }
}

// Unique Learner Number and Scottish CHI number: ten digits like an NHS number (the CHI number even
// shares its check digit), so each needs its own words close by to count at all.
const TEN_DIGITS_RE = /(?<![\d+])(\d{6}) ?(\d{4})(?![\d])/g;
const ULN_WORDS = /\bULN\b|unique learner/gi;
const LEARNER_WORDS = /learner (?:number|record)|personal learning record|\bPLR\b|\bLRS\b/gi;
const CHI_WORDS = /\bCHI\b|community health index/g;

/** Ten digits start a run (no digit before them): six and a space, or all ten together. */
const TEN_DIGITS_AT = new RegExp(TEN_DIGITS_RE.source, 'y');
const tenDigitsRun: RunFits = (length) => length === 6 || length === 10;

function detectTenDigitIdentifiers(
  ev: Evidence,
  out: Detection[],
  disabled: ReadonlySet<FindingType>,
): void {
  const matches = matchesAtDigitRuns(ev, TEN_DIGITS_AT, tenDigitsRun);
  for (let i = 0; i < matches.length; i += 2) {
    const start = matches[i]!;
    const end = matches[i + 1]!;
    const found = ev.text.slice(start, end);
    const digits = digitsOf(found);
    if (precededBy(ev.text, start, PHONE_CONTEXT)) continue;
    if (!disabled.has('uln') && isValidUln(digits)) {
      const confidence: Confidence | null = ev.nearInText(ULN_WORDS, start, end, 100)
        ? 'high'
        : ev.nearInText(LEARNER_WORDS, start, end, 100) || ev.inContext(ULN_WORDS)
          ? 'medium'
          : null;
      if (confidence) {
        out.push({ type: 'uln', confidence, start, end, preview: mask(found, 0, 2) });
      }
    }
    if (!disabled.has('chi_number') && isValidChi(digits) && ev.near(CHI_WORDS, start, end, 100)) {
      out.push({
        type: 'chi_number',
        confidence: 'high',
        start,
        end,
        preview: mask(found, 0, 2),
      });
    }
  }
}

// Unique Candidate Identifier: twelve digits (an international centre's "B" sixth) and a check
// letter. The check letter rules out 16 in 17 look-alikes; exam words make it a finding.
const UCI_RE = /(?<![A-Za-z0-9])(\d{5}) ?([0-9B]) ?(\d{2}) ?(\d{4}) ?([A-Z])(?![A-Za-z0-9])/g;
const UCI_WORDS = /\bUCI\b|unique candidate/gi;
const EXAM_WORDS = /candidate|exam|\bJCQ\b|awarding (?:body|organisation)|entries|\bresults?\b/gi;

/**
 * A UCI starts a run of digits (no letter or digit before it): its first five digits, then a
 * space, a "B" or more digits up to the next space (six, eight or all twelve).
 */
const UCI_AT = new RegExp(UCI_RE.source, 'y');
const uciRun: RunFits = (length) => length === 5 || length === 6 || length === 8 || length === 12;

function detectUci(ev: Evidence, out: Detection[]): void {
  const matches = matchesAtDigitRuns(ev, UCI_AT, uciRun);
  for (let i = 0; i < matches.length; i += 2) {
    const start = matches[i]!;
    const end = matches[i + 1]!;
    const found = ev.text.slice(start, end);
    if (!isValidUci(digitsOf(found))) continue;
    const confidence: Confidence = ev.near(UCI_WORDS, start, end)
      ? 'high'
      : ev.near(EXAM_WORDS, start, end)
        ? 'medium'
        : 'low';
    out.push({ type: 'uci', confidence, start, end, preview: mask(found, 0, 1) });
  }
}

// Module-level, as every search run per candidate in these detectors (h34-alloc): a regular-
// expression literal in a function body is a new RegExp object (~56 bytes) each time its line
// runs. The global ones are only used by `replace`, which starts them at 0 and leaves them at 0.
const ONE_DIGIT_REPEATED = /^\d(\d)\1+$/;
const ONE_GROUP_REPEATED = /^(\d{2}|\d{4})\1+$/;
const CARD_SEPARATORS = /[ -]/g;

/**
 * Numbers made of one repeated digit or one repeated group (4111 1111 1111 1111,
 * 4242 4242 4242 4242) are the schemes' published test numbers or made-up examples: no issued
 * card looks like that, and they turn up in IT tickets, training slides and maths homework.
 */
function isExampleCardNumber(digits: string): boolean {
  if (ONE_DIGIT_REPEATED.test(digits)) return true;
  return ONE_GROUP_REPEATED.test(digits.slice(0, 16));
}

const CARD_RE =
  /(?<![\d-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\d|[ -]\d)/g;
const CARD_WORDS =
  /\bcard|visa|master ?card|maestro|amex|american express|debit|credit|expiry|\bexp\b|\bCVV|\bCVC|security code|long number/gi;

/**
 * A card number starts a run of digits (no digit or hyphen before it): 13 to 19 digits together,
 * or the first four of a spaced or hyphenated number.
 */
const CARD_AT = new RegExp(CARD_RE.source, 'y');
const cardRun: RunFits = (length) => length === 4 || (length >= 13 && length <= 19);

function detectCard(ev: Evidence, out: Detection[]): void {
  const matches = matchesAtDigitRuns(ev, CARD_AT, cardRun);
  for (let i = 0; i < matches.length; i += 2) {
    const start = matches[i]!;
    const end = matches[i + 1]!;
    const found = ev.text.slice(start, end);
    const digits = found.replace(CARD_SEPARATORS, '');
    if (!isValidCardNumber(digits) || isExampleCardNumber(digits)) continue;
    out.push({
      type: 'payment_card',
      confidence: ev.near(CARD_WORDS, start, end) ? 'high' : 'medium',
      start,
      end,
      preview: mask(found, 0, 4),
    });
  }
}

const SORT_CODE_RE = /(?<![\d-])(\d{2})-(\d{2})-(\d{2})(?![\d-])/g;
// A sort code written with spaces or none only counts right after the words "sort code".
const SORT_CODE_WORDED_RE = /sort[- ]?code[:\s]*(?:is\s*)?(\d{2}[ ]?\d{2}[ ]?\d{2})(?![\d-])/gi;
const ACCOUNT_RE = /(?<![\d-])\d{8}(?![\d-])/g;
/** An account number is a whole run of eight digits (no digit or hyphen either side of it). */
const ACCOUNT_AT = new RegExp(ACCOUNT_RE.source, 'y');
const accountRun: RunFits = (length) => length === 8;
const BANK_WORDS =
  /sort[- ]?code|account (?:no|number|num)|\bacc(?:ount)?\.? ?(?:no|number)|\ba\/c\b|\bbank|\bBACS\b|payee|building society/gi;
/** Bank details are a pair; the account number must be this close to the sort code. */
const BANK_PAIR_DISTANCE = 120;
/** Words before bank details that make them the school's own, for families to pay into. */
const SCHOOLS_OWN_ACCOUNT =
  /\b(?:pay(?:ments?|able)?|paid|transfer|BACS)\b[^.\n]{0,80}\b(?:to|into|in favour of) (?:the )?(?:school|academy|trust|PTA|PTFA|school fund|friends of)\b|\b(?:the school's|our) bank (?:details|account)/i;

/**
 * A company named just before the details, on the same line (h12-tune): "the new supplier:
 * Bright Stationery Ltd, sort code …" is a firm's account set up by the finance office, not a
 * person's. Low, like the school's own.
 */
const COMPANY_ACCOUNT = /\b(?:Ltd|Limited|plc|PLC|LLP)\b[^\n]{0,100}$/;

function looksLikeDate(dd: number, mm: number): boolean {
  return dd >= 1 && dd <= 31 && mm >= 1 && mm <= 12;
}

function detectBank(ev: Evidence, out: Detection[]): void {
  const sortCodes: { start: number; end: number; dateLike: boolean }[] = [];
  SORT_CODE_RE.lastIndex = 0;
  for (let m = SORT_CODE_RE.exec(ev.text); m; m = SORT_CODE_RE.exec(ev.text)) {
    const dateLike = looksLikeDate(Number(m[1]), Number(m[2]));
    sortCodes.push({ start: m.index, end: m.index + m[0].length, dateLike });
  }
  SORT_CODE_WORDED_RE.lastIndex = 0;
  for (let m = SORT_CODE_WORDED_RE.exec(ev.text); m; m = SORT_CODE_WORDED_RE.exec(ev.text)) {
    const start = m.index + m[0].length - m[1]!.length;
    if (!sortCodes.some((s) => s.start === start)) {
      sortCodes.push({ start, end: m.index + m[0].length, dateLike: false });
    }
  }
  if (sortCodes.length === 0) return;
  const found = matchesAtDigitRuns(ev, ACCOUNT_AT, accountRun);
  const accounts: number[] = [];
  for (let i = 0; i < found.length; i += 2) accounts.push(found[i]!);
  for (let i = 0; i < sortCodes.length; i++) {
    const sc = sortCodes[i]!;
    const account = accounts.find(
      (a) => a + 8 > sc.start - BANK_PAIR_DISTANCE && a < sc.end + BANK_PAIR_DISTANCE,
    );
    if (account === undefined) continue;
    const start = Math.min(sc.start, account);
    const end = Math.max(sc.end, account + 8);
    const worded = ev.near(BANK_WORDS, start, end);
    // Without bank words, a date (12-03-24) next to an eight-digit order number is more likely
    // than bank details. The school's own account, given so families can pay it ("payment for the
    // trip by bank transfer to the school: sort code …"), is printed on every letter home.
    const before = ev.text.slice(Math.max(0, start - 160), start);
    const schools = SCHOOLS_OWN_ACCOUNT.test(before) || COMPANY_ACCOUNT.test(before);
    const confidence: Confidence = schools
      ? 'low'
      : worded
        ? 'high'
        : sc.dateLike
          ? 'low'
          : 'medium';
    const sortText = ev.text.slice(sc.start, sc.end);
    const accountText = ev.text.slice(account, account + 8);
    out.push({
      type: 'bank_account',
      confidence,
      start,
      end,
      preview: `${mask(sortText, 0, 0)} / ${mask(accountText, 0, 2)}`,
    });
  }
}

const PASSPORT_RE = /(?<![\d\w])\d{9}(?!\d)/g;
const PASSPORT_WORDS = /passport/gi;
const PASSPORT_LABEL = /passport\s*(?:no\.?|number|num|#)?[:\s-]*$/i;

/** A passport number is a whole run of nine digits (no word character before, no digit after). */
const PASSPORT_AT = new RegExp(PASSPORT_RE.source, 'y');
const passportRun: RunFits = (length) => length === 9;

function detectPassport(ev: Evidence, out: Detection[]): void {
  const matches = matchesAtDigitRuns(ev, PASSPORT_AT, passportRun);
  for (let i = 0; i < matches.length; i += 2) {
    const start = matches[i]!;
    const end = start + 9;
    if (precededBy(ev.text, start, PHONE_CONTEXT)) continue;
    let confidence: Confidence | null = null;
    if (precededBy(ev.text, start, PASSPORT_LABEL, 40)) confidence = 'high';
    else if (ev.nearInText(PASSPORT_WORDS, start, end, 100)) confidence = 'medium';
    else if (ev.inContext(PASSPORT_WORDS)) confidence = 'low';
    if (!confidence) continue;
    out.push({
      type: 'passport',
      confidence,
      start,
      end,
      preview: mask(ev.text.slice(start, end), 0, 2),
    });
  }
}

const LICENCE_RE =
  /(?<![A-Za-z0-9])([A-Z9]{5}) ?(\d{6}) ?([A-Z9]{2}\d[A-Z0-9]{2})(?: ?\d{2})?(?![A-Za-z0-9])/g;
const LICENCE_WORDS =
  /driving licen[cs]e|driver'?s? licen[cs]e|\bDVLA\b|licen[cs]e (?:no|number)/gi;

// Scanning every capital letter for the 16-character layout cost more than any other identifier
// on a 100 KB message; runs of six or more digits are rarer, so find those first and try the
// layout only at the few places it could start (the runs are the text's `digitRuns`, h32-scan).
const LICENCE_AT = new RegExp(`^${LICENCE_RE.source}`);

const ASCII_LETTER_OR_DIGIT = /[A-Za-z0-9]/;

function detectLicence(ev: Evidence, out: Detection[]): void {
  let lastEnd = -1;
  const { count, starts, lengths } = ev.digitRuns();
  // Each run of six digits or more, as `/\d{6,}/g` found them before h32-scan.
  for (let r = 0; r < count; r++) {
    if (lengths[r]! < 6) continue;
    const runStart = starts[r]!;
    // A short surname is padded with 9s, which join the digit run: "LI999802256…".
    for (let start = runStart - 6; start < runStart; start++) {
      if (start < 0 || start < lastEnd) continue;
      const first = ev.text.charCodeAt(start);
      if (first < 65 || first > 90) continue; // a surname starts with a capital letter
      const m = LICENCE_AT.exec(ev.text.slice(start, start + 24));
      // The lookbehind cannot see before the slice: check the character before by hand.
      if (!m || (start > 0 && ASCII_LETTER_OR_DIGIT.test(ev.text[start - 1]!))) continue;
      if (!isPlausibleDrivingLicence(`${m[1]}${m[2]}${m[3]}`)) continue;
      const end = start + m[0].length;
      lastEnd = end;
      out.push({
        type: 'driving_licence',
        confidence: ev.near(LICENCE_WORDS, start, end) ? 'high' : 'medium',
        start,
        end,
        preview: mask(m[0], 2, 0),
      });
      break;
    }
  }
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

// ---------------------------------------------------------------------------------------------
// Date of birth: a date only counts when it is labelled as a birth date, because school email is
// full of dates (trips, deadlines, meetings) and a date on its own says nothing about a person.

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
// The year is the one capturing group of each alternative (1 to 4, in order). The groups were
// named once (y1 to y4); a match of a search with named groups carries a `groups` object, ~470
// bytes a match against ~190 without (h34-alloc: ~100 dates a scan in the birth-date regions).
// What matches is the same.
const DATE_RE = new RegExp(
  [
    String.raw`(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-]((?:19|20)\d{2}|\d{2})(?![\d/.-]*\d)`,
    String.raw`(?<![\d-])((?:19|20)\d{2})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\d-])`,
    String.raw`\b(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTHS})\.?,?\s+((?:19|20)\d{2})\b`,
    String.raw`\b(?:${MONTHS})\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b`,
  ].join('|'),
  'gi',
);
const DOB_LABEL =
  /(?:\bd\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?)[\s:()|\-–]*$/i;
const DOB_AFTER = /^\s*\(?\s*(?:d\.?o\.?b|date of birth)\b/i;
// Column headings only: "born" in running text ("children born between 1 September 2020 and
// 31 August 2021 may apply") is admissions criteria, not someone's birth date.
const DOB_WORDS = /\bd\.?o\.?b\b|date\s+of\s+birth|birth\s*date/gi;

function yearOf(m: RegExpExecArray, now: Date): number {
  const raw = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
  if (raw.length === 4) return Number(raw);
  // Two-digit years: a birth year is in the past, so pick the most recent century that makes it so.
  const yy = Number(raw);
  const thisYear = now.getFullYear() % 100;
  return yy <= thisYear ? 2000 + yy : 1900 + yy;
}

/**
 * A word each birth-date label holds: every match of `DOB_LABEL`, `DOB_AFTER` and `DOB_WORDS`
 * contains one ("d.o.b" spelt as they spell it, "birth" or "born"). Reported matches can hide a
 * key that starts inside one, at most 6 characters on.
 */
const DOB_KEYS = /d\.?\s?o\.?\s?b|birth|born/gi;

/**
 * Whether no match of `DATE_RE` can hold the unit `c`: its matches are made of ASCII letters and
 * digits, whitespace and `/`, `.`, `-`, `,` (any non-ASCII unit is taken as possible).
 */
function outsideAnyDate(c: number): boolean {
  if (c >= 128 || (c >= 9 && c <= 13) || c === 32) return false;
  if ((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122)) return false;
  return c !== 44 && c !== 45 && c !== 46 && c !== 47;
}

/**
 * Where a date can be a birth date (h14-scan13): around each `DOB_KEYS` word (a label up to 40
 * characters before the date, or one up to 20 after it) and within `PROXIMITY` of each `DOB_WORDS`
 * match (a table's heading); sorted and merged. A date that is a finding overlaps one of them; a
 * text with no key has none.
 */
function dobRegions(ev: Evidence): [number, number][] {
  const spans: [number, number][] = [];
  DOB_KEYS.lastIndex = 0;
  for (let m = DOB_KEYS.exec(ev.text); m; m = DOB_KEYS.exec(ev.text)) {
    spans.push([m.index - 40, m.index + 60]);
  }
  if (spans.length === 0) return spans;
  const positions = ev.positions(DOB_WORDS);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    spans.push([p - PROXIMITY - 10, p + PROXIMITY + 10]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/**
 * Dates of birth. `DATE_RE` runs only over `dobRegions` (the whole text when `everywhere`, for the
 * tests), and finds there exactly the matches of its search of the whole text: in each region it
 * goes on from where the last region's search stopped, or starts afresh just after a character
 * no date can hold (`outsideAnyDate`): no match of the whole text's search runs across that
 * character, so from there on both searches find the same matches.
 */
function detectDob(ev: Evidence, out: Detection[], now: Date, everywhere = false): void {
  const currentYear = now.getFullYear();
  const text = ev.text;
  const regions: [number, number][] = everywhere ? [[0, text.length]] : dobRegions(ev);
  // A search from `chain` finds the whole-text search's matches from there on.
  let chain = 0;
  for (let r = 0; r < regions.length; r++) {
    const regionStart = regions[r]![0];
    const regionEnd = regions[r]![1];
    if (chain > text.length) break;
    let from = chain;
    if (regionStart > chain) {
      from = regionStart;
      while (from > chain && !outsideAnyDate(text.charCodeAt(from - 1))) from--;
    }
    DATE_RE.lastIndex = from;
    let m = DATE_RE.exec(text);
    for (; m && m.index < regionEnd; m = DATE_RE.exec(text)) {
      dateOfBirth(ev, out, now, currentYear, m);
    }
    chain = m ? m.index : text.length + 1;
  }
  DATE_RE.lastIndex = 0;
}

/**
 * The date-of-birth findings of `text` alone (no context), searched only where a date can be a
 * birth date, or `everywhere` as before h14-scan13: the same findings (the tests compare them).
 */
export function datesOfBirth(text: string, now: Date, everywhere = false): Detection[] {
  const out: Detection[] = [];
  detectDob(new Evidence(text, ''), out, now, everywhere);
  return out;
}

const DIGITS = /\d/g;

function dateOfBirth(
  ev: Evidence,
  out: Detection[],
  now: Date,
  currentYear: number,
  m: RegExpExecArray,
): void {
  const start = m.index;
  const end = start + m[0].length;
  const year = yearOf(m, now);
  if (year < 1900 || year > currentYear) return;
  let confidence: Confidence | null = null;
  if (precededBy(ev.text, start, DOB_LABEL, 40) || DOB_AFTER.test(ev.text.slice(end, end + 20))) {
    confidence = 'high';
  } else if (year <= currentYear - 3 && ev.nearInText(DOB_WORDS, start, end)) {
    // A table with a "DOB" column: the label is above, not beside, each date. Dates at least
    // three years old near birth-date words are birth dates; this year's dates are events.
    confidence = 'medium';
  }
  if (!confidence) return;
  out.push({
    type: 'date_of_birth',
    confidence,
    start,
    end,
    preview: m[0].replace(DIGITS, '•'),
  });
}

// ---------------------------------------------------------------------------------------------
// Credentials: "password: Blue42!" and its variants. The seed policies say passwords must never be
// disclosed; the commonest way they leak is a new starter's or a pupil's login sent by email.

const CREDENTIAL_RE =
  /\b(pass(?:word|code|phrase)|passwd|pwd|PIN(?: code| number)?)\b(?:\s+(?:for|of)\s+[^\n:=]{1,40}?)?\s*(?:is\s*:?|:|=|-)\s*["'“‘]?([^\s"'”’<>]{4,64})/gi;
const NOT_A_SECRET = new Set([
  'required',
  'reset',
  'expired',
  'incorrect',
  'wrong',
  'protected',
  'changed',
  'change',
  'the',
  'your',
  'below',
  'above',
  'attached',
  'enclosed',
  'same',
  'sent',
  'available',
  'needed',
  'case-sensitive',
  'sensitive',
  'not',
  'only',
  'still',
  'being',
  'what',
  'will',
  'please',
  'must',
  'should',
  'valid',
  'invalid',
  'blank',
  'empty',
  'unchanged',
  'separate',
  'separately',
  'known',
  'written',
  'provided',
  'shown',
  'printed',
  'issued',
  'given',
  'stored',
  'kept',
  'managed',
  'secure',
  'strong',
  'weak',
  'long',
  'short',
  'forgotten',
  'unknown',
  'none',
  'n/a',
  'tbc',
  'included',
  'different',
  'easy',
  'simple',
  'hard',
  'there',
  'here',
  'also',
  'then',
  'that',
  'this',
  'their',
  'them',
  'from',
  'with',
  'when',
  'sharing',
  'policy',
  'field',
  'box',
]);

// "Login for the SIMS test account: admin / Welcome2024!": a username and a secret after a login
// label. Only counted when the secret mixes letters with digits or symbols, as passwords do.
const LOGIN_PAIR_RE =
  /\b(?:login|log-in|log in|logon|sign[- ]in|credentials|account)\b[^\n:]{0,40}:\s*([^\s/]{2,40})\s*\/\s*([^\s]{6,64})/gi;

const LOGIN_SECRET_END = /[.,;)]+$/;
const ASCII_LETTER = /[A-Za-z]/;
const DIGIT_OR_SYMBOL = /[\d!#$%&*?@^~]/;
const SECRET_END = /[.,;:!?)]+$/;
const ONE_CHARACTER_REPEATED = /^(.)\1+$/;
const MASKED = /^[*•x]+$/i;
const PIN_SHAPE = /^\d{4,8}$/;
const A_DIGIT = /\d/;
const NOT_LETTER_OR_DIGIT = /[^A-Za-z0-9]/;
const MIXED_CASE = /[a-z][A-Z]|[A-Z][a-z]+[A-Z]/;

function detectCredential(ev: Evidence, out: Detection[]): void {
  LOGIN_PAIR_RE.lastIndex = 0;
  for (let m = LOGIN_PAIR_RE.exec(ev.text); m; m = LOGIN_PAIR_RE.exec(ev.text)) {
    const secret = m[2]!.replace(LOGIN_SECRET_END, '');
    if (!ASCII_LETTER.test(secret) || !DIGIT_OR_SYMBOL.test(secret)) continue;
    const secretStart = m.index + m[0].lastIndexOf(m[2]!);
    out.push({
      type: 'credential',
      confidence: 'medium',
      start: m.index,
      end: secretStart + secret.length,
      preview: `${m[1]} / ${'•'.repeat(Math.min(secret.length, 8))}`,
    });
  }
  CREDENTIAL_RE.lastIndex = 0;
  for (let m = CREDENTIAL_RE.exec(ev.text); m; m = CREDENTIAL_RE.exec(ev.text)) {
    const label = m[1]!.toLowerCase();
    const secret = m[2]!.replace(SECRET_END, '');
    if (secret.length < 4) continue;
    if (NOT_A_SECRET.has(secret.toLowerCase())) continue;
    if (ONE_CHARACTER_REPEATED.test(secret) || MASKED.test(secret)) continue; // already masked
    const isPin = label.startsWith('pin');
    if (isPin && !PIN_SHAPE.test(secret)) continue;
    const mixed =
      A_DIGIT.test(secret) || NOT_LETTER_OR_DIGIT.test(secret) || MIXED_CASE.test(secret);
    const confidence: Confidence = isPin ? 'medium' : mixed ? 'high' : 'medium';
    const secretStart = m.index + m[0].lastIndexOf(m[2]!);
    out.push({
      type: 'credential',
      confidence,
      start: m.index,
      end: secretStart + secret.length,
      preview: `${m[1]}: ${'•'.repeat(Math.min(secret.length, 8))}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Special-category and safeguarding vocabulary

/**
 * Alternations without capturing groups (capturing 230 groups made the pass 2.5× slower on a
 * 100 KB message), then the matched text is mapped back to its term: through a cache, since the
 * same few words recur, else by testing each term anchored, in the alternation's order.
 *
 * One alternation of all 450 terms run over the text cost over half of a 100 KB scan: irregexp
 * tries every alternative at every word. So the terms are grouped by the two letters they can start
 * with (`first-chars.ts`), and at each word start only that pair's group is tried, as a sticky
 * alternation in the same order: the same matches, a fraction of the work. `byFirst` is null when
 * some term's first letters cannot be read; then the one alternation `re` is used, as before.
 */
export type CompiledVocabulary = {
  re: RegExp;
  byFirst: {
    /**
     * ASCII code → 0 not a word character, 1 a word character, 2 one a term can start with
     * (`\\b[...]` as a table: no match object per word).
     */
    starts: Uint8Array;
    byFirst: Map<string, RegExp>;
    /** The same groups indexed by `pairKey` of two ASCII characters: no string per word. */
    byCodes: (RegExp | undefined)[];
    /** Each group's terms, in the alternation's order (`termMatching`). */
    termsOf: Map<RegExp, VocabularyEntry[]>;
    /** Which word starts are worth trying their group at (`gatePasses`); null: every one. */
    gate: VocabularyGate | null;
  } | null;
  ignoreCase: boolean;
  terms: VocabularyEntry[];
  cache: Map<string, VocabularyTerm | null>;
  /**
   * `cache`'s answers by the matched text as it is (h36-scan): a word recurs in the same case
   * ("EHCP", "Child Protection"), and read so it needs no lower-cased copy and no key per match.
   */
  byText: Map<string, VocabularyTerm | null>;
};

type VocabularyEntry = { term: VocabularyTerm; whole: RegExp };

/**
 * A word start's two letters pick a group of terms, but most word starts ("the", "and", "to",
 * "2025") begin no term at all: in a 100 KB message 17,000 of them tried their group's sticky
 * alternation and under 500 matched. The gate is a trie of the strings of up to `GATE_DEPTH`
 * characters that every match of a term must start with (`prefixes`, read from its source), so
 * a group is tried only where some term's start is actually written. Sound by construction: a
 * term led by a run of digits (`\d+ days`, `\d[\d,]* in cash`) has its starts read after the
 * text's whole run of digits (`digitLed`). A term read neither way (a letter class and a repeat,
 * `[A-Z][a-z]+ … prescribed`) is not gated: its pairs are tried everywhere, as before, or, when
 * every match of it holds a literal (`requiredLiteral`: "prescribed"), wherever the text holds
 * that literal. Characters outside ASCII are not read: the group is tried there. On issue 13's
 * 100 KB message: 16,705 group tries → 3,374 (476 matches).
 */
type VocabularyGate = {
  /** ASCII code → its class in the trie (0: in no term's start, so nothing starts here). */
  classOf: Uint8Array;
  /** log2 of the classes per node. */
  shift: number;
  /**
   * `(node << shift) | class` → the child node, 0 for none; the root is node 1. Every node where
   * some term's start is complete is one node, `acceptFrom`, with no row: the walk stops there
   * (h15-scan14: no second table to read per step, and no rows for what lies past it).
   */
  next: Uint16Array | Uint32Array;
  /** The node where some term's start is complete: try the group. Every other node is below it. */
  acceptFrom: number;
  /**
   * Pair key of two ASCII characters, not digits first → the node after walking both from the
   * root: 0 the gate fails, `acceptFrom` it passes (h15-scan14: the first two steps of most walks).
   */
  pairNode: Uint16Array | Uint32Array;
  /**
   * Where the starts of terms led by a run of digits (`\\d+ days`, `[2-5]\\d-year-old`) begin,
   * read after the whole run: [digits only, digits and commas]; 0 for none (`digitLed`).
   */
  runRoots: [number, number];
  /**
   * Pair key → 1: its group holds a term that is not gated, always tried; 2: tried in this scan
   * because the text holds the literal of one (`conditional`), reset after the scan.
   */
  always: Uint8Array;
  /**
   * Terms not gated whose every match holds a literal: their pairs, tried when the text has it
   * (`search`: the literal, case-insensitive when the vocabulary is, compiled first).
   */
  conditional: Conditional[];
  /** Pair key → the conditional terms filed under it (`conditionalAt`, h33-terms). */
  conditionalOf: Map<number, Conditional[]>;
  /** The gated terms' longer starts, checked after the trie passes (`deepPasses`, h30-scan). */
  deep: DeepStarts;
  /**
   * The starts of what follows the run in terms led by a run of digits, read deeper and exactly
   * (`digitRunStarts`, h33-terms), checked after the trie's walk from `runRoots` passes; null
   * when there are none or one is shorter than two characters. The trie's classes put every
   * digit in one and `:` with `.` and `/`: "14:00", "2025 in the" passed it at times and dates.
   */
  runDeep: DeepStarts | null;
};

/**
 * A term not gated whose every match holds `literal`. Where what comes before the literal is read
 * (`reach`, from `reachBefore`), its pairs are tried only at word starts where the literal is
 * written within reach (`conditionalAt`, h33-terms): the text from the start up to the
 * literal made of `reach.alphabet` only, and at most `reach.max` long. `[A-Z][a-z]+ … prescribed`
 * had every capitalised word of a text holding "prescribed" try its group (25,609 failing tests
 * in the 200 KB corpus text). `present`, `next` (the literal's first place at or after the last
 * start asked, by `find`) and `runEnd` (where the run of the alphabet from it ends) are set for
 * each text by `openConditional`; the walk asks in order of its starts.
 */
type Conditional = {
  literal: string;
  search: RegExp;
  find: RegExp;
  keys: number[];
  reach: { alphabet: Uint8Array; nonAscii: boolean; max: number } | null;
  present: boolean;
  next: number;
  runEnd: number;
};

/**
 * The gated terms' starts read deeper than the trie (up to `DEEP_DEPTH` characters, `deepStarts`),
 * as sets of hashes (h30-scan). The trie's six characters let through ~3,300 failing tries of a
 * group's alternation on issue 13's message ("school tel:", "will join you"): a term's longer
 * start tells most of them apart. A set of hashes can only say "maybe" wrongly, never "no": a
 * false "maybe" costs the try the trie alone would have made.
 *
 * Built per pair key the first time the scan reaches it (h30-scan2, `deepBuild`): reading twelve
 * characters of ~3,500 terms had doubled the vocabulary's compile (106–281 → 226–561 ms first in
 * a process), paid whole by a Send before the page's idle warm-up; now compiling only files each
 * gated term under its pairs, and a scan reads the terms of the pairs it reaches.
 */
export type DeepStarts = {
  /**
   * Two bits per hash of a start's characters (`deepSlot`, `deepSlot2`), lower-cased when
   * `ignoreCase`: a text's start passes only when both are set (h34-vocab; one bit let
   * ~300 of issue 13's ~1,400 group tests through falsely, "hello, Furthe" among them).
   */
  bits: Uint32Array;
  /** 32 − log2 of the bits: a hash's top bits pick its slot. */
  shift: number;
  /**
   * Pair key → bit L set when some gated start of that pair is L characters long, and bit 0 once
   * the pair's starts are read (`deepBuild`; no start is shorter than two characters).
   */
  lengths: Uint16Array;
  /** Pair key → the gated terms of its group, read when the key is first reached. */
  pending: Map<number, DeepTerm[]>;
  ignoreCase: boolean;
};

/** A gated term waiting for the second check: its starts are read once, for its first pair. */
type DeepTerm = { pattern: string; gate: Set<string>; starts: Set<string> | null };

/**
 * Bits of `DeepStarts.bits` per gated term when they are sized before any start is read: issue 13's
 * vocabulary has ~5.7 starts a term, each given ~32 bits as h30-scan sized them from the starts.
 */
const DEEP_BITS_PER_TERM = 192;

/** How many characters of a term's start the gate reads, and at most how many such starts. */
const GATE_DEPTH = 6;
const GATE_MAX_STARTS = 256;

/** How many characters of a gated term's start the second check reads (`deepStarts`). */
export const DEEP_DEPTH = 12;
/**
 * At most how many starts of one term the second check holds; with more, it reads fewer characters
 * (issue 13's message: 1,635 tries at 64, 1,702 at 256, a fuller hash set; 1,790 at 16).
 */
const DEEP_MAX_STARTS = 64;

/**
 * A gated term's starts for the second check: the longest readable up to `DEEP_DEPTH` characters
 * with at most `DEEP_MAX_STARTS` of them, else the trie's own (`gate`, from `gateStarts`).
 */
export function deepStartsOf(pattern: string, ignoreCase: boolean, gate: Set<string>): Set<string> {
  const readFrom = gate.values().next().value?.length ?? 0;
  // The longest readable, searched by halves (h30-scan2; was every length from `DEEP_DEPTH`
  // down): a source readable to k characters within the cap is readable to fewer, its starts
  // being cut from those (held to the search from the top for every shipped term).
  let best: Set<string> = gate;
  let lo = readFrom + 1;
  let hi = DEEP_DEPTH;
  while (lo <= hi) {
    const k = (lo + hi) >>> 1;
    const p = prefixes(pattern, ignoreCase, k, DEEP_MAX_STARTS);
    if (p) {
      best = p;
      lo = k + 1;
    } else hi = k - 1;
  }
  return best;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** An ASCII character as the second check hashes it: lower-cased when `ignoreCase`. */
function deepCode(c: number, ignoreCase: boolean): number {
  return ignoreCase && c >= 65 && c <= 90 ? c + 32 : c;
}

/** The slot of a hash in `DeepStarts.bits`: its mixed top bits. */
function deepSlot(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}

/**
 * The hash's second slot (h34-vocab): its top bits mixed another way (murmur3's finaliser
 * steps), read only when the first slot's bit is set.
 */
function deepSlot2(hash: number, shift: number): number {
  const h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> shift;
}

/**
 * An empty second check with room for the starts of about `terms` gated terms (`fileDeepTerm`):
 * every pair not read yet.
 */
export function lazyDeepStarts(ignoreCase: boolean, terms: number): DeepStarts {
  let log2 = 10;
  while (1 << log2 < terms * DEEP_BITS_PER_TERM && log2 < 22) log2++;
  return {
    bits: new Uint32Array(1 << (log2 - 5)),
    shift: 32 - log2,
    lengths: new Uint16Array(128 * 128),
    pending: new Map(),
    ignoreCase,
  };
}

/** Files a gated term (`pattern`, its trie starts `gate`) under its group's pair keys `keys`. */
export function fileDeepTerm(d: DeepStarts, pattern: string, gate: Set<string>, keys: number[]) {
  const term: DeepTerm = { pattern, gate, starts: null };
  for (const k of keys) {
    const list = d.pending.get(k);
    if (list) list.push(term);
    else d.pending.set(k, [term]);
  }
}

/**
 * Reads pair `key`'s starts: each of its gated terms' `deepStartsOf` (once a term, whichever of its
 * pairs is reached first), the starts of this pair kept. Starts whose first two characters are not
 * both ASCII are left out: the scan reaches their groups without a gate.
 *
 * Characters outside ASCII: without `u`, one matches no ASCII character in either case (ES
 * Canonicalize), so where a start has one (`’`, `é`) a match's text has one too, and
 * `deepPasses` passes any text with a character outside ASCII where it reaches it. Such a start
 * is kept as the length one past its ASCII part, with no hash: the walk reads that far, and
 * passes there only on a character outside ASCII. (A start can also hold an ASCII letter where
 * the source has one outside ASCII, `toLowerCase` of the Kelvin sign being `k`: the text that
 * matches it has a character outside ASCII there, and passes the same way.)
 */
export function deepBuild(d: DeepStarts, key: number): void {
  if (d.lengths[key]! & 1) return;
  d.lengths[key]! |= 1;
  const terms = d.pending.get(key);
  if (!terms) return;
  d.pending.delete(key);
  const starts: string[] = [];
  for (const t of terms) {
    t.starts ??= deepStartsOf(t.pattern, d.ignoreCase, t.gate);
    for (const s of t.starts) starts.push(s);
  }
  addDeepStarts(d, starts, key);
}

/** `starts` into `d`, those of pair `only` when given, else all (their pairs then built). */
function addDeepStarts(d: DeepStarts, starts: Iterable<string>, only?: number): void {
  const { ignoreCase, lengths, bits, shift } = d;
  for (const start of starts) {
    if (start.length < 2 || start.charCodeAt(0) >= 128 || start.charCodeAt(1) >= 128) continue;
    const key = pairKey(start.charCodeAt(0), start.charCodeAt(1), ignoreCase);
    if (only !== undefined && key !== only) continue;
    let ascii = 2;
    while (ascii < start.length && start.charCodeAt(ascii) < 128) ascii++;
    if (ascii < start.length) {
      lengths[key]! |= 1 << (ascii + 1);
      continue;
    }
    lengths[key]! |= 1 << start.length;
    let h = FNV_OFFSET;
    for (let j = 0; j < start.length; j++) {
      h = Math.imul(h ^ deepCode(start.charCodeAt(j), ignoreCase), FNV_PRIME);
    }
    const slot = deepSlot(h, shift);
    bits[slot >>> 5]! |= 1 << (slot & 31);
    const slot2 = deepSlot2(h, shift);
    bits[slot2 >>> 5]! |= 1 << (slot2 & 31);
  }
}

/**
 * The second check over `starts`, every pair built (tests, and a term list's own starts). The scan
 * builds its vocabularies' lazily (`lazyDeepStarts`, `fileDeepTerm`, `deepBuild`).
 */
export function buildDeepStarts(starts: Iterable<string>, ignoreCase: boolean): DeepStarts {
  const all = [...starts];
  const d = lazyDeepStarts(ignoreCase, Math.ceil((all.length * 32) / DEEP_BITS_PER_TERM));
  d.lengths.fill(1);
  addDeepStarts(d, all);
  return d;
}

/** Pair `key`'s start lengths (`DeepStarts.lengths` without its bit 0), read first if not yet. */
export function deepLengths(d: DeepStarts, key: number): number {
  deepBuild(d, key);
  return d.lengths[key]! & ~1;
}

/** Whether pair `key`'s starts are read. */
export function deepBuilt(d: DeepStarts, key: number): boolean {
  return (d.lengths[key]! & 1) === 1;
}

/** Every pair's starts read, a step every `termsPerStep` terms (a page's idle warm-up). */
export function* deepBuildInSteps(d: DeepStarts, termsPerStep: number): Generator<void, void> {
  let read = 0;
  for (const key of [...d.pending.keys()]) {
    read += d.pending.get(key)?.length ?? 0;
    deepBuild(d, key);
    if (read >= termsPerStep) {
      read = 0;
      yield;
    }
  }
}

/**
 * Whether some gated start of pair `key` may be written at `i` (the second check, after the trie
 * passed): the text's characters from `i`, hashed one at a time (`deepCode`), tried against the
 * set at each length a start of that pair has. A character outside ASCII before the last
 * length passes, as the trie does (`addDeepStarts`); a text that ends before a start cannot hold it.
 */
export function deepPasses(
  d: DeepStarts,
  text: string,
  i: number,
  key: number,
  ignoreCase: boolean,
): boolean {
  let lengths = d.lengths[key]!;
  if (lengths === 0) {
    deepBuild(d, key);
    lengths = d.lengths[key]!;
  }
  if (lengths === 1) return true;
  const { bits, shift } = d;
  let h = FNV_OFFSET;
  for (let j = i, n = 1; lengths >>> n !== 0; j++, n++) {
    if (j >= text.length) return false;
    const c = text.charCodeAt(j);
    if (c >= 128) return true;
    h = Math.imul(h ^ deepCode(c, ignoreCase), FNV_PRIME);
    if ((lengths >>> n) & 1) {
      const slot = deepSlot(h, shift);
      if ((bits[slot >>> 5]! >>> (slot & 31)) & 1) {
        const slot2 = deepSlot2(h, shift);
        if ((bits[slot2 >>> 5]! >>> (slot2 & 31)) & 1) return true;
      }
      lengths &= ~(1 << n);
    }
  }
  return false;
}

/** The starts of `pattern` the gate holds it to: the longest readable, or null (not gated). */
export function gateStarts(pattern: string, ignoreCase: boolean): Set<string> | null {
  for (let k = GATE_DEPTH; k >= 3; k--) {
    const p = prefixes(pattern, ignoreCase, k);
    if (p && p.size <= GATE_MAX_STARTS) return p;
  }
  return null;
}

/**
 * A run of plain characters every match of `source` holds, the longest at its top level (outside
 * groups and classes, not under a quantifier), or null when it has none of four characters or
 * more, or a top-level `|`. ASCII only (lower-cased when `ignoreCase`): the text is searched for
 * it lower-cased, and without `u` no character outside ASCII matches one inside it.
 */
export function requiredLiteral(source: string, ignoreCase: boolean): string | null {
  return literalRun(source, ignoreCase)?.literal ?? null;
}

/** `requiredLiteral` with where its run begins in `source` (what comes before it, `reachBefore`). */
function literalRun(source: string, ignoreCase: boolean): { literal: string; from: number } | null {
  let best = '';
  let bestFrom = 0;
  let run = '';
  let runFrom = 0;
  const end = () => {
    if (run.length > best.length) {
      best = run;
      bestFrom = runFrom;
    }
    run = '';
  };
  for (let i = 0; i < source.length; ) {
    const ch = source[i]!;
    let literal: string | null = null;
    let next = i + 1;
    if (ch === '(') {
      let depth = 0;
      let inClass = false;
      for (; next <= source.length; next++) {
        const c = source[next - 1];
        if (c === undefined) return null;
        if (c === '\\') next++;
        else if (inClass) inClass = c !== ']';
        else if (c === '[') inClass = true;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
    } else if (ch === '[') {
      for (; next < source.length && source[next] !== ']'; next++)
        if (source[next] === '\\') next++;
      next++;
    } else if (ch === '\\') {
      const e = source[i + 1] ?? '';
      next = i + 2;
      if (e !== '' && !/[A-Za-z0-9]/.test(e)) literal = e;
    } else if (ch === '|') {
      return null;
    } else if (!'.^$)*+?{'.includes(ch)) {
      literal = ch;
    }
    // A quantifier after the atom (`?`, `*`, `+`, `{2}`, `{1,3}`, lazy or not): skipped whole.
    const q = source[next];
    const quantified = q === '?' || q === '*' || q === '+' || q === '{';
    if (q === '{') {
      const close = source.indexOf('}', next);
      if (close < 0) return null;
      next = close + 1;
    } else if (quantified) next++;
    if (quantified && source[next] === '?') next++;
    if (literal === null || quantified || literal.charCodeAt(0) >= 128) end();
    else {
      if (run === '') runFrom = i;
      run += ignoreCase ? literal.toLowerCase() : literal;
    }
    i = next;
  }
  end();
  return best.length >= 4 ? { literal: best, from: bestFrom } : null;
}

/**
 * What a match of `source` can hold before its required literal (h33-terms): the ASCII characters
 * it can consume there (`alphabet`, either case of a letter when `ignoreCase`), whether it can
 * consume any outside ASCII (`nonAscii`: then every one counts, whatever its case), and at most
 * how many (`max`, infinite past a `*`, `+` or `{n,}`). Null when the part before the literal has
 * anything not read here (`.`, `\s`, a negated class, lookaround, anchors, a back-reference, a
 * range reaching outside ASCII): such a term is tried wherever its literal is in the text.
 */
export function reachBefore(
  source: string,
  ignoreCase: boolean,
): { literal: string; alphabet: Uint8Array; nonAscii: boolean; max: number } | null {
  const run = literalRun(source, ignoreCase);
  if (!run) return null;
  const alphabet = new Uint8Array(128);
  let nonAscii = false;
  const add = (code: number) => {
    if (code >= 128) {
      nonAscii = true;
      return;
    }
    alphabet[code] = 1;
    if (ignoreCase && (code | 32) >= 97 && (code | 32) <= 122) {
      alphabet[code | 32] = 1;
      alphabet[code & ~32] = 1;
    }
  };
  const max = reachOf(source.slice(0, run.from), add);
  return max === null ? null : { literal: run.literal, alphabet, nonAscii, max };
}

/** A regexp source's longest match (infinite when unbounded), its characters given to `add`. */
function reachOf(source: string, add: (code: number) => void): number | null {
  let best = 0;
  let length = 0;
  for (let i = 0; i < source.length; ) {
    const ch = source[i]!;
    let atom: number | null = 1;
    let next = i + 1;
    if (ch === '|') {
      best = Math.max(best, length);
      length = 0;
      i = next;
      continue;
    }
    if (ch === '(') {
      if (source[i + 1] === '?' && source[i + 2] !== ':') return null;
      const close = closingParen(source, i);
      if (close < 0) return null;
      atom = reachOf(source.slice(source[i + 1] === '?' ? i + 3 : i + 1, close), add);
      next = close + 1;
    } else if (ch === '[') {
      if (source[i + 1] === '^') return null;
      for (next = i + 1; next < source.length && source[next] !== ']'; next++) {
        let c = source.charCodeAt(next);
        if (source[next] === '\\') {
          const e = source[++next] ?? '';
          if (e === 'd') {
            for (let d = 48; d <= 57; d++) add(d);
            continue;
          }
          if (e === 'w') {
            for (let w = 0; w < 128; w++) if (isWordChar(w)) add(w);
            continue;
          }
          if (e === '' || /[A-Za-z0-9]/.test(e)) return null;
          c = e.charCodeAt(0);
        }
        if (source[next + 1] === '-' && source[next + 2] !== ']') {
          const hi = source.charCodeAt(next + 2);
          if (source[next + 2] === '\\' || c >= 128 || hi >= 128 || hi < c) return null;
          for (let x = c; x <= hi; x++) add(x);
          next += 2;
          continue;
        }
        add(c);
      }
      if (next >= source.length) return null;
      next++;
    } else if (ch === '\\') {
      const e = source[i + 1] ?? '';
      next = i + 2;
      if (e === 'b' || e === 'B') atom = 0;
      else if (e === 'd') for (let d = 48; d <= 57; d++) add(d);
      else if (e === 'w') {
        for (let w = 0; w < 128; w++) if (isWordChar(w)) add(w);
      } else if (e !== '' && !/[A-Za-z0-9]/.test(e)) add(e.charCodeAt(0));
      else return null;
    } else if ('.^$)*+?{'.includes(ch)) {
      return null;
    } else add(ch.charCodeAt(0));
    if (atom === null) return null;
    // A quantifier: its most repeats (lazy or not).
    let times = 1;
    const q = source[next];
    if (q === '?') {
      next++;
    } else if (q === '*' || q === '+') {
      times = Number.POSITIVE_INFINITY;
      next++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(next));
      if (!m) return null;
      times =
        m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      next += m[0].length;
    }
    if (q !== undefined && '?*+{'.includes(q) && source[next] === '?') next++;
    length += atom === 0 ? 0 : atom * times;
    i = next;
  }
  return Math.max(best, length);
}

/** Index of the `)` closing the group opened at `open`, or -1. */
function closingParen(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Whether `source` has a `|` outside groups and classes. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * A term led by a run of digits (`\\d+`, `\\d{2}`, `[2-5]\\d`, `\\d[\\d,]*`): whether the run may
 * hold commas, and the starts of the rest of its source. Gated after the whole run of such
 * characters at a word start: the rest cannot start with one (checked), so in any match the run
 * ends where the text's run ends. Null when the term is not of that shape.
 */
function digitLed(
  pattern: string,
  ignoreCase: boolean,
): { comma: boolean; starts: Set<string>; rest: string } | null {
  if (hasTopLevelAlternation(pattern)) return null;
  let i = 0;
  let comma = false;
  let consumes = false;
  for (;;) {
    let atomEnd: number;
    if (pattern.startsWith('\\d', i)) atomEnd = i + 2;
    else if (pattern.startsWith('[\\d,]', i)) {
      atomEnd = i + 5;
      comma = true;
    } else if (/^\[\d-\d\]/.test(pattern.slice(i, i + 5))) atomEnd = i + 5;
    else break;
    let q = atomEnd;
    let optional = false;
    const c = pattern[q];
    if (c === '+') q++;
    else if (c === '*' || c === '?') {
      q++;
      optional = true;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(pattern.slice(q));
      if (!m) return null;
      optional = Number(m[1]) === 0;
      q += m[0].length;
    }
    if (q > atomEnd && pattern[q] === '?') q++;
    if (!optional) consumes = true;
    i = q;
  }
  if (!consumes) return null;
  const rest = pattern.slice(i);
  for (let k = GATE_DEPTH; k >= 1; k--) {
    const p = prefixes(rest, ignoreCase, k);
    if (!p || p.size > GATE_MAX_STARTS) continue;
    for (const start of p) {
      const c = start.charCodeAt(0);
      if ((c >= 48 && c <= 57) || (comma && c === 44)) return null;
    }
    return { comma, starts: p, rest };
  }
  return null;
}

/**
 * The second check for terms led by a run of digits (h33-terms): the starts of what follows each
 * run (`digitLed`'s `rest`), read as deep as `deepStartsOf` reads a gated term's, all in one set
 * (both kinds of run: a start of the other kind only lets more through). Null when there are
 * none, or a start is shorter than two characters (the set keys starts by their first two).
 */
function digitRunStarts(led: { rest: string; starts: Set<string> }[], ignoreCase: boolean) {
  if (led.length === 0) return null;
  const all: string[] = [];
  for (const { rest, starts } of led) {
    for (const s of deepStartsOf(rest, ignoreCase, starts)) {
      if (s.length < 2) return null;
      all.push(s);
    }
  }
  return buildDeepStarts(all, ignoreCase);
}

/** The gate over `entries` with their pair keys, or null when none of them can be gated. */
function buildGate(
  gated: { starts: Set<string>; run?: 'digits' | 'digits,' }[],
  open: {
    keys: number[];
    literal: string | null;
    reach: { alphabet: Uint8Array; nonAscii: boolean; max: number } | null;
  }[],
  ignoreCase: boolean,
  deep: DeepStarts,
  runDeep: DeepStarts | null,
): VocabularyGate | null {
  // Classes: each letter (either case when `ignoreCase`), space, `'` and `-` their own; all
  // digits one class and all other characters another, which only lets more starts through.
  const classOf = new Uint8Array(128);
  let classes = 0;
  const classFor = (code: number): number => {
    if (classOf[code]) return classOf[code]!;
    const isDigit = code >= 48 && code <= 57;
    const isLetter = (code | 32) >= 97 && (code | 32) <= 122;
    const own = isLetter || code === 32 || code === 39 || code === 45;
    let cls = 0;
    if (isDigit) cls = classOf[48] || ++classes;
    else if (own) cls = ++classes;
    else cls = classOf[0] || ++classes;
    if (isDigit) for (let d = 48; d <= 57; d++) classOf[d] = cls;
    else if (!own) {
      for (let c = 0; c < 128; c++) {
        const letterLike = (c | 32) >= 97 && (c | 32) <= 122;
        if (!letterLike && !(c >= 48 && c <= 57) && c !== 32 && c !== 39 && c !== 45) {
          classOf[c] = cls;
        }
      }
    } else {
      classOf[code] = cls;
      if (ignoreCase && isLetter) {
        classOf[code | 32] = cls;
        classOf[code & ~32] = cls;
      }
    }
    return cls;
  };
  const nodes = new Map<string, number>([['', 1]]);
  const edges: [number, number, number][] = [];
  const accepting = new Set<number>();
  // The roots of the starts read after a run of digits: their paths begin with a mark no class has.
  const runRoot = (run: 'digits' | 'digits,'): number => {
    const key = run === 'digits' ? '\uffff' : '\ufffe';
    let node = nodes.get(key);
    if (node === undefined) {
      node = nodes.size + 1;
      nodes.set(key, node);
    }
    return node;
  };
  for (const { starts, run } of gated) {
    for (const start of starts) {
      let path = run === undefined ? '' : run === 'digits' ? '\uffff' : '\ufffe';
      let node = run === undefined ? 1 : runRoot(run);
      for (const ch of start) {
        const code = ch.charCodeAt(0);
        // The scan tries the group at any character outside ASCII: a start holding one is as
        // good as complete where it reaches it.
        if (code >= 128) break;
        const cls = classFor(code);
        path += String.fromCharCode(cls);
        let child = nodes.get(path);
        if (child === undefined) {
          child = nodes.size + 1;
          nodes.set(path, child);
          edges.push([node, cls, child]);
        }
        node = child;
      }
      accepting.add(node);
    }
  }
  let shift = 0;
  while (1 << shift <= classes) shift++;
  // Numbered again from the roots: the nodes the walk can read from (not complete starts) first,
  // then one node for every complete start. What lies past a complete start is never read.
  const children = new Map<number, [number, number][]>();
  for (const [from, cls, to] of edges) {
    const list = children.get(from) ?? [];
    list.push([cls, to]);
    children.set(from, list);
  }
  const roots = [1, nodes.get('\uffff') ?? 0, nodes.get('\ufffe') ?? 0];
  const renumbered = new Map<number, number>();
  const queue = roots.filter((r) => r !== 0);
  for (const r of queue) renumbered.set(r, renumbered.size + 1);
  const rowEdges: [number, number, number][] = [];
  for (let q = 0; q < queue.length; q++) {
    for (const [cls, to] of children.get(queue[q]!) ?? []) {
      rowEdges.push([queue[q]!, cls, to]);
      if (accepting.has(to) || renumbered.has(to)) continue;
      renumbered.set(to, renumbered.size + 1);
      queue.push(to);
    }
  }
  const acceptFrom = renumbered.size + 1;
  const idOf = (node: number): number =>
    accepting.has(node) && !roots.includes(node) ? acceptFrom : renumbered.get(node)!;
  const size = acceptFrom << shift;
  const next = acceptFrom < 65_536 ? new Uint16Array(size) : new Uint32Array(size);
  for (const [from, cls, to] of rowEdges) next[(idOf(from) << shift) | cls] = idOf(to);
  const pairNode = acceptFrom < 65_536 ? new Uint16Array(128 * 128) : new Uint32Array(128 * 128);
  for (let a = 0; a < 128; a++) {
    if (a >= 48 && a <= 57) continue;
    const first = classOf[a] === 0 ? 0 : next[(1 << shift) | classOf[a]!]!;
    for (let b = 0; b < 128; b++) {
      let node = first;
      if (node !== 0 && node !== acceptFrom) {
        node = classOf[b] === 0 ? 0 : next[(node << shift) | classOf[b]!]!;
      }
      // Either case of a letter has one class when `ignoreCase`: the lower-cased key's node.
      pairNode[pairKey(a, b, ignoreCase)] = node;
    }
  }
  const always = new Uint8Array(128 * 128);
  const conditional: VocabularyGate['conditional'] = [];
  const conditionalOf = new Map<number, Conditional[]>();
  for (const o of open) {
    if (o.literal === null) for (const k of o.keys) always[k] = 1;
    else {
      const escaped = o.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const search = compileFirst(new RegExp(escaped, ignoreCase ? 'i' : ''));
      const find = compileFirst(new RegExp(escaped, ignoreCase ? 'gi' : 'g'));
      const c: Conditional = {
        literal: o.literal,
        search,
        find,
        keys: o.keys,
        reach: o.reach,
        present: false,
        next: -1,
        runEnd: -1,
      };
      conditional.push(c);
      for (const k of o.keys) {
        const list = conditionalOf.get(k);
        if (list) list.push(c);
        else conditionalOf.set(k, [c]);
      }
    }
  }
  const runRoots: [number, number] = [
    roots[1] === 0 ? 0 : renumbered.get(roots[1]!)!,
    roots[2] === 0 ? 0 : renumbered.get(roots[2]!)!,
  ];
  return {
    classOf,
    shift,
    next,
    acceptFrom,
    pairNode,
    runRoots,
    always,
    conditional,
    conditionalOf,
    deep,
    runDeep,
  };
}

/**
 * Whether some gated term's start is written at `i`, a word start led by a digit whose pair `key`
 * (two ASCII characters) has a group: the trie's walks, after the text's whole run of digits for
 * terms led by one and from the root for the others, each then held to the exact starts it stands
 * for (h33-terms): `runDeep` for the first, the pair's own `deep` starts for the second.
 */
function gatePasses(
  g: VocabularyGate,
  text: string,
  i: number,
  key: number,
  ignoreCase: boolean,
): boolean {
  // Terms led by a run of digits: their starts are read after the text's whole run.
  for (let r = 0; r < 2; r++) {
    const root = g.runRoots[r]!;
    if (root === 0) continue;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (!((c >= 48 && c <= 57) || (r === 1 && c === 44))) break;
    }
    if (walkGate(g, text, j, root) && runDeepPasses(g.runDeep, text, j, ignoreCase)) return true;
  }
  return walkGate(g, text, i, 1) && deepPasses(g.deep, text, i, key, ignoreCase);
}

/**
 * Whether some start of what follows a run of digits may be written at `j`, the run's end
 * (`runDeep`; none: the trie's walk alone). A start is two characters or more: a text that ends
 * first holds none; one outside ASCII in the first two passes, as `deepPasses` passes them.
 */
function runDeepPasses(d: DeepStarts | null, text: string, j: number, ignoreCase: boolean) {
  if (d === null) return true;
  if (j + 1 >= text.length) return false;
  const a = text.charCodeAt(j);
  const b = text.charCodeAt(j + 1);
  if (a >= 128 || b >= 128) return true;
  const key = pairKey(a, b, ignoreCase);
  return (d.lengths[key]! & ~1) !== 0 && deepPasses(d, text, j, key, ignoreCase);
}

/** A walk down the gate's trie from `node`, reading the text from `from`. */
function walkGate(g: VocabularyGate, text: string, from: number, node: number): boolean {
  const { classOf, next, acceptFrom, shift } = g;
  for (let j = from; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code >= 128) return true;
    const cls = classOf[code]!;
    if (cls === 0) return false;
    node = next[(node << shift) | cls]!;
    if (node === 0) return false;
    if (node === acceptFrom) return true;
  }
  return false;
}

/**
 * A term ends at the end of a word: not inside "abuse-free" or "CAMHS's", but a closing quote is
 * not a letter: "she said he 'does weird stuff' when he babysits".
 */
const TERM_END = "(?![\\w-]|'\\w)";

/**
 * A term's words joined either way (session 39): a space or a hyphen between two letters of
 * `pattern`, outside a character class, becomes `[ -]`, so "child protection plan" also reads
 * "child-protection plan" and "non-molestation order" also reads "non molestation order", as
 * hurried staff write them. The analyses of a term's source (`prefixes`, `gateStarts`,
 * `requiredLiteral`, `reachBefore`) read the class as its two characters. A dash between spaces
 * ("child - protection") is not read.
 */
export function joinedEitherWay(pattern: string): string {
  if (!pattern.includes(' ') && !pattern.includes('-')) return pattern;
  return pattern.replace(JOINS_AND_WHAT_HIDES_THEM, joinEitherWay);
}

/**
 * An escape, a character class (kept whole), or a space or hyphen between two letters. One native
 * `replace` a term: ~3 ms over the whole vocabulary, against ~20 ms reading each term a character
 * at a time (session 39).
 */
const JOINS_AND_WHAT_HIDES_THEM =
  /\\[\s\S]|\[(?:\\[\s\S]|[^\]\\])*\]|(?<=[A-Za-z])[ -](?=[A-Za-z])/g;
const joinEitherWay = (found: string): string => (found.length === 1 ? '[ -]' : found);

export function compileVocabulary(
  caseSensitive: boolean,
  vocabularyTerms: readonly VocabularyTerm[] = VOCABULARY,
): CompiledVocabulary {
  const steps = compileVocabularyInSteps(caseSensitive, vocabularyTerms);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Terms read between two pauses of `compileVocabularyInSteps` (a few milliseconds' work). */
const TERMS_PER_COMPILE_STEP = 150;

/**
 * `compileVocabulary`, pausing (`yield`) between pieces of work of a few tens of milliseconds at
 * most, so a page can build the vocabulary in its idle time without one long task
 * (lib/dlp/warm-up.ts). The same steps in the same order: `compileVocabulary` runs them through.
 */
export function* compileVocabularyInSteps(
  caseSensitive: boolean,
  vocabularyTerms: readonly VocabularyTerm[] = VOCABULARY,
): Generator<void, CompiledVocabulary> {
  // The alternation takes the first alternative that matches, not the longest: so statements
  // first, then topics, then context words, and longer patterns first within a tier, so that
  // "medical register" wins over "medical" and "child protection plan" over "child protection".
  const order: Record<Tier, number> = { status: 0, topic: 1, context: 2 };
  // Ordered by the terms as written, then joined either way (`joinedEitherWay`).
  const selected = vocabularyTerms
    .filter((t) => isCaseSensitive(t) === caseSensitive)
    .slice()
    .sort((a, b) => order[a.tier] - order[b.tier] || b.pattern.length - a.pattern.length)
    .map((t) => {
      const pattern = joinedEitherWay(t.pattern);
      return pattern === t.pattern ? t : { ...t, pattern };
    });
  const flags = caseSensitive ? '' : 'i';
  const source = selected.map((t) => `(?:${t.pattern})`).join('|');
  const groups = new Map<string, string[]>();
  const entries: VocabularyEntry[] = selected.map((term) => ({
    term,
    whole: new RegExp(`^(?:${term.pattern})$`, flags),
  }));
  const groupEntries = new Map<string, VocabularyEntry[]>();
  let readable = true;
  const gated: { starts: Set<string>; run?: 'digits' | 'digits,' }[] = [];
  const open: {
    keys: number[];
    literal: string | null;
    reach: { alphabet: Uint8Array; nonAscii: boolean; max: number } | null;
  }[] = [];
  const led: { rest: string; starts: Set<string> }[] = [];
  // Room for the second check's starts of every term: only the gated ones will have any.
  const deep = lazyDeepStarts(!caseSensitive, entries.length);
  let read = 0;
  for (const entry of entries) {
    if (++read % TERMS_PER_COMPILE_STEP === 0) yield;
    const t = entry.term;
    const first = prefixes(t.pattern, !caseSensitive, 2);
    if (!first || [...first].some((p) => !isWordChar(p.charCodeAt(0)))) {
      readable = false;
      break;
    }
    const starts = gateStarts(t.pattern, !caseSensitive);
    const run = starts ? null : digitLed(t.pattern, !caseSensitive);
    // The term's group pair keys (its first two characters, both ASCII), for the second check's
    // filing when gated and for the open terms' table otherwise.
    const keys = [...first]
      .filter((p) => p.charCodeAt(0) < 128 && p.charCodeAt(1) < 128)
      .map((p) => pairKey(p.charCodeAt(0), p.charCodeAt(1), !caseSensitive));
    if (starts) {
      gated.push({ starts });
      fileDeepTerm(deep, t.pattern, starts, keys);
    } else if (run) {
      gated.push({ starts: run.starts, run: run.comma ? 'digits,' : 'digits' });
      led.push(run);
    } else {
      const reach = reachBefore(t.pattern, !caseSensitive);
      open.push({ keys, literal: requiredLiteral(t.pattern, !caseSensitive), reach });
    }
    for (const p of first) {
      const group = groups.get(p) ?? [];
      group.push(`(?:${t.pattern})`);
      groups.set(p, group);
      const members = groupEntries.get(p) ?? [];
      members.push(entry);
      groupEntries.set(p, members);
    }
  }
  yield;
  const firstLetters = [...new Set([...groups.keys()].map((p) => p[0]!))];
  const byFirst = new Map(
    [...groups].map(([p, alts]) => [
      p,
      new RegExp(`(?:${alts.join('|')})${TERM_END}`, `y${flags}`),
    ]),
  );
  const byCodes: (RegExp | undefined)[] = new Array(128 * 128).fill(undefined);
  for (const [p, re] of byFirst) {
    if (p.charCodeAt(0) < 128 && p.charCodeAt(1) < 128) {
      byCodes[pairKey(p.charCodeAt(0), p.charCodeAt(1), !caseSensitive)] = re;
    }
  }
  // Without `u`, a class of ASCII characters matches only ASCII, under `i` in either case.
  const starts = new Uint8Array(128);
  for (let code = 0; code < 128; code++) if (isWordChar(code)) starts[code] = 1;
  for (const c of firstLetters) {
    starts[c.charCodeAt(0)] = 2;
    if (!caseSensitive) {
      starts[c.toUpperCase().charCodeAt(0)] = 2;
      starts[c.toLowerCase().charCodeAt(0)] = 2;
    }
  }
  yield;
  const gate = readable
    ? buildGate(gated, open, !caseSensitive, deep, digitRunStarts(led, !caseSensitive))
    : null;
  yield;
  return {
    re: new RegExp(`\\b(?:${source})${TERM_END}`, `g${flags}`),
    byFirst: readable
      ? {
          starts,
          byFirst,
          byCodes,
          termsOf: new Map([...byFirst].map(([p, re]) => [re, groupEntries.get(p)!])),
          gate,
        }
      : null,
    ignoreCase: !caseSensitive,
    terms: entries,
    cache: new Map(),
    byText: new Map(),
  };
}

/**
 * Two ASCII character codes as one number, lower-cased as `toLowerCase` would when `ignoreCase`:
 * the key of a term group, without making a string for each word of the text.
 */
function pairKey(a: number, b: number, ignoreCase: boolean): number {
  if (ignoreCase) {
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
  }
  return (a << 7) | b;
}

/** ASCII letters, digits and `_`: what `\w` and `\b` mean in a regular expression without `u`. */
function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95
  );
}

/**
 * Every vocabulary match in `text`, in order, as `re` (one alternation after `\b`) would find
 * them: a word start whose letter begins some term (`starts`, one character class, so irregexp
 * skips the rest natively), then the terms that can start with its first two letters, sticky.
 */
export function vocabularyMatches(
  v: CompiledVocabulary,
  text: string,
): { index: number; text: string }[] {
  return vocabularyMatchesAlone(v, text);
}

/**
 * The shipped vocabularies (`vocabulary()`) with their matches in `text`, found in one walk for
 * both (`vocabularyMatchesBoth`, h15-scan14).
 */
export function shippedVocabularyMatches(
  text: string,
): [CompiledVocabulary, { index: number; text: string }[]][] {
  const [insensitive, sensitive] = vocabulary() as [CompiledVocabulary, CompiledVocabulary];
  const [a, b] = vocabularyMatchesBoth(insensitive, sensitive, text);
  return [
    [insensitive, a],
    [sensitive, b],
  ];
}

/**
 * Pairs whose terms no gated start reaches but whose literal this text holds: tried in it, until
 * the caller resets them. The literal is found in ASCII letters of either case, as a term's own `i`
 * reads it (no `u`): the text lower-cased whole cost 0.1 ms per 100 KB (h15-scan14).
 */
function openConditional(v: CompiledVocabulary, text: string): number[] {
  const opened: number[] = [];
  const gate = v.byFirst?.gate;
  if (!gate) return opened;
  for (const c of gate.conditional) {
    c.present = c.search.test(text);
    c.next = -1;
    c.runEnd = -1;
    if (!c.present) continue;
    for (const k of c.keys) {
      if (gate.always[k] === 0) {
        gate.always[k] = 2;
        opened.push(k);
      }
    }
  }
  return opened;
}

/**
 * `text.slice(from, to)` as a string of its own (h33-gc). V8 makes a slice of 13 characters or
 * more a view that keeps the whole text alive; a match kept in a finding's preview, or as a key of
 * `termOf`'s cache, would keep the 100 KB `wordsView` text of its scan alive with it. Joined to a
 * space, the slice is copied once (a few dozen characters), and the copy is what is kept.
 */
function ownCopy(text: string, from: number, to: number): string {
  return to - from < 13 ? text.slice(from, to) : ` ${text.slice(from, to)}`.slice(1);
}

/**
 * A vocabulary match: where it starts in the text searched, and its text. A class, not an object
 * literal (h33-gc). V8 tracks where each literal is allocated: when most of one site's objects
 * outlive a scavenge (these live from term matching to the scan's end), it may allocate the
 * site's objects straight into the old generation from then on. A dead match there still held its
 * young `text`, a slice of the 100 KB `wordsView` text, and the scavenger counts every old-to-young
 * pointer as live until the next full collection: each scan's text was copied at one scavenge and
 * promoted at the next (~1.4 MB a scavenge on issue 13's case). Objects made by `new` are
 * allocated young. `young-objects.test.ts` fails if the matches are allocated old again.
 */
class VocabularyMatch {
  readonly index: number;
  readonly text: string;
  constructor(index: number, text: string) {
    this.index = index;
    this.text = text;
  }
}

/**
 * Whether a conditional term of pair `key` whose literal the text holds may match at word start
 * `i` (h33-terms): one with no `reach`, or one whose literal is written at or after `i`, within
 * its `reach.max`, with only characters of its `reach.alphabet` between (any outside ASCII when
 * `reach.nonAscii`). Asked in order of `i`
 * within one walk (`openConditional` set each term's places for this text). When none may, the
 * group is gated as any other: only its gated terms can match there.
 */
function conditionalAt(g: VocabularyGate, key: number, text: string, i: number): boolean {
  for (const c of g.conditionalOf.get(key)!) {
    if (!c.present) continue;
    const reach = c.reach;
    if (reach === null) return true;
    if (c.next < i) {
      c.find.lastIndex = i;
      c.next = c.find.test(text) ? c.find.lastIndex - c.literal.length : text.length + 1;
    }
    if (c.next > text.length || c.next - i > reach.max) continue;
    if (c.runEnd < i) {
      let q = i;
      for (; q < text.length; q++) {
        const code = text.charCodeAt(q);
        if (code >= 128 ? !reach.nonAscii : reach.alphabet[code] === 0) break;
      }
      c.runEnd = q;
    }
    if (c.next <= c.runEnd) return true;
  }
  return false;
}

/**
 * Both vocabularies' matches in one walk over the text (h15-scan14): each word start is offered
 * to each vocabulary that is not inside a match of its own (`resume`), so each finds what its own
 * walk finds. Vocabularies without `byFirst` are searched alone.
 */
export function vocabularyMatchesBoth(
  a: CompiledVocabulary,
  b: CompiledVocabulary,
  text: string,
): [{ index: number; text: string }[], { index: number; text: string }[]] {
  if (!a.byFirst || !b.byFirst) {
    return [vocabularyMatchesAlone(a, text), vocabularyMatchesAlone(b, text)];
  }
  const outA: { index: number; text: string }[] = [];
  const outB: { index: number; text: string }[] = [];
  const openedA = openConditional(a, text);
  const openedB = openConditional(b, text);
  // Both tables mark every ASCII word character (1) and their own first letters (2).
  const kinds = new Uint8Array(128);
  for (let c = 0; c < 128; c++) kinds[c] = a.byFirst.starts[c]! | (b.byFirst.starts[c]! << 2);
  const length = text.length;
  let resumeA = 0;
  let resumeB = 0;
  let previousIsWord = false;
  for (let i = 0; i < length; i++) {
    const first = text.charCodeAt(i);
    const kind = first < 128 ? kinds[first]! : 0;
    if (kind === 0) {
      previousIsWord = false;
      continue;
    }
    if (previousIsWord) continue;
    previousIsWord = true;
    if ((kind & 3) === 2 && i >= resumeA) {
      const end = tryGroupAt(a, text, i, first, outA);
      if (end > i) resumeA = end;
    }
    if (kind >> 2 === 2 && i >= resumeB) {
      const end = tryGroupAt(b, text, i, first, outB);
      if (end > i) resumeB = end;
    }
  }
  for (const k of openedA) a.byFirst.gate!.always[k] = 0;
  for (const k of openedB) b.byFirst.gate!.always[k] = 0;
  return [outA, outB];
}

/**
 * At a word start `i` whose first character (ASCII) begins some term of `v`: its pair's group,
 * if the gate lets it through, tried sticky; the match's end, or -1.
 */
function tryGroupAt(
  v: CompiledVocabulary,
  text: string,
  i: number,
  first: number,
  out: { index: number; text: string }[],
): number {
  if (i + 1 >= text.length) return -1;
  const { byFirst, byCodes, gate } = v.byFirst!;
  const second = text.charCodeAt(i + 1);
  let re: RegExp | undefined;
  if (second < 128) {
    const key = pairKey(first, second, v.ignoreCase);
    re = byCodes[key];
    if (!re) return -1;
    const open = gate ? gate.always[key]! : 1;
    if (open === 0 || (open === 2 && !conditionalAt(gate!, key, text, i))) {
      if (first >= 48 && first <= 57) {
        if (!gatePasses(gate!, text, i, key, v.ignoreCase)) return -1;
      } else {
        const node = gate!.pairNode[key]!;
        if (node === 0 || (node !== gate!.acceptFrom && !walkGate(gate!, text, i + 2, node))) {
          return -1;
        }
        if (!deepPasses(gate!.deep, text, i, key, v.ignoreCase)) return -1;
      }
    }
  } else {
    re = byFirst.get(v.ignoreCase ? text.slice(i, i + 2).toLowerCase() : text.slice(i, i + 2));
    if (!re) return -1;
  }
  re.lastIndex = i;
  if (re.test(text) && re.lastIndex > i) {
    out.push(new VocabularyMatch(i, ownCopy(text, i, re.lastIndex)));
    return re.lastIndex;
  }
  return -1;
}

/** `vocabularyMatches` for one vocabulary, with its own walk. */
export function vocabularyMatchesAlone(
  v: CompiledVocabulary,
  text: string,
): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  if (!v.byFirst) {
    v.re.lastIndex = 0;
    for (let m = v.re.exec(text); m; m = v.re.exec(text)) out.push({ index: m.index, text: m[0] });
    return out;
  }
  const { starts, byFirst, byCodes, gate } = v.byFirst;
  const length = text.length;
  // Terms the gate cannot read but whose literal this text holds: their pairs are tried here.
  const opened = openConditional(v, text);
  // Word starts (`\\b` without `u`: a word character after a non-word one) whose character can
  // begin a term, found with a table instead of a regular expression's match per word.
  let previousIsWord = false;
  for (let i = 0; i < length; i++) {
    const first = text.charCodeAt(i);
    const kind = first < 128 ? starts[first]! : 0;
    if (kind !== 2 || previousIsWord) {
      previousIsWord = kind !== 0;
      continue;
    }
    previousIsWord = true;
    if (i + 1 >= length) continue; // every key is two characters
    // The first character is ASCII; when the second is too, the key is two numbers (the same
    // group `toLowerCase` would pick), else the two-character string as before.
    const second = text.charCodeAt(i + 1);
    let re: RegExp | undefined;
    if (second < 128) {
      const key = pairKey(first, second, v.ignoreCase);
      re = byCodes[key];
      if (!re) continue;
      const open = gate ? gate.always[key]! : 1;
      if (open === 0 || (open === 2 && !conditionalAt(gate!, key, text, i))) {
        if (first >= 48 && first <= 57) {
          if (!gatePasses(gate!, text, i, key, v.ignoreCase)) continue;
        } else {
          // `gatePasses` without a run of digits: its walk from the root, the first two steps
          // read from a table.
          const node = gate!.pairNode[key]!;
          if (node === 0 || (node !== gate!.acceptFrom && !walkGate(gate!, text, i + 2, node))) {
            continue;
          }
          if (!deepPasses(gate!.deep, text, i, key, v.ignoreCase)) continue;
        }
      }
    } else {
      re = byFirst.get(v.ignoreCase ? text.slice(i, i + 2).toLowerCase() : text.slice(i, i + 2));
      if (!re) continue;
    }
    re.lastIndex = i;
    // Sticky: `test` leaves lastIndex at the end of the match, with no match array to build.
    if (re.test(text) && re.lastIndex > i) {
      out.push(new VocabularyMatch(i, ownCopy(text, i, re.lastIndex)));
      // Carry on after the match, as the one alternation would.
      i = re.lastIndex - 1;
      const last = text.charCodeAt(i);
      previousIsWord = last < 128 && starts[last] !== 0;
    }
  }
  if (gate) for (const k of opened) gate.always[k] = 0;
  return out;
}

/**
 * The first term, in the alternation's order, whose pattern matches all of `text` (a match of
 * `vocabularyMatches`). Only the terms of the group `text`'s first two characters pick can: every
 * term is in the group of each pair its matches can begin with (`prefixes`, as the scan itself
 * relies on), so the answer is the one searching every term gives. Searching every term compiled
 * a pattern per term, thousands, about 10 MB of regular-expression bytecode in a page's first scan
 * (`compile-first.ts`); a group holds a handful.
 */
export function termMatching(v: CompiledVocabulary, text: string): VocabularyTerm | null {
  let candidates = v.terms;
  if (v.byFirst && text.length >= 2 && text.charCodeAt(0) < 128) {
    const first = text.charCodeAt(0);
    const second = text.charCodeAt(1);
    const group =
      second < 128
        ? v.byFirst.byCodes[pairKey(first, second, v.ignoreCase)]
        : v.byFirst.byFirst.get(v.ignoreCase ? text.slice(0, 2).toLowerCase() : text.slice(0, 2));
    candidates = (group && v.byFirst.termsOf.get(group)) || v.terms;
  }
  return candidates.find((t) => t.whole.test(text))?.term ?? null;
}

// Module-level, as h34-alloc did for the identifiers: a regular-expression literal in a function
// body is a new RegExp object each time its line runs. The global ones are used only by `replace`,
// which starts them at 0 and leaves them at 0; `ADDRESS_ENDS` is neither global nor sticky.
const WHITESPACE_RUNS = /\s+/g;
const LINE_BREAK_WITH_SPACES = /[ \t\r]*\n[ \t]*/g;
const ADDRESS_ENDS = /^\s*(?:[,:!.]|$)/;

/**
 * `text.replace(/\s+/g, ' ')`, without the search where it would change nothing: a text of ASCII
 * characters from the space up, with no two spaces together (nearly every vocabulary match).
 * Anything else (a tab, a line break, any non-ASCII character, which might be a space) goes to
 * the regular expression (h13-scan11; `spacesOneOf` is held to it in vocabulary-gate.test.ts).
 */
export function spacesOne(text: string): string {
  let previousSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126 || (c === 32 && previousSpace)) return text.replace(WHITESPACE_RUNS, ' ');
    previousSpace = c === 32;
  }
  return text;
}

/**
 * The term a match is of, through `cache` by its lower-cased, one-spaced key. The key's first
 * text decides its answer (a later text with the same key gets it), so `byText`, in front of it,
 * holds for each text the answer `cache` gave it, and is emptied whenever `cache` is: the same
 * answer for every text as `cache` alone gives (h36-scan). Emptied alone it only costs a lookup.
 */
function termOf(v: CompiledVocabulary, text: string): VocabularyTerm | null {
  const known = v.byText.get(text);
  if (known !== undefined) return known;
  const key = spacesOne(text.toLowerCase());
  let term = v.cache.get(key);
  if (term === undefined) {
    term = termMatching(v, text);
    if (v.cache.size > 5000) {
      v.cache.clear();
      v.byText.clear();
    }
    v.cache.set(key, term);
  }
  if (v.byText.size > 5000) v.byText.clear();
  v.byText.set(text, term);
  return term;
}

/** Short acronyms only count in capitals: "SEN", "LAC", "PEP" but not "sen", "lac", "pep talk". */
export function isCaseSensitive(t: VocabularyTerm): boolean {
  return Boolean(t.caseSensitive) || /^[A-Z0-9]{2,5}$/.test(t.pattern);
}

let vocabularyCache: CompiledVocabulary[] | null = null;
/** The case-insensitive and the case-sensitive vocabulary, compiled once. */
export function vocabulary(): CompiledVocabulary[] {
  vocabularyCache ??= [compileVocabulary(false), compileVocabulary(true)];
  return vocabularyCache;
}

/**
 * `vocabulary()` built in pauses (`compileVocabularyInSteps`), for a page's idle time; nothing if
 * it is built already. Whatever runs between the pauses may call `vocabulary()`: it then builds
 * the rest at once, and these steps keep what was built first.
 */
export function* vocabularyInSteps(): Generator<void, void> {
  if (vocabularyCache) return;
  const insensitive = yield* compileVocabularyInSteps(false);
  const sensitive = yield* compileVocabularyInSteps(true);
  vocabularyCache ??= [insensitive, sensitive];
  // The second check's starts, read in the same pauses (h30-scan2): a scan reads a pair's own the
  // first time it reaches it, so a Send before this has run pays only for the pairs it reaches.
  for (const v of vocabularyCache) {
    const deep = v.byFirst?.gate?.deep;
    if (deep) yield* deepBuildInSteps(deep, TERMS_PER_COMPILE_STEP);
  }
}

/**
 * One vocabulary hit placed back in the text. A class, not an object literal, as `VocabularyMatch`
 * is (h33-gc): V8 can move a literal's allocation site to the old generation, and a hit holds its
 * match's text, a slice that keeps the 100 KB `wordsView` text alive.
 */
class VocabularyHit {
  readonly term: VocabularyTerm;
  readonly tier: Tier;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Whether `text` is all ASCII, read once per hit, not once per neighbour (h32-scan2). */
  readonly ascii: boolean;
  constructor(term: VocabularyTerm, tier: Tier, start: number, end: number, text: string) {
    this.term = term;
    this.tier = tier;
    this.start = start;
    this.end = end;
    this.text = text;
    this.ascii = isAscii(text);
  }
}

/**
 * A vocabulary hit's finding, with the keys of the object literal it replaces in the same order,
 * so the report is the same (h33-gc). A class for the reason `VocabularyMatch` is one: in some
 * processes V8 allocated this literal's ~600 findings a scan straight into the old generation.
 * Each dead one there kept its young preview and the property store scan.ts adds for `field`
 * alive through two scavenges and into the old generation (~0.8 MB a scavenge).
 */
class VocabularyDetection implements Detection {
  type: FindingType;
  confidence: Confidence;
  start: number;
  end: number;
  preview: string;
  name: string;
  constructor(h: VocabularyHit, confidence: Confidence) {
    this.type = h.term.type;
    this.confidence = confidence;
    this.start = h.start;
    this.end = h.end;
    this.preview = spacesOne(h.text);
    this.name = h.term.category;
  }
}

/**
 * `a.toLowerCase() === b.toLowerCase()`, read by character code when both are ASCII, so that no
 * lower-cased copy is made per vocabulary hit (h31-scan); anything outside ASCII is lower-cased as
 * before (the Kelvin sign is a "k", a dotted capital I two characters). `bothAscii`, when the
 * caller knows it, saves reading both texts again: the vocabulary asks it of each hit's
 * neighbours, and hits of different lengths were a third of the vocabulary's own time (h32-scan2).
 */
export function sameLowerCase(a: string, b: string, bothAscii?: boolean): boolean {
  if (a.length !== b.length) {
    return !(bothAscii ?? (isAscii(a) && isAscii(b))) && a.toLowerCase() === b.toLowerCase();
  }
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x >= 128 || y >= 128) return a.toLowerCase() === b.toLowerCase();
    if (x !== y && asciiLower(x) !== asciiLower(y)) return false;
  }
  return true;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

function asciiLower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * The sentence [from, to) as one line: a sentence wrapped across lines (`wrappedAt`) is read with
 * a space at each line break, so its wording ("will be at the coffee morning to / talk about…")
 * reads as written on one line.
 */
function sentenceText(text: string, from: number, to: number): string {
  const sentence = text.slice(from, to);
  return sentence.includes('\n') ? sentence.replace(LINE_BREAK_WITH_SPACES, ' ') : sentence;
}

/** A line break inside a sentence: a lower-case word or a comma before it, a lower-case word after. */
function wrappedAt(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at + 1);
  return ((before >= 97 && before <= 122) || before === 44) && after >= 97 && after <= 122;
}

/** The sentence (or line) around [start, end): from the last full stop or line break before it. */
export function sentenceAround(text: string, start: number, end: number): [number, number] {
  return [sentenceStart(text, start), sentenceEnd(text, end)];
}

/**
 * Where the sentence (or line) holding `start` begins: `sentenceAround`'s first half. The scan's
 * callers ask for the two halves apart, so no pair is made per hit (h31-scan).
 */
function sentenceStart(text: string, start: number): number {
  // By character code (h13-scan11): "\n" 10, "." 46, "!" 33, "?" 63.
  let from = start;
  while (from > 0 && start - from < 400) {
    const ch = text.charCodeAt(from - 1);
    if (ch === 10 && !wrappedAt(text, from - 1)) break;
    if ((ch === 46 || ch === 33 || ch === 63) && /\s/.test(text[from] ?? ' ')) break;
    from--;
  }
  return from;
}

/** Where the sentence (or line) holding [.., end) ends: `sentenceAround`'s second half. */
function sentenceEnd(text: string, end: number): number {
  let to = end;
  while (to < text.length && to - end < 400) {
    const ch = text.charCodeAt(to);
    // A stop ends the sentence whatever follows it: the test this replaced, /\s|$/ on the next
    // character, always held (`$` matches at the end of any string).
    if ((ch === 10 && !wrappedAt(text, to)) || ch === 46 || ch === 33 || ch === 63) break;
    to++;
  }
  return to;
}

/**
 * `generalMention`'s judged sentences, by where each starts (a value of `to * 2 + general`, never
 * negative), for one vocabulary pass: `get` and `set` as a `Map<number, number>` has them. Kept in
 * two typed arrays sorted by start and reused from pass to pass (h35-scan): a `Map` made per pass
 * grew its hash tables again in every scan (~28 KB on issue 13's message, sampled). Hits come in
 * text order within each vocabulary, so a new start is nearly always added at the end.
 */
class JudgedSentences {
  private starts = new Int32Array(64);
  private values = new Int32Array(64);
  private count = 0;

  clear(): void {
    this.count = 0;
  }

  /** The value kept for `from`, or -1. */
  get(from: number): number {
    const i = this.lowerBound(from);
    return i < this.count && this.starts[i] === from ? this.values[i]! : -1;
  }

  set(from: number, value: number): void {
    const i = this.lowerBound(from);
    if (i < this.count && this.starts[i] === from) {
      this.values[i] = value;
      return;
    }
    if (this.count === this.starts.length) {
      this.starts = doubled(this.starts);
      this.values = doubled(this.values);
    }
    if (i < this.count) {
      this.starts.copyWithin(i + 1, i, this.count);
      this.values.copyWithin(i + 1, i, this.count);
    }
    this.starts[i] = from;
    this.values[i] = value;
    this.count++;
  }

  /** The first index whose start is `from` or later. */
  private lowerBound(from: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
/** The one `JudgedSentences`, emptied at the start of each vocabulary pass (none runs inside another). */
const judgedSentences = new JudgedSentences();

/**
 * A sensitive word used about the topic in general, not about someone: its sentence speaks of a
 * course, a policy, a lesson, an awareness day (`GENERAL_FRAMING`) and names nobody and has no
 * he/she in it. "The course covers child-on-child abuse and sharing nudes" is a training email;
 * "Chloe was persuaded to send a topless picture" is a case.
 */
function generalMention(
  ev: Evidence,
  start: number,
  end: number,
  bySentence: JudgedSentences,
): boolean {
  const from = sentenceStart(ev.text, start);
  const to = sentenceEnd(ev.text, end);
  // Several terms often share a sentence ("bruises on his arm ... he flinched"): judged once.
  // Kept by where it starts (a small integer key, not `from * (length + 1) + to`, a double for a
  // 100 KB text: h13-scan11) as `to * 2 + general`; a sentence from the same start to another end
  // (cut at 400 characters) is judged again and replaces it.
  const known = bySentence.get(from);
  if (known >= 0 && known >> 1 === to) return (known & 1) === 1;
  const general = sentenceIsGeneral(ev, from, to);
  bySentence.set(from, to * 2 + (general ? 1 : 0));
  return general;
}

/**
 * Whether the sentence [from, to) is framed as general mail: `GENERAL_FRAMING` tested on the
 * sentence alone. Tried since h6 as one search of the whole text (every start of the framing
 * words, binary-searched per sentence), which agrees where the sentence starts after a non-word
 * character and ends at a stop; but the sentences with a sensitive word in them are about a third
 * of a 100 KB message, and the search over them alone, one per sentence (each judged once,
 * `generalMention`), cost 0.30 ms against 0.93 ms for the whole text (h13-scan11).
 */
function sentenceFramed(ev: Evidence, from: number, to: number): boolean {
  GENERAL_FRAMING.lastIndex = 0;
  return GENERAL_FRAMING.test(sentenceText(ev.text, from, to));
}

/**
 * `Evidence.nearInText` over one text (one `Evidence`, so its searches are reused from query to
 * query, as in a scan), for the test that holds it to the whole text's matches.
 */
export function keywordNearOf(
  text: string,
): (re: RegExp, start: number, end: number, distance: number) => boolean {
  const ev = new Evidence(text, '');
  return (re, start, end, distance) => ev.nearInText(re, start, end, distance);
}

/** The keyword searches the identifier detectors ask `near` and `nearInText` about. */
export const KEYWORD_SEARCHES: readonly RegExp[] = [
  UPN_WORDS,
  NINO_WORDS,
  NHS_WORDS,
  HEALTH_WORDS,
  ULN_WORDS,
  LEARNER_WORDS,
  CHI_WORDS,
  UCI_WORDS,
  EXAM_WORDS,
  CARD_WORDS,
  BANK_WORDS,
  PASSPORT_WORDS,
  LICENCE_WORDS,
  DOB_WORDS,
];

/**
 * Each identifier search tried at runs of digits (`matchesAtDigitRuns`), with a function giving
 * its matches in one text that way, for the test that holds them to the whole-text `exec` loop
 * (a function, so the content script's bundle leaves it out).
 */
export function searchesAtDigitRuns(): {
  name: string;
  search: RegExp;
  matches: (text: string) => RegExpExecArray[];
  digits: ((match: string) => string) | null;
}[] {
  return (
    [
      ['UPN', UPN_RE, UPN_AT, upnRun, UPN_BEFORE],
      ['ten digits (ULN, CHI)', TEN_DIGITS_RE, TEN_DIGITS_AT, tenDigitsRun, AT_RUN],
      ['UCI', UCI_RE, UCI_AT, uciRun, AT_RUN],
      ['card', CARD_RE, CARD_AT, cardRun, AT_RUN],
      ['passport', PASSPORT_RE, PASSPORT_AT, passportRun, AT_RUN],
      ['bank account', ACCOUNT_RE, ACCOUNT_AT, accountRun, AT_RUN],
    ] as const
  ).map(([name, search, sticky, fits, before]) => ({
    name,
    search,
    // The pairs as `exec` at each start gives them, its end held to the pair's: the test compares
    // the captured groups too.
    matches: (text: string) => {
      const found = matchesAtDigitRuns(new Evidence(text, ''), sticky, fits, before);
      const out: RegExpExecArray[] = [];
      for (let i = 0; i < found.length; i += 2) {
        sticky.lastIndex = found[i]!;
        const m = sticky.exec(text);
        if (!m || sticky.lastIndex !== found[i + 1])
          throw new Error(`no match ending at ${found[i + 1]}`);
        out.push(m);
      }
      sticky.lastIndex = 0;
      return out;
    },
    digits: sticky === TEN_DIGITS_AT || sticky === UCI_AT ? digitsOf : null,
  }));
}

/**
 * `aboutNobody` of one text (and the rest of its message), with its names found first or not,
 * and with the shortcut on them or not, for the test that holds the shortcut to the full reading.
 */
export function aboutNobodyOf(
  text: string,
  restOfMessage: string,
  namesFound: boolean,
  namesFirst: boolean,
): boolean {
  const ev = new Evidence(text, '');
  if (namesFound) ev.names();
  return aboutNobody(ev, restOfMessage, namesFirst);
}

/** `sentenceFramed` over one text, for the test that holds it to `GENERAL_FRAMING` on slices. */
export function framingOf(text: string): (from: number, to: number) => boolean {
  const ev = new Evidence(text, '');
  return (from, to) => sentenceFramed(ev, from, to);
}

const PARENT_AS_PERSON = /\b(?:mum|dad|mummy|daddy|stepdad|stepmum|step-dad|step-mum)\b/i;

function sentenceIsGeneral(ev: Evidence, from: number, to: number): boolean {
  if (!sentenceFramed(ev, from, to)) return false;
  const sentence = sentenceText(ev.text, from, to);
  // A text studied in class: its he/she and names are its characters'.
  if (LITERATURE.test(sentence) && !PRONOUN_TOLD.test(sentence)) return true;
  const generic = countMatches(GENERIC_PRONOUN_PAIR, sentence);
  const pronouns = countMatches(PERSONAL_REFERENCE, sentence);
  if (
    pronouns - generic * 2 > 0 &&
    (!GENERIC_CONDITIONAL.test(sentence) || PRONOUN_TOLD.test(sentence))
  ) {
    return false;
  }
  // "Mum is a single parent on ESA with £40 a week": a parent named as Mum or Dad is someone,
  // whatever framing word ("week") the sentence holds. ("The child" is how policies speak too.)
  if (PARENT_AS_PERSON.test(sentence)) return false;
  // "Leanne in science is 12 weeks pregnant": a colleague named by her team is someone, though
  // "science" frames lessons elsewhere.
  if (COLLEAGUE_BY_TEAM.test(sentence)) return false;
  // "The pupil in 11S asked to be called Ash": a pupil told by form group is someone (h11-tune).
  if (PUPIL_BY_FORM.test(sentence)) return false;
  // "the family in Y3", "they're on universal credit": one family, though "week" frames (h13-tune).
  if (specificFamilyFramed(sentence)) return false;
  // "Mrs Ahmed will talk about how EHCP applications work at the information evening": a speaker
  // at an event is not the subject, unless a pupil is named in the possessive ("Ellie's").
  // The event is often named in the sentence before ("Our transition evening is on 2 July. Miss
  // Patel will explain how we support children with autism"), so the whole message is read for it.
  if (EVENT_SPEAKER.test(sentence) && EVENT.test(ev.text) && !possessiveGivenName(sentence)) {
    return true;
  }
  return !ev.nameWithin(from, to);
}

/** A capitalised word in the possessive ("Ellie's"), for `possessiveGivenName`. */
const POSSESSIVE_WORD = /\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)['’]s\b/g;

/** One family or pupil told by year or class, or "they're on universal credit" (h13-tune). */
function specificFamilyFramed(sentence: string): boolean {
  if (FAMILY_BY_YEAR.test(sentence)) return true;
  return THEY_ON_BENEFITS.test(sentence) && !CONDITION_WORD.test(sentence);
}

/** A given name in the possessive ("Ellie's diagnosis"): whose data the sentence holds. */
function possessiveGivenName(sentence: string): boolean {
  for (const m of sentence.matchAll(POSSESSIVE_WORD)) {
    if (isGivenName(m[1]!)) return true;
  }
  return false;
}

/**
 * The whole message is about a topic, not about anyone: it names nobody (greetings and sign-offs
 * aside), never says he/she/his/her (except "he or she"), and is framed as general mail (a course,
 * policy, newsletter, lesson: `GENERAL_MAIL`, or addressed to a group: `GROUP_ADDRESS`). Then
 * every sensitive word in it is a general mention (a titled name, "the police officer will run it
 * with Mr Holt", is left aside): "teachers have a mandatory duty to report known
 * cases of FGM", "families on Universal Credit may be eligible for free school meals", "we'll
 * practise completing a body map". A disclosure, a referral or a list names or refers to someone,
 * if only as "the child", "a Year 10 girl" or "Mum" (`ANONYMISED_PERSON`).
 */
function aboutNobody(ev: Evidence, restOfMessage: string, namesFirst = true): boolean {
  // Every test below is a pure conjunct (no `g` flag: no state), so the last one, a name that is
  // not titled, is read first when the names are found already (h33-vocab): a message about
  // someone is then known at once, not after a whole-text `GENERAL_MAIL` search (~0.2 ms of issue
  // 13's message). Only for the text alone: `restOfMessage`'s names are those of the joined text.
  if (namesFirst && !restOfMessage) {
    const names = ev.namesIfFound();
    if (names !== null && !names.every((n) => n.titled)) return false;
  }
  const text = restOfMessage ? `${ev.text}\n${restOfMessage}` : ev.text;
  if (!GENERAL_MAIL.test(text) && !GROUP_ADDRESS.test(text)) return false;
  // "The child", "Mum": one search that stops at the first, before counting every pronoun (two
  // searches of the whole text). Either makes the message about someone (h13-scan11).
  if (ANONYMISED_PERSON.test(text) || ROLE_PERSON.test(text)) return false;
  const generic = countMatches(GENERIC_PRONOUN_PAIR, text);
  const pronouns = countMatches(PERSONAL_REFERENCE, text);
  if (pronouns - generic * 2 > 0) return false;
  // A titled name ("run by Mr Holt") is who organises general mail as often as whom a case is about.
  return (restOfMessage ? nameMentions(text) : ev.names()).every((n) => n.titled);
}

/**
 * A term naming the kind of a thing (h22-tune): the noun it modifies is an event, a document, a
 * collection or a place (`KIND_OF_THING`, the few characters after the hit), nothing owns it
 * (`KIND_OF_THING_BEFORE`, the few before it: a determiner or a clause start, not "his", "Ellie's"
 * or "has a"), and the sentence refers to nobody: no he/she/his/her (but "his or her"), no "the
 * child", "Mum" or "the boy in 4C", no name but a titled one (who runs or hosts the thing).
 * "The educational psychologist visit is confirmed for the 24th" is about a visit; "Jayden's EP
 * visit", "his PEP meeting", "the PEP meeting for the girl in 5H" are about someone. Judged only
 * on a hit whose head noun reads as a thing, so most hits cost one anchored test on 30 characters.
 */
function kindOfThing(ev: Evidence, start: number, end: number): boolean {
  if (!KIND_OF_THING.test(ev.text.slice(end, end + 30))) return false;
  const from = sentenceStart(ev.text, start);
  const to = sentenceEnd(ev.text, end);
  if (!KIND_OF_THING_BEFORE.test(ev.text.slice(Math.max(from, start - 40), start))) return false;
  const sentence = sentenceText(ev.text, from, to);
  const generic = countMatches(GENERIC_PRONOUN_PAIR, sentence);
  const pronouns = countMatches(PERSONAL_REFERENCE, sentence);
  if (pronouns - generic * 2 > 0) return false;
  if (ANONYMISED_PERSON.test(sentence) || ROLE_PERSON.test(sentence)) return false;
  return !namesSomeone(ev, from, to);
}

/**
 * Whether [from, to) names someone by an untitled name that is not the person addressed ("Leo",
 * not "Mr Holt", not "Hi Sam,"): a sentence about a pupil rather than a staff member's diary.
 */
function namesSomeone(ev: Evidence, from: number, to: number): boolean {
  const names = ev.names();
  for (
    let i = firstAtOrAfter(names, from, startOf);
    i < names.length && names[i]!.start < to;
    i++
  ) {
    const n = names[i]!;
    if (!n.titled && !addressed(ev.text, from, n.start, n.end)) return true;
  }
  return false;
}

/**
 * A cause given to (h31-tune): a word of giving, then "for the" or "to the local" right before the
 * term (`GIVEN_TO_BEFORE`): "£213 raised for the food bank", "tins for the food bank in Kendal".
 * The term names who receives the gift, not whose data it is.
 */
function givenToCause(ev: Evidence, start: number, forOrToFirst = true): boolean {
  const from = Math.max(0, start - 90);
  if (forOrToFirst && !forOrToBefore(ev.text, from, start)) return false;
  return GIVEN_TO_BEFORE.test(ev.text.slice(from, start));
}

/**
 * Whether "for" or "to" (any case) is one of the last three words of [from, to), each word ASCII
 * letters and each followed by one space, the last right before `to` (h33-vocab). A match of
 * `GIVEN_TO_BEFORE` in that slice ends "for|to ", then at most "the |our |a " and "local " or one
 * word of letters, each a word of letters and one space, so without this it cannot match: most
 * hits are not after "for"/"to", and skip its search. A word is read only inside the slice, as
 * the search sees it (a slice starting inside "into" holds "to").
 */
function forOrToBefore(text: string, from: number, to: number): boolean {
  let at = to;
  for (let words = 0; words < 3; words++) {
    if (at - 1 < from || text.charCodeAt(at - 1) !== 32) return false;
    const end = at - 1;
    let start = end;
    while (start > from && isAsciiLetter(text.charCodeAt(start - 1))) start--;
    const length = end - start;
    if (length === 0) return false;
    if (length === 2) {
      if ((text.charCodeAt(start) | 32) === 116 && (text.charCodeAt(start + 1) | 32) === 111) {
        return true;
      }
    } else if (
      length === 3 &&
      (text.charCodeAt(start) | 32) === 102 &&
      (text.charCodeAt(start + 1) | 32) === 111 &&
      (text.charCodeAt(start + 2) | 32) === 114
    ) {
      return true;
    }
    at = start;
  }
  return false;
}

/** `givenToCause` with the word test first or not, for the test that holds the two to one answer. */
export function givenToCauseOf(text: string): (start: number, forOrToFirst: boolean) => boolean {
  const ev = new Evidence(text, '');
  return (start, forOrToFirst) => givenToCause(ev, start, forOrToFirst);
}

/** Words before a name that address the reader: "Hi Dan,", "thanks Priya!", "Huge thanks, Ella:". */
const ADDRESSING =
  /(?:^|\b(?:hi|hello|hey|dear|morning|afternoon|thanks|thank you|cheers|well done)[,!]?)\s*$/i;

/**
 * A name that addresses the reader (h22-tune): at the start of the sentence or after a greeting or
 * thanks, and followed by a comma, colon, full stop, "!" or the end. The reader is who the mail
 * is to, not whose data it carries; "Dan, his free school meals forms" is still about him (a
 * pronoun), and "Dan's forms" is no address.
 */
function addressed(text: string, from: number, start: number, end: number): boolean {
  if (!ADDRESS_ENDS.test(text.slice(end, end + 3))) return false;
  return ADDRESSING.test(text.slice(Math.max(from, start - 24), start));
}

/**
 * `text.match(re)?.length ?? 0` for a global `re` that cannot match the empty string (the pronoun
 * searches), without the array of every match's text (h35-vocab2): each he/she/his/her counted
 * was a string of its own, and the scan asks it of windows and sentences around hits and of the
 * whole message. `test` walks the same matches (`lastIndex` from 0, each search after the last
 * match's end) and, as `match` does, leaves `lastIndex` at 0. Should a pattern ever be changed to
 * one that can match nothing, a search that did not move on steps one character, so the count
 * may differ from `match`'s there but the loop still ends.
 */
export function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let count = 0;
  let from = 0;
  while (re.test(text)) {
    count++;
    if (re.lastIndex === from) re.lastIndex++;
    from = re.lastIndex;
  }
  re.lastIndex = 0;
  return count;
}

function personalReferenceNear(ev: Evidence, start: number, end: number): boolean {
  const from = Math.max(0, start - 150);
  const window = ev.text.slice(from, Math.min(ev.text.length, end + 150));
  const generic = countMatches(GENERIC_PRONOUN_PAIR, window);
  const all = countMatches(PERSONAL_REFERENCE, window);
  // Each "his or her" pair accounts for two pronouns. "Mum", "the child", "a Year 10 girl" are
  // someone too (a home visit note: "no food in the fridge ... Mum seemed very low").
  return (
    all - generic * 2 > 0 ||
    ev.nameNear(start, end, 150) ||
    ANONYMISED_PERSON.test(window) ||
    personCueNear(ev, window, start, end)
  );
}

/**
 * The person cue widened, one rule (h14-tune): staff write about one person as "the boy in 4C", "a
 * Y12 student", "one of the TAs", "the twins", "2M child", "Jack's older brother" (`ROLE_PERSON`,
 * anywhere in the window), and about themselves or one pupil as "I'm", "my", "they've", "their"
 * (`SELF_OR_THEY`, only in the sentence of the sensitive word and only if that sentence is not a
 * condition: "if they are on benefits they can apply"). It lifts a topic word to medium as he/she
 * does; the general-mention guards are judged first (`generalMention`, `aboutNobody`), so a
 * course, a policy, an awareness day or a talk stays general whoever is in it.
 */
function personCueNear(ev: Evidence, window: string, start: number, end: number): boolean {
  if (ROLE_PERSON.test(window)) return true;
  const from = sentenceStart(ev.text, start);
  const to = sentenceEnd(ev.text, end);
  const sentence = sentenceText(ev.text, from, to);
  return SELF_OR_THEY.test(sentence.replace(WRITER_AT_WORK, '')) && !CONDITION_WORD.test(sentence);
}

/** Other vocabulary hits within PROXIMITY of one hit, by tier (`detectVocabulary`). */
type NeighbourTally = { context: number; topic: number; status: number; sameTypeStatus: number };

/** Count `o` in `h`'s tally when it is within PROXIMITY and not the same words. */
function tallyNeighbour(h: VocabularyHit, o: VocabularyHit, tally: NeighbourTally): void {
  if (o.end < h.start - PROXIMITY || o.start > h.end + PROXIMITY) return;
  if (sameLowerCase(o.text, h.text, o.ascii && h.ascii)) return;
  if (o.tier === 'status') {
    tally.status++;
    if (o.term.type === h.term.type) tally.sameTypeStatus++;
  } else if (o.tier === 'topic') tally.topic++;
  else tally.context++;
}

function detectVocabulary(
  ev: Evidence,
  out: Detection[],
  disabled: ReadonlySet<FindingType>,
  identifiers: Detection[],
  documentName: boolean,
  restOfMessage: string,
): void {
  const hits: VocabularyHit[] = [];
  let general: boolean | null = null;
  const bySentence = judgedSentences;
  bySentence.clear();
  // Phrases are matched in the text as running words (a phrase wrapped across lines, quoted in a
  // plain-text reply or with two spaces is still the phrase); each hit is placed back in the text.
  const words = wordsView(ev.text);
  for (const [v, matches] of shippedVocabularyMatches(words.text)) {
    for (const m of matches) {
      const term = termOf(v, m.text);
      if (!term) continue;
      const start = originalOffset(words, m.index);
      const end = originalOffset(words, m.index + m.text.length - 1) + 1;
      // "Your account has been suspended": the word in another sense, no one's record (h18-tune).
      if (
        AUXILIARY_START.test(m.text) &&
        THING_SUBJECT.test(ev.text.slice(Math.max(0, start - 24), start))
      ) {
        continue;
      }
      // A context word ("pupil premium", "referral") is context whatever its sentence says: whether
      // the topic is spoken of in general (`institutional`) cannot change its tier, so it is not
      // asked (h32-scan; a third of a 100 KB message's hits).
      let tier: Tier = term.tier;
      if (term.tier !== 'context') {
        general ??= !documentName && aboutNobody(ev, restOfMessage);
        const institutional =
          general ||
          INSTITUTIONAL_NOUN.test(ev.text.slice(end, end + 20)) ||
          (!documentName && generalMention(ev, start, end, bySentence)) ||
          (!documentName && kindOfThing(ev, start, end)) ||
          (!documentName && givenToCause(ev, start));
        if (institutional) tier = 'context';
        else if (documentName && term.tier === 'topic') tier = 'status';
      }
      hits.push(new VocabularyHit(term, tier, start, end, m.text));
    }
  }
  if (hits.length === 0) return;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop hits inside a longer hit (the case-sensitive pass can overlap the other).
  const kept: VocabularyHit[] = [];
  for (const h of hits) {
    const last = kept[kept.length - 1];
    if (last && h.start >= last.start && h.end <= last.end) continue;
    kept.push(h);
  }
  // Identifier spans sorted by start, for a binary search per hit.
  const spans = identifiers
    .filter((d) => d.confidence !== 'low')
    .map((d) => [d.start, d.end] as const)
    .sort((a, b) => a[0] - b[0]);
  const identifierNear = (start: number, end: number): boolean => {
    // Any span with spanStart < end + PROXIMITY and spanEnd > start - PROXIMITY. Identifiers are
    // short (< 40 characters), so only spans starting after start - PROXIMITY - 40 can qualify.
    for (
      let i = firstAtOrAfter(spans, start - PROXIMITY - 40, spanStart);
      i < spans.length && spans[i]![0] < end + PROXIMITY;
      i++
    ) {
      if (spans[i]![1] > start - PROXIMITY) return true;
    }
    return false;
  };
  // Vocabulary terms are under 100 characters, so neighbours within PROXIMITY are found by
  // walking outwards from each hit in start order: linear in practice, not quadratic.
  const MAX_TERM = 100;
  // One tally for every hit, not a closure made per hit (h13-scan11).
  const others: NeighbourTally = { context: 0, topic: 0, status: 0, sameTypeStatus: 0 };
  const framedChecked = new Set<string>();
  const firstOut = out.length;
  const hitOf: VocabularyHit[] = [];
  for (let index = 0; index < kept.length; index++) {
    const h = kept[index]!;
    if (disabled.has(h.term.type)) continue;
    others.context = 0;
    others.topic = 0;
    others.status = 0;
    others.sameTypeStatus = 0;
    for (let k = index - 1; k >= 0 && kept[k]!.start >= h.start - PROXIMITY - MAX_TERM; k--) {
      tallyNeighbour(h, kept[k]!, others);
    }
    for (let k = index + 1; k < kept.length && kept[k]!.start <= h.end + PROXIMITY; k++) {
      tallyNeighbour(h, kept[k]!, others);
    }
    const contextOthers = others.context;
    const topicOthers = others.topic;
    const statusOthers = others.status;
    const sameTypeStatus = others.sameTypeStatus;
    const identifierClose = identifierNear(h.start, h.end);
    let confidence: Confidence;
    if (h.tier === 'status') {
      confidence =
        statusOthers + topicOthers + contextOthers > 0 || identifierClose ? 'high' : 'medium';
    } else if (h.tier === 'topic') {
      // A trip letter's "medication, inhaler, allergies" is topic + context words with no one
      // named: stays low. "his medication" or "ADHD ... medication" reads as about a pupil.
      if (statusOthers > 0 || identifierClose) confidence = 'high';
      else if (topicOthers > 0) confidence = 'medium';
      else if (!documentName && personCueIsNotEnough(ev, h, restOfMessage)) {
        confidence = 'low';
      } else if (personalReferenceNear(ev, h.start, h.end)) confidence = 'medium';
      else confidence = 'low';
    } else {
      // Context words only add a finding of their own type when a statement of that type is
      // nearby ("pupil premium" beside "looked after child" is not a second category).
      confidence = sameTypeStatus > 0 || identifierClose ? 'medium' : 'low';
    }
    const d: Detection = new VocabularyDetection(h, confidence);
    out.push(d);
    hitOf.push(h);
    // Near-miss evidence for the learned check (h15-tune, `near-miss.ts`): a word a general-mention
    // guard made context (known from its tier, no new search), and, once per group and message,
    // whether a person cue was in reach all the same.
    if (h.tier === 'topic' && confidence === 'low') noteNearMiss(d, 'alone', h.term.category);
    else if (h.tier === 'context' && h.term.tier !== 'context') {
      noteNearMiss(d, 'framed', h.term.category);
      if (!framedChecked.has(h.term.category)) {
        framedChecked.add(h.term.category);
        if (personalReferenceNear(ev, h.start, h.end)) noteNearMiss(d, 'framed-person');
      }
    }
  }
  if (!documentName) quietStaffLogistics(ev, out, firstOut, hitOf);
}

/**
 * A topic word that a person cue alone does not make someone's (h37-tune): SEN provision named as
 * a thing (`SEN_PROVISION`: "she'll need a scribe" after a broken wrist) and a member of staff off
 * for the day with a migraine (`OFF_TODAY_WITH_MIGRAINE`, unless the message has a sickness
 * record's words). Asked only when no topic or status word is within reach (a context word, such
 * as "our SEND governor" beside "the sensory room", does not count): beside one, the usual rules
 * decide.
 */
/** A health hit that is a migraine (`personCueIsNotEnough`). */
const MIGRAINE_HIT = /^migraine/i;

function personCueIsNotEnough(ev: Evidence, h: VocabularyHit, restOfMessage: string): boolean {
  // A pupil who is somewhere ("spent the morning in the sensory room after kicking the door") is
  // told of, and so is SEN data: only the provision as a thing (bought, visited, needed) is asked.
  if (h.term.category === 'sen') {
    return (
      SEN_PROVISION.test(h.text) &&
      !SOMEWHERE_BEFORE.test(ev.text.slice(Math.max(0, h.start - 12), h.start))
    );
  }
  if (h.term.category !== 'health' || !MIGRAINE_HIT.test(h.text)) return false;
  const sentence = sentenceText(
    ev.text,
    sentenceStart(ev.text, h.start),
    sentenceEnd(ev.text, h.end),
  );
  return (
    OFF_TODAY_WITH_MIGRAINE.test(sentence) &&
    !SICKNESS_RECORD.test(ev.text) &&
    !SICKNESS_RECORD.test(restOfMessage)
  );
}

/**
 * Whether a safeguarding hit names the meeting or course a member of staff attends
 * (`STAFF_LOGISTICS`, h37-tune): read in its sentence, and for a topic word also in the two
 * sentences before ("We are on the DSL refresher. Cover please. It's the one on county lines").
 * The sentences before count only for a topic word in a sentence with no he or she: "The social
 * worker wants to see them in the meeting room. She said the order means dad isn't allowed to
 * collect" stays a case.
 */
function staffLogistics(ev: Evidence, h: VocabularyHit): boolean {
  const from = sentenceStart(ev.text, h.start);
  const to = sentenceEnd(ev.text, h.end);
  // A pupil named in the same sentence makes it their case, whatever the frame: "Leo's CP plan
  // review is in the meeting room", "at the child protection conference for Leo".
  if (namesSomeone(ev, from, to)) return false;
  const sentence = sentenceText(ev.text, from, to);
  if (framesThis(sentence, h)) return true;
  if (h.term.tier !== 'topic' || from === 0 || countMatches(PERSONAL_REFERENCE, sentence) > 0) {
    return false;
  }
  // The two sentences before, within 200 characters: "We are on the DSL refresher on 5 Feb.
  // Cover please. It's the one on county lines."
  let after = from;
  for (let back = 0; back < 2 && after > 0 && from - after < 200; back++) {
    const before = sentenceStart(ev.text, after - 1);
    if (framesThis(sentenceText(ev.text, before, after), h)) return true;
    after = before;
  }
  return false;
}

/**
 * Whether `sentence` frames `h` as staff logistics: a course frames any safeguarding word, any
 * other frame the process's own.
 */
function framesThis(sentence: string, h: VocabularyHit): boolean {
  const frame = STAFF_LOGISTICS.exec(sentence);
  if (!frame) return false;
  return SOCIAL_CARE_PROCESS.has(h.term.category) || STAFF_COURSE.test(frame[0]);
}

/**
 * Medium safeguarding findings in staff logistics are set low (h37-tune), but only where every
 * other finding of this pass within PROXIMITY is low or a safeguarding word in the same kind of
 * logistics: "at a child protection conference all day Friday, so her Y4 class will have Mr Green"
 * is a cover note; the same sentence beside "his CP plan" or a bruise is not. Decided on the
 * confidences as they were, then applied, so one change cannot make another.
 */
function quietStaffLogistics(
  ev: Evidence,
  out: Detection[],
  firstOut: number,
  hitOf: readonly VocabularyHit[],
): void {
  // Asked lazily, once a hit: 0 not yet, 1 framed, 2 not (a 100 KB message has hundreds of
  // safeguarding hits, and only a medium one ever asks about its neighbours).
  let known: Uint8Array | undefined;
  const framed = (k: number): boolean => {
    known ??= new Uint8Array(out.length - firstOut);
    const h = hitOf[k - firstOut]!;
    if (known[k - firstOut] === 0) {
      known[k - firstOut] = h.term.type === 'safeguarding' && staffLogistics(ev, h) ? 1 : 2;
    }
    return known[k - firstOut] === 1;
  };
  const quiet: number[] = [];
  for (let i = firstOut; i < out.length; i++) {
    const d = out[i]!;
    if (d.type !== 'safeguarding' || d.confidence !== 'medium' || !framed(i)) continue;
    // This pass's findings are in start order and its terms are under 100 characters.
    let alone = true;
    for (let k = i - 1; alone && k >= firstOut && out[k]!.start >= d.start - PROXIMITY - 100; k--) {
      const o = out[k]!;
      if (o.confidence !== 'low' && o.end >= d.start - PROXIMITY && !framed(k)) alone = false;
    }
    for (let k = i + 1; alone && k < out.length && out[k]!.start <= d.end + PROXIMITY; k++) {
      if (out[k]!.confidence !== 'low' && !framed(k)) alone = false;
    }
    if (alone) quiet.push(i);
  }
  for (const i of quiet) out[i]!.confidence = 'low';
}

// ---------------------------------------------------------------------------------------------

/** When two identifier matches overlap, the more specific one stands (a card beats an NHS match). */
const PRIORITY: Partial<Record<FindingType, number>> = {
  // Found only beside their own words, so they beat the NHS number they resemble.
  uci: 10,
  chi_number: 9,
  uln: 8,
  payment_card: 7,
  upn: 6,
  driving_licence: 5,
  nino: 4,
  bank_account: 3,
  nhs_number: 2,
  passport: 1,
};

function resolveOverlaps(found: Detection[]): Detection[] {
  const sorted = found
    .slice()
    .sort(
      (a, b) =>
        (PRIORITY[b.type] ?? 0) - (PRIORITY[a.type] ?? 0) ||
        RANK[b.confidence] - RANK[a.confidence] ||
        a.start - b.start,
    );
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.some((k) => k.start < d.end && d.start < k.end)) continue;
    kept.push(d);
  }
  return kept;
}

/**
 * All built-in findings in one piece of text, of every confidence (the decision applies the
 * policy's threshold; the admin CLI shows the low ones too, so admins see what was near-missed).
 */
let compiledBeforeVocabulary = false;

/**
 * Once, before the vocabulary first runs: every detector but the vocabulary on the compile samples
 * (with them as context too), and the vocabulary's own whole-text and context tests, so V8 compiles
 * them while it still optimises (`compile-first.ts`). Their results are dropped.
 */
export function compileBeforeVocabulary(): void {
  if (compiledBeforeVocabulary) return;
  compiledBeforeVocabulary = true;
  const allButVocabulary = new Set<FindingType>(['special_category', 'safeguarding']);
  for (const sample of COMPILE_SAMPLES) {
    detect(sample, { disabled: allButVocabulary, context: sample });
  }
  for (const re of [
    ...PEOPLE_SEARCHES,
    PHONE_CONTEXT,
    ISBN_CONTEXT,
    UPN_AT,
    UPN_WORDS,
    NINO_RE,
    NINO_WORDS,
    NHS_RE,
    NHS_WORDS,
    HEALTH_WORDS,
    TEN_DIGITS_AT,
    ULN_WORDS,
    LEARNER_WORDS,
    CHI_WORDS,
    UCI_AT,
    UCI_WORDS,
    EXAM_WORDS,
    CARD_AT,
    CARD_WORDS,
    SORT_CODE_RE,
    SORT_CODE_WORDED_RE,
    ACCOUNT_AT,
    BANK_WORDS,
    PASSPORT_AT,
    PASSPORT_WORDS,
    PASSPORT_LABEL,
    LICENCE_RE,
    LICENCE_WORDS,
    DIGIT_RUN,
    LICENCE_AT,
    DATE_RE,
    DOB_LABEL,
    DOB_AFTER,
    DOB_WORDS,
    DOB_KEYS,
    CREDENTIAL_RE,
    LOGIN_PAIR_RE,
    GENERAL_FRAMING,
    GENERAL_MAIL,
    GROUP_ADDRESS,
    GENERIC_PRONOUN_PAIR,
    PERSONAL_REFERENCE,
    ANONYMISED_PERSON,
    INSTITUTIONAL_NOUN,
    KIND_OF_THING,
    KIND_OF_THING_BEFORE,
    ADDRESSING,
    // The sentence tests of `sentenceIsGeneral` (h13-scan11): they first ran after the vocabulary
    // was compiled, so unoptimised for the life of the page.
    LITERATURE,
    PRONOUN_TOLD,
    GENERIC_CONDITIONAL,
    PARENT_AS_PERSON,
    COLLEAGUE_BY_TEAM,
    PUPIL_BY_FORM,
    FAMILY_BY_YEAR,
    THEY_ON_BENEFITS,
    CONDITION_WORD,
    ROLE_PERSON,
    SELF_OR_THEY,
    WRITER_AT_WORK,
    EVENT_SPEAKER,
    EVENT,
    POSSESSIVE_WORD,
  ]) {
    compileFirst(re);
  }
}

/**
 * Typographic single quotes as straight ones (h6-recall6): text pasted from Word or typed on a
 * phone says "won’t" and "Mum’s", and every term is written with "'". One UTF-16 unit for one, so
 * every position found in the result is a position in the original.
 */
function straightQuotes(text: string): string {
  return text.includes('’') || text.includes('‘') ? text.replace(/[‘’]/g, "'") : text;
}

export function detect(original: string, options: DetectOptions = {}): Detection[] {
  compileBeforeVocabulary();
  const text = straightQuotes(original);
  const disabled = options.disabled ?? new Set<FindingType>();
  const ev = new Evidence(text, straightQuotes(options.context ?? ''));
  const identifiers: Detection[] = [];
  if (!disabled.has('upn')) detectUpn(ev, identifiers);
  if (!disabled.has('nino')) detectNino(ev, identifiers);
  if (!disabled.has('nhs_number')) detectNhs(ev, identifiers);
  if (!disabled.has('uln') || !disabled.has('chi_number')) {
    detectTenDigitIdentifiers(ev, identifiers, disabled);
  }
  if (!disabled.has('uci')) detectUci(ev, identifiers);
  if (!disabled.has('payment_card')) detectCard(ev, identifiers);
  if (!disabled.has('bank_account')) detectBank(ev, identifiers);
  if (!disabled.has('passport')) detectPassport(ev, identifiers);
  if (!disabled.has('driving_licence')) detectLicence(ev, identifiers);
  const found = resolveOverlaps(identifiers);
  if (!disabled.has('date_of_birth')) detectDob(ev, found, options.now ?? new Date());
  if (!disabled.has('credential')) detectCredential(ev, found);
  if (!disabled.has('postal_address')) {
    const addresses = findHomeAddresses(text, ev.names());
    for (let i = 0; i < addresses.length; i++) {
      const a = addresses[i]!;
      found.push({
        type: 'postal_address',
        confidence: a.personal ? 'medium' : 'low',
        start: a.start,
        end: a.end,
        preview: mask(text.slice(a.start, a.end), 0, 0),
      });
    }
  }
  if (!disabled.has('special_category') || !disabled.has('safeguarding')) {
    detectVocabulary(
      ev,
      found,
      disabled,
      found.slice(),
      options.documentName ?? false,
      straightQuotes(options.restOfMessage ?? ''),
    );
  }
  if (!disabled.has('people_list')) {
    const { lists, birthDates } = findPeopleLists(text, found, options.now ?? new Date());
    found.push(...lists);
    if (!disabled.has('date_of_birth')) {
      for (let i = 0; i < birthDates.length; i++) {
        const d = birthDates[i]!;
        if (!found.some((f) => f.type === 'date_of_birth' && f.start === d.start)) found.push(d);
      }
    }
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end);
}
