/**
 * The enforcement decision (lib/enforcement-plan.ts), reconcile case by case: what the next state
 * is and which DNR update (if any) brings the browser there.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CategoryList } from '../../../lib/compiler.ts';
import {
  MARKER_RULE_ID,
  markerHash,
  type PlanInput,
  POLICY_AWAITED,
  planEnforcement,
} from '../../../lib/enforcement-plan.ts';
import { type EnforcementState, INITIAL_STATE } from '../../../lib/enforcement-state.ts';
import { DEFAULT_POLICY } from '../../../lib/policy.ts';

const list = (...domains: string[]): CategoryList => ({ domains, urlPrefixes: [] });
const builtIn = {
  lists: {
    streaming: list('youtube.com', 'netflix.com'),
    social: list('facebook.com', 'reddit.com'),
    gambling: list('bet365.com'),
  },
  clauses: { gambling: 'No gambling.' },
  fingerprint: 'built-in-1',
};

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    previous: INITIAL_STATE,
    lastGoodPolicy: null,
    managed: {},
    builtIn,
    ruleListFor: async () => null,
    markerInBrowser: null,
    blockPageUrl: 'chrome-extension://abc/blocked.html',
    target: 'chrome',
    now: 1_000,
    sha256: async (text) => createHash('sha256').update(text).digest('hex'),
    ...over,
  };
}

/** What the browser would hold after executing a plan: its marker, and the state stored. */
async function applied(over: Partial<PlanInput> = {}) {
  const plan = await planEnforcement(input(over));
  const marker = plan.update?.addRules.find((r) => r.id === MARKER_RULE_ID);
  return { plan, marker: markerHash(marker as Parameters<typeof markerHash>[0]) };
}

const modesOf = (state: EnforcementState) => state.categories;

/** The next reconcile's view after `done` was applied: its state, policy and marker in force. */
const inForceAfter = (done: Awaited<ReturnType<typeof applied>>) => ({
  previous: done.plan.state,
  lastGoodPolicy: done.plan.effectivePolicy,
  markerInBrowser: done.marker,
});

