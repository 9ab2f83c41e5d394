/**
 * The subject label staff add with one click ("personal e-mails must be labelled personal in the
 * subject header", seeds 000, 001, 002, 004). Pure string functions, so that adding is idempotent
 * and removing takes away exactly the label, whatever the webmail.
 */

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A subject that already starts with the label, in the forms people type: `PERSONAL: …`,
 * `Personal - …`, `[PERSONAL] …`, `(personal) …`, or the label alone. Case-insensitive; the label
 * must be a whole word ("Personally…" is not labelled).
 */
function labelPrefix(label: string): RegExp {
  const l = escapeRegex(label.trim());
  return new RegExp(
    `^\\s*(?:\\[${l}\\]|\\(${l}\\)|${l}(?=$|[\\s:\\-–—]))\\s*(?:[:\\-–—]\\s*)?`,
    'i',
  );
}

export function hasSubjectLabel(subject: string, label: string): boolean {
  return labelPrefix(label).test(subject);
}

/** `Re: Trip` → `PERSONAL: Re: Trip`; a subject already labelled is returned unchanged. */
export function addSubjectLabel(subject: string, label: string): string {
  if (hasSubjectLabel(subject, label)) return subject;
  const rest = subject.replace(/^\s+/, '');
  return rest ? `${label.trim()}: ${rest}` : `${label.trim()}: `;
}

/** Takes the label (and its separator) off the start; other text is left exactly as it was. */
export function removeSubjectLabel(subject: string, label: string): string {
  return subject.replace(labelPrefix(label), '');
}

/** The "Personal" control: on adds the label once, off removes it. */
export function toggleSubjectLabel(subject: string, label: string): string {
  return hasSubjectLabel(subject, label)
    ? removeSubjectLabel(subject, label)
    : addSubjectLabel(subject, label);
}
