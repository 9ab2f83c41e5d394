/**
 * Admin-defined patterns and word lists (policy `compose.customPatterns`, `compose.customWords`).
 *
 * A custom regular expression runs in the page while a member of staff presses Send. On
 * JavaScript's own backtracking engine one careless pattern (`(\w+\s?)+$`, or the innocent-looking
 * `[A-Z]+\s*[A-Z]+\s*[A-Z]+\d`, 16 s on 800 capital letters) freezes the compose window, and no
 * heuristic check of a pattern's shape catches every such pattern. So school patterns never run on
 * `RegExp`: they run on re2js, a JavaScript port of RE2, whose automata match in time linear in the
 * text whatever the pattern (there is no backtracking to go wrong). What it costs:
 *
 * - RE2 cannot express backreferences (`\1`, `\k<name>`) or lookaround (`(?=`, `(?!`, `(?<=`,
 *   `(?<!`): exactly the features that make matching super-linear. A pattern using them is refused
 *   at policy time with a reason naming the feature (`explainRefusal`), shown in the popup, the
 *   options page, the report and `steward dlp check-patterns`. Other syntax RE2 spells differently
 *   (`\u00e9` is `\x{00e9}`) is refused with RE2's own reason.
 * - `\s` is ASCII whitespace only; the scan maps no-break and other fixed-width spaces to plain
 *   spaces before any detector runs, so identifiers typed with them are still found.
 *
 * What stays from the old defences: a length cap (`MAX_PATTERN_LENGTH`) and a size cap on the
 * compiled program (`MAX_PROGRAM_SIZE`, RE2 also refuses repeat counts over 1000), so a policy
 * cannot make a huge automaton; patterns that match empty text are refused (they would "find"
 * everywhere). At scan time the character classes read from each compiled program (`startsOf`)
 * give where a match can start, listed for all patterns in one pass over the text
 * (`startPositionsOfAll`; the usual answer for a school's codes: nowhere, or a handful of places);
 * only those places are searched, window by window (`WINDOW` plus `OVERLAP` so a match across a
 * boundary is still seen), with the clock checked between windows, so
 * even a pattern matching everywhere in a 256 KB paste cannot hold Send beyond the time budget; what
 * was cut short is reported (`scanMessageWithReport().incomplete`).
 *
 * Loaded only where patterns are used (see custom-rules.ts): importing this module registers the
 * engine, so the policy check (`policy.ts`) and the scan (`scan.ts`) find it.
 */

import { type Matcher, RE2JS, RE2JSSyntaxException, RE2Set } from 're2js';
import { compileFirst } from './compile-first.ts';
import {
  type CustomPattern,
  type CustomScanResult,
  checkFlags,
  escapeRegExp,
  MAX_CUSTOM_INPUT,
  MAX_PATTERN_LENGTH,
  MAX_PROGRAM_SIZE,
  OVERLAP,
  registerPatternEngine,
  WINDOW,
} from './custom-rules.ts';
import type { Confidence, Detection } from './detectors.ts';
import { mask, PROXIMITY } from './finding-text.ts';
import { firstAtOrAfter, itself } from './sorted.ts';

// Everything that needs no engine lives in custom-rules.ts; re-exported for existing callers.
export {
  ALLOWED_FLAGS,
  type CompiledWordList,
  type CustomPattern,
  type CustomScanResult,
  type CustomWordList,
  checkFlags,
  compileWordList,
  DEFAULT_SCAN_BUDGET_MS,
  MAX_CUSTOM_INPUT,
  MAX_PATTERN_LENGTH,
  MAX_PROGRAM_SIZE,
  MAX_WORDS_PER_LIST,
  OVERLAP,
  scanWordLists,
  WINDOW,
} from './custom-rules.ts';

const now = (): number => globalThis.performance?.now() ?? Date.now();

const WHY_LINEAR =
  'Steward runs school patterns on a linear-time engine (RE2) so that no pattern can freeze a ' +
  "member of staff's compose window";

/**
 * A reason an admin can act on for a pattern RE2 refuses: what the feature is, why it is not
 * available, and what to write instead where there is an alternative.
 */
export function explainRefusal(error: RE2JSSyntaxException): string {
  const code = error.error ?? '';
  const at = error.input ?? '';
  if (code === 'invalid escape sequence' && /^\\[1-9]/.test(at)) {
    return `backreference ${at} is not supported: ${WHY_LINEAR}, and a backreference needs backtracking. Match the repeated text explicitly instead`;
  }
  if (code === 'invalid escape sequence' && at.startsWith('\\k')) {
    return `named backreference (\\k<…>) is not supported: ${WHY_LINEAR}, and a backreference needs backtracking`;
  }
  if (at.startsWith('(?=') || at.startsWith('(?!')) {
    return `lookahead ${at.slice(0, 3)}…) is not supported: ${WHY_LINEAR}, which has no lookaround. Match the following text as part of the pattern, or use keywords for context`;
  }
  if (at.startsWith('(?<=') || at.startsWith('(?<!')) {
    return `lookbehind ${at.slice(0, 4)}…) is not supported: ${WHY_LINEAR}, which has no lookaround. Match the preceding text as part of the pattern, or use keywords for context`;
  }
  if (code === 'invalid escape sequence' && /^\\u/.test(at)) {
    return `${at} is not understood: write a character by its code as \\x{00E9}`;
  }
  if (code === 'invalid repeat count') {
    return `repeat count ${at} is too large or out of order (at most 1000)`;
  }
  return at ? `${code}: ${at}` : code || error.message;
}

