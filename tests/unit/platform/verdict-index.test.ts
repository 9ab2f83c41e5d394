/**
 * Verdicts from the verdict index in the worker (platform/enforcement.ts with lib/verdict-lookup.ts),
 * against the in-memory declarativeNetRequest and an in-memory index store: "test a site", the
 * block page and Continue read a few records and never copy every rule out of the browser; the
 * index is written with each update; and whenever it cannot be proved to be the rules in force
 * (missing, damaged, of other rules, numbered differently, an overlay without its layer, a write
 * that failed), the verdict comes from every rule read from the browser, as before, and the index
 * is written again from what was read.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { RuleListContribution } from '../../../lib/enforcement-plan.ts';
import { MARKER_RULE_ID } from '../../../lib/enforcement-plan.ts';
import { type FakeDnr, installFakeDnr } from '../support/fake-dnr.ts';
import { type MemoryVerdictStore, memoryVerdictStore } from '../support/memory-verdict-store.ts';
import { documentOf, type Published, publishVersion } from '../support/rule-list-versions.ts';

type Enforcement = typeof import('../../../platform/enforcement.ts');

let dnr: FakeDnr;
let store: MemoryVerdictStore;
let inForce: RuleListContribution | null = null;
/** Calls that copy every dynamic or session rule (no `ruleIds` filter). */
let fullReads = 0;
/** Calls that read rules by id (the markers). */
let markerReads = 0;

async function workerStart(): Promise<Enforcement> {
  vi.resetModules();
  const enforcement = await import('../../../platform/enforcement.ts');
  enforcement.setVerdictStore(store);
  enforcement.setCategorySource({
    contribution: async () => inForce,
    fingerprint: async () => inForce?.fingerprint ?? null,
    release: () => undefined,
  });
  return enforcement;
}

async function setPolicy(policy: Record<string, unknown>) {
  await fakeBrowser.storage.managed.clear();
  await fakeBrowser.storage.managed.set(policy);
}

/** Let the queued re-index after a full read run. */
const settle = () => new Promise((r) => setTimeout(r, 20));

beforeEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
  dnr = installFakeDnr();
  store = memoryVerdictStore();
  inForce = null;
  fullReads = 0;
  markerReads = 0;
  const api = fakeBrowser.declarativeNetRequest as unknown as Record<
    'getDynamicRules' | 'getSessionRules',
    (filter?: { ruleIds?: number[] }) => Promise<unknown[]>
  >;
  for (const name of ['getDynamicRules', 'getSessionRules'] as const) {
    const real = api[name].bind(api);
    api[name] = (filter) => {
      if (!filter?.ruleIds) fullReads++;
      else markerReads++;
      return real(filter);
    };
  }
});

