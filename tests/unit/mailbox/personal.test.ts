import { describe, expect, it } from 'vitest';
import { looksPersonal, shouldSuggestPersonalLabel } from '../../../lib/mailbox/personal.ts';
import { DEFAULT_MAILBOX_POLICY, type MailboxPolicy } from '../../../lib/mailbox/policy.ts';

const policy = (mailbox: Partial<MailboxPolicy> = {}) => ({
  orgDomains: ['school.example'],
  mailbox: { ...DEFAULT_MAILBOX_POLICY, ...mailbox },
});

describe('looksPersonal', () => {
  it('every recipient on free mail → personal', () => {
    expect(looksPersonal(['mum@gmail.com', 'auntie@hotmail.co.uk'], policy())).toBe(true);
  });
  it('one school or business recipient → not personal', () => {
    expect(looksPersonal(['mum@gmail.com', 'office@school.example'], policy())).toBe(false);
    expect(looksPersonal(['mum@gmail.com', 'sales@supplier.example'], policy())).toBe(false);
  });
  it('no recipients → not personal', () => {
    expect(looksPersonal([], policy())).toBe(false);
  });
  it('a known school contact on free mail is school business', () => {
    const p = policy({ knownContacts: ['governor.jones@gmail.com'] });
    expect(looksPersonal(['Governor.Jones@gmail.com'], p)).toBe(false);
    expect(looksPersonal(['someone.else@gmail.com'], p)).toBe(true);
    expect(looksPersonal(['x@yahoo.co.uk'], policy({ knownContacts: ['yahoo.co.uk'] }))).toBe(
      false,
    );
  });
});

describe('shouldSuggestPersonalLabel', () => {
  it('is off by default', () => {
    expect(shouldSuggestPersonalLabel('Saturday', ['mum@gmail.com'], policy())).toBe(false);
  });
  it('when on: suggests for personal-looking unlabelled sends only', () => {
    const p = policy({ suggestPersonalLabel: true });
    expect(shouldSuggestPersonalLabel('Saturday', ['mum@gmail.com'], p)).toBe(true);
    expect(shouldSuggestPersonalLabel('Personal: Saturday', ['mum@gmail.com'], p)).toBe(false);
    expect(shouldSuggestPersonalLabel('Report', ['head@school.example'], p)).toBe(false);
  });
});
