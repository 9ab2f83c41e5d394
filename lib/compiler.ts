/**
 * The rule compiler: effective policy + category lists → declarativeNetRequest dynamic rules.
 * Pure; runs in the service worker, the admin CLI, the options page ("test a URL") and Node tests.
 *
 * Precedence (documented in the README, tested in tests/unit/compiler.test.ts):
 *
 *   locked categories  >  allowList  >  blockList  >  categories
 *
 * and, between entries of the same tier, the more specific entry wins: a URL prefix beats a domain,
 * a deeper domain (`music.example.com`) beats its parent (`example.com`). The same domain in two
 * categories takes the stricter mode (block > warn > allow).
 *
 * DNR gives us this with priorities: each tier has a base, and a rule's priority is its tier base
 * plus its specificity. Domains of one category are packed into one rule per (mode, depth), so a
 * category of 1M domains is a handful of rules. Only navigations (main_frame, sub_frame) are
 * matched: Steward is a filter of pages, not an ad blocker, and leaving sub-resources alone means an
 * allowed page never breaks because it embeds a blocked site's image.
 *
 * Blocked and warned navigations are redirected to the block page with the category and mode in
 * the query and the original URL in the fragment (a regexSubstitution, as uBlock Origin Lite's
 * strict blocking does). The fragment never reaches a server.
 *
 * A category a signed rule list marks `locked` (for IWF/CTIRU-style lists: UKSIC's "appropriate
 * filtering" asks that they cannot be switched off once supplied) is always blocked: its mode in
 * policy is ignored, its rules sit above the allow list, and a block (never a warning) has no
 * Continue. The same holds for any later feature that changes modes (personal-use windows), since
 * every mode goes through this compiler.
 */
import { domainDepth, normaliseEntry, parentDomains, type UrlPrefix } from './domains.ts';
import type { CategoryMode, StewardPolicy } from './policy.ts';
import {
  type CompiledCategory,
  forEachNameIn,
  groupWithout,
  indexFor,
  relatedToEntries,
  sortedByDepth,
} from './rule-list/compiled.ts';

/** The subset of chrome.declarativeNetRequest.Rule that Steward emits. */
export type DnrRule = {
  id: number;
  priority: number;
  action:
    | { type: 'allow' }
    | { type: 'block' }
    | { type: 'redirect'; redirect: { regexSubstitution: string } };
  condition: {
    requestDomains?: string[];
    urlFilter?: string;
    regexFilter?: string;
    resourceTypes: ('main_frame' | 'sub_frame')[];
    tabIds?: number[];
  };
};

export type CategoryList = { domains: string[]; urlPrefixes: UrlPrefix[] };

export type BrowserTarget = 'chrome' | 'firefox';

/** Reserved dynamic/session rule-id ranges, so features never step on each other's rules. */
export const RULE_IDS = {
  /** Everything this compiler emits (dynamic rules). */
  policy: { first: 1, last: 99_999 },
  /** Account-separation header rules (dynamic). */
  accountHeaders: { first: 100_000, last: 100_999 },
  /** The marker rule that proves which rule set is in the browser (lib/enforcement-plan.ts). */
  marker: { first: 101_000, last: 101_000 },
  /** Safe-search redirects and the YouTube-Restrict header (dynamic; lib/safe-search.ts). */
  safeSearch: { first: 102_000, last: 102_999 },
  /** "Continue" on a warning: per-tab allow rules (session). */
  warnContinue: { first: 1_000_000, last: 1_999_999 },
  /**
   * The rule-list overlay (session; lib/overlay.ts): a small list change laid over the dynamic
   * rules without touching them. The first id is the overlay's own marker rule.
   */
  overlay: { first: 2_000_000, last: 2_049_999 },
  /** Overlay allow rules that mean "no category lists this any more" (explained as no rule). */
  overlayUnlisted: { first: 2_050_000, last: 2_099_999 },
} as const;

