/**
 * The enforcement decision, as one pure function: what the browser should enforce next, given what
 * it enforces now. platform/enforcement.ts only reads the inputs, calls `planEnforcement`, and
 * executes the plan (through the one DNR queue, with retries).
 *
 *   previous state ─┐
 *   managed policy ─┤                    ┌─> next state (what the popup, options page and report show)
 *   rule list ──────┼─> planEnforcement ─┼─> DNR update { removeRuleIds, addRules } or null
 *   built-in lists ─┤                    └─> effective policy and block-page facts to store
 *   rules in browser┘
 *
 * Always a safe state:
 * - a policy that cannot be used (schema, compile limits, `mailbox`) keeps the last good rules when
 *   they are in force; when nothing is in force (a fresh install, or rules the browser lost) the
 *   last good policy is applied again, else the built-in default; never the empty state;
 * - "in force" is proved, not assumed: every update carries a marker rule whose domain names the
 *   fingerprint of the inputs, so a stopped worker, a failed update or a browser that dropped its
 *   dynamic rules is seen at the next reconcile (one tiny `getDynamicRules` call).
 *
 * Personal-use windows (lib/personal-use.ts) are a change of what should be in force: at `now`, an
 * open window's modes are laid over the policy's before compiling, so a window switch moves only
 * the rules of the categories it changes (stable ids, lib/rule-diff.ts). `categoryModes` overrides
 * both (tests). The state records the schedule (`personalUse`), whose `nextBoundary` the worker
 * sets its alarm for.
 */
import { type AccountHeaderRule, accountHeadersFor } from './account-headers.ts';
import {
  type BrowserTarget,
  type CategoryList,
  type CompiledSummary,
  compileRules,
  type DnrRule,
  explainUrls,
  RULE_IDS,
  type RuleKey,
  type SortedParts,
} from './compiler.ts';
import type { BlockPageInfo, EnforcementState, PersonalUseInForce } from './enforcement-state.ts';
import {
  foldingOverlay,
  overlayFits,
  overlayMarkerRule,
  planOverlay,
  planOverlayOnto,
  sameOverlayVerdicts,
} from './overlay.ts';
import { NO_PERSONAL_USE, personalUseAt, personalUseModes } from './personal-use.ts';
import {
  type CategoryMode,
  canonicalJson,
  DEFAULT_POLICY,
  type PolicyResult,
  type PolicySource,
  policyFingerprint,
  resolvePolicy,
  type StewardPolicy,
} from './policy.ts';
import { changedRules, idsByKey } from './rule-diff.ts';
import { type ChangeDocument, changedDomains } from './rule-list/changes.ts';
import type { CompiledCategory } from './rule-list/compiled.ts';
import type { RuleListChanges } from './rule-list/document.ts';
import {
  DEFAULT_SAFE_SEARCH,
  type SafeSearchRule,
  safeSearchRuleIds,
  safeSearchRules,
} from './safe-search.ts';

/** What the signed rule list contributes (null when none is in force for that policy). */
export type RuleListContribution = {
  version: number;
  /** SHA-256 of the list's bytes: a changed list means recompiling. */
  fingerprint: string;
  lists: Record<string, CategoryList>;
  /** Format 2 lists: the publisher's compiled domains (lists[id] keeps the URL prefixes). */
  compiled?: Record<string, CompiledCategory>;
  labels: Record<string, string>;
  clauses: Record<string, string>;
  allowList: string[];
  blockList: string[];
  /** Categories the list locks: always blocked, whatever the policy says. */
  locked?: string[];
  /** What changed since an earlier version (format 2, optional): makes an overlay possible. */
  changes?: RuleListChanges;
};

/** The overlay's rules as last applied, kept so a browser restart can put them back cheaply. */
export type StoredOverlay = { hash: string; cover: string[]; rules: DnrRule[] };

export type BuiltInCategories = {
  lists: Record<string, CategoryList>;
  clauses: Record<string, string>;
  fingerprint: string;
};

/** The rule that proves an update landed: allow on a name that cannot resolve (RFC 2606). */
export const MARKER_RULE_ID = RULE_IDS.marker.first;
const MARKER_SUFFIX = '.applied.steward.invalid';

export function markerRule(rulesHash: string): DnrRule {
  return {
    id: MARKER_RULE_ID,
    priority: 1,
    action: { type: 'allow' },
    condition: {
      requestDomains: [`${rulesHash.slice(0, 40)}${MARKER_SUFFIX}`],
      resourceTypes: ['main_frame'],
    },
  };
}

/** The fingerprint a marker rule read back from the browser carries, or null. */
export function markerHash(rule: { condition: { requestDomains?: string[] } } | undefined) {
  const domain = rule?.condition.requestDomains?.[0];
  return domain?.endsWith(MARKER_SUFFIX) ? domain.slice(0, -MARKER_SUFFIX.length) : null;
}

export const POLICY_UNREADABLE =
  'The browser did not give Steward the school policy in time; Steward will ask again within a minute.';

