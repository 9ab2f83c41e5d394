/**
 * Who a message is going to: each To/Cc/Bcc address is internal (the school's own domains and
 * their subdomains), external, or external personal (a consumer mailbox). Two recipient risks are
 * flagged whatever the content, because they are among the commonest breaches schools report to
 * the ICO: a look-alike of the school's domain (picked by autocomplete, or a phishing domain), and
 * a message to many outside people with every address visible in To/Cc instead of Bcc.
 */
import psl from 'psl';
import { isFreeMailDomain } from './free-mail-domains.ts';

export type RecipientField = 'to' | 'cc' | 'bcc';
export type RecipientInput = { address: string; field: RecipientField };
export type RecipientKind = 'internal' | 'external' | 'external_personal';

export type LookalikeReason =
  | 'different_ending'
  | 'punctuation'
  | 'homoglyph'
  | 'misspelling'
  | 'added_word'
  | 'embedded';

export type ClassifiedRecipient = {
  /** As given (display name stripped). */
  address: string;
  field: RecipientField;
  /** Lower-case ASCII (punycode) domain; empty when the address has none. */
  domain: string;
  kind: RecipientKind;
  lookalike?: { orgDomain: string; reason: LookalikeReason };
};

export type RecipientRisk =
  | { kind: 'lookalike_domain'; address: string; orgDomain: string; reason: LookalikeReason }
  | { kind: 'many_visible_external'; count: number; threshold: number };

export type RecipientAssessment = {
  recipients: ClassifiedRecipient[];
  external: ClassifiedRecipient[];
  risks: RecipientRisk[];
};

/** `"Ann Lee" <ann@x.org>` or `ann@x.org` → `{ address, local, unicodeDomain }`. */
export function parseAddress(raw: string): { address: string; unicodeDomain: string } | null {
  const angle = /<([^<>]*)>\s*$/.exec(raw);
  const address = (angle ? angle[1]! : raw).trim().replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const unicodeDomain = address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  if (!/^[^\s@<>()[\],;:"]+$/.test(unicodeDomain)) return null;
  return { address, unicodeDomain };
}

/** Lower-case ASCII form of a domain (punycode for IDNs), as mail servers compare them. */
export function asciiDomain(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/^@/, '').replace(/^\*\./, '').replace(/\.$/, '');
  if (/^[\x21-\x7e]*$/.test(d)) return d;
  try {
    return new URL(`http://${d}`).hostname;
  } catch {
    return d;
  }
}

export function isInternalDomain(domain: string, orgDomains: readonly string[]): boolean {
  return orgDomains.some((org) => domain === org || domain.endsWith(`.${org}`));
}

// ---------------------------------------------------------------------------------------------
// Look-alike domains

/**
 * Characters that look alike in the fonts webmails use: Cyrillic and Greek letters that render as
 * Latin ones, and digits that pass for letters. Multi-letter confusions (rn → m) follow in
 * `skeleton`. After Unicode TR39's confusables, reduced to what is plausible in a UK domain.
 */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ı: 'i',
  ο: 'o',
  α: 'a',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  ι: 'i',
  κ: 'k',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '5': 's',
  '8': 'b',
};

/** A canonical "looks like" form of a domain name label. */
export function skeleton(name: string): string {
  let s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  s = Array.from(s, (ch) => CONFUSABLE[ch] ?? ch).join('');
  s = s.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd').replace(/[il|]/g, 'l');
  return s;
}

/** Optimal-string-alignment distance (Damerau–Levenshtein with adjacent swaps), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = v;
    }
  }
  return rows[a.length]![b.length]!;
}

function isOneLetterSubstitution(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diffs = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffs++;
  return diffs === 1;
}

type SplitDomain = { registrable: string; name: string; suffix: string };

function split(domain: string): SplitDomain | null {
  const parsed = psl.parse(domain);
  if (parsed.error !== undefined || !parsed.domain || !parsed.sld || !parsed.tld) return null;
  return { registrable: parsed.domain, name: parsed.sld, suffix: parsed.tld };
}

/**
 * Why `recipient` (not internal) looks like `org`, or null. `recipientUnicode` is the domain as
 * typed, so that a Cyrillic "а" is compared before punycode hides it.
 */
