/**
 * Locked categories (issue 11 part 4): a category a signed rule list marks `locked` is always
 * blocked. No policy mode, allow-list entry (domain or URL prefix), "Continue" grant or safe-search
 * rule outranks it. Judged on the compiled rules with the same matching DNR does (explainUrl), and
 * on the priorities the other features use.
 */
import { describe, expect, it } from 'vitest';
import { type CategoryList, compileRules, explainUrl, PRIORITY } from '../../lib/compiler.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../../lib/policy.ts';
import {
  lockedCategoriesOf,
  parseRuleList,
  serialiseRuleList,
  validateRuleList,
} from '../../lib/rule-list/document.ts';

const BLOCK_PAGE = 'chrome-extension://abc/blocked.html';
const list = (...domains: string[]): CategoryList => ({ domains, urlPrefixes: [] });

function compile(
  categoryLists: Record<string, CategoryList>,
  policy: Partial<StewardPolicy>,
  lockedCategories: string[],
) {
  const result = compileRules({
    policy: {
      ...DEFAULT_POLICY,
      ...policy,
      categories: { ...DEFAULT_POLICY.categories, ...policy.categories },
    },
    categoryLists,
    blockPageUrl: BLOCK_PAGE,
    target: 'chrome',
    lockedCategories,
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result;
}

const lists = {
  extremism: list('extreme.example', 'cdn.hate.example'),
  streaming: list('youtube.com'),
};

describe('a locked category', () => {
  it('is blocked even when the policy sets its mode to allow or warn', () => {
    for (const mode of ['allow', 'warn'] as const) {
      const { rules, summary } = compile(lists, { categories: { extremism: mode } }, ['extremism']);
      const v = explainUrl(rules, 'https://www.extreme.example/page');
      expect(v.outcome).toBe('blocked');
      expect('source' in v && v.source).toBe('extremism');
      expect('locked' in v && v.locked).toBe(true);
      expect(summary.lockedCategories).toEqual(['extremism']);
      // Never a warning, so the block page never offers Continue.
      const redirects = rules.filter((r) => r.action.type === 'redirect');
      for (const r of redirects.filter((r) => r.priority >= PRIORITY.locked)) {
        expect(JSON.stringify(r.action)).toContain('m=block');
      }
    }
  });

  it('holds against an allow-list domain, a subdomain entry and a URL prefix', () => {
    const { rules } = compile(
      lists,
      { allowList: ['extreme.example', 'cdn.hate.example', 'extreme.example/teaching-resource'] },
      ['extremism'],
    );
    expect(explainUrl(rules, 'https://extreme.example/').outcome).toBe('blocked');
    expect(explainUrl(rules, 'https://extreme.example/teaching-resource/1').outcome).toBe(
      'blocked',
    );
    expect(explainUrl(rules, 'https://img.cdn.hate.example/x.png').outcome).toBe('blocked');
  });

  it('outranks every priority another feature uses to open or rewrite a request', () => {
    const { rules } = compile(lists, { allowList: ['extreme.example/a-very-long-path'] }, [
      'extremism',
    ]);
    const lockedMin = Math.min(
      ...rules.filter((r) => r.priority >= PRIORITY.locked).map((r) => r.priority),
    );
    const others = rules.filter((r) => r.priority < PRIORITY.locked);
    expect(Math.max(...others.map((r) => r.priority))).toBeLessThan(lockedMin);
    expect(PRIORITY.warnContinue).toBeLessThan(lockedMin);
    expect(PRIORITY.safeSearch).toBeLessThan(lockedMin);
    // The longest allow-list URL prefix the policy can hold still sits below.
    expect(PRIORITY.allowList + 200 + 700).toBeLessThan(PRIORITY.locked);
  });

  it('leaves unlocked categories to the policy as before', () => {
    const { rules } = compile(
      lists,
      { categories: { streaming: 'allow' }, allowList: ['extreme.example'] },
      [],
    );
    expect(explainUrl(rules, 'https://www.youtube.com/').outcome).toBe('allowed');
    expect(explainUrl(rules, 'https://extreme.example/').outcome).toBe('allowed');
  });

  it('blocks its URL prefixes above an allowed parent domain', () => {
    const { rules } = compile(
      { extremism: { domains: [], urlPrefixes: [{ host: 'forum.example', path: '/board/9' }] } },
      { allowList: ['forum.example'] },
      ['extremism'],
    );
    expect(explainUrl(rules, 'https://forum.example/board/9/thread').outcome).toBe('blocked');
    expect(explainUrl(rules, 'https://forum.example/board/1').outcome).toBe('allowed');
  });

  it('counts its domains (subdomains of a listed domain are covered, not repeated)', () => {
    const { summary } = compile({ extremism: list('a.example', 'x.a.example', 'b.example') }, {}, [
      'extremism',
    ]);
    expect(summary.domainsByCategory.extremism).toBe(2);
  });

  it('ignores a lock on a category that has no list in force', () => {
    const { summary } = compile(lists, {}, ['nonexistent']);
    expect(summary.lockedCategories).toEqual([]);
  });
});

describe('the rule list marks a category locked', () => {
  const doc = {
    format: 'steward.rule-list/1',
    version: 7,
    issuedAt: '2026-11-01T09:00:00Z',
    categories: {
      extremism: { locked: true, domains: ['extreme.example'] },
      gambling: { domains: ['bet.example'] },
    },
  };

  it('parses `locked: true` and lists the locked categories', () => {
    const result = validateRuleList(doc);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.categories.extremism!.locked).toBe(true);
    expect(result.document.categories.gambling!.locked).toBeUndefined();
    expect(lockedCategoriesOf(result.document)).toEqual(['extremism']);
  });

  it('keeps the lock through serialise and parse', () => {
    const result = validateRuleList(doc);
    if (!result.ok) throw new Error(result.reason);
    const again = parseRuleList(new TextEncoder().encode(serialiseRuleList(result.document)));
    expect(again.ok && lockedCategoriesOf(again.document)).toEqual(['extremism']);
  });

  it('refuses a lock that is not true or false, saying where', () => {
    const result = validateRuleList({
      ...doc,
      categories: { extremism: { locked: 'yes', domains: [] } },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toBe('categories.extremism.locked: must be true or false.');
  });
});
