/**
 * Applies the effective policy as DNR dynamic rules. The only module that writes dynamic rules.
 *
 *   managed policy ─┐
 *   rule list ──────┼─> resolvePolicy ─> compileRules ─> (unchanged? skip) ─> updateDynamicRules
 *   built-in lists ─┘        │ invalid                       │ over limits
 *                            └──────> record the error, keep the last good rules <───┘
 *
 * Every application goes through one promise chain, so two policy changes arriving together can
 * never interleave their DNR updates; each update is one atomic `updateDynamicRules` call.
 */

import {
  builtInClauses,
  builtInFingerprint,
  builtInLists,
} from 'virtual:steward-built-in-categories';
import { browser } from 'wxt/browser';
import { accountHeadersFor } from '../lib/account-headers.ts';
import {
  type BrowserTarget,
  type CategoryList,
  compileRules,
  PRIORITY,
  RULE_IDS,
} from '../lib/compiler.ts';
import { resolveComposePolicy } from '../lib/dlp/policy.ts';
import type { EnforcementState } from '../lib/enforcement-state.ts';
import {
  canonicalJson,
  DEFAULT_POLICY,
  policyFingerprint,
  resolvePolicy,
  type StewardPolicy,
} from '../lib/policy.ts';
import { blockPageInfo, effectivePolicy, enforcementState, warnContinueGrants } from './storage.ts';

export const BLOCK_PAGE_PATH = '/blocked.html';

/**
 * Category lists from the signed rule list (or null when none is in force). A category the list
 * names replaces the built-in one of the same id, so a published list can also remove entries.
 */
export type CategorySource = (policy: StewardPolicy) => Promise<{
  version: number;
  /** SHA-256 of the list's bytes: a changed list means recompiling. */
  fingerprint: string;
  lists: Record<string, CategoryList>;
  labels: Record<string, string>;
  clauses: Record<string, string>;
  allowList: string[];
  blockList: string[];
} | null>;

let extraSource: CategorySource | null = null;
export function setCategorySource(source: CategorySource): void {
  extraSource = source;
}

let chain: Promise<unknown> = Promise.resolve();

/** Re-read policy and apply it; serialised. Resolves when this application has finished. */
export function applyPolicy(reason: string): Promise<EnforcementState> {
  const run = chain.then(() => applyNow(reason));
  chain = run.catch(() => undefined);
  return run;
}

export function browserTarget(): BrowserTarget {
  return import.meta.env.FIREFOX ? 'firefox' : 'chrome';
}

async function readManagedPolicy(): Promise<unknown> {
  try {
    return await browser.storage.managed.get();
  } catch {
    // Firefox throws when no policy names this extension: that is "no policy", not an error.
    return {};
  }
}