export const POLICY_AWAITED =
  'The browser has not handed over the school policy yet (a new install); the built-in default is in force until it does.';

export type DynamicRule = DnrRule | AccountHeaderRule | SafeSearchRule;

export type DnrUpdate = { removeRuleIds: number[]; addRules: DynamicRule[] };

export type PlanInput = {
  previous: EnforcementState;
  /** The effective policy last applied (null if nothing was ever applied). */
  lastGoodPolicy: StewardPolicy | null;
  /**
   * The raw `storage.managed` object, or undefined when the browser did not answer (Chromium can
   * leave `storage.managed.get()` pending): then the last good rules stay, or the default applies.
   */
  managed: unknown;
  /**
   * True when `managed` is undefined only because a new install's browser is still loading the
   * policy (it can take seconds): the default applies meanwhile, and says so, not "unreadable".
   */
  managedAwaited?: boolean;
  builtIn: BuiltInCategories;
  /** The rule list in force for a policy (its URL and key decide which list, if any). */
  ruleListFor: (policy: StewardPolicy) => Promise<RuleListContribution | null>;
  /**
   * The fingerprint of the rule list `ruleListFor` would give, when it is known without loading
   * the list (null: no list; undefined: not known). Lets a reconcile with nothing changed skip
   * reading, verifying and parsing a million-domain list.
   */
  ruleListFingerprintFor?: (policy: StewardPolicy) => Promise<string | null | undefined>;
  /**
   * A verified change document (lib/rule-list/changes.ts) for the rule list of this policy, when
   * one has arrived that the full list in storage does not yet include (null: none). Used only
   * when its `since` is the list in force; otherwise the full list decides.
   */
  ruleListChangesFor?: (policy: StewardPolicy) => Promise<ChangeDocument | null>;
  /** The fingerprint carried by the marker rule in the browser now (null: no marker). */
  markerInBrowser: string | null;
  /** The fingerprint the overlay's session marker carries now (null or absent: none). */
  overlayInBrowser?: string | null;
  /** The overlay last applied, from storage (null or absent: none stored). */
  storedOverlay?: StoredOverlay | null;
  blockPageUrl: string;
  target: BrowserTarget;
  now: number;
  /** Overrides of the policy's category modes (e.g. a time window); applied before compiling. */
  categoryModes?: Record<string, CategoryMode>;
  sha256: (text: string) => Promise<string>;
};

export type EnforcementPlan = {
  /** What to do, in a word (logged, and asserted by the tests). */
  action: 'apply' | 'unchanged' | 'keep last good' | 'overlay' | 'restore overlay';
  /** Write this state before the update (the rule-id high-water mark), or null. */
  before: EnforcementState | null;
  update: DnrUpdate | null;
  /**
   * The overlay's session rules to put in place of whatever overlay rules the browser has (empty:
   * none), or null to leave them. Executed AFTER `update`: when a full update folds an overlay in,
   * the dynamic rules take the new verdicts first and only then is the overlay dropped, so no host
   * ever falls back to the base's verdicts in between.
   */
  overlayUpdate: { rules: DnrRule[] } | null;
  /**
   * Session rules to put in place of the overlay BEFORE `update` when a full update folds an
   * overlay in (lib/overlay.ts `foldingOverlay`): each host under the overlay gets the stricter of
   * its verdicts before and after, so no step of the three is less strict than both ends.
   */
  overlayBefore?: { rules: DnrRule[] } | null;
  /** To store once both updates have succeeded (null: delete; undefined: leave). */
  storeOverlay?: StoredOverlay | null;
  /** The state once the update has succeeded (or at once, with no update). */
  state: EnforcementState;
  /**
   * Every dynamic rule the browser holds once `update` has landed (the update itself may carry
   * only the rules that changed): what the verdict index (lib/verdict-lookup.ts) is written from.
   */
  dynamicRules?: DynamicRule[];
  /** To store once the update has succeeded. */
  effectivePolicy: StewardPolicy | null;
  blockPageInfo: BlockPageInfo | null;
};

type Built = {
  /** The policy as given (its own modes, its windows). */
  policy: StewardPolicy;
  /** The modes compiled: the policy's, with a personal-use window's modes at `now`. */
  modes: Record<string, CategoryMode>;
  extra: RuleListContribution | null;
  lists: Record<string, CategoryList>;
  hash: string;
  /** The policy's own rules (stable ids), then header rules and the marker. */
  policyRules: DnrRule[];
  /** The publisher's sorted groups inside `policyRules`, for look-ups by binary search. */
  sortedParts: SortedParts;
  ruleKeys: Record<number, RuleKey>;
  otherRules: DynamicRule[];
  highestPolicyRuleId: number;
  summary: CompiledSummary;
  warnings: string[];
  /** The inputs' fingerprint as it would be with the list `extra.changes.since` (null: no changes). */
  sinceHash: string | null;
  /** Fingerprint of the header and safe-search rules. */
  otherRulesHash: string;
};

