import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultRuleset } from '../../../lib/default-ruleset.ts';
import { MARKER_RULE_ID, planEnforcement } from '../../../lib/enforcement-plan.ts';
import { INITIAL_STATE } from '../../../lib/enforcement-state.ts';
import { builtInCategoriesForBuild } from '../../../rules/vite-plugin.ts';

const sha256 = async (text: string) => createHash('sha256').update(text).digest('hex');
const BLOCK_PAGE = 'chrome-extension://idjjkpbmflfglfkfhpemgnfpcfnlmpaj/blocked.html';

function builtIn() {
  const built = builtInCategoriesForBuild();
  if ('error' in built) throw new Error(built.error);
  return built;
}

describe('the built-in default as a static ruleset', () => {
  it("is exactly what a new install's first reconcile puts in force, less the marker", async () => {
    const rules = await defaultRuleset({ builtIn: builtIn(), blockPageUrl: BLOCK_PAGE, sha256 });
    const plan = await planEnforcement({
      previous: INITIAL_STATE,
      lastGoodPolicy: null,
      managed: undefined,
      managedAwaited: true,
      builtIn: builtIn(),
      ruleListFor: () => Promise.resolve(null),
      markerInBrowser: null,
      blockPageUrl: BLOCK_PAGE,
      target: 'chrome',
      now: Date.UTC(2026, 11, 2, 10),
      sha256,
    });
    expect(plan.state.source).toBe('default');
    const worker = (plan.dynamicRules ?? []).filter((r) => r.id !== MARKER_RULE_ID);
    expect(rules).toEqual(worker);
    expect(rules.some((r) => r.id === MARKER_RULE_ID)).toBe(false);
    expect(rules.length).toBeGreaterThan(0);
  });

  it("blocks the default's blocked categories through the block page", async () => {
    const rules = await defaultRuleset({ builtIn: builtIn(), blockPageUrl: BLOCK_PAGE, sha256 });
    const redirectsTo = (domain: string) =>
      rules
        .filter((r) => r.condition.requestDomains?.includes(domain))
        .map((r) =>
          r.action.type === 'redirect' && 'regexSubstitution' in r.action.redirect
            ? r.action.redirect.regexSubstitution
            : '',
        );
    expect(redirectsTo('bet365.com')[0]).toMatch(
      new RegExp(`^${BLOCK_PAGE.replace(/[.]/g, '\\.')}\\?c=gambling&m=block#`),
    );
    expect(redirectsTo('pornhub.com')[0]).toMatch(/\?c=adult&m=block#/);
  });

  it('is the same on every build (no time, no randomness in it)', async () => {
    const a = await defaultRuleset({ builtIn: builtIn(), blockPageUrl: BLOCK_PAGE, sha256 });
    const b = await defaultRuleset({ builtIn: builtIn(), blockPageUrl: BLOCK_PAGE, sha256 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
