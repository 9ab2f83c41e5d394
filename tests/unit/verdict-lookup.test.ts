/**
 * The verdict look-up (lib/verdict-lookup.ts) against the compiler's own matching over every rule
 * in force. Random policies (modes, allow and block lists with URL prefixes, safe search), random
 * signed lists (plain and compiled format, URL prefixes, a locked category, the list's own allow
 * and block lists) and random list histories that the real planner turns into overlays, executed
 * on a simulated browser. After every step each layer is indexed from what the plan says the
 * browser holds (`dynamicRules`, the overlay's session rules), and for many URLs (listed hosts,
 * subdomains, parents, unlisted, allow-listed, URL prefixes, safe-search hosts, IDN, ports,
 * upper case, trailing dots, the marker's own name, things that are not URLs) the look-up must give
 * exactly what `explainUrl`, `verdictForUrl` and `decideContinue` give over all the rules.
 */
import { describe, expect, it } from 'vitest';
import { decideContinue, verdictForUrl } from '../../lib/block-verdict.ts';
import { type DnrRule, explainUrl } from '../../lib/compiler.ts';
import {
  MARKER_RULE_ID,
  markerHash,
  planEnforcement,
  type RuleListContribution,
  type StoredOverlay,
} from '../../lib/enforcement-plan.ts';
import { type EnforcementState, INITIAL_STATE } from '../../lib/enforcement-state.ts';
import { isOverlayRuleId, OVERLAY_MARKER_RULE_ID, overlayMarkerHash } from '../../lib/overlay.ts';
import {
  parseRuleList,
  toCompiledRuleList,
  withChangesSince,
} from '../../lib/rule-list/document.ts';
import {
  bucketsFor,
  type IndexedLayer,
  indexRules,
  namesAsked,
  type ReadLayer,
  type RuleLayer,
  ruleIdsTag,
  rulesFor,
  trustedLayers,
} from '../../lib/verdict-lookup.ts';
import { documentOf, type Published, publish, sha256 } from './support/rule-list-versions.ts';
import { type SeededRandom, seededRandom } from './support/seeded-random.ts';

type Rng = SeededRandom;

// A dense name space (parents and children everywhere), an IDN, and safe-search engines' hosts.
const POOL: string[] = ['xn--bcher-kva.com', 'google.com', 'bing.com', 'youtube.com'];
for (const tld of ['com', 'org']) {
  for (const x of ['a', 'b', 'c']) {
    POOL.push(`${x}.${tld}`);
    for (const y of ['a', 'b', 'c']) {
      POOL.push(`${y}.${x}.${tld}`);
      for (const z of ['a', 'b']) POOL.push(`${z}.${y}.${x}.${tld}`);
    }
  }
}
const CATEGORIES = ['cat-a', 'cat-b', 'cat-c'];
const LOCKED = 'cat-locked';
const FILLER = 600;
type Lists = Record<string, Set<string>>;

function randomLists(rng: Rng): Lists {
  const lists: Lists = {};
  for (const id of [...CATEGORIES, LOCKED]) {
    const set = new Set<string>();
    const n = id === LOCKED ? 3 : 5 + rng.int(20);
    for (let i = 0; i < n; i++) set.add(rng.pick(POOL));
    if (id !== LOCKED) for (let i = 0; i < FILLER; i++) set.add(`f${i}.${id}.filler.net`);
    lists[id] = set;
  }
  return lists;
}

function change(rng: Rng, lists: Lists): Lists {
  const next: Lists = Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, new Set(v)]));
  for (let i = 1 + rng.int(4); i > 0; i--) {
    const from = next[rng.pick(CATEGORIES)]!;
    const to = next[rng.pick(CATEGORIES)]!;
    const listed = [...from].filter((d) => POOL.includes(d));
    if (rng.int(2) === 0) to.add(rng.pick(POOL));
    else if (listed.length > 0) {
      const d = rng.pick(listed);
      from.delete(d);
      if (rng.int(2) === 0) to.add(d);
    }
  }
  return next;
}