const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always matches by Unicode code point; `u` changes nothing.
  u: 0,
};

function flagBits(flags: string): number {
  let bits = 0;
  for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
  return bits;
}

/** Compile for RE2, or say why not. Assumes `flags` passed `checkFlags`. */
function compileRe2(source: string, flags: string): RE2JS | string {
  if (source.length === 0) return 'empty pattern';
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, flagBits(flags));
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return explainRefusal(error);
    return error instanceof Error ? error.message : String(error);
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    return `too complex (${re.programSize()} steps once compiled, limit ${MAX_PROGRAM_SIZE}); split it into simpler patterns`;
  }
  if (re.testExact('')) return 'matches empty text';
  return re;
}

/** Why this pattern cannot be used, or null if it can. */
export function checkPattern(source: string, flags = ''): string | null {
  const flagError = checkFlags(flags);
  if (flagError) return flagError;
  const re = compileRe2(source, flags);
  return typeof re === 'string' ? re : null;
}

export type CompiledPattern = {
  name: string;
  re: RE2JS;
  /**
   * The pattern without `\b`/`\B`, or null when it has none. Dropping an assertion only widens
   * what matches, so where this does not match the pattern cannot either; and unlike the pattern
   * it runs on re2js's fast DFA (word boundaries force the slower NFA).
   */
  wide: { source: string; re: RE2JS } | null;
  /** The flags as an inline group prefix for a combined set, e.g. `(?i:`; '' for none. */
  inline: string;
  keywords: RegExp | null;
  /** The keywords themselves, lower-cased, for `keywordIndex`. */
  keywordList: string[];
  /**
   * One search per keyword (escaped, `gi`), made and compiled with the policy rather than in
   * each scan (`compile-first.ts`).
   */
  keywordSearches: RegExp[];
  /**
   * Where a match can start (`startsOf`): a plain character-class sequence, or null when the
   * program could not be read (then every position is tried, as before).
   */
  starts: Starts | null;
  /**
   * Whether the whole-text filter (the wide form, else the pattern) has zero-width conditions
   * (`^`, `$`, `\A`, `\z`, `\b`): then a window's edge can make a match the whole text does not
   * have, and the whole-text test must decide, as it always did. Without them, a window can only
   * match where the whole text does, so the test can be left out without changing any finding.
   */
  edgeSensitive: boolean;
  /**
   * `(?s:.)(?:pattern)`: matched anchored at `start - 1`, its match less the one character taken
   * first is the pattern's match anchored at `start` with the character before it in view, as in a
   * window searched whole (`matchAt`). Null if it did not compile: then windows are searched whole.
   */
  shifted: RE2JS | null;
};

// ---------------------------------------------------------------------------------------------
// Where a match can start, read from the compiled RE2 program

/** re2js instruction codes (`Inst` in re2js, not exported; checked by the equivalence tests). */
const OP = {
  ALT: 1,
  ALT_MATCH: 2,
  CAPTURE: 3,
  EMPTY_WIDTH: 4,
  FAIL: 5,
  MATCH: 6,
  NOP: 7,
  RUNE: 8,
  RUNE1: 9,
  RUNE_ANY: 10,
  RUNE_ANY_NOT_NL: 11,
} as const;
const FOLD_CASE = 1;
type ProgInst = {
  op: number;
  out: number;
  arg: number;
  runes: ArrayLike<number>;
  matchRune(r: number): boolean;
};
/** How many characters of a match the start filter looks at. */
const START_DEPTH = 4;

/** RE2's empty-width flag for `\b` (`Utils.EMPTY_WORD_BOUNDARY` in re2js). */
const EMPTY_WORD_BOUNDARY = 16;

/**
 * The rune instructions reachable from `pcs` without consuming a character, or null if unread;
 * `boundary`: whether every path to them (and to no match) passed a `\b`.
 */
function closure(
  inst: readonly ProgInst[],
  pcs: number[],
): { runes: ProgInst[]; canEnd: boolean; boundary: boolean } | null {
  const runes = new Set<ProgInst>();
  const seen = new Set<number>();
  // Each entry: program counter × 2, plus 1 once the path has passed a `\b`.
  const stack = pcs.map((pc) => pc * 2);
  let canEnd = false;
  let boundary = true;
  while (stack.length > 0) {
    const state = stack.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    const pc = state >> 1;
    let passed = state & 1;
    const i = inst[pc];
    if (!i) return null;
    switch (i.op) {
      case OP.ALT:
      case OP.ALT_MATCH:
        stack.push(i.out * 2 + passed, i.arg * 2 + passed);
        break;
      // Zero-width conditions (\b, ^, $) are taken as met: that only widens the starts.
      case OP.EMPTY_WIDTH:
        if ((i.arg & EMPTY_WORD_BOUNDARY) !== 0) passed = 1;
        stack.push(i.out * 2 + passed);
        break;
      case OP.CAPTURE:
      case OP.NOP:
        stack.push(i.out * 2 + passed);
        break;
      case OP.FAIL:
        break;
      case OP.MATCH:
        canEnd = true;
        if (!passed) boundary = false;
        break;
      case OP.RUNE:
      case OP.RUNE1:
      case OP.RUNE_ANY:
      case OP.RUNE_ANY_NOT_NL:
        runes.add(i);
        if (!passed) boundary = false;
        break;
      default:
        return null; // lookbehind or anything newer: not read
    }
  }
  return { runes: [...runes], canEnd, boundary };
}

