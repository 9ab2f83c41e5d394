/**
 * The rule-list overlay: a small change to a big list, enforced with a few session rules instead
 * of a new set of dynamic rules. Pure; used by lib/enforcement-plan.ts and the tests.
 *
 * Why: Chromium re-indexes every dynamic rule on any `updateDynamicRules` call, so with a
 * million-domain rule in force even a one-domain change costs about as much as applying the whole
 * list again (README, Performance). Session rules are indexed on their own: a 10,000-domain session
 * update with a million dynamic domains in force takes tens of milliseconds.
 *
 * How: the publisher says which domains changed since the previous version (`changes` in the
 * signed list, lib/rule-list/document.ts): every domain added to or removed from a category. Call
 * that set the cover S. The dynamic rules stay those of an earlier compile (the base); the overlay
 * gives every host at or under a domain in S exactly the verdict the NEW compile gives it:
 *
 *   - for each a in S, a rule entry for a with the new category verdict of a (the action of the
 *     new category rule of a's deepest listed parent-or-self, or "no category lists it": allow);
 *   - for each domain e the new category rules list under some a in S, an entry for e with its own
 *     new verdict;
 *
 * each at PRIORITY.overlay + depth, so the most specific entry wins inside the overlay, and every
 * overlay entry beats every category domain rule. For a host h under some a in S, the deepest entry
 * matching h is either the deepest new category domain listed at or above h (if it is at or under
 * the deepest a above h), or that a, which carries the verdict of the deepest listed domain above
 * it: in both cases the new compile's category verdict. A host under no domain of S has no changed
 * domain at or above it, so the base's category rules already give it the new verdict. Higher tiers
 * (URL prefixes, Continue, block and allow lists, safe search, locked) are identical in base and
 * new compile (the planner checks) and sit above the overlay as before. Two domains of one depth
 * never both match a host, so there are no ties inside the overlay.
 *
 * Cumulative: over several small updates the cover is the union of their changes (a domain whose
 * verdict differs between the base and the newest list changed in one of the steps).
 * tests/unit/overlay.test.ts checks all of this against a full recompile on random lists.
 */
import {
  type BrowserTarget,
  type DnrRule,
  LIMITS,
  PRIORITY,
  RULE_IDS,
  type SortedParts,
} from './compiler.ts';
import { parentDomains } from './domains.ts';
import {
  type CompiledCategory,
  compareReversed,
  forEachNameIn,
  forEachSubdomainIn,
  groupDepth,
  suffixesOf,
} from './rule-list/compiled.ts';

/** The overlay's own marker rule: proves which overlay the browser's session rules hold. */
export const OVERLAY_MARKER_RULE_ID = RULE_IDS.overlay.first;
const OVERLAY_MARKER_SUFFIX = '.overlay.steward.invalid';

/** PRIORITY.overlay + 71 = 1,199: still below the lowest category URL-prefix rule (1,201). */
export const OVERLAY_MAX_DEPTH = 71;

/**
 * When a change is small enough for an overlay: at most this share of the category domains in
 * force, this many domains in all, and this many rules (Firefox counts session rules against the
 * same 5,000 as dynamic ones; Chromium allows 5,000 session rules). Above, the change is applied
 * as a normal update of the dynamic rules, which folds the overlay in.
 */
export const OVERLAY_LIMITS = { maxShare: 0.02, maxDomains: 50_000, maxRules: 500 } as const;

export function overlayMarkerRule(hash: string): DnrRule {
  return {
    id: OVERLAY_MARKER_RULE_ID,
    priority: 1,
    action: { type: 'allow' },
    condition: {
      requestDomains: [`${hash.slice(0, 40)}${OVERLAY_MARKER_SUFFIX}`],
      resourceTypes: ['main_frame'],
    },
  };
}

/** The hash an overlay marker read back from the browser carries, or null. */
export function overlayMarkerHash(rule: { condition: { requestDomains?: string[] } } | undefined) {
  const domain = rule?.condition.requestDomains?.[0];
  return domain?.endsWith(OVERLAY_MARKER_SUFFIX)
    ? domain.slice(0, -OVERLAY_MARKER_SUFFIX.length)
    : null;
}

/** Is this session rule id one of the overlay's (marker included)? */
export const isOverlayRuleId = (id: number): boolean =>
  id >= RULE_IDS.overlay.first && id <= RULE_IDS.overlayUnlisted.last;

