/**
 * Admin-defined patterns and word lists (policy `compose.customPatterns`, `compose.customWords`).
 *
 * A custom regular expression runs in the page while a member of staff presses Send, on
 * JavaScript's backtracking engine, which cannot be interrupted. One careless pattern such as
 * `(\w+\s?)+$` takes exponential time on a line that almost matches and would freeze the compose
 * window (and risk the draft). So we defend in layers:
 *
 * 1. At policy time (`checkPatternSafety`), statically reject the shapes that backtrack
 *    catastrophically: a repeated group that itself repeats (`(a+)+`, `(\d*){2,}`), a repeated
 *    alternation (`(a|ab)*`), and backreferences (`\1`, `\k<x>`) which make matching NP-hard. Cap
 *    the source length. Reject patterns that match empty text (they would "find" everywhere).
 * 2. Still at policy time, time the pattern on adversarial inputs of growing length up to
 *    `PROBE_LENGTH` (longer than a scan window): shapes the static check misses (`\d+\d+\d+x`,
 *    polynomial rather than exponential) are caught before they reach a page, and the escalating
 *    lengths stop the probe itself from hanging on a bad pattern.
 * 3. At scan time (`scanCustomPatterns`), run each pattern over bounded windows of
 *    `WINDOW` characters (plus `OVERLAP` so that a match across a boundary is still seen), never
 *    over the whole message: the worst case of one `exec` is then bounded by what the probe
 *    measured. Check the clock between windows and stop at the time budget, reporting which
 *    patterns were cut short, so the warning can say the scan was incomplete instead of the page
 *    hanging. Input beyond `MAX_CUSTOM_INPUT` is not scanned by custom patterns at all.
 *
 * The built-in detectors are written to be linear and are not windowed.
 */

import type { Confidence, Detection } from './detectors.ts';
import { mask, PROXIMITY } from './detectors.ts';

export const MAX_PATTERN_LENGTH = 300;
export const ALLOWED_FLAGS = 'imsu';
export const WINDOW = 1024;
export const OVERLAP = 128;
export const MAX_CUSTOM_INPUT = 256 * 1024;
export const PROBE_LENGTH = 2048;
/** A pattern slower than this on any probe input is refused. */
export const PROBE_BUDGET_MS = 25;
export const DEFAULT_SCAN_BUDGET_MS = 30;
export const MAX_WORDS_PER_LIST = 1000;

export type CustomPattern = {
  name: string;
  pattern: string;
  flags?: string | undefined;
  minConfidence?: Confidence | undefined;
  keywords?: string[] | undefined;
};

export type CustomWordList = { name: string; words: string[] };

const now = (): number => globalThis.performance?.now() ?? Date.now();

/** "Invalid regular expression: /(a/g: Unterminated group" → "unterminated group". */
function syntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const last = message.slice(message.lastIndexOf(': ') + 2).trim();
  return last.charAt(0).toLowerCase() + last.slice(1);
}

type GroupState = { quantified: boolean; alternation: boolean };

/**
 * Walk the regex source once, tracking groups, to find shapes that backtrack catastrophically.
 * Returns a reason, or null. Assumes the source already compiles.
 */