const orbits = new Map<number, [number, number][] | null>();

/**
 * Every character a case-insensitive `rune` matches, as ranges: RE2 spells a one-character class
 * under `(?i)` out in full, with the same folding its case-insensitive literals use.
 */
function foldOrbit(rune: number): [number, number][] | null {
  let orbit = orbits.get(rune);
  if (orbit !== undefined) return orbit;
  orbit = null;
  try {
    const prog = programOf(RE2JS.compile(`[\\x{${rune.toString(16)}}]`, RE2JS.CASE_INSENSITIVE));
    const runeInsts = prog?.inst.filter((i) => i && i.op >= OP.RUNE && i.op <= OP.RUNE_ANY_NOT_NL);
    const only = runeInsts?.length === 1 ? runeInsts[0]! : null;
    if (
      only &&
      only.op === OP.RUNE &&
      (only.arg & FOLD_CASE) === 0 &&
      only.runes.length % 2 === 0
    ) {
      orbit = [];
      for (let k = 0; k < only.runes.length; k += 2)
        orbit.push([only.runes[k]!, only.runes[k + 1]!]);
      // Sanity: the rune itself is in its orbit.
      if (!orbit.some(([lo, hi]) => lo <= rune && rune <= hi)) orbit = null;
    } else if (only?.runes.length === 1 && (only.arg & FOLD_CASE) !== 0 && rune < 0x80) {
      // RE2 writes a class that is exactly a letter and its other case as that letter, folded:
      // for an ASCII letter, its upper and lower case.
      const lower = rune | 0x20;
      orbit = [
        [lower & ~0x20, lower & ~0x20],
        [lower, lower],
      ];
      if (!only.matchRune(lower) || !only.matchRune(lower & ~0x20)) orbit = null;
    }
  } catch {
    orbit = null;
  }
  orbits.set(rune, orbit);
  return orbit;
}

const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;

/**
 * The UTF-16 code units a set of rune instructions can consume first, as the inside of a `[...]`
 * class, and whether one of them can also take a character outside the BMP (two code units, so
 * the filter must stop there and let any high surrogate through).
 */
function unitsOf(runes: ProgInst[]): { cls: string; units: number[]; astral: boolean } {
  const ranges: [number, number][] = [];
  let astral = false;
  for (const i of runes) {
    if (i.op === OP.RUNE_ANY || i.op === OP.RUNE_ANY_NOT_NL) {
      ranges.push([0, 0xffff]);
      astral = true;
    } else if (i.runes.length === 1 && (i.arg & FOLD_CASE) !== 0) {
      // Case-folded letter: the characters it folds with (k: K and the Kelvin sign), as RE2 itself
      // lists them for a one-letter class; if that cannot be read, any non-ASCII character.
      const orbit = foldOrbit(i.runes[0]!);
      if (orbit) {
        for (const [lo, hi] of orbit) {
          if (hi > 0xffff) astral = true;
          if (lo <= 0xffff) ranges.push([lo, Math.min(hi, 0xffff)]);
        }
      } else {
        for (let c = 0; c < 0x80; c++) if (i.matchRune(c)) ranges.push([c, c]);
        ranges.push([0x80, 0xffff]);
        astral = true;
      }
    } else if (i.runes.length === 1) {
      const r = i.runes[0]!;
      if (r > 0xffff) astral = true;
      else ranges.push([r, r]);
    } else {
      for (let k = 0; k + 1 < i.runes.length; k += 2) {
        const lo = i.runes[k]!;
        const hi = i.runes[k + 1]!;
        if (hi > 0xffff) astral = true;
        if (lo <= 0xffff) ranges.push([lo, Math.min(hi, 0xffff)]);
      }
    }
  }
  if (astral) ranges.push([0xd800, 0xdbff]);
  ranges.sort((a, b) => a[0] - b[0]);
  let cls = '';
  const units: number[] = [];
  let cur: [number, number] | null = null;
  const close = (r: [number, number]) => {
    cls += r[0] === r[1] ? hex(r[0]) : `${hex(r[0])}-${hex(r[1])}`;
    units.push(r[0], r[1]);
  };
  for (const r of ranges) {
    if (cur && r[0] <= cur[1] + 1) cur[1] = Math.max(cur[1], r[1]);
    else {
      if (cur) close(cur);
      cur = [r[0], r[1]];
    }
  }
  if (cur) close(cur);
  return { cls, units, astral };
}

