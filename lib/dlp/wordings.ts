/**
 * Every wording a vocabulary term can match, read from its pattern: "grab(?:s|bed|bing)?" →
 * "grabs", "grabbed", "grabbing", "grab". Most terms are a word or a short phrase whose inflected
 * forms (`inflect()`) are a handful of strings, so the scan (`detectors.ts`) looks them up by the
 * word a match starts with, and keeps a regular expression only for the terms that need one
 * (`[a-z]+`, `\d+`, look-aheads, `.`, `\s`, or too many wordings).
 *
 * The wordings come in the order a backtracking regular expression tries them (alternatives left
 * to right, a greedy `?` with its part first, a lazy one without it first): at one place in the
 * text, the first wording that fits is the match the pattern itself would make.
 *
 * Sound by construction: anything this reader does not read gives null, and the term stays a
 * regular expression, matched as before.
 */

/** More wordings than this and the term stays a regular expression. */
export const MAX_WORDINGS = 64;

/** Zero-width `\b`, resolved once the wording around it is known. */
const BOUNDARY = '\u0001';

const DIGITS = '0123456789';

function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95
  );
}

/**
 * The wordings of `source`, lower-cased when `ignoreCase`, in the order a regular expression tries
 * them, without repeats; null when unread, infinite or over `limit`. A `\b` is kept only where it
 * holds inside the wording, taking the wording's ends as next to non-word characters (a vocabulary
 * match starts at a word start and ends before a non-word character: `TERM_END`).
 */
export function wordings(
  source: string,
  ignoreCase: boolean,
  limit = MAX_WORDINGS,
): string[] | null {
  const raw = alternation(source, ignoreCase, limit);
  if (!raw) return null;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const w of raw) {
    const resolved = resolveBoundaries(w);
    if (resolved === null || resolved === '' || seen.has(resolved)) continue;
    seen.add(resolved);
    out.push(resolved);
  }
  return out;
}

/**
 * Every word a match of `source` can start with (its leading ASCII letters, digits and `_`,
 * lower-cased when `ignoreCase`), read only as far as that word, so what follows may be anything
 * (`[a-z]+`, a look-ahead); null when unread or over `limit`. It may hold a word no match starts
 * with (a `\b` is not checked), never miss one.
 */
export function firstWords(
  source: string,
  ignoreCase: boolean,
  limit = MAX_WORDINGS,
): string[] | null {
  const raw = alternation(source, ignoreCase, limit, true);
  if (!raw) return null;
  const out = new Set<string>();
  for (const w of raw) {
    const plain = w.split(BOUNDARY).join('');
    let end = 0;
    while (end < plain.length && isWordCode(plain.charCodeAt(end))) end++;
    if (end === 0) return null;
    out.add(plain.slice(0, end));
  }
  return [...out];
}

/** Whether `w` already holds a character that ends its first word (not a leading `\b`). */
function closed(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (w[i] !== BOUNDARY && !isWordCode(c)) return i > 0;
  }
  return false;
}

/** The wording without its `\b` marks, or null where one of them does not hold. */
function resolveBoundaries(w: string): string | null {
  if (!w.includes(BOUNDARY)) return w;
  const plain = w.split(BOUNDARY).join('');
  let at = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] !== BOUNDARY) {
      at++;
      continue;
    }
    const before = at > 0 && isWordCode(plain.charCodeAt(at - 1));
    const after = at < plain.length && isWordCode(plain.charCodeAt(at));
    if (before === after) return null;
  }
  return plain;
}

