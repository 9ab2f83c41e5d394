/**
 * The rule-list overlay in the worker (platform/enforcement.ts with lib/overlay.ts), against the
 * in-memory declarativeNetRequest: a small list change goes into session rules with the dynamic
 * rules untouched; the block page's verdict sees it; a browser restart loses it and the next start
 * puts it back; a big change folds it into the dynamic rules; refused updates are retried.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { RuleListContribution } from '../../../lib/enforcement-plan.ts';
import { isOverlayRuleId, OVERLAY_MARKER_RULE_ID } from '../../../lib/overlay.ts';
import { type FakeDnr, installFakeDnr } from '../support/fake-dnr.ts';
import { documentOf, type Published, publishVersion } from '../support/rule-list-versions.ts';

type Enforcement = typeof import('../../../platform/enforcement.ts');
type Storage = typeof import('../../../platform/storage.ts');

let dnr: FakeDnr;
let inForce: RuleListContribution | null = null;

/** A new service worker whose rule list is whatever `inForce` holds. */
async function workerStart(): Promise<Enforcement & { storage: Storage }> {
  vi.resetModules();
  const enforcement = await import('../../../platform/enforcement.ts');
  const storage = await import('../../../platform/storage.ts');
  enforcement.setCategorySource({
    contribution: async () => inForce,
    fingerprint: async () => inForce?.fingerprint ?? null,
    release: () => undefined,
  });
  return { ...enforcement, storage };
}

// 2,000 domains, so a handful of changes is well under the overlay's 2 %.
const filler = Array.from({ length: 2_000 }, (_, i) => `site${i}.filler.example`);
const version = (n: number, listed: string[], previous?: Published, blockList: string[] = []) =>
  publishVersion(documentOf({ adult: [...filler, ...listed] }, n, { blockList }), previous);

const overlayRules = () => [...dnr.session.values()].filter((r) => isOverlayRuleId(r.id));
const dynamicSnapshot = () => JSON.stringify([...dnr.dynamic.values()]);

beforeEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
  dnr = installFakeDnr();
  inForce = null;
});

describe('a small rule-list change goes into an overlay of session rules', () => {
  async function withOverlay() {
    const v1 = await version(1, ['old-one.example', 'old-two.example', 'kept.example']);
    inForce = v1.contribution;
    const worker = await workerStart();
    await worker.applyPolicy('v1');
    const dynamicBefore = dynamicSnapshot();
    const dynamicUpdates = dnr.dynamicUpdates.length;
    const v2 = await version(2, ['kept.example', 'new-one.example', 'sub.kept.example'], v1);
    inForce = v2.contribution;
    const state = await worker.applyPolicy('v2');
    return { worker, state, v2, dynamicBefore, dynamicUpdates };
  }

  it('the dynamic rules are untouched (ids and content); the overlay and its marker are in session', async () => {
    const { worker, state, dynamicBefore, dynamicUpdates } = await withOverlay();
    expect(state.overlay?.cover).toBe(3);
    expect(state.applyError).toBeNull();
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect(dynamicSnapshot()).toBe(dynamicBefore);
    expect(dnr.session.has(OVERLAY_MARKER_RULE_ID)).toBe(true);
    expect(overlayRules().length).toBeGreaterThan(1);
    // The block page and "test a site" decide from dynamic + overlay rules.
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://old-one.example/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://kept.example/')).outcome).toBe('blocked');
    const tested = await worker.testUrl('https://old-two.example/');
    expect(tested).toEqual({ kind: 'verdict', verdict: { outcome: 'allowed', reason: 'no-rule' } });
    // The same inputs again: nothing to do.
    const updates = dnr.sessionUpdates.length;
    await worker.applyPolicy('again');
    expect(dnr.sessionUpdates.length).toBe(updates);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
  });

  it('a browser restart loses the overlay; the next worker start puts it back, not the dynamic rules', async () => {
    const { dynamicUpdates } = await withOverlay();
    const overlay = JSON.stringify(overlayRules());
    dnr.restartBrowser();
    const worker = await workerStart();
    const state = await worker.applyPolicy('worker start');
    expect(state.overlay).not.toBeNull();
    expect(JSON.stringify(overlayRules())).toBe(overlay);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');
  });

  it('a second small change adds to the overlay; a big one folds it into the dynamic rules', async () => {
    const { worker, v2, dynamicUpdates } = await withOverlay();
    const v3 = await version(3, ['kept.example', 'new-one.example', 'another.example'], v2);
    inForce = v3.contribution;
    const state3 = await worker.applyPolicy('v3');
    expect(state3.overlay?.cover).toBe(4);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect((await worker.blockPageVerdict('https://sub.kept.example/')).outcome).toBe('blocked');
    // v4 adds a block-list entry: not a category change, so a full update, which folds.
    const v4 = await version(4, ['kept.example', 'another.example'], v3, ['school.example']);
    inForce = v4.contribution;
    const state4 = await worker.applyPolicy('v4');
    expect(state4.overlay).toBeNull();
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates + 1);
    expect(overlayRules()).toEqual([]);
    expect(await worker.storage.ruleOverlay.getValue()).toBeNull();
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://another.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://school.example/')).outcome).toBe('blocked');
  });

  it('a refused session update is retried; refused every time, the last good rules stay and the next reconcile heals', async () => {
    const v1 = await version(1, ['old-one.example']);
    inForce = v1.contribution;
    const worker = await workerStart();
    await worker.applyPolicy('v1');
    const v2 = await version(2, ['new-one.example'], v1);
    inForce = v2.contribution;
    dnr.failNextSessionUpdates(2);
    const retried = await worker.applyPolicy('v2');
    expect(retried.applyError).toBeNull();
    expect(retried.overlay).not.toBeNull();
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');

    const v3 = await version(3, ['third.example'], v2);
    inForce = v3.contribution;
    dnr.failNextSessionUpdates(4, 'Quota exceeded.');
    const failed = await worker.applyPolicy('v3');
    expect(failed.applyError).toBe('Quota exceeded.');
    expect(failed.ruleListVersion).toBe(2);
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');
    const healed = await worker.applyPolicy('alarm');
    expect(healed.applyError).toBeNull();
    expect(healed.ruleListVersion).toBe(3);
    expect((await worker.blockPageVerdict('https://third.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('allowed');
  });
});
