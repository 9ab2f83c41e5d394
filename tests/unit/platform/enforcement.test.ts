/**
 * platform/enforcement.ts run against WXT's fake browser and an in-memory declarativeNetRequest
 * (tests/unit/support/fake-dnr.ts): read → plan → execute, retries, healing, the one queue, and
 * the block page's verdicts, Continue and counts, as the service worker runs them.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { MARKER_RULE_ID, POLICY_AWAITED } from '../../../lib/enforcement-plan.ts';
import { type FakeDnr, installFakeDnr } from '../support/fake-dnr.ts';

type Enforcement = typeof import('../../../platform/enforcement.ts');
type Storage = typeof import('../../../platform/storage.ts');

let dnr: FakeDnr;

/** A new service worker: the platform modules loaded afresh (module state gone), storage kept. */
async function workerStart(): Promise<Enforcement & { storage: Storage }> {
  vi.resetModules();
  const enforcement = await import('../../../platform/enforcement.ts');
  const storage = await import('../../../platform/storage.ts');
  return { ...enforcement, storage };
}

async function setPolicy(policy: Record<string, unknown>) {
  await fakeBrowser.storage.managed.clear();
  await fakeBrowser.storage.managed.set(policy);
}

const categoryRules = () =>
  [...dnr.dynamic.values()].filter((r) => r.id < 100_000) as unknown as {
    id: number;
    action: { type: string };
    condition: { requestDomains?: string[] };
  }[];
const blocks = (host: string) =>
  categoryRules().some(
    (r) => r.action.type === 'redirect' && r.condition.requestDomains?.includes(host),
  );

beforeEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
  dnr = installFakeDnr();
});

