/**
 * A change document in the worker (platform/enforcement.ts with lib/enforcement-plan.ts), against
 * the in-memory declarativeNetRequest: the overlay is laid from the change document alone (the
 * full list is never read), the block page and "test a site" see it, a worker or browser restart
 * before the full list is stored keeps it, and the full list arriving later changes nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { RuleListContribution } from '../../../lib/enforcement-plan.ts';
import { isOverlayRuleId } from '../../../lib/overlay.ts';
import { type ChangeDocument, changeDocumentOf } from '../../../lib/rule-list/changes.ts';
import { parseRuleList, toCompiledRuleList } from '../../../lib/rule-list/document.ts';
import { type FakeDnr, installFakeDnr } from '../support/fake-dnr.ts';
import { documentOf, type Published, publish } from '../support/rule-list-versions.ts';

type Enforcement = typeof import('../../../platform/enforcement.ts');

let dnr: FakeDnr;
/** What the stored full list gives; `fullListReads` counts reads of it. */
let fullList: RuleListContribution | null = null;
let fullListReads = 0;
/** The pending change document and the fingerprint platform/rule-list.ts would report. */
let pending: ChangeDocument | null = null;

async function workerStart(): Promise<Enforcement> {
  vi.resetModules();
  const enforcement = await import('../../../platform/enforcement.ts');
  enforcement.setCategorySource({
    contribution: async () => {
      fullListReads++;
      return fullList;
    },
    fingerprint: async () => pending?.result ?? fullList?.fingerprint ?? null,
    changes: async () => pending,
    release: () => undefined,
  });
  return enforcement;
}

const filler = Array.from({ length: 2_000 }, (_, i) => `site${i}.filler.example`);
async function version(n: number, listed: string[]): Promise<Published> {
  return publish(await toCompiledRuleList(documentOf({ adult: [...filler, ...listed] }, n)));
}
async function changesBetween(from: Published, to: Published): Promise<ChangeDocument> {
  const before = parseRuleList(new TextEncoder().encode(from.text));
  const after = parseRuleList(new TextEncoder().encode(to.text));
  if (!before.ok || !after.ok) throw new Error('not a list');
  const made = await changeDocumentOf(after.document, before.document, from.sha, to.sha);
  if (!made.ok) throw new Error(made.reason);
  return made.document;
}

const overlayRules = () => [...dnr.session.values()].filter((r) => isOverlayRuleId(r.id));
const dynamicSnapshot = () => JSON.stringify([...dnr.dynamic.values()]);

beforeEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
  dnr = installFakeDnr();
  fullList = null;
  pending = null;
  fullListReads = 0;
});

describe('a change document goes in as an overlay without the full list', () => {
  async function withChanges() {
    const v1 = await version(1, ['old-one.example', 'kept.example']);
    fullList = v1.contribution;
    const worker = await workerStart();
    await worker.applyPolicy('v1');
    const dynamicBefore = dynamicSnapshot();
    const dynamicUpdates = dnr.dynamicUpdates.length;
    const v2 = await version(2, ['kept.example', 'new-one.example', 'sub.kept.example']);
    pending = await changesBetween(v1, v2);
    fullListReads = 0;
    const state = await worker.applyPolicy('v2 change document');
    return { worker, state, v2, dynamicBefore, dynamicUpdates };
  }

  it('lays the overlay from the change document; the full list is not read', async () => {
    const { worker, state, v2, dynamicBefore, dynamicUpdates } = await withChanges();
    expect(fullListReads).toBe(0);
    expect(state.ruleListVersion).toBe(2);
    expect(state.ruleListFingerprint).toBe(v2.sha);
    expect(state.lastUpdate?.fromChangeDocument).toBe(true);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect(dynamicSnapshot()).toBe(dynamicBefore);
    expect(overlayRules().length).toBeGreaterThan(1);
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://old-one.example/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('https://x.kept.example/')).outcome).toBe('blocked');
  });

  it('a browser restart before the full list is stored puts the overlay back, no list read', async () => {
    const { dynamicUpdates } = await withChanges();
    const overlay = JSON.stringify(overlayRules());
    dnr.restartBrowser();
    fullListReads = 0;
    const worker = await workerStart();
    const state = await worker.applyPolicy('worker start');
    expect(state.ruleListVersion).toBe(2);
    expect(JSON.stringify(overlayRules())).toBe(overlay);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect(fullListReads).toBe(0);
    expect((await worker.blockPageVerdict('https://new-one.example/')).outcome).toBe('blocked');
  });

  it('the full list stored later changes nothing in the browser', async () => {
    const { worker, v2, dynamicUpdates } = await withChanges();
    const sessionUpdates = dnr.sessionUpdates.length;
    pending = null;
    fullList = v2.contribution;
    const state = await worker.applyPolicy('full list stored');
    expect(state.ruleListFingerprint).toBe(v2.sha);
    expect(dnr.dynamicUpdates.length).toBe(dynamicUpdates);
    expect(dnr.sessionUpdates.length).toBe(sessionUpdates);
  });

  it('a change document from another list is not used: the full list decides', async () => {
    const v1 = await version(1, ['old-one.example']);
    fullList = v1.contribution;
    const worker = await workerStart();
    await worker.applyPolicy('v1');
    const v2 = await version(2, ['new-one.example']);
    pending = { ...(await changesBetween(v1, v2)), since: 'f'.repeat(64) };
    fullListReads = 0;
    const state = await worker.applyPolicy('replayed change document');
    expect(state.ruleListVersion).toBe(1);
    expect(fullListReads).toBeGreaterThan(0);
    expect(overlayRules()).toEqual([]);
    expect((await worker.blockPageVerdict('https://old-one.example/')).outcome).toBe('blocked');
  });
});
