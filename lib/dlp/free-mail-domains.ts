/**
 * Consumer (free or ISP) email providers that UK parents, pupils and staff use. A recipient here is
 * "external personal": a private mailbox, outside any organisation's data protection controls,
 * which the seed policies single out ("never ... to a personal email address"). Curated for the UK:
 * the big webmails and their country variants, the UK ISPs' legacy addresses (BT, Sky, Virgin
 * Media, TalkTalk, Plusnet), and the privacy-focused providers. Not exhaustive on purpose: an
 * unknown domain is still "external", just not labelled personal.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google
  'gmail.com',
  'googlemail.com',
  // Microsoft
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.fr',
  'hotmail.it',
  'hotmail.es',
  'hotmail.de',
  'outlook.com',
  'outlook.co.uk',
  'live.co.uk',
  'live.com',
  'live.ie',
  'msn.com',
  'windowslive.com',
  // Yahoo / AOL (Yahoo Inc.)
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.ie',
  'yahoo.fr',
  'yahoo.in',
  'ymail.com',
  'rocketmail.com',
  'aol.com',
  'aol.co.uk',
  'aim.com',
  // Apple
  'icloud.com',
  'me.com',
  'mac.com',
  // UK ISPs and their legacy brands
  'btinternet.com',
  'btopenworld.com',
  'talk21.com',
  'sky.com',
  'virginmedia.com',
  'virgin.net',
  'ntlworld.com',
  'blueyonder.co.uk',
  'talktalk.net',
  'tiscali.co.uk',
  'tinyworld.co.uk',
  'plus.com',
  'plusnet.com',
  'orange.net',
  'wanadoo.co.uk',
  'o2.co.uk',
  'o2mail.co.uk',
  'ee.co.uk',
  'eclipse.co.uk',
  'zen.co.uk',
  'freeuk.com',
  'fsmail.net',
  'uwclub.net',
  'madasafish.com',
  'supanet.com',
  'onetel.com',
  'f2s.com',
  'waitrose.com',
  'postmaster.co.uk',
  'lineone.net',
  'clara.co.uk',
  'globalnet.co.uk',
  'freeserve.co.uk',
  'ukonline.co.uk',
  'mail.co.uk',
  // Privacy-focused and international free providers
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'tutanota.com',
  'tutanota.de',
  'tuta.io',
  'tuta.com',
  'gmx.com',
  'gmx.co.uk',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.com',
  'email.com',
  'usa.com',
  'post.com',
  'europe.com',
  'myself.com',
  'zoho.com',
  'zohomail.eu',
  'fastmail.com',
  'fastmail.fm',
  'hushmail.com',
  'mailfence.com',
  'runbox.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'inbox.com',
  'hey.com',
  'duck.com',
  'qq.com',
  '163.com',
  'rediffmail.com',
  'libero.it',
  'orange.fr',
  'free.fr',
  'laposte.net',
  't-online.de',
]);

/** Whether a (lower-case, ASCII) domain is a consumer mailbox provider, subdomains included. */
export function isFreeMailDomain(domain: string): boolean {
  let d = domain;
  for (;;) {
    if (FREE_MAIL_DOMAINS.has(d)) return true;
    const dot = d.indexOf('.');
    if (dot === -1) return false;
    d = d.slice(dot + 1);
  }
}
