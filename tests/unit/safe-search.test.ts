import { describe, expect, it } from 'vitest';
import {
  compileRules,
  explainUrl,
  explainUrls,
  LIMITS,
  PRIORITY,
  RULE_IDS,
} from '../../lib/compiler.ts';
import { DEFAULT_POLICY, resolvePolicy } from '../../lib/policy.ts';
import {
  DEFAULT_SAFE_SEARCH,
  GOOGLE_DOMAINS,
  type SafeSearchRule,
  SEARCH_ENGINES,
  safeSearchRuleIds,
  safeSearchRules,
  searchSamples,
} from '../../lib/safe-search.ts';

/** Which rule (if any) DNR would apply to a request, by requestDomains + regexFilter. */
function matching(rules: SafeSearchRule[], url: string, type = 'main_frame') {
  const u = new URL(url);
  const host = u.hostname;
  return rules.filter(
    (r) =>
      r.condition.resourceTypes.includes(type as never) &&
      r.condition.requestDomains.some((d) => host === d || host.endsWith(`.${d}`)) &&
      (!r.condition.regexFilter || new RegExp(r.condition.regexFilter).test(url)),
  );
}

function addedParam(rules: SafeSearchRule[], url: string): string | null {
  const [rule] = matching(rules, url);
  if (rule?.action.type !== 'redirect') return null;
  const [p] = rule.action.redirect.transform.queryTransform.addOrReplaceParams;
  return `${p!.key}=${p!.value}`;
}

describe('safe search rules (default: on, YouTube moderate)', () => {
  const rules = safeSearchRules(DEFAULT_SAFE_SEARCH);

  it.each([
    ['https://www.google.co.uk/search?q=x', 'safe=active'],
    ['https://www.google.com/search?q=x&tbm=isch', 'safe=active'],
    ['https://www.google.com/search?q=x&udm=2', 'safe=active'],
    ['https://www.google.de/search?q=x&tbm=vid', 'safe=active'],
    ['https://www.google.com.au/search?q=x', 'safe=active'],
    ['https://www.google.co.uk/webhp?q=x', 'safe=active'],
    ['https://www.bing.com/search?q=x', 'adlt=strict'],
    ['https://www.bing.com/images/search?q=x', 'adlt=strict'],
    ['https://www.bing.com/videos/search?q=x', 'adlt=strict'],
    ['https://duckduckgo.com/?q=x', 'kp=1'],
    ['https://html.duckduckgo.com/html/?q=x', 'kp=1'],
    ['https://search.yahoo.com/search?p=x', 'vm=r'],
    ['https://uk.search.yahoo.com/search?p=x', 'vm=r'],
    ['https://images.search.yahoo.com/search/images?p=x', 'vm=r'],
  ])('%s gets %s', (url, param) => {
    expect(addedParam(rules, url)).toBe(param);
  });

  it.each([
    'https://docs.google.com/document/d/1',
    'https://mail.google.com/mail/u/0/',
    'https://classroom.google.com/search',
    'https://www.google.co.uk/maps',
    'https://www.bing.com/maps',
    'https://duckduckgo.com/about',
    'https://www.yahoo.com/',
    'https://www.google.example.com/search?q=x',
  ])('leaves %s alone', (url) => {
    expect(addedParam(rules, url)).toBeNull();
  });

  it('covers every Google country domain, as www. hosts only', () => {
    const google = rules.find((r) => r.condition.requestDomains.includes('www.google.co.uk'))!;
    expect(google.condition.requestDomains).toHaveLength(GOOGLE_DOMAINS.length);
    expect(GOOGLE_DOMAINS.length).toBeGreaterThan(180);
    expect(google.condition.requestDomains.every((d) => d.startsWith('www.google.'))).toBe(true);
  });

  it('sends YouTube-Restrict: Moderate to YouTube and its APIs, on page and API requests', () => {
    for (const [url, type] of [
      ['https://www.youtube.com/watch?v=1', 'main_frame'],
      ['https://m.youtube.com/', 'main_frame'],
      ['https://www.youtube-nocookie.com/embed/1', 'sub_frame'],
      ['https://youtubei.googleapis.com/youtubei/v1/search', 'xmlhttprequest'],
    ] as const) {
      const [rule] = matching(rules, url, type);
      expect(rule?.action, url).toEqual({
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'YouTube-Restrict', operation: 'set', value: 'Moderate' }],
      });
    }
  });

  it('uses ids in its own range and a priority above the allow list, below locked categories', () => {
    for (const r of rules) {
      expect(r.id).toBeGreaterThanOrEqual(RULE_IDS.safeSearch.first);
      expect(r.id).toBeLessThanOrEqual(RULE_IDS.safeSearch.last);
      expect(r.priority).toBeGreaterThan(PRIORITY.allowList + 900);
      expect(r.priority).toBeLessThan(PRIORITY.locked);
    }
    expect(new Set(safeSearchRuleIds()).size).toBe(1000);
  });

  it('fits the redirect/header budget in Chrome and Firefox with room to spare', () => {
    expect(rules.length).toBe(SEARCH_ENGINES.length + 1);
    expect(rules.length).toBeLessThan(LIMITS.firefox.unsafe / 100);
    // Regex rules count against the 1,000 regex limit too: one per engine.
    expect(rules.filter((r) => r.condition.regexFilter).length).toBe(SEARCH_ENGINES.length);
  });

  it('writes regexFilters RE2 accepts (no look-around or back-references)', () => {
    for (const r of rules) {
      if (r.condition.regexFilter) expect(r.condition.regexFilter).not.toMatch(/\(\?[=!<]|\\\d/);
    }
  });
});

