/**
 * The rule-list document (`steward.rule-list/1`): what an admin publishes at `ruleListUrl` for
 * every staff browser to enforce. Pure; used by the service worker, the admin CLI, the reference
 * server and the tests.
 *
 * ```json
 * {
 *   "format": "steward.rule-list/1",
 *   "version": 1787400000,                  // positive integer; each published list is higher
 *   "issuedAt": "2026-08-23T09:00:00Z",
 *   "expiresAt": "2026-09-22T09:00:00Z",    // optional: after this the list is refused
 *   "categories": {
 *     "gambling": { "domains": ["bet365.com"], "urlPrefixes": ["example.org/casino"] },
 *     "exams": { "label": "Exam boards", "clause": "…", "domains": ["…"] },
 *     "extremism": { "locked": true, "domains": ["…"] }   // locked: nothing in policy weakens it
 *   },
 *   "allowList": ["youtube.com/edu"],       // optional, like the policy key of the same name
 *   "groupAllowLists": {                    // optional: allowed only where the policy's
 *     "Oakfield Primary": ["bbc.co.uk/bitesize"] //   reportGroup is this group
 *   },
 *   "blockList": ["example.net"]            // optional
 * }
 * ```
 *
 * All or nothing: a list with any invalid entry is refused as a whole, with every problem named by
 * where it is (`categories.gambling.domains[1203]: "exa mple.com" is not a domain name`). A signed
 * list with garbage in it means the publisher's pipeline is broken; enforcing the part that parsed
 * would silently drop sites the school meant to block. The extension keeps the last good list.
 * (`steward rules build` skips bad *source* lines with a report, so what it publishes is clean.)
 */
import * as v from 'valibot';
import { normaliseDomain, normaliseEntry, type UrlPrefix } from '../domains.ts';
import { BUILT_IN_CATEGORIES, CATEGORY_ID } from '../policy.ts';
import { GROUP_RULE, isGroupName } from '../report/group.ts';
import { describeIssue, plainTypeMessage } from '../validation.ts';
import {
  type CompiledCategory,
  checkCompiledCategory,
  compareReversed,
  compileCategories,
  groupDepth,
  groupHas,
  MAX_GROUP_DEPTH,
} from './compiled.ts';

/** Domains listed per category, each entry checked and made canonical in the browser. */
export const RULE_LIST_FORMAT = 'steward.rule-list/1';
/**
 * Domains compiled by the publisher (lib/rule-list/compiled.ts): the browser takes them as they
 * are. Written by `steward rules build` and the admin server; Steward reads both formats.
 */
export const COMPILED_RULE_LIST_FORMAT = 'steward.rule-list/2';
export type RuleListFormat = typeof RULE_LIST_FORMAT | typeof COMPILED_RULE_LIST_FORMAT;

export const RULE_LIST_LIMITS = {
  /** Bytes of the JSON file. 2,000,000 domains of 25 characters are about 60 MB. */
  maxBytes: 64 * 1024 * 1024,
  /** Entries in total: every category's domains and URL prefixes, plus allow and block lists. */
  maxEntries: 2_000_000,
  maxCategories: 200,
  maxLabelLength: 80,
  maxClauseLength: 2_000,
  /** Groups with an allow list of their own (`groupAllowLists`). */
  maxGroups: 500,
} as const;

/** Problems listed in full before the rest are counted ("… and 41 more"). */
const MAX_REPORTED_ERRORS = 20;

const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const Timestamp = v.pipe(
  v.string(),
  v.check(
    (s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)),
    'must be an ISO 8601 date and time with a time zone, e.g. "2026-09-01T08:00:00Z"',
  ),
);

const CategorySchema = v.strictObject({
  label: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(RULE_LIST_LIMITS.maxLabelLength, 'is too long'),
    ),
  ),
  clause: v.optional(
    v.pipe(v.string(), v.maxLength(RULE_LIST_LIMITS.maxClauseLength, 'is too long')),
  ),
  domains: v.array(v.string()),
  urlPrefixes: v.optional(v.array(v.string())),
  locked: v.optional(v.boolean('must be true or false')),
});

