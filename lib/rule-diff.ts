/**
 * An update that moves only what changed: rule ids are stable per key (lib/compiler.ts), so a rule
 * whose fingerprint is the same as the one in force stays where it is, and only changed, new and
 * gone rules travel to the browser. Pure.
 */
import type { DnrRule, RuleKey } from './compiler.ts';

export type RuleChanges = {
  removeRuleIds: number[];
  addRules: DnrRule[];
  /** Rules left in force untouched. */
  kept: number;
};

/**
 * `inForce`: rule id → key and fingerprint of the rules the browser has (from the last applied
 * compile); null when that is not known, and then everything is replaced.
 */
export function changedRules(
  inForce: Record<number, RuleKey> | null,
  next: { rules: DnrRule[]; ruleKeys: Record<number, RuleKey> },
): RuleChanges {
  if (!inForce) {
    return { removeRuleIds: [], addRules: next.rules, kept: 0 };
  }
  const removeRuleIds: number[] = [];
  const addRules: DnrRule[] = [];
  let kept = 0;
  for (const rule of next.rules) {
    const was = inForce[rule.id];
    const now = next.ruleKeys[rule.id]!;
    if (was && was.key === now.key && was.fingerprint === now.fingerprint) {
      kept++;
      continue;
    }
    if (was) removeRuleIds.push(rule.id);
    addRules.push(rule);
  }
  for (const id of Object.keys(inForce).map(Number)) {
    if (!(id in next.ruleKeys)) removeRuleIds.push(id);
  }
  return { removeRuleIds: removeRuleIds.sort((a, b) => a - b), addRules, kept };
}

/** `ruleKeys` as the compiler's `previousRuleIds`: key → id. */
export function idsByKey(ruleKeys: Record<number, RuleKey>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, { key }] of Object.entries(ruleKeys)) out[key] = Number(id);
  return out;
}