/** Index of the `)` closing the group opened at `open`, or -1. */
function closing(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Split at top-level `|`. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

function alternation(
  source: string,
  ignoreCase: boolean,
  limit: number,
  firstWordOnly = false,
): string[] | null {
  const out: string[] = [];
  for (const alt of alternatives(source)) {
    const r = sequence(alt, ignoreCase, limit, firstWordOnly);
    if (!r) return null;
    out.push(...r);
    if (out.length > limit) return null;
  }
  return out;
}

/**
 * A character as the scan compares it: ASCII letters lower-cased when `ignoreCase`; a non-ASCII
 * character only when it has no other case (quotes, dashes), since without the `u` flag a
 * case-insensitive regular expression matches such letters by rules the scan does not copy.
 */
function literal(ch: string, ignoreCase: boolean): string | null {
  const code = ch.charCodeAt(0);
  if (code < 128) return ignoreCase ? ch.toLowerCase() : ch;
  if (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch) return null;
  return ch;
}

/** A character class `[...]` at `open`: its characters, in order, and the index after `]`. */
function charClass(
  source: string,
  open: number,
  ignoreCase: boolean,
): { chars: string[]; next: number } | null {
  let i = open + 1;
  if (source[i] === '^') return null;
  const items: string[] = [];
  for (; i < source.length && source[i] !== ']'; i++) {
    let ch = source[i]!;
    if (ch === '\\') {
      const e = source[++i] ?? '';
      if (e === 'd') {
        items.push(...DIGITS);
        continue;
      }
      if (/[A-Za-z0-9]/.test(e) || e === '') return null; // \w, \s, \b (backspace), \u…: not read
      ch = e;
    }
    if (source[i + 1] === '-' && source[i + 2] !== undefined && source[i + 2] !== ']') {
      const to = source[i + 2]!;
      if (to === '\\') return null;
      for (let c = ch.charCodeAt(0); c <= to.charCodeAt(0); c++) items.push(String.fromCharCode(c));
      i += 2;
      continue;
    }
    items.push(ch);
  }
  if (source[i] !== ']') return null;
  const chars: string[] = [];
  for (const c of items) {
    const l = literal(c, ignoreCase);
    if (l === null) return null;
    if (!chars.includes(l)) chars.push(l);
  }
  return { chars, next: i + 1 };
}

/** A bounded quantifier at `at`: its least and most repeats, lazy or not, and the index after it. */
function quantifier(
  source: string,
  at: number,
): { min: number; max: number; lazy: boolean; next: number } | null {
  const ch = source[at];
  let min = 1;
  let max = 1;
  let next = at;
  if (ch === '?') {
    min = 0;
    next = at + 1;
  } else if (ch === '*' || ch === '+') {
    return null;
  } else if (ch === '{') {
    const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(at));
    if (!m) return null;
    min = Number(m[1]);
    max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (!Number.isFinite(max) || max < min) return null;
    next = at + m[0].length;
  }
  let lazy = false;
  if (next > at && source[next] === '?') {
    lazy = true;
    next++;
  }
  return { min, max, lazy, next };
}

/** Each of `left` followed by each of `right`, in the order a regular expression tries them. */
function concat(
  left: string[],
  right: string[],
  limit: number,
  firstWordOnly = false,
): string[] | null {
  const out: string[] = [];
  for (const l of left) {
    if (firstWordOnly && closed(l)) {
      out.push(l);
      continue;
    }
    for (const r of right) {
      out.push(l + r);
      if (out.length > limit) return null;
    }
  }
  return out;
}

/**
 * `atom` repeated `min` to `max` times, in backtracking order: greedy tries one more repeat before
 * stopping at each step ("(?:a|b){0,2}": aa, ab, a, ba, bb, b, ""), lazy stops first.
 */
function repeats(
  atom: string[],
  min: number,
  max: number,
  lazy: boolean,
  limit: number,
): string[] | null {
  if (max === 0) return [''];
  const more: string[] = [];
  const rest = repeats(atom, Math.max(0, min - 1), max - 1, lazy, limit);
  if (!rest) return null;
  for (const a of atom) {
    for (const r of rest) {
      more.push(a + r);
      if (more.length > limit) return null;
    }
  }
  if (min > 0) return more;
  return lazy ? ['', ...more] : [...more, ''];
}

function sequence(
  source: string,
  ignoreCase: boolean,
  limit: number,
  firstWordOnly = false,
): string[] | null {
  let so: string[] = [''];
  let i = 0;
  while (i < source.length) {
    if (firstWordOnly && so.every(closed)) return so;
    const ch = source[i]!;
    let atom: string[];
    let next: number;
    if (ch === '(') {
      if (source[i + 1] !== '?' || source[i + 2] !== ':') return null; // capture, lookaround
      const end = closing(source, i);
      if (end < 0) return null;
      const inner = alternation(source.slice(i + 3, end), ignoreCase, limit, firstWordOnly);
      if (!inner) return null;
      atom = inner;
      next = end + 1;
    } else if (ch === '[') {
      const cls = charClass(source, i, ignoreCase);
      if (!cls) return null;
      atom = cls.chars;
      next = cls.next;
    } else if (ch === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'b') {
        atom = [BOUNDARY];
      } else if (e === 'd') {
        atom = [...DIGITS];
      } else if (/[A-Za-z0-9]/.test(e) || e === '') {
        return null;
      } else {
        const l = literal(e, ignoreCase);
        if (l === null) return null;
        atom = [l];
      }
      next = i + 2;
    } else if ('.^$|)*+?{}]'.includes(ch)) {
      return null;
    } else {
      const l = literal(ch, ignoreCase);
      if (l === null) return null;
      atom = [l];
      next = i + 1;
    }
    const q = quantifier(source, next);
    if (!q) return null;
    const options = repeats(atom, q.min, q.max, q.lazy, limit);
    if (!options) return null;
    const joined = concat(so, options, limit, firstWordOnly);
    if (!joined) return null;
    so = joined;
    i = q.next;
  }
  return so;
}