/**
 * A plain `RegExp` that matches at (at least) every position where `re` can start a match: the
 * classes of the first few characters any match must begin with, read from the compiled program
 * by following every path (zero-width conditions taken as met). Null when the pattern can match
 * empty text, or the program holds something this reader does not know: then no filter is used.
 *
 * Sound because every match starting at p consumes, as its first characters, runes that rune
 * instructions reachable at those depths accept, and a rune inside the BMP is one UTF-16 unit.
 * The filter is a lookahead of fixed classes, so it is linear and cannot hang a page either.
 */
type Program = { inst: ProgInst[]; start: number; numLb?: number };

function programOf(re: RE2JS): Program | null {
  let prog: Program | undefined;
  try {
    prog = re.re2().prog as Program | undefined;
  } catch {
    return null;
  }
  if (!prog || !Array.isArray(prog.inst) || typeof prog.start !== 'number') return null;
  if ((prog.numLb ?? 0) > 0) return null;
  return prog;
}

/**
 * `re`: where a match can start in a text. `edge`: when `re` asks for a word boundary (`\b`
 * first in every branch), the same without it, tried at each window's first character, where the
 * window (searched on its own) has no character before it and so a boundary the text may lack.
 */
export type Starts = {
  re: RegExp;
  edge: RegExp | null;
  /**
   * The same classes, read directly (`startPositionsOfAll`): each as sorted, disjoint UTF-16 unit
   * ranges `[lo, hi, lo, hi, …]`, the first class also as an ASCII table; `boundary` when `re`
   * begins with `\b`. `re` and `edge` stay the definition the tests read.
   */
  classes: number[][];
  firstAscii: Uint8Array;
  boundary: boolean;
};

export function startsOf(re: RE2JS): Starts | null {
  const prog = programOf(re);
  if (!prog) return null;
  const classes: string[] = [];
  const unitClasses: number[][] = [];
  let current = closure(prog.inst, [prog.start]);
  const boundary = current?.boundary ?? false;
  for (let depth = 0; depth < START_DEPTH && current; depth++) {
    // A match may end here: characters beyond are not required.
    if (current.canEnd) break;
    const { cls, units, astral } = unitsOf(current.runes);
    classes.push(cls);
    unitClasses.push(units);
    if (astral) break;
    current = closure(
      prog.inst,
      current.runes.map((i) => i.out),
    );
  }
  if (!current || classes.length === 0) return null;
  const [first, ...rest] = classes;
  // RE2's `\b` is ASCII letters, digits and `_` either side, as is `\b` in a RegExp without `u`.
  const source = `[${first}]${rest.length > 0 ? `(?=${rest.map((c) => `[${c}]`).join('')})` : ''}`;
  const firstAscii = new Uint8Array(128);
  const firstUnits = unitClasses[0]!;
  for (let k = 0; k < firstUnits.length; k += 2) {
    for (let c = firstUnits[k]!; c <= firstUnits[k + 1]! && c < 128; c++) firstAscii[c] = 1;
  }
  const read = { classes: unitClasses, firstAscii, boundary };
  return boundary
    ? { re: new RegExp(`\\b${source}`, 'g'), edge: new RegExp(source, 'y'), ...read }
    : { re: new RegExp(source, 'g'), edge: null, ...read };
}