function dangerousShape(source: string): string | null {
  const stack: GroupState[] = [{ quantified: false, alternation: false }];
  let lastClosed: GroupState | null = null;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) {
        return 'backreferences are not allowed: they can make matching take exponential time';
      }
      i++;
      lastClosed = null;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      lastClosed = null;
      continue;
    }
    if (ch === '(') {
      stack.push({ quantified: false, alternation: false });
      lastClosed = null;
      continue;
    }
    if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : null;
      lastClosed = group;
      if (group?.quantified) stack[stack.length - 1]!.quantified = true;
      continue;
    }
    if (ch === '|') {
      stack[stack.length - 1]!.alternation = true;
      lastClosed = null;
      continue;
    }
    let quantifier: { max: number; variable: boolean } | null = null;
    if (ch === '*' || ch === '+') quantifier = { max: Infinity, variable: true };
    else if (ch === '?') quantifier = { max: 1, variable: true };
    else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        quantifier = { max, variable: max !== min };
        i += m[0].length - 1;
      }
    }
    if (!quantifier) {
      lastClosed = null;
      continue;
    }
    if (source[i + 1] === '?') i++; // lazy quantifier: same risk
    // A fixed count inside (`(\d{3}-){2}`) cannot be split two ways, so only variable inner
    // repetition is dangerous; a small outer count is polynomial and left to the probe.
    if (lastClosed && (quantifier.max === Infinity || quantifier.max >= 5)) {
      if (lastClosed.quantified) {
        return 'nested quantifier: a repeated group that itself repeats (like (a+)+) can take exponential time';
      }
      if (lastClosed.alternation && quantifier.max === Infinity) {
        return 'repeated alternation (like (a|ab)*) can take exponential time; use a character class or a fixed count';
      }
    }
    if (!quantifier.variable) {
      lastClosed = null;
      continue;
    }
    stack[stack.length - 1]!.quantified = true;
    lastClosed = null;
  }
  return null;
}

/** Inputs that make backtracking patterns work hardest: long runs that almost match. */
function probeInputs(length: number): string[] {
  const runs = ['a', '1', ' ', 'aA1 ', 'a-', '.', 'x@', '\n'];
  return runs.map((r) => `${r.repeat(Math.ceil(length / r.length)).slice(0, length)}\u0000!`);
}

function timeProbe(re: RegExp, input: string): number {
  const started = now();
  re.lastIndex = 0;
  let guard = 0;
  for (let m = re.exec(input); m && guard < 10_000; m = re.exec(input), guard++) {
    if (m[0].length === 0) re.lastIndex++;
  }
  return now() - started;
}

/**
 * Why this pattern must not be used, or null if it is safe. Compiles it, rejects dangerous shapes,
 * then times it on adversarial inputs of growing length.
 */
export function checkPatternSafety(source: string, flags = ''): string | null {
  if (source.length === 0) return 'empty pattern';
  if (source.length > MAX_PATTERN_LENGTH) {
    return `longer than ${MAX_PATTERN_LENGTH} characters`;
  }
  const flagError = checkFlags(flags);
  if (flagError) return flagError;
  let re: RegExp;
  try {
    re = new RegExp(source, `${flags}g`);
  } catch (error) {
    return syntaxReason(error);
  }
  const shape = dangerousShape(source);
  if (shape) return shape;
  try {
    if (new RegExp(`^(?:${source})$`, flags).test('')) return 'matches empty text';
  } catch (error) {
    return syntaxReason(error);
  }
  for (let length = 64; length <= PROBE_LENGTH; length *= 2) {
    for (const input of probeInputs(length)) {
      // A garbage collection or JIT pause can make one run slow; a slow pattern is slow every
      // time. So a run over budget is repeated, and the fastest of three decides.
      let took = timeProbe(re, input);
      for (let retry = 0; retry < 2 && took > PROBE_BUDGET_MS; retry++) {
        took = Math.min(took, timeProbe(re, input));
      }
      if (took > PROBE_BUDGET_MS) {
        return `too slow: ${Math.round(took)} ms on a ${length}-character test text (limit ${PROBE_BUDGET_MS} ms)`;
      }
    }
  }
  return null;
}

export function checkFlags(flags: string): string | null {
  for (const f of flags) {
    if (!ALLOWED_FLAGS.includes(f)) {
      return `flag "${f}" is not allowed (use only ${ALLOWED_FLAGS.split('').join(', ')})`;
    }
  }
  if (new Set(flags).size !== flags.length) return 'a flag is repeated';
  return null;
}

export type CompiledPattern = {
  name: string;
  re: RegExp;
  keywords: RegExp | null;
};

