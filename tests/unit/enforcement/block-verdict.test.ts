/**
 * What the block page may show and what Continue may grant: decided from the compiled rules only,
 * never from the block page's address. The attacks a member of staff would try, as unit cases.
 */
import { describe, expect, it } from 'vitest';
import { decideContinue, verdictForUrl, webAddressFrom } from '../../../lib/block-verdict.ts';
import { type CategoryList, compileRules, PRIORITY } from '../../../lib/compiler.ts';
import { normaliseEntry } from '../../../lib/domains.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../../../lib/policy.ts';

const prefix = (entry: string) => {
  const e = normaliseEntry(entry);
  if (!e.ok || e.kind !== 'urlPrefix') throw new Error(entry);
  return e.prefix;
};

function rules(policy: Partial<StewardPolicy>, lists: Record<string, CategoryList>) {
  const compiled = compileRules({
    policy: {
      ...DEFAULT_POLICY,
      ...policy,
      categories: { ...DEFAULT_POLICY.categories, ...policy.categories },
    },
    categoryLists: lists,
    blockPageUrl: 'chrome-extension://abc/blocked.html',
    target: 'chrome',
  });
  if (!compiled.ok) throw new Error(compiled.errors.join());
  return compiled.rules;
}

const lists: Record<string, CategoryList> = {
  social: { domains: ['reddit.com', 'facebook.com'], urlPrefixes: [] },
  streaming: { domains: ['youtube.com'], urlPrefixes: [] },
  gambling: {
    domains: ['bet365.com', 'old.reddit.com'],
    urlPrefixes: [prefix('reddit.com/r/poker')],
  },
  chat: { domains: [], urlPrefixes: [prefix('example.org/chat')] },
};
const inForce = rules(
  { categories: { social: 'warn', chat: 'warn' }, blockList: ['school-blocked.reddit.com'] },
  lists,
);

describe('the verdict for a blocked URL', () => {
  it('comes from the rules, with the category that decided', () => {
    expect(verdictForUrl(inForce, 'https://www.youtube.com/watch?v=1')).toMatchObject({
      kind: 'blocked',
      category: 'streaming',
      host: 'www.youtube.com',
    });
    expect(verdictForUrl(inForce, 'https://www.reddit.com/r/teachers')).toMatchObject({
      kind: 'warned',
      category: 'social',
    });
    expect(verdictForUrl(inForce, 'https://www.bbc.co.uk/')).toMatchObject({ kind: 'allowed' });
  });

  it('treats URL tricks as the browser does (case, trailing dot, port, userinfo, IDN)', () => {
    for (const url of [
      'https://WWW.YOUTUBE.COM/',
      'https://youtube.com./',
      'http://youtube.com:8080/',
      'https://school.example@youtube.com/',
    ]) {
      expect(verdictForUrl(inForce, url), url).toMatchObject({
        kind: 'blocked',
        host: expect.stringMatching(/youtube\.com$/),
      });
    }
    expect(verdictForUrl(inForce, 'https://youtube.com@school.example/')).toMatchObject({
      kind: 'allowed',
      host: 'school.example',
    });
  });

  it('refuses what is not an http(s) address', () => {
    for (const url of [
      '',
      'not a url',
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
    ]) {
      expect(verdictForUrl(inForce, url).kind, url).toBe('invalid');
    }
  });
});

describe('Continue', () => {
  it('is granted for a warned host, in that tab only, at the warn rule’s own priority', () => {
    const d = decideContinue(inForce, 'https://www.reddit.com/r/teachers', 7);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.rule.condition).toEqual({
      requestDomains: ['www.reddit.com'],
      tabIds: [7],
      resourceTypes: ['main_frame', 'sub_frame'],
    });
    expect(d.rule.priority).toBeLessThan(PRIORITY.blockList);
    expect(d.category).toBe('social');
  });

  it('leaves every more specific block winning: a blocked path, subdomain and the block list', () => {
    const d = decideContinue(inForce, 'https://reddit.com/', 7);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const grant = { id: 999_999, ...d.rule };
    const withGrant = [...inForce, grant as (typeof inForce)[number]];
    // The grant opens reddit.com itself…
    expect(verdictForUrl(withGrant, 'https://reddit.com/r/teachers').kind).toBe('allowed');
    // …but not what is blocked more specifically under it.
    expect(verdictForUrl(withGrant, 'https://reddit.com/r/poker/x').kind).toBe('blocked');
    expect(verdictForUrl(withGrant, 'https://old.reddit.com/').kind).toBe('blocked');
    expect(verdictForUrl(withGrant, 'https://school-blocked.reddit.com/').kind).toBe('blocked');
  });

  it('a warned URL prefix grants that prefix, not the whole domain', () => {
    const d = decideContinue(inForce, 'https://www.example.org/chat/room', 3);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.rule.condition.requestDomains).toBeUndefined();
    const grant = { id: 999_999, ...d.rule } as (typeof inForce)[number];
    const re = new RegExp(grant.condition.regexFilter!, 'i');
    expect(re.test('https://www.example.org/chat/other')).toBe(true);
    expect(re.test('https://www.example.org/admin')).toBe(false);
  });

  it('is refused when the rules block the URL, whatever the page claims', () => {
    expect(decideContinue(inForce, 'https://www.youtube.com/', 1)).toMatchObject({ ok: false });
    expect(decideContinue(inForce, 'https://reddit.com/r/poker', 1)).toMatchObject({ ok: false });
    expect(decideContinue(inForce, 'https://old.reddit.com/', 1)).toMatchObject({ ok: false });
  });

  it('is refused for allowed URLs, public suffixes and non-addresses', () => {
    expect(decideContinue(inForce, 'https://www.bbc.co.uk/', 1)).toMatchObject({ ok: false });
    expect(decideContinue(inForce, 'https://com/', 1)).toMatchObject({ ok: false });
    expect(decideContinue(inForce, 'javascript:alert(1)', 1)).toMatchObject({ ok: false });
    // Even if a list warned a whole suffix, one Continue never opens it.
    const suffixWarned = rules(
      { categories: { social: 'warn' } },
      { social: { domains: ['co.uk'], urlPrefixes: [] } },
    );
    expect(verdictForUrl(suffixWarned, 'https://co.uk/').kind).toBe('warned');
    expect(decideContinue(suffixWarned, 'https://co.uk/', 1)).toMatchObject({ ok: false });
  });
});

describe('"test a site" input', () => {
  it('accepts web addresses with or without a scheme', () => {
    expect(webAddressFrom('youtube.com')).toBe('https://youtube.com/');
    expect(webAddressFrom(' http://www.example.org/x ')).toBe('http://www.example.org/x');
    expect(webAddressFrom('localhost:3000/a')).toBe('https://localhost:3000/a');
  });
  it('says "not a web address" for text that is not one', () => {
    for (const text of [
      '',
      'hello',
      'two words',
      'ftp://x.org/',
      'javascript:alert(1)',
      'http://',
    ]) {
      expect(webAddressFrom(text), text).toBeNull();
    }
  });
});