export function lookalikeReason(
  recipient: string,
  recipientUnicode: string,
  org: string,
): LookalikeReason | null {
  const o = split(org);
  if (!o) return null;
  // The whole school domain inside another one: stmarys.org.uk.mail-secure.com.
  if (
    recipient.includes(`${o.registrable}.`) ||
    recipient.includes(o.registrable.replace(/\./g, '-'))
  ) {
    return 'embedded';
  }
  const r = split(recipient);
  if (!r || r.registrable === o.registrable) return null;
  const labels = recipientUnicode.split('.');
  const unicodeName = labels[labels.length - r.suffix.split('.').length - 1];
  const rName = r.name;
  if (rName === o.name) return 'different_ending';
  const bare = (s: string) => s.replace(/[-_.]/g, '');
  if (bare(rName) === bare(o.name)) return 'punctuation';
  const rSkel = skeleton(
    bare(unicodeName && !unicodeName.startsWith('xn--') ? unicodeName : rName),
  );
  const oSkel = skeleton(bare(o.name));
  if (rSkel === oSkel) return 'homoglyph';
  // Short names differ from many real domains by one letter; only compare names long enough to
  // be distinctive (stmarys, not "abc").
  if (oSkel.length >= 5) {
    if (rSkel.includes(oSkel) && rSkel.length > oSkel.length) return 'added_word';
    if (oSkel.length >= 10) {
      if (editDistance(rSkel, oSkel, 2) <= 2) return 'misspelling';
    } else if (editDistance(rSkel, oSkel, 1) === 1 && !isOneLetterSubstitution(rSkel, oSkel)) {
      // In a short name one different letter is usually another school (stmarks, stmarys);
      // a letter added, dropped or swapped is the typo or the squat.
      return 'misspelling';
    }
  }
  return null;
}

/** Classify one recipient. `orgDomains` must already be ASCII lower case (`asciiDomain`). */
export function classifyRecipient(
  input: RecipientInput,
  orgDomains: readonly string[],
): ClassifiedRecipient {
  const parsed = parseAddress(input.address);
  if (!parsed) {
    // Not an address we can read: treat as outside, the cautious reading.
    return { address: input.address.trim(), field: input.field, domain: '', kind: 'external' };
  }
  const domain = asciiDomain(parsed.unicodeDomain);
  const base = { address: parsed.address, field: input.field, domain };
  if (isInternalDomain(domain, orgDomains)) return { ...base, kind: 'internal' };
  if (isFreeMailDomain(domain)) return { ...base, kind: 'external_personal' };
  for (const org of orgDomains) {
    const reason = lookalikeReason(domain, parsed.unicodeDomain, org);
    if (reason) return { ...base, kind: 'external', lookalike: { orgDomain: org, reason } };
  }
  return { ...base, kind: 'external' };
}

export const DEFAULT_BULK_RECIPIENT_THRESHOLD = 10;

/**
 * Classify every recipient and list the risks. `bulkRecipientThreshold`: this many or more
 * external addresses in To and Cc together (where every recipient sees every address) is flagged
 * with the suggestion to use Bcc.
 */
export function assessRecipients(
  recipients: readonly RecipientInput[],
  options: { orgDomains: readonly string[]; bulkRecipientThreshold?: number },
): RecipientAssessment {
  const orgDomains = options.orgDomains.map(asciiDomain).filter((d) => d.length > 0);
  const threshold = options.bulkRecipientThreshold ?? DEFAULT_BULK_RECIPIENT_THRESHOLD;
  const classified = recipients.map((r) => classifyRecipient(r, orgDomains));
  const external = classified.filter((r) => r.kind !== 'internal');
  const risks: RecipientRisk[] = [];
  for (const r of external) {
    if (r.lookalike) {
      risks.push({ kind: 'lookalike_domain', address: r.address, ...r.lookalike });
    }
  }
  const visible = new Set(
    external.filter((r) => r.field !== 'bcc').map((r) => r.address.toLowerCase()),
  );
  if (visible.size >= threshold) {
    risks.push({ kind: 'many_visible_external', count: visible.size, threshold });
  }
  return { recipients: classified, external, risks };
}