/** Tier bases; a rule's priority is its tier base plus its specificity (< 1,000). */
export const PRIORITY = {
  category: 1_000,
  /**
   * The rule-list overlay (lib/overlay.ts), plus the domain's depth (at most OVERLAY_MAX_DEPTH):
   * above every category domain rule (1,000 + depth ≤ 1,127), below every category URL-prefix rule
   * (1,000 + 200 + path length ≥ 1,201), so a prefix still beats a domain as it does without the
   * overlay, and below Continue and every higher tier, which the overlay never changes.
   */
  overlay: 1_128,
  warnContinue: 2_000,
  blockList: 3_000,
  allowList: 5_000,
  /** Above every allow rule (allow-list prefixes reach 5,900), so allowing a site keeps safe search. */
  safeSearch: 5_950,
  /** Locked categories: above everything, so nothing a policy allows weakens them. */
  locked: 6_000,
} as const;

/** Browser limits on dynamic rules, less headroom kept for other features' rules. */
export const LIMITS: Record<
  BrowserTarget,
  { dynamic: number; unsafe: number; regex: number; label: string }
> = {
  chrome: { dynamic: 30_000, unsafe: 5_000, regex: 1_000, label: 'Chrome and Edge' },
  firefox: { dynamic: 5_000, unsafe: 5_000, regex: 1_000, label: 'Firefox' },
};
/** Rules kept free for account-header rules and future features. */
const HEADROOM = 100;

/** Block-page query value for the school's own block list. */
export const BLOCK_LIST_CATEGORY = 'blockList';

export type CompileInput = {
  policy: StewardPolicy;
  /** Category → its domains and URL prefixes (built-in lists, merged with the rule list's). */
  categoryLists: Record<string, CategoryList>;
  /** Absolute URL of the block page (`chrome-extension://<id>/blocked.html`). */
  blockPageUrl: string;
  target: BrowserTarget;
  /**
   * Categories whose domains the rule list's publisher compiled (format 2,
   * lib/rule-list/compiled.ts). Their entry in `categoryLists` keeps their place in the order and
   * carries their URL prefixes; their domains come from here, and only the few related to another
   * category or to the allow and block lists are compared one by one.
   */
  compiledCategories?: Record<string, CompiledCategory>;
  /**
   * The ids the rules in force have, by key (from the last compile's `ruleKeys`): a rule keeps its
   * id while its key lives, so an update removes and adds only the rules whose fingerprint changed.
   */
  previousRuleIds?: Record<string, number>;
  /** Categories a signed rule list has locked: always blocked, above the allow list. */
  lockedCategories?: readonly string[];
};

export type CompiledSummary = {
  rules: number;
  regexRules: number;
  unsafeRules: number;
  /** Domains in force per category (after removing duplicates and covered subdomains). */
  domainsByCategory: Record<string, number>;
  urlPrefixesByCategory: Record<string, number>;
  allowListEntries: number;
  blockListEntries: number;
  /** Categories in force as locked (always blocked). */
  lockedCategories: string[];
};

/** A rule's own domains (any order) and the publisher's groups it also carries (sorted). */
export type SortedParts = Map<DnrRule, { own: string[]; sorted: UntouchedGroup[] }>;

/** What a rule is for (stable across compiles) and a fingerprint of exactly what it says. */
export type RuleKey = { key: string; fingerprint: string };

export type CompileResult =
  | {
      ok: true;
      rules: DnrRule[];
      /** Rule id → its key and fingerprint: store them, pass them back as `previousRuleIds`. */
      ruleKeys: Record<number, RuleKey>;
      summary: CompiledSummary;
      /**
       * For rules made from a publisher's sorted groups: those groups, so a verdict can look a name
       * up by binary search instead of reading a million domains (pass to `explainUrls`).
       */
      sortedParts: SortedParts;
    }
  | { ok: false; errors: string[] };

const NAVIGATION: ('main_frame' | 'sub_frame')[] = ['main_frame', 'sub_frame'];
const MODE_STRICTNESS: Record<CategoryMode, number> = { allow: 0, warn: 1, block: 2 };

type Assignment = { category: string; mode: CategoryMode };