const CompiledGroupSchema = v.strictObject({
  depth: v.pipe(
    v.number(),
    v.integer('must be a whole number'),
    v.minValue(1, 'must be 1 or more'),
    v.maxValue(MAX_GROUP_DEPTH, `must be ${MAX_GROUP_DEPTH} or less`),
  ),
  fingerprint: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex')),
  // Checked element by element in checkCompiledCategory: a schema walk over a million strings
  // would cost more than the rest of the update.
  domains: v.custom<string[]>((value) => Array.isArray(value), 'must be a list of domain names'),
});

const CompiledCategorySchema = v.strictObject({
  label: CategorySchema.entries.label,
  clause: CategorySchema.entries.clause,
  urlPrefixes: v.optional(v.array(v.string())),
  locked: CategorySchema.entries.locked,
  compiled: v.strictObject({
    groups: v.array(CompiledGroupSchema),
    related: v.array(v.string()),
  }),
});

const commonFields = {
  version: v.pipe(
    v.number(),
    v.integer('must be a whole number'),
    v.minValue(1, 'must be 1 or more'),
    v.maxValue(Number.MAX_SAFE_INTEGER, 'is too large'),
  ),
  issuedAt: Timestamp,
  expiresAt: v.optional(Timestamp),
  allowList: v.optional(v.array(v.string())),
  // Keys are checked in checkDocument (isGroupName), with the group named in the message.
  groupAllowLists: v.optional(v.record(v.string(), v.array(v.string()))),
  blockList: v.optional(v.array(v.string())),
};

const categoryIdKey = v.pipe(
  v.string(),
  v.regex(CATEGORY_ID, 'category ids are a-z, 0-9, "_" and "-", starting with a letter'),
);

const ChangesSchema = v.strictObject({
  since: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex')),
  sinceVersion: commonFields.version,
  // Each checked to be a canonical domain in validateCompiledRuleList.
  domains: v.array(v.string()),
});

const CompiledRuleListSchema = v.strictObject({
  format: v.literal(COMPILED_RULE_LIST_FORMAT),
  ...commonFields,
  categories: v.record(categoryIdKey, CompiledCategorySchema),
  changes: v.optional(ChangesSchema),
});

const RuleListSchema = v.strictObject({
  format: v.literal(RULE_LIST_FORMAT),
  ...commonFields,
  categories: v.record(categoryIdKey, CategorySchema),
});

export type RuleListCategory = {
  /** Display name; required for categories Steward does not ship. */
  label?: string;
  /** The school's policy clause shown on the block page for this category. */
  clause?: string;
  /** Canonical domains (lower case, punycode, no `www.`); empty when `compiled` holds them. */
  domains: string[];
  /** Canonical URL prefixes, `host/path` without scheme. */
  urlPrefixes?: string[];
  /** The publisher's compiled domains (format 2 only). */
  compiled?: CompiledCategory;
  /**
   * Always blocked, whatever the policy says: no mode, allow-list entry, Continue or personal-use
   * window weakens it (for IWF/CTIRU-style lists that must not be switched off once supplied).
   */
  locked?: boolean;
};

export type RuleListDocument = {
  format: RuleListFormat;
  version: number;
  issuedAt: string;
  expiresAt?: string;
  categories: Record<string, RuleListCategory>;
  allowList?: string[];
  /**
   * Allow-list entries for one group only (issue 12: an access request approved for a group).
   * The service worker adds a group's entries to the allow list only when its managed policy's
   * `reportGroup` is that group; every other browser ignores them.
   */
  groupAllowLists?: Record<string, string[]>;
  blockList?: string[];
  /**
   * Format 2, optional: what changed since an earlier version (`withChangesSince`). A browser
   * whose rules in force came from exactly that version (the SHA-256 of its bytes) may lay these
   * few domains over its rules in force as session rules (lib/overlay.ts) instead of re-sending
   * its dynamic rules.
   */
  changes?: RuleListChanges;
};