export type OverlayInput = {
  /** Domains added to or removed from any category since the base's list (the cover). */
  cover: Iterable<string>;
  /** The new compile's rules (lib/compiler.ts). */
  rules: readonly DnrRule[];
  /** The publisher's sorted groups inside those rules (the compile's `sortedParts`), if known. */
  sortedParts?: SortedParts;
  /** The new compile's category lists (domains listed one by one). */
  categoryLists: Record<string, { domains: readonly string[] }>;
  /** The new compile's publisher-compiled categories (sorted groups). */
  compiledCategories: Record<string, CompiledCategory>;
  /** Categories locked (their rules are above everything, the overlay leaves them alone). */
  lockedCategories: readonly string[];
};

export type OverlayResult =
  | { ok: true; rules: DnrRule[]; domains: number }
  | { ok: false; reason: string };

const isCategoryDomainRule = (rule: DnrRule) =>
  rule.condition.requestDomains !== undefined &&
  rule.priority >= PRIORITY.category &&
  rule.priority < PRIORITY.overlay;

/**
 * The overlay's session rules (without the marker), or why there can be none. Cost: the asked
 * names are sorted once and each publisher-sorted group is walked with them in order (each search
 * starts where the last one ended, so a group is crossed once, not searched from its start per
 * name); rules whose domains are not a publisher's sorted group (usually few domains) are scanned.
 * No generator or per-name array: parents are found by walking the dots.
 */
export function planOverlay(input: OverlayInput): OverlayResult {
  return overlayRules(overlayEntries(input));
}

function overlayEntries(input: OverlayInput): Entry[] {
  const cover = new Set(input.cover);
  const locked = new Set(input.lockedCategories);

  // Every domain any unlocked category lists under a cover domain: one walk per sorted group over
  // the cover's suffixes (`.a`, sorted as the groups are).
  const candidates = new Set<string>(cover);
  const below = suffixesOf(cover);
  const sortedArrays = new Set<readonly string[]>();
  for (const [id, category] of Object.entries(input.compiledCategories)) {
    if (locked.has(id)) continue;
    for (const group of category.groups) {
      sortedArrays.add(group.domains);
      forEachSubdomainIn(group, below, (domain) => candidates.add(domain));
    }
  }
  for (const [id, list] of Object.entries(input.categoryLists)) {
    if (locked.has(id)) continue;
    for (const domain of list.domains) {
      for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) {
        if (cover.has(domain.slice(i + 1))) {
          candidates.add(domain);
          break;
        }
      }
    }
  }

  // Which new category domain rule lists each candidate and each of its parents: the names asked,
  // by depth, each depth's names sorted as the publisher's groups are.
  const askedSets = new Map<number, Set<string>>();
  const ask = (name: string) => {
    const depth = groupDepth(name);
    const set = askedSets.get(depth);
    if (set) set.add(name);
    else askedSets.set(depth, new Set([name]));
  };
  for (const c of candidates) {
    ask(c);
    for (let i = c.indexOf('.'); i !== -1; i = c.indexOf('.', i + 1)) ask(c.slice(i + 1));
  }
  const asked = new Map<number, { set: Set<string>; sorted: string[] }>();
  for (const [depth, set] of askedSets) {
    asked.set(depth, { set, sorted: [...set].sort(compareReversed) });
  }
  const ruleOf = new Map<string, DnrRule>();
  /** Every asked name in `domains` (sorted), found in one walk. */
  const lookUp = (domains: readonly string[], names: readonly string[], rule: DnrRule) =>
    forEachNameIn(domains, names, (name) => ruleOf.set(name, rule));
  for (const rule of input.rules) {
    if (!isCategoryDomainRule(rule)) continue;
    const names = asked.get(rule.priority - PRIORITY.category);
    if (!names) continue;
    const domains = rule.condition.requestDomains!;
    const parts = input.sortedParts?.get(rule);
    if (parts) {
      // The rule's own domains (few) one by one; the publisher's groups by one walk each.
      for (const domain of parts.own) if (names.set.has(domain)) ruleOf.set(domain, rule);
      for (const g of parts.sorted) lookUp(g.domains, names.sorted, rule);
    } else if (sortedArrays.has(domains)) {
      lookUp(domains, names.sorted, rule);
    } else {
      for (const domain of domains) if (names.set.has(domain)) ruleOf.set(domain, rule);
    }
  }
  const verdictOf = (name: string): DnrRule | null => {
    const own = ruleOf.get(name);
    if (own) return own;
    for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) {
      const rule = ruleOf.get(name.slice(i + 1));
      if (rule) return rule;
    }
    return null;
  };

  // Entries: each cover domain with its verdict; each listed candidate under one with its own.
  const entries: Entry[] = [];
  for (const c of candidates) {
    if (cover.has(c)) entries.push({ domain: c, rule: verdictOf(c) });
    else {
      const rule = ruleOf.get(c);
      if (rule) entries.push({ domain: c, rule });
    }
  }
  return entries;
}