/** ASCII letters, digits and `_`: a word character for `\b` in a RegExp without `u`, and in RE2. */
function isWordUnit(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Whether the UTF-16 unit `c` lies in `units` (sorted, disjoint ranges `[lo, hi, …]`). */
function inUnits(units: number[], c: number): boolean {
  for (let k = 0; k < units.length; k += 2) {
    if (c < units[k]!) return false;
    if (c <= units[k + 1]!) return true;
  }
  return false;
}

/**
 * Whether `starts.re` (with `boundary`), or `starts.edge` (without), matches at `p`: the first
 * class holds the unit at `p`, a word boundary lies before it when asked for, and each later
 * class holds the unit after (a lookahead needs those units to exist).
 */
function startsAt(text: string, starts: Starts, p: number, boundary: boolean): boolean {
  const c = text.charCodeAt(p);
  const { classes } = starts;
  if (!(c < 128 ? starts.firstAscii[c] === 1 : inUnits(classes[0]!, c))) return false;
  if (boundary && starts.boundary) {
    const before = p > 0 && isWordUnit(text.charCodeAt(p - 1));
    if (before === isWordUnit(c)) return false;
  }
  if (p + classes.length > text.length) return false;
  for (let d = 1; d < classes.length; d++) {
    if (!inUnits(classes[d]!, text.charCodeAt(p + d))) return false;
  }
  return true;
}

type StartTables = {
  /** Per depth d: bit `b` of `ascii[d][c]`, the ASCII unit c can come d-th in filter chunk[b]. */
  ascii: Int32Array[];
  /** Per depth: the filters whose class there holds some unit from 128 up. */
  nonAscii: number[];
  /** Per depth d: the filters of at most d classes (nothing needed from there on). */
  atMost: number[];
  /** `ascii[0][c] | ascii[1][c]`: the filters the ASCII unit c can come first or second in. */
  firstOrSecond: Int32Array;
};

/**
 * Tables for up to 32 filters (`chunk`, indices into `all`), one per depth: which filters each
 * ASCII unit can stand at that depth of (every unit, for a filter with fewer classes). A position
 * is checked in full (`startsAt`) only when its first units pass every table.
 */
function startTables(all: readonly (Starts | null)[], chunk: number[]): StartTables {
  const t: StartTables = {
    ascii: [],
    nonAscii: [],
    atMost: [],
    firstOrSecond: new Int32Array(128),
  };
  for (let d = 0; d < START_DEPTH; d++) {
    const ascii = new Int32Array(128);
    let nonAscii = 0;
    let atMost = 0;
    for (const [b, i] of chunk.entries()) {
      const units = all[i]!.classes[d];
      const bit = 1 << b;
      if (!units) {
        atMost |= bit;
        for (let c = 0; c < 128; c++) ascii[c]! |= bit;
        nonAscii |= bit;
        continue;
      }
      for (let k = 0; k < units.length; k += 2) {
        for (let c = units[k]!; c <= units[k + 1]! && c < 128; c++) ascii[c]! |= bit;
      }
      if (units.length > 0 && units[units.length - 1]! >= 128) nonAscii |= bit;
    }
    t.ascii.push(ascii);
    t.nonAscii.push(nonAscii);
    t.atMost.push(atMost);
  }
  for (let c = 0; c < 128; c++) t.firstOrSecond[c] = t.ascii[0]![c]! | t.ascii[1]![c]!;
  return t;
}

/**
 * The first position from `from` whose first units pass `tables` for some filter, or -1: a tight
 * loop over character codes, apart so that it stays small for the optimising compiler.
 *
 * It reads every second unit first (h32-scan4): a pair can start at `p` only if the unit at
 * `p + 1` can come second in some filter, and at `p + 1` only if that unit can come first. So a
 * unit at `p + 1` in neither table (`firstOrSecond`, most units of running text) rules out both
 * `p` and `p + 1`, and the loop steps on by two; only otherwise is the pair at `p` read in full.
 */
function nextCandidate(text: string, from: number, tables: StartTables): number {
  const { ascii, nonAscii, atMost, firstOrSecond } = tables;
  const first = ascii[0]!;
  const second = ascii[1]!;
  const firstNonAscii = nonAscii[0]!;
  const secondNonAscii = nonAscii[1]!;
  const eitherNonAscii = firstNonAscii | secondNonAscii;
  const length = text.length;
  if (from >= length) return -1;
  let p = from;
  for (; p + 1 < length; p++) {
    const c = text.charCodeAt(p + 1);
    if ((c < 128 ? firstOrSecond[c]! : eitherNonAscii) === 0) {
      p++;
      continue;
    }
    const b = text.charCodeAt(p);
    let m = (b < 128 ? first[b]! : firstNonAscii) & (c < 128 ? second[c]! : secondNonAscii);
    if (m === 0) continue;
    // Two units pass: the next ones must too ("ca" begins many words, "case-" few).
    for (let d = 2; d < START_DEPTH && m !== 0; d++) {
      if (p + d >= length) {
        m &= atMost[d]!;
        break;
      }
      const u = text.charCodeAt(p + d);
      m &= u < 128 ? ascii[d]![u]! : nonAscii[d]!;
    }
    if (m !== 0) return p;
  }
  if (p !== length - 1) return -1;
  const c = text.charCodeAt(p);
  return ((c < 128 ? first[c]! : firstNonAscii) & atMost[1]!) !== 0 ? p : -1;
}

/**
 * For each pattern, every position in `text` where a match can start, ascending (window starts
 * included); null for a pattern without a start filter, or beyond `cap` possible starts (`\w+`-like
 * starts are everywhere: then listing them costs more than it saves, and the pattern is searched
 * as before, every window).
 *
 * The same positions as running each `starts.re` over the text (and `starts.edge` at each window
 * start), found in one pass for up to 32 patterns instead of one regular expression each. Not
 * only fewer passes: V8 stops optimising regular expressions compiled once a page has generated
 * over 1 MB of regular-expression code (the send-warning vocabulary alone generates more), and
 * these filters, compiled per policy, ran up to ten times slower then. A loop over character
 * codes costs the same whatever the page has compiled.
 */
export function startPositionsOfAll(
  text: string,
  all: readonly (Starts | null)[],
  cap: number,
): (number[] | null)[] {
  const out: (number[] | null)[] = all.map((s) => (s ? [] : null));
  const filtered = all.flatMap((s, i) => (s ? [i] : []));
  const length = text.length;
  for (let from = 0; from < filtered.length; from += 32) {
    const chunk = filtered.slice(from, from + 32);
    const tables = startTables(all, chunk);
    // The patterns still listing starts (one past `cap` drops a pattern's list).
    let listing = chunk.length === 32 ? -1 : (1 << chunk.length) - 1;
    for (let p = nextCandidate(text, 0, tables); p >= 0; p = nextCandidate(text, p + 1, tables)) {
      // The filters whose first two units pass here (`startsAt` checks each in full).
      const c0 = text.charCodeAt(p);
      const c1 = p + 1 < length ? text.charCodeAt(p + 1) : -1;
      let candidates =
        (c0 < 128 ? tables.ascii[0]![c0]! : tables.nonAscii[0]!) &
        (c1 < 0 ? tables.atMost[1]! : c1 < 128 ? tables.ascii[1]![c1]! : tables.nonAscii[1]!) &
        listing;
      while (candidates !== 0) {
        const lowest = candidates & -candidates;
        candidates &= candidates - 1;
        const i = chunk[31 - Math.clz32(lowest)]!;
        if (!startsAt(text, all[i]!, p, true)) continue;
        const list = out[i]!;
        if (list.length >= cap) {
          out[i] = null;
          listing &= ~lowest;
        } else list.push(p);
      }
      if (listing === 0) break;
    }
  }
  for (const [i, s] of all.entries()) {
    const list = out[i];
    if (!s?.edge || !list) continue;
    let added = false;
    for (let at = WINDOW; at < length; at += WINDOW) {
      if (startsAt(text, s, at, false)) {
        list.push(at);
        added = true;
      }
    }
    if (added) {
      list.sort((a, b) => a - b);
      out[i] = list.filter((at, k) => k === 0 || at !== list[k - 1]);
    }
  }
  return out;
}

/** `source` with every `\b` and `\B` outside a character class removed. */
export function withoutWordBoundaries(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (next === 'b' || next === 'B')) {
        i++;
        continue;
      }
      out += ch + next;
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    out += ch;
  }
  return out;
}

