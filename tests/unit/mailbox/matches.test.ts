import { expect, it } from 'vitest';
import {
  CONSUMER_MAIL_HOSTS,
  isConsumerMailPage,
  SHARED_MAIL_HOSTS,
} from '../../../lib/mailbox/classify.ts';
import { MAILBOX_MATCHES } from '../../../webmail/mailbox/matches.ts';

/** Chrome's match-pattern host rule: exact, or `*.` = the domain and any subdomain. */
function matchesHost(pattern: string, host: string): boolean {
  const h = /^https:\/\/([^/]+)\//.exec(pattern)![1]!;
  if (h.startsWith('*.')) return host === h.slice(2) || host.endsWith(h.slice(1));
  return host === h;
}
const covered = (host: string) => MAILBOX_MATCHES.some((p) => matchesHost(p, host));

it('the content script runs on every host the classifier calls a mailbox', () => {
  for (const host of [...CONSUMER_MAIL_HOSTS, ...SHARED_MAIL_HOSTS]) {
    expect(covered(host), host).toBe(true);
  }
  for (const host of [
    'navigator-bs.gmx.co.uk',
    'mail.yandex.com.tr',
    'mail.zoho.eu',
    'uk.mail.yahoo.com',
    'www.icloud.com',
  ]) {
    expect(covered(host), host).toBe(true);
  }
});

it('every pattern points at a host the classifier knows (no stray hosts)', () => {
  for (const p of MAILBOX_MATCHES) {
    const host = /^https:\/\/(?:\*\.)?([^/]+)\//.exec(p)![1]!;
    const known =
      SHARED_MAIL_HOSTS.includes(host) ||
      isConsumerMailPage(host, '/') ||
      isConsumerMailPage(`mail.${host}`, '/') ||
      host === 'www.icloud.com';
    expect(known, p).toBe(true);
  }
});