/**
 * An overlay for one more change laid on the overlay in force (`previous`, its stored rules):
 * `input` is planned for the new change alone (its cover: the domains it changed), and every entry
 * of the overlay in force at or under one of those domains gives way to it. An entry elsewhere
 * keeps its verdict: a host's verdict depends only on what is listed at and above it, and nothing
 * at or above such an entry changed. The cover in force is the union of both.
 */
export function planOverlayOnto(
  previous: readonly DnrRule[] | null,
  input: OverlayInput,
): OverlayResult {
  const fresh = overlayEntries(input);
  if (!previous || previous.length === 0) return overlayRules(fresh);
  const cover = new Set(input.cover);
  const underCover = (domain: string) => {
    if (cover.has(domain)) return true;
    for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) {
      if (cover.has(domain.slice(i + 1))) return true;
    }
    return false;
  };
  const kept: Entry[] = [];
  for (const [domain, rule] of overlayEntriesOf(previous)) {
    if (!underCover(domain)) kept.push({ domain, rule });
  }
  return overlayRules([...kept, ...fresh]);
}

/**
 * Whether two overlays give every host the same verdict (action and block-page target), whatever
 * their rule ids, grouping and entries. Inside an overlay a host takes the verdict of the deepest
 * name at or above it, so two overlays agree everywhere when they agree on every name either one
 * names: below such a name, up to the next named one, neither changes its verdict.
 */
export function sameOverlayVerdicts(a: readonly DnrRule[], b: readonly DnrRule[]): boolean {
  const verdicts = (rules: readonly DnrRule[]) => {
    const out = new Map<string, string>();
    for (const [domain, rule] of overlayEntriesOf(rules)) {
      out.set(domain, rule === null ? 'no category' : JSON.stringify(rule.action));
    }
    return out;
  };
  const verdictAt = (map: Map<string, string>, host: string) => {
    const own = map.get(host);
    if (own !== undefined) return own;
    for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
      const parent = map.get(host.slice(i + 1));
      if (parent !== undefined) return parent;
    }
    return 'not covered';
  };
  const x = verdicts(a);
  const y = verdicts(b);
  for (const domain of new Set([...x.keys(), ...y.keys()])) {
    if (verdictAt(x, domain) !== verdictAt(y, domain)) return false;
  }
  return true;
}

/** The entries (domain → the rule whose verdict it takes; null: no category) of overlay rules. */
function overlayEntriesOf(rules: readonly DnrRule[]): Map<string, DnrRule | null> {
  const map = new Map<string, DnrRule | null>();
  for (const rule of rules) {
    if (rule.id === OVERLAY_MARKER_RULE_ID) continue;
    const unlisted = rule.id >= RULE_IDS.overlayUnlisted.first;
    for (const domain of rule.condition.requestDomains ?? [])
      map.set(domain, unlisted ? null : rule);
  }
  return map;
}

type Entry = { domain: string; rule: DnrRule | null };

