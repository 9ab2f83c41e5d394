/**
 * The rule-list overlay (lib/overlay.ts) proved against a full recompile. Random signed-list
 * histories (domains added and removed, moved between categories, parents and children across
 * categories, allow- and warn-mode categories, allow and block list entries, a locked category)
 * go through the real publisher (`withChangesSince`) and the real planner (`planEnforcement`),
 * executed on a simulated browser (dynamic rules + session rules). After every step, the verdict
 * of what the browser holds (dynamic rules, plus the overlay when the planner chose one) must equal
 * the verdict of the same inputs compiled from nothing, for every listed domain, a subdomain of
 * each, every changed domain and random other hosts. The compiler's own matching decides
 * (`explainUrls`: highest priority wins, allow beats redirect on a tie).
 */
import { describe, expect, it } from 'vitest';
import { type DnrRule, explainUrls } from '../../lib/compiler.ts';
import {
  MARKER_RULE_ID,
  markerHash,
  type PlanInput,
  planEnforcement,
  type RuleListContribution,
  type StoredOverlay,
} from '../../lib/enforcement-plan.ts';
import { type EnforcementState, INITIAL_STATE } from '../../lib/enforcement-state.ts';
import {
  isOverlayRuleId,
  OVERLAY_MARKER_RULE_ID,
  overlayMarkerHash,
  planOverlay,
} from '../../lib/overlay.ts';
import {
  parseRuleList,
  toCompiledRuleList,
  withChangesSince,
} from '../../lib/rule-list/document.ts';
import { documentOf, publish, sha256 } from './support/rule-list-versions.ts';
import { type SeededRandom, seededRandom } from './support/seeded-random.ts';

// A small, dense name space: parents and children everywhere.
const LABELS = ['a', 'b', 'c', 'd'];
const POOL: string[] = [];
for (const tld of ['com', 'org']) {
  for (const x of LABELS) {
    POOL.push(`${x}.${tld}`);
    for (const y of LABELS) {
      POOL.push(`${y}.${x}.${tld}`);
      for (const z of LABELS) POOL.push(`${z}.${y}.${x}.${tld}`);
    }
  }
}
const CATEGORIES = ['cat-a', 'cat-b', 'cat-c'] as const;
const LOCKED = 'cat-locked';
/** Unrelated domains, so a few changes stay under the overlay's 2 % (lib/overlay.ts). */
const FILLER = 1_500;

type Lists = Record<string, Set<string>>;

function randomLists(rng: SeededRandom): Lists {
  const lists: Lists = {};
  for (const id of [...CATEGORIES, LOCKED]) {
    const set = new Set<string>();
    const n = id === LOCKED ? 4 : 10 + rng.int(30);
    for (let i = 0; i < n; i++) set.add(rng.pick(POOL));
    if (id !== LOCKED) for (let i = 0; i < FILLER; i++) set.add(`f${i}.${id}.filler.net`);
    lists[id] = set;
  }
  return lists;
}

/** A few random changes: adds, removals, moves between categories. */
function change(rng: SeededRandom, lists: Lists, lockedToo: boolean): Lists {
  const next: Lists = Object.fromEntries(
    Object.entries(lists).map(([id, set]) => [id, new Set(set)]),
  );
  const ids = lockedToo ? [...CATEGORIES, LOCKED] : [...CATEGORIES];
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(3);
    const from = next[rng.pick(ids)]!;
    const to = next[rng.pick(ids)]!;
    if (kind === 0) to.add(rng.pick(POOL));
    else if (kind === 1) {
      const listed = [...from].filter((d) => POOL.includes(d));
      if (listed.length > 0) from.delete(rng.pick(listed));
    } else {
      const listed = [...from].filter((d) => POOL.includes(d));
      if (listed.length > 0) {
        const d = rng.pick(listed);
        from.delete(d);
        to.add(d);
      }
    }
  }
  return next;
}

const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
    : value;

/** A browser: dynamic and session rules, executing plans as platform/enforcement.ts does. */
class Browser {
  dynamic = new Map<number, DnrRule>();
  session = new Map<number, DnrRule>();
  state: EnforcementState = INITIAL_STATE;
  stored: StoredOverlay | null = null;
  dynamicUpdates = 0;
  /** The rules in force between the steps of the last plan (overlay before, dynamic update). */
  between: DnrRule[][] = [];

  setOverlay(rules: DnrRule[]) {
    for (const id of [...this.session.keys()]) if (isOverlayRuleId(id)) this.session.delete(id);
    for (const rule of rules) this.session.set(rule.id, rule);
  }