/**
 * Compile a custom pattern for RE2 (a policy object built without the schema gets the same
 * checks). Paid once per policy (`scan.ts` caches compiled policies). Keywords are literal
 * words, escaped, so `RegExp` is safe for them.
 */
export function compilePattern(
  p: CustomPattern,
): CompiledPattern | { name: string; error: string } {
  const flags = p.flags ?? '';
  const flagError = checkFlags(flags);
  if (flagError) return { name: p.name, error: flagError };
  const re = compileRe2(p.pattern, flags);
  if (typeof re === 'string') return { name: p.name, error: re };
  const keywords =
    p.keywords && p.keywords.length > 0
      ? new RegExp(p.keywords.map((k) => escapeRegExp(k.trim())).join('|'), 'gi')
      : null;
  const wideSource = withoutWordBoundaries(p.pattern);
  let wide: CompiledPattern['wide'] = null;
  if (wideSource !== p.pattern && wideSource.length > 0) {
    try {
      // `\b+` leaves a bare `+`: then there is no wider pattern, and the pattern itself is used.
      wide = { source: wideSource, re: RE2JS.compile(wideSource, flagBits(flags)) };
    } catch {
      wide = null;
    }
  }
  const inline = flags.replace(/u/g, '');
  const keywordList = p.keywords?.map((k) => k.trim()) ?? [];
  return {
    name: p.name,
    re,
    wide,
    inline: inline ? `(?${inline}:` : '',
    keywords,
    keywordList,
    keywordSearches: keywordList.map((k) => compileFirst(new RegExp(escapeRegExp(k), 'gi'))),
    starts: startsOf(re),
    edgeSensitive: hasZeroWidth(wide?.re ?? re),
    shifted: compileShifted(p.pattern, flags),
  };
}

function compileShifted(source: string, flags: string): RE2JS | null {
  try {
    return RE2JS.compile(`(?s:.)(?:${source})`, flagBits(flags));
  } catch {
    return null;
  }
}

/**
 * One matcher per compiled pattern, set on each new input with `resetMatcherInput` (h30-scan):
 * `re.matcher(input)` built a matcher, its group arrays and its look-behind state for every
 * window and every anchored try, ~50 KB a scan of issue 13's message. A reset matcher is a new
 * one on that input (no match, nothing appended), and no scan holds two of the same pattern's at
 * once: `matchAt` runs only where `scanCustomPatterns` has no window matcher of its own. It keeps
 * its last input (a window of the last text scanned) until the next.
 */
const matchers = new WeakMap<RE2JS, Matcher>();

export function matcherOn(re: RE2JS, input: string): Matcher {
  const m = matchers.get(re);
  if (m) return m.resetMatcherInput(input);
  const made = re.matcher(input);
  matchers.set(re, made);
  return made;
}

/** A UTF-16 high surrogate: RE2 reads it with the unit after it as one character. */
const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/**
 * The end of `p`'s match starting exactly at `at` in the window `[windowStart, windowEnd)`
 * searched on its own, or -1 if none starts there: what `p.re.matcher(window).find(at -
 * windowStart)` gives when its match starts at `at`. An anchored match looks only at the text from
 * `at` (a search from `at` tries each later position to the window's end when none starts there).
 * The window's context is kept: at its first character there is none before (a window searched on
 * its own starts its text), elsewhere the character before is consumed by `p.shifted`'s `(?s:.)`,
 * so `\b`, `\B` and `^` see it exactly as the whole window's search does. Before a high surrogate
 * `.` would take two units: there `window` (the window's text) is searched from `at` as before.
 */