/** Compile one candidate policy into the full dynamic rule set (policy + headers + marker). */
/** Fingerprint of everything that shapes the rules; equal fingerprints mean equal rules. */
function inputsHash(
  policy: StewardPolicy,
  ruleListFingerprint: string | null,
  input: PlanInput,
): Promise<string> {
  return input.sha256(
    canonicalJson({
      // The rule list's own entries are covered by its fingerprint.
      policy,
      ruleList: ruleListFingerprint,
      builtIn: input.builtIn.fingerprint,
      blockPageUrl: input.blockPageUrl,
      target: input.target,
    }),
  );
}

/** The policy with a personal-use window's modes at `now` (and `categoryModes`) laid over it. */
function modedPolicy(policy: StewardPolicy, input: PlanInput): StewardPolicy {
  // A personal-use window open at `now` changes some categories' modes; only their rules move.
  const modes = {
    ...personalUseModes(policy.personalUse ?? NO_PERSONAL_USE, policy.timeZone, input.now),
    ...input.categoryModes,
  };
  return Object.keys(modes).length > 0
    ? { ...policy, categories: { ...policy.categories, ...modes } }
    : policy;
}

async function build(
  policy: StewardPolicy,
  input: PlanInput,
  unchanged?: (hash: string) => boolean,
): Promise<
  { ok: true; built: Built } | { ok: true; unchanged: string } | { ok: false; errors: string[] }
> {
  const moded = modedPolicy(policy, input);
  if (unchanged && input.ruleListFingerprintFor) {
    const known = await input.ruleListFingerprintFor(moded);
    if (known !== undefined) {
      const hash = await inputsHash(moded, known, input);
      // Unchanged and in the browser: the list is not even read.
      if (unchanged(hash)) return { ok: true, unchanged: hash };
    }
  }
  const extra = await input.ruleListFor(moded);
  const hash = await inputsHash(moded, extra?.fingerprint ?? null, input);
  // Unchanged and in the browser: no need to compile (a big list takes seconds).
  if (unchanged?.(hash)) return { ok: true, unchanged: hash };
  const lists: Record<string, CategoryList> = { ...input.builtIn.lists, ...(extra?.lists ?? {}) };
  // The rule list's allow and block entries join the policy's; precedence is unchanged.
  const enforced: StewardPolicy = extra
    ? {
        ...moded,
        allowList: [...moded.allowList, ...extra.allowList],
        blockList: [...moded.blockList, ...extra.blockList],
      }
    : moded;
  const compiled = compileRules({
    policy: enforced,
    categoryLists: lists,
    compiledCategories: extra?.compiled ?? {},
    // Rules keep their ids while their key lives, so an update moves only what changed.
    previousRuleIds: idsByKey(input.previous.ruleKeys ?? {}),
    blockPageUrl: input.blockPageUrl,
    target: input.target,
    lockedCategories: extra?.locked ?? [],
  });
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  // Safe search (lib/safe-search.ts): only on engine hosts the compiled rules leave open.
  const safeSearch = safeSearchRules({ ...DEFAULT_SAFE_SEARCH, ...enforced.safeSearch }, (urls) =>
    explainUrls(compiled.rules, urls, compiled.sortedParts).map((v) => v.outcome === 'allowed'),
  );
  // Account-separation header rules (lib/account-headers.ts) go in the same atomic update. An
  // invalid `mailbox` key is a policy error like any other.
  const headers = accountHeadersFor(enforced);
  if (!headers.ok) return { ok: false, errors: headers.errors };
  const sinceHash = extra?.changes ? await inputsHash(moded, extra.changes.since, input) : null;
  const otherRulesHash = await input.sha256(JSON.stringify([...headers.rules, ...safeSearch]));
  return {
    ok: true,
    built: {
      policy,
      modes: moded.categories,
      extra,
      lists,
      hash,
      policyRules: compiled.rules,
      sortedParts: compiled.sortedParts,
      ruleKeys: compiled.ruleKeys,
      otherRules: [...headers.rules, ...safeSearch, markerRule(hash)],
      highestPolicyRuleId: compiled.rules.reduce((max, r) => Math.max(max, r.id), 0),
      summary: compiled.summary,
      warnings: headers.warnings,
      sinceHash,
      otherRulesHash,
    },
  };
}