/** Entries (a domain and the rule whose verdict it takes; null: no category) → overlay rules. */
function overlayRules(entries: readonly Entry[]): OverlayResult {
  const groups = new Map<DnrRule | null, Map<number, string[]>>();
  for (const { domain, rule } of entries) {
    const depth = groupDepth(domain);
    if (depth > OVERLAY_MAX_DEPTH) {
      return {
        ok: false,
        reason: `${domain} has ${depth} labels; the overlay goes to ${OVERLAY_MAX_DEPTH}.`,
      };
    }
    let byDepth = groups.get(rule);
    if (!byDepth) {
      byDepth = new Map();
      groups.set(rule, byDepth);
    }
    const list = byDepth.get(depth);
    if (list) list.push(domain);
    else byDepth.set(depth, [domain]);
  }

  // Deterministic rules: verdicts in the order of their rules' ids, then depth.
  const ordered = [...groups.keys()].sort((x, y) => (x?.id ?? 0) - (y?.id ?? 0));
  const rules: DnrRule[] = [];
  let nextId: number = RULE_IDS.overlay.first + 1;
  let nextUnlisted: number = RULE_IDS.overlayUnlisted.first;
  for (const rule of ordered) {
    const byDepth = groups.get(rule)!;
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const requestDomains = byDepth.get(depth)!.sort(compareReversed);
      const priority = PRIORITY.overlay + depth;
      if (rule === null) {
        rules.push({
          id: nextUnlisted++,
          priority,
          action: { type: 'allow' },
          condition: { requestDomains, resourceTypes: ['main_frame', 'sub_frame'] },
        });
      } else {
        rules.push({
          id: nextId++,
          priority,
          action: rule.action,
          condition: { ...rule.condition, requestDomains },
        });
      }
    }
  }
  if (nextId > RULE_IDS.overlay.last || nextUnlisted > RULE_IDS.overlayUnlisted.last) {
    return { ok: false, reason: 'The overlay would need more rule ids than it has.' };
  }
  return { ok: true, rules, domains: entries.length };
}

/**
 * Whether an overlay of this size may be used, or why not (then the change goes into the dynamic
 * rules). `categoryDomains`: category domains in force after the change; `dynamicRules`: rules the
 * dynamic set holds (Firefox counts both against one budget).
 */
export function overlayFits(
  overlay: { rules: number; domains: number },
  categoryDomains: number,
  dynamicRules: number,
  target: BrowserTarget,
): string | null {
  if (overlay.domains > OVERLAY_LIMITS.maxDomains)
    return `${overlay.domains} domains changed, over the overlay's ${OVERLAY_LIMITS.maxDomains}.`;
  if (overlay.domains > categoryDomains * OVERLAY_LIMITS.maxShare)
    return `${overlay.domains} domains changed, over ${OVERLAY_LIMITS.maxShare * 100}% of ${categoryDomains}.`;
  if (overlay.rules + 1 > OVERLAY_LIMITS.maxRules)
    return `${overlay.rules} overlay rules, over the overlay's ${OVERLAY_LIMITS.maxRules}.`;
  // Firefox: session and dynamic rules share one budget; keep the compiler's headroom free.
  if (target === 'firefox' && dynamicRules + overlay.rules + 1 > LIMITS.firefox.dynamic - 100)
    return 'Firefox would run out of rules for the overlay.';
  return null;
}

/** Block > warn > allow or no category: how much a verdict keeps out. */
function strictness(rule: DnrRule | null): number {
  if (rule === null || rule.action.type === 'allow') return 0;
  if (rule.action.type === 'block') return 2;
  return rule.action.redirect.regexSubstitution.includes('&m=warn#') ? 1 : 2;
}

/**
 * For a full update that folds an overlay in: session rules giving each host under the cover the
 * STRICTER of the overlay in force's verdict and the new compile's (`next`, planned on the same
 * cover). Put in place before the dynamic update, then the dynamic update, then the overlay goes:
 * at each step every host is at least as blocked as before the update or as after it, whatever
 * else the update changes (a block-list entry dropped while a category now allows the host, say).
 */
export function foldingOverlay(
  current: readonly DnrRule[],
  next: readonly DnrRule[],
): OverlayResult {
  const before = overlayEntriesOf(current);
  const after = overlayEntriesOf(next);
  const verdictIn = (map: Map<string, DnrRule | null>, domain: string) => {
    if (map.has(domain)) return map.get(domain)!;
    for (const parent of parentDomains(domain)) if (map.has(parent)) return map.get(parent)!;
    return undefined;
  };
  const entries: Entry[] = [];
  for (const domain of new Set([...before.keys(), ...after.keys()])) {
    const was = verdictIn(before, domain);
    const will = verdictIn(after, domain);
    // Both overlays cover the same domains, so each has an entry at or above every entry.
    if (was === undefined || will === undefined) {
      return { ok: false, reason: `${domain} is not covered by both overlays.` };
    }
    entries.push({ domain, rule: strictness(was) > strictness(will) ? was : will });
  }
  return overlayRules(entries);
}