export function compileRules(input: CompileInput): CompileResult {
  const { policy, categoryLists, blockPageUrl, target } = input;
  const locked = new Set((input.lockedCategories ?? []).filter((c) => c in categoryLists));
  const errors: string[] = [];

  const allow = splitEntries(policy.allowList, 'allowList', errors);
  const block = splitEntries(policy.blockList, 'blockList', errors);
  if (errors.length > 0) return { ok: false, errors };

  // Compiled categories: set aside every domain that nothing else in force lists, or lists a
  // parent or subdomain of. Those need no comparison: each joins its group's rule as it is.
  const compiledCategories = input.compiledCategories ?? {};
  // Locked categories are compiled on their own (tier 0) and decide nothing below it.
  const compiledBelowLocked = Object.fromEntries(
    Object.entries(compiledCategories).filter(([id]) => !locked.has(id)),
  );
  const { lists, untouched } = setAsideUntouched(categoryLists, compiledBelowLocked, [
    ...allow.domains,
    ...block.domains,
  ]);

  // Tier 3 (categories): each domain gets one category, the strictest that lists it.
  const assigned = new Map<string, Assignment>();
  const assignmentOf = new Map<string, Assignment>();
  const categoryPrefixes: { prefix: UrlPrefix; assignment: Assignment }[] = [];
  for (const [category, list] of Object.entries(lists)) {
    if (locked.has(category)) continue;
    const mode = policy.categories[category] ?? 'block';
    const assignment: Assignment = { category, mode };
    assignmentOf.set(category, assignment);
    for (const domain of list.domains) {
      const existing = assigned.get(domain);
      if (!existing || MODE_STRICTNESS[mode] > MODE_STRICTNESS[existing.mode]) {
        assigned.set(domain, assignment);
      }
    }
    for (const prefix of list.urlPrefixes) categoryPrefixes.push({ prefix, assignment });
  }

  // Hot loops below run once per domain (a million for a big list): plain indexOf walks, no
  // generators or per-domain string keys.
  const coveredBy = (set: Set<string>, domain: string) => {
    if (set.size === 0) return false;
    if (set.has(domain)) return true;
    for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) {
      if (set.has(domain.slice(i + 1))) return true;
    }
    return false;
  };

  // Drop what a higher tier decides anyway, and subdomains whose nearest listed parent already
  // gives the same outcome. Allow-mode domains only need a rule where they carve an exception out
  // of a stricter parent.
  type Group = {
    assignment: Assignment;
    depth: number;
    /** Domains decided one by one. */
    domains: string[];
    /** Compiled domains that join as published (each a publisher's array, never copied). */
    published: UntouchedGroup[];
  };
  const byGroup: Group[] = [];
  const groupsByAssignment = new Map<Assignment, Map<number, Group>>();
  const domainsByCategory: Record<string, number> = {};
  for (const category of Object.keys(lists)) domainsByCategory[category] = 0;
  const groupFor = (assignment: Assignment, depth: number): Group => {
    let byDepth = groupsByAssignment.get(assignment);
    if (!byDepth) {
      byDepth = new Map();
      groupsByAssignment.set(assignment, byDepth);
    }
    let group = byDepth.get(depth);
    if (!group) {
      group = { assignment, depth, domains: [], published: [] };
      byDepth.set(depth, group);
      byGroup.push(group);
    }
    return group;
  };
  for (const [domain, assignment] of assigned) {
    if (coveredBy(allow.domains, domain) || coveredBy(block.domains, domain)) continue;
    let parentAssignment: Assignment | undefined;
    for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) {
      parentAssignment = assigned.get(domain.slice(i + 1));
      if (parentAssignment) break;
    }
    if (parentAssignment && parentAssignment.category === assignment.category) continue;
    if (assignment.mode === 'allow' && (!parentAssignment || parentAssignment.mode === 'allow'))
      continue;
    if (assignment.mode !== 'allow') {
      domainsByCategory[assignment.category] = (domainsByCategory[assignment.category] ?? 0) + 1;
    }
    groupFor(assignment, Math.min(domainDepth(domain), 127)).domains.push(domain);
  }
  // Untouched compiled domains of a blocked or warned category: no other entry decides anything
  // about them, so they are exactly their group's. (In an allowed category they would only matter
  // as exceptions under a stricter parent, and they have none.)
  for (const [category, groups] of untouched) {
    const assignment = assignmentOf.get(category)!;
    if (assignment.mode === 'allow') continue;
    for (const untouchedGroup of groups) {
      if (untouchedGroup.domains.length === 0) continue;
      groupFor(assignment, untouchedGroup.depth).published.push(untouchedGroup);
      domainsByCategory[category] =
        (domainsByCategory[category] ?? 0) + untouchedGroup.domains.length;
    }
  }

  const rules: DnrRule[] = [];
  const keys: RuleKey[] = [];
  const sortedParts: SortedParts = new Map();
  /**
   * `key` names the rule's place (stable across compiles, so its id can be); `published` gives a
   * compiled group's fingerprint instead of hashing a million domains again.
   */
  const push = (
    rule: Omit<DnrRule, 'id'>,
    key: string,
    compiledParts?: { published: UntouchedGroup[]; ownDomains: string[] },
  ) => {
    const made: DnrRule = { id: 0, ...rule };
    rules.push(made);
    keys.push({ key, fingerprint: fingerprintOf(rule, compiledParts) });
    if (compiledParts) {
      sortedParts.set(made, { own: compiledParts.ownDomains, sorted: compiledParts.published });
    }
  };

  for (const group of byGroup) {
    const { category, mode } = group.assignment;
    const priority = PRIORITY.category + group.depth;
    // A million domains: the publisher's array itself when it is the whole rule.
    const requestDomains =
      group.published.length === 0
        ? group.domains
        : group.domains.length === 0 && group.published.length === 1
          ? group.published[0]!.domains
          : group.domains.concat(...group.published.map((p) => p.domains));
    push(
      mode === 'allow'
        ? allowRule(priority, { requestDomains })
        : redirectRule(priority, blockPageUrl, category, mode, { requestDomains }),
      `category/${category}/${mode}/depth ${group.depth}`,
      group.published.length > 0
        ? { published: group.published, ownDomains: group.domains }
        : undefined,
    );
  }

  const urlPrefixesByCategory: Record<string, number> = {};
  for (const { prefix, assignment } of categoryPrefixes) {
    if (coveredBy(allow.domains, prefix.host)) continue;
    urlPrefixesByCategory[assignment.category] =
      (urlPrefixesByCategory[assignment.category] ?? 0) + 1;
    const priority = PRIORITY.category + prefixSpecificity(prefix);
    push(
      assignment.mode === 'allow'
        ? allowRule(priority, { urlFilter: urlFilterFor(prefix) })
        : redirectRule(priority, blockPageUrl, assignment.category, assignment.mode, {
            regexFilter: regexFor(prefix),
          }),
      `category/${assignment.category}/${assignment.mode}/prefix ${prefix.host}${prefix.path}`,
    );
  }

  // Tier 2: the school's block list. Everything in it blocks, so specificity inside the tier only
  // matters against the tiers around it; one rule holds all its domains.
  const blockDomains = [...block.domains].filter((d) => !coveredBy(allow.domains, d));
  if (blockDomains.length > 0) {
    push(
      redirectRule(PRIORITY.blockList, blockPageUrl, BLOCK_LIST_CATEGORY, 'block', {
        requestDomains: blockDomains,
      }),
      'blockList/domains',
    );
  }
  for (const prefix of block.prefixes) {
    push(
      redirectRule(
        PRIORITY.blockList + prefixSpecificity(prefix),
        blockPageUrl,
        BLOCK_LIST_CATEGORY,
        'block',
        {
          regexFilter: regexFor(prefix),
        },
      ),
      `blockList/prefix ${prefix.host}${prefix.path}`,
    );
  }

  // Tier 0: locked categories. Never reduced by the allow list; one rule per category per depth
  // (the block page names the category).
  const lockedPrefixes: UrlPrefix[] = [];
  for (const category of locked) {
    const list = categoryLists[category]!;
    domainsByCategory[category] = 0;
    const published = compiledCategories[category];
    if (published) {
      // Compiled by the publisher: already one group per depth, nothing to compare.
      for (const group of published.groups) {
        if (group.domains.length === 0) continue;
        domainsByCategory[category] += group.domains.length;
        push(
          redirectRule(PRIORITY.locked + group.depth, blockPageUrl, category, 'block', {
            requestDomains: group.domains,
          }),
          `locked/${category}/depth ${group.depth}`,
          { published: [{ ...group }], ownDomains: [] },
        );
      }
    } else {
      const own = new Set(list.domains);
      const byDepth = new Map<number, string[]>();
      for (const domain of own) {
        let covered = false;
        for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) {
          if (own.has(domain.slice(i + 1))) {
            covered = true;
            break;
          }
        }
        if (covered) continue;
        const depth = Math.min(domainDepth(domain), 127);
        const group = byDepth.get(depth) ?? [];
        group.push(domain);
        byDepth.set(depth, group);
      }
      for (const [depth, domains] of byDepth) {
        domainsByCategory[category] += domains.length;
        push(
          redirectRule(PRIORITY.locked + depth, blockPageUrl, category, 'block', {
            requestDomains: domains,
          }),
          `locked/${category}/depth ${depth}`,
        );
      }
    }
    for (const prefix of list.urlPrefixes) {
      lockedPrefixes.push(prefix);
      urlPrefixesByCategory[category] = (urlPrefixesByCategory[category] ?? 0) + 1;
      push(
        redirectRule(PRIORITY.locked + prefixSpecificity(prefix), blockPageUrl, category, 'block', {
          regexFilter: regexFor(prefix),
        }),
        `locked/${category}/prefix ${prefix.host}${prefix.path}`,
      );
    }
  }

  // Tier 1: the school's allow list.
  if (allow.domains.size > 0) {
    push(
      allowRule(PRIORITY.allowList, { requestDomains: [...allow.domains] }),
      'allowList/domains',
    );
  }
  for (const prefix of allow.prefixes) {
    push(
      allowRule(PRIORITY.allowList + prefixSpecificity(prefix), {
        urlFilter: urlFilterFor(prefix),
      }),
      `allowList/prefix ${prefix.host}${prefix.path}`,
    );
  }

  assignStableIds(rules, keys, input.previousRuleIds ?? {});

  const regexRules = rules.filter((r) => r.condition.regexFilter !== undefined).length;
  const unsafeRules = rules.filter((r) => r.action.type === 'redirect').length;
  const limitErrors = checkLimits(target, {
    rules: rules.length,
    regexRules,
    unsafeRules,
    prefixes: block.prefixes.length + categoryPrefixes.length + lockedPrefixes.length,
  });
  if (limitErrors.length > 0) return { ok: false, errors: limitErrors };

  return {
    ok: true,
    rules,
    ruleKeys: Object.fromEntries(rules.map((rule, i) => [rule.id, keys[i]!])),
    sortedParts,
    summary: {
      rules: rules.length,
      regexRules,
      unsafeRules,
      domainsByCategory,
      urlPrefixesByCategory,
      allowListEntries: allow.domains.size + allow.prefixes.length,
      blockListEntries: blockDomains.length + block.prefixes.length,
      lockedCategories: [...locked].sort(),
    },
  };
}