export async function planEnforcement(input: PlanInput): Promise<EnforcementPlan> {
  const { previous, now } = input;
  // With an overlay in force the dynamic marker names the base, and the session marker the overlay.
  const dynamicHash = previous.dynamicRulesHash ?? previous.rulesHash;
  const dynamicPresent =
    dynamicHash !== null &&
    input.markerInBrowser !== null &&
    dynamicHash.startsWith(input.markerInBrowser);
  const overlayInBrowser = input.overlayInBrowser ?? null;
  const overlayPresent = previous.overlay
    ? overlayInBrowser !== null && previous.overlay.hash.startsWith(overlayInBrowser)
    : overlayInBrowser === null;
  const dynamicInForce = previous.appliedAt !== null && previous.summary !== null && dynamicPresent;
  const inForce = dynamicInForce && overlayPresent;
  if (dynamicInForce && !overlayPresent) {
    // Session rules are lost when the browser restarts (and a fold may have left an overlay
    // behind): put back the overlay the state names, or clear one it does not name. Cheap; the
    // caller reconciles again afterwards for anything else that changed.
    const stored = input.storedOverlay ?? null;
    if (!previous.overlay || stored?.hash === previous.overlay.hash) {
      return {
        action: 'restore overlay',
        before: null,
        update: null,
        overlayUpdate: {
          rules: previous.overlay
            ? [...stored!.rules, overlayMarkerRule(previous.overlay.hash)]
            : [],
        },
        state: { ...previous, checkedAt: now, applyError: null },
        effectivePolicy: null,
        blockPageInfo: null,
      };
    }
  }

  const resolved =
    input.managed === undefined
      ? ({
          ok: false,
          errors: [input.managedAwaited ? POLICY_AWAITED : POLICY_UNREADABLE],
        } satisfies PolicyResult)
      : resolvePolicy(input.managed);
  let errors: string[];
  // A change document not yet in a stored full list (null: none, or its full list is stored).
  const pending =
    resolved.ok && inForce && input.ruleListChangesFor
      ? await input.ruleListChangesFor(modedPolicy(resolved.policy, input))
      : null;
  if (resolved.ok && pending) {
    // A signed change document for the list in force: the overlay from it alone, no full list.
    const plan = await planFromChangeDocument(input, pending, resolved.policy, resolved.source);
    if (plan) return plan;
  }
  // An overlay from a change document whose full list is now stored: read it once, to check.
  const checkOverlay = Boolean(previous.overlay?.unverified) && pending === null;
  if (resolved.ok) {
    const candidate = await build(
      resolved.policy,
      input,
      (hash) => inForce && hash === previous.rulesHash && !checkOverlay,
    );
    if (candidate.ok && 'unchanged' in candidate) {
      // The same rules are in the browser: nothing to do (the source can change alone, e.g. a
      // managed policy that says exactly what the default says).
      return {
        action: 'unchanged',
        before: null,
        update: null,
        overlayUpdate: null,
        state: {
          ...previous,
          source: resolved.source,
          policyErrors: [],
          policyWarnings: [...resolved.warnings, ...accountHeaderWarnings(resolved.policy)],
          checkedAt: now,
          applyError: null,
          ...personalUseState(resolved.policy, now),
        },
        effectivePolicy: null,
        blockPageInfo: null,
      };
    }
    if (candidate.ok) {
      return planApply(input, candidate.built, {
        source: resolved.source,
        errors: [],
        warnings: [...resolved.warnings, ...candidate.built.warnings],
        modeOrigin: (c) => (isManagedMode(input.managed, c) ? 'managed policy' : 'default'),
        inForce,
        dynamicInForce,
      });
    }
    errors = candidate.errors;
  } else {
    errors = resolved.errors;
  }

  // The policy Steward was given cannot be used.
  if (inForce && input.lastGoodPolicy && hasWindows(input.lastGoodPolicy)) {
    // The last good policy stays, and so does its schedule: a window still opens and closes.
    const lastGood = input.lastGoodPolicy;
    const candidate = await build(lastGood, input, (hash) => hash === previous.rulesHash);
    if (candidate.ok && 'built' in candidate) {
      return planApply(input, candidate.built, {
        source: previous.source,
        errors,
        warnings: candidate.built.warnings,
        modeOrigin: (c) => previous.origins?.[c]?.mode ?? 'default',
        inForce,
        dynamicInForce,
      });
    }
    return {
      action: 'keep last good',
      before: null,
      update: null,
      overlayUpdate: null,
      state: {
        ...previous,
        policyErrors: errors,
        checkedAt: now,
        applyError: null,
        ...personalUseState(lastGood, now),
      },
      effectivePolicy: null,
      blockPageInfo: null,
    };
  }
  if (inForce) {
    return {
      action: 'keep last good',
      before: null,
      update: null,
      overlayUpdate: null,
      state: { ...previous, policyErrors: errors, checkedAt: now, applyError: null },
      effectivePolicy: null,
      blockPageInfo: null,
    };
  }
  // Nothing is in force: the last good policy again, else the built-in default.
  const fallbacks: [StewardPolicy, PolicySource][] =
    previous.appliedAt !== null && input.lastGoodPolicy
      ? [
          [input.lastGoodPolicy, previous.source],
          [DEFAULT_POLICY, 'default'],
        ]
      : [[DEFAULT_POLICY, 'default']];
  for (const [policy, source] of fallbacks) {
    const candidate = await build(policy, input);
    if (candidate.ok && 'built' in candidate) {
      return planApply(input, candidate.built, {
        source,
        errors,
        warnings: candidate.built.warnings,
        modeOrigin: (c) =>
          policy === DEFAULT_POLICY ? 'default' : (previous.origins?.[c]?.mode ?? 'default'),
        inForce: false,
        dynamicInForce,
      });
    }
    if (!candidate.ok) errors = [...errors, ...candidate.errors];
  }
  // Only reachable if the built-in default itself does not compile (a broken build).
  return {
    action: 'keep last good',
    before: null,
    update: null,
    overlayUpdate: null,
    state: { ...previous, policyErrors: errors, checkedAt: now },
    effectivePolicy: null,
    blockPageInfo: null,
  };
}

