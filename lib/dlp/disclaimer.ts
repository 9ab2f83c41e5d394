/**
 * The school's standard disclaimer (policy `compose.disclaimer`). Seeds 001 and 004: "The school
 * standard disclaimer should always be used on every e-mail." Steward reminds staff when a message
 * to an outside address lacks it and offers to add it; it never adds it on its own and never holds
 * a message back for it.
 *
 * "Has it" is tolerant of what editors and people do to a pasted text: case, line breaks and runs
 * of spaces (a rich-text editor re-wraps it; a signature block puts it on several lines), typographic
 * quotes and dashes (’ for ', – for -), and no-break or zero-width spaces. It is found anywhere in
 * the message, so a disclaimer in the quoted thread of a reply counts too (it is sent with it).
 */

/** Lower case, one space for any run of whitespace, plain quotes and dashes, no zero-width marks. */
export function normaliseForDisclaimer(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Whether `body` already carries `disclaimer` (see the header for what is tolerated). */
export function hasDisclaimer(body: string, disclaimer: string): boolean {
  const wanted = normaliseForDisclaimer(disclaimer);
  if (wanted.length === 0) return true;
  return normaliseForDisclaimer(body).includes(wanted);
}
