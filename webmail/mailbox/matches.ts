/**
 * Where the mailbox content script runs: shared hosts (account decides) and consumer webmail
 * (personal by host). Match patterns cannot wildcard a country suffix, so GMX, Yandex and Zoho
 * are listed per suffix in use.
 */
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
  ...['gmx.com', 'gmx.co.uk', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'gmx.fr', 'gmx.es'].map(
    (d) => `https://*.${d}/*`,
  ),
  ...['ru', 'com', 'com.tr', 'kz', 'by', 'ua'].map((s) => `https://mail.yandex.${s}/*`),
  ...['com', 'eu', 'in', 'com.au', 'jp', 'com.cn'].map((s) => `https://mail.zoho.${s}/*`),
];
