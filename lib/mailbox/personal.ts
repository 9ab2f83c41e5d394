/**
 * Does this send look personal? Every recipient is a free-mail address (gmail.com, hotmail.co.uk…)
 * and none is a school contact: not inside orgDomains and not one of the policy's `knownContacts`
 * (a governor's Gmail, a partner trust's domain). Pure, shared by the send warning (which may
 * suggest the subject label, `mailbox.suggestPersonalLabel`, off by default) and tests.
 *
 * Only a suggestion: a personal-looking send is still allowed; sending pupil data to a parent's
 * Gmail is the send warning's concern, not this one's.
 */
import { isFreeMailDomain } from '../dlp/free-mail-domains.ts';
import { domainOfAddress, isOrgAddress } from './classify.ts';
import type { MailboxPolicy } from './policy.ts';
import { hasSubjectLabel } from './subject.ts';

export type PersonalCheckPolicy = {
  orgDomains: readonly string[];
  mailbox: Pick<MailboxPolicy, 'knownContacts' | 'subjectLabel' | 'suggestPersonalLabel'>;
};

function isKnownContact(address: string, known: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = domainOfAddress(a);
  return known.some((k) => {
    const entry = k.toLowerCase();
    if (entry.includes('@') && !entry.startsWith('@')) return entry === a;
    const d = entry.replace(/^@/, '');
    return domain !== null && (domain === d || domain.endsWith(`.${d}`));
  });
}

/** Recipients are plain addresses (`ann@gmail.com`), as the adapters read them. */
export function looksPersonal(recipients: readonly string[], policy: PersonalCheckPolicy): boolean {
  if (recipients.length === 0) return false;
  return recipients.every((r) => {
    const domain = domainOfAddress(r);
    if (!domain || !isFreeMailDomain(domain)) return false;
    if (isOrgAddress(r, policy.orgDomains)) return false;
    return !isKnownContact(r, policy.mailbox.knownContacts);
  });
}

/**
 * What the send warning asks: suggest the label on this send? Only when the policy turns the
 * suggestion on, the subject is not labelled yet, and the recipients look personal.
 */
export function shouldSuggestPersonalLabel(
  subject: string,
  recipients: readonly string[],
  policy: PersonalCheckPolicy,
): boolean {
  return (
    policy.mailbox.suggestPersonalLabel &&
    !hasSubjectLabel(subject, policy.mailbox.subjectLabel) &&
    looksPersonal(recipients, policy)
  );
}
