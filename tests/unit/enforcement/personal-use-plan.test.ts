/**
 * Personal-use windows in the enforcement decision (lib/enforcement-plan.ts): a window opening or
 * closing is a change of what should be in force. Only the rules of the categories the window
 * changes move; a big category that does not change is neither resent nor removed; a category the
 * rule list locks holds inside a window; a bad policy keeps the last good one, schedule included.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CategoryList, type DnrRule, explainUrl } from '../../../lib/compiler.ts';
import {
  type EnforcementPlan,
  MARKER_RULE_ID,
  markerHash,
  type PlanInput,
  planEnforcement,
  type RuleListContribution,
} from '../../../lib/enforcement-plan.ts';
import { INITIAL_STATE } from '../../../lib/enforcement-state.ts';
import { policyFingerprint, resolvePolicy } from '../../../lib/policy.ts';

const list = (...domains: string[]): CategoryList => ({ domains, urlPrefixes: [] });
const BIG = 20_000;
const builtIn = {
  lists: {
    streaming: list('youtube.com', 'netflix.com'),
    social: list('facebook.com', 'reddit.com'),
    gambling: list(...Array.from({ length: BIG }, (_, i) => `bet${i}.example`)),
  },
  clauses: {},
  fingerprint: 'built-in-1',
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const policy = {
  timeZone: 'Europe/London',
  personalUse: {
    windows: [{ days: WEEKDAYS, from: '12:15', to: '13:15' }],
    modes: { social: 'allow', streaming: 'warn' },
  },
};
// Wednesday 2 December 2026 (GMT).
const MORNING = Date.parse('2026-12-02T09:00:00Z');
const OPENS = Date.parse('2026-12-02T12:15:00Z');
const CLOSES = Date.parse('2026-12-02T13:15:00Z');

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    previous: INITIAL_STATE,
    lastGoodPolicy: null,
    managed: policy,
    builtIn,
    ruleListFor: async () => null,
    markerInBrowser: null,
    blockPageUrl: 'chrome-extension://abc/blocked.html',
    target: 'chrome',
    now: MORNING,
    sha256: async (text) => createHash('sha256').update(text).digest('hex'),
    ...over,
  };
}

/** What the browser holds after a plan ran: the rules by id, and the marker. */
type Browser = { rules: Map<number, DnrRule>; marker: string | null };

function execute(plan: EnforcementPlan, browser: Browser): Browser {
  const rules = new Map(browser.rules);
  for (const id of plan.update?.removeRuleIds ?? []) rules.delete(id);
  for (const rule of plan.update?.addRules ?? []) rules.set(rule.id, rule as DnrRule);
  const marker = markerHash(rules.get(MARKER_RULE_ID) as Parameters<typeof markerHash>[0]);
  return { rules, marker };
}

async function reconcileAt(
  now: number,
  before: { plan: EnforcementPlan; browser: Browser } | null,
  over: Partial<PlanInput> = {},
) {
  const plan = await planEnforcement(
    input({
      now,
      ...(before
        ? {
            previous: before.plan.state,
            lastGoodPolicy: before.plan.effectivePolicy ?? null,
            markerInBrowser: before.browser.marker,
          }
        : {}),
      ...over,
    }),
  );
  const browser = execute(plan, before?.browser ?? { rules: new Map(), marker: null });
  // A plan with no update leaves the previous state's policy as the last good one.
  if (!plan.effectivePolicy && before) plan.effectivePolicy = before.plan.effectivePolicy;
  return { plan, browser };
}

const verdict = (b: Browser, url: string) =>
  explainUrl(
    // Navigation rules only, as the worker's verdicts (header rules change requests, not block).
    [...b.rules.values()].filter(
      (r) => r.id !== MARKER_RULE_ID && (r.action.type as string) !== 'modifyHeaders',
    ),
    url,
  ).outcome;