async function planApply(
  input: PlanInput,
  built: Built,
  how: {
    source: PolicySource;
    errors: string[];
    warnings: string[];
    modeOrigin: (category: string) => 'managed policy' | 'default';
    inForce: boolean;
    /** The dynamic rules are proved to be those of `previous` (an overlay may be missing). */
    dynamicInForce: boolean;
  },
): Promise<EnforcementPlan> {
  const { previous, now } = input;
  const { policy, extra, lists } = built;
  if (how.inForce && built.hash === previous.rulesHash && previous.overlay?.unverified) {
    // The full list a change document led to: its overlay, planned from the list itself, must give
    // the same verdicts; if not, it replaces the one in force (the list decides, not the document).
    const checked = await checkedOverlay(input, built);
    if (checked) return checked;
  }
  if (how.inForce && built.hash === previous.rulesHash) {
    // The same rules are in the browser: nothing to do (the source can change alone, e.g. a
    // managed policy that says exactly what the default says).
    return {
      action: 'unchanged',
      before: null,
      update: null,
      overlayUpdate: null,
      state: {
        ...previous,
        source: how.source,
        policyErrors: how.errors,
        policyWarnings: how.warnings,
        checkedAt: now,
        applyError: null,
        ...personalUseState(policy, now),
      },
      effectivePolicy: null,
      blockPageInfo: null,
    };
  }

  const highest = Math.max(previous.highestRuleId, built.highestPolicyRuleId);
  // When the marker proves the browser holds exactly the rules of the previous state, only the
  // rules whose fingerprint changed move; otherwise every id this or an earlier run may have used
  // is replaced.
  const known = how.dynamicInForce && previous.ruleKeys ? previous.ruleKeys : null;
  const changes = changedRules(known, { rules: built.policyRules, ruleKeys: built.ruleKeys });

  const categories = Object.fromEntries(
    Object.keys(lists).map(
      (c) =>
        [
          c,
          built.summary.lockedCategories.includes(c) ? 'block' : (built.modes[c] ?? 'block'),
        ] as const,
    ),
  );
  const origins = Object.fromEntries(
    Object.keys(lists).map((c) => [
      c,
      {
        mode: how.modeOrigin(c),
        list: extra?.lists[c] ? 'rule list' : 'built-in',
        ...(built.summary.lockedCategories.includes(c) ? { locked: true } : {}),
      } as const,
    ]),
  );
  const common = {
    source: how.source,
    categories,
    origins,
    ruleListVersion: extra?.version ?? null,
    ruleListFingerprint: extra?.fingerprint ?? null,
    ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
    policyVersion: policyFingerprint(policy),
    policyErrors: how.errors,
    policyWarnings: how.warnings,
    summary: built.summary,
    rulesHash: built.hash,
    otherRulesHash: built.otherRulesHash,
    appliedAt: now,
    checkedAt: now,
    applyError: null,
    ...personalUseState(policy, now),
  };
  const blockPageInfo: BlockPageInfo = {
    clauses: { ...input.builtIn.clauses, ...(extra?.clauses ?? {}), ...policy.clauses },
    categoryLabels: extra?.labels ?? {},
    accessRequest: policy.accessRequest,
    ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
    warnContinueMinutes: policy.warnContinueMinutes,
  };

  // A small change to the rule list alone: an overlay of session rules, dynamic rules untouched.
  let overlayRefused: string | null = null;
  if (how.inForce && known) {
    const overlay = await planOverlayUpdate(input, built, known, changes, origins);
    if (typeof overlay === 'string') overlayRefused = overlay;
    else if (overlay) {
      return {
        action: 'overlay',
        before: null,
        update: null,
        overlayUpdate: { rules: [...overlay.stored.rules, overlayMarkerRule(overlay.stored.hash)] },
        storeOverlay: overlay.stored,
        state: {
          ...common,
          // The dynamic rules are still the base's: their keys, ids and marker stay.
          highestRuleId: previous.highestRuleId,
          ...(previous.ruleKeys ? { ruleKeys: previous.ruleKeys } : {}),
          dynamicRulesHash: previous.dynamicRulesHash ?? previous.rulesHash!,
          overlay: overlay.inForce,
          lastUpdate: overlayOnly(previous),
        },
        effectivePolicy: policy,
        blockPageInfo,
      };
    }
  }

  const removeRuleIds: number[] = known ? [...changes.removeRuleIds] : [];
  if (!known) for (let id = RULE_IDS.policy.first; id <= highest; id++) removeRuleIds.push(id);
  for (let id = RULE_IDS.accountHeaders.first; id <= RULE_IDS.accountHeaders.last; id++) {
    removeRuleIds.push(id);
  }
  removeRuleIds.push(...safeSearchRuleIds());
  removeRuleIds.push(MARKER_RULE_ID);

  // A full update folds any overlay in. Order: (1) an overlay giving each host it covers the
  // stricter of its verdicts now and after the update, (2) the dynamic update, (3) no overlay.
  // Dropping the overlay first would give its hosts the base's verdicts for the seconds a big
  // dynamic update takes; keeping it through the update could leave a host less blocked than both
  // before and after (an overlay "allow" once a block-list entry above it is gone).
  const hadOverlay = Boolean(previous.overlay) || (input.overlayInBrowser ?? null) !== null;
  let overlayBefore: { rules: DnrRule[] } | null = null;
  const stored = input.storedOverlay ?? null;
  if (how.inForce && previous.overlay && stored?.hash === previous.overlay.hash) {
    const next = planOverlay({
      cover: stored.cover,
      rules: built.policyRules,
      sortedParts: built.sortedParts,
      categoryLists: built.lists,
      compiledCategories: extra?.compiled ?? {},
      lockedCategories: built.summary.lockedCategories,
    });
    const folding = next.ok ? foldingOverlay(stored.rules, next.rules) : next;
    if (folding.ok) {
      // Its own marker: a worker stopped mid-fold finds an overlay the state does not name, and
      // the next reconcile puts back the stored one before planning again.
      const hash = await input.sha256(`${previous.overlay.hash}+fold+${built.hash}`);
      overlayBefore = { rules: [...folding.rules, overlayMarkerRule(hash)] };
    }
  }
  const state: EnforcementState = {
    ...common,
    highestRuleId: built.highestPolicyRuleId,
    ruleKeys: built.ruleKeys,
    overlay: null,
    lastUpdate: {
      sent: changes.addRules.length,
      kept: changes.kept,
      removed: known ? changes.removeRuleIds.length : null,
      ...(overlayRefused ? { overlayRefused } : {}),
    },
  };
  return {
    action: 'apply',
    // Record the high-water mark first: if the worker dies mid-update, the next run still removes
    // every rule this one may have added.
    before: { ...previous, highestRuleId: highest },
    update: { removeRuleIds, addRules: [...changes.addRules, ...built.otherRules] },
    dynamicRules: [...built.policyRules, ...built.otherRules],
    overlayBefore,
    overlayUpdate: hadOverlay ? { rules: [] } : null,
    ...(hadOverlay || input.storedOverlay ? { storeOverlay: null } : {}),
    state,
    effectivePolicy: policy,
    blockPageInfo,
  };
}