function randomPolicy(rng: Rng) {
  const categories: Record<string, string> = { [LOCKED]: 'allow' };
  for (const id of CATEGORIES) categories[id] = rng.pick(['block', 'warn', 'allow']);
  return {
    categories,
    allowList: [rng.pick(POOL), `${rng.pick(POOL)}/path`],
    blockList: [rng.pick(POOL), `${rng.pick(POOL)}/blocked`],
    safeSearch: { enabled: rng.int(2) === 0 },
  };
}

/** A browser executing plans; each layer indexed from what the plan says it now holds. */
class Browser {
  dynamic = new Map<number, DnrRule>();
  session = new Map<number, DnrRule>();
  state: EnforcementState = INITIAL_STATE;
  stored: StoredOverlay | null = null;
  layers: Partial<Record<RuleLayer, IndexedLayer>> = {};

  async reconcile(managed: unknown, contribution: RuleListContribution | null) {
    const plan = await planEnforcement({
      previous: this.state,
      lastGoodPolicy: null,
      managed,
      builtIn: { lists: {}, clauses: {}, fingerprint: 'none' },
      ruleListFor: async () => contribution,
      markerInBrowser: markerHash(this.dynamic.get(MARKER_RULE_ID)),
      overlayInBrowser: overlayMarkerHash(this.session.get(OVERLAY_MARKER_RULE_ID)),
      storedOverlay: this.stored,
      blockPageUrl: 'chrome-extension://abc/blocked.html',
      target: 'chrome',
      now: 1_000,
      sha256,
    });
    if (plan.update) {
      for (const id of plan.update.removeRuleIds) this.dynamic.delete(id);
      for (const rule of plan.update.addRules) this.dynamic.set(rule.id, rule as DnrRule);
      const marker = markerHash(plan.dynamicRules?.find((r) => r.id === MARKER_RULE_ID));
      this.layers.dynamic = indexRules(
        plan.dynamicRules!,
        marker!,
        ruleIdsTag(plan.state.ruleKeys),
      );
      // What the plan says the browser holds is what it holds.
      const byId = (rules: Iterable<{ id: number }>) =>
        JSON.stringify([...rules].sort((a, b) => a.id - b.id));
      expect(byId(plan.dynamicRules!)).toBe(byId(this.dynamic.values()));
    }
    if (plan.overlayUpdate) {
      for (const id of [...this.session.keys()]) if (isOverlayRuleId(id)) this.session.delete(id);
      for (const rule of plan.overlayUpdate.rules) this.session.set(rule.id, rule);
      const marker = overlayMarkerHash(
        plan.overlayUpdate.rules.find((r) => r.id === OVERLAY_MARKER_RULE_ID),
      );
      if (marker) this.layers.overlay = indexRules(plan.overlayUpdate.rules, marker);
      else delete this.layers.overlay;
    }
    if (plan.storeOverlay !== undefined) this.stored = plan.storeOverlay;
    this.state = plan.state;
    return plan;
  }

  /** Every navigation rule in force, in the order the browser gives them (by id). */
  rules(): DnrRule[] {
    const byId = (m: Map<number, DnrRule>) => [...m.values()].sort((a, b) => a.id - b.id);
    return [...byId(this.dynamic), ...byId(this.session)].filter(
      (r) => (r.action.type as string) !== 'modifyHeaders',
    );
  }

  /** The rules a look-up of `url` reads: only its buckets, after the trust check. */
  lookedUp(url: string): DnrRule[] {
    const names = namesAsked(url);
    const read = (layer: IndexedLayer): ReadLayer => ({
      index: layer.index,
      buckets: new Map(bucketsFor(layer.index, names).map((i) => [i, layer.buckets[i]])),
    });
    const stored: Partial<Record<RuleLayer, ReadLayer>> = {};
    if (this.layers.dynamic) stored.dynamic = read(this.layers.dynamic);
    if (this.layers.overlay) stored.overlay = read(this.layers.overlay);
    const trusted = trustedLayers({
      stored,
      dynamicMarker: markerHash(this.dynamic.get(MARKER_RULE_ID)),
      overlayMarker: overlayMarkerHash(this.session.get(OVERLAY_MARKER_RULE_ID)),
      idsTag: ruleIdsTag(this.state.ruleKeys),
    });
    if (!trusted.ok) throw new Error(trusted.reason);
    const rules = rulesFor(trusted.layers, names);
    if (!rules) throw new Error('a bucket is missing');
    return rules;
  }
}

