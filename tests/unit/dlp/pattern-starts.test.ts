/**
 * School patterns are searched only from the places a match can start (`startsOf`, read from the
 * compiled RE2 program), with keyword proximity looked up in an index. This must find exactly what
 * the plain windowed search found: same matches, same offsets, same confidence. The plain search is
 * kept here as the reference (it is the code the scan ran before), and both run over texts built to
 * break a careless filter: matches across window edges, case folding to and from non-ASCII letters
 * (the Kelvin sign folds to k, the long s to s), characters outside the BMP, lone surrogates,
 * anchors, word boundaries at window edges, overlapping keywords.
 */
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import {
  type CompiledPattern,
  type CustomPattern,
  compilePattern,
  OVERLAP,
  type Starts,
  scanCustomPatterns,
  startPositionsOfAll,
  startsOf,
  WINDOW,
} from '../../../lib/dlp/custom-patterns.ts';
import type { Detection } from '../../../lib/dlp/detectors.ts';
import { mask, PROXIMITY } from '../../../lib/dlp/finding-text.ts';
import { SCHOOL_PATTERNS } from '../../fixtures/dlp-corpus/scan-snapshot.ts';

/** The windowed search as it was before start filters (no budget, no input cap needed here). */
function reference(text: string, p: CompiledPattern): Detection[] {
  const out: Detection[] = [];
  const filter = p.wide?.re ?? p.re;
  if (!filter.test(text)) return out;
  for (let windowStart = 0; windowStart < text.length; windowStart += WINDOW) {
    const windowEnd = Math.min(text.length, windowStart + WINDOW + OVERLAP);
    const slice = text.slice(windowStart, windowEnd);
    if (!filter.test(slice)) continue;
    const lastWindow = windowStart + WINDOW >= text.length;
    const m = p.re.matcher(slice);
    while (m.find()) {
      const index = m.start();
      const matchEnd = m.end();
      if (!lastWindow && index >= WINDOW) break;
      if (matchEnd === index) continue;
      const start = windowStart + index;
      const end = windowStart + matchEnd;
      let confidence: Detection['confidence'] = 'medium';
      if (p.keywords) {
        const from = Math.max(0, start - PROXIMITY);
        const near = text.slice(from, Math.min(text.length, end + PROXIMITY));
        p.keywords.lastIndex = 0;
        confidence = p.keywords.test(near) ? 'high' : 'low';
        p.keywords.lastIndex = 0;
      }
      out.push({
        type: 'custom',
        confidence,
        start,
        end,
        preview: mask(text.slice(start, end), 2, 2),
        name: p.name,
      });
    }
  }
  return out;
}

/**
 * Where a match can start, by the filter's definition: every match of `starts.re` over the text,
 * and `starts.edge` tried at each window start; null beyond `cap` (the code the scan ran before
 * the filters were read by hand).
 */