describe('reconcile', () => {
  it('fresh install: applies the built-in default with a marker naming the rule set', async () => {
    const { plan, marker } = await applied();
    expect(plan.action).toBe('apply');
    expect(plan.state.source).toBe('default');
    expect(plan.state.appliedAt).toBe(1_000);
    expect(modesOf(plan.state)).toEqual({ streaming: 'block', social: 'block', gambling: 'block' });
    expect(plan.update!.addRules.length).toBeGreaterThan(1);
    expect(plan.state.rulesHash!.startsWith(marker!)).toBe(true);
    // The high-water mark is written before the update.
    expect(plan.before!.appliedAt).toBeNull();
    expect(plan.before!.highestRuleId).toBe(plan.state.highestRuleId);
    expect(plan.update!.removeRuleIds).toContain(MARKER_RULE_ID);
    expect(plan.effectivePolicy).toEqual(DEFAULT_POLICY);
    expect(plan.blockPageInfo!.clauses.gambling).toBe('No gambling.');
  });

  it('unchanged: the same inputs with the marker in the browser do nothing', async () => {
    const first = await applied();
    const again = await planEnforcement(
      input({
        ...inForceAfter(first),
        now: 2_000,
      }),
    );
    expect(again.action).toBe('unchanged');
    expect(again.update).toBeNull();
    expect(again.state.checkedAt).toBe(2_000);
    expect(again.state.appliedAt).toBe(1_000);
  });

  it('stopped mid-update (high-water mark written, appliedAt null, no rules): applies again', async () => {
    const first = await applied();
    // What the store holds when the worker died between writing `before` and the update.
    const stopped = first.plan.before!;
    expect(stopped.appliedAt).toBeNull();
    const plan = await planEnforcement(input({ previous: stopped, markerInBrowser: null }));
    expect(plan.action).toBe('apply');
    expect(plan.update!.addRules).toEqual(first.plan.update!.addRules);
    expect(plan.update!.removeRuleIds).toEqual(first.plan.update!.removeRuleIds);
  });

  it('stopped after the update but before the state was written: applies again (idempotent)', async () => {
    const first = await applied();
    const plan = await planEnforcement(
      input({ previous: first.plan.before!, markerInBrowser: first.marker }),
    );
    expect(plan.action).toBe('apply');
  });

  it('rules missing from the browser (state says applied, no marker): applies again', async () => {
    const first = await applied();
    const plan = await planEnforcement(
      input({
        previous: first.plan.state,
        lastGoodPolicy: first.plan.effectivePolicy,
        markerInBrowser: null,
      }),
    );
    expect(plan.action).toBe('apply');
    expect(plan.update!.addRules).toEqual(first.plan.update!.addRules);
  });

  it('a different rule set in the browser (marker of another hash): applies again', async () => {
    const first = await applied();
    const plan = await planEnforcement(
      input({
        previous: first.plan.state,
        lastGoodPolicy: first.plan.effectivePolicy,
        markerInBrowser: 'f'.repeat(40),
      }),
    );
    expect(plan.action).toBe('apply');
  });

  const invalidFirstPolicies: [string, unknown][] = [
    ['dropped by the schema', { categories: { streaming: 'sometimes' } }],
    ['an invalid block-list entry', { blockList: ['not a domain'] }],
    [
      'an invalid mailbox key',
      { orgDomains: ['school.example'], mailbox: { restrictGoogleAccounts: 'yes' } },
    ],
    [
      'over the rule limits',
      { blockList: Array.from({ length: 950 }, (_, i) => `example${i}.org/path`) },
    ],
  ];
  for (const [name, managed] of invalidFirstPolicies) {
    it(`invalid first policy (${name}): the built-in default is applied, the error shown`, async () => {
      const plan = await planEnforcement(input({ managed }));
      expect(plan.action).toBe('apply');
      expect(plan.state.source).toBe('default');
      expect(plan.state.policyErrors.length).toBeGreaterThan(0);
      expect(plan.state.appliedAt).not.toBeNull();
      expect(modesOf(plan.state).streaming).toBe('block');
      expect(plan.effectivePolicy).toEqual(DEFAULT_POLICY);
    });
  }

  it('unknown keys only: applied, with a warning', async () => {
    const plan = await planEnforcement(input({ managed: { colour: 'blue' } }));
    expect(plan.action).toBe('apply');
    expect(plan.state.policyWarnings.join(' ')).toContain('colour');
  });

  it('an invalid policy while good rules are in force keeps them (no update)', async () => {
    const good = await applied({ managed: { categories: { social: 'warn' } } });
    const plan = await planEnforcement(
      input({
        ...inForceAfter(good),
        managed: { blockList: ['not a domain'] },
      }),
    );
    expect(plan.action).toBe('keep last good');
    expect(plan.update).toBeNull();
    expect(plan.state.policyErrors.join(' ')).toContain('blockList[0]');
    expect(modesOf(plan.state).social).toBe('warn');
  });

  it('an invalid policy when the rules were lost re-applies the last good policy, not the default', async () => {
    const good = await applied({ managed: { categories: { social: 'warn' } } });
    const plan = await planEnforcement(
      input({
        previous: good.plan.state,
        lastGoodPolicy: good.plan.effectivePolicy,
        markerInBrowser: null,
        managed: { blockList: ['not a domain'] },
      }),
    );
    expect(plan.action).toBe('apply');
    expect(plan.update!.addRules).toEqual(good.plan.update!.addRules);
    expect(modesOf(plan.state).social).toBe('warn');
    expect(plan.state.policyErrors.length).toBe(1);
  });

  it('a new policy replaces every old rule (ids up to the old high-water mark)', async () => {
    const big = await applied({ managed: { blockList: ['a.org/x', 'b.org/y', 'c.org/z'] } });
    const small = await planEnforcement(
      input({
        ...inForceAfter(big),
        managed: {
          categories: { streaming: 'allow', social: 'allow', gambling: 'allow' },
          // Safe search adds rules of its own (on by default); off here, so nothing else is added.
          safeSearch: { enabled: false, youtube: 'off' },
        },
      }),
    );
    expect(small.action).toBe('apply');
    const highest = big.plan.state.highestRuleId;
    for (let id = 1; id <= highest; id++) expect(small.update!.removeRuleIds).toContain(id);
    // Everything allowed: only the marker is added, and it still proves the rule set.
    expect(small.update!.addRules.map((r) => r.id)).toEqual([MARKER_RULE_ID]);
  });

  it('a clock and category modes from the caller (time windows) change the rules', async () => {
    const normal = await applied();
    const windowed = await planEnforcement(
      input({
        ...inForceAfter(normal),
        categoryModes: { streaming: 'allow' },
        now: 5_000,
      }),
    );
    expect(windowed.action).toBe('apply');
    expect(modesOf(windowed.state).streaming).toBe('allow');
    expect(windowed.state.appliedAt).toBe(5_000);
    expect(windowed.state.rulesHash).not.toBe(normal.plan.state.rulesHash);
  });

  it('a rule list in force joins the built-in lists and changes the fingerprint', async () => {
    const withList = await planEnforcement(
      input({
        ruleListFor: async () => ({
          version: 7,
          fingerprint: 'list-7',
          lists: { exams: list('cheat.example') },
          labels: { exams: 'Exam cheating' },
          clauses: {},
          allowList: [],
          blockList: ['blocked.example'],
        }),
      }),
    );
    expect(withList.state.ruleListVersion).toBe(7);
    expect(withList.state.origins?.exams).toEqual({ mode: 'default', list: 'rule list' });
    expect(withList.blockPageInfo!.categoryLabels.exams).toBe('Exam cheating');
    expect(withList.state.summary!.blockListEntries).toBe(1);
  });
});

