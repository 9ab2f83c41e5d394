import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_HEADER_PRIORITY,
  accountHeaderProblems,
  accountHeaderRules,
  accountHeadersFor,
} from '../../../lib/account-headers.ts';
import { PRIORITY, RULE_IDS } from '../../../lib/compiler.ts';
import { DEFAULT_MAILBOX_POLICY, type MailboxPolicy } from '../../../lib/mailbox/policy.ts';

const TENANT = '11111111-2222-3333-4444-555555555555';
const org = { orgDomains: ['school.example', 'students.school.example'] };
const mb = (m: Partial<MailboxPolicy>): MailboxPolicy => ({ ...DEFAULT_MAILBOX_POLICY, ...m });

const headersOn = (rules: ReturnType<typeof accountHeaderRules>, host: string) =>
  rules
    .filter((r) => r.condition.requestDomains.some((d) => host === d || host.endsWith(`.${d}`)))
    .flatMap((r) => r.action.requestHeaders);

describe('account header rules', () => {
  it('none unless the policy asks', () => {
    expect(accountHeaderRules(org, DEFAULT_MAILBOX_POLICY)).toEqual([]);
  });

  it('Google: the school domains on Google hosts only', () => {
    const rules = accountHeaderRules(org, mb({ restrictGoogleAccounts: true }));
    expect(rules).toHaveLength(1);
    expect(headersOn(rules, 'accounts.google.com')).toEqual([
      {
        header: 'X-GoogApps-Allowed-Domains',
        operation: 'set',
        value: 'school.example,students.school.example',
      },
    ]);
    expect(headersOn(rules, 'mail.google.com')).toHaveLength(1);
    expect(headersOn(rules, 'lh3.googleusercontent.com')).toHaveLength(1);
    expect(headersOn(rules, 'login.microsoftonline.com')).toEqual([]);
    expect(headersOn(rules, 'google.com.evil.example')).toEqual([]);
  });

  it('Google without orgDomains: no rule, and the admin is told', () => {
    const m = mb({ restrictGoogleAccounts: true });
    expect(accountHeaderRules({ orgDomains: [] }, m)).toEqual([]);
    expect(accountHeaderProblems({ orgDomains: [] }, m)[0]).toMatch(/needs orgDomains/);
    expect(accountHeaderProblems(org, m)).toEqual([]);
  });

  it('Microsoft tenant restrictions: both headers on the three Entra sign-in hosts', () => {
    const rules = accountHeaderRules(
      org,
      mb({
        restrictMicrosoftTenants: {
          tenantDomains: ['school.onmicrosoft.com'],
          tenantIds: [TENANT],
          tenantContext: TENANT,
        },
      }),
    );
    for (const host of ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net']) {
      expect(headersOn(rules, host)).toEqual([
        {
          header: 'Restrict-Access-To-Tenants',
          operation: 'set',
          value: `school.onmicrosoft.com,${TENANT}`,
        },
        { header: 'Restrict-Access-Context', operation: 'set', value: TENANT },
      ]);
    }
    expect(headersOn(rules, 'login.live.com')).toEqual([]);
  });

  it('consumer Microsoft: restrict-msa on login.live.com only', () => {
    const rules = accountHeaderRules(org, mb({ blockConsumerMicrosoft: true }));
    expect(headersOn(rules, 'login.live.com')).toEqual([
      { header: 'sec-Restrict-Tenant-Access-Policy', operation: 'set', value: 'restrict-msa' },
    ]);
    expect(headersOn(rules, 'login.microsoftonline.com')).toEqual([]);
  });

  it('YouTube restricted mode only when set', () => {
    const rules = accountHeaderRules(org, mb({ youtubeRestrict: 'Strict' }));
    expect(headersOn(rules, 'www.youtube.com')).toEqual([
      { header: 'YouTube-Restrict', operation: 'set', value: 'Strict' },
    ]);
  });

  it('ids are in the reserved range, unique and stable per purpose; priority beats allow rules', () => {
    const all = accountHeaderRules(
      org,
      mb({
        restrictGoogleAccounts: true,
        blockConsumerMicrosoft: true,
        youtubeRestrict: 'Moderate',
        restrictMicrosoftTenants: { tenantDomains: [], tenantIds: [TENANT], tenantContext: TENANT },
      }),
    );
    expect(all).toHaveLength(4);
    const ids = all.map((r) => r.id);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(RULE_IDS.accountHeaders.first);
      expect(id).toBeLessThanOrEqual(RULE_IDS.accountHeaders.last);
    }
    const msaOnly = accountHeaderRules(org, mb({ blockConsumerMicrosoft: true }));
    expect(msaOnly[0]!.id).toBe(
      all.find((r) => r.condition.requestDomains[0] === 'login.live.com')!.id,
    );
    // An allow-listed google.com (allowList tier + specificity < 1,000) must not switch it off.
    expect(ACCOUNT_HEADER_PRIORITY).toBeGreaterThan(PRIORITY.allowList + 999);
    for (const r of all) {
      expect(r.condition.resourceTypes).toEqual(['main_frame', 'sub_frame', 'xmlhttprequest']);
    }
  });

  it('accountHeadersFor parses the raw policy strictly', () => {
    expect(accountHeadersFor({ ...org, mailbox: undefined })).toEqual({
      ok: true,
      rules: [],
      warnings: [],
    });
    const bad = accountHeadersFor({ ...org, mailbox: { restrictGoogleAccounts: 'yes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^mailbox\.restrictGoogleAccounts: /);
    const good = accountHeadersFor({ ...org, mailbox: { restrictGoogleAccounts: true } });
    expect(good.ok && good.rules.length).toBe(1);
  });
});
