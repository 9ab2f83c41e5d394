/**
 * Which mailbox is this page: the school's (work), a personal one, or can't tell? Pure: the
 * content script reads the host, the path and (where the page shows it) the signed-in address,
 * and asks here.
 *
 * Why not by host alone: Gmail and Outlook on the web serve school and personal accounts from the
 * same hosts, so a host rule either breaks the school's own mail or lets personal mail through.
 * The account decides wherever it can be read; the host decides for consumer-only services.
 */
import { isFreeMailDomain } from '../dlp/free-mail-domains.ts';

export type MailboxKind = 'personal' | 'work' | 'unknown';

export type MailboxReason =
  /** A consumer-only webmail (Outlook.com, Yahoo, AOL, Proton…): personal by definition. */
  | 'consumer-host'
  /** Signed in to an address inside orgDomains (subdomains included). */
  | 'account-inside'
  /** Signed in to an address outside orgDomains, or to a free-mail address. */
  | 'account-outside'
  /** A shared host (Gmail, Outlook on the web) whose account could not be read. */
  | 'account-unread'
  /** A shared host signed in to a non-free-mail address, but no orgDomains to compare with. */
  | 'no-org-domains'
  /** Webmail the school hosts (policy `webmailSites`) whose account could not be read. */
  | 'school-hosted'
  /** Not a webmail Steward knows. */
  | 'not-a-mailbox';

export type MailboxVerdict = { kind: MailboxKind; reason: MailboxReason; account?: string };

/** Consumer-only webmail hosts (exact host, or any subdomain of it). */
export const CONSUMER_MAIL_HOSTS: readonly string[] = [
  'outlook.live.com',
  'mail.yahoo.com',
  'mail.aol.com',
  'mail.proton.me',
  'mail.protonmail.com',
  'app.tuta.com',
  'mail.tutanota.com',
  'app.tutanota.com',
  'mail.com',
  'mail.bt.com',
  'mail.qq.com',
  'mail.163.com',
  'e.mail.ru',
  'app.hey.com',
];

/**
 * Consumer webmail whatever the country suffix: every GMX host (the whole site is the mail
 * portal) and, for the services that also sell to businesses, only their `mail.` host
 * (mail.yandex.com.tr, mail.zoho.eu). A Zoho or Yandex mailbox signed in to a school address is
 * still work: the account, when read, wins. Suffixes are listed rather than looked up with `psl`:
 * its data would add ~150 kB to a script that loads on every Gmail and Outlook page, and the
 * content script's match patterns have to list them anyway (webmail/mailbox/matches.ts).
 */
export const GMX_SUFFIXES = ['com', 'co.uk', 'net', 'de', 'at', 'ch', 'fr', 'es'];
export const YANDEX_SUFFIXES = ['ru', 'com', 'com.tr', 'kz', 'by', 'ua'];
export const ZOHO_SUFFIXES = ['com', 'eu', 'in', 'com.au', 'jp', 'com.cn'];

function isConsumerByName(host: string): boolean {
  if (GMX_SUFFIXES.some((s) => under(host, `gmx.${s}`))) return true;
  if (YANDEX_SUFFIXES.some((s) => host === `mail.yandex.${s}`)) return true;
  return ZOHO_SUFFIXES.some((s) => host === `mail.zoho.${s}`);
}

/** Hosts shared by school and personal accounts: the account decides. */
export const SHARED_MAIL_HOSTS: readonly string[] = [
  'mail.google.com',
  'outlook.office.com',
  'outlook.office365.com',
];

const under = (host: string, parent: string) => host === parent || host.endsWith(`.${parent}`);

/** Whether this page is a consumer-only webmail (host, and for iCloud the path). */
export function isConsumerMailPage(hostname: string, pathname = '/'): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (CONSUMER_MAIL_HOSTS.some((h) => under(host, h))) return true;
  // iCloud Mail lives on the iCloud site under /mail; Photos, Drive… there are not mailboxes.
  if ((host === 'www.icloud.com' || host === 'icloud.com') && /^\/mail(\/|$)/.test(pathname)) {
    return true;
  }
  return isConsumerByName(host);
}

export function isSharedMailHost(hostname: string): boolean {
  return SHARED_MAIL_HOSTS.includes(hostname.toLowerCase());
}

/** The lower-case domain of an address, or null when it is not one. */
export function domainOfAddress(address: string): string | null {
  const m = /^[^\s@<>]+@([a-z0-9.-]+\.[a-z]{2,63})$/i.exec(address.trim());
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : null;
}

/** Inside the school: the address's domain is an orgDomain or a subdomain of one. */
export function isOrgAddress(address: string, orgDomains: readonly string[]): boolean {
  const domain = domainOfAddress(address);
  if (!domain) return false;
  return orgDomains.some((org) => under(domain, org.toLowerCase().replace(/^\*?\./, '')));
}

export type MailboxPage = {
  hostname: string;
  pathname?: string;
  /** The signed-in address as the page shows it; null when it could not be read. */
  account: string | null;
  /** The host is a webmail the school hosts itself (policy `webmailSites`). */
  schoolHosted?: boolean;
  orgDomains: readonly string[];
};

/**
 * The verdict, in this order: a school account is work wherever it is (Zoho or Yandex sold to a
 * school); a consumer-only host is personal; on a shared or school-hosted host the account
 * decides; a free-mail account (gmail.com…) is personal even when orgDomains is empty.
 *
 * When the account cannot be read on a shared host the answer is "unknown", not "personal": a
 * label on the school's own mailbox would teach staff to ignore it. The content script then
 * keeps looking (the title changes as Gmail loads) and reports a health signal if it never can.
 */
export function classifyMailbox(page: MailboxPage): MailboxVerdict {
  const account = page.account ? page.account.trim().toLowerCase() : null;
  const validAccount = account && domainOfAddress(account) ? account : null;
  const withAccount = validAccount ? { account: validAccount } : {};

  if (validAccount && isOrgAddress(validAccount, page.orgDomains)) {
    return { kind: 'work', reason: 'account-inside', ...withAccount };
  }
  if (isConsumerMailPage(page.hostname, page.pathname)) {
    return { kind: 'personal', reason: 'consumer-host', ...withAccount };
  }
  const shared = isSharedMailHost(page.hostname);
  if (!shared && !page.schoolHosted) return { kind: 'unknown', reason: 'not-a-mailbox' };
  if (!validAccount) {
    return page.schoolHosted
      ? { kind: 'work', reason: 'school-hosted' }
      : { kind: 'unknown', reason: 'account-unread' };
  }
  const domain = domainOfAddress(validAccount)!;
  if (isFreeMailDomain(domain) || page.orgDomains.length > 0) {
    return { kind: 'personal', reason: 'account-outside', account: validAccount };
  }
  return { kind: 'unknown', reason: 'no-org-domains', account: validAccount };
}