/** Every domain added to or removed from any category since the list with SHA-256 `since`. */
export type RuleListChanges = { since: string; sinceVersion: number; domains: string[] };

export type RuleListProblem = 'too-large' | 'bad-json' | 'invalid';

export type ParseRuleListResult =
  | { ok: true; document: RuleListDocument; entries: number }
  | { ok: false; problem: RuleListProblem; reason: string; errors: string[] };

const BUILT_IN = new Set<string>(BUILT_IN_CATEGORIES);

/** The built-in category ids; any other id in a list must carry a `label`. */
export function isBuiltInCategory(id: string): boolean {
  return BUILT_IN.has(id);
}

/**
 * Parse and validate the bytes of a rule list. Call only after `verifyRuleList` has accepted its
 * signature: these bytes are trusted only once their publisher is known.
 * Entries come back canonical (`WWW.Example.com` → `example.com`), so the compiler and "test a
 * URL" see exactly what is enforced.
 */
export function parseRuleList(bytes: Uint8Array): ParseRuleListResult {
  if (bytes.byteLength > RULE_LIST_LIMITS.maxBytes) {
    return fail('too-large', [
      `The rule list is ${megabytes(bytes.byteLength)}, over the limit of ${megabytes(RULE_LIST_LIMITS.maxBytes)}.`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail('bad-json', [`The rule list is not valid JSON (${detail}).`]);
  }
  return validateRuleList(json);
}

/** Validate an already-parsed JSON value (the server and tests build documents in memory). */
export function validateRuleList(json: unknown): ParseRuleListResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('invalid', ['The rule list is not a JSON object.']);
  }
  const format = (json as { format?: unknown }).format;
  if (format === COMPILED_RULE_LIST_FORMAT) return validateCompiledRuleList(json);
  if (format !== RULE_LIST_FORMAT) {
    const newer =
      typeof format === 'string' && format.startsWith('steward.rule-list/')
        ? ' It was made for a newer version of Steward.'
        : '';
    return fail('invalid', [
      `format: expected "${RULE_LIST_FORMAT}" or "${COMPILED_RULE_LIST_FORMAT}", found ${JSON.stringify(format) ?? 'nothing'}.${newer}`,
    ]);
  }
  const parsed = v.safeParse(RuleListSchema, json);
  if (!parsed.success) return fail('invalid', parsed.issues.map(describeRuleListIssue));
  return checkDocument(parsed.output, (id, category, errors) => ({
    domains: canonicalDomains(category.domains, `categories.${id}.domains`, errors),
  }));
}

/**
 * Format 2: the publisher compiled the domains. They are not normalised again (the signature says
 * who wrote them); the browser checks only what binary search relies on (checkCompiledCategory)
 * and that every `related` domain is one of the category's own.
 */
function validateCompiledRuleList(json: unknown): ParseRuleListResult {
  const parsed = v.safeParse(CompiledRuleListSchema, json);
  if (!parsed.success) return fail('invalid', parsed.issues.map(describeRuleListIssue));
  const checked = checkDocument(parsed.output, (id, category, errors) => {
    const where = `categories.${id}.compiled`;
    const compiled: CompiledCategory = category.compiled;
    errors.push(...checkCompiledCategory(where, compiled));
    const byDepth = new Map(compiled.groups.map((g) => [g.depth, g] as const));
    compiled.related.forEach((domain, i) => {
      const group = byDepth.get(groupDepth(domain));
      if (!group || !groupHas(group, domain)) {
        errors.push(`${where}.related[${i}]: ${JSON.stringify(domain)} is not in the category.`);
      }
    });
    return { domains: [], compiled };
  });
  const changes = parsed.output.changes;
  if (!checked.ok || changes === undefined) return checked;
  // A change list the browser would enforce by name must name canonical domains.
  const errors: string[] = [];
  changes.domains.forEach((domain, i) => {
    const canonical = normaliseDomain(domain);
    if (!canonical.ok || canonical.domain !== domain) {
      errors.push(`changes.domains[${i}]: ${JSON.stringify(domain)} is not a canonical domain.`);
    }
  });
  if (errors.length > 0) return fail('invalid', errors);
  checked.document.changes = changes;
  return checked;
}

