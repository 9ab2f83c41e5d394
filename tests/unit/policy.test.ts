import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyFingerprint, resolvePolicy } from '../../lib/policy.ts';

describe('resolvePolicy', () => {
  it('with no policy, applies the documented default: every built-in category but auctions blocked', () => {
    const result = resolvePolicy({});
    expect(result.ok && result.source).toBe('default');
    if (!result.ok) return;
    expect(result.policy.categories).toEqual({
      streaming: 'block',
      webmail: 'block',
      social: 'block',
      gambling: 'block',
      adult: 'block',
      chat: 'block',
      proxy: 'block',
      piracy: 'block',
      // Only seed 003 forbids auctions and buying online.
      auctions: 'allow',
      extremism: 'block',
    });
    expect(result.policy.downloads).toEqual({ mode: 'block', allowFrom: [] });
    expect(result.policy.safeSearch).toEqual({ enabled: true, youtube: 'moderate' });
  });

  it('lays managed settings over the default, keeping categories it does not name', () => {
    const result = resolvePolicy({
      categories: { streaming: 'warn' },
      orgDomains: ['StMarys.Leeds.sch.uk'],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.source).toBe('managed');
    expect(result.policy.categories.streaming).toBe('warn');
    expect(result.policy.categories.gambling).toBe('block');
    expect(result.policy.orgDomains).toEqual(['stmarys.leeds.sch.uk']);
  });

  it.each([
    [
      { categories: { streaming: 'sometimes' } },
      'categories.streaming: a category mode must be "block", "warn" or "allow".',
    ],
    [
      { blockList: 'youtube.com' },
      'blockList: blockList must be a list of domains or URL prefixes.',
    ],
    [
      { allowList: ['ok.org', 'not a domain'] },
      'allowList[1]: "not a domain" is not a domain name.',
    ],
    [
      { reportUrl: 'http://reports.example.org/v1' },
      'reportUrl: reportUrl must be an https:// URL (http://localhost is allowed for testing).',
    ],
    [
      { reportIntervalMinutes: 0 },
      'reportIntervalMinutes: reportIntervalMinutes must be at least 1.',
    ],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone: timeZone must be an IANA time zone.'],
    [
      { orgDomains: ['sch.uk'] },
      'orgDomains[0]: "sch.uk" is a public suffix: it would match every site under it.',
    ],
  ])('rejects %j, saying what and where', (policy, message) => {
    const result = resolvePolicy(policy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContain(message);
  });

  it('rejects a school domain that is itself a public suffix (every .sch.uk council name is one)', () => {
    const result = resolvePolicy({ orgDomains: ['stmarys.sch.uk'] });
    expect(result.ok).toBe(false);
  });

  it('ignores unknown settings with a warning rather than rejecting the policy', () => {
    const result = resolvePolicy({ blockList: ['x.org'], colour: 'blue' });
    expect(result.ok && result.warnings).toEqual(['Unknown policy setting "colour" was ignored.']);
  });

  it('allows http only for localhost endpoints', () => {
    expect(resolvePolicy({ reportUrl: 'http://127.0.0.1:8787/v1/reports' }).ok).toBe(true);
    expect(resolvePolicy({ ruleListUrl: 'https://rules.example.org/list.json' }).ok).toBe(true);
  });

  it('fingerprints policies by content, not key order', () => {
    const a = { ...DEFAULT_POLICY, blockList: ['a.org'], schoolName: 'X' };
    const b = { schoolName: 'X', ...DEFAULT_POLICY, blockList: ['a.org'] };
    expect(policyFingerprint(a)).toBe(policyFingerprint(b));
    expect(policyFingerprint(a)).not.toBe(policyFingerprint({ ...a, blockList: ['b.org'] }));
  });
});
