/**
 * Which characters a regular expression's match can start with, read from its source: the
 * vocabulary scan uses it to try, at each word start, only the terms that can begin with that
 * letter, instead of one alternation of 450 terms at every word of a 100 KB message (that
 * alternation was over half the scan's time: irregexp tries every alternative at every position).
 *
 * Sound by construction: anything this reader does not understand (`.`, `\w`, negated classes,
 * lookaround, anchors, back-references) gives `null`, "could start with anything", and such a term
 * is tried everywhere as before. Only the subset of syntax the vocabulary uses is read precisely.
 */

/** Strings of at most `k` characters; one shorter than `k` is a whole match (it can end there). */
type Starts = Set<string> | null;

const DIGITS = '0123456789';

/** The first characters of `source` (lower-cased when `ignoreCase`), or null for "any". */
export function firstChars(source: string, ignoreCase: boolean): Set<string> | null {
  return prefixes(source, ignoreCase, 1);
}

/**
 * Every string of exactly `length` characters a match of `source` can start with (lower-cased
 * when `ignoreCase`), or null when the source is not read or a match can be shorter. With
 * `maxSize`, also null as soon as a set being built holds more (h30-scan: reading twelve
 * characters of a term with a few optional words multiplies its starts into the tens of
 * thousands before they could be counted; null only means "not read").
 */
export function prefixes(
  source: string,
  ignoreCase: boolean,
  length: number,
  maxSize = Number.POSITIVE_INFINITY,
): Set<string> | null {
  const r = alternation(source, ignoreCase, length, maxSize);
  if (!r || [...r].some((p) => p.length < length)) return null;
  return r;
}

/** Each of `left` followed by each of `right`, cut to `k` characters. */
function concat(left: Set<string>, right: Set<string>, k: number): Set<string> {
  const out = new Set<string>();
  for (const l of left) {
    if (l.length >= k) out.add(l);
    else for (const r of right) out.add((l + r).slice(0, k));
  }
  return out;
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

function alternation(source: string, ignoreCase: boolean, k: number, maxSize: number): Starts {
  const out = new Set<string>();
  for (const alt of alternatives(source)) {
    const r = sequence(alt, ignoreCase, k, maxSize);
    if (!r) return null;
    for (const p of r) out.add(p);
    if (out.size > maxSize) return null;
  }
  return out;
}

function add(set: Set<string>, ch: string, ignoreCase: boolean): void {
  set.add(ignoreCase ? ch.toLowerCase() : ch);
}

/** A character class `[...]` starting at `open`: its characters and the index after `]`. */
function charClass(
  source: string,
  open: number,
  ignoreCase: boolean,
): { chars: Set<string>; next: number } | null {
  const chars = new Set<string>();
  let i = open + 1;
  if (source[i] === '^') return null;
  const items: string[] = [];
  for (; i < source.length && source[i] !== ']'; i++) {
    let ch = source[i]!;
    if (ch === '\\') {
      const e = source[++i] ?? '';
      if (e === 'd') {
        for (const d of DIGITS) items.push(d);
        continue;
      }
      if (/[A-Za-z0-9]/.test(e)) return null; // \w, \s, \p{…}, \u…: not read
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
  for (const c of items) add(chars, c, ignoreCase);
  return { chars, next: i + 1 };
}

/** Quantifier at `at`: whether it allows zero repeats, and the index after it. */
function quantifier(
  source: string,
  at: number,
): { optional: boolean; repeats: boolean; next: number } {
  const ch = source[at];
  let next = at;
  let optional = false;
  let repeats = false;
  if (ch === '?' || ch === '*') {
    optional = true;
    repeats = ch === '*';
    next = at + 1;
  } else if (ch === '+') {
    repeats = true;
    next = at + 1;
  } else if (ch === '{') {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(at));
    if (m) {
      optional = m[1] === '' || Number(m[1]) === 0;
      repeats = m[2] === ',' ? m[3] === '' || Number(m[3]) > 1 : Number(m[1]) > 1;
      next = at + m[0].length;
    }
  }
  if (next > at && source[next] === '?') next++; // lazy
  return { optional, repeats, next };
}

/** Whether every string of `set` has `k` characters or more. */
function allAtLeast(set: Set<string>, k: number): boolean {
  for (const p of set) if (p.length < k) return false;
  return true;
}

function sequence(source: string, ignoreCase: boolean, k: number, maxSize: number): Starts {
  let starts = new Set<string>(['']);
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    let atom: Set<string>;
    let next: number;
    if (ch === '(') {
      if (source[i + 1] === '?' && source[i + 2] !== ':') return null; // lookaround, named groups
      const end = closing(source, i);
      if (end < 0) return null;
      const inner = alternation(
        source.slice(source[i + 1] === '?' ? i + 3 : i + 1, end),
        ignoreCase,
        k,
        maxSize,
      );
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
        i += 2; // zero-width; the scan tries terms only at word starts anyway
        continue;
      }
      if (e === 'd') atom = new Set(DIGITS);
      else if (/[A-Za-z0-9]/.test(e) || e === '') return null;
      else {
        atom = new Set();
        add(atom, e, ignoreCase);
      }
      next = i + 2;
    } else if ('.^$|)*+?{'.includes(ch)) {
      return null;
    } else {
      const q = source[i + 1];
      if (q !== '?' && q !== '*' && q !== '+' && q !== '{') {
        // A plain character, not repeated (most of a term): appended to each start in place of
        // a one-character set and `concat` (h30-scan2: the same starts, a fraction of the work).
        const c = ignoreCase ? ch.toLowerCase() : ch;
        const after = new Set<string>();
        for (const p of starts) after.add(p.length >= k ? p : p + c);
        starts = after;
        if (allAtLeast(starts, k)) return starts;
        i++;
        continue;
      }
      atom = new Set();
      add(atom, ch, ignoreCase);
      next = i + 1;
    }
    const q = quantifier(source, next);
    // Two copies are enough to fill k ≤ 2 characters; longer prefixes would need more.
    if (q.repeats) {
      if (k > 2) return null;
      atom = new Set([...atom, ...concat(atom, atom, k)]);
    }
    const after = concat(starts, atom, k);
    if (q.optional) for (const p of starts) after.add(p);
    if (after.size > maxSize) return null;
    starts = after;
    if (allAtLeast(starts, k)) return starts;
    i = q.next;
  }
  return starts;
}
