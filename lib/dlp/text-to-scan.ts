/**
 * The text the detectors read, made from the text a member of staff wrote or pasted, and the way
 * back from its offsets to the original's.
 *
 * Rich-text editors, PDFs, web pages and chat tools leave characters in text that the eye does not
 * see: a soft hyphen where a PDF once broke a line ("safe\u00adguarding"), a zero-width space
 * where a web page allowed a line break, a non-breaking hyphen from Word ("self\u2011harm"). Read
 * as they are, they split a word in two, so a chronology pasted from a case-management web page
 * could go out without a warning that the same words typed would have raised (session 23: "child
 * protection plan" with a soft hyphen, or with a zero-width space after each word, raised
 * nothing). So:
 *
 * - spaces of fixed width (no-break, narrow, figure, ideographic) become plain spaces and
 *   the hyphen and non-breaking hyphen become "-", one for one (offsets unchanged);
 * - marks that take no space (soft hyphen, zero-width space, non-joiner and joiner, word joiner,
 *   byte-order mark) are taken out, and so are a plain-text reply's quote marks at the start of
 *   each line ("> ", "> > "): a quoted message is read as the message it quotes. `originalSpan`
 *   maps each offset of what is left back to the original, so a finding still points at what the
 *   member of staff wrote.
 */
import { compileFirst } from './compile-first.ts';

/** No-break, figure, narrow and other fixed-width spaces (each one UTF-16 unit). */
const SPACE_LIKE = compileFirst(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g);
/** The hyphen and the non-breaking hyphen (Word's Ctrl+Shift+-). */
const HYPHEN_LIKE = compileFirst(/[\u2010\u2011]/g);
/** A line that starts with a reply's quote mark (">"), perhaps after spaces. */
const QUOTED_LINE = compileFirst(/(?:^|\n)[ \t]*>/);
/** Soft hyphen, zero-width space, non-joiner, joiner, word joiner, byte-order mark. */
const INVISIBLE = compileFirst(/[\u00ad\u200b-\u200d\u2060\ufeff]/g);

/**
 * Every character of `SPACE_LIKE`, `HYPHEN_LIKE` and `INVISIBLE` in one class: mail with none of
 * them (nearly all) is then known to need neither replacement nor taking out after one search of
 * the text instead of three (two for the replacements, which find nothing and give the text back,
 * and `INVISIBLE`'s): ~0.08 ms against ~0.13 ms on issue 13's 100 KB (h36-scan). Made from the
 * three classes themselves, so a character added to one of them cannot be missed here.
 */
const ANY_TO_MAKE_PLAIN = compileFirst(
  new RegExp(
    `[${[SPACE_LIKE, HYPHEN_LIKE, INVISIBLE].map((re) => re.source.slice(1, -1)).join('')}]`,
  ),
);

/** The same characters as `INVISIBLE`, by code. */
function isInvisible(code: number): boolean {
  return code === 0xad || (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff;
}

export type TextToScan = {
  /** What the detectors read. */
  text: string;
  /**
   * For each UTF-16 unit of `text`, its offset in the original; null when nothing was taken
   * out (the offsets are the same).
   */
  from: Int32Array | null;
  /** The original's length. */
  originalLength: number;
};

export function textToScan(original: string): TextToScan {
  const plain = !ANY_TO_MAKE_PLAIN.test(original);
  const text = plain ? original : original.replace(SPACE_LIKE, ' ').replace(HYPHEN_LIKE, '-');
  // A quoted line needs a ">": most mail has none, and `indexOf` finds that without a regexp
  // stopping at every line break (h26-scan).
  if (
    (plain || text.search(INVISIBLE) < 0) &&
    (text.indexOf('>') < 0 || text.search(QUOTED_LINE) < 0)
  ) {
    return { text, from: null, originalLength: original.length };
  }
  const from = new Int32Array(text.length);
  let length = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isInvisible(c)) continue;
    if (lineStart) {
      lineStart = false;
      // A reply's quote marks at the start of a line ("> ", "> > "), with the spaces around them.
      let k = i;
      while (k < text.length && isLineSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === 62) {
        while (k < text.length && (text.charCodeAt(k) === 62 || isLineSpace(text.charCodeAt(k))))
          k++;
        i = k - 1;
        continue;
      }
    }
    from[length++] = i;
    if (c === 10) lineStart = true;
  }
  // The kept characters, copied a stretch at a time.
  const pieces: string[] = [];
  for (let k = 0; k < length; ) {
    let e = k + 1;
    while (e < length && from[e] === from[e - 1]! + 1) e++;
    pieces.push(text.slice(from[k]!, from[e - 1]! + 1));
    k = e;
  }
  return { text: pieces.join(''), from: from.subarray(0, length), originalLength: original.length };
}

/**
 * The original's offsets of the span [start, end) of `scanned.text`: from its first character to
 * just after its last, so marks taken out around it are not part of it, those inside it are.
 */
export function originalSpan(
  scanned: TextToScan,
  start: number,
  end: number,
): { start: number; end: number } {
  const span = { start, end };
  toOriginalSpan(scanned, span);
  return span;
}

/**
 * `originalSpan` written into the span itself: the scan maps each finding in place, with no new
 * object or closure per finding (h31-scan).
 */