async function applyNow(reason: string): Promise<EnforcementState> {
  const previous = await enforcementState.getValue();
  const managed = await readManagedPolicy();
  const resolved = resolvePolicy(managed);
  const now = Date.now();

  let policy: StewardPolicy;
  let source = previous.source;
  let policyErrors: string[] = [];
  let policyWarnings: string[] = [];
  let composeErrors: string[] = [];
  if (resolved.ok) {
    policy = resolved.policy;
    source = resolved.source;
    policyWarnings = resolved.warnings;
    // The send warning drops what it cannot use and carries on with the rest; the admin hears
    // about it here (popup, options page, report), not only in a content script.
    composeErrors = resolveComposePolicy(policy.compose ?? {}).errors;
  } else {
    policyErrors = resolved.errors;
    if (previous.appliedAt !== null) {
      const state = { ...previous, policyErrors, checkedAt: now };
      await enforcementState.setValue(state);
      console.warn(`[steward] policy rejected (${reason}); last good rules kept`, policyErrors);
      return state;
    }
    // Nothing was ever applied: the built-in default is the safe "last good" policy.
    policy = DEFAULT_POLICY;
    source = 'default';
  }

  const extra = extraSource ? await extraSource(policy) : null;
  const lists: Record<string, CategoryList> = { ...builtInLists, ...(extra?.lists ?? {}) };
  // The rule list's allow and block entries join the policy's; precedence is unchanged.
  const enforced: StewardPolicy = extra
    ? {
        ...policy,
        allowList: [...policy.allowList, ...extra.allowList],
        blockList: [...policy.blockList, ...extra.blockList],
      }
    : policy;

  // Skip the work when nothing that shapes the rules changed: the policy, the rule list in force
  // (its SHA-256), the built-in lists and the block page's address. Hashing these inputs costs
  // nothing next to compiling and hashing a million-domain rule set.
  const blockPageUrl = browser.runtime.getURL(BLOCK_PAGE_PATH);
  const inputsHash = await sha256(
    canonicalJson({
      // The rule list's own entries are covered by its fingerprint.
      policy,
      ruleList: extra?.fingerprint ?? null,
      builtIn: builtInFingerprint,
      blockPageUrl,
      target: browserTarget(),
    }),
  );
  if (inputsHash === previous.rulesHash && previous.summary && (await policyRulesPresent())) {
    // The source can change alone (a managed policy that says exactly what the default says).
    const state = {
      ...previous,
      source,
      policyErrors,
      policyWarnings,
      composeErrors,
      checkedAt: now,
    };
    await enforcementState.setValue(state);
    console.info(`[steward] policy unchanged (${reason})`);
    return state;
  }

  const compiled = compileRules({
    policy: enforced,
    categoryLists: lists,
    blockPageUrl,
    target: browserTarget(),
  });
  if (!compiled.ok) {
    const state = { ...previous, policyErrors: compiled.errors, checkedAt: now };
    await enforcementState.setValue(state);
    return state;
  }

  // Account-separation header rules (issue 6, lib/account-headers.ts): only when policy asks,
  // applied in the same atomic update as the policy's own rules. An invalid `mailbox` key is a
  // policy error like any other: the last good rules stay.
  const headers = accountHeadersFor(enforced);
  if (!headers.ok) {
    const state = { ...previous, policyErrors: headers.errors, checkedAt: now };
    await enforcementState.setValue(state);
    return state;
  }
  policyWarnings = [...policyWarnings, ...headers.warnings];
  const addRules = [...compiled.rules, ...headers.rules];

  const newHighest = compiled.rules.reduce((max, r) => Math.max(max, r.id), 0);
  // Record the high-water mark first: if the worker dies mid-update, the next run still removes
  // every rule this one may have added.
  await enforcementState.setValue({
    ...previous,
    highestRuleId: Math.max(previous.highestRuleId, newHighest),
  });
  const removeRuleIds: number[] = [];
  for (let id = RULE_IDS.policy.first; id <= Math.max(previous.highestRuleId, newHighest); id++) {
    removeRuleIds.push(id);
  }
  for (let id = RULE_IDS.accountHeaders.first; id <= RULE_IDS.accountHeaders.last; id++) {
    removeRuleIds.push(id);
  }
  await browser.declarativeNetRequest.updateDynamicRules({
    removeRuleIds,
    addRules: addRules as Parameters<
      typeof browser.declarativeNetRequest.updateDynamicRules
    >[0]['addRules'],
  });
  const highestRuleId = newHighest;
  const appliedAt = now;

  await effectivePolicy.setValue(policy);
  await blockPageInfo.setValue({
    clauses: { ...builtInClauses, ...(extra?.clauses ?? {}), ...policy.clauses },
    categoryLabels: extra?.labels ?? {},
    accessRequest: policy.accessRequest,
    ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
    warnContinueMinutes: policy.warnContinueMinutes,
  });

  const state: EnforcementState = {
    source,
    categories: Object.fromEntries(
      Object.keys(lists).map((c) => [c, policy.categories[c] ?? 'block'] as const),
    ),
    origins: Object.fromEntries(
      Object.keys(lists).map((c) => [
        c,
        {
          mode: resolved.ok && isManagedMode(managed, c) ? 'managed policy' : 'default',
          list: extra?.lists[c] ? 'rule list' : 'built-in',
        } as const,
      ]),
    ),
    ruleListVersion: extra?.version ?? null,
    ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
    policyVersion: policyFingerprint(policy),
    policyErrors,
    policyWarnings,
    composeErrors,
    summary: compiled.summary,
    rulesHash: inputsHash,
    highestRuleId,
    appliedAt,
    checkedAt: now,
  };
  await enforcementState.setValue(state);
  console.info(`[steward] policy applied (${reason}): ${compiled.summary.rules} rules`);
  return state;
}

