/**
 * Where the mailbox content script runs: shared hosts (account decides) and consumer webmail
 * (personal by host). Match patterns cannot wildcard a country suffix, so GMX, Yandex and Zoho
 * are listed per suffix in use.
 */
import { GMX_SUFFIXES, YANDEX_SUFFIXES, ZOHO_SUFFIXES } from '../../lib/mailbox/classify.ts';

export const MAILBOX_MATCHES: string[] = [
  // Shared: school and personal accounts.
  'https://mail.google.com/*',
  'https://outlook.office.com/*',
  'https://outlook.office365.com/*',
  // Consumer-only.
  'https://outlook.live.com/*',
  'https://mail.yahoo.com/*',
  'https://*.mail.yahoo.com/*',
  'https://mail.aol.com/*',
  'https://mail.proton.me/*',
  'https://mail.protonmail.com/*',
  'https://app.tuta.com/*',
  'https://mail.tutanota.com/*',
  'https://app.tutanota.com/*',
  'https://*.mail.com/*',
  'https://mail.com/*',
  'https://mail.bt.com/*',
  'https://mail.qq.com/*',
  'https://mail.163.com/*',
  'https://e.mail.ru/*',
  'https://app.hey.com/*',
  'https://www.icloud.com/*',
  ...GMX_SUFFIXES.map((s) => `https://*.gmx.${s}/*`),
  ...YANDEX_SUFFIXES.map((s) => `https://mail.yandex.${s}/*`),
  ...ZOHO_SUFFIXES.map((s) => `https://mail.zoho.${s}/*`),
];
