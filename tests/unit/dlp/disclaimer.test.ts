import '../../../lib/dlp/custom-patterns.ts'; // the pattern engine (lib/dlp/custom-rules.ts)
import { describe, expect, it } from 'vitest';
import { hasDisclaimer, normaliseForDisclaimer } from '../../../lib/dlp/disclaimer.ts';
import { parseComposePolicy, resolveComposePolicy } from '../../../lib/dlp/policy.ts';
import { checkCompose, sendCheckPolicy, sendStep } from '../../../lib/send-warning.ts';

const DISCLAIMER =
  "This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please tell St Mary's School and delete it.";

describe('is the school’s disclaimer there?', () => {
  it('finds it exactly, at the end of a message', () => {
    expect(hasDisclaimer(`Dear Mrs Jones,\nSee you at 4.\n\n${DISCLAIMER}`, DISCLAIMER)).toBe(true);
  });
  it('tolerates case, line breaks, runs of spaces, no-break and zero-width spaces', () => {
    const rewrapped = DISCLAIMER.toUpperCase()
      .replace(/ and /g, '\n  AND\u00a0')
      .replace('addressee.', 'addressee.\u200b\r\n\t');
    expect(hasDisclaimer(`Hello\n${rewrapped}\n-- \nMr Patel`, DISCLAIMER)).toBe(true);
  });
  it('tolerates typographic quotes and dashes an editor puts in', () => {
    const curly = DISCLAIMER.replace("Mary's", 'Mary’s');
    expect(hasDisclaimer(curly, DISCLAIMER)).toBe(true);
    expect(hasDisclaimer('Sent by the office – a note', 'sent by the office - a note')).toBe(true);
  });
  it('does not accept part of it, or different words', () => {
    expect(hasDisclaimer(DISCLAIMER.slice(0, 80), DISCLAIMER)).toBe(false);
    expect(hasDisclaimer(DISCLAIMER.replace('solely', 'only'), DISCLAIMER)).toBe(false);
    expect(hasDisclaimer('', DISCLAIMER)).toBe(false);
  });
  it('normalises to one line of lower case', () => {
    expect(normaliseForDisclaimer('  A\u00a0 B\n\nC ’ ')).toBe("a b c '");
  });
});

describe('policy: compose.disclaimer and compose.secureRoute', () => {
  it('accepts both, trimmed', () => {
    const r = parseComposePolicy({
      disclaimer: `  ${DISCLAIMER}\n`,
      secureRoute: {
        name: ' Egress ',
        url: 'https://switch.egress.com/',
        note: 'Sign in with your school account.',
      },
    });
    expect(r.ok && r.policy.disclaimer).toBe(DISCLAIMER);
    expect(r.ok && r.policy.secureRoute).toEqual({
      name: 'Egress',
      url: 'https://switch.egress.com/',
      note: 'Sign in with your school account.',
    });
  });
  it('has neither by default', () => {
    const r = parseComposePolicy({});
    expect(r.ok && [r.policy.disclaimer, r.policy.secureRoute]).toEqual([undefined, undefined]);
  });
  it('names the field of each mistake', () => {
    const errorsOf = (input: unknown) => {
      const r = parseComposePolicy(input);
      return r.ok ? [] : r.errors;
    };
    expect(errorsOf({ disclaimer: '   ' })).toEqual(['compose.disclaimer: must not be empty']);
    expect(errorsOf({ disclaimer: 'x'.repeat(2001) })).toEqual([
      'compose.disclaimer: must be at most 2000 characters',
    ]);
    expect(
      errorsOf({ secureRoute: { name: 'Portal', url: 'http://portal.example.gov.uk' } }),
    ).toEqual(['compose.secureRoute.url: must be an https:// address']);
    expect(errorsOf({ secureRoute: { name: 'Portal', url: 'javascript:alert(1)' } })).toEqual([
      'compose.secureRoute.url: must be an https:// address',
    ]);
    expect(errorsOf({ secureRoute: { url: 'https://x.example' } })[0]).toMatch(
      /^compose\.secureRoute\.name: /,
    );
    expect(errorsOf({ secureRoute: 'Egress' })[0]).toMatch(
      /^compose\.secureRoute: must be an object with "name" and "url"/,
    );
  });
  it('a bad secure route is left out; the rest of the policy stays (lenient)', () => {
    const r = resolveComposePolicy({
      mode: 'block',
      disclaimer: DISCLAIMER,
      secureRoute: { name: 'Portal', url: 'ftp://x' },
    });
    expect(r.policy.mode).toBe('block');
    expect(r.policy.disclaimer).toBe(DISCLAIMER);
    expect(r.policy.secureRoute).toBeUndefined();
    expect(r.errors).toEqual(['compose.secureRoute.url: must be an https:// address']);
  });
});

describe('the send check and the disclaimer', () => {
  const ORG = 'stmarys-school.org.uk';
  const policy = sendCheckPolicy({ orgDomains: [ORG], compose: { disclaimer: DISCLAIMER } });
  const snapshot = (to: string, body: string) => ({
    recipients: { to: [to], cc: [], bcc: [] },
    subject: 'Trip',
    body,
    attachmentNames: [],
  });
  it('reminds (and only reminds) when harmless mail to outside lacks it', () => {
    const check = checkCompose(snapshot('parent@example.com', 'Coach at 9.'), policy);
    expect(check.decision.action).toBe('send');
    expect(check.disclaimerMissing).toBe(true);
    expect(sendStep(check)).toBe('remind');
  });
  it('lets it go when the disclaimer is there, however it was re-wrapped', () => {
    const body = `Coach at 9.\n\n${DISCLAIMER.replace(/ /g, '\n').toLowerCase()}`;
    const check = checkCompose(snapshot('parent@example.com', body), policy);
    expect(sendStep(check)).toBe('send');
  });
  it('never for mail to the school only, or without a disclaimer in policy, or mode off', () => {
    expect(sendStep(checkCompose(snapshot(`head@${ORG}`, 'Coach at 9.'), policy))).toBe('send');
    const none = sendCheckPolicy({ orgDomains: [ORG], compose: {} });
    expect(sendStep(checkCompose(snapshot('parent@example.com', 'Coach at 9.'), none))).toBe(
      'send',
    );
    const off = sendCheckPolicy({
      orgDomains: [ORG],
      compose: { mode: 'off', disclaimer: DISCLAIMER },
    });
    expect(sendStep(checkCompose(snapshot('parent@example.com', 'Coach at 9.'), off))).toBe('send');
  });
  it('with confidential data it is the warning (which offers the disclaimer), not the reminder', () => {
    const check = checkCompose(
      snapshot('parent@example.com', 'UPN: B801200005001\nNI number: AB 12 34 56 C'),
      policy,
    );
    expect(check.disclaimerMissing).toBe(true);
    expect(sendStep(check)).toBe('warn');
  });
});
