import { describe, expect, it } from 'vitest';
import {
  type CategoryList,
  compileRules,
  explainUrl,
  LIMITS,
  PRIORITY,
  RULE_IDS,
} from '../../lib/compiler.ts';
import { normaliseDomain } from '../../lib/domains.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../../lib/policy.ts';

const BLOCK_PAGE = 'chrome-extension://abc/blocked.html';
const list = (...domains: string[]): CategoryList => ({ domains, urlPrefixes: [] });

function compile(
  categoryLists: Record<string, CategoryList>,
  policy: Partial<StewardPolicy> = {},
  target: 'chrome' | 'firefox' = 'chrome',
) {
  const result = compileRules({
    policy: {
      ...DEFAULT_POLICY,
      ...policy,
      categories: { ...DEFAULT_POLICY.categories, ...policy.categories },
    },
    categoryLists,
    blockPageUrl: BLOCK_PAGE,
    target,
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result;
}

const verdict = (rules: ReturnType<typeof compile>['rules'], url: string) => {
  const v = explainUrl(rules, url);
  return 'source' in v ? `${v.outcome}:${v.source}:${v.entry}` : v.outcome;
};

describe('packing', () => {
  it('packs a category into one rule per domain depth, however many domains', () => {
    const domains = Array.from({ length: 50_000 }, (_, i) => `site${i}.example`);
    domains.push('a.b.example', 'c.d.example');
    const { rules, summary } = compile({ streaming: list(...domains) });
    expect(rules).toHaveLength(2);
    expect(summary.domainsByCategory.streaming).toBe(50_002);
    expect(rules.map((r) => r.priority).sort()).toEqual([
      PRIORITY.category + 2,
      PRIORITY.category + 3,
    ]);
  });

  it('drops subdomains already covered by a listed parent in the same category', () => {
    const { summary } = compile({
      streaming: list('youtube.com', 'm.youtube.com', 'music.youtube.com', 'ytimg.com'),
    });
    expect(summary.domainsByCategory.streaming).toBe(2);
  });

  it('uses rule ids from the reserved policy range, in order', () => {
    const { rules } = compile(
      { streaming: list('youtube.com'), social: list('facebook.com') },
      { blockList: ['x.org'] },
    );
    expect(rules.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(Math.max(...rules.map((r) => r.id))).toBeLessThanOrEqual(RULE_IDS.policy.last);
  });

  it('matches navigations only and redirects to the block page with category, mode and the URL', () => {
    const { rules } = compile({ gambling: list('bet365.com') });
    const [rule] = rules;
    expect(rule!.condition.resourceTypes).toEqual(['main_frame', 'sub_frame']);
    expect(rule!.action).toEqual({
      type: 'redirect',
      redirect: { regexSubstitution: `${BLOCK_PAGE}?c=gambling&m=block#\\0` },
    });
  });

  it('emits nothing for a category in allow mode unless it carves out of a stricter one', () => {
    const { rules } = compile(
      { streaming: list('youtube.com') },
      { categories: { streaming: 'allow' } },
    );
    expect(rules).toHaveLength(0);
  });
});

describe('precedence: allowList > blockList > category; the more specific entry wins between equals', () => {
  const lists = {
    streaming: list('youtube.com', 'netflix.com'),
    social: list('facebook.com'),
    education: {
      domains: ['edu.youtube.com'],
      urlPrefixes: [{ host: 'www.youtube.com', path: '/channel/UCschool' }],
    },
  };

  it('allowList beats a category', () => {
    const { rules } = compile(lists, { allowList: ['netflix.com'] });
    expect(verdict(rules, 'https://www.netflix.com/')).toBe('allowed:allowList:netflix.com');
  });

  it('allowList beats blockList', () => {
    const { rules } = compile(lists, {
      allowList: ['example.org'],
      blockList: ['example.org', 'news.example.org'],
    });
    expect(verdict(rules, 'https://news.example.org/')).toBe('allowed:allowList:example.org');
  });

  it('blockList beats a category in allow mode', () => {
    const { rules } = compile(lists, {
      categories: { streaming: 'allow' },
      blockList: ['netflix.com'],
    });
    expect(verdict(rules, 'https://netflix.com/')).toBe('blocked:blockList:netflix.com');
    expect(verdict(rules, 'https://youtube.com/')).toBe('allowed');
  });

  it('a URL prefix in the allow list opens only that part of a blocked site', () => {
    const { rules } = compile(lists, { allowList: ['https://www.youtube.com/edu'] });
    expect(verdict(rules, 'https://www.youtube.com/education')).toBe(
      'allowed:allowList:www.youtube.com/edu',
    );
    expect(verdict(rules, 'https://www.youtube.com/watch?v=1')).toBe(
      'blocked:streaming:youtube.com',
    );
  });

  it('a URL prefix in the block list blocks only that part of an allowed site', () => {
    const { rules } = compile(lists, { blockList: ['example.org/games'] });
    expect(verdict(rules, 'https://example.org/games/1')).toBe(
      'blocked:blockList:example.org/games',
    );
    expect(verdict(rules, 'https://example.org/maths')).toBe('allowed');
  });

  it('a more specific domain of an allowed category wins over its blocked parent', () => {
    const { rules } = compile(lists, { categories: { education: 'allow' } });
    expect(verdict(rules, 'https://edu.youtube.com/x')).toBe(
      'allowed:category exception:edu.youtube.com',
    );
    expect(verdict(rules, 'https://www.youtube.com/channel/UCschool/videos')).toBe(
      'allowed:category exception:www.youtube.com/channel/UCschool',
    );
    expect(verdict(rules, 'https://www.youtube.com/')).toBe('blocked:streaming:youtube.com');
  });

  it('the same domain in two categories takes the stricter mode', () => {
    const { rules } = compile(
      { streaming: list('twitch.tv'), chat: list('twitch.tv') },
      { categories: { streaming: 'allow', chat: 'warn' } },
    );
    expect(verdict(rules, 'https://twitch.tv/')).toBe('warned:chat:twitch.tv');
  });

  it('warn mode redirects with m=warn', () => {
    const { rules } = compile(lists, { categories: { social: 'warn' } });
    expect(verdict(rules, 'https://m.facebook.com/')).toBe('warned:social:facebook.com');
  });

  it('does not match look-alikes or paths that mention a blocked domain', () => {
    const { rules } = compile(lists);
    for (const url of [
      'https://notyoutube.com/',
      'https://youtube.com.example.org/',
      'https://example.org/youtube.com',
    ]) {
      expect(verdict(rules, url), url).toBe('allowed');
    }
  });
});

describe('invalid entries and limits', () => {
  it('names each invalid entry and where it is', () => {
    const result = compileRules({
      policy: { ...DEFAULT_POLICY, blockList: ['ok.org', 'exa mple.com', 'co.uk'] },
      categoryLists: {},
      blockPageUrl: BLOCK_PAGE,
      target: 'chrome',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatch(/^blockList\[1\]: "exa mple.com" is not a domain name/);
    expect(result.errors[1]).toMatch(/^blockList\[2\]: "co.uk" is a public suffix/);
  });

  it('says which limit a policy would break instead of failing inside the browser', () => {
    const blockList = Array.from({ length: 950 }, (_, i) => `example.org/page${i}`);
    const result = compileRules({
      policy: { ...DEFAULT_POLICY, blockList },
      categoryLists: {},
      blockPageUrl: BLOCK_PAGE,
      target: 'chrome',
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.join(' ')).toMatch(/950 URL prefixes .*Chrome and Edge allow 1,000/);
  });

  it("fits a million domains in a handful of rules, within Firefox's 5,000", () => {
    const domains = Array.from(
      { length: 1_000_000 },
      (_, i) => `d${i}.example${i % 7 === 0 ? '.co.uk' : ''}`,
    );
    const { rules } = compile({ proxy: { domains, urlPrefixes: [] } }, {}, 'firefox');
    expect(rules.length).toBeLessThan(10);
    expect(rules.length).toBeLessThan(LIMITS.firefox.dynamic);
  });
});

describe('normalisation', () => {
  it.each([
    ['YouTube.COM', 'youtube.com'],
    ['youtube.com.', 'youtube.com'],
    ['*.youtube.com', 'youtube.com'],
    ['www.youtube.com', 'youtube.com'],
    ['www.www.youtube.com', 'youtube.com'],
    ['  netflix.com  ', 'netflix.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['ÉCOLE.fr', 'xn--cole-9oa.fr'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it('is idempotent: normalising a normalised domain changes nothing', () => {
    for (const input of ['www.www.Example.COM.', '*.www.bücher.de', 'WWW.news.bbc.co.uk']) {
      const once = normaliseDomain(input);
      expect(once.ok).toBe(true);
      if (once.ok) expect(normaliseDomain(once.domain)).toEqual(once);
    }
  });

  it.each(['', 'com', 'co.uk', 'leeds.sch.uk', '1.2.3.4', 'a b.com', 'http://x', '-bad-.com'])(
    'rejects %j with a reason',
    (input) => {
      const result = normaliseDomain(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
    },
  );
});
