/**
 * Rule-list versions as a publisher makes them and as platform/rule-list.ts hands them to the
 * planner: compiled (format 2), serialised, parsed back, fingerprinted, and with `changes` since
 * the version before (lib/rule-list/document.ts `withChangesSince`).
 */
import { createHash } from 'node:crypto';
import type { RuleListContribution } from '../../../lib/enforcement-plan.ts';
import {
  allowListFor,
  categoryListsOf,
  compiledCategoriesOf,
  lockedCategoriesOf,
  parseRuleList,
  RULE_LIST_FORMAT,
  type RuleListDocument,
  serialiseRuleList,
  toCompiledRuleList,
  withChangesSince,
} from '../../../lib/rule-list/document.ts';

export const sha256 = async (text: string) => createHash('sha256').update(text).digest('hex');

export type Published = { text: string; sha: string; contribution: RuleListContribution };

/** What platform/rule-list.ts gives the planner for a published list. */
export async function publish(document: RuleListDocument): Promise<Published> {
  const text = serialiseRuleList(document);
  const parsed = parseRuleList(new TextEncoder().encode(text));
  if (!parsed.ok) throw new Error(parsed.reason);
  const doc = parsed.document;
  const sha = await sha256(text);
  return {
    text,
    sha,
    contribution: {
      version: doc.version,
      fingerprint: sha,
      lists: categoryListsOf(doc),
      compiled: compiledCategoriesOf(doc),
      labels: {},
      clauses: {},
      allowList: allowListFor(doc, undefined),
      blockList: doc.blockList ?? [],
      locked: lockedCategoriesOf(doc),
      ...(doc.changes ? { changes: doc.changes } : {}),
    },
  };
}

/** A plain document of these categories (label = id), to compile and publish. */
export function documentOf(
  lists: Record<string, Iterable<string>>,
  version: number,
  extra: Partial<RuleListDocument> = {},
  options: { prefixes?: Record<string, string[]>; locked?: string[] } = {},
): RuleListDocument {
  const categories: RuleListDocument['categories'] = {};
  for (const [id, domains] of Object.entries(lists)) {
    categories[id] = {
      label: id,
      domains: [...domains],
      ...(options.prefixes?.[id] ? { urlPrefixes: options.prefixes[id] } : {}),
      ...(options.locked?.includes(id) ? { locked: true } : {}),
    };
  }
  return {
    format: RULE_LIST_FORMAT,
    version,
    issuedAt: '2026-09-01T08:00:00Z',
    categories,
    ...extra,
  };
}

/** Publish `document`, with its changes since `previous` when there is one. */
export async function publishVersion(
  document: RuleListDocument,
  previous?: Published,
): Promise<Published> {
  if (!previous) return publish(await toCompiledRuleList(document));
  const parsed = parseRuleList(new TextEncoder().encode(previous.text));
  if (!parsed.ok) throw new Error(parsed.reason);
  return publish(await withChangesSince(document, parsed.document, previous.sha));
}