/** A compiled group's domains that join their rule as published, and what identifies them. */
type UntouchedGroup = { depth: number; domains: string[]; fingerprint: string };

/**
 * Splits compiled categories into the domains the compiler must compare (those the publisher
 * marked related, and those the same as, a parent of or a subdomain of a built-in category's domain
 * or an allow- or block-list domain) and the rest, which are returned by group untouched.
 */
function setAsideUntouched(
  categoryLists: Record<string, CategoryList>,
  compiled: Record<string, CompiledCategory>,
  listEntries: string[],
): {
  lists: Record<string, CategoryList>;
  untouched: Map<string, UntouchedGroup[]>;
} {
  const untouched = new Map<string, UntouchedGroup[]>();
  if (Object.keys(compiled).length === 0) return { lists: categoryLists, untouched };
  const others = [...listEntries];
  for (const [id, list] of Object.entries(categoryLists)) {
    if (!compiled[id]) for (const domain of list.domains) others.push(domain);
  }
  const lists: Record<string, CategoryList> = { ...categoryLists };
  // Sorted once for every compiled category, and kept for the next compile while the entries stay.
  const index = indexFor(others);
  for (const [id, category] of Object.entries(compiled)) {
    const related = new Set(category.related);
    for (const domain of relatedToEntries(category, index)) related.add(domain);
    const own = categoryLists[id] ?? { domains: [], urlPrefixes: [] };
    lists[id] = { domains: [...own.domains, ...related], urlPrefixes: own.urlPrefixes };
    let taken: string | undefined;
    untouched.set(
      id,
      category.groups.map((g) => {
        if (related.size === 0)
          return { depth: g.depth, domains: g.domains, fingerprint: g.fingerprint };
        const domains = groupWithout(g, related);
        // What was taken out is part of what the rule is (and so of its fingerprint).
        if (domains.length === g.domains.length) {
          return { depth: g.depth, domains, fingerprint: `${g.fingerprint}-` };
        }
        taken ??= [...related].sort().join(',');
        return { depth: g.depth, domains, fingerprint: `${g.fingerprint}-${taken}` };
      }),
    );
  }
  return { lists, untouched };
}