function urlsToCheck(rng: Rng, marker: string): string[] {
  const urls = new Set<string>([
    'https://unlisted.example/',
    'https://bücher.com/x',
    'https://www.BÜCHER.com./',
    'https://www.google.com/search?q=x',
    'https://www.bing.com/search?q=x',
    'https://www.youtube.com/watch?v=1',
    `https://${marker}.applied.steward.invalid/`,
    'javascript:alert(1)',
    'not a url',
    'ftp://a.com/',
    `https://f${rng.int(FILLER)}.cat-a.filler.net/`,
    `https://x.f${rng.int(FILLER)}.cat-b.filler.net/`,
  ]);
  for (const d of POOL) {
    urls.add(`https://${d}/`);
    urls.add(`https://x${rng.int(3)}.${d}/p/q`);
    urls.add(`http://${d.toUpperCase()}.:8080/path/more?x=1`);
    urls.add(`https://www.${d}/blocked`);
    urls.add(`https://${d}/p`);
  }
  return [...urls];
}

/** Each outcome and deciding source seen, so the test is known to cover them all. */
const seen = new Set<string>();

function expectSameAnswers(browser: Browser, urls: string[], where: string) {
  const all = browser.rules();
  for (const url of urls) {
    const looked = browser.lookedUp(url);
    const expected = explainUrl(all, url);
    seen.add('source' in expected ? `${expected.outcome} ${expected.source}` : 'no rule');
    if ('locked' in expected) seen.add('locked');
    expect(explainUrl(looked, url), `${where}: ${url}`).toEqual(expected);
    const a = verdictForUrl(all, url);
    const b = verdictForUrl(looked, url);
    const brief = (v: typeof a) =>
      'rule' in v ? { ...v, rule: { id: v.rule.id, priority: v.rule.priority } } : v;
    expect(brief(b), `${where}: ${url}`).toEqual(brief(a));
    expect(decideContinue(looked, url, 7), `${where}: ${url}`).toEqual(decideContinue(all, url, 7));
  }
}

describe('the verdict look-up gives what every rule in force gives', () => {
  it('on random policies, lists (both formats) and overlay histories', async () => {
    let overlays = 0;
    let urlsChecked = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const rng = seededRandom(seed);
      const managed = randomPolicy(rng);
      let lists = randomLists(rng);
      const prefixes = Object.fromEntries(CATEGORIES.map((id) => [id, [`${rng.pick(POOL)}/p`]]));
      const entries = { allowList: [rng.pick(POOL)], blockList: [`${rng.pick(POOL)}/b`] };
      const options = { prefixes, locked: [LOCKED] };
      const compiled = seed % 3 !== 0;
      let published: Published = await publish(
        compiled
          ? await toCompiledRuleList(documentOf(lists, 1, entries, options))
          : documentOf(lists, 1, entries, options),
      );
      const browser = new Browser();
      await browser.reconcile(managed, published.contribution);
      const marker = markerHash(browser.dynamic.get(MARKER_RULE_ID))!;
      expectSameAnswers(browser, urlsToCheck(rng, marker), `seed ${seed} step 1`);
      if (!compiled) continue;
      for (let step = 2; step <= 5; step++) {
        lists = change(rng, lists);
        const previous = parseRuleList(new TextEncoder().encode(published.text));
        if (!previous.ok) throw new Error(previous.reason);
        published = await publish(
          await withChangesSince(
            documentOf(lists, step, entries, options),
            previous.document,
            published.sha,
          ),
        );
        const plan = await browser.reconcile(managed, published.contribution);
        if (plan.action === 'overlay') overlays++;
        const urls = urlsToCheck(rng, markerHash(browser.dynamic.get(MARKER_RULE_ID))!);
        urlsChecked += urls.length;
        expectSameAnswers(browser, urls, `seed ${seed} step ${step} (${plan.action})`);
      }
    }
    expect(overlays).toBeGreaterThan(10);
    for (const outcome of [
      'no rule',
      'locked',
      'blocked blockList',
      'allowed allowList',
      'allowed category exception',
      'blocked cat-a',
      'warned cat-b',
    ]) {
      expect(seen).toContain(outcome);
    }
    expect(urlsChecked).toBeGreaterThan(1_000);
  }, 120_000);
});