  async reconcile(managed: unknown, contribution: RuleListContribution | null) {
    const plan = await planEnforcement(this.input(managed, contribution, this.state));
    this.between = [];
    if (plan.overlayBefore) {
      this.setOverlay(plan.overlayBefore.rules);
      this.between.push(this.rules());
    }
    if (plan.update) {
      this.dynamicUpdates++;
      for (const id of plan.update.removeRuleIds) this.dynamic.delete(id);
      for (const rule of plan.update.addRules) this.dynamic.set(rule.id, rule as DnrRule);
      if (plan.overlayUpdate) this.between.push(this.rules());
    }
    if (plan.overlayUpdate) this.setOverlay(plan.overlayUpdate.rules);
    if (plan.storeOverlay !== undefined) this.stored = plan.storeOverlay;
    // Through storage as Chromium keeps it: objects come back with their keys sorted.
    this.state = JSON.parse(JSON.stringify(plan.state, sortedKeys)) as EnforcementState;
    return plan;
  }

  input(
    managed: unknown,
    contribution: RuleListContribution | null,
    previous: EnforcementState,
  ): PlanInput {
    return {
      previous,
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
    };
  }

  rules(): DnrRule[] {
    return navigation([...this.dynamic.values(), ...this.session.values()]);
  }
}

const navigation = (rules: readonly { action: { type: string } }[]) =>
  rules.filter((r) => r.action.type !== 'modifyHeaders') as DnrRule[];

/** The same inputs compiled from nothing: the reference. */
async function fullCompile(managed: unknown, contribution: RuleListContribution | null) {
  const fresh = new Browser();
  await fresh.reconcile(managed, contribution);
  return fresh.rules();
}

const verdicts = (rules: DnrRule[], hosts: string[]) =>
  explainUrls(
    rules,
    hosts.map((h) => `https://${h}/page`),
  ).map((v) => ('reason' in v ? 'no rule' : `${v.outcome} by ${v.source}`));

const rank = (verdict: string) =>
  verdict.startsWith('blocked') ? 2 : verdict.startsWith('warned') ? 1 : 0;

function hostsToCheck(rng: SeededRandom, changed: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const d of [...POOL, ...changed]) {
    hosts.add(d);
    hosts.add(`x${rng.int(3)}.${d}`);
  }
  for (const id of CATEGORIES) hosts.add(`f${rng.int(FILLER)}.${id}.filler.net`);
  hosts.add('unlisted.example');
  return [...hosts];
}

function randomPolicy(rng: SeededRandom) {
  const modes = ['block', 'warn', 'allow'] as const;
  const categories: Record<string, string> = {};
  for (const id of CATEGORIES) categories[id] = rng.pick(modes);
  // The locked category's policy mode is ignored: try to open it.
  categories[LOCKED] = 'allow';
  return {
    categories,
    allowList: [rng.pick(POOL), `${rng.pick(POOL)}/path`],
    blockList: [rng.pick(POOL)],
  };
}

describe('overlay: a small list change laid over the rules in force', () => {
  it('gives every host the verdict of a full recompile, over random list histories', async () => {
    let overlays = 0;
    let full = 0;
    let restores = 0;
    let folds = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = seededRandom(seed);
      const managed = randomPolicy(rng);
      let lists = randomLists(rng);
      const listEntries = { allowList: [rng.pick(POOL)], blockList: [rng.pick(POOL)] };
      // Category URL prefixes (tier 1,200+): the overlay must stay below them.
      const prefixes = Object.fromEntries(CATEGORIES.map((id) => [id, [`${rng.pick(POOL)}/p`]]));
      let published = await publish(
        await toCompiledRuleList(documentOf(lists, 1, listEntries, { prefixes, locked: [LOCKED] })),
      );
      const browser = new Browser();
      await browser.reconcile(managed, published.contribution);
      for (let step = 2; step <= 7; step++) {
        // Now and then the locked category or the list's own allow list changes too (no overlay).
        const lockedToo = rng.int(6) === 0;
        const next = change(rng, lists, lockedToo);
        const entries =
          rng.int(8) === 0
            ? { allowList: [rng.pick(POOL)], blockList: [rng.pick(POOL)] }
            : listEntries;
        const previousDocument = parseRuleList(new TextEncoder().encode(published.text));
        if (!previousDocument.ok) throw new Error(previousDocument.reason);
        const document = await withChangesSince(
          documentOf(next, step, entries, { prefixes, locked: [LOCKED] }),
          previousDocument.document,
          published.sha,
        );
        published = await publish(document);
        lists = next;
        const hosts = hostsToCheck(rng, document.changes!.domains);
        const beforeRules = browser.rules();
        const plan = await browser.reconcile(managed, published.contribution);
        // Between the steps of a fold, no host is less blocked than both before and after.
        if (browser.between.length > 0) {
          folds++;
          const before = verdicts(beforeRules, hosts).map(rank);
          const after = verdicts(browser.rules(), hosts).map(rank);
          for (const rules of browser.between) {
            const during = verdicts(rules, hosts).map(rank);
            const weaker = hosts.filter((_, i) => during[i]! < Math.min(before[i]!, after[i]!));
            expect(weaker, `seed ${seed} step ${step}: during a fold`).toEqual([]);
          }
        }
        if (plan.action === 'overlay') overlays++;
        else full++;
        // A browser restart now and then: session rules are gone, the next reconcile restores.
        if (rng.int(4) === 0) {
          browser.session.clear();
          const restored = await browser.reconcile(managed, published.contribution);
          if (browser.state.overlay) {
            expect(restored.action).toBe('restore overlay');
            restores++;
          }
          const after = await browser.reconcile(managed, published.contribution);
          expect(after.action).toBe('unchanged');
        }
        const expected = verdicts(await fullCompile(managed, published.contribution), hosts);
        const actual = verdicts(browser.rules(), hosts);
        const wrong = hosts
          .map((h, i) => ({ host: h, expected: expected[i], actual: actual[i] }))
          .filter((x) => x.expected !== x.actual);
        expect(wrong, `seed ${seed} step ${step} (${plan.action})`).toEqual([]);
        // With an overlay, the dynamic rules were not touched at all.
        if (plan.action === 'overlay') expect(plan.update).toBeNull();
      }
    }
    // Most steps are small category changes: the overlay is what they used.
    expect(overlays).toBeGreaterThan(full);
    expect(restores).toBeGreaterThan(0);
    expect(folds).toBeGreaterThan(0);
  }, 120_000);
});

