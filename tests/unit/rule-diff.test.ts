import { describe, expect, it } from 'vitest';
import { type CategoryList, type CompileInput, compileRules } from '../../lib/compiler.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../../lib/policy.ts';
import { changedRules, idsByKey } from '../../lib/rule-diff.ts';
import { compileCategories } from '../../lib/rule-list/compiled.ts';

const BLOCK_PAGE = 'chrome-extension://abc/blocked.html';
const list = (...domains: string[]): CategoryList => ({ domains, urlPrefixes: [] });

function compile(input: Partial<CompileInput> & { categoryLists: Record<string, CategoryList> }) {
  const result = compileRules({
    policy: DEFAULT_POLICY,
    blockPageUrl: BLOCK_PAGE,
    target: 'chrome',
    ...input,
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result;
}

const policyWith = (categories: StewardPolicy['categories']): StewardPolicy => ({
  ...DEFAULT_POLICY,
  categories: { ...DEFAULT_POLICY.categories, ...categories },
});

const lists = {
  streaming: list('youtube.com', 'netflix.com', 'music.example.com'),
  social: list('facebook.com', 'a.b.tiktok.com'),
  gambling: list('bet365.com'),
};

describe('stable rule ids and updates that move only what changed', () => {
  it('the same inputs give the same ids and fingerprints, and an empty update', () => {
    const first = compile({ categoryLists: lists });
    const again = compile({ categoryLists: lists, previousRuleIds: idsByKey(first.ruleKeys) });
    expect(again.ruleKeys).toEqual(first.ruleKeys);
    expect(changedRules(first.ruleKeys, again)).toMatchObject({
      removeRuleIds: [],
      addRules: [],
      kept: first.rules.length,
    });
  });

  it('moving one category from block to warn re-sends that category only', () => {
    const first = compile({ categoryLists: lists });
    const next = compile({
      categoryLists: lists,
      policy: policyWith({ social: 'warn' }),
      previousRuleIds: idsByKey(first.ruleKeys),
    });
    const update = changedRules(first.ruleKeys, next);
    const sent = update.addRules.map((r) => next.ruleKeys[r.id]!.key);
    expect(sent.every((key) => key.startsWith('category/social/warn/'))).toBe(true);
    expect(sent).toHaveLength(2);
    const removed = update.removeRuleIds.map((id) => first.ruleKeys[id]!.key);
    expect(removed.every((key) => key.startsWith('category/social/block/'))).toBe(true);
    // Other categories keep their ids.
    for (const [id, key] of Object.entries(first.ruleKeys)) {
      if (!key.key.startsWith('category/social/')) expect(next.ruleKeys[Number(id)]).toEqual(key);
    }
  });

  it('a rule list where one group changed re-sends that group only, by the publisher fingerprint', async () => {
    const domains = Array.from({ length: 5_000 }, (_, i) => `site${i}.example`);
    const deep = Array.from({ length: 100 }, (_, i) => `a.site${i}.example2`);
    const v1 = await compileCategories({ proxy: [...domains, ...deep] });
    const v2 = await compileCategories({ proxy: [...domains.slice(50), ...deep] });
    const lists = { proxy: list() };
    const first = compile({ categoryLists: lists, compiledCategories: v1 });
    const next = compile({
      categoryLists: lists,
      compiledCategories: v2,
      previousRuleIds: idsByKey(first.ruleKeys),
    });
    const update = changedRules(first.ruleKeys, next);
    expect(update.addRules).toHaveLength(1);
    expect(update.addRules[0]!.condition.requestDomains).toHaveLength(4_950);
    expect(update.removeRuleIds).toEqual([update.addRules[0]!.id]);
    expect(update.kept).toBe(1);
  });

  it('a gone category gives its ids back; a new one takes the lowest free ids', () => {
    const first = compile({ categoryLists: lists });
    const { gambling: _gone, ...without } = lists;
    const next = compile({
      categoryLists: { ...without, chat: list('discord.com') },
      previousRuleIds: idsByKey(first.ruleKeys),
    });
    const update = changedRules(first.ruleKeys, next);
    const gamblingId = Number(
      Object.entries(first.ruleKeys).find(([, k]) => k.key.startsWith('category/gambling/'))![0],
    );
    expect(update.removeRuleIds).toContain(gamblingId);
    expect(update.addRules.map((r) => next.ruleKeys[r.id]!.key)).toEqual([
      'category/chat/block/depth 2',
    ]);
    const ids = next.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('with nothing known in force, everything is sent', () => {
    const first = compile({ categoryLists: lists });
    expect(changedRules(null, first).addRules).toHaveLength(first.rules.length);
  });
});