/**
 * The publisher's side of the overlay (lib/overlay.ts): `next` (format 2) with the domains added
 * to or removed from any category since `previous` (either format), whose published bytes have
 * SHA-256 `previousSha256`. Compared as the compiled groups have them (covered subdomains dropped),
 * category by category, so a domain that moves between categories is listed too.
 */
export async function withChangesSince(
  next: RuleListDocument,
  previous: RuleListDocument,
  previousSha256: string,
): Promise<RuleListDocument> {
  const compiledNext =
    next.format === COMPILED_RULE_LIST_FORMAT ? next : await toCompiledRuleList(next);
  const compiledPrevious =
    previous.format === COMPILED_RULE_LIST_FORMAT ? previous : await toCompiledRuleList(previous);
  const domainsOf = (document: RuleListDocument, id: string): Set<string> =>
    new Set(document.categories[id]?.compiled?.groups.flatMap((g) => g.domains) ?? []);
  const changed = new Set<string>();
  const ids = new Set([
    ...Object.keys(compiledNext.categories),
    ...Object.keys(compiledPrevious.categories),
  ]);
  for (const id of ids) {
    const before = domainsOf(compiledPrevious, id);
    const after = domainsOf(compiledNext, id);
    for (const domain of after) if (!before.has(domain)) changed.add(domain);
    for (const domain of before) if (!after.has(domain)) changed.add(domain);
  }
  return {
    ...compiledNext,
    changes: {
      since: previousSha256,
      sinceVersion: previous.version,
      domains: [...changed].sort(compareReversed),
    },
  };
}

type CheckedFields = {
  version: number;
  issuedAt: string;
  expiresAt?: string | undefined;
  allowList?: string[] | undefined;
  groupAllowLists?: Record<string, string[]> | undefined;
  blockList?: string[] | undefined;
};

/** What both formats share: limits, labels, dates, URL prefixes, allow and block lists. */
type CheckedCategory = {
  locked?: boolean | undefined;
  label?: string | undefined;
  clause?: string | undefined;
  urlPrefixes?: string[] | undefined;
  domains?: string[];
  compiled?: CompiledCategory;
};

