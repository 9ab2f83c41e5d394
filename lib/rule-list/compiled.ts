/**
 * The compiled section of a rule list (`steward.rule-list/2`): each category's domains as the
 * publisher's machine prepared them, so that a staff laptop applies a million-domain list without
 * parsing, normalising or comparing a million domains.
 *
 * For each category the publisher (`steward rules build`, the admin server) writes:
 *
 *  - `groups`: the category's domains, canonical (lower case, punycode, no `www.`), without
 *    duplicates and without subdomains that a listed parent in the same category already covers,
 *    split by depth (number of labels, the compiler's measure of specificity: one DNR rule per
 *    depth) and sorted by their characters read from the end (`compareReversed`), so that a domain
 *    and all its subdomains sit next to each other and can be found by binary search;
 *  - a `fingerprint` per group (SHA-256 of its domains joined by newlines), so an update can tell
 *    which groups changed without hashing them again;
 *  - `related`: the domains of this category that another category of the same list also lists, or
 *    lists a parent or subdomain of. Only these need the compiler's domain-by-domain comparison;
 *    every other domain of a blocked or warned category becomes part of its group's rule as it is.
 *
 * What the publisher cannot know (the school's policy modes, its allow and block lists, the
 * categories built into the extension) is checked in the browser by looking each of those few
 * entries up in the sorted groups (`relatedToEntries`). The result is exactly what the compiler
 * would make of the same domains listed in the old format: tests/unit/compiled-list.test.ts
 * checks that on random lists.
 *
 * Pure: no browser or Node APIs (SHA-256 through WebCrypto, which both have).
 */
import { domainDepth, parentDomains } from '../domains.ts';

/** Depths above this share one group (and one DNR priority): DNS allows 127 labels. */
export const MAX_GROUP_DEPTH = 127;

export type CompiledGroup = {
  /** Labels in each domain of the group (capped at MAX_GROUP_DEPTH). */
  depth: number;
  /** SHA-256 (hex) of the group's domains joined by "\n", as written by the publisher. */
  fingerprint: string;
  /** Canonical domains, sorted by `compareReversed`. */
  domains: string[];
};

export type CompiledCategory = {
  groups: CompiledGroup[];
  /** Domains of this category that another category of the list also lists, or is related to. */
  related: string[];
};

export const groupDepth = (domain: string): number =>
  Math.min(domainDepth(domain), MAX_GROUP_DEPTH);

/**
 * Order two domains by their characters from the last to the first, so `example.com`,
 * `a.example.com` and `b.example.com` are neighbours (`moc.elpmaxe`, `moc.elpmaxe.a`, …). No
 * allocation: this runs inside binary searches over a million domains.
 */
export function compareReversed(a: string, b: string): number {
  let i = a.length - 1;
  let j = b.length - 1;
  while (i >= 0 && j >= 0) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d;
    i--;
    j--;
  }
  return i - j;
}

/**
 * Index of the first domain not ordered before `key` (binary search), searching from `from` (a
 * caller looking up names in ascending order passes the last answer, so a walk over many names
 * crosses the array once). Gallops from `from` first: the next name is usually near.
 */