/**
 * Ids from the policy range: a key in force keeps its id; new keys take the lowest free ones.
 * Deterministic, so the same inputs always give the same ids.
 */
function assignStableIds(rules: DnrRule[], keys: RuleKey[], previous: Record<string, number>) {
  const used = new Set<number>();
  const { first, last } = RULE_IDS.policy;
  rules.forEach((rule, i) => {
    const id = previous[keys[i]!.key];
    if (id !== undefined && id >= first && id <= last && !used.has(id)) {
      rule.id = id;
      used.add(id);
    }
  });
  let next: number = first;
  for (const rule of rules) {
    if (rule.id !== 0) continue;
    while (used.has(next)) next++;
    rule.id = next;
    used.add(next);
  }
}

/**
 * A fingerprint of what a rule says (not its id): 64 bits of FNV-1a, plenty to tell a changed
 * rule from an unchanged one, and synchronous. A compiled group's rule is identified by the
 * publisher's SHA-256 of its domains instead of hashing them again.
 */
function fingerprintOf(
  rule: Omit<DnrRule, 'id'>,
  compiledParts?: { published: UntouchedGroup[]; ownDomains: string[] },
): string {
  if (!compiledParts) return fnv64(JSON.stringify(rule));
  const { requestDomains: _domains, ...condition } = rule.condition;
  return fnv64(
    JSON.stringify({ ...rule, condition, ownDomains: [...compiledParts.ownDomains].sort() }) +
      compiledParts.published.map((p) => p.fingerprint).join('+'),
  );
}