function checkDocument<C extends CheckedCategory>(
  raw: CheckedFields & { format: RuleListFormat; categories: Record<string, C> },
  domainsOf: (
    id: string,
    category: C,
    errors: string[],
  ) => { domains: string[]; compiled?: CompiledCategory },
): ParseRuleListResult {
  const errors: string[] = [];
  let total = (raw.allowList?.length ?? 0) + (raw.blockList?.length ?? 0);
  const groups = Object.keys(raw.groupAllowLists ?? {});
  for (const group of groups) total += raw.groupAllowLists![group]!.length;
  if (groups.length > RULE_LIST_LIMITS.maxGroups) {
    errors.push(
      `groupAllowLists: ${groups.length} groups, over the limit of ${RULE_LIST_LIMITS.maxGroups}.`,
    );
  }
  for (const group of groups) {
    if (!isGroupName(group)) {
      errors.push(
        `groupAllowLists: ${JSON.stringify(group)} is not a group name: use ${GROUP_RULE}.`,
      );
    }
  }
  const ids = Object.keys(raw.categories);
  if (ids.length > RULE_LIST_LIMITS.maxCategories) {
    errors.push(
      `categories: ${ids.length} categories, over the limit of ${RULE_LIST_LIMITS.maxCategories}.`,
    );
  }
  for (const id of ids) {
    const category = raw.categories[id]!;
    total += domainCount(category) + (category.urlPrefixes?.length ?? 0);
    if (!BUILT_IN.has(id) && category.label === undefined) {
      errors.push(
        `categories.${id}: "${id}" is not a built-in category (${BUILT_IN_CATEGORIES.join(', ')}), so it needs a "label" to show staff.`,
      );
    }
  }
  if (total > RULE_LIST_LIMITS.maxEntries) {
    return fail('too-large', [
      `The rule list has ${total.toLocaleString('en-GB')} entries, over the limit of ${RULE_LIST_LIMITS.maxEntries.toLocaleString('en-GB')}.`,
    ]);
  }
  if (raw.expiresAt !== undefined && Date.parse(raw.expiresAt) <= Date.parse(raw.issuedAt)) {
    errors.push('expiresAt: must be later than issuedAt.');
  }

  const categories: Record<string, RuleListCategory> = {};
  for (const id of ids) {
    const category = raw.categories[id]!;
    const out: RuleListCategory = domainsOf(id, category, errors);
    if (category.label !== undefined) out.label = category.label;
    if (category.clause !== undefined) out.clause = category.clause;
    if (category.locked === true) out.locked = true;
    if (category.urlPrefixes !== undefined) {
      out.urlPrefixes = canonicalPrefixes(
        category.urlPrefixes,
        `categories.${id}.urlPrefixes`,
        errors,
      );
    }
    categories[id] = out;
  }
  const document: RuleListDocument = {
    format: raw.format,
    version: raw.version,
    issuedAt: raw.issuedAt,
    categories,
  };
  if (raw.expiresAt !== undefined) document.expiresAt = raw.expiresAt;
  if (raw.allowList !== undefined)
    document.allowList = canonicalEntries(raw.allowList, 'allowList', errors);
  if (raw.groupAllowLists !== undefined) {
    const byGroup: Record<string, string[]> = {};
    for (const group of groups) {
      byGroup[group] = canonicalEntries(
        raw.groupAllowLists[group]!,
        `groupAllowLists[${JSON.stringify(group)}]`,
        errors,
      );
    }
    document.groupAllowLists = byGroup;
  }
  if (raw.blockList !== undefined)
    document.blockList = canonicalEntries(raw.blockList, 'blockList', errors);
  if (errors.length > 0) return fail('invalid', errors);
  return { ok: true, document, entries: total };
}

/** A category's domains, in either format. */
export function domainCount(category: {
  domains?: readonly string[];
  compiled?: { groups: readonly { domains: readonly string[] }[] };
}): number {
  if (category.compiled) {
    let n = 0;
    for (const group of category.compiled.groups) n += group.domains.length;
    return n;
  }
  return category.domains?.length ?? 0;
}

function canonicalDomains(list: string[], where: string, errors: string[]): string[] {
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const result = normaliseDomain(entry);
    if (result.ok) {
      out[i] = result.domain;
      continue;
    }
    const asEntry = /[/:?#]/.test(entry) ? normaliseEntry(entry) : null;
    const reason =
      asEntry?.ok && asEntry.kind === 'urlPrefix'
        ? `${JSON.stringify(entry)} is a URL prefix: list it under "urlPrefixes"`
        : result.reason;
    errors.push(`${where}[${i}]: ${reason}.`);
  }
  return out;
}

function canonicalPrefixes(list: string[], where: string, errors: string[]): string[] {
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const result = normaliseEntry(list[i]!);
    if (!result.ok) errors.push(`${where}[${i}]: ${result.reason}.`);
    else if (result.kind === 'domain') {
      errors.push(
        `${where}[${i}]: ${JSON.stringify(list[i])} is a whole domain, not a URL prefix: list it under "domains".`,
      );
    } else out[i] = urlPrefixToString(result.prefix);
  }
  return out;
}

function canonicalEntries(list: string[], where: string, errors: string[]): string[] {
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const result = normaliseEntry(list[i]!);
    if (!result.ok) errors.push(`${where}[${i}]: ${result.reason}.`);
    else out[i] = result.kind === 'domain' ? result.domain : urlPrefixToString(result.prefix);
  }
  return out;
}

