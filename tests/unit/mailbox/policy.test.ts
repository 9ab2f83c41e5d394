import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAILBOX_POLICY,
  parseMailboxPolicy,
  resolveMailboxPolicy,
} from '../../../lib/mailbox/policy.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('mailbox policy', () => {
  it('defaults: label personal webmail, PERSONAL, no suggestion, no header rules', () => {
    const parsed = parseMailboxPolicy(undefined);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.policy).toEqual(DEFAULT_MAILBOX_POLICY);
    expect(parsed.policy).toMatchObject({
      personalWebmail: 'label',
      subjectLabel: 'PERSONAL',
      suggestPersonalLabel: false,
      restrictGoogleAccounts: false,
      restrictMicrosoftTenants: false,
      blockConsumerMicrosoft: false,
    });
    expect(parsed.policy.labelText).toMatch(/labelled personal in the subject header/);
    expect(parsed.policy.youtubeRestrict).toBeUndefined();
  });

  it('accepts a full policy', () => {
    const parsed = parseMailboxPolicy({
      personalWebmail: 'block',
      labelText: 'Personal email: see section 8.2 of the staff ICT policy.',
      subjectLabel: 'Private',
      suggestPersonalLabel: true,
      knownContacts: ['Governor.Jones@gmail.com', 'partner-trust.example', '@la.gov.example'],
      restrictGoogleAccounts: true,
      restrictMicrosoftTenants: {
        tenantDomains: ['School.onmicrosoft.com'],
        tenantIds: [TENANT],
        tenantContext: TENANT,
      },
      blockConsumerMicrosoft: true,
      youtubeRestrict: 'Moderate',
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.policy.knownContacts[0]).toBe('governor.jones@gmail.com');
    expect(parsed.policy.restrictMicrosoftTenants).toEqual({
      tenantDomains: ['school.onmicrosoft.com'],
      tenantIds: [TENANT],
      tenantContext: TENANT,
    });
  });

  it('names the field in every error', () => {
    const parsed = parseMailboxPolicy({
      personalWebmail: 'hide',
      subjectLabel: '',
      restrictGoogleAcounts: true,
      restrictMicrosoftTenants: { tenantIds: ['not-a-guid'], tenantContext: TENANT },
      youtubeRestrict: 'strict',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = parsed.errors.join('\n');
    expect(text).toMatch(/^mailbox\.restrictGoogleAcounts: unknown setting/m);
    expect(text).toMatch(/^mailbox\.personalWebmail: must be one of "label", "block"/m);
    expect(text).toMatch(/^mailbox\.subjectLabel: must not be empty/m);
    expect(text).toMatch(/^mailbox\.restrictMicrosoftTenants/m);
    expect(text).toMatch(/^mailbox\.youtubeRestrict: must be one of "Strict", "Moderate"/m);
  });

  it('tenant restrictions need the school tenant and at least one allowed tenant', () => {
    const noContext = parseMailboxPolicy({ restrictMicrosoftTenants: { tenantIds: [TENANT] } });
    expect(noContext.ok).toBe(false);
    const noTenants = parseMailboxPolicy({ restrictMicrosoftTenants: { tenantContext: TENANT } });
    expect(noTenants.ok).toBe(false);
    if (!noTenants.ok) expect(noTenants.errors.join()).toMatch(/at least one tenant/);
    expect(parseMailboxPolicy({ restrictMicrosoftTenants: false }).ok).toBe(true);
    expect(parseMailboxPolicy({ restrictMicrosoftTenants: true }).ok).toBe(false);
  });

  it('rejects a subject label that would break the subject line', () => {
    expect(parseMailboxPolicy({ subjectLabel: 'PERSONAL\nBcc: x@y' }).ok).toBe(false);
    expect(parseMailboxPolicy({ subjectLabel: ': x' }).ok).toBe(false);
    expect(parseMailboxPolicy({ subjectLabel: 'x'.repeat(41) }).ok).toBe(false);
  });

  it('rejects a mailbox value that is not an object', () => {
    expect(parseMailboxPolicy('label').ok).toBe(false);
    expect(parseMailboxPolicy([]).ok).toBe(false);
  });

  it('lenient resolution keeps the good fields of a bad policy', () => {
    const r = resolveMailboxPolicy({ subjectLabel: 'Private', labelText: 42, bogus: 1 });
    expect(r.policy.subjectLabel).toBe('Private');
    expect(r.policy.labelText).toBe(DEFAULT_MAILBOX_POLICY.labelText);
    expect(r.errors.length).toBe(2);
    expect(resolveMailboxPolicy('nonsense').policy).toEqual(DEFAULT_MAILBOX_POLICY);
  });
});