/**
 * The overlay for this update, or null when the change must go into the dynamic rules. Only a
 * change of the rule list alone qualifies: the list names, in `changes`, the version whose verdicts
 * are in force; the inputs are otherwise the same (policy, built-in lists, browser); only category
 * domain rules differ (no URL prefix, allow or block list, locked category, header or safe-search
 * rule); every category comes from the same place as before; and the overlay is small.
 */
async function planOverlayUpdate(
  input: PlanInput,
  built: Built,
  known: Record<number, RuleKey>,
  changes: { removeRuleIds: number[]; addRules: DnrRule[] },
  origins: EnforcementState['origins'],
): Promise<
  { stored: StoredOverlay; inForce: NonNullable<EnforcementState['overlay']> } | string | null
> {
  const { previous } = input;
  const listChanges = built.extra?.changes;
  if (!listChanges || !built.sinceHash) return null;
  if (previous.ruleListFingerprint !== listChanges.since)
    return `the list's changes are since version ${listChanges.sinceVersion}, not the version in force`;
  if (built.sinceHash !== previous.rulesHash)
    return 'more than the rule list changed (policy, built-in lists or browser)';
  if (previous.otherRulesHash !== built.otherRulesHash)
    return 'safe-search or account-header rules changed';
  // Sorted: browser storage gives objects back with their keys in its own order.
  const whereFrom = (origins: EnforcementState['origins']) =>
    JSON.stringify(
      Object.entries(origins ?? {})
        .map(([c, o]) => `${c} ${o.list} ${o.locked ?? false}`)
        .sort(),
    );
  const sameOrigins = (a: EnforcementState['origins'], b: EnforcementState['origins']) =>
    whereFrom(a) === whereFrom(b);
  if (!sameOrigins(previous.origins, origins)) return 'a category was added, removed or locked';
  const categoryKey = /^category\/[^/]+\/[^/]+\/depth \d+$/;
  const notCategory =
    'rules other than category domains changed (URL prefixes, allow or block list, locked)';
  for (const id of changes.removeRuleIds) {
    if (!categoryKey.test(known[id]?.key ?? '')) return notCategory;
  }
  for (const rule of changes.addRules) {
    if (!categoryKey.test(built.ruleKeys[rule.id]?.key ?? '')) return notCategory;
  }
  // Over several small updates the overlay covers every domain changed since the base.
  const stored = input.storedOverlay ?? null;
  if (previous.overlay && stored?.hash !== previous.overlay.hash)
    return 'the overlay in force was not found in storage';
  const cover = new Set(previous.overlay ? stored!.cover : []);
  for (const domain of listChanges.domains) cover.add(domain);
  const overlay = planOverlay({
    cover,
    rules: built.policyRules,
    sortedParts: built.sortedParts,
    categoryLists: built.lists,
    compiledCategories: built.extra?.compiled ?? {},
    lockedCategories: built.summary.lockedCategories,
  });
  if (!overlay.ok) return overlay.reason;
  let categoryDomains = 0;
  for (const [c, n] of Object.entries(built.summary.domainsByCategory)) {
    if (!built.summary.lockedCategories.includes(c)) categoryDomains += n;
  }
  const tooBig = overlayFits(
    { rules: overlay.rules.length, domains: overlay.domains },
    categoryDomains,
    Object.keys(known).length + built.otherRules.length,
    input.target,
  );
  if (tooBig !== null) return tooBig;
  const hash = await input.sha256(
    `${previous.dynamicRulesHash ?? previous.rulesHash}+${built.hash}+${JSON.stringify(overlay.rules)}`,
  );
  return {
    stored: { hash, cover: [...cover], rules: overlay.rules },
    inForce: {
      hash,
      cover: cover.size,
      domains: overlay.domains,
      rules: overlay.rules.length,
      baseVersion: previous.overlay
        ? previous.overlay.baseVersion
        : (previous.ruleListVersion ?? null),
    },
  };
}