/** `{ host: 'youtube.com', path: '/edu' }` → `youtube.com/edu`, the form lists and policy use. */
export function urlPrefixToString(prefix: UrlPrefix): string {
  return `${prefix.host}${prefix.path}`;
}

/**
 * A validated document's categories in the compiler's shape (`CategoryList` in lib/compiler.ts).
 * Entries are already canonical, so this only splits URL prefixes into host and path.
 */
export function categoryListsOf(
  document: RuleListDocument,
): Record<string, { domains: string[]; urlPrefixes: UrlPrefix[] }> {
  const lists: Record<string, { domains: string[]; urlPrefixes: UrlPrefix[] }> = {};
  for (const [id, category] of Object.entries(document.categories)) {
    const urlPrefixes: UrlPrefix[] = [];
    for (const prefix of category.urlPrefixes ?? []) {
      const slash = prefix.indexOf('/');
      urlPrefixes.push({ host: prefix.slice(0, slash), path: prefix.slice(slash) });
    }
    lists[id] = { domains: category.domains, urlPrefixes };
  }
  return lists;
}

/** The publisher's compiled categories of a format-2 list (none for format 1). */
export function compiledCategoriesOf(document: RuleListDocument): Record<string, CompiledCategory> {
  const out: Record<string, CompiledCategory> = {};
  for (const [id, category] of Object.entries(document.categories)) {
    if (category.compiled) out[id] = category.compiled;
  }
  return out;
}

/**
 * A format-1 document (canonical domains, as `steward rules build` and the server assemble it) as
 * format 2: each category's domains compiled by lib/rule-list/compiled.ts. Same rules in force.
 */
export async function toCompiledRuleList(document: RuleListDocument): Promise<RuleListDocument> {
  const domains: Record<string, string[]> = {};
  for (const [id, category] of Object.entries(document.categories)) {
    domains[id] = category.compiled
      ? category.compiled.groups.flatMap((g) => g.domains)
      : category.domains;
  }
  const compiled = await compileCategories(domains);
  const categories: Record<string, RuleListCategory> = {};
  for (const [id, category] of Object.entries(document.categories)) {
    const { domains: _listed, compiled: _old, ...rest } = category;
    categories[id] = { ...rest, domains: [], compiled: compiled[id]! };
  }
  return { ...document, format: COMPILED_RULE_LIST_FORMAT, categories };
}

/**
 * The list's allow-list entries in force for a browser of this group: everyone's, plus its
 * group's own. `group` comes from the managed policy (`reportGroup`), never from a page.
 */
export function allowListFor(document: RuleListDocument, group: string | undefined): string[] {
  const lists = document.groupAllowLists;
  // Own keys only: a group named like an Object.prototype member must not match anything.
  const own =
    group !== undefined && lists && Object.hasOwn(lists, group) ? lists[group] : undefined;
  return own ? [...(document.allowList ?? []), ...own] : (document.allowList ?? []);
}

/** The categories the list locks (always blocked, above the policy's allow list). */
export function lockedCategoriesOf(document: RuleListDocument): string[] {
  return Object.entries(document.categories)
    .filter(([, category]) => category.locked === true)
    .map(([id]) => id)
    .sort();
}

/**
 * The text `steward rules build` writes: one entry per line, so a list can be reviewed with
 * `diff` between versions, without the indentation of `JSON.stringify(…, 2)` that would add 8
 * bytes to each of a million domains. Always valid JSON.
 */