describe('safe search settings', () => {
  it('turns the engines off with enabled: false, and keeps YouTube as set', () => {
    const rules = safeSearchRules({ enabled: false, youtube: 'strict' });
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0]!.action)).toContain('"Strict"');
  });

  it('turns YouTube restricted mode off on its own', () => {
    const rules = safeSearchRules({ enabled: true, youtube: 'off' });
    expect(rules.every((r) => r.action.type === 'redirect')).toBe(true);
  });

  it('is a policy key with defaults, validated with plain messages', () => {
    const r = resolvePolicy({ safeSearch: { youtube: 'strict' } });
    expect(r.ok && r.policy.safeSearch).toEqual({ enabled: true, youtube: 'strict' });
    const bad = resolvePolicy({ safeSearch: { enabled: 'yes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^safeSearch\.enabled: /);
  });
});

describe('safe search and the policy in force', () => {
  const compiled = compileRules({
    policy: { ...DEFAULT_POLICY, blockList: ['bing.com'], allowList: ['duckduckgo.com'] },
    categoryLists: {},
    blockPageUrl: 'chrome-extension://abc/blocked.html',
    target: 'chrome',
  });
  if (!compiled.ok) throw new Error(compiled.errors.join());
  const rules = safeSearchRules(DEFAULT_SAFE_SEARCH, (urls) =>
    explainUrls(compiled.rules, urls).map((v) => v.outcome === 'allowed'),
  );

  it('makes no rule for an engine the school blocks, so its block page still shows', () => {
    expect(addedParam(rules, 'https://www.bing.com/search?q=x')).toBeNull();
  });

  it('keeps safe search on an engine the school allow-lists', () => {
    expect(addedParam(rules, 'https://duckduckgo.com/?q=x')).toBe('kp=1');
  });

  it("the search URLs are made once and frozen; what is kept from them never carries one policy's verdicts into another", () => {
    const urls = searchSamples();
    expect(Object.isFrozen(urls)).toBe(true);
    expect(searchSamples()).toBe(urls);
    const other = compileRules({
      policy: { ...DEFAULT_POLICY, blockList: ['duckduckgo.com', 'google.co.uk'], allowList: [] },
      categoryLists: {},
      blockPageUrl: 'chrome-extension://abc/blocked.html',
      target: 'chrome',
    });
    if (!other.ok) throw new Error(other.errors.join());
    // The same frozen array, asked against two rule sets in turn, answers as a fresh copy does.
    for (const set of [compiled.rules, other.rules, compiled.rules]) {
      expect(explainUrls(set, urls)).toEqual(explainUrls(set, [...urls]));
    }
    const open = (set: typeof compiled.rules) =>
      explainUrls(set, urls).filter((v) => v.outcome === 'allowed').length;
    expect(open(other.rules)).toBeLessThan(open(compiled.rules));
    // A frozen array asked once more with a host in it changed is a new array: parsed afresh.
    const changed = Object.freeze(urls.map((u) => u.replace('duckduckgo.com', 'example.org')));
    expect(explainUrls(other.rules, changed)).toEqual(explainUrls(other.rules, [...changed]));
  });

  it('is not mistaken for a block by "test a URL"', () => {
    const all = [...compiled.rules, ...rules] as Parameters<typeof explainUrl>[0];
    expect(explainUrl(all, 'https://www.google.co.uk/search?q=x').outcome).toBe('allowed');
  });
});
