import { describe, expect, it } from 'vitest';
import {
  type CategoryList,
  compileRules,
  type DnrRule,
  explainUrl,
  explainUrls,
} from '../../lib/compiler.ts';
import { parentDomains } from '../../lib/domains.ts';
import { type CategoryMode, DEFAULT_POLICY, type StewardPolicy } from '../../lib/policy.ts';
import {
  checkCompiledCategory,
  compareReversed,
  compileCategories,
  groupDepth,
  groupHas,
  indexFor,
  lowerBound,
  MAX_GROUP_DEPTH,
  relatedToEntries,
  subdomainsIn,
} from '../../lib/rule-list/compiled.ts';

const BLOCK_PAGE = 'chrome-extension://abc/blocked.html';

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Domains drawn from a small tree, so categories share domains, parents and subdomains. */
function universe(): string[] {
  const out: string[] = [];
  for (const tld of ['com', 'co.uk', 'org']) {
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      const base = `${name}.${tld}`;
      out.push(base);
      for (const sub of ['www2', 'm', 'cdn', 'music']) {
        out.push(`${sub}.${base}`);
        out.push(`x.${sub}.${base}`);
      }
    }
  }
  return out;
}

/** The publisher's rule: a subdomain whose parent the same category lists is dropped. */
function withoutCovered(domains: string[]): string[] {
  const set = new Set(domains);
  return [...set].filter((d) => ![...parentDomains(d)].some((p) => set.has(p)));
}

/** Rules as a comparable set: action, priority, category/mode and sorted domains. */
function shape(rules: DnrRule[]): string[] {
  return rules
    .map((r) => {
      const c = r.condition;
      const target = r.action.type === 'redirect' ? r.action.redirect.regexSubstitution : '';
      const what = c.requestDomains
        ? [...c.requestDomains].sort().join(',')
        : (c.regexFilter ?? c.urlFilter ?? '');
      return `${r.action.type}|${r.priority}|${target}|${what}`;
    })
    .sort();
}

describe('compareReversed and look-ups', () => {
  it('puts a domain next to its subdomains', () => {
    const sorted = ['b.example.com', 'example.org', 'example.com', 'a.example.com', 'xexample.com'];
    sorted.sort(compareReversed);
    expect(sorted.indexOf('a.example.com') - sorted.indexOf('example.com')).toBe(1);
    const group = {
      depth: 3,
      fingerprint: '',
      domains: ['a.example.com', 'b.example.com', 'c.other.com'].sort(compareReversed),
    };
    expect(groupHas(group, 'b.example.com')).toBe(true);
    expect(groupHas(group, 'example.com')).toBe(false);
    expect(subdomainsIn(group, 'example.com').sort()).toEqual(['a.example.com', 'b.example.com']);
    expect(subdomainsIn(group, 'ample.com')).toEqual([]);
  });
});

