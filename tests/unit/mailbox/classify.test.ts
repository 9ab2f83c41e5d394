import { describe, expect, it } from 'vitest';
import {
  classifyMailbox,
  isConsumerMailPage,
  isOrgAddress,
  type MailboxPage,
} from '../../../lib/mailbox/classify.ts';

const org = ['school.example', 'trust.example'];
const page = (p: Partial<MailboxPage>): MailboxPage => ({
  hostname: 'mail.google.com',
  account: null,
  orgDomains: org,
  ...p,
});

describe('consumer webmail hosts', () => {
  it.each([
    ['outlook.live.com', '/mail/0/'],
    ['mail.yahoo.com', '/d/folders/1'],
    ['uk.mail.yahoo.com', '/'],
    ['mail.aol.com', '/webmail-std/en-gb/suite'],
    ['mail.proton.me', '/u/0/inbox'],
    ['app.tuta.com', '/mail'],
    ['mail.tutanota.com', '/'],
    ['navigator-bs.gmx.co.uk', '/mail'],
    ['www.gmx.net', '/'],
    ['www.mail.com', '/mail'],
    ['www.icloud.com', '/mail/'],
    ['mail.yandex.com.tr', '/'],
    ['mail.yandex.ru', '/'],
    ['mail.zoho.eu', '/zm/'],
  ])('%s%s is personal by host', (hostname, pathname) => {
    expect(isConsumerMailPage(hostname, pathname)).toBe(true);
    expect(classifyMailbox(page({ hostname, pathname }))).toEqual({
      kind: 'personal',
      reason: 'consumer-host',
    });
  });

  it.each([
    ['mail.google.com', '/mail/u/0/'],
    ['outlook.office.com', '/mail/'],
    ['www.icloud.com', '/photos/'],
    ['www.zoho.com', '/mail/'],
    ['yandex.ru', '/'],
    ['www.yahoo.com', '/'],
    ['notmail.com', '/'],
    ['mail.example.com', '/'],
    ['outlook.live.com.evil.example', '/'],
  ])('%s%s is not consumer webmail by host', (hostname, pathname) => {
    expect(isConsumerMailPage(hostname, pathname)).toBe(false);
  });
});

describe('shared hosts: the signed-in account decides', () => {
  it('Gmail signed in to the school domain is work', () => {
    expect(classifyMailbox(page({ account: 'j.smith@school.example' }))).toEqual({
      kind: 'work',
      reason: 'account-inside',
      account: 'j.smith@school.example',
    });
  });

  it('subdomains of an orgDomain are inside', () => {
    expect(classifyMailbox(page({ account: 'Head@Staff.Trust.example' })).kind).toBe('work');
    expect(isOrgAddress('a@staff.school.example', org)).toBe(true);
  });

  it('look-alike and suffix tricks are outside', () => {
    expect(isOrgAddress('a@myschool.example', org)).toBe(false);
    expect(isOrgAddress('a@school.example.evil.test', org)).toBe(false);
    expect(classifyMailbox(page({ account: 'a@myschool.example' })).kind).toBe('personal');
  });

  it('Gmail signed in to a personal address is personal', () => {
    expect(classifyMailbox(page({ account: 'jo.smith@gmail.com' }))).toEqual({
      kind: 'personal',
      reason: 'account-outside',
      account: 'jo.smith@gmail.com',
    });
  });

  it('Outlook on the web signed in to another organisation is personal (not the school’s)', () => {
    const v = classifyMailbox(
      page({ hostname: 'outlook.office.com', account: 'jo@other-employer.example' }),
    );
    expect(v.kind).toBe('personal');
  });

  it('an unreadable account on a shared host is unknown, not personal', () => {
    expect(classifyMailbox(page({ account: null }))).toEqual({
      kind: 'unknown',
      reason: 'account-unread',
    });
    expect(classifyMailbox(page({ account: 'not an address' })).kind).toBe('unknown');
  });

  it('without orgDomains, free mail is still personal and anything else is unknown', () => {
    expect(classifyMailbox(page({ orgDomains: [], account: 'jo@gmail.com' })).kind).toBe(
      'personal',
    );
    expect(classifyMailbox(page({ orgDomains: [], account: 'jo@school.example' }))).toEqual({
      kind: 'unknown',
      reason: 'no-org-domains',
      account: 'jo@school.example',
    });
  });

  it('a school account on a consumer-and-business service (Zoho) is work', () => {
    expect(
      classifyMailbox(page({ hostname: 'mail.zoho.eu', account: 'office@school.example' })).kind,
    ).toBe('work');
  });
});

describe('school-hosted webmail (policy webmailSites)', () => {
  const rc = (account: string | null) =>
    classifyMailbox(page({ hostname: 'webmail.school.example', schoolHosted: true, account }));

  it('is work when the account cannot be read', () => {
    expect(rc(null)).toEqual({ kind: 'work', reason: 'school-hosted' });
  });
  it('is personal when signed in to an outside address', () => {
    expect(rc('someone@gmail.com').kind).toBe('personal');
  });
  it('is work when signed in inside orgDomains', () => {
    expect(rc('staff@school.example').kind).toBe('work');
  });
});

it('pages that are not webmail are not classified', () => {
  expect(classifyMailbox(page({ hostname: 'www.bbc.co.uk', account: 'x@gmail.com' }))).toEqual({
    kind: 'unknown',
    reason: 'not-a-mailbox',
  });
});
