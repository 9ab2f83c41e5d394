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
 *   byte-order mark) are taken out, and `originalOffset` maps each offset of what is left back to
 *   the original, so a finding still points at what the member of staff wrote.
 */
import { compileFirst } from './compile-first.ts';

/** No-break, figure, narrow and other fixed-width spaces (each one UTF-16 unit). */
const SPACE_LIKE = compileFirst(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g);
/** The hyphen and the non-breaking hyphen (Word's Ctrl+Shift+-). */
const HYPHEN_LIKE = compileFirst(/[\u2010\u2011]/g);
/** Soft hyphen, zero-width space, non-joiner, joiner, word joiner, byte-order mark. */
const INVISIBLE = compileFirst(/[\u00ad\u200b-\u200d\u2060\ufeff]/g);

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
  const text = original.replace(SPACE_LIKE, ' ').replace(HYPHEN_LIKE, '-');
  if (text.search(INVISIBLE) < 0) return { text, from: null, originalLength: original.length };
  const from = new Int32Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) if (!isInvisible(text.charCodeAt(i))) from[length++] = i;
  return {
    text: text.replace(INVISIBLE, ''),
    from: from.subarray(0, length),
    originalLength: original.length,
  };
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
  const { from } = scanned;
  if (!from) return { start, end };
  const at = (i: number) => (i < from.length ? from[i]! : scanned.originalLength);
  if (end <= start) {
    const point = at(start);
    return { start: point, end: point };
  }
  return { start: at(start), end: from[Math.min(end, from.length) - 1]! + 1 };
}
