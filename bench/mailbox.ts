/**
 * Personal-mailbox figures (issue 6): the pure work the content script repeats on every title
 * change, SPA navigation and throttled DOM change (classify the page, check subjects), and the
 * header rules the service worker builds per policy. Median of 5 runs of N calls each.
 *
 *   node --import tsx bench/mailbox.ts
 */
import { pathToFileURL } from 'node:url';
import { accountHeaderRules } from '../lib/account-headers.ts';
import { classifyMailbox } from '../lib/mailbox/classify.ts';
import { parseMailboxPolicy } from '../lib/mailbox/policy.ts';
import { toggleSubjectLabel } from '../lib/mailbox/subject.ts';
import { gmailAccountFromTitle } from '../webmail/mailbox/account.ts';
import { median, record } from './summary.ts';

const N = 100_000;

function time(fn: (i: number) => unknown): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < N; i++) fn(i);
    runs.push(((performance.now() - start) * 1000) / N);
  }
  return median(runs);
}

export async function run(): Promise<void> {
  const orgDomains = ['stmarys-school.org.uk', 'stmarys.sch.uk'];
  const titles = [
    'Inbox (3) - teacher@stmarys-school.org.uk - St Mary’s School Mail',
    'Re: write to bob@example.org - jo.smith@gmail.com - Gmail',
  ];
  const hosts = ['mail.google.com', 'outlook.live.com', 'navigator-bs.gmx.co.uk', 'www.bbc.co.uk'];
  const verdict = time((i) =>
    classifyMailbox({
      hostname: hosts[i % hosts.length]!,
      pathname: '/mail/u/0/',
      account: gmailAccountFromTitle(titles[i % 2]!),
      orgDomains,
    }),
  );
  const subject = time((i) =>
    toggleSubjectLabel(i % 2 ? 'PERSONAL: Re: Saturday' : 'Re: x', 'PERSONAL'),
  );
  const policy = parseMailboxPolicy({
    restrictGoogleAccounts: true,
    blockConsumerMicrosoft: true,
    restrictMicrosoftTenants: {
      tenantDomains: ['stmarys.onmicrosoft.com'],
      tenantContext: '11111111-2222-3333-4444-555555555555',
    },
  });
  if (!policy.ok) throw new Error(policy.errors.join('; '));
  const rules = time(() => accountHeaderRules({ orgDomains }, policy.policy));
  const parse = time(() =>
    parseMailboxPolicy({ subjectLabel: 'Private', knownContacts: ['a@gmail.com'] }),
  );

  console.log(`read Gmail title + classify page: ${verdict.toFixed(2)} µs per check`);
  console.log(`subject label toggle:             ${subject.toFixed(2)} µs`);
  console.log(`mailbox policy parse (strict):    ${parse.toFixed(2)} µs`);
  console.log(`account header rules (3 rules):   ${rules.toFixed(2)} µs`);
  record({
    area: 'mailbox',
    measure: 'title read + mailbox classification',
    value: `${verdict.toFixed(2)} µs`,
  });
  record({
    area: 'mailbox',
    measure: 'account header rules built',
    value: `${rules.toFixed(2)} µs`,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
