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
 * everywhere). At scan time one DFA pass over the whole text (all patterns together as an RE2 set,
 * word boundaries dropped so the fast DFA can run) says which patterns can match at all (the usual
 * answer is none); only those are then located, window by window (`WINDOW` plus
 * `OVERLAP` so a match across a boundary is still seen), with the clock checked between windows, so
 * even a pattern matching everywhere in a 256 KB paste cannot hold Send beyond the time budget; what
 * was cut short is reported (`scanMessageWithReport().incomplete`).
 *
 * Loaded only where patterns are used (see custom-rules.ts): importing this module registers the
 * engine, so the policy check (`policy.ts`) and the scan (`scan.ts`) find it.
 */

import { RE2JS, RE2JSSyntaxException, RE2Set } from 're2js';
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
};

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
  return { name: p.name, re, wide, inline: inline ? `(?${inline}:` : '', keywords };
}

function keywordNear(text: string, re: RegExp, start: number, end: number): boolean {
  const from = Math.max(0, start - PROXIMITY);
  const slice = text.slice(from, Math.min(text.length, end + PROXIMITY));
  re.lastIndex = 0;
  const hit = re.test(slice);
  re.lastIndex = 0;
  return hit;
}

/**
 * All of a policy's patterns (their wide forms) in one RE2 set: one DFA pass over the text says
 * which of them can match at all, instead of one pass each. Built once per compiled list.
 */
const sets = new WeakMap<CompiledPattern[], RE2Set | null>();

function setOf(patterns: CompiledPattern[]): RE2Set | null {
  if (sets.has(patterns)) return sets.get(patterns) ?? null;
  let set: RE2Set | null = new RE2Set();
  try {
    for (const p of patterns) {
      const source = p.wide?.source ?? p.re.pattern();
      set.add(p.inline ? `${p.inline}${source})` : source);
    }
    set.compile();
  } catch {
    set = null;
  }
  sets.set(patterns, set);
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
  const set = patterns.length > 1 ? setOf(patterns) : null;
  const candidates = set ? new Set(set.match(scanned)) : null;
  for (const [index, p] of patterns.entries()) {
    let stoppedAt = -1;
    const filter = p.wide?.re ?? p.re;
    if (now() > deadline) stoppedAt = 0;
    else if (candidates ? candidates.has(index) : filter.test(scanned)) {
      for (let windowStart = 0; windowStart < limit; windowStart += WINDOW) {
        if (now() > deadline) {
          stoppedAt = windowStart;
          break;
        }
        const windowEnd = Math.min(limit, windowStart + WINDOW + OVERLAP);
        const slice = text.slice(windowStart, windowEnd);
        if (!filter.test(slice)) continue;
        const lastWindow = windowStart + WINDOW >= limit;
        const m = p.re.matcher(slice);
        while (m.find()) {
          const index = m.start();
          const matchEnd = m.end();
          // Matches starting in the overlap belong to the next window.
          if (!lastWindow && index >= WINDOW) break;
          if (matchEnd === index) continue;
          const start = windowStart + index;
          const end = windowStart + matchEnd;
          const confidence: Confidence = p.keywords
            ? keywordNear(text, p.keywords, start, end)
              ? 'high'
              : 'low'
            : 'medium';
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