describe('a reconcile with nothing changed does not read the rule list', () => {
  const contribution = (fingerprint: string) => ({
    version: 7,
    fingerprint,
    lists: { exams: list('cheat.example') },
    labels: {},
    clauses: {},
    allowList: [],
    blockList: [],
  });
  it('a known, unchanged fingerprint: unchanged without loading the list; a new one: loaded', async () => {
    const first = await applied({ ruleListFor: async () => contribution('list-7') });
    let loads = 0;
    const again = (fingerprint: string | undefined) =>
      planEnforcement(
        input({
          ...inForceAfter(first),
          ruleListFingerprintFor: async () => fingerprint,
          ruleListFor: async () => {
            loads++;
            return contribution(fingerprint ?? 'list-7');
          },
        }),
      );
    expect((await again('list-7')).action).toBe('unchanged');
    expect(loads).toBe(0);
    // Not known without loading (e.g. a rotated key): loaded, and still unchanged.
    expect((await again(undefined)).action).toBe('unchanged');
    expect(loads).toBe(1);
    // A new list: loaded and applied.
    expect((await again('list-8')).action).toBe('apply');
    expect(loads).toBe(2);
  });

  it("the marker sent with the rules names the list's fingerprint: the same entries under another fingerprint are another marker", async () => {
    // Why the list's SHA-256 is computed before the browser's update and not after it (h35-update):
    // the marker rule goes in the same atomic update and is the inputs' fingerprint, the list's
    // own among them. A worker stopped before its record is healed because the marker in the
    // browser then names no stored state (tests/unit/platform/rule-list-refresh.test.ts).
    const seven = await applied({ ruleListFor: async () => contribution('list-7') });
    const eight = await applied({ ruleListFor: async () => contribution('list-8') });
    expect(seven.marker).not.toBeNull();
    expect(eight.marker).not.toBe(seven.marker);
    expect(seven.plan.state.rulesHash!.startsWith(seven.marker!)).toBe(true);
    expect(eight.plan.state.rulesHash!.startsWith(eight.marker!)).toBe(true);
    expect(eight.plan.state.ruleListFingerprint).toBe('list-8');
    // The rules themselves are the same: only the fingerprint tells the two lists apart.
    const rulesOf = (plan: typeof seven.plan) =>
      JSON.stringify(plan.update!.addRules.filter((r) => r.id !== MARKER_RULE_ID));
    expect(rulesOf(eight.plan)).toBe(rulesOf(seven.plan));
  });
});