export function lowerBound(domains: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = domains.length;
  if (lo >= hi || compareReversed(domains[lo]!, key) >= 0) return lo;
  // domains[lo] is before key: step 1, 2, 4, … past it while still before, to bound the answer.
  let step = 1;
  while (lo + step < hi && compareReversed(domains[lo + step]!, key) < 0) {
    lo += step;
    step *= 2;
  }
  hi = Math.min(hi, lo + step);
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareReversed(domains[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The domains by group depth, each depth's sorted as a publisher's group is (compareReversed). */
export function sortedByDepth(domains: Iterable<string>): Map<number, string[]> {
  const byDepth = new Map<number, string[]>();
  for (const domain of domains) {
    const depth = groupDepth(domain);
    const same = byDepth.get(depth);
    if (same) same.push(domain);
    else byDepth.set(depth, [domain]);
  }
  for (const same of byDepth.values()) same.sort(compareReversed);
  return byDepth;
}

/**
 * Calls `found` for each of `names` that `domains` holds, both sorted by `compareReversed`: one
 * walk, each name found by galloping on from the last (many names against a big group cost a
 * fraction of a binary search each).
 */
export function forEachNameIn(
  domains: readonly string[],
  names: readonly string[],
  found: (name: string) => void,
): void {
  let at = 0;
  for (const name of names) {
    at = lowerBound(domains, name, at);
    if (at === domains.length) return;
    if (domains[at] === name) found(name);
  }
}

/** Domains as suffixes (`.example.com`), sorted by compareReversed, each with its depth. */
export type SortedSuffixes = { suffixes: string[]; depths: number[] };

export function suffixesOf(domains: Iterable<string>): SortedSuffixes {
  const suffixes = [...domains].map((domain) => `.${domain}`).sort(compareReversed);
  return { suffixes, depths: suffixes.map((suffix) => groupDepth(suffix.slice(1))) };
}

/**
 * Calls `found` for each domain of the group under one of the suffixes: each suffix's subdomains
 * are one run of the sorted group, found by galloping on from the last (only groups deeper than
 * a suffix's domain can hold its subdomains).
 */
export function forEachSubdomainIn(
  group: { depth: number; domains: readonly string[] },
  below: SortedSuffixes,
  found: (domain: string) => void,
): void {
  const { domains } = group;
  let at = 0;
  for (let k = 0; k < below.suffixes.length; k++) {
    if (group.depth <= below.depths[k]!) continue;
    const suffix = below.suffixes[k]!;
    at = lowerBound(domains, suffix, at);
    if (at === domains.length) return;
    for (let i = at; i < domains.length && domains[i]!.endsWith(suffix); i++) found(domains[i]!);
  }
}

/**
 * The group's domains without those in `drop` (a few among a million): each is found by binary
 * search and the rest is copied in slices, in order, with no call per domain.
 */
export function groupWithout(group: CompiledGroup, drop: Iterable<string>): string[] {
  const at: number[] = [];
  for (const domain of drop) {
    if (groupDepth(domain) !== group.depth) continue;
    const i = lowerBound(group.domains, domain);
    if (group.domains[i] === domain) at.push(i);
  }
  if (at.length === 0) return group.domains;
  at.sort((a, b) => a - b);
  const slices: string[][] = [];
  let from = 0;
  for (const i of at) {
    if (i > from) slices.push(group.domains.slice(from, i));
    from = i + 1;
  }
  slices.push(group.domains.slice(from));
  return ([] as string[]).concat(...slices);
}

/** Is `domain` in these domains (sorted by `compareReversed`, as a publisher's group is)? */
export function sortedHas(domains: readonly string[], domain: string): boolean {
  const i = lowerBound(domains, domain);
  return i < domains.length && domains[i] === domain;
}

/** Is `domain` in the (sorted) group? */
export function groupHas(group: CompiledGroup, domain: string): boolean {
  return sortedHas(group.domains, domain);
}

/**
 * The proper subdomains of `domain` in a sorted group: they all end in `.domain`, so they are one
 * run starting where `.domain` would be.
 */
export function subdomainsIn(group: CompiledGroup, domain: string): string[] {
  const suffix = `.${domain}`;
  const out: string[] = [];
  for (let i = lowerBound(group.domains, suffix); i < group.domains.length; i++) {
    const candidate = group.domains[i]!;
    if (!candidate.endsWith(suffix)) break;
    out.push(candidate);
  }
  return out;
}

async function fingerprintOf(domains: string[]): Promise<string> {
  const bytes = new TextEncoder().encode(domains.join('\n'));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The publisher's side: canonical domains per category (as `steward rules build` has them after
 * parsing) → the compiled section. Drops duplicates and subdomains covered within a category,
 * groups by depth, sorts, fingerprints and marks the domains related across categories.
 */
export async function compileCategories(
  categories: Record<string, readonly string[]>,
): Promise<Record<string, CompiledCategory>> {
  // Which categories list each domain (after dropping covered subdomains).
  const owners = new Map<string, string[]>();
  const kept: Record<string, string[]> = {};
  for (const [id, domains] of Object.entries(categories)) {
    const set = new Set(domains);
    const out: string[] = [];
    for (const domain of set) {
      let covered = false;
      for (const parent of parentDomains(domain)) {
        if (set.has(parent)) {
          covered = true;
          break;
        }
      }
      if (covered) continue;
      out.push(domain);
      const list = owners.get(domain);
      if (list) list.push(id);
      else owners.set(domain, [id]);
    }
    kept[id] = out;
  }
  // Related: listed by two categories, or with a parent listed by another category (and then the
  // parent is related too).
  const related = new Map<string, Set<string>>();
  const mark = (id: string, domain: string) => {
    const set = related.get(id) ?? new Set<string>();
    related.set(id, set);
    set.add(domain);
  };
  for (const [domain, ids] of owners) {
    if (ids.length > 1) for (const id of ids) mark(id, domain);
    for (const parent of parentDomains(domain)) {
      const parentOwners = owners.get(parent);
      if (!parentOwners) continue;
      for (const parentOwner of parentOwners) {
        for (const id of ids) {
          if (id === parentOwner) continue;
          mark(id, domain);
          mark(parentOwner, parent);
        }
      }
    }
  }
  const out: Record<string, CompiledCategory> = {};
  for (const [id, domains] of Object.entries(kept)) {
    const byDepth = sortedByDepth(domains);
    const groups: CompiledGroup[] = [];
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      const sorted = byDepth.get(depth)!;
      groups.push({ depth, fingerprint: await fingerprintOf(sorted), domains: sorted });
    }
    out[id] = { groups, related: [...(related.get(id) ?? [])].sort(compareReversed) };
  }
  return out;
}

/**
 * Entries (built-in categories' domains, allow and block lists) sorted for `relatedToEntries`: the
 * entries and their parents by depth, and the entries as suffixes, each sorted as the groups are.
 * The same few thousand entries at every update (the built-in lists change with a release), so the
 * compiler keeps the last index and makes a new one only when the entries differ (`indexFor`).
 */
export class EntryIndex {
  readonly namesByDepth: Map<number, string[]>;
  readonly below: SortedSuffixes;
  constructor(entries: Iterable<string>) {
    const unique = new Set(entries);
    // The entries and their parents, looked up by name; the entries, for their subdomains.
    const names = new Set(unique);
    for (const entry of unique) for (const parent of parentDomains(entry)) names.add(parent);
    this.namesByDepth = sortedByDepth(names);
    this.below = suffixesOf(unique);
  }
}

let lastIndex: { key: string; index: EntryIndex } | null = null;

/**
 * The index of these entries: the last one made when the entries are the same, in the same order
 * (compared as one joined text, a few tens of kilobytes), else a new one. Nothing reads an index
 * but `relatedToEntries`, which never changes it.
 */
export function indexFor(entries: readonly string[]): EntryIndex {
  const key = entries.join('\n');
  if (lastIndex?.key !== key) lastIndex = { key, index: new EntryIndex(entries) };
  return lastIndex.index;
}

/**
 * The browser's side: the compiled category's domains that are the same as, a parent of, or a
 * subdomain of any of `entries` (the built-in categories' domains, the allow and block lists).
 * The entries and their parents, by depth and sorted as the groups are, walk each group once;
 * so do the entries as suffixes (`.example.com`) for the runs of subdomains in deeper groups. One
 * binary search per entry and group was most of a reconcile's planning with a 100k list.
 */
export function relatedToEntries(
  category: CompiledCategory,
  entries: Iterable<string> | EntryIndex,
): string[] {
  const found = new Set<string>();
  const { namesByDepth, below } = entries instanceof EntryIndex ? entries : new EntryIndex(entries);
  for (const group of category.groups) {
    const same = namesByDepth.get(group.depth);
    if (same) forEachNameIn(group.domains, same, (name) => found.add(name));
    forEachSubdomainIn(group, below, (domain) => found.add(domain));
  }
  return [...found];
}

/**
 * Checks the browser can make cheaply before trusting a compiled section for binary search (the
 * signature already proves who wrote it): depths in range and unique, domains strings, each group
 * sorted and at its depth. Returns the problems, named by where they are.
 */
export function checkCompiledCategory(where: string, category: CompiledCategory): string[] {
  const errors: string[] = [];
  const seen = new Set<number>();
  category.groups.forEach((group, g) => {
    const at = `${where}.groups[${g}]`;
    if (seen.has(group.depth)) errors.push(`${at}: a second group of depth ${group.depth}.`);
    seen.add(group.depth);
    const problem = firstOutOfPlace(group.depth, group.domains);
    if (problem === null) return;
    const { index, reason } = problem;
    const domain: unknown = group.domains[index];
    errors.push(
      reason === 'not a name'
        ? `${at}.domains[${index}]: must be a domain name.`
        : reason === 'order'
          ? `${at}.domains[${index}]: ${JSON.stringify(domain)} is out of order or repeated.`
          : `${at}.domains[${index}]: ${JSON.stringify(domain)} is not of depth ${group.depth}.`,
    );
  });
  return errors;
}

/**
 * The first name of a group that is not a non-empty string, not after its neighbour in
 * `compareReversed` order, or not of the group's depth (`groupDepth`), or null. One loop with no
 * call per name: it runs over every published name before a list is applied, often in a worker
 * just started (cold code). 100k names, Node 20, bundled, CPU medians of 4 processes on a loaded
 * machine (h31-update): first run ~10 ms against ~13 ms with `compareReversed` and `groupDepth`
 * called per name, warm 4.4 against 4.7 ms. The depth is exactly depth − 1 dots (at least, in
 * the last group), found by `indexOf`, which searches natively. The unit test holds it to the
 * per-name definition.
 */
function firstOutOfPlace(
  depth: number,
  domains: readonly unknown[],
): { index: number; reason: 'not a name' | 'order' | 'depth' } | null {
  const last = depth >= MAX_GROUP_DEPTH;
  let previous = '';
  for (let i = 0; i < domains.length; i++) {
    const domain = domains[i];
    if (typeof domain !== 'string' || domain.length === 0)
      return { index: i, reason: 'not a name' };
    if (i > 0) {
      // compareReversed(previous, domain) < 0, inline.
      let a = previous.length - 1;
      let b = domain.length - 1;
      let d = 0;
      while (a >= 0 && b >= 0) {
        d = previous.charCodeAt(a) - domain.charCodeAt(b);
        if (d !== 0) break;
        a--;
        b--;
      }
      if (d === 0 ? a >= b : d > 0) return { index: i, reason: 'order' };
    }
    let dot = -1;
    for (let k = 1; k < depth; k++) {
      dot = domain.indexOf('.', dot + 1);
      if (dot === -1) return { index: i, reason: 'depth' };
    }
    if (!last && domain.indexOf('.', dot + 1) !== -1) return { index: i, reason: 'depth' };
    previous = domain;
  }
  return null;
}