describe('folding an overlay into the dynamic rules', () => {
  it('never leaves a host less blocked than both before and after, even when a block-list entry goes', async () => {
    const filler = Array.from({ length: 200 }, (_, i) => `f${i}.filler.net`);
    const managed = { categories: { 'cat-a': 'block' } };
    const version = async (
      version: number,
      domains: string[],
      blockList: string[],
      previous?: { text: string; sha: string },
    ) => {
      const document = documentOf({ 'cat-a': [...domains, ...filler] }, version, { blockList });
      if (!previous) return publish(await toCompiledRuleList(document));
      const parsed = parseRuleList(new TextEncoder().encode(previous.text));
      if (!parsed.ok) throw new Error(parsed.reason);
      return publish(await withChangesSince(document, parsed.document, previous.sha));
    };
    const browser = new Browser();
    // v1: b.example is in the category and on the list's block list.
    const v1 = await version(1, ['a.example', 'b.example'], ['b.example']);
    await browser.reconcile(managed, v1.contribution);
    // v2: b.example leaves the category: an overlay ("no category") under the block list.
    const v2 = await version(2, ['a.example'], ['b.example'], v1);
    expect((await browser.reconcile(managed, v2.contribution)).action).toBe('overlay');
    const host = ['b.example'];
    expect(verdicts(browser.rules(), host)).toEqual(['blocked by blockList']);
    // v3: the block list drops it and the category takes it back: a full update, which folds.
    const v3 = await version(3, ['a.example', 'b.example'], [], v2);
    const plan = await browser.reconcile(managed, v3.contribution);
    expect(plan.action).toBe('apply');
    expect(plan.overlayBefore?.rules.length).toBeGreaterThan(1);
    expect(verdicts(browser.rules(), host)).toEqual(['blocked by cat-a']);
    for (const rules of browser.between) expect(verdicts(rules, host).map(rank)).toEqual([2]);
    // Folded: no overlay left, state says so.
    expect([...browser.session.keys()].filter(isOverlayRuleId)).toEqual([]);
    expect(browser.state.overlay).toBeNull();
    expect(browser.stored).toBeNull();
  });
});

describe('planOverlay', () => {
  const rule = (id: number, priority: number, type: 'allow' | 'redirect', domains: string[]) =>
    ({
      id,
      priority,
      action:
        type === 'allow'
          ? { type: 'allow' }
          : { type: 'redirect', redirect: { regexSubstitution: `x?c=c${id}&m=block#\\0` } },
      condition: {
        requestDomains: domains,
        resourceTypes: ['main_frame', 'sub_frame'],
        ...(type === 'redirect' ? { regexFilter: '^.+$' } : {}),
      },
    }) as DnrRule;

  it('a removed domain gets "no category" and its listed children their own verdicts', () => {
    const rules = [rule(1, 1_002, 'redirect', ['a.com']), rule(2, 1_003, 'allow', ['x.b.com'])];
    const overlay = planOverlay({
      cover: ['b.com'],
      rules,
      categoryLists: { one: { domains: ['a.com'] }, two: { domains: ['x.b.com'] } },
      compiledCategories: {},
      lockedCategories: [],
    });
    expect(overlay.ok).toBe(true);
    if (!overlay.ok) return;
    expect(overlay.domains).toBe(2);
    expect(
      overlay.rules.map((r) => [r.priority, r.action.type, r.condition.requestDomains]),
    ).toEqual([
      [1_130, 'allow', ['b.com']],
      [1_131, 'allow', ['x.b.com']],
    ]);
  });

  it('refuses a domain deeper than the overlay tier reaches (it would pass a URL-prefix rule)', () => {
    const deep = `${'x.'.repeat(75)}com`;
    const overlay = planOverlay({
      cover: [deep],
      rules: [],
      categoryLists: {},
      compiledCategories: {},
      lockedCategories: [],
    });
    expect(overlay.ok).toBe(false);
  });
});
