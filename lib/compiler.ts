/**
 * The rule compiler: effective policy + category lists → declarativeNetRequest dynamic rules.
 * Pure; runs in the service worker, the admin CLI, the options page ("test a URL") and Node tests.
 *
 * Precedence (documented in the README, tested in tests/unit/compiler.test.ts):
 *
 *   allowList  >  blockList  >  categories
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
 */
import { domainDepth, normaliseEntry, parentDomains, type UrlPrefix } from './domains.ts';
import type { CategoryMode, StewardPolicy } from './policy.ts';

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
  /** "Continue" on a warning: per-tab allow rules (session). */
  warnContinue: { first: 1_000_000, last: 1_999_999 },
} as const;

/** Tier bases; a rule's priority is its tier base plus its specificity (< 1,000). */
export const PRIORITY = {
  category: 1_000,
  warnContinue: 2_000,
  blockList: 3_000,
  allowList: 5_000,
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
};

export type CompileResult =
  | { ok: true; rules: DnrRule[]; summary: CompiledSummary }
  | { ok: false; errors: string[] };

const NAVIGATION: ('main_frame' | 'sub_frame')[] = ['main_frame', 'sub_frame'];
const MODE_STRICTNESS: Record<CategoryMode, number> = { allow: 0, warn: 1, block: 2 };

type Assignment = { category: string; mode: CategoryMode };

export function compileRules(input: CompileInput): CompileResult {
  const { policy, categoryLists, blockPageUrl, target } = input;
  const errors: string[] = [];

  const allow = splitEntries(policy.allowList, 'allowList', errors);
  const block = splitEntries(policy.blockList, 'blockList', errors);
  if (errors.length > 0) return { ok: false, errors };

  // Tier 3 (categories): each domain gets one category, the strictest that lists it.
  const assigned = new Map<string, Assignment>();
  const categoryPrefixes: { prefix: UrlPrefix; assignment: Assignment }[] = [];
  for (const [category, list] of Object.entries(categoryLists)) {
    const mode = policy.categories[category] ?? 'block';
    const assignment: Assignment = { category, mode };
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
  type Group = { assignment: Assignment; depth: number; domains: string[] };
  const byGroup: Group[] = [];
  const groupsByAssignment = new Map<Assignment, Map<number, Group>>();
  const domainsByCategory: Record<string, number> = {};
  for (const category of Object.keys(categoryLists)) domainsByCategory[category] = 0;
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
    const depth = Math.min(domainDepth(domain), 127);
    let byDepth = groupsByAssignment.get(assignment);
    if (!byDepth) {
      byDepth = new Map();
      groupsByAssignment.set(assignment, byDepth);
    }
    let group = byDepth.get(depth);
    if (!group) {
      group = { assignment, depth, domains: [] };
      byDepth.set(depth, group);
      byGroup.push(group);
    }
    group.domains.push(domain);
  }

  const rules: DnrRule[] = [];
  const push = (rule: Omit<DnrRule, 'id'>) => rules.push({ id: 0, ...rule });

  for (const group of byGroup) {
    const { category, mode } = group.assignment;
    const priority = PRIORITY.category + group.depth;
    push(
      mode === 'allow'
        ? allowRule(priority, { requestDomains: group.domains })
        : redirectRule(priority, blockPageUrl, category, mode, { requestDomains: group.domains }),
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
    );
  }

  // Tier 1: the school's allow list.
  if (allow.domains.size > 0) {
    push(allowRule(PRIORITY.allowList, { requestDomains: [...allow.domains] }));
  }
  for (const prefix of allow.prefixes) {
    push(
      allowRule(PRIORITY.allowList + prefixSpecificity(prefix), {
        urlFilter: urlFilterFor(prefix),
      }),
    );
  }

  rules.forEach((rule, i) => {
    rule.id = RULE_IDS.policy.first + i;
  });

  const regexRules = rules.filter((r) => r.condition.regexFilter !== undefined).length;
  const unsafeRules = rules.filter((r) => r.action.type === 'redirect').length;
  const limitErrors = checkLimits(target, {
    rules: rules.length,
    regexRules,
    unsafeRules,
    prefixes: block.prefixes.length + categoryPrefixes.length,
  });
  if (limitErrors.length > 0) return { ok: false, errors: limitErrors };

  return {
    ok: true,
    rules,
    summary: {
      rules: rules.length,
      regexRules,
      unsafeRules,
      domainsByCategory,
      urlPrefixesByCategory,
      allowListEntries: allow.domains.size + allow.prefixes.length,
      blockListEntries: blockDomains.length + block.prefixes.length,
    },
  };
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
    };

const domainSets = new WeakMap<DnrRule, Set<string>>();

/**
 * Which rule decides a navigation to `url`, by the same matching DNR does on the compiled rules
 * (highest priority wins; allow beats redirect on a tie). Computed from the compiled rules, not a
 * debug-only browser API, so it works the same in every browser and in Node.
 */
export function explainUrl(rules: DnrRule[], url: string): UrlVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { outcome: 'allowed', reason: 'no-rule' };
  }
  const host = parsed.hostname.replace(/\.$/, '');
  const candidates = [host, ...parentDomains(host)];
  const href = parsed.href;
  let best: { rule: DnrRule; entry: string } | undefined;
  for (const rule of rules) {
    const entry = ruleMatches(rule, candidates, href);
    if (entry === null) continue;
    if (
      !best ||
      rule.priority > best.rule.priority ||
      (rule.priority === best.rule.priority && rule.action.type === 'allow')
    ) {
      best = { rule, entry };
    }
  }
  if (!best) return { outcome: 'allowed', reason: 'no-rule' };
  const { rule, entry } = best;
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
  };
}

function ruleMatches(rule: DnrRule, hostAndParents: string[], href: string): string | null {
  const c = rule.condition;
  if (c.requestDomains) {
    let set = domainSets.get(rule);
    if (!set) {
      set = new Set(c.requestDomains);
      domainSets.set(rule, set);
    }
    const hit = hostAndParents.find((d) => set.has(d));
    if (!hit) return null;
    return hit;
  }
  if (c.regexFilter) {
    if (!new RegExp(c.regexFilter, 'i').test(href)) return null;
    return describeRegex(c.regexFilter);
  }
  if (c.urlFilter) {
    const [, hostAndPath = ''] = c.urlFilter.split('||');
    const slash = hostAndPath.indexOf('/');
    const host = hostAndPath.slice(0, slash);
    const path = hostAndPath.slice(slash);
    const u = new URL(href);
    if (!hostAndParents.includes(host)) return null;
    if (!`${u.pathname}${u.search}`.startsWith(path)) return null;
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
