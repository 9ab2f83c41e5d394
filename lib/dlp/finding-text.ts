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
  const alnum = value.replace(/[^A-Za-z0-9]/g, '').length;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[A-Za-z0-9]/.test(ch)) {
      out += seen < keepStart || seen >= alnum - keepEnd ? ch : '•';
      seen++;
    } else {
      out += ch;
    }
  }
  return out;
}
