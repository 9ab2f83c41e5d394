/**
 * How a finding relates to the text around it, shared by the built-in detectors and the school's
 * pattern engine without either loading the other (the engine is a separate content script).
 */

/** Purview's proximity window for corroborating evidence. */
export const PROXIMITY = 300;

// Redacted previews: enough for staff to recognise what was found, not enough to leak it again
// into the warning, a screenshot or a log.

/** Mask letters and digits except the first `keepStart` and last `keepEnd`; keep separators. */
export function mask(value: string, keepStart: number, keepEnd: number): string {
  const n = value.length;
  if (n <= MAX_JOINED) {
    let alnum = 0;
    for (let i = 0; i < n; i++) if (isAlnum(value.charCodeAt(i))) alnum++;
    // Nothing to mask: the value itself, as below.
    if (alnum <= keepStart + keepEnd) return value;
    // Each unit of the preview in an array kept for previews of this length, joined once
    // (h35-people): the pieces and joins below made ~4–8 short strings a preview, ~150 KB of issue
    // 13's scan. A unit is the value's own (one UTF-16 unit, as `slice` keeps it) or a bullet.
    let units = unitsOfLength[n];
    if (!units) {
      units = new Array<string>(n).fill('');
      unitsOfLength[n] = units;
    }
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (!isAlnum(value.charCodeAt(i))) {
        units[i] = value[i]!;
        continue;
      }
      units[i] = seen < keepStart || seen >= alnum - keepEnd ? value[i]! : '•';
      seen++;
    }
    return units.join('');
  }
  return maskLong(value, keepStart, keepEnd);
}

/** Previews up to this long are joined from `unitsOfLength`; longer ones built by `maskLong`. */
const MAX_JOINED = 64;
const unitsOfLength: (string[] | undefined)[] = [];

function maskLong(value: string, keepStart: number, keepEnd: number): string {
  // By character code (h13-scan12): the regular-expression test per character, on a string per
  // code point, was most of the cost of a school pattern's finding on a 100 KB message. A unit
  // that is not an ASCII letter or digit (a surrogate half too) is kept as it is, as before.
  const n = value.length;
  let alnum = 0;
  for (let i = 0; i < n; i++) if (isAlnum(value.charCodeAt(i))) alnum++;
  let seen = 0;
  let out = '';
  let kept = 0; // `value` from here up to a run's start is copied unchanged
  // A run of masked characters with nothing kept between them is one `'•'.repeat` (h30-scan2: a
  // string per masked character was ~50 KB of issue 13's scan, most of a preview's cost).
  let runStart = -1;
  let run = 0;
  for (let i = 0; i < n; i++) {
    if (!isAlnum(value.charCodeAt(i))) {
      if (run > 0) {
        out += value.slice(kept, runStart) + '•'.repeat(run);
        kept = i;
        run = 0;
      }
      continue;
    }
    if (!(seen < keepStart || seen >= alnum - keepEnd)) {
      if (run === 0) runStart = i;
      run++;
    } else if (run > 0) {
      out += value.slice(kept, runStart) + '•'.repeat(run);
      kept = i;
      run = 0;
    }
    seen++;
  }
  if (run > 0) {
    out += value.slice(kept, runStart) + '•'.repeat(run);
    kept = n;
  }
  return kept === 0 ? value : out + value.slice(kept);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
