/**
 * The school's own rules for the send warning (policy `compose.customPatterns` and
 * `compose.customWords`) without the pattern engine: their types and limits, the word lists (plain
 * escaped literals, safe on `RegExp`) and the hand-over point for the engine that runs patterns.
 *
 * Why the engine is separate: school patterns run on re2js (RE2, linear time; `custom-patterns.ts`),
 * which is 151 KB minified. Most schools write no patterns, so the webmail content script does not
 * carry it: when the policy has patterns, the service worker injects `content-scripts/
 * pattern-engine.js` into that webmail frame's isolated world, which registers the engine here.
 * Email text never leaves the page for it. Extension pages, the worker and the CLI import
 * `custom-patterns.ts`, which registers the same engine as it loads.
 */

import { compileFirst } from './compile-first.ts';
import type { Confidence, Detection } from './detectors.ts';
import { PROXIMITY } from './finding-text.ts';

/** Runs of whitespace in a word list's hit, shown as one space (module-level: no RegExp per hit). */
const SPACES = /\s+/g;

export const MAX_PATTERN_LENGTH = 300;
/** RE2 program instructions; `[\p{L}]{1000}` is about 1,000, ordinary patterns a few dozen. */
export const MAX_PROGRAM_SIZE = 5000;
export const ALLOWED_FLAGS = 'imsu';
export const WINDOW = 1024;
export const OVERLAP = 128;
export const MAX_CUSTOM_INPUT = 256 * 1024;
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

export type CustomScanResult = {
  detections: Detection[];
  /** Patterns not run to the end: over the time budget, or input beyond the cap. */
  incomplete: { name: string; reason: string }[];
};

/** A compiled pattern, opaque outside the engine. */
export type EnginePattern = { readonly name: string };

/** What the engine offers; `custom-patterns.ts` is the only implementation. */
export type PatternEngine = {
  /** Why this pattern cannot be used, or null if it can. */
  checkPattern(source: string, flags?: string): string | null;
  compilePattern(p: CustomPattern): EnginePattern | { name: string; error: string };
  scanCustomPatterns(text: string, patterns: EnginePattern[], deadline: number): CustomScanResult;
};

// A symbol on the global object: shared by the two scripts in one isolated world, out of the page's
// reach (the page's own world has a different global object).
const ENGINE = Symbol.for('steward.dlp.patternEngine');
type EngineHolder = { [ENGINE]?: PatternEngine };

/** Register the engine (null only in tests, to stand for a page it was never injected into). */
export function registerPatternEngine(engine: PatternEngine | null): void {
  if (engine) (globalThis as EngineHolder)[ENGINE] = engine;
  else delete (globalThis as EngineHolder)[ENGINE];
}

/** The pattern engine if it is loaded here, else null. */
export function patternEngine(): PatternEngine | null {
  return (globalThis as EngineHolder)[ENGINE] ?? null;
}

/** Does this policy need the pattern engine (it has patterns and `custom` is not turned off)? */
export function needsPatternEngine(policy: {
  customPatterns: readonly unknown[];
  disabledDetectors: readonly string[];
}): boolean {
  return policy.customPatterns.length > 0 && !policy.disabledDetectors.includes('custom');
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

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type CompiledWordList = { name: string; re: RegExp };

/**
 * Each word list compiled in this page, by name and words: a list compiled again (the policy
 * compiled once more when the pattern engine arrives after a scan, or a managed-policy update that
 * keeps the list) gets the regular expression compiled the first time, before the vocabulary ran.
 * Compiled after it, V8 leaves it unoptimised for the life of the page (`compile-first.ts`): the
 * same list then took about 1.2 ms on a 100 KB message instead of 0.1 ms (h8-scan8).
 */
const compiledWordLists = new Map<string, CompiledWordList>();
/** Lists kept at most (a policy holds at most 50): past it, the oldest are compiled again. */
const KEPT_WORD_LISTS = 200;

/**
 * Word lists are matched as whole words, case-insensitively, as one alternation of escaped
 * literals: linear, so no window or budget is needed.
 */
export function compileWordList(list: CustomWordList): CompiledWordList | null {
  const words = list.words.map((w) => w.trim()).filter((w) => w.length > 0);
  if (words.length === 0) return null;
  words.sort((a, b) => b.length - a.length);
  const body = words.map((w) => escapeRegExp(w).replace(/\s+/g, '\\s+')).join('|');
  const key = `${list.name}\u0000${body}`;
  const known = compiledWordLists.get(key);
  if (known) return known;
  const compiled = {
    name: list.name,
    // Compiled now, with the policy: the first scan compiles the policy before the vocabulary
    // runs (`compile-first.ts`).
    re: compileFirst(new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'giu')),
  };
  if (compiledWordLists.size >= KEPT_WORD_LISTS) {
    compiledWordLists.delete(compiledWordLists.keys().next().value!);
  }
  compiledWordLists.set(key, compiled);
  return compiled;
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
        preview: text.slice(h.start, h.end).replace(SPACES, ' '),
        name: list.name,
      });
    }
  }
  return out;
}
