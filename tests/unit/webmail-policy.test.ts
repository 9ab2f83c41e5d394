/**
 * The webmail part of the policy, asked of the worker or read from the policy it last applied
 * (lib/webmail-policy.ts): the same answer either way, and nothing guessed from what cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, resolvePolicy, type StewardPolicy } from '../../lib/policy.ts';
import {
  EFFECTIVE_POLICY_KEY,
  webmailPolicyFromStored,
  webmailPolicyOf,
} from '../../lib/webmail-policy.ts';

function resolved(managed: unknown): StewardPolicy {
  const result = resolvePolicy(managed);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.policy;
}

const SCHOOL = resolved({
  schoolName: 'St Mary’s School',
  orgDomains: ['stmarys-school.org.uk'],
  webmailSites: [{ service: 'roundcube', host: 'Mail.StMarys-School.org.uk' }],
  compose: { disclaimer: { text: 'This email is confidential.' } },
  mailbox: { personalWebmail: 'label' },
});

describe('the webmail part of the policy', () => {
  it('is the same read from storage as asked of the worker', () => {
    const asked = webmailPolicyOf(SCHOOL);
    expect(asked).toMatchObject({
      orgDomains: ['stmarys-school.org.uk'],
      webmailSites: [{ service: 'roundcube', host: 'mail.stmarys-school.org.uk' }],
      schoolName: 'St Mary’s School',
    });
    // What storage.local holds is the policy as JSON (structured clone, no functions or classes).
    expect(webmailPolicyFromStored(JSON.parse(JSON.stringify(SCHOOL)))).toEqual(asked);
    expect(webmailPolicyFromStored(DEFAULT_POLICY)).toEqual(webmailPolicyOf(DEFAULT_POLICY));
  });

  it('is nothing when nothing usable is stored', () => {
    for (const stored of [undefined, null, 'policy', 42, ['orgDomains']]) {
      expect(webmailPolicyFromStored(stored)).toBeNull();
    }
  });

  it('leaves out what cannot be read, never guessing', () => {
    expect(
      webmailPolicyFromStored({
        orgDomains: ['school.org.uk', 7, null],
        webmailSites: [
          { service: 'roundcube', host: 'mail.school.org.uk' },
          { service: 'hotmail', host: 'x' },
          { service: 'gmail' },
          'mail.school.org.uk',
        ],
        schoolName: '',
        compose: { disclaimer: 3 },
      }),
    ).toEqual({
      orgDomains: ['school.org.uk'],
      webmailSites: [{ service: 'roundcube', host: 'mail.school.org.uk' }],
      compose: { disclaimer: 3 },
      mailbox: undefined,
    });
  });

  it('reads the key installed browsers already hold the policy under', () => {
    // platform/storage.ts defines the item with this key; renaming it would leave every installed
    // browser's webmail reading nothing until its worker applied a policy again.
    expect(EFFECTIVE_POLICY_KEY).toBe('effectivePolicy');
  });
});