describe('applying the policy (read → plan → execute)', () => {
  it('a fresh install with no policy: the built-in default is in force, proved by the marker', async () => {
    const worker = await workerStart();
    const state = await worker.applyPolicy('test');
    expect(state.appliedAt).not.toBeNull();
    expect(state.source).toBe('default');
    expect(dnr.dynamic.has(MARKER_RULE_ID)).toBe(true);
    expect(blocks('bet365.com')).toBe(true);
  });

  it('a managed policy is applied; the same policy again changes nothing in the browser', async () => {
    await setPolicy({ categories: { gambling: 'allow' } });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    expect(blocks('bet365.com')).toBe(false);
    const updates = dnr.dynamicUpdates.length;
    await worker.applyPolicy('again');
    expect(dnr.dynamicUpdates.length).toBe(updates);
  });

  it('a refused update is retried, and the rules come into force', async () => {
    dnr.failNextDynamicUpdates(2);
    const worker = await workerStart();
    const state = await worker.applyPolicy('test');
    expect(state.applyError).toBeNull();
    expect(dnr.dynamicUpdates.length).toBe(3);
    expect(blocks('bet365.com')).toBe(true);
  });

  it('an update refused every time keeps the last good rules and says why; the next reconcile heals', async () => {
    const worker = await workerStart();
    await worker.applyPolicy('first');
    await setPolicy({ categories: { gambling: 'allow' } });
    dnr.failNextDynamicUpdates(4, 'Quota exceeded.');
    const failed = await worker.applyPolicy('policy changed');
    expect(failed.applyError).toContain('Quota exceeded.');
    expect(blocks('bet365.com')).toBe(true);
    const healed = await worker.applyPolicy('alarm');
    expect(healed.applyError).toBeNull();
    expect(blocks('bet365.com')).toBe(false);
  }, 15_000);

  it('rules lost from the browser are put back at the next worker start', async () => {
    await (await workerStart()).applyPolicy('install');
    dnr.dynamic.clear();
    const worker = await workerStart();
    await worker.applyPolicy('service worker start');
    expect(dnr.dynamic.has(MARKER_RULE_ID)).toBe(true);
    expect(blocks('bet365.com')).toBe(true);
  });

  it('a worker stopped after recording its intent but before the update heals at its next start', async () => {
    await (await workerStart()).applyPolicy('install');
    await setPolicy({ categories: { gambling: 'allow' } });
    // The browser never finishes this update (the worker is stopped): every attempt fails.
    dnr.failNextDynamicUpdates(4);
    await (await workerStart()).applyPolicy('policy changed');
    expect(blocks('bet365.com')).toBe(true);
    const worker = await workerStart();
    await worker.applyPolicy('service worker start');
    expect(blocks('bet365.com')).toBe(false);
  }, 15_000);

  it('a worker stopped once its rules are in force but before they are recorded heals at its next start', async () => {
    await (await workerStart()).applyPolicy('install');
    await setPolicy({ categories: { gambling: 'allow' } });
    const worker = await workerStart();
    const order: string[] = [];
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    // The record never lands (the worker is stopped as it writes): the stored state is the one
    // before, while the browser holds the new rules and their marker.
    const spy = vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      if ('enforcement' in (items as Record<string, unknown>)) {
        order.push('record');
        throw new Error('stopped');
      }
      return set(items);
    });
    await expect(
      worker.applyPolicy('policy changed', { onInForce: () => order.push('in force') }),
    ).rejects.toThrow('stopped');
    // The end point a refresh reports comes before the record, with the new rules in the browser.
    expect(order).toEqual(['in force', 'record']);
    expect(blocks('bet365.com')).toBe(false);
    const before = await worker.storage.enforcementState.getValue();
    spy.mockRestore();
    const next = await workerStart();
    const state = await next.applyPolicy('service worker start');
    expect(state.rulesHash).not.toBe(before.rulesHash);
    expect(blocks('bet365.com')).toBe(false);
    expect((await next.storage.enforcementState.getValue()).rulesHash).toBe(state.rulesHash);
    // And back: the policy before, from the state the next start recorded.
    await setPolicy({});
    await next.applyPolicy('policy changed back');
    expect(blocks('bet365.com')).toBe(true);
  }, 15_000);

  it('the stored high-water mark covers every policy rule id the browser is sent; it is written ahead of an update only when it moves', async () => {
    const worker = await workerStart();
    const seen: { sent: number; stored: number; writesBefore: number }[] = [];
    let stateWrites = 0;
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      if ('enforcement' in (items as Record<string, unknown>)) stateWrites++;
      return set(items);
    });
    const update = fakeBrowser.declarativeNetRequest.updateDynamicRules.bind(
      fakeBrowser.declarativeNetRequest,
    );
    fakeBrowser.declarativeNetRequest.updateDynamicRules = async (u) => {
      const ids = (u.addRules ?? []).map((r) => r.id).filter((id) => id < 100_000);
      const stored = await worker.storage.enforcementState.getValue();
      seen.push({
        sent: Math.max(0, ...ids),
        stored: stored.highestRuleId,
        writesBefore: stateWrites,
      });
      return update(u);
    };
    await worker.applyPolicy('install');
    stateWrites = 0;
    // Fewer rules: the mark stays, so nothing is written ahead of the update.
    await setPolicy({ categories: { gambling: 'allow' } });
    stateWrites = 0;
    await worker.applyPolicy('policy changed');
    // More rules than ever (new keys take new ids): the mark moves, and is stored first.
    await setPolicy({ blockList: ['one.example', 'two.example/path'], categories: {} });
    stateWrites = 0;
    await worker.applyPolicy('policy changed again');
    expect(seen).toHaveLength(3);
    for (const { sent, stored } of seen) expect(stored).toBeGreaterThanOrEqual(sent);
    expect(seen[1]!.writesBefore).toBe(0);
    expect(seen[2]!.sent).toBeGreaterThan(seen[0]!.sent);
    expect(seen[2]!.writesBefore).toBe(1);
  });

  it('a policy that cannot be used keeps the last good rules and names the problem', async () => {
    await setPolicy({ categories: { gambling: 'allow' } });
    const worker = await workerStart();
    await worker.applyPolicy('first');
    await setPolicy({ categories: { gambling: 'sometimes' } });
    const state = await worker.applyPolicy('policy changed');
    expect(state.policyErrors.join(' ')).toMatch(/gambling/);
    expect(blocks('bet365.com')).toBe(false);
  });

  it('a new install whose browser is slow to hand over the policy: the default at once, the policy when it comes', async () => {
    let handOver: (value: Record<string, unknown>) => void = () => undefined;
    const slow = new Promise<Record<string, unknown>>((resolve) => {
      handOver = resolve;
    });
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockReturnValue(slow as never);
    const worker = await workerStart();
    const interim = await worker.applyPolicy('install');
    expect(interim.policyErrors).toEqual([POLICY_AWAITED]);
    expect(blocks('bet365.com')).toBe(true);
    handOver({ categories: { gambling: 'allow' } });
    await vi.waitFor(async () => {
      const state = await worker.storage.enforcementState.getValue();
      expect(state.source).toBe('managed');
    });
    expect(blocks('bet365.com')).toBe(false);
  });

  it('a policy the browser does not hand over is asked for again within seconds, the last good one kept meanwhile', async () => {
    await setPolicy({ categories: { gambling: 'allow' } });
    const worker = await workerStart();
    await worker.applyPolicy('first');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const get = fakeBrowser.storage.managed.get.bind(fakeBrowser.storage.managed);
      // Once unanswered for good (as Chromium can leave it), then answered again.
      const spy = vi
        .spyOn(fakeBrowser.storage.managed, 'get')
        .mockReturnValueOnce(new Promise(() => undefined) as never)
        .mockImplementation(get as never);
      await fakeBrowser.storage.managed.clear();
      await fakeBrowser.storage.managed.set({ categories: { gambling: 'block' } });
      const unanswered = worker.applyPolicy('policy changed');
      await vi.advanceTimersByTimeAsync(5_000);
      const kept = await unanswered;
      expect(kept.source).toBe('managed');
      expect(blocks('bet365.com')).toBe(false);
      await vi.advanceTimersByTimeAsync(2_000);
      await vi.waitFor(() => expect(blocks('bet365.com')).toBe(true));
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('every DNR change goes through one queue: concurrent reconciles never overlap', async () => {
    dnr.updateDelayMs = 20;
    const worker = await workerStart();
    await Promise.all([
      worker.applyPolicy('a'),
      setPolicy({ categories: { gambling: 'allow' } }).then(() => worker.applyPolicy('b')),
      worker.applyPolicy('c'),
    ]);
    expect(dnr.maxConcurrentUpdates).toBe(1);
    expect(blocks('bet365.com')).toBe(false);
  });
});