export type CompiledWordList = { name: string; re: RegExp };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compile a custom pattern, re-checking its safety: the policy schema has done so already, but a
 * policy object built any other way must not be able to freeze the page either. The check is
 * paid once per policy (`scan.ts` caches compiled policies).
 */
export function compilePattern(
  p: CustomPattern,
): CompiledPattern | { name: string; error: string } {
  const flags = p.flags ?? '';
  const error = checkPatternSafety(p.pattern, flags);
  if (error) return { name: p.name, error };
  const keywords =
    p.keywords && p.keywords.length > 0
      ? new RegExp(p.keywords.map((k) => escapeRegExp(k.trim())).join('|'), 'gi')
      : null;
  return { name: p.name, re: new RegExp(p.pattern, `${flags}g`), keywords };
}

/**
 * Word lists are matched as whole words, case-insensitively, as one alternation of escaped
 * literals: linear, so no window or budget is needed.
 */
export function compileWordList(list: CustomWordList): CompiledWordList | null {
  const words = list.words.map((w) => w.trim()).filter((w) => w.length > 0);
  if (words.length === 0) return null;
  words.sort((a, b) => b.length - a.length);
  const body = words.map((w) => escapeRegExp(w).replace(/\s+/g, '\\s+')).join('|');
  return {
    name: list.name,
    re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'giu'),
  };
}

export type CustomScanResult = {
  detections: Detection[];
  /** Patterns not run to the end: over the time budget, or input beyond the cap. */
  incomplete: { name: string; reason: string }[];
};

function keywordNear(text: string, re: RegExp, start: number, end: number): boolean {
  const from = Math.max(0, start - PROXIMITY);
  const slice = text.slice(from, Math.min(text.length, end + PROXIMITY));
  re.lastIndex = 0;
  const hit = re.test(slice);
  re.lastIndex = 0;
  return hit;
}

/**
 * Run custom patterns over bounded windows with a shared deadline (`performance.now()` value).
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
  for (const p of patterns) {
    let stoppedAt = -1;
    for (let windowStart = 0; windowStart < limit; windowStart += WINDOW) {
      if (now() > deadline) {
        stoppedAt = windowStart;
        break;
      }
      const windowEnd = Math.min(limit, windowStart + WINDOW + OVERLAP);
      const slice = text.slice(windowStart, windowEnd);
      const lastWindow = windowStart + WINDOW >= limit;
      p.re.lastIndex = 0;
      for (let m = p.re.exec(slice); m; m = p.re.exec(slice)) {
        if (m[0].length === 0) {
          p.re.lastIndex++;
          continue;
        }
        // Matches starting in the overlap belong to the next window.
        if (!lastWindow && m.index >= WINDOW) break;
        const start = windowStart + m.index;
        const end = start + m[0].length;
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
          preview: mask(m[0], 2, 2),
          name: p.name,
        });
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

/** Word-list matches: `medium`, `high` when two different words of one list are close. */
export function scanWordLists(text: string, lists: CompiledWordList[]): Detection[] {
  const out: Detection[] = [];
  for (const list of lists) {
    const hits: { start: number; end: number; word: string }[] = [];
    list.re.lastIndex = 0;
    for (let m = list.re.exec(text); m; m = list.re.exec(text)) {
      hits.push({ start: m.index, end: m.index + m[0].length, word: m[0].toLowerCase() });
    }
    for (const h of hits) {
      const corroborated = hits.some(
        (o) => o.word !== h.word && o.start < h.end + PROXIMITY && o.end > h.start - PROXIMITY,
      );
      out.push({
        type: 'custom',
        confidence: corroborated ? 'high' : 'medium',
        start: h.start,
        end: h.end,
        preview: text.slice(h.start, h.end).replace(/\s+/g, ' '),
        name: list.name,
      });
    }
  }
  return out;
}