describe('a policy the browser does not hand over (storage.managed.get() pending)', () => {
  it('fresh install: the built-in default, with the reason shown', async () => {
    const plan = await planEnforcement(input({ managed: undefined }));
    expect(plan.action).toBe('apply');
    expect(plan.state.source).toBe('default');
    expect(plan.state.policyErrors.join(' ')).toContain('did not give Steward the school policy');
  });
  it('a new install whose browser is still loading the policy: the default now, then the policy moves only what differs', async () => {
    const interim = await planEnforcement(input({ managed: undefined, managedAwaited: true }));
    expect(interim.action).toBe('apply');
    expect(interim.state.source).toBe('default');
    expect(interim.state.policyErrors).toEqual([POLICY_AWAITED]);
    const marker = markerHash(interim.update!.addRules.find((r) => r.id === MARKER_RULE_ID));
    const handedOver = await planEnforcement(
      input({
        previous: interim.state,
        lastGoodPolicy: interim.effectivePolicy,
        markerInBrowser: marker,
        managed: { categories: { social: 'warn' } },
        now: 2_000,
      }),
    );
    expect(handedOver.action).toBe('apply');
    expect(handedOver.state.policyErrors).toEqual([]);
    expect(handedOver.state.source).toBe('managed');
    expect(handedOver.state.lastUpdate).toMatchObject({ sent: 1 });
  });
  it('with rules in force: they stay', async () => {
    const good = await applied({ managed: { categories: { social: 'warn' } } });
    const plan = await planEnforcement(
      input({
        ...inForceAfter(good),
        managed: undefined,
      }),
    );
    expect(plan.action).toBe('keep last good');
    expect(modesOf(plan.state).social).toBe('warn');
  });
});

describe('updates that move only what changed (stable rule ids)', () => {
  it('a policy moving one category to warn re-sends that category only, with the marker proving what is in force', async () => {
    const first = await applied();
    const next = await planEnforcement(
      input({
        ...inForceAfter(first),
        managed: { categories: { social: 'warn' } },
        now: 2_000,
      }),
    );
    expect(next.action).toBe('apply');
    const keys = next.state.ruleKeys!;
    const sentPolicyRules = next.update!.addRules.filter((r) => r.id in keys);
    expect(sentPolicyRules.map((r) => keys[r.id]!.key)).toEqual(['category/social/warn/depth 2']);
    expect(next.state.lastUpdate).toMatchObject({ sent: 1, kept: 2 });
    // Rules of the other categories are not removed.
    const untouched = Object.entries(first.plan.state.ruleKeys!)
      .filter(([, k]) => !k.key.startsWith('category/social/'))
      .map(([id]) => Number(id));
    for (const id of untouched) expect(next.update!.removeRuleIds).not.toContain(id);
  });

  it('without the marker (rules lost or unknown), everything is replaced', async () => {
    const first = await applied();
    const next = await planEnforcement(
      input({
        previous: first.plan.state,
        lastGoodPolicy: first.plan.effectivePolicy,
        markerInBrowser: null,
        managed: { categories: { social: 'warn' } },
        now: 2_000,
      }),
    );
    expect(next.state.lastUpdate).toMatchObject({ sent: 3, kept: 0, removed: null });
    for (const id of Object.keys(first.plan.state.ruleKeys!).map(Number)) {
      expect(next.update!.removeRuleIds).toContain(id);
    }
  });
});
