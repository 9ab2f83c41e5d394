/**
 * The change document (`steward.rule-changes/1`): a small signed file published next to a rule
 * list, saying exactly which domains one version added to and removed from each category since the
 * version before. A browser whose rules came from that version applies the change as an overlay of
 * session rules (lib/overlay.ts) without downloading, verifying or reading the whole list.
 *
 * Published at `<list URL>.changes`, signed like the list (`<list URL>.changes.sig`, ECDSA P-256
 * over the exact bytes, same key). docs/rule-lists.md describes the format and the rules below.
 *
 * What it carries, and why:
 *  - `since` / `sinceVersion`: the SHA-256 of the previous list's bytes and its version. Used only
 *    by a browser whose list in force has exactly that SHA-256 (a document replayed against
 *    another base names another `since`);
 *  - `result` / `version`: the SHA-256 and version of the full list this change leads to. The
 *    browser records that list as the one in force, fetches it in the background, and treats a
 *    list with another SHA-256 as a new list (the full path);
 *  - per category `added` and `removed`: canonical domains as the compiled groups have them
 *    (covered subdomains dropped), so a domain moving between categories appears in both;
 *  - `context`: per category, the domains the NEW list lists that are a changed domain, one of its
 *    parents, or one of its subdomains. The verdict of every host at or under a changed domain
 *    depends only on these (the nearest listed parent, the strictest category listing a domain),
 *    so the browser computes the new verdicts from them and the policy it enforces, with no copy of
 *    the million other domains.
 *
 * The publisher writes a change document only when nothing but category domains changed (no
 * label, clause, URL prefix, allow or block list, locked flag or category added or removed) and no
 * locked category changed; otherwise the browser takes the full list. Pure: no browser or Node API.
 */
import { normaliseDomain } from '../domains.ts';
import { CATEGORY_ID } from '../policy.ts';
import { type CompiledCategory, compareReversed, relatedToEntries } from './compiled.ts';
import {
  COMPILED_RULE_LIST_FORMAT,
  type RuleListDocument,
  toCompiledRuleList,
} from './document.ts';

export const CHANGE_DOCUMENT_FORMAT = 'steward.rule-changes/1';

/** At most this many bytes and names: a change bigger than this is a full update anyway. */
export const CHANGE_DOCUMENT_LIMITS = { maxBytes: 8 * 1024 * 1024, maxNames: 200_000 } as const;

export type CategoryChanges = { added: string[]; removed: string[] };

export type ChangeDocument = {
  format: typeof CHANGE_DOCUMENT_FORMAT;
  /** The version this change leads to. */
  version: number;
  issuedAt: string;
  expiresAt?: string;
  /** SHA-256 (hex) of the bytes of the list the change starts from, and its version. */
  since: string;
  sinceVersion: number;
  /** SHA-256 (hex) of the bytes of the full list the change leads to (version `version`). */
  result: string;
  categories: Record<string, CategoryChanges>;
  /** Per category: the new list's domains at, above or under a changed domain. */
  context: Record<string, string[]>;
};