/**
 * The overlay for a change document (lib/rule-list/changes.ts), planned without the full list, or
 * null when the full list must decide. Used only when the document starts from the list in force
 * (`since`), leads to a higher version, changes no locked category and no category the list does
 * not supply, and nothing but the list changed (the inputs' fingerprint with `since` for the list
 * is the one in force). The new verdicts come from compiling the document's context (every domain
 * the new list lists at, above or under a changed domain) with the policy in force and the
 * built-in categories: the compiler gives a domain the strictest category listing it and drops a
 * subdomain whose nearest listed parent has the same category, both decided by the domain and its
 * parents only, so on these names it decides as the full compile would. Allow and block lists,
 * URL prefixes and locked categories sit above the overlay and did not change.
 */
async function planFromChangeDocument(
  input: PlanInput,
  doc: ChangeDocument,
  policy: StewardPolicy,
  source: PolicySource,
): Promise<EnforcementPlan | null> {
  const { previous, now } = input;
  const moded = modedPolicy(policy, input);
  if (doc.since !== previous.ruleListFingerprint || !previous.rulesHash) return null;
  if (previous.ruleListVersion == null || doc.version <= previous.ruleListVersion) return null;
  if ((await inputsHash(moded, doc.since, input)) !== previous.rulesHash) return null;
  const origins = previous.origins ?? {};
  for (const id of [...Object.keys(doc.categories), ...Object.keys(doc.context)]) {
    const origin = origins[id];
    if (origin?.list !== 'rule list' || origin.locked) return null;
  }
  const stored = input.storedOverlay ?? null;
  if (previous.overlay && stored?.hash !== previous.overlay.hash) return null;
  // The rule list's categories: only the context; locked ones decide above and are left out.
  const lists: Record<string, CategoryList> = {};
  for (const [id, list] of Object.entries(input.builtIn.lists)) {
    if (origins[id]?.list !== 'rule list') lists[id] = list;
  }
  for (const [id, origin] of Object.entries(origins)) {
    if (origin.list === 'rule list' && !origin.locked) {
      lists[id] = { domains: doc.context[id] ?? [], urlPrefixes: [] };
    }
  }
  const compiled = compileRules({
    policy: moded,
    categoryLists: lists,
    previousRuleIds: idsByKey(previous.ruleKeys ?? {}),
    blockPageUrl: input.blockPageUrl,
    target: input.target,
  });
  if (!compiled.ok) return null;
  const changed = changedDomains(doc);
  const overlay = planOverlayOnto(previous.overlay ? stored!.rules : null, {
    cover: changed,
    rules: compiled.rules,
    categoryLists: lists,
    compiledCategories: {},
    lockedCategories: [],
  });
  if (!overlay.ok) return null;
  const summary = previous.summary!;
  const domainsByCategory = { ...summary.domainsByCategory };
  for (const [id, { added, removed }] of Object.entries(doc.categories)) {
    if (previous.categories?.[id] === 'allow') continue;
    domainsByCategory[id] = Math.max(
      0,
      (domainsByCategory[id] ?? 0) + added.length - removed.length,
    );
  }
  let categoryDomains = 0;
  for (const [c, n] of Object.entries(domainsByCategory)) {
    if (!summary.lockedCategories.includes(c)) categoryDomains += n;
  }
  if (
    overlayFits(
      { rules: overlay.rules.length, domains: overlay.domains },
      categoryDomains,
      summary.rules + 2,
      input.target,
    ) !== null
  ) {
    return null;
  }
  const rulesHash = await inputsHash(moded, doc.result, input);
  const cover = new Set(previous.overlay ? stored!.cover : []);
  for (const domain of changed) cover.add(domain);
  const hash = await input.sha256(
    `${previous.dynamicRulesHash ?? previous.rulesHash}+${rulesHash}+${JSON.stringify(overlay.rules)}`,
  );
  return {
    action: 'overlay',
    before: null,
    update: null,
    overlayUpdate: { rules: [...overlay.rules, overlayMarkerRule(hash)] },
    storeOverlay: { hash, cover: [...cover], rules: overlay.rules },
    state: {
      ...previous,
      source,
      ruleListVersion: doc.version,
      ruleListFingerprint: doc.result,
      rulesHash,
      dynamicRulesHash: previous.dynamicRulesHash ?? previous.rulesHash,
      summary: { ...summary, domainsByCategory },
      overlay: {
        hash,
        cover: cover.size,
        domains: overlay.domains,
        rules: overlay.rules.length,
        baseVersion: previous.overlay ? previous.overlay.baseVersion : previous.ruleListVersion,
        unverified: true,
      },
      appliedAt: now,
      checkedAt: now,
      applyError: null,
      lastUpdate: { ...overlayOnly(previous), fromChangeDocument: true },
      ...personalUseState(policy, now),
    },
    effectivePolicy: policy,
    blockPageInfo: null,
  };
}