function matchAt(
  text: string,
  p: CompiledPattern,
  shifted: RE2JS,
  windowStart: number,
  windowEnd: number,
  at: number,
  window: string,
): number {
  if (at === windowStart) {
    const m = matcherOn(p.re, window);
    return m.lookingAt() ? at + m.end() : -1;
  }
  if (isHighSurrogate(text.charCodeAt(at - 1))) {
    const m = matcherOn(p.re, window);
    return m.find(at - windowStart) && m.start() === at - windowStart ? windowStart + m.end() : -1;
  }
  const m = matcherOn(shifted, text.slice(at - 1, windowEnd));
  return m.lookingAt() ? at - 1 + m.end() : -1;
}

/** Whether the compiled program has zero-width conditions; true when it cannot be read. */
function hasZeroWidth(re: RE2JS): boolean {
  const prog = programOf(re);
  return !prog || prog.inst.some((i) => !i || i.op === OP.EMPTY_WIDTH || i.op > OP.RUNE_ANY_NOT_NL);
}

/**
 * Where each keyword occurs in the text, overlapping occurrences included, computed once per scan
 * of a pattern with keywords: then "is a keyword within PROXIMITY of this match" is a binary search
 * instead of a regular-expression pass over 600 characters per match. The same answer as testing
 * the keyword alternation on the slice [start - PROXIMITY, end + PROXIMITY): some keyword lies
 * wholly inside it. Keywords are escaped literals matched without `u`, one unit per character, so
 * an occurrence's length is the keyword's.
 */
type KeywordIndex = { length: number; at: number[] }[];

function keywordIndex(text: string, p: CompiledPattern): KeywordIndex {
  return p.keywordList.map((k, i) => {
    const re = p.keywordSearches[i]!;
    const at: number[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      at.push(m.index);
      re.lastIndex = m.index + 1;
    }
    re.lastIndex = 0;
    return { length: k.length, at };
  });
}

/**
 * `keywordNear`, without listing the whole text's keywords while there are few matches to judge:
 * each keyword searched in the match's slice [start - PROXIMITY, end + PROXIMITY) alone (where it
 * lies wholly inside that slice exactly when `keywordNear` finds it: a keyword is a literal, whose
 * matches depend on its own characters only), until the slices searched would add up to more than
 * the text; from then on, the index (`keywordIndex`). Issue 13's message: 29 matches with keywords,
 * 35 KB of slices against four passes over 100 KB.
 */
type KeywordLookup = { searched: number; index: KeywordIndex | null };

function keywordNearby(
  text: string,
  p: CompiledPattern,
  lookup: KeywordLookup,
  start: number,
  end: number,
): boolean {
  if (!lookup.index) {
    const from = Math.max(0, start - PROXIMITY);
    const to = Math.min(text.length, end + PROXIMITY);
    const cost = (to - from) * p.keywordSearches.length;
    if (lookup.searched + cost <= text.length) {
      lookup.searched += cost;
      const near = text.slice(from, to);
      for (const re of p.keywordSearches) {
        re.lastIndex = 0;
        const found = re.test(near);
        re.lastIndex = 0;
        if (found) return true;
      }
      return false;
    }
    lookup.index = keywordIndex(text, p);
  }
  return keywordNear(lookup.index, text.length, start, end);
}

function keywordNear(index: KeywordIndex, textLength: number, start: number, end: number): boolean {
  const from = Math.max(0, start - PROXIMITY);
  const to = Math.min(textLength, end + PROXIMITY);
  for (const { length, at } of index) {
    const lo = firstAtOrAfter(at, from, itself);
    if (lo < at.length && at[lo]! + length <= to) return true;
  }
  return false;
}

/**
 * The patterns that need the whole-text test (their wide forms) in one RE2 set: one DFA pass over
 * the text says which of them can match at all, instead of one pass each. Built once per subset.
 */
const sets = new WeakMap<CompiledPattern[], Map<string, RE2Set | null>>();

/** The set of `subset` (patterns of the compiled list `all`), built once per subset. */
function setOf(all: CompiledPattern[], subset: CompiledPattern[]): RE2Set | null {
  let built = sets.get(all);
  if (!built) {
    built = new Map();
    sets.set(all, built);
  }
  const key = subset.map((p) => all.indexOf(p)).join(',');
  if (built.has(key)) return built.get(key) ?? null;
  let set: RE2Set | null = new RE2Set();
  try {
    for (const p of subset) {
      const source = p.wide?.source ?? p.re.pattern();
      set.add(p.inline ? `${p.inline}${source})` : source);
    }
    set.compile();
  } catch {
    set = null;
  }
  built.set(key, set);
  return set;
}

/**
 * Run custom patterns with a shared deadline (`performance.now()` value). Each pattern first makes
 * one linear DFA pass over the text; only a pattern that matches is then located window by window.
 * Confidence: a pattern with `keywords` is `high` near one of them and `low` elsewhere; a pattern
 * without keywords is `medium` (the admin asked for exactly this shape).
 */