export function toOriginalSpan(scanned: TextToScan, span: { start: number; end: number }): void {
  const { from } = scanned;
  if (!from) return;
  const { start, end } = span;
  span.start = start < from.length ? from[start]! : scanned.originalLength;
  // An empty span stays a point.
  span.end = end <= start ? span.start : from[Math.min(end, from.length) - 1]! + 1;
}

/** A space, tab, carriage return, form feed or vertical tab: white space within a line. */
function isLineSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
}

function isWordCharacter(code: number): boolean {
  return isAsciiLetter(code) || (code >= 48 && code <= 57);
}

/** An ASCII letter, A–Z or a–z. */
export function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** A copy of `a` twice as long, its values first: a buffer grown by doubling when it is full. */
export function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

/** The text as running words, and where each of its stretches starts in the original. */
export type WordsView = {
  text: string;
  /**
   * Offsets in `text` where a stretch starts, ascending, and where each starts in the original
   * (a stretch is copied unchanged, or is the one character a run of white space became); null
   * when the text is the original.
   */
  stretches: { at: Int32Array; from: Int32Array } | null;
};

/**
 * The text as running words, for matching the vocabulary's phrases (detectors.ts). Within a
 * paragraph, a line break (with the spaces around it), a tab or several spaces read as one space,
 * so a phrase wrapped at the end of a line, pasted from a PDF or quoted in a plain-text reply ("a
 * child\nprotection plan", once `textToScan` took out the "> ") is still the phrase, and a
 * word broken after its hyphen at a line end ("self-\nharm") is one word again. Only runs between
 * two words (or a comma and a word) are folded: a paragraph break, or a line break after a full
 * stop or before a list's dash, is left as it is, and no phrase crosses it. `originalOffset` maps
 * an offset back.
 */
/** Where a run of white space to fold can start: a line break, a tab, a carriage return or two spaces. */
const FOLD_TRIGGERS = ['\n', '\t', '\r', '  '] as const;

export function wordsView(text: string): WordsView {
  // The next of each trigger, found by `indexOf` (native, and no match object per line break).
  const next = FOLD_TRIGGERS.map((t) => text.indexOf(t));
  const nextTrigger = (): number => {
    let best = -1;
    for (const p of next) if (p >= 0 && (best < 0 || p < best)) best = p;
    return best;
  };
  let trigger = nextTrigger();
  if (trigger < 0) return { text, stretches: null };
  // The copied stretches, joined with one space each (`join(' ')`: no array slot per space). A
  // word broken after its hyphen joins the next stretch with no space: it waits in `carried`.
  const pieces: string[] = [];
  let carried = '';
  // Each stretch's start in the new text and in the original, in typed arrays grown by doubling
  // (h28-scan: no array of numbers re-allocated as it grows, then copied).
  let at = new Int32Array(64);
  let from = new Int32Array(64);
  let stretches = 1;
  const stretch = (newAt: number, oldAt: number): void => {
    if (stretches === at.length) {
      at = doubled(at);
      from = doubled(from);
    }
    at[stretches] = newAt;
    from[stretches] = oldAt;
    stretches++;
  };
  let copiedTo = 0;
  let length = 0;
  for (; trigger >= 0; trigger = nextTrigger()) {
    // The whole run around the trigger: the spaces before it, then spaces and line breaks.
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
      if (next[t]! >= 0 && next[t]! < j) next[t] = text.indexOf(FOLD_TRIGGERS[t]!, j);
    }
    // Only a run inside a sentence can break a phrase: between a word (or a comma) and a word. A
    // paragraph break, or a line break after a full stop or before a list's dash, stays as it is:
    // no phrase crosses it, and most runs are of this kind, so they cost nothing more.
    const before = i > 0 ? text.charCodeAt(i - 1) : 0;
    const after = text.charCodeAt(j);
    if (breaks >= 2 || !isWordCharacter(after)) continue;
    // A word broken after its hyphen at a line end ("self-\nharm") is one word again.
    const hyphenBreak =
      breaks === 1 &&
      text.charCodeAt(i) === 10 &&
      before === 45 &&
      i >= 2 &&
      isAsciiLetter(text.charCodeAt(i - 2)) &&
      isAsciiLetter(after);
    if (!hyphenBreak && !isWordCharacter(before) && before !== 44) continue;
    const piece = text.slice(copiedTo, i);
    length += i - copiedTo;
    if (hyphenBreak) carried += piece;
    else {
      pieces.push(carried === '' ? piece : carried + piece);
      carried = '';
      stretch(length, i);
      length++;
    }
    stretch(length, j);
    copiedTo = j;
  }
  if (copiedTo === 0) return { text, stretches: null };
  const last = text.slice(copiedTo);
  pieces.push(carried === '' ? last : carried + last);
  return {
    text: pieces.join(' '),
    stretches: { at: at.subarray(0, stretches), from: from.subarray(0, stretches) },
  };
}

/** The original's offset of offset `i` of `view.text` (`text.length` maps to the end). */
export function originalOffset(view: WordsView, i: number): number {
  const s = view.stretches;
  if (!s) return i;
  // The last stretch starting at or before i.
  let lo = 0;
  let hi = s.at.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s.at[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return s.from[lo]! + (i - s.at[lo]!);
}