function referenceStarts(text: string, starts: Starts, cap: number): number[] | null {
  const out: number[] = [];
  starts.re.lastIndex = 0;
  for (let m = starts.re.exec(text); m; m = starts.re.exec(text)) {
    if (out.length >= cap) return null;
    out.push(m.index);
  }
  if (!starts.edge) return out;
  for (let at = WINDOW; at < text.length; at += WINDOW) {
    starts.edge.lastIndex = at;
    if (starts.edge.test(text)) out.push(at);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'a',
  'k',
  'K',
  '\u212a', // Kelvin sign: folds to k
  's',
  '\u017f', // long s: folds to s
  'ß',
  'é',
  'É',
  '😀',
  '\u{10400}', // Deseret capital long i (folds to U+10428)
  '\u{10428}',
  '\ud800', // lone high surrogate
  '\udc00', // lone low surrogate
  ' ',
  '  ',
  '\n',
  '\t',
  '-',
  '.',
  ':',
  '/',
  '!',
  '0',
  '1',
  '7',
  '2024',
  '12345678',
  'P4482913',
  'STF-20417',
  'CASE-2024-0173',
  'case-ab12345',
  'CP-118204',
  'MASH referral 20240931',
  'Room S12',
  'rm b4',
  'AST-004512',
  'ADM004127',
  'bursary award 350',
  'candidate',
  'Candidate Number',
  'date',
  'salary',
  'ABCDEF',
  'Project Kestrel',
  'word',
  'words',
  'sword',
  'ing',
  'straße',
  'STRASSE',
  'x',
  'y',
  'xy',
];

function text(seed: number, length: number): string {
  const next = random(seed);
  let out = '';
  while (out.length < length) out += PIECES[Math.floor(next() * PIECES.length)]!;
  return out;
}

const PATTERNS: CustomPattern[] = [
  ...SCHOOL_PATTERNS.customPatterns,
  { name: 'Kelvin', pattern: 'k\\w+', flags: 'i' },
  { name: 'Long s', pattern: 's+', flags: 'i' },
  { name: 'Sharp s', pattern: 'straße', flags: 'i' },
  { name: 'Not letters', pattern: '[^a-z]{3}' },
  { name: 'Any two then x', pattern: '.{2}x' },
  { name: 'Any two then x, s', pattern: '.{2}x', flags: 's' },
  { name: 'Line start', pattern: '^\\d+' },
  { name: 'Line start, m', pattern: '^\\d+', flags: 'm' },
  { name: 'Line end, m', pattern: '\\d+$', flags: 'm' },
  { name: 'Word', pattern: '\\bword\\b' },
  { name: 'Not word start', pattern: '\\Bing\\b' },
  // A boundary before a character that is not a word character: a word character must precede it.
  { name: 'Boundary before a sign', pattern: '\\b[-#]\\d+' },
  { name: 'POSIX class', pattern: '[[:alpha:]]+\\d' },
  { name: 'Unicode letters', pattern: '\\pL{3}\\d' },
  { name: 'Emoji', pattern: '😀+' },
  { name: 'Deseret', pattern: '\\x{10400}', flags: 'i' },
  { name: 'Astral range', pattern: '[\\x{10000}-\\x{10FFFF}]a' },
  { name: 'Optional start', pattern: 'x*y' },
  { name: 'Alternation', pattern: '(?:ab|a|AST)-?\\d' },
  { name: 'Long run', pattern: '[A-Z]+\\s*[A-Z]+\\s*[A-Z]+\\d' },
  { name: 'Nested', pattern: '(\\w+\\s?)+!' },
  { name: 'Digits across windows', pattern: '\\d{3,}' },
  { name: 'Spaces', pattern: ' {2,}' },
  {
    name: 'Overlapping keywords',
    pattern: '\\d{4}',
    keywords: ['date', 'candidate', 'Candidate number', 'DAT'],
  },
  { name: 'Astral keyword', pattern: '[0-9]+', keywords: ['😀', '\u212a'] },
  // Each possible start is tried anchored (`matchAt`): the match chosen there must be the one a
  // search of the whole window chooses (first alternative, lazy and greedy repeats), and the
  // character before the start must count for \b, \B and ^ as it does in the window.
  { name: 'First alternative', pattern: 'a|ab|abc' },
  { name: 'Lazy', pattern: 'k\\w+?s?', flags: 'i' },
  { name: 'Greedy then lazy', pattern: '\\d+?\\d*-?' },
  { name: 'Inline flags', pattern: '(?i)case|STF' },
  { name: 'Not a boundary first', pattern: '\\B\\d{2}' },
  { name: 'Line start in a branch', pattern: '(?:^|x)\\d', flags: 'm' },
  { name: 'Text start in a branch', pattern: '(?:^|y)\\d' },
  // After a lone high surrogate ('\ud800' then 'a'), where `(?s:.)` would take two units.
  { name: 'After a surrogate', pattern: '\\Ba\\w|\\ba\\d|😀a' },
  { name: 'Group and end', pattern: '(s|ß)(t?)$', flags: 'mi' },
];

describe('school patterns searched from where a match can start', () => {
  it('reads a start filter for ordinary patterns and none where a match can be empty', () => {
    expect(startsOf(RE2JS.compile('P\\d{7}\\b'))?.re.source).toBe(
      '[\\u0050](?=[\\u0030-\\u0039][\\u0030-\\u0039][\\u0030-\\u0039])',
    );
    // A word boundary first in every branch is part of the filter, and left out at window edges.
    const bounded = startsOf(RE2JS.compile('\\b(?:Room|Rm)\\d'));
    expect(bounded?.re.source.startsWith('\\b[')).toBe(true);
    expect(bounded?.edge?.source.startsWith('[')).toBe(true);
    expect(startsOf(RE2JS.compile('(?:\\bRoom|Rm)\\d'))?.edge).toBeNull();
    // An empty match possible at the start: nothing to filter on.
    expect(startsOf(RE2JS.compile('x*'))).toBeNull();
    expect(startsOf(RE2JS.compile('\\b'))).toBeNull();
    // Folded letters let every non-ASCII character through (the Kelvin sign is a k).
    expect(startsOf(RE2JS.compile('k', RE2JS.CASE_INSENSITIVE))!.re.test('\u212a')).toBe(true);
  });

  it('finds exactly what the plain windowed search finds, on texts built to break it', () => {
    const compiled = PATTERNS.map((p) => {
      const c = compilePattern(p);
      if ('error' in c) throw new Error(`${p.name}: ${c.error}`);
      return c;
    });
    expect(compiled.filter((c) => c.starts !== null).length).toBeGreaterThan(25);
    let compared = 0;
    for (let seed = 1; seed <= 24; seed++) {
      // Around one, two and three windows (and their overlaps), and a short one.
      const t = text(
        seed,
        [200, WINDOW + OVERLAP + 5, 2 * WINDOW + 40, 3 * WINDOW + 700][seed % 4]!,
      );
      for (const c of compiled) {
        const expected = reference(t, c);
        const actual = scanCustomPatterns(t, [c], Number.POSITIVE_INFINITY).detections;
        expect(actual, `${c.name} on seed ${seed}`).toEqual(expected);
        compared += expected.length;
      }
      // All together (the set pass for the unfiltered ones) gives the same, pattern by pattern.
      const together = scanCustomPatterns(t, compiled, Number.POSITIVE_INFINITY).detections;
      expect(together).toEqual(compiled.flatMap((c) => reference(t, c)));
    }
    // The texts really hold matches, so the comparison means something.
    expect(compared).toBeGreaterThan(5000);
  });

  it('lists the same starts on short texts dense with start units, to their last unit (h32-scan4)', () => {
    // The one pass reads every second unit first and steps two units past one that can neither
    // begin nor follow a start: texts of every length up to 40 from the units the filters begin
    // with, a few others and one beyond ASCII, so a start can sit at any parity and at the end.
    const starts = [...PATTERNS, ...SCHOOL_PATTERNS.customPatterns].map((p) => {
      const c = compilePattern(p);
      if ('error' in c) throw new Error(`${p.name}: ${c.error}`);
      return c.starts;
    });
    const units = 'PpSTFCcAaEeMmRrOoBbUuDd0123-/. \n_x\u00e9';
    const next = random(32);
    let listed = 0;
    for (let n = 0; n < 20000; n++) {
      let t = '';
      const length = n % 41;
      for (let i = 0; i < length; i++) t += units[Math.floor(next() * units.length)];
      // The school's ten together (few units pass their tables), then each filter alone.
      for (const group of [starts.slice(PATTERNS.length), [starts[n % starts.length]!]]) {
        const actual = startPositionsOfAll(t, group, Number.POSITIVE_INFINITY);
        group.forEach((s, i) => {
          const expected = s ? referenceStarts(t, s, Number.POSITIVE_INFINITY) : null;
          expect(actual[i], `${JSON.stringify(t)}, filter ${i}`).toEqual(expected);
          listed += expected?.length ?? 0;
        });
      }
    }
    expect(listed).toBeGreaterThan(1000);
  });

  it('lists the same possible starts as the filters run as regular expressions, in one pass', () => {
    const starts = PATTERNS.map((p) => {
      const c = compilePattern(p);
      if ('error' in c) throw new Error(`${p.name}: ${c.error}`);
      return c.starts;
    });
    // More than 32 filters: the one pass runs in chunks of 32.
    expect(starts.filter((s) => s !== null).length).toBeGreaterThan(32);
    let listed = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const t = text(
        seed,
        [200, WINDOW + OVERLAP + 5, 2 * WINDOW + 40, 3 * WINDOW + 700][seed % 4]!,
      );
      // No cap, a cap some patterns pass, and one at the edge of the count.
      for (const cap of [Number.POSITIVE_INFINITY, 40, 7.5]) {
        const actual = startPositionsOfAll(t, starts, cap);
        starts.forEach((s, i) => {
          const expected = s ? referenceStarts(t, s, cap) : null;
          expect(actual[i], `${PATTERNS[i]!.name} on seed ${seed}, cap ${cap}`).toEqual(expected);
          listed += expected?.length ?? 0;
        });
      }
    }
    expect(listed).toBeGreaterThan(5000);
  });

  it('finds a match a window edge splits from the word before it, as the windows always did', () => {
    const c = compilePattern({ name: 'Staff ID', pattern: '\\bSTF-?\\d{5,6}\\b' });
    if ('error' in c) throw new Error(c.error);
    for (const edge of [WINDOW, 2 * WINDOW]) {
      // "xSTF-123456": no word boundary before S in the text, but the window starting at S has one.
      const t = `${'x'.repeat(edge)}STF-123456 ${'z '.repeat(1500)}`;
      const found = scanCustomPatterns(t, [c], Number.POSITIVE_INFINITY).detections;
      expect(found).toEqual(reference(t, c));
      expect(found.map((d) => d.start)).toEqual([edge]);
    }
  });

  it('finds matches placed across every window edge', () => {
    const c = compilePattern({ name: 'Staff ID', pattern: '\\bSTF-?\\d{5,6}\\b' });
    if ('error' in c) throw new Error(c.error);
    for (const edge of [WINDOW, WINDOW + OVERLAP, 2 * WINDOW, 2 * WINDOW + OVERLAP]) {
      for (let shift = -10; shift <= 3; shift++) {
        const at = edge + shift;
        const t = `${'a '.repeat(at / 2)}${at % 2 ? 'b' : ''}STF-123456 ${'z'.repeat(3000)}`;
        expect(scanCustomPatterns(t, [c], Number.POSITIVE_INFINITY).detections).toEqual(
          reference(t, c),
        );
      }
    }
  });
});