/**
 * Are the rules still in the browser? (Firefox ≤ 132 sometimes lost dynamic rules across a
 * restart.) Asks for rule 1 only, so a million-domain rule set is not copied over IPC.
 */
async function policyRulesPresent(): Promise<boolean> {
  const previous = await enforcementState.getValue();
  if ((previous.summary?.rules ?? 0) === 0) return true;
  const present = await browser.declarativeNetRequest.getDynamicRules({
    ruleIds: [RULE_IDS.policy.first],
  });
  return present.length === 1;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ─── "Continue" on a warning ────────────────────────────────────────────────────────────────

export const WARN_EXPIRY_ALARM = 'warn-continue-expiry';

/** Allow `host` in one tab for the policy's minutes, as a session rule that outranks categories. */
export async function grantContinue(tabId: number, host: string, minutes: number): Promise<void> {
  const grants = await warnContinueGrants.getValue();
  const used = new Set(Object.keys(grants).map(Number));
  let id: number = RULE_IDS.warnContinue.first;
  while (used.has(id)) id++;
  if (id > RULE_IDS.warnContinue.last) throw new Error('too many warnings continued at once');
  const expiresAt = Date.now() + minutes * 60_000;
  await browser.declarativeNetRequest.updateSessionRules({
    addRules: [
      {
        id,
        priority: PRIORITY.warnContinue,
        action: { type: 'allow' },
        condition: {
          requestDomains: [host],
          tabIds: [tabId],
          resourceTypes: ['main_frame', 'sub_frame'],
        },
      },
    ],
  });
  await warnContinueGrants.setValue({ ...grants, [id]: expiresAt });
  await scheduleExpiry();
}

/** Remove grants whose time is up, and schedule the next check. */
export async function expireContinueGrants(now = Date.now()): Promise<void> {
  const grants = await warnContinueGrants.getValue();
  const expired = Object.entries(grants)
    .filter(([, at]) => at <= now)
    .map(([id]) => Number(id));
  if (expired.length > 0) {
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: expired });
    const kept = Object.fromEntries(Object.entries(grants).filter(([, at]) => at > now));
    await warnContinueGrants.setValue(kept);
  }
  await scheduleExpiry();
}

async function scheduleExpiry(): Promise<void> {
  const grants = await warnContinueGrants.getValue();
  const next = Math.min(...Object.values(grants));
  if (Number.isFinite(next))
    await browser.alarms.create(WARN_EXPIRY_ALARM, { when: Math.max(next, Date.now() + 1000) });
  else await browser.alarms.clear(WARN_EXPIRY_ALARM);
}

/** A closed tab's grants go with it. */
export async function forgetTab(tabId: number): Promise<void> {
  const rules = await browser.declarativeNetRequest.getSessionRules();
  const ids = rules.filter((r) => r.condition.tabIds?.includes(tabId)).map((r) => r.id);
  if (ids.length === 0) return;
  await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
  const grants = await warnContinueGrants.getValue();
  for (const id of ids) delete grants[id];
  await warnContinueGrants.setValue(grants);
}

function isManagedMode(managed: unknown, category: string): boolean {
  const categories = (managed as { categories?: Record<string, unknown> } | null)?.categories;
  return typeof categories === 'object' && categories !== null && category in categories;
}
