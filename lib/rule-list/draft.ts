/**
 * From the school's list source to a rule-list document, and what an admin should look at before
 * publishing it: entries covered by others, domains in two categories the policy treats
 * differently, and what changed since the last published version. Pure; shared by
 * `steward rules build` (cli/rules.ts) and the admin server's list pages (server/lists.ts).
 */
import { parentDomains, type UrlPrefix } from '../domains.ts';
import { type CategoryMode, DEFAULT_POLICY } from '../policy.ts';
import { RULE_LIST_FORMAT, type RuleListCategory, type RuleListDocument } from './document.ts';

/** One category's entries while a list is being put together. */
export type CategoryDraft = {
  domains: Set<string>;
  urlPrefixes: Map<string, UrlPrefix>;
  sources: string[];
  /** Entries read from the sources, before duplicates were merged. */
  read: number;
};

export function emptyDraft(): CategoryDraft {
  return { domains: new Set(), urlPrefixes: new Map(), sources: [], read: 0 };
}

/** A URL-prefix string (`host/path`) back into its parts. */
export function splitPrefix(text: string): UrlPrefix {
  const slash = text.indexOf('/');
  return { host: text.slice(0, slash), path: text.slice(slash) };
}

/**
 * Sorted, deduplicated domains without those under a listed parent (`a.example.com` goes when
 * `example.com` is listed: it is blocked already), and URL prefixes without those on a listed
 * domain.
 */
export function dropCovered(
  d: CategoryDraft,
  onCovered: (child: string, parent: string) => void,
): { domains: string[]; urlPrefixes: string[] } {
  const coveringParent = (host: string, includeSelf: boolean): string | undefined => {
    if (includeSelf && d.domains.has(host)) return host;
    for (const parent of parentDomains(host)) if (d.domains.has(parent)) return parent;
    return undefined;
  };
  const domains: string[] = [];
  for (const domain of d.domains) {
    const parent = coveringParent(domain, false);
    if (parent === undefined) domains.push(domain);
    else onCovered(domain, parent);
  }
  const urlPrefixes: string[] = [];
  for (const [text, prefix] of d.urlPrefixes) {
    const host = prefix.host.startsWith('www.') ? prefix.host.slice(4) : prefix.host;
    const parent = coveringParent(host, true) ?? coveringParent(prefix.host, true);
    if (parent === undefined) urlPrefixes.push(text);
    else onCovered(text, parent);
  }
  return { domains: domains.sort(), urlPrefixes: urlPrefixes.sort() };
}

/** Something in a draft an admin should see before publishing. */
export type DraftFinding = {
  kind: 'mode-conflict' | 'covered' | 'allow-and-block';
  /** Plain English, one line. */
  message: string;
  /** How many entries this finding is about. */
  count: number;
  /** Up to five examples ("soundcloud.com: social (warn) and streaming (block)"). */
  examples: string[];
};

const MAX_EXAMPLES = 5;

/** Entries covered by a parent, collected while building a document. */
export type Covered = { entry: string; parent: string; where: string };

/**
 * Turn drafts into a document's categories (covered entries left out and returned), with labels
 * and clauses where given.
 */
export function categoriesFromDrafts(
  drafts: Map<string, CategoryDraft>,
  labels: ReadonlyMap<string, string>,
  clauses: ReadonlyMap<string, string>,
): { categories: Record<string, RuleListCategory>; covered: Covered[] } {
  const categories: Record<string, RuleListCategory> = {};
  const covered: Covered[] = [];
  for (const id of [...drafts.keys()].sort()) {
    const kept = dropCovered(drafts.get(id)!, (entry, parent) =>
      covered.push({ entry, parent, where: id }),
    );
    const category: RuleListCategory = { domains: kept.domains };
    const label = labels.get(id);
    const clause = clauses.get(id);
    if (label !== undefined) category.label = label;
    if (clause !== undefined) category.clause = clause;
    if (kept.urlPrefixes.length > 0) category.urlPrefixes = kept.urlPrefixes;
    categories[id] = category;
  }
  return { categories, covered };
}

/**
 * What to check before publishing: a domain in two categories whose modes differ (the more
 * specific rule wins in the browser, which is rarely what the school meant: SoundCloud in UT1's
 * social list and Steward's streaming list), entries left out because a parent covers them, and
 * allow-list entries that also appear on the block list (allow wins).
 *
 * `modes` is what the school's policy sets per category; categories not named are blocked (the
 * default policy).
 */