export function serialiseRuleList(document: RuleListDocument): string {
  const array = (items: string[], indent: string) =>
    items.length === 0 ? '[]' : `[\n${items.map((s) => JSON.stringify(s)).join(',\n')}\n${indent}]`;
  const out: string[] = ['{'];
  out.push(`  "format": ${JSON.stringify(document.format)},`);
  out.push(`  "version": ${document.version},`);
  out.push(`  "issuedAt": ${JSON.stringify(document.issuedAt)},`);
  if (document.expiresAt !== undefined) {
    out.push(`  "expiresAt": ${JSON.stringify(document.expiresAt)},`);
  }
  const ids = Object.keys(document.categories).sort();
  const categories = ids.map((id) => {
    const c = document.categories[id]!;
    const fields: string[] = [];
    if (c.label !== undefined) fields.push(`      "label": ${JSON.stringify(c.label)}`);
    if (c.clause !== undefined) fields.push(`      "clause": ${JSON.stringify(c.clause)}`);
    if (c.locked === true) fields.push('      "locked": true');
    if (document.format === RULE_LIST_FORMAT) {
      fields.push(`      "domains": ${array(c.domains, '      ')}`);
    }
    if (c.urlPrefixes !== undefined) {
      fields.push(`      "urlPrefixes": ${array(c.urlPrefixes, '      ')}`);
    }
    if (document.format === COMPILED_RULE_LIST_FORMAT) {
      const compiled = c.compiled ?? { groups: [], related: [] };
      const groups = compiled.groups.map(
        (g) =>
          `        { "depth": ${g.depth}, "fingerprint": ${JSON.stringify(g.fingerprint)}, "domains": ${array(g.domains, '        ')} }`,
      );
      fields.push(
        `      "compiled": {\n        "groups": ${groups.length === 0 ? '[]' : `[\n${groups.join(',\n')}\n        ]`},\n        "related": ${array(compiled.related, '        ')}\n      }`,
      );
    }
    return `    ${JSON.stringify(id)}: {\n${fields.join(',\n')}\n    }`;
  });
  const tail: string[] = [];
  if (document.allowList !== undefined)
    tail.push(`  "allowList": ${array(document.allowList, '  ')}`);
  if (document.groupAllowLists !== undefined) {
    const groups = Object.keys(document.groupAllowLists)
      .sort()
      .map((g) => `    ${JSON.stringify(g)}: ${array(document.groupAllowLists![g]!, '    ')}`);
    tail.push(
      `  "groupAllowLists": ${groups.length === 0 ? '{}' : `{\n${groups.join(',\n')}\n  }`}`,
    );
  }
  if (document.blockList !== undefined)
    tail.push(`  "blockList": ${array(document.blockList, '  ')}`);
  if (document.changes !== undefined && document.format === COMPILED_RULE_LIST_FORMAT) {
    const c = document.changes;
    tail.push(
      `  "changes": {\n    "since": ${JSON.stringify(c.since)},\n    "sinceVersion": ${c.sinceVersion},\n    "domains": ${array(c.domains, '    ')}\n  }`,
    );
  }
  out.push(
    `  "categories": ${categories.length === 0 ? '{}' : `{\n${categories.join(',\n')}\n  }`}${tail.length > 0 ? ',' : ''}`,
  );
  if (tail.length > 0) out.push(tail.join(',\n'));
  out.push('}');
  return `${out.join('\n')}\n`;
}

function fail(problem: RuleListProblem, errors: string[]): ParseRuleListResult {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  const more = errors.length - shown.length;
  const first = errors[0] ?? 'The rule list is not valid.';
  const reason =
    errors.length === 1
      ? first
      : `${first.replace(/\.$/, '')} (and ${errors.length - 1} more problem${errors.length === 2 ? '' : 's'}).`;
  return {
    ok: false,
    problem,
    reason,
    errors: more > 0 ? [...shown, `… and ${more.toLocaleString('en-GB')} more.`] : shown,
  };
}

function describeRuleListIssue(issue: v.BaseIssue<unknown>): string {
  let message = plainTypeMessage(issue.message);
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.input !== undefined) {
    message = 'is not a field of a rule list (check its spelling)';
  }
  if (issue.type === 'strict_object' && issue.input === undefined) message = 'is missing';
  return describeIssue(issue, { message, fullStop: true });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