describe('what is in force: asked of the browser, or known from the last reconcile', () => {
  const markerReads = () => {
    const dnrApi = (
      fakeBrowser as unknown as {
        declarativeNetRequest: { getDynamicRules(f?: { ruleIds?: number[] }): Promise<unknown> };
      }
    ).declarativeNetRequest;
    return vi.spyOn(dnrApi, 'getDynamicRules');
  };

  it("a change document's reconcile takes the markers this worker's last reconcile proved; the alarm still asks", async () => {
    const worker = await workerStart();
    await worker.applyPolicy('service worker start');
    const reads = markerReads();
    await setPolicy({ categories: { gambling: 'allow' } });
    await worker.applyPolicy('rule list version 2 (change document)', {
      markersFromLastReconcile: true,
    });
    expect(reads).not.toHaveBeenCalled();
    expect(blocks('bet365.com')).toBe(false);
    await worker.applyPolicy('reconcile alarm');
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('a new worker, or one whose last reconcile failed, asks the browser even for a change document', async () => {
    await (await workerStart()).applyPolicy('install');
    // Rules lost behind a new worker's back: it must not believe they are there.
    dnr.dynamic.clear();
    const worker = await workerStart();
    const reads = markerReads();
    await worker.applyPolicy('rule list version 2 (change document)', {
      markersFromLastReconcile: true,
    });
    expect(reads).toHaveBeenCalled();
    expect(dnr.dynamic.has(MARKER_RULE_ID)).toBe(true);

    await setPolicy({ categories: { gambling: 'allow' } });
    dnr.failNextDynamicUpdates(4, 'Quota exceeded.');
    const failed = await worker.applyPolicy('policy changed');
    expect(failed.applyError).toContain('Quota exceeded.');
    reads.mockClear();
    await worker.applyPolicy('rule list version 3 (change document)', {
      markersFromLastReconcile: true,
    });
    expect(reads).toHaveBeenCalled();
    expect(blocks('bet365.com')).toBe(false);
  }, 15_000);
});

describe("a reconcile's inputs read ahead (a rule list's update reads them while it reads the list)", () => {
  it('are used when no task of the queue began since they were asked for', async () => {
    const worker = await workerStart();
    await worker.applyPolicy('install');
    const ahead = worker.readReconcileInputsAhead();
    expect(ahead).not.toBeNull();
    const updates = dnr.dynamicUpdates.length;
    const reads = vi.spyOn(
      (
        fakeBrowser as unknown as {
          declarativeNetRequest: { getDynamicRules(f?: unknown): Promise<unknown> };
        }
      ).declarativeNetRequest,
      'getDynamicRules',
    );
    // Nothing ran between: the marker read ahead is taken, the same rules are in force.
    const state = await worker.applyPolicy('rule list', { inputsAhead: ahead });
    expect(reads).not.toHaveBeenCalled();
    expect(state.applyError).toBeNull();
    expect(dnr.dynamicUpdates.length).toBe(updates);
  });

  it('are not used once another task of the queue began: that reconcile reads its own', async () => {
    const worker = await workerStart();
    // Asked for before anything is in force: the state read says nothing is applied.
    const stale = worker.readReconcileInputsAhead();
    expect(stale).not.toBeNull();
    await worker.applyPolicy('install');
    const updates = dnr.dynamicUpdates.length;
    const state = await worker.applyPolicy('rule list', { inputsAhead: stale });
    // Had it believed the stale state, it would have sent every rule again.
    expect(dnr.dynamicUpdates.length).toBe(updates);
    expect(state.appliedAt).not.toBeNull();
    // Read while the rules were lost, then put back by another reconcile: not believed either.
    dnr.dynamic.clear();
    const lost = worker.readReconcileInputsAhead();
    await worker.applyPolicy('alarm');
    expect(dnr.dynamic.has(MARKER_RULE_ID)).toBe(true);
    const count = dnr.dynamicUpdates.length;
    await worker.applyPolicy('rule list', { inputsAhead: lost });
    expect(dnr.dynamicUpdates.length).toBe(count);
  });

  it('are not asked for while the queue is busy', async () => {
    dnr.updateDelayMs = 20;
    const worker = await workerStart();
    const applying = worker.applyPolicy('install');
    expect(worker.readReconcileInputsAhead()).toBeNull();
    await applying;
    expect(worker.readReconcileInputsAhead()).not.toBeNull();
  });
});

describe('the block page asks; the worker decides', () => {
  const TAB = 12;

  it('verdicts come from the rules in force, never from the page', async () => {
    await setPolicy({ categories: { social: 'warn' } });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    expect((await worker.blockPageVerdict('https://www.bet365.com/x')).outcome).toBe('blocked');
    expect((await worker.blockPageVerdict('https://www.facebook.com/')).outcome).toBe('warned');
    expect((await worker.blockPageVerdict('https://www.bbc.co.uk/')).outcome).toBe('allowed');
    expect((await worker.blockPageVerdict('javascript:alert(1)')).outcome).toBe('invalid');
  });

  it('Continue is granted for a warned site only, for that tab, and goes with the tab', async () => {
    await setPolicy({ categories: { social: 'warn' } });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    expect((await worker.continueWarned(TAB, 'https://www.bet365.com/')).ok).toBe(false);
    expect(dnr.session.size).toBe(0);
    const granted = await worker.continueWarned(TAB, 'https://www.facebook.com/groups');
    expect(granted.ok).toBe(true);
    const [rule] = [...dnr.session.values()] as unknown as { condition: { tabIds: number[] } }[];
    expect(rule!.condition.tabIds).toEqual([TAB]);
    await worker.forgetTab(TAB);
    expect(dnr.session.size).toBe(0);
  });

  it('Continue grants end when their time is up, and with any change of rules', async () => {
    await setPolicy({ categories: { social: 'warn' }, warnContinueMinutes: 5 });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    await worker.continueWarned(TAB, 'https://www.facebook.com/');
    await worker.expireContinueGrants(Date.now() + 4 * 60_000);
    expect(dnr.session.size).toBe(1);
    await worker.expireContinueGrants(Date.now() + 5 * 60_000 + 1);
    expect(dnr.session.size).toBe(0);
    await worker.continueWarned(TAB, 'https://www.facebook.com/');
    expect(Object.keys(await worker.storage.warnContinueGrants.getValue())).toHaveLength(1);
    expect(await fakeBrowser.alarms.get(worker.WARN_EXPIRY_ALARM)).toBeDefined();
    await setPolicy({ categories: { social: 'block' } });
    await worker.applyPolicy('policy changed');
    expect(dnr.session.size).toBe(0);
    // The record and the expiry alarm go with the grant.
    expect(await worker.storage.warnContinueGrants.getValue()).toEqual({});
    expect(await fakeBrowser.alarms.get(worker.WARN_EXPIRY_ALARM)).toBeUndefined();
  });

  it('a grant given after the grants were cleared goes with the next change of rules too, and a new worker clears what an earlier one gave', async () => {
    await setPolicy({ categories: { social: 'warn' } });
    const worker = await workerStart();
    await worker.applyPolicy('test');
    // Two changes of rules with no grant between: the second has nothing to clear.
    await setPolicy({ categories: { social: 'warn', gambling: 'warn' } });
    await worker.applyPolicy('policy changed');
    await worker.continueWarned(TAB, 'https://www.facebook.com/');
    expect(dnr.session.size).toBe(1);
    await setPolicy({ categories: { social: 'warn' } });
    await worker.applyPolicy('policy changed again');
    expect(dnr.session.size).toBe(0);
    expect(await worker.storage.warnContinueGrants.getValue()).toEqual({});

    await worker.continueWarned(TAB, 'https://www.facebook.com/');
    expect(dnr.session.size).toBe(1);
    // The worker is stopped; the session rules stay. The next worker's change of rules clears it.
    const next = await workerStart();
    await setPolicy({ categories: { social: 'warn', gambling: 'warn' } });
    await next.applyPolicy('policy changed');
    expect(dnr.session.size).toBe(0);
    expect(await next.storage.warnContinueGrants.getValue()).toEqual({});
    expect(await fakeBrowser.alarms.get(next.WARN_EXPIRY_ALARM)).toBeUndefined();
  });

  it('a block page is counted only after its tab started that navigation, once', async () => {
    const worker = await workerStart();
    await worker.applyPolicy('test');
    expect(await worker.blockPageCount(TAB, 'https://www.bet365.com/')).toBeNull();
    await worker.noteTopFrameNavigation(TAB, 'https://www.bet365.com/#odds');
    expect(await worker.blockPageCount(TAB, 'https://www.bet365.com/')).toEqual({
      category: 'gambling',
      outcome: 'blocked',
    });
    expect(await worker.blockPageCount(TAB, 'https://www.bet365.com/')).toBeNull();
    // An allowed URL is never counted, even after a navigation to it.
    await worker.noteTopFrameNavigation(TAB, 'https://www.bbc.co.uk/');
    expect(await worker.blockPageCount(TAB, 'https://www.bbc.co.uk/')).toBeNull();
  });
});

describe('personal-use windows in the worker', () => {
  // Wednesday 2 December 2026, 09:00 GMT; lunch 12:15–13:15 opens social.
  const MORNING = Date.parse('2026-12-02T09:00:00Z');
  const OPENS = Date.parse('2026-12-02T12:15:00Z');
  const CLOSES = Date.parse('2026-12-02T13:15:00Z');
  const lunch = {
    timeZone: 'Europe/London',
    personalUse: {
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:15', to: '13:15' }],
      modes: { social: 'allow' },
    },
  };

  it('after every reconcile, a one-shot alarm waits for the next boundary; at it, the window switches', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(MORNING);
    await setPolicy(lunch);
    const worker = await workerStart();
    await worker.applyPolicy('start');
    expect(blocks('facebook.com')).toBe(true);
    expect((await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM))?.scheduledTime).toBe(OPENS);

    vi.spyOn(Date, 'now').mockReturnValue(OPENS);
    await worker.applyPolicy('personal-use window boundary');
    expect(blocks('facebook.com')).toBe(false);
    expect((await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM))?.scheduledTime).toBe(CLOSES);
  });

  it('a worker asleep across the boundary is right at its next start', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(MORNING);
    await setPolicy(lunch);
    await (await workerStart()).applyPolicy('start');
    vi.spyOn(Date, 'now').mockReturnValue(OPENS + 20 * 60_000);
    const woken = await workerStart();
    await woken.applyPolicy('service worker start');
    expect(blocks('facebook.com')).toBe(false);
  });

  it('the block page is told when personal use opens, from the worker; nothing for a category no window opens', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(MORNING);
    await setPolicy(lunch);
    const worker = await workerStart();
    await worker.applyPolicy('start');
    const social = await worker.blockPageVerdict('https://www.facebook.com/');
    expect(social).toMatchObject({
      outcome: 'blocked',
      category: 'social',
      personalUseOpens: { kind: 'today', time: '12:15' },
    });
    const gambling = await worker.blockPageVerdict('https://www.bet365.com/');
    expect(gambling.outcome).toBe('blocked');
    expect('personalUseOpens' in gambling).toBe(false);
  });

  it('windows dropped from the policy take their alarm with them; windows again set it again', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(MORNING);
    await setPolicy(lunch);
    const worker = await workerStart();
    await worker.applyPolicy('start');
    expect(await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM)).toBeDefined();
    await setPolicy({ categories: { social: 'block' } });
    await worker.applyPolicy('no windows');
    expect(await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM)).toBeUndefined();
    await worker.applyPolicy('still none');
    await setPolicy(lunch);
    await worker.applyPolicy('windows again');
    expect((await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM))?.scheduledTime).toBe(OPENS);
    await setPolicy({ categories: { social: 'block' } });
    await worker.applyPolicy('no windows again');
    expect(await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM)).toBeUndefined();
    // A new worker does not know what an earlier one left: it clears once.
    await fakeBrowser.alarms.create(worker.PERSONAL_USE_ALARM, { when: OPENS });
    await setPolicy({ categories: { social: 'block' } });
    const next = await workerStart();
    await next.applyPolicy('service worker start');
    expect(await fakeBrowser.alarms.get(next.PERSONAL_USE_ALARM)).toBeUndefined();
  });

  it('without windows there is no personal-use alarm', async () => {
    await setPolicy({ categories: { social: 'block' } });
    const worker = await workerStart();
    await worker.applyPolicy('start');
    expect(await fakeBrowser.alarms.get(worker.PERSONAL_USE_ALARM)).toBeUndefined();
  });
});