export function findingsOf(
  document: RuleListDocument,
  modes: Readonly<Record<string, CategoryMode>>,
  covered: readonly Covered[] = [],
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const modeOf = (id: string): CategoryMode =>
    modes[id] ?? DEFAULT_POLICY.categories[id] ?? 'block';

  // Domain → the categories listing it (exact match, or a listed parent in another category).
  const owners = new Map<string, string[]>();
  for (const [id, category] of Object.entries(document.categories)) {
    for (const domain of category.domains) {
      const list = owners.get(domain);
      if (list) list.push(id);
      else owners.set(domain, [id]);
    }
  }
  const conflicts: string[] = [];
  for (const [domain, ids] of owners) {
    const seen = new Set<string>(ids);
    for (const parent of parentDomains(domain)) {
      for (const id of owners.get(parent) ?? []) seen.add(id);
    }
    if (seen.size < 2) continue;
    const distinctModes = new Set([...seen].map(modeOf));
    if (distinctModes.size < 2) continue;
    conflicts.push(
      `${domain}: ${[...seen]
        .sort()
        .map((id) => `${id} (${modeOf(id)})`)
        .join(' and ')}`,
    );
  }
  if (conflicts.length > 0) {
    conflicts.sort();
    findings.push({
      kind: 'mode-conflict',
      message: `${n(conflicts.length)} ${plural(conflicts.length, 'domain is', 'domains are')} in two categories the policy treats differently; the more specific entry decides, so check which one you mean.`,
      count: conflicts.length,
      examples: conflicts.slice(0, MAX_EXAMPLES),
    });
  }

  if (covered.length > 0) {
    findings.push({
      kind: 'covered',
      message: `${n(covered.length)} ${plural(covered.length, 'entry was', 'entries were')} left out because a listed parent domain covers ${plural(covered.length, 'it', 'them')} already.`,
      count: covered.length,
      examples: covered
        .slice(0, MAX_EXAMPLES)
        .map((c) => `${c.entry} under ${c.parent} in ${c.where}`),
    });
  }

  const allowed = new Set(document.allowList ?? []);
  const both = (document.blockList ?? []).filter((entry) => {
    if (allowed.has(entry)) return true;
    const host = entry.split('/')[0]!;
    if (entry.includes('/') && allowed.has(host)) return true;
    for (const parent of parentDomains(host)) if (allowed.has(parent)) return true;
    return false;
  });
  if (both.length > 0) {
    findings.push({
      kind: 'allow-and-block',
      message: `${n(both.length)} block-list ${plural(both.length, 'entry is', 'entries are')} also allowed by the allow list, which wins: ${plural(both.length, 'it blocks', 'they block')} nothing.`,
      count: both.length,
      examples: both.slice(0, MAX_EXAMPLES),
    });
  }
  return findings;
}

/** What changed between two published versions, per part of the list. */
export type ListChange = { part: string; added: number; removed: number; examples: string[] };

export function changesBetween(
  before: RuleListDocument | null,
  after: RuleListDocument,
): ListChange[] {
  const parts = (doc: RuleListDocument | null): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    if (!doc) return map;
    for (const [id, c] of Object.entries(doc.categories)) {
      map.set(`category ${id}`, [...c.domains, ...(c.urlPrefixes ?? [])]);
    }
    map.set('allow list', doc.allowList ?? []);
    for (const [group, entries] of Object.entries(doc.groupAllowLists ?? {})) {
      map.set(`allow list for ${group}`, entries);
    }
    map.set('block list', doc.blockList ?? []);
    return map;
  };
  const old = parts(before);
  const now = parts(after);
  const changes: ListChange[] = [];
  for (const part of new Set([...old.keys(), ...now.keys()])) {
    const a = new Set(old.get(part) ?? []);
    const b = new Set(now.get(part) ?? []);
    const added = [...b].filter((x) => !a.has(x));
    const removed = [...a].filter((x) => !b.has(x));
    if (added.length === 0 && removed.length === 0) continue;
    changes.push({
      part,
      added: added.length,
      removed: removed.length,
      examples: [
        ...added.slice(0, 3).map((x) => `+ ${x}`),
        ...removed.slice(0, 3).map((x) => `− ${x}`),
      ],
    });
  }
  return changes.sort((x, y) => x.part.localeCompare(y.part));
}

/** A fresh document around the given categories and lists (empty lists left out). */
export function documentOf(
  version: number,
  issuedAt: Date,
  categories: Record<string, RuleListCategory>,
  allowList: readonly string[],
  blockList: readonly string[],
  expiresAt?: Date,
  groupAllowLists: Readonly<Record<string, readonly string[]>> = {},
): RuleListDocument {
  const document: RuleListDocument = {
    format: RULE_LIST_FORMAT,
    version,
    issuedAt: issuedAt.toISOString(),
    categories,
  };
  if (expiresAt) document.expiresAt = expiresAt.toISOString();
  if (allowList.length > 0) document.allowList = [...new Set(allowList)].sort();
  const groups = Object.keys(groupAllowLists)
    .filter((g) => groupAllowLists[g]!.length > 0)
    .sort();
  if (groups.length > 0) {
    document.groupAllowLists = Object.fromEntries(
      groups.map((g) => [g, [...new Set(groupAllowLists[g])].sort()]),
    );
  }
  if (blockList.length > 0) document.blockList = [...new Set(blockList)].sort();
  return document;
}

function n(x: number): string {
  return x.toLocaleString('en-GB');
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