/** 64 bits of FNV-1a as hex: a quick fingerprint of a text (not a security hash). */
export function fnv64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function splitEntries(entries: string[], key: string, errors: string[]) {
  const domains = new Set<string>();
  const prefixes: UrlPrefix[] = [];
  entries.forEach((raw, i) => {
    const entry = normaliseEntry(raw);
    if (!entry.ok) errors.push(`${key}[${i}]: ${entry.reason}.`);
    else if (entry.kind === 'domain') domains.add(entry.domain);
    else prefixes.push(entry.prefix);
  });
  // A listed parent covers its subdomains.
  for (const domain of [...domains]) {
    for (const parent of parentDomains(domain)) {
      if (domains.has(parent)) {
        domains.delete(domain);
        break;
      }
    }
  }
  return { domains, prefixes };
}

function checkLimits(
  target: BrowserTarget,
  n: { rules: number; regexRules: number; unsafeRules: number; prefixes: number },
): string[] {
  const limit = LIMITS[target];
  const errors: string[] = [];
  const fmt = (x: number) => x.toLocaleString('en-GB');
  if (n.rules > limit.dynamic - HEADROOM) {
    errors.push(
      `This policy needs ${fmt(n.rules)} rules; ${limit.label} allow ${fmt(limit.dynamic)} ` +
        `(Steward keeps ${HEADROOM} free). Most rules come from URL prefixes (${fmt(n.prefixes)}): ` +
        'list whole domains where you can.',
    );
  }
  if (n.regexRules > limit.regex - HEADROOM) {
    errors.push(
      `This policy blocks ${fmt(n.regexRules)} URL prefixes or rule groups, and each needs a ` +
        `regular-expression rule; ${limit.label} allow ${fmt(limit.regex)} ` +
        `(Steward keeps ${HEADROOM} free). Block whole domains where you can.`,
    );
  }
  if (n.unsafeRules > limit.unsafe - HEADROOM) {
    errors.push(
      `This policy needs ${fmt(n.unsafeRules)} redirect rules; ${limit.label} allow ${fmt(limit.unsafe)} ` +
        `(Steward keeps ${HEADROOM} free).`,
    );
  }
  return errors;
}

function redirectRule(
  priority: number,
  blockPageUrl: string,
  category: string,
  mode: 'block' | 'warn',
  match: { requestDomains: string[] } | { regexFilter: string },
): Omit<DnrRule, 'id'> {
  const target = `${blockPageUrl}?c=${encodeURIComponent(category)}&m=${mode}`;
  return {
    priority,
    action: { type: 'redirect', redirect: { regexSubstitution: `${target}#\\0` } },
    condition:
      'regexFilter' in match
        ? { regexFilter: match.regexFilter, resourceTypes: NAVIGATION }
        : { regexFilter: '^.+$', requestDomains: match.requestDomains, resourceTypes: NAVIGATION },
  };
}