describe('compileCategories (the publisher)', () => {
  it('drops covered subdomains and duplicates, groups by depth, sorts and fingerprints', async () => {
    const out = await compileCategories({
      streaming: ['youtube.com', 'm.youtube.com', 'ytimg.com', 'ytimg.com', 'a.b.vimeo.com'],
    });
    const streaming = out.streaming!;
    expect(streaming.groups.map((g) => [g.depth, g.domains])).toEqual([
      [2, ['youtube.com', 'ytimg.com'].sort(compareReversed)],
      [4, ['a.b.vimeo.com']],
    ]);
    expect(streaming.groups[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(streaming.related).toEqual([]);
    expect(checkCompiledCategory('streaming', streaming)).toEqual([]);
  });

  it('marks domains related across categories: the same domain, and parent and subdomain', async () => {
    const out = await compileCategories({
      social: ['facebook.com', 'twitter.com', 'music.example.com'],
      streaming: ['twitter.com', 'example.com', 'netflix.com'],
    });
    expect(out.social!.related.sort()).toEqual(['music.example.com', 'twitter.com']);
    expect(out.streaming!.related.sort()).toEqual(['example.com', 'twitter.com']);
  });

  it('finds what built-in lists and allow/block entries touch, by binary search', async () => {
    const { gambling } = await compileCategories({
      gambling: ['bet.com', 'a.casino.com', 'b.casino.com', 'poker.org'],
    });
    expect(relatedToEntries(gambling!, ['casino.com', 'x.poker.org', 'bet.com']).sort()).toEqual(
      ['a.casino.com', 'b.casino.com', 'bet.com', 'poker.org'].sort(),
    );
  });

  it('finds the same with the entries indexed once, and keeps the index while they stay', async () => {
    const compiled = await compileCategories({
      gambling: ['casino.com', 'a.casino.com', 'b.casino.com', 'bet.com', 'poker.org', 'x.y.z.org'],
    });
    const gambling = compiled.gambling!;
    const entries = ['casino.com', 'x.poker.org', 'bet.com', 'y.z.org', 'other.net'];
    const index = indexFor(entries);
    expect(relatedToEntries(gambling, index).sort()).toEqual(
      relatedToEntries(gambling, entries).sort(),
    );
    expect(indexFor([...entries])).toBe(index);
    expect(indexFor([...entries, 'new.org'])).not.toBe(index);
  });

  it('refuses a group out of order or at the wrong depth', () => {
    expect(
      checkCompiledCategory('c', {
        groups: [{ depth: 2, fingerprint: '', domains: ['b.com', 'a.com'] }],
        related: [],
      }),
    ).toEqual(['c.groups[0].domains[1]: "a.com" is out of order or repeated.']);
    expect(
      checkCompiledCategory('c', {
        groups: [{ depth: 2, fingerprint: '', domains: ['a.b.com'] }],
        related: [],
      }),
    ).toEqual(['c.groups[0].domains[0]: "a.b.com" is not of depth 2.']);
  });

  it('refuses exactly what the per-name definition refuses (order by compareReversed, depth by groupDepth)', () => {
    // The check runs as one loop (firstOutOfPlace); this is its definition, name by name.
    const definition = (depth: number, domains: unknown[]): string | null => {
      for (let i = 0; i < domains.length; i++) {
        const d = domains[i];
        if (typeof d !== 'string' || d.length === 0) return `${i} name`;
        if (i > 0 && compareReversed(domains[i - 1] as string, d) >= 0) return `${i} order`;
        if (groupDepth(d) !== depth) return `${i} depth`;
      }
      return null;
    };
    const asFound = (errors: string[]): string | null => {
      const m = errors[0]?.match(
        /domains\[(\d+)\]: (?:must be a domain name|.* is (out of order|not of depth))/,
      );
      if (!m) return null;
      return `${m[1]} ${m[2] === undefined ? 'name' : m[2] === 'out of order' ? 'order' : 'depth'}`;
    };
    const labels = ['', 'a', 'b', 'ab', 'ba', 'com', 'a-b', 'x'];
    const rand = random(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const deep = Array.from({ length: MAX_GROUP_DEPTH + 1 }, () => 'a').join('.');
    const shallow = Array.from({ length: MAX_GROUP_DEPTH - 1 }, () => 'a').join('.');
    let refused = 0;
    for (let n = 0; n < 4000; n++) {
      const depth = rand() < 0.1 ? MAX_GROUP_DEPTH : 1 + Math.floor(rand() * 3);
      const length = Math.floor(rand() * 5);
      const domains: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const r = rand();
        if (r < 0.02) domains.push(r < 0.01 ? 42 : '');
        else if (r < 0.06) domains.push(pick([deep, shallow, `b.${deep}`, `${shallow}.b`]));
        else {
          const count = 1 + Math.floor(rand() * 3);
          domains.push(Array.from({ length: count }, () => pick(labels)).join('.'));
        }
      }
      // Mostly sorted, so the depth and the later names are reached too.
      if (rand() < 0.7) {
        domains.sort((a, b) =>
          typeof a === 'string' && typeof b === 'string' ? compareReversed(a, b) : 0,
        );
      }
      const expected = definition(depth, domains);
      const found = asFound(
        checkCompiledCategory('c', {
          groups: [{ depth, fingerprint: '', domains: domains as string[] }],
          related: [],
        }),
      );
      expect(found, JSON.stringify({ depth, domains })).toBe(expected);
      if (expected !== null) refused++;
    }
    // Both ways are exercised: lists taken and lists refused, for each reason.
    expect(refused).toBeGreaterThan(500);
    expect(refused).toBeLessThan(3500);
  });
});

describe('a compiled list gives exactly the rules of the same list compiled in the browser', () => {
  const modes: CategoryMode[] = ['block', 'warn', 'allow'];
  const all = universe();

  for (let seed = 1; seed <= 150; seed++) {
    it(`random lists and policy #${seed}`, async () => {
      const rand = random(seed);
      const pick = (n: number) =>
        Array.from({ length: n }, () => all[Math.floor(rand() * all.length)]!);
      const builtIn: Record<string, CategoryList> = {
        streaming: { domains: withoutCovered(pick(6)), urlPrefixes: [] },
        social: { domains: withoutCovered(pick(6)), urlPrefixes: [] },
        chat: { domains: withoutCovered(pick(4)), urlPrefixes: [] },
      };
      // The rule list replaces `social` and adds two categories of its own.
      const listed: Record<string, string[]> = {
        social: withoutCovered(pick(10)),
        gambling: withoutCovered(pick(12)),
        exams: withoutCovered(pick(8)),
      };
      const policy: StewardPolicy = {
        ...DEFAULT_POLICY,
        categories: Object.fromEntries(
          ['streaming', 'social', 'chat', 'gambling', 'exams'].map((c) => [
            c,
            modes[Math.floor(rand() * 3)]!,
          ]),
        ),
        allowList: rand() < 0.5 ? pick(2) : [],
        blockList: rand() < 0.5 ? pick(2) : [],
      };
      const v1Lists: Record<string, CategoryList> = { ...builtIn };
      for (const [id, domains] of Object.entries(listed))
        v1Lists[id] = { domains, urlPrefixes: [] };
      const v1 = compileRules({
        policy,
        categoryLists: v1Lists,
        blockPageUrl: BLOCK_PAGE,
        target: 'chrome',
      });

      const compiled = await compileCategories(listed);
      const v2Lists: Record<string, CategoryList> = { ...builtIn };
      for (const id of Object.keys(listed)) v2Lists[id] = { domains: [], urlPrefixes: [] };
      const v2 = compileRules({
        policy,
        categoryLists: v2Lists,
        compiledCategories: compiled,
        blockPageUrl: BLOCK_PAGE,
        target: 'chrome',
      });
      if (!v1.ok || !v2.ok) throw new Error('compile failed');
      expect(shape(v2.rules)).toEqual(shape(v1.rules));
      expect(v2.summary.domainsByCategory).toEqual(v1.summary.domainsByCategory);
      for (const domain of all) {
        const url = `https://${domain}/`;
        const a = explainUrl(v1.rules, url);
        const b = explainUrl(v2.rules, url);
        expect(b.outcome, domain).toBe(a.outcome);
        expect('source' in b ? b.source : null, domain).toBe('source' in a ? a.source : null);
      }
      // Verdicts that look names up in the publisher's sorted groups (binary search, as the
      // planner's safe-search check does) are the verdicts of reading every domain.
      const urls = [...all, 'unlisted.example', 'y.x.music.alpha.com'].map((d) => `https://${d}/`);
      expect(explainUrls(v2.rules, urls, v2.sortedParts)).toEqual(explainUrls(v2.rules, urls));
    });
  }

  it('leaves a million-domain category untouched: its rule takes the published array as it is', async () => {
    const domains = Array.from({ length: 1_000 }, (_, i) => `site${i}.example`);
    const compiled = await compileCategories({ proxy: domains });
    const result = compileRules({
      policy: DEFAULT_POLICY,
      categoryLists: { proxy: { domains: [], urlPrefixes: [] } },
      compiledCategories: compiled,
      blockPageUrl: BLOCK_PAGE,
      target: 'chrome',
    });
    if (!result.ok) throw new Error('compile failed');
    const rule = result.rules.find((r) => r.condition.requestDomains?.length === 1_000);
    expect(rule?.condition.requestDomains).toBe(compiled.proxy!.groups[0]!.domains);
  });
});

describe('a locked category from a compiled list', () => {
  it('is blocked above the allow list, whatever the policy says, from its published groups', async () => {
    const compiled = await compileCategories({ extremism: ['bad.example', 'a.worse.example'] });
    const result = compileRules({
      policy: {
        ...DEFAULT_POLICY,
        categories: { ...DEFAULT_POLICY.categories, extremism: 'allow' },
        allowList: ['bad.example'],
      },
      categoryLists: { extremism: { domains: [], urlPrefixes: [] } },
      compiledCategories: compiled,
      lockedCategories: ['extremism'],
      blockPageUrl: BLOCK_PAGE,
      target: 'chrome',
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(explainUrl(result.rules, 'https://bad.example/').outcome).toBe('blocked');
    expect(explainUrl(result.rules, 'https://x.a.worse.example/').outcome).toBe('blocked');
    expect(result.summary.domainsByCategory.extremism).toBe(2);
  });
});

describe('lowerBound from a position (the overlay walks sorted groups with sorted names)', () => {
  it('gives the same answers as a search from the start, for names asked in order', () => {
    const domains = Array.from({ length: 3_000 }, (_, i) => `d${(i * 7919) % 3_001}.example`)
      .concat(Array.from({ length: 500 }, (_, i) => `s${i}.d${i}.example`))
      .sort(compareReversed);
    const names = Array.from({ length: 2_000 }, (_, i) => `d${(i * 104_729) % 4_000}.example`)
      .concat(['a.example', 'zzz.example', 'example'])
      .sort(compareReversed);
    let from = 0;
    for (const name of names) {
      const expected = lowerBound(domains, name);
      from = lowerBound(domains, name, from);
      expect(from).toBe(expected);
    }
    expect(lowerBound([], 'a.example', 0)).toBe(0);
    expect(lowerBound(domains, 'zzzz', domains.length)).toBe(domains.length);
  });
});
