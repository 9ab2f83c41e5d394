/**
 * What the service worker records about enforcement, read by the popup, the options page, the
 * block page and the report. Pure types and helpers.
 */
import type { CompiledSummary, RuleKey } from './compiler.ts';
import type { AccessRequest, CategoryMode, PolicySource } from './policy.ts';

export type EnforcementState = {
  /** Where the policy in force came from. */
  source: PolicySource;
  /** Modes in force, per category. */
  categories: Record<string, CategoryMode>;
  /** Where each category's mode comes from, and where its list comes from. */
  origins?: Record<
    string,
    {
      mode: 'managed policy' | 'default';
      list: 'built-in' | 'rule list';
      /** The rule list locks it: always blocked, whatever the policy says. */
      locked?: boolean;
    }
  >;
  /** Version of the signed rule list in force, if any. */
  ruleListVersion?: number | null;
  schoolName?: string;
  policyVersion: string;
  /** The last policy Steward was given could not be used (plain-English reasons). */
  policyErrors: string[];
  policyWarnings: string[];
  summary: CompiledSummary | null;
  /** Fingerprint of the rules in force; an unchanged policy is not re-applied. */
  rulesHash: string | null;
  /** Highest dynamic rule id ever applied, so a re-apply removes every old rule. */
  highestRuleId: number;
  /** The policy rules in force: id → key and fingerprint (lib/compiler.ts), for updates that move only what changed. */
  ruleKeys?: Record<number, RuleKey>;
  /** The last update: policy rules sent and kept, and removed (null: everything was replaced). */
  lastUpdate?: {
    sent: number;
    kept: number;
    removed: number | null;
    /** The change went into an overlay of session rules; dynamic rules untouched. */
    overlay?: boolean;
    /** That overlay came from a signed change document, without the full list (lib/rule-list/changes.ts). */
    fromChangeDocument?: boolean;
    /** Why a rule-list change that named its changes still went into the dynamic rules. */
    overlayRefused?: string;
  };
  appliedAt: number | null;
  checkedAt: number | null;
  /** The browser refused the last update (after retries); the next reconcile tries again. */
  applyError?: string | null;
  /** SHA-256 of the rule list whose verdicts are in force (an overlay's `changes.since` is checked against it). */
  ruleListFingerprint?: string | null;
  /** Fingerprint of the header and safe-search rules in force (an overlay needs them unchanged). */
  otherRulesHash?: string;
  /**
   * With an overlay in force: the fingerprint the dynamic rules' marker carries (an earlier
   * compile, the base), while `rulesHash` names what is in force with the overlay on top.
   */
  dynamicRulesHash?: string;
  /** A small rule-list change laid over the dynamic rules as session rules (lib/overlay.ts). */
  overlay?: OverlayInForce | null;
  /** Personal-use windows as of the last reconcile (absent: the policy has none). */
  personalUse?: PersonalUseInForce;
};

/** The overlay in force: its marker's fingerprint and its size (popup, options, report). */
export type OverlayInForce = {
  hash: string;
  /** Domains changed since the base (the overlay covers every host at or under them). */
  cover: number;
  /** Domains the overlay's rules name. */
  domains: number;
  rules: number;
  /** The rule-list version the dynamic rules came from. */
  baseVersion: number | null;
  /**
   * Planned from a change document, not yet checked against its full list: when the full list is
   * stored, the overlay is planned from it and replaced if any verdict differs.
   */
  unverified?: boolean;
};

/** Where the school's personal-use schedule stood at the last reconcile (lib/personal-use.ts). */
export type PersonalUseInForce = {
  /** The school's time zone, in which the popup and block page say times. */
  timeZone: string;
  /** The open window's end, or null when none is open. */
  openUntil: number | null;
  /** The next window after now (start and end), or null if none is coming within nine days. */
  next: { start: number; end: number } | null;
  /** When the schedule next changes what is in force: the worker's alarm is set for it. */
  nextBoundary: number | null;
};

export const INITIAL_STATE: EnforcementState = {
  source: 'default',
  categories: {},
  policyVersion: '',
  policyErrors: [],
  policyWarnings: [],
  summary: null,
  rulesHash: null,
  highestRuleId: 0,
  appliedAt: null,
  checkedAt: null,
};

/** What the block page needs to explain a block, kept in local storage by the service worker. */
export type BlockPageInfo = {
  clauses: Record<string, string>;
  /** Display names of categories that have no built-in label (from rule lists). */
  categoryLabels: Record<string, string>;
  accessRequest: AccessRequest;
  schoolName?: string;
  warnContinueMinutes: number;
};