describe('verdicts from the index: a few records, never every rule', () => {
  it('test a site, the block page, its count and Continue all answer without copying the rules', async () => {
    await setPolicy({ categories: { social: 'warn' }, allowList: ['news.bet365.com'] });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    expect(store.records.size).toBeGreaterThan(1);
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://www.bet365.com/x')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://news.bet365.com/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://www.facebook.com/')).outcome).toBe('warned');
    expect((await worker.blockPageVerdict('https://www.bbc.co.uk/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('javascript:alert(1)')).outcome).toBe('invalid');
    const tested = await worker.testUrl('https://M.FACEBOOK.COM.:443/groups');
    expect(tested).toMatchObject({
      kind: 'verdict',
      verdict: { outcome: 'warned', source: 'social', entry: 'facebook.com' },
    });
    expect(await worker.testUrl('https://news.bet365.com/')).toMatchObject({
      verdict: { outcome: 'allowed', source: 'allowList' },
    });
    await worker.noteTopFrameNavigation(3, 'https://www.bet365.com/');
    expect(await worker.blockPageCount(3, 'https://www.bet365.com/')).toEqual({
      category: 'gambling',
      outcome: 'blocked',
    });
    expect((await worker.continueWarned(3, 'https://www.bet365.com/')).ok).toBe(false);
    expect((await worker.continueWarned(3, 'https://m.facebook.com/')).ok).toBe(true);
    expect(fullReads).toBe(0);
  });

  it('a new policy is indexed with its update: the next verdict is the new one, still without copying', async () => {
    await setPolicy({ categories: { social: 'warn' } });
    const worker = await workerStart();
    await worker.applyPolicy('first');
    await setPolicy({ categories: { social: 'block', gambling: 'allow' } });
    await worker.applyPolicy('policy changed');
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://facebook.com/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('allowed');
    expect(fullReads).toBe(0);
  });

  it('a new worker (nothing in its heap) answers from the stored index, proved by the markers', async () => {
    await (await workerStart()).applyPolicy('first');
    const worker = await workerStart();
    fullReads = 0;
    markerReads = 0;
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(0);
    expect(markerReads).toBe(2); // the dynamic marker and the overlay's, by id
    // Once it has reconciled, its verdicts rely on the markers that reconcile read: Chromium reads
    // its whole dynamic-rule file to answer even a one-id getDynamicRules.
    await worker.applyPolicy('start-up');
    markerReads = 0;
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('blocked');
    expect(await worker.testUrl('https://facebook.com/')).toMatchObject({ kind: 'verdict' });
    expect(markerReads).toBe(0);
    expect(fullReads).toBe(0);
  });
});

describe('the rule-list overlay has its own layer', () => {
  const filler = Array.from({ length: 2_000 }, (_, i) => `site${i}.filler.example`);
  const version = (n: number, listed: string[], previous?: Published) =>
    publishVersion(documentOf({ adult: [...filler, ...listed] }, n), previous);

  it('a small change in session rules is indexed; a browser restart puts it back, and verdicts follow', async () => {
    const v1 = await version(1, ['old.example', 'kept.example']);
    inForce = v1.contribution;
    const worker = await workerStart();
    await worker.applyPolicy('v1');
    const v2 = await version(2, ['kept.example', 'new.example'], v1);
    inForce = v2.contribution;
    const state = await worker.applyPolicy('v2');
    expect(state.overlay).toBeTruthy();
    expect([...store.records.keys()].some((k) => k.startsWith('overlay '))).toBe(true);
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://www.new.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://old.example/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://kept.example/')).outcome).toBe('blocked');
    expect(fullReads).toBe(0);

    // A browser restart: session rules gone, a new worker. Before its start-up reconcile, no
    // overlay marker, so the overlay's layer is not used (the base's verdict is what the browser
    // enforces)...
    dnr.restartBrowser();
    const restarted = await workerStart();
    expect((await restarted.blockPageVerdict('https://old.example/')).outcome).toBe('blocked');
    // ...and the reconcile puts the overlay back, and its layer with it.
    await restarted.applyPolicy('restart');
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://new.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://old.example/')).outcome).toBe('allowed');
    expect(fullReads).toBe(0);

    // An overlay in force whose layer is gone: every rule is read (the overlay's included).
    for (const key of [...store.records.keys()]) {
      if (key.startsWith('overlay ')) store.records.delete(key);
    }
    expect((await worker.blockPageVerdict('https://old.example/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://new.example/')).outcome).toBe('blocked');
    expect(fullReads).toBe(2);
  });
});

describe('an index that is not proved to be the rules in force is not used', () => {
  async function applied(policy: Record<string, unknown> = { categories: { social: 'warn' } }) {
    await setPolicy(policy);
    const worker = await workerStart();
    await worker.applyPolicy('test');
    fullReads = 0;
    return worker;
  }

  it('none stored (an install from before the index): every rule is read once, then indexed', async () => {
    const worker = await applied();
    store.records.clear();
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(2); // dynamic and session rules, once
    await settle();
    expect(store.records.size).toBeGreaterThan(1);
    fullReads = 0;
    const fresh = await workerStart();
    expect((await fresh.blockPageVerdict('https://facebook.com/')).outcome).toBe('warned');
    expect(fullReads).toBe(0);
  });

  it('damaged records (a bucket, the layer’s own record): every rule is read', async () => {
    const worker = await applied();
    for (const key of store.records.keys()) {
      if (key !== 'dynamic -1') store.records.set(key, { not: 'a bucket' });
    }
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(2);
    await settle(); // healed from what was read; now damage the layer's own record
    store.records.set('dynamic -1', { rules: 'garbage' });
    const fresh = await workerStart();
    fullReads = 0;
    expect(await fresh.testUrl('https://facebook.com/')).toMatchObject({
      verdict: { outcome: 'warned' },
    });
    expect(fullReads).toBe(2);
  });

  it('an index of other rules than the browser holds (rules changed behind a new worker’s back): every rule is read', async () => {
    await applied();
    // Someone replaced the dynamic rules with ones that block bbc.co.uk under another marker.
    dnr.dynamic.set(5, {
      id: 5,
      priority: 9_000,
      action: { type: 'block' },
      condition: { requestDomains: ['bbc.co.uk'], resourceTypes: ['main_frame'] },
    });
    const marker = dnr.dynamic.get(MARKER_RULE_ID) as unknown as {
      condition: { requestDomains: string[] };
    };
    marker.condition.requestDomains = [
      '0000000000000000000000000000000000000000.applied.steward.invalid',
    ];
    // A new worker that has not reconciled yet reads the markers itself.
    const worker = await workerStart();
    const verdict = await worker.testUrl('https://bbc.co.uk/');
    expect(verdict).toMatchObject({ verdict: { outcome: 'blocked' } });
    expect(fullReads).toBe(2);
  });

  it('the same rules numbered differently from what the worker recorded: every rule is read', async () => {
    const worker = await applied();
    const state = await fakeBrowser.storage.local.get('enforcement');
    const recorded = state.enforcement as { ruleKeys: Record<number, unknown> };
    const [first, second] = Object.keys(recorded.ruleKeys);
    const swapped = {
      ...recorded.ruleKeys,
      [first!]: recorded.ruleKeys[Number(second)],
      [second!]: recorded.ruleKeys[Number(first)],
    };
    await fakeBrowser.storage.local.set({ enforcement: { ...recorded, ruleKeys: swapped } });
    expect((await worker.blockPageVerdict('https://bet365.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(2);
  });

  it('a write that failed leaves the rules applied; verdicts read every rule, and the index heals', async () => {
    await setPolicy({ categories: { social: 'warn' } });
    const worker = await workerStart();
    await worker.applyPolicy('first');
    await setPolicy({ categories: { social: 'block' } });
    store.failNextWrites(1);
    const state = await worker.applyPolicy('policy changed');
    expect(state.applyError).toBeNull();
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://facebook.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(2);
    await settle();
    fullReads = 0;
    expect((await worker.blockPageVerdict('https://facebook.com/')).outcome).toBe('blocked');
    expect(fullReads).toBe(0);
  });

  it('the block page’s own address is never read: its query names no verdict', async () => {
    const worker = await applied();
    const page = `chrome-extension://${fakeBrowser.runtime.id}/blocked.html?c=social&m=warn`;
    expect((await worker.blockPageVerdict(page)).outcome).toBe('invalid');
    expect((await worker.continueWarned(3, 'https://bet365.com/?c=social&m=warn')).ok).toBe(false);
  });
});