function allowRule(
  priority: number,
  match: { requestDomains: string[] } | { urlFilter: string },
): Omit<DnrRule, 'id'> {
  return {
    priority,
    action: { type: 'allow' },
    condition: { ...match, resourceTypes: NAVIGATION },
  };
}

/** A URL prefix is more specific than any domain; a longer prefix more than a shorter one. */
function prefixSpecificity(prefix: UrlPrefix): number {
  return 200 + Math.min(prefix.path.length, 700);
}

function urlFilterFor(prefix: UrlPrefix): string {
  return `||${prefix.host}${prefix.path}`;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `youtube.com/edu` → any scheme, the host or a subdomain, any port, then the path prefix. */
export function regexFor(prefix: UrlPrefix): string {
  return `^[a-z][a-z0-9+.-]*://([^/?#@]*\\.)?${escapeRegex(prefix.host)}\\.?(:[0-9]+)?${escapeRegex(prefix.path)}.*`;
}

// ─── Explaining a URL ("test a URL" on the options page, and the tests) ─────────────────────────

export type UrlVerdict =
  | { outcome: 'allowed'; reason: 'no-rule' }
  | {
      outcome: 'blocked' | 'warned' | 'allowed';
      /** The category (or `blockList` / `allowList`) that decided. */
      source: string;
      /** The entry that matched: a listed domain, or a URL prefix. */
      entry: string;
      ruleId: number;
      priority: number;
      /** Decided by a locked category: nothing in policy can open it. */
      locked?: boolean;
    };

/**
 * Which rule decides a navigation to `url`, by the same matching DNR does on the compiled rules
 * (highest priority wins; allow beats redirect on a tie). Computed from the compiled rules, not a
 * debug-only browser API, so it works the same in every browser and in Node.
 */
export function explainUrl(rules: DnrRule[], url: string): UrlVerdict {
  return explainUrls(rules, [url])[0]!;
}

/**
 * `explainUrl` for many URLs at once (safe search asks about some 200 engine hosts). Each rule's
 * domain list is read once, against the small set of names the URLs could match (each host and
 * its parents): no per-rule index of a million names is built or kept, which cost ~0.8 s and tens
 * of megabytes with a million-domain list in force.
 */
export function explainUrls(
  rules: DnrRule[],
  urls: readonly string[],
  sortedParts?: SortedParts,
): UrlVerdict[] {
  const { asked, names, byDepth } = askedOf(urls);
  const listed = new Map<DnrRule, Set<string>>();
  for (const rule of rules) {
    const domains = rule.condition.requestDomains;
    if (!domains) continue;
    const found = new Set<string>();
    const parts = sortedParts?.get(rule);
    if (parts) {
      for (const domain of parts.own) if (names.has(domain)) found.add(domain);
      for (const group of parts.sorted) {
        const sorted = byDepth.get(group.depth);
        if (sorted) forEachNameIn(group.domains, sorted, (name) => found.add(name));
      }
    } else {
      for (const domain of domains) if (names.has(domain)) found.add(domain);
    }
    listed.set(rule, found);
  }
  // Each rule's regex compiled once, not once per URL asked (safe search asks some 200).
  const regexes = new Map<DnrRule, RegExp>();
  return asked.map((a) => (a ? decide(rules, a, listed, regexes) : NO_RULE));
}

type AskedUrl = { href: string; pathAndQuery: string; candidates: string[] };

type Asked = {
  asked: (AskedUrl | null)[];
  /** Every host asked and its parents. */
  names: Set<string>;
  /**
   * The names by depth, each sorted as a publisher's group is: each group is walked once with the
   * names of its depth in the same order (safe search asks ~650 names of ~190 URLs; one binary
   * search per name and group was most of a 100k list's plan, run cold in the worker).
   */
  byDepth: Map<number, string[]>;
};

/**
 * What the look-ups need from the URLs asked. Kept for a frozen array (it cannot change), which is
 * what safe search passes on every plan (`searchSamples`): parsing its ~190 URLs and sorting ~650
 * names was ~0.7 ms warm, ~1.6 cold, of each update's plan (h32-update). Nothing else is kept.
 */
const askedOfFrozen = new WeakMap<readonly string[], Asked>();
function askedOf(urls: readonly string[]): Asked {
  const kept = askedOfFrozen.get(urls);
  if (kept) return kept;
  const asked = urls.map((url): AskedUrl | null => {
    try {
      const parsed = new URL(url);
      const host = parsed.hostname.replace(/\.$/, '');
      return {
        href: parsed.href,
        pathAndQuery: `${parsed.pathname}${parsed.search}`,
        candidates: [host, ...parentDomains(host)],
      };
    } catch {
      return null;
    }
  });
  const names = new Set(asked.flatMap((a) => a?.candidates ?? []));
  const result: Asked = { asked, names, byDepth: sortedByDepth(names) };
  if (Object.isFrozen(urls)) askedOfFrozen.set(urls, result);
  return result;
}

const NO_RULE: UrlVerdict = { outcome: 'allowed', reason: 'no-rule' };

function decide(
  rules: DnrRule[],
  asked: AskedUrl,
  listed: Map<DnrRule, Set<string>>,
  regexes: Map<DnrRule, RegExp>,
): UrlVerdict {
  let best: { rule: DnrRule; entry: string } | undefined;
  for (const rule of rules) {
    // A redirect that only rewrites the query (safe search) is not a block.
    if (rule.action.type === 'redirect' && rule.action.redirect.regexSubstitution === undefined)
      continue;
    const entry = ruleMatches(rule, asked, listed.get(rule), regexes);
    if (entry === null) continue;
    if (
      !best ||
      rule.priority > best.rule.priority ||
      (rule.priority === best.rule.priority && rule.action.type === 'allow')
    ) {
      best = { rule, entry };
    }
  }
  if (!best) return NO_RULE;
  const { rule, entry } = best;
  // The overlay's "no category lists this any more": as if no rule matched.
  if (rule.id >= RULE_IDS.overlayUnlisted.first && rule.id <= RULE_IDS.overlayUnlisted.last)
    return NO_RULE;
  if (rule.action.type === 'allow') {
    return {
      outcome: 'allowed',
      source: rule.priority >= PRIORITY.allowList ? 'allowList' : 'category exception',
      entry,
      ruleId: rule.id,
      priority: rule.priority,
    };
  }
  const sub = rule.action.type === 'redirect' ? rule.action.redirect.regexSubstitution : '';
  const query = new URLSearchParams(sub.slice(sub.indexOf('?') + 1, sub.indexOf('#')));
  return {
    outcome: query.get('m') === 'warn' ? 'warned' : 'blocked',
    source: query.get('c') ?? 'unknown',
    entry,
    ruleId: rule.id,
    priority: rule.priority,
    ...(rule.priority >= PRIORITY.locked ? { locked: true } : {}),
  };
}

/** The most specific of the host and its parents the rule names, or null if it does not match. */
function ruleMatches(
  rule: DnrRule,
  asked: AskedUrl,
  listed: Set<string> | undefined,
  regexes: Map<DnrRule, RegExp>,
): string | null {
  const c = rule.condition;
  if (c.requestDomains) {
    return asked.candidates.find((d) => listed?.has(d)) ?? null;
  }
  if (c.regexFilter) {
    let regex = regexes.get(rule);
    if (!regex) {
      regex = new RegExp(c.regexFilter, 'i');
      regexes.set(rule, regex);
    }
    if (!regex.test(asked.href)) return null;
    return describeRegex(c.regexFilter);
  }
  if (c.urlFilter) {
    const [, hostAndPath = ''] = c.urlFilter.split('||');
    const slash = hostAndPath.indexOf('/');
    const host = hostAndPath.slice(0, slash);
    const path = hostAndPath.slice(slash);
    if (!asked.candidates.includes(host)) return null;
    if (!asked.pathAndQuery.startsWith(path)) return null;
    return `${host}${path}`;
  }
  return null;
}

function describeRegex(regex: string): string {
  // Undo regexFor() for display: host and path between the fixed parts.
  const m = /\\\.\)\?(.*)\\\.\?\(:\[0-9\]\+\)\?(.*)\.\*$/.exec(regex);
  if (!m) return regex;
  const unescapeRegex = (s: string) => s.replace(/\\(.)/g, '$1');
  return `${unescapeRegex(m[1]!)}${unescapeRegex(m[2]!)}`;
}