/** `…/list.json` → `…/list.json.changes` (before any query string). */
export function changesUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname}.changes`;
  return parsed.toString();
}

/** Every domain the document changes, in any category (the overlay's cover). */
export function changedDomains(document: ChangeDocument): string[] {
  const out = new Set<string>();
  for (const { added, removed } of Object.values(document.categories)) {
    for (const d of added) out.add(d);
    for (const d of removed) out.add(d);
  }
  return [...out];
}

export type ParseChangesResult =
  | { ok: true; document: ChangeDocument }
  | { ok: false; reason: string; errors: string[] };

const SHA256 = /^[0-9a-f]{64}$/;
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isVersion = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;

/**
 * Read and check a change document's bytes. Call only after its signature has been verified.
 * Every name must be canonical (the browser enforces these names as they are), the versions must
 * move forward, and the hashes must be SHA-256s; any problem refuses the whole document.
 */
export function parseChangeDocument(bytes: Uint8Array): ParseChangesResult {
  const fail = (errors: string[]): ParseChangesResult => ({
    ok: false,
    reason: errors[0] ?? 'The change document is not valid.',
    errors: errors.slice(0, 20),
  });
  if (bytes.byteLength > CHANGE_DOCUMENT_LIMITS.maxBytes) {
    return fail([`The change document is over ${CHANGE_DOCUMENT_LIMITS.maxBytes} bytes.`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return fail([`The change document is not valid JSON (${String(error)}).`]);
  }
  if (!isRecord(json)) return fail(['The change document is not a JSON object.']);
  const errors: string[] = [];
  if (json.format !== CHANGE_DOCUMENT_FORMAT) {
    errors.push(
      `format: expected "${CHANGE_DOCUMENT_FORMAT}", found ${JSON.stringify(json.format) ?? 'nothing'}.`,
    );
  }
  const known = new Set([
    'format',
    'version',
    'issuedAt',
    'expiresAt',
    'since',
    'sinceVersion',
    'result',
    'categories',
    'context',
  ]);
  for (const key of Object.keys(json)) if (!known.has(key)) errors.push(`${key}: not expected.`);
  if (!isVersion(json.version)) errors.push('version: must be a whole number, 1 or more.');
  if (!isVersion(json.sinceVersion))
    errors.push('sinceVersion: must be a whole number, 1 or more.');
  if (isVersion(json.version) && isVersion(json.sinceVersion) && json.version <= json.sinceVersion)
    errors.push(`version: ${json.version} must be higher than sinceVersion ${json.sinceVersion}.`);
  for (const key of ['since', 'result'] as const) {
    if (typeof json[key] !== 'string' || !SHA256.test(json[key] as string))
      errors.push(`${key}: must be a SHA-256 in hex.`);
  }
  for (const key of ['issuedAt', 'expiresAt'] as const) {
    const value = json[key];
    if (value === undefined && key === 'expiresAt') continue;
    if (typeof value !== 'string' || !Number.isFinite(Date.parse(value)))
      errors.push(`${key}: must be a date and time (ISO 8601).`);
  }
  let names = 0;
  const canonicalList = (value: unknown, where: string): string[] => {
    if (!Array.isArray(value)) {
      errors.push(`${where}: must be a list of domain names.`);
      return [];
    }
    names += value.length;
    value.forEach((domain, i) => {
      const canonical = typeof domain === 'string' ? normaliseDomain(domain) : null;
      if (!canonical?.ok || canonical.domain !== domain) {
        errors.push(`${where}[${i}]: ${JSON.stringify(domain)} is not a canonical domain.`);
      }
    });
    return value as string[];
  };
  const categories: Record<string, CategoryChanges> = {};
  if (!isRecord(json.categories)) errors.push('categories: must be an object.');
  else {
    for (const [id, value] of Object.entries(json.categories)) {
      const where = `categories.${id}`;
      if (!CATEGORY_ID.test(id)) errors.push(`${where}: not a category id.`);
      if (!isRecord(value)) {
        errors.push(`${where}: must be an object with "added" and "removed".`);
        continue;
      }
      for (const key of Object.keys(value))
        if (key !== 'added' && key !== 'removed') errors.push(`${where}.${key}: not expected.`);
      const added = canonicalList(value.added, `${where}.added`);
      const removed = canonicalList(value.removed, `${where}.removed`);
      const addedSet = new Set(added);
      for (const domain of removed) {
        if (addedSet.has(domain)) errors.push(`${where}: ${domain} is both added and removed.`);
      }
      categories[id] = { added, removed };
    }
  }
  const context: Record<string, string[]> = {};
  if (!isRecord(json.context)) errors.push('context: must be an object.');
  else {
    for (const [id, value] of Object.entries(json.context)) {
      if (!CATEGORY_ID.test(id)) errors.push(`context.${id}: not a category id.`);
      context[id] = canonicalList(value, `context.${id}`);
    }
  }
  if (names > CHANGE_DOCUMENT_LIMITS.maxNames) {
    errors.push(
      `The change document names ${names} domains, over ${CHANGE_DOCUMENT_LIMITS.maxNames}.`,
    );
  }
  // Every added domain is listed by its category in the new list, so it is in the context.
  for (const [id, { added }] of Object.entries(categories)) {
    const inContext = new Set(context[id] ?? []);
    const missing = added.find((d) => !inContext.has(d));
    if (missing) errors.push(`context.${id}: lacks ${missing}, which categories.${id} adds.`);
  }
  if (errors.length > 0) return fail(errors);
  const document: ChangeDocument = {
    format: CHANGE_DOCUMENT_FORMAT,
    version: json.version as number,
    issuedAt: json.issuedAt as string,
    since: json.since as string,
    sinceVersion: json.sinceVersion as number,
    result: json.result as string,
    categories,
    context,
  };
  if (typeof json.expiresAt === 'string') document.expiresAt = json.expiresAt;
  return { ok: true, document };
}

/** The document's text: compact JSON, keys in a fixed order. */
export function serialiseChangeDocument(document: ChangeDocument): string {
  return `${JSON.stringify({
    format: document.format,
    version: document.version,
    issuedAt: document.issuedAt,
    ...(document.expiresAt !== undefined ? { expiresAt: document.expiresAt } : {}),
    since: document.since,
    sinceVersion: document.sinceVersion,
    result: document.result,
    categories: document.categories,
    context: document.context,
  })}\n`;
}

/**
 * The publisher's side: the change document from `previous` (bytes with SHA-256 `previousSha256`)
 * to `next` (bytes with SHA-256 `nextSha256`), or why there can be none (then browsers take the
 * full list). Both documents in either format.
 */
export async function changeDocumentOf(
  next: RuleListDocument,
  previous: RuleListDocument,
  previousSha256: string,
  nextSha256: string,
): Promise<{ ok: true; document: ChangeDocument } | { ok: false; reason: string }> {
  const after = next.format === COMPILED_RULE_LIST_FORMAT ? next : await toCompiledRuleList(next);
  const before =
    previous.format === COMPILED_RULE_LIST_FORMAT ? previous : await toCompiledRuleList(previous);
  if (after.version <= before.version) {
    return { ok: false, reason: `version ${after.version} is not above ${before.version}.` };
  }
  const sameJson = (a: unknown, b: unknown) =>
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (
    !sameJson(after.allowList, before.allowList) ||
    !sameJson(after.blockList, before.blockList) ||
    !sameJson(after.groupAllowLists, before.groupAllowLists)
  ) {
    return { ok: false, reason: 'the allow or block list changed.' };
  }
  const ids = Object.keys(after.categories).sort();
  if (!sameJson(ids, Object.keys(before.categories).sort())) {
    return { ok: false, reason: 'a category was added or removed.' };
  }
  const categories: Record<string, CategoryChanges> = {};
  const compiledOf = (document: RuleListDocument, id: string): CompiledCategory =>
    document.categories[id]!.compiled ?? { groups: [], related: [] };
  for (const id of ids) {
    const a = after.categories[id]!;
    const b = before.categories[id]!;
    if (
      a.label !== b.label ||
      a.clause !== b.clause ||
      Boolean(a.locked) !== Boolean(b.locked) ||
      !sameJson(a.urlPrefixes ?? [], b.urlPrefixes ?? [])
    ) {
      return { ok: false, reason: `category ${id}: more than its domains changed.` };
    }
    const was = new Set(compiledOf(before, id).groups.flatMap((g) => g.domains));
    const is = new Set(compiledOf(after, id).groups.flatMap((g) => g.domains));
    const added = [...is].filter((d) => !was.has(d)).sort(compareReversed);
    const removed = [...was].filter((d) => !is.has(d)).sort(compareReversed);
    if (added.length === 0 && removed.length === 0) continue;
    if (a.locked) return { ok: false, reason: `locked category ${id} changed.` };
    categories[id] = { added, removed };
  }
  const cover = new Set<string>();
  for (const { added, removed } of Object.values(categories)) {
    for (const d of added) cover.add(d);
    for (const d of removed) cover.add(d);
  }
  // Context: what the new list lists at, above or under a changed domain (locked categories
  // decide above everything and never change here, so they are left out).
  const context: Record<string, string[]> = {};
  for (const id of ids) {
    if (after.categories[id]!.locked) continue;
    const found = relatedToEntries(compiledOf(after, id), cover);
    if (found.length > 0) context[id] = found.sort(compareReversed);
  }
  const document: ChangeDocument = {
    format: CHANGE_DOCUMENT_FORMAT,
    version: after.version,
    issuedAt: after.issuedAt,
    since: previousSha256,
    sinceVersion: before.version,
    result: nextSha256,
    categories,
    context,
  };
  if (after.expiresAt !== undefined) document.expiresAt = after.expiresAt;
  return { ok: true, document };
}