/** An update that went into the session overlay only: every dynamic rule kept, none sent. */
function overlayOnly(previous: EnforcementState) {
  return {
    sent: 0,
    kept: Object.keys(previous.ruleKeys ?? {}).length,
    removed: 0,
    overlay: true as const,
  };
}

/**
 * The overlay in force, checked against the full list now stored: `unchanged` (the state no
 * longer unverified) when every verdict agrees, else an overlay plan from the full list. Null when
 * it cannot be planned from the list: then the caller goes on to a full update, which folds it.
 */
async function checkedOverlay(input: PlanInput, built: Built): Promise<EnforcementPlan | null> {
  const { previous, now } = input;
  const stored = input.storedOverlay ?? null;
  if (!previous.overlay || stored?.hash !== previous.overlay.hash) return null;
  const fromList = planOverlay({
    cover: stored.cover,
    rules: built.policyRules,
    sortedParts: built.sortedParts,
    categoryLists: built.lists,
    compiledCategories: built.extra?.compiled ?? {},
    lockedCategories: built.summary.lockedCategories,
  });
  if (!fromList.ok) return null;
  const verified = { ...previous.overlay, unverified: false };
  if (sameOverlayVerdicts(fromList.rules, stored.rules)) {
    return {
      action: 'unchanged',
      before: null,
      update: null,
      overlayUpdate: null,
      state: { ...previous, overlay: verified, checkedAt: now, applyError: null },
      effectivePolicy: null,
      blockPageInfo: null,
    };
  }
  const hash = await input.sha256(
    `${previous.dynamicRulesHash ?? previous.rulesHash}+${built.hash}+${JSON.stringify(fromList.rules)}+checked`,
  );
  return {
    action: 'overlay',
    before: null,
    update: null,
    overlayUpdate: { rules: [...fromList.rules, overlayMarkerRule(hash)] },
    storeOverlay: { hash, cover: stored.cover, rules: fromList.rules },
    state: {
      ...previous,
      overlay: { ...verified, hash, domains: fromList.domains, rules: fromList.rules.length },
      appliedAt: now,
      checkedAt: now,
      applyError: null,
      lastUpdate: {
        ...overlayOnly(previous),
        overlayRefused:
          'the change document disagreed with its full list: the overlay now follows the list',
      },
    },
    effectivePolicy: null,
    blockPageInfo: null,
  };
}

function hasWindows(policy: StewardPolicy): boolean {
  const p = policy.personalUse;
  return p !== undefined && (p.windows.length > 0 || p.closedDates.length > 0);
}

/** The schedule's state at `now`, for the popup, the block page and the boundary alarm. */
function personalUseState(
  policy: StewardPolicy,
  now: number,
): { personalUse?: PersonalUseInForce } {
  if (!hasWindows(policy)) return { personalUse: undefined };
  const at = personalUseAt(policy.personalUse, policy.timeZone, now);
  return {
    personalUse: {
      timeZone: policy.timeZone,
      openUntil: at.current?.end ?? null,
      next: at.next,
      nextBoundary: at.nextBoundary,
    },
  };
}

function accountHeaderWarnings(policy: StewardPolicy): string[] {
  const headers = accountHeadersFor(policy);
  return headers.ok ? headers.warnings : [];
}

function isManagedMode(managed: unknown, category: string): boolean {
  const categories = (managed as { categories?: Record<string, unknown> } | null)?.categories;
  return typeof categories === 'object' && categories !== null && category in categories;
}
