import { describe, expect, it } from 'vitest';
import { FREE_MAIL_DOMAINS, isFreeMailDomain } from '../../../lib/dlp/free-mail-domains.ts';
import {
  assessRecipients,
  classifyRecipient,
  editDistance,
  lookalikeReason,
  parseAddress,
  skeleton,
} from '../../../lib/dlp/recipients.ts';

const ORG = ['stmarysschool.org.uk', 'stmarys.leeds.sch.uk'];
const kind = (address: string, org = ORG) => classifyRecipient({ address, field: 'to' }, org);

describe('parseAddress', () => {
  it('reads bare and display-name forms', () => {
    expect(parseAddress('"Lee, Ann" <Ann.Lee@StMarysSchool.org.uk>')).toEqual({
      address: 'Ann.Lee@StMarysSchool.org.uk',
      unicodeDomain: 'stmarysschool.org.uk',
    });
    expect(parseAddress('mailto:bob@gmail.com')?.unicodeDomain).toBe('gmail.com');
    expect(parseAddress('not an address')).toBeNull();
    expect(parseAddress('bob@')).toBeNull();
  });
});

describe('classification', () => {
  it('treats org domains and their subdomains as internal, case-insensitively', () => {
    expect(kind('head@StMarysSchool.org.uk').kind).toBe('internal');
    expect(kind('it@mail.stmarysschool.org.uk').kind).toBe('internal');
    expect(kind('office@stmarys.leeds.sch.uk').kind).toBe('internal');
  });
  it('does not treat a domain that merely ends with the same letters as internal', () => {
    expect(kind('x@notstmarysschool.org.uk').kind).toBe('external');
  });
  it('labels consumer mailboxes as external personal', () => {
    for (const a of [
      'p@gmail.com',
      'p@hotmail.co.uk',
      'p@btinternet.com',
      'p@proton.me',
      'p@sky.com',
    ]) {
      expect(kind(a).kind, a).toBe('external_personal');
    }
  });
  it('labels other organisations external', () => {
    expect(kind('admissions@leeds.gov.uk').kind).toBe('external');
    expect(kind('office@stjohns.leeds.sch.uk').kind).toBe('external');
  });
  it('treats an unreadable address as external (the cautious reading)', () => {
    expect(kind('Year 6 parents').kind).toBe('external');
  });
  it('has a curated free-mail list of about a hundred UK-relevant providers', () => {
    expect(FREE_MAIL_DOMAINS.size).toBeGreaterThanOrEqual(90);
    expect(isFreeMailDomain('gmail.com')).toBe(true);
    expect(isFreeMailDomain('leeds.gov.uk')).toBe(false);
  });
});

describe('look-alike domains', () => {
  const cases: [string, string, string][] = [
    ['stmarys-school.org.uk', 'stmarysschool.org.uk', 'punctuation'],
    ['starnarys.org.uk', 'stmarys.org.uk', 'misspelling'],
    ['stmary.org.uk', 'stmarys.org.uk', 'misspelling'],
    ['stmraysschool.org.uk', 'stmarysschool.org.uk', 'misspelling'],
    ['stmarysschool.co.uk', 'stmarysschool.org.uk', 'different_ending'],
    ['stmarysschoo1.org.uk', 'stmarysschool.org.uk', 'homoglyph'],
    ['stmarysschool-parents.org.uk', 'stmarysschool.org.uk', 'added_word'],
    ['stmarysschool.org.uk.secure-mail.com', 'stmarysschool.org.uk', 'embedded'],
  ];
  for (const [recipient, org, reason] of cases) {
    it(`${recipient} looks like ${org} (${reason})`, () => {
      expect(lookalikeReason(recipient, recipient, org)).toBe(reason);
    });
  }
  it('catches Cyrillic letters before punycode hides them', () => {
    const c = kind('bursar@stmаrysschool.org.uk'); // Cyrillic а
    expect(c.domain.startsWith('xn--')).toBe(true);
    expect(c.lookalike).toEqual({ orgDomain: 'stmarysschool.org.uk', reason: 'homoglyph' });
  });
  it('does not flag a different school one letter apart, or unrelated domains', () => {
    expect(lookalikeReason('stmarks.org.uk', 'stmarks.org.uk', 'stmarys.org.uk')).toBeNull();
    expect(lookalikeReason('leeds.gov.uk', 'leeds.gov.uk', 'stmarys.org.uk')).toBeNull();
    expect(lookalikeReason('gov.uk', 'gov.uk', 'stmarys.org.uk')).toBeNull();
    expect(lookalikeReason('abd.org.uk', 'abd.org.uk', 'abc.org.uk')).toBeNull();
  });
  it('never calls a free-mail provider a look-alike', () => {
    expect(kind('a@gmail.com', ['gmail.org.uk']).lookalike).toBeUndefined();
  });
  it('has a skeleton and edit distance that behave', () => {
    expect(skeleton('starnarys')).toBe('stamarys');
    expect(skeleton('paypa1')).toBe(skeleton('paypal'));
    expect(editDistance('stmarys', 'stmrays')).toBe(1);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });
});

describe('assessRecipients', () => {
  const many = (n: number, field: 'to' | 'cc' | 'bcc') =>
    Array.from({ length: n }, (_, i) => ({ address: `parent${i}@gmail.com`, field }));

  it('flags ten or more outside addresses visible in To/Cc', () => {
    const a = assessRecipients([...many(6, 'to'), ...many(9, 'cc').slice(6)], { orgDomains: ORG });
    expect(a.risks).toEqual([]);
    const b = assessRecipients([...many(5, 'to'), ...many(10, 'cc').slice(5)], { orgDomains: ORG });
    expect(b.risks).toEqual([{ kind: 'many_visible_external', count: 10, threshold: 10 }]);
  });
  it('does not count Bcc or internal addresses, and honours the policy threshold', () => {
    const list = [
      ...many(30, 'bcc'),
      ...Array.from({ length: 12 }, (_, i) => ({
        address: `t${i}@stmarysschool.org.uk`,
        field: 'to' as const,
      })),
    ];
    expect(assessRecipients(list, { orgDomains: ORG }).risks).toEqual([]);
    expect(
      assessRecipients(many(3, 'to'), { orgDomains: ORG, bulkRecipientThreshold: 3 }).risks,
    ).toHaveLength(1);
  });
  it('lists external recipients and look-alike risks', () => {
    const a = assessRecipients(
      [
        { address: 'head@stmarysschool.org.uk', field: 'to' },
        { address: 'Finance <finance@stmarys-school.org.uk>', field: 'cc' },
      ],
      { orgDomains: ['StMarysSchool.org.uk'] },
    );
    expect(a.external.map((r) => r.address)).toEqual(['finance@stmarys-school.org.uk']);
    expect(a.risks).toEqual([
      {
        kind: 'lookalike_domain',
        address: 'finance@stmarys-school.org.uk',
        orgDomain: 'stmarysschool.org.uk',
        reason: 'punctuation',
      },
    ]);
  });
});
