/**
 * The built-in default's rules as a static ruleset in the manifest: what the browser enforces from
 * the moment Steward is installed (or updated), before its service worker has run once.
 *
 * Why: every other rule Steward puts in force goes through the worker. A worker stopped during its
 * very first start (a slow laptop, a browser closed at the wrong moment) could leave a new install
 * with nothing in force until the worker next ran. A static ruleset needs no worker: the browser
 * reads it from the package. Once the worker has put the school's own rules in force (dynamic
 * rules), it switches this ruleset off; the browser switches it back on after every update of
 * the extension, and the next worker start switches it off again.
 *
 * While both are on, a site either one blocks is blocked: the stricter of the two, never less.
 *
 * Built at build time (wxt.config.ts) from the same plan the worker uses for the built-in default,
 * so the two cannot drift apart; only the marker rule (the proof that the worker's update landed)
 * is left out, because it proves something only the worker can do.
 */

import type { DnrRule } from './compiler.ts';
import type { DynamicRule } from './enforcement-plan.ts';
import { type BuiltInCategories, MARKER_RULE_ID, planEnforcement } from './enforcement-plan.ts';
import { INITIAL_STATE } from './enforcement-state.ts';

/** The ruleset's id in the manifest (`declarative_net_request.rule_resources`). */
export const DEFAULT_RULESET_ID = 'built_in_default_until_policy';
/** Where the ruleset's JSON sits in the built extension. */
export const DEFAULT_RULESET_PATH = 'rules/built-in-default.json';

/**
 * The built-in default's rules, exactly as a new install's first reconcile would put them in force
 * (no managed policy yet, nothing in force), without the marker rule.
 */
export async function defaultRuleset(input: {
  builtIn: BuiltInCategories;
  /** The block page's full URL (Chrome: `chrome-extension://<id>/blocked.html`). */
  blockPageUrl: string;
  sha256: (text: string) => Promise<string>;
}): Promise<DynamicRule[]> {
  const plan = await planEnforcement({
    previous: INITIAL_STATE,
    lastGoodPolicy: null,
    managed: undefined,
    managedAwaited: true,
    builtIn: input.builtIn,
    ruleListFor: () => Promise.resolve(null),
    markerInBrowser: null,
    blockPageUrl: input.blockPageUrl,
    target: 'chrome',
    now: 0,
    sha256: input.sha256,
  });
  if (plan.state.source !== 'default' || !plan.dynamicRules) {
    throw new Error('The built-in default did not compile: the static ruleset cannot be built.');
  }
  return plan.dynamicRules.filter((rule) => rule.id !== MARKER_RULE_ID);
}

/** A static default rule as a package whose id is unknown at build time carries it. */
export type RuleWithBlockPageByPath =
  | DynamicRule
  | (Omit<DnrRule, 'action'> & {
      action: { type: 'redirect'; redirect: { extensionPath: string } };
    });

/**
 * The same rules for a package whose extension id is not known when it is built (a store upload:
 * the store assigns the id). A redirect cannot name the block page by full URL there, so each one
 * names it by path instead; the block page then explains the category without the address, which
 * a static rule cannot pass on by path. Only the static default changes: the worker's own rules
 * are made in the browser, where the id is known.
 */
export function withBlockPageByPath(rules: DynamicRule[]): RuleWithBlockPageByPath[] {
  return rules.map((rule): RuleWithBlockPageByPath => {
    if (rule.action.type !== 'redirect' || !('regexSubstitution' in rule.action.redirect)) {
      return rule;
    }
    const target = rule.action.redirect.regexSubstitution;
    const path = /^[a-z-]+:\/\/[^/]+(\/[^#]*)/.exec(target)?.[1];
    if (!path) {
      throw new Error(`A static default rule redirects to "${target}", not a page of Steward.`);
    }
    const { regexFilter: _regexFilter, ...condition } = (rule as DnrRule).condition;
    return {
      ...(rule as DnrRule),
      condition,
      action: { type: 'redirect', redirect: { extensionPath: path } },
    };
  });
}
