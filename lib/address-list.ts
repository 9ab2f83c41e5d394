/**
 * Reading email addresses out of what webmail pages show: an address-list field's text
 * (`Ann Lee <ann@x.org>, "Lee, Bob" <bob@y.org>; carl@z.org`), or any attribute or label that
 * happens to carry an address (a recipient chip's `title`, `aria-label` or `data-hovercard-id`).
 * Pure: the webmail adapters pass strings in.
 */

/**
 * An address as mail servers accept it, deliberately loose in the local part (schools use
 * `first.last+tag@`) and strict enough in the domain that "Ctrl+Enter" or "12@3" do not count.
 */
const ADDRESS =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+[A-Za-z\u00a1-\uffff][A-Za-z0-9\u00a1-\uffff-]{1,62}/g;

/** Every address-shaped string in free text, in order, without duplicates (case-insensitive). */
export function findAddresses(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(ADDRESS)) {
    const address = m[0].replace(/^[.]+|[.]+$/g, '');
    const key = address.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(address);
    }
  }
  return out;
}

/**
 * Split an address-list field (RFC 5322 style, as Roundcube's `textarea#_to` holds it) on commas,
 * semicolons and new lines that are outside quotes and angle brackets, and return the address of
 * each part. A part with no complete address yet (`ann@`, half-typed) is left out: it cannot be
 * delivered, and the webmail will refuse it itself.
 */
export function parseAddressList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const ch of text) {
    if (ch === '"' && angle === 0) quoted = !quoted;
    else if (ch === '<' && !quoted) angle++;
    else if (ch === '>' && !quoted && angle > 0) angle--;
    if ((ch === ',' || ch === ';' || ch === '\n') && !quoted && angle === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const inAngle = /<([^<>]*)>/.exec(part);
    const [address] = findAddresses(inAngle ? inAngle[1]! : part);
    if (address && !seen.has(address.toLowerCase())) {
      seen.add(address.toLowerCase());
      out.push(address);
    }
  }
  return out;
}

/** Remove one address from an address-list field's text, keeping the others as written. */
export function removeFromAddressList(text: string, address: string): string {
  const wanted = address.toLowerCase();
  const kept: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  const flush = () => {
    const trimmed = current.trim();
    if (trimmed && !parseAddressList(trimmed).some((a) => a.toLowerCase() === wanted)) {
      kept.push(trimmed);
    }
    current = '';
  };
  for (const ch of text) {
    if (ch === '"' && angle === 0) quoted = !quoted;
    else if (ch === '<' && !quoted) angle++;
    else if (ch === '>' && !quoted && angle > 0) angle--;
    if ((ch === ',' || ch === ';' || ch === '\n') && !quoted && angle === 0) flush();
    else current += ch;
  }
  flush();
  return kept.length > 0 ? `${kept.join(', ')}, ` : '';
}