export function scanCustomPatterns(
  text: string,
  patterns: CompiledPattern[],
  deadline: number,
): CustomScanResult {
  const detections: Detection[] = [];
  const incomplete: CustomScanResult['incomplete'] = [];
  const limit = Math.min(text.length, MAX_CUSTOM_INPUT);
  const scanned = limit === text.length ? text : text.slice(0, limit);
  // Where each pattern can start; a pattern with none cannot match, not even at a window's edge.
  const cap = Math.max(256, scanned.length / 32);
  const startsOfEach = startPositionsOfAll(
    scanned,
    patterns.map((p) => p.starts),
    cap,
  );
  // The whole-text test (one DFA pass, slow in JavaScript: milliseconds on 100 KB) decided before
  // whether the windows were searched. It still does where it can change a finding: a pattern with
  // no start filter, or an edge-sensitive one (a window's edge can look like a text's start or
  // end). Those are tested together, in one RE2 set when there are several.
  const tested = patterns.filter((p, i) => !startsOfEach[i] || p.edgeSensitive);
  let candidates: Set<CompiledPattern> | null | undefined;
  const passes = (p: CompiledPattern): boolean => {
    if (candidates === undefined) {
      const set = tested.length > 1 ? setOf(patterns, tested) : null;
      candidates = set ? new Set(set.match(scanned).map((i) => tested[i]!)) : null;
    }
    return candidates ? candidates.has(p) : (p.wide?.re ?? p.re).test(scanned);
  };
  for (const [index, p] of patterns.entries()) {
    let stoppedAt = -1;
    const filter = p.wide?.re ?? p.re;
    // Possible match starts over the scanned text, and the first not yet behind the window.
    const starts = startsOfEach[index] ?? null;
    let next = 0;
    let keywords: KeywordLookup | null = null;
    if (now() > deadline) stoppedAt = 0;
    else if ((!starts || starts.length > 0) && (!starts || p.edgeSensitive ? passes(p) : true)) {
      for (let windowStart = 0; windowStart < limit; windowStart += WINDOW) {
        if (now() > deadline) {
          stoppedAt = windowStart;
          break;
        }
        const windowEnd = Math.min(limit, windowStart + WINDOW + OVERLAP);
        const lastWindow = windowStart + WINDOW >= limit;
        // Matches reported from this window start before `reportEnd` (in the overlap, they belong
        // to the next window). With a start filter, a window with no possible start there reports
        // nothing, and the search jumps from one possible start to the next: every match starts
        // at one, so each search finds the same leftmost match as searching on from the last.
        const reportEnd = lastWindow ? windowEnd : windowStart + WINDOW;
        if (starts) {
          while (next < starts.length && starts[next]! < windowStart) next++;
          if (next >= starts.length || starts[next]! >= reportEnd) continue;
        }
        const slice = text.slice(windowStart, windowEnd);
        const shifted = starts ? p.shifted : null;
        // One DFA pass says whether the window holds a match at all (most do not). With a start
        // list, each possible start is tried anchored instead (`matchAt`), which costs less.
        if (!shifted && !filter.test(slice)) continue;
        const m = shifted ? null : matcherOn(p.re, slice);
        let k = next;
        for (;;) {
          let index: number;
          let matchEnd: number;
          if (shifted && starts) {
            // The first possible start before `reportEnd` where a match starts, as a search from
            // `starts[k]` finds it (every match starts at a listed place).
            let end = -1;
            for (; k < starts.length && starts[k]! < reportEnd; k++) {
              end = matchAt(text, p, shifted, windowStart, windowEnd, starts[k]!, slice);
              if (end >= 0) break;
            }
            if (end < 0) break;
            index = starts[k]! - windowStart;
            matchEnd = end - windowStart;
          } else if (
            m &&
            (starts
              ? k < starts.length && starts[k]! < reportEnd && m.find(starts[k]! - windowStart)
              : m.find())
          ) {
            index = m.start();
            matchEnd = m.end();
          } else break;
          // Matches starting in the overlap belong to the next window.
          if (!lastWindow && index >= WINDOW) break;
          const resume = windowStart + Math.max(matchEnd, index + 1);
          if (starts) while (k < starts.length && starts[k]! < resume) k++;
          if (matchEnd === index) continue;
          const start = windowStart + index;
          const end = windowStart + matchEnd;
          let confidence: Confidence = 'medium';
          if (p.keywords) {
            keywords ??= { searched: 0, index: null };
            confidence = keywordNearby(text, p, keywords, start, end) ? 'high' : 'low';
          }
          detections.push({
            type: 'custom',
            confidence,
            start,
            end,
            preview: mask(text.slice(start, end), 2, 2),
            name: p.name,
          });
        }
      }
    }
    if (stoppedAt >= 0) {
      incomplete.push({
        name: p.name,
        reason: `stopped after ${stoppedAt} of ${text.length} characters: time budget used up`,
      });
    } else if (text.length > limit) {
      incomplete.push({
        name: p.name,
        reason: `only the first ${limit} of ${text.length} characters were scanned`,
      });
    }
  }
  return { detections, incomplete };
}

// Registered as this module loads: the worker, extension pages and the CLI import it directly; the
// webmail pages get it from the pattern-engine content script, only when the policy has patterns.
registerPatternEngine({
  checkPattern,
  compilePattern,
  scanCustomPatterns: (text, patterns, deadline) =>
    scanCustomPatterns(text, patterns as CompiledPattern[], deadline),
});