describe('a window switch', () => {
  it('opens at the minute: social allowed, streaming warned, gambling untouched', async () => {
    const morning = await reconcileAt(MORNING, null);
    expect(verdict(morning.browser, 'https://www.facebook.com/')).toBe('blocked');
    const lunch = await reconcileAt(OPENS, morning);
    expect(lunch.plan.action).toBe('apply');
    expect(lunch.plan.state.categories).toMatchObject({
      social: 'allow',
      streaming: 'warn',
      gambling: 'block',
    });
    expect(verdict(lunch.browser, 'https://www.facebook.com/')).toBe('allowed');
    expect(verdict(lunch.browser, 'https://www.youtube.com/')).toBe('warned');
    expect(verdict(lunch.browser, 'https://bet7.example/')).toBe('blocked');
  });

  it('moves only the changed categories’ rules; the 20,000-domain category is not resent or removed', async () => {
    const morning = await reconcileAt(MORNING, null);
    const lunch = await reconcileAt(OPENS, morning);
    const keys = lunch.plan.state.ruleKeys!;
    const sent = lunch.plan
      .update!.addRules.filter((r) => r.id in keys)
      .map((r) => keys[r.id]!.key);
    expect(sent.length).toBeGreaterThan(0);
    for (const key of sent) expect(key).toMatch(/^category\/(social|streaming)\//);
    const gamblingIds = Object.entries(morning.plan.state.ruleKeys!)
      .filter(([, k]) => k.key.startsWith('category/gambling/'))
      .map(([id]) => Number(id));
    expect(gamblingIds.length).toBeGreaterThan(0);
    for (const id of gamblingIds) expect(lunch.plan.update!.removeRuleIds).not.toContain(id);
    expect(lunch.plan.state.lastUpdate!.kept).toBeGreaterThanOrEqual(gamblingIds.length);
    // The policy rules sent are small: a few rules, not twenty thousand domains.
    const domains = lunch.plan
      .update!.addRules.filter((r) => r.id in keys)
      .reduce(
        (n, r) => n + ((r.condition as { requestDomains?: string[] }).requestDomains?.length ?? 0),
        0,
      );
    expect(domains).toBeLessThan(10);
  });

  it('closes at the minute, back to the normal modes; a minute before, nothing changes', async () => {
    const morning = await reconcileAt(MORNING, null);
    const lunch = await reconcileAt(OPENS, morning);
    const still = await reconcileAt(CLOSES - 1, lunch);
    expect(still.plan.action).toBe('unchanged');
    const after = await reconcileAt(CLOSES, still);
    expect(after.plan.action).toBe('apply');
    expect(verdict(after.browser, 'https://www.facebook.com/')).toBe('blocked');
    expect(verdict(after.browser, 'https://www.youtube.com/')).toBe('blocked');
    expect(after.plan.state.categories.social).toBe('block');
  });

  it('a worker asleep across the whole window: the next reconcile applies what is due then', async () => {
    const morning = await reconcileAt(MORNING, null);
    const afternoon = await reconcileAt(CLOSES + 3_600_000, morning);
    expect(afternoon.plan.action).toBe('unchanged');
    const inside = await reconcileAt(OPENS + 20 * 60_000, morning);
    expect(verdict(inside.browser, 'https://www.reddit.com/')).toBe('allowed');
  });

  it('the state records the schedule: open until, the next window, the next boundary', async () => {
    const morning = await reconcileAt(MORNING, null);
    expect(morning.plan.state.personalUse).toEqual({
      timeZone: 'Europe/London',
      openUntil: null,
      next: { start: OPENS, end: CLOSES },
      nextBoundary: OPENS,
    });
    const lunch = await reconcileAt(OPENS, morning);
    expect(lunch.plan.state.personalUse).toMatchObject({ openUntil: CLOSES, nextBoundary: CLOSES });
    const still = await reconcileAt(OPENS + 60_000, lunch);
    expect(still.plan.state.personalUse?.nextBoundary).toBe(CLOSES);
  });

  it('the policy version is the policy’s, not the window’s (reports and checks stay stable)', async () => {
    const morning = await reconcileAt(MORNING, null);
    const lunch = await reconcileAt(OPENS, morning);
    const resolved = resolvePolicy(policy);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(morning.plan.state.policyVersion).toBe(policyFingerprint(resolved.policy));
    expect(lunch.plan.state.policyVersion).toBe(morning.plan.state.policyVersion);
    expect(lunch.plan.effectivePolicy?.categories.social).toBe('block');
  });
});

describe('locked categories hold inside a window', () => {
  const locking: RuleListContribution = {
    version: 7,
    fingerprint: 'list-7',
    lists: { social: list('facebook.com', 'reddit.com') },
    labels: {},
    clauses: {},
    allowList: [],
    blockList: [],
    locked: ['social'],
  };

  it('a window that allows a locked category does not weaken it', async () => {
    const ruleListFor = async () => locking;
    const morning = await reconcileAt(MORNING, null, { ruleListFor });
    const lunch = await reconcileAt(OPENS, morning, { ruleListFor });
    expect(lunch.plan.state.categories.social).toBe('block');
    expect(lunch.plan.state.origins?.social?.locked).toBe(true);
    expect(verdict(lunch.browser, 'https://www.facebook.com/')).toBe('blocked');
    // The unlocked category in the same window does open.
    expect(verdict(lunch.browser, 'https://www.youtube.com/')).toBe('warned');
  });
});

describe('a policy Steward cannot use keeps the last good one, schedule and all', () => {
  it('the window still opens and closes, and the errors stay shown', async () => {
    const morning = await reconcileAt(MORNING, null);
    const broken = { ...policy, categories: { social: 'open' } };
    const stillMorning = await reconcileAt(MORNING + 60_000, morning, { managed: broken });
    expect(stillMorning.plan.action).toBe('keep last good');
    expect(stillMorning.plan.state.policyErrors[0]).toMatch(/^categories\.social: /);
    const lunch = await reconcileAt(OPENS, stillMorning, { managed: broken });
    expect(lunch.plan.action).toBe('apply');
    expect(lunch.plan.state.policyErrors[0]).toMatch(/^categories\.social: /);
    expect(verdict(lunch.browser, 'https://www.facebook.com/')).toBe('allowed');
    const after = await reconcileAt(CLOSES, lunch, { managed: broken });
    expect(verdict(after.browser, 'https://www.facebook.com/')).toBe('blocked');
  });
});