describe('what the look-up reads', () => {
  const rules = (n: number): DnrRule[] => [
    {
      id: 1,
      priority: 1_002,
      action: { type: 'block' },
      condition: {
        requestDomains: Array.from({ length: n }, (_, i) => `site${i}.example`),
        resourceTypes: ['main_frame'],
      },
    },
    {
      id: 2,
      priority: 1_300,
      action: { type: 'allow' },
      condition: { urlFilter: '||site1.example/ok', resourceTypes: ['main_frame'] },
    },
  ];

  it('a host and its parents need one bucket each, of about a thousand names, whatever the list', () => {
    const layer = indexRules(rules(1_000_000), 'm');
    expect(layer.index.buckets).toBe(512);
    const names = namesAsked('https://www.site5.example/');
    expect(bucketsFor(layer.index, names).length).toBeLessThanOrEqual(names.length);
    const biggest = Math.max(...layer.buckets.map((b) => b.length));
    expect(biggest).toBeLessThan(96_000);
    // The stored rules carry no domains.
    expect(layer.index.rules[0]!.condition.requestDomains).toEqual([]);
    expect(JSON.stringify(layer.index).length).toBeLessThan(1_000);
  });

  it('a missing or foreign bucket is refused, not read as "not listed"', () => {
    const layer = indexRules(rules(10), 'm');
    const names = namesAsked('https://site3.example/');
    const buckets = new Map<number, unknown>(bucketsFor(layer.index, names).map((i) => [i, 42]));
    expect(rulesFor([{ index: layer.index, buckets }], names)).toBeNull();
    expect(rulesFor([{ index: layer.index, buckets: new Map() }], names)).toBeNull();
  });

  it('a layer is trusted only when the browser’s markers and the recorded rule ids name it', () => {
    const dynamic = indexRules(rules(10), 'abc', 'ids');
    const overlay = indexRules([], 'ovl');
    const read = (l: IndexedLayer): ReadLayer => ({ index: l.index, buckets: new Map() });
    const stored = { dynamic: read(dynamic), overlay: read(overlay) };
    const ok = { stored, dynamicMarker: 'abc', overlayMarker: null, idsTag: 'ids' };
    expect(trustedLayers(ok)).toMatchObject({ ok: true, layers: [stored.dynamic] });
    expect(trustedLayers({ ...ok, overlayMarker: 'ovl' })).toMatchObject({ ok: true });
    expect(trustedLayers({ ...ok, overlayMarker: 'other' }).ok).toBe(false);
    expect(trustedLayers({ ...ok, dynamicMarker: 'abd' }).ok).toBe(false);
    expect(trustedLayers({ ...ok, dynamicMarker: null }).ok).toBe(false);
    expect(trustedLayers({ ...ok, idsTag: 'renumbered' }).ok).toBe(false);
    expect(trustedLayers({ ...ok, stored: {} }).ok).toBe(false);
    const corrupt = { index: { ...dynamic.index, buckets: 3 }, buckets: new Map() };
    expect(trustedLayers({ ...ok, stored: { dynamic: corrupt } }).ok).toBe(false);
  });
});
