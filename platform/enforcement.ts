/**
 * Enforcement in the browser: read → plan → execute. The decision is lib/enforcement-plan.ts (pure,
 * tested in Node); this module reads its inputs from the browser, runs the plan through the one DNR
 * queue (platform/dnr-queue.ts) with retries, and answers the block page from the rules in force.
 *
 *   worker start, alarm, policy change, rule list ─> reconcile ─> planEnforcement ─> DNR update
 *                                                                   │ fails: retry with backoff,
 *                                                                   └─ then the next reconcile
 *   block page ─(URL only)─> verdict / Continue / count ─> re-derived here from the rules in force
 */

import {
  builtInClauses,
  builtInFingerprint,
  builtInLists,
} from 'virtual:steward-built-in-categories';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import {
  decideBlockPageCount,
  forgetTabInLedger,
  navigationKey,
  noteNavigationStart,
} from '../lib/block-page-count.ts';
import { decideContinue, verdictForUrl } from '../lib/block-verdict.ts';
import { type BrowserTarget, type DnrRule, explainUrl, RULE_IDS } from '../lib/compiler.ts';
import { DEFAULT_RULESET_ID } from '../lib/default-ruleset.ts';
import {
  type DnrUpdate,
  type EnforcementPlan,
  MARKER_RULE_ID,
  markerHash,
  planEnforcement,
  type RuleListContribution,
} from '../lib/enforcement-plan.ts';
import type { EnforcementState } from '../lib/enforcement-state.ts';
import type { BlockPageVerdict, ContinueReply, TestUrlReply } from '../lib/messages.ts';
import { isOverlayRuleId, OVERLAY_MARKER_RULE_ID, overlayMarkerHash } from '../lib/overlay.ts';
import { NO_PERSONAL_USE, personalUseOpensAt, sayWhen } from '../lib/personal-use.ts';
import type { StewardPolicy } from '../lib/policy.ts';
import type { ChangeDocument } from '../lib/rule-list/changes.ts';
import { sha256Hex } from '../lib/rule-list/update.ts';
import {
  type IndexedLayer,
  indexRules,
  namesAsked,
  type RuleLayer,
  ruleIdsTag,
  rulesFor,
  trustedLayers,
} from '../lib/verdict-lookup.ts';
import * as clock from './clock.ts';
import { firstTaskSince, idleQueueMark, inDnrQueue } from './dnr-queue.ts';
import {
  blockPageInfo,
  blockPageLedger,
  effectivePolicy,
  enforcementState,
  ruleOverlay,
  warnContinueGrants,
} from './storage.ts';
import type { VerdictIndexStore } from './verdict-index.ts';

export const BLOCK_PAGE_PATH = '/blocked.html';

/** Reconcile at least this often, so nothing waits for an event to heal (worker stopped, rules lost). */
export const RECONCILE_ALARM = 'steward-reconcile';
export const RECONCILE_PERIOD_MINUTES = 1;
/** Delays before each attempt at an update the browser refused. */
export const RETRY_DELAYS_MS = [0, 250, 1_000, 4_000];

/**
 * Where the rule list's contribution comes from (platform/rule-list.ts). `fingerprint` answers
 * without loading the list when it can; `release` drops whatever was loaded once a reconcile is
 * over, so the worker keeps no parsed list between reconciles.
 */
export type CategorySource = {
  contribution: (policy: StewardPolicy) => Promise<RuleListContribution | null>;
  fingerprint: (policy: StewardPolicy) => Promise<string | null | undefined>;
  /** A verified change document over the list in force, not yet in its full list (or null). */
  changes?: (policy: StewardPolicy) => Promise<ChangeDocument | null>;
  release: () => void;
};

let extraSource: CategorySource | null = null;
export function setCategorySource(source: CategorySource): void {
  extraSource = source;
}

/**
 * Where the verdict index is kept (platform/verdict-index.ts; none: every verdict reads the
 * browser's rules in full, as in the Node tests that give no store).
 */
let verdictStore: VerdictIndexStore | null = null;
export function setVerdictStore(store: VerdictIndexStore | null): void {
  verdictStore = store;
}

export function browserTarget(): BrowserTarget {
  return import.meta.env.FIREFOX ? 'firefox' : 'chrome';
}

/**
 * Bring the browser's rules in line with the policy: at every worker start, on the alarm, when the
 * policy or rule list changes. Serialised with every other DNR change; resolves with the new state.
 */
/**
 * Where the last reconcile's time went (the rule-list refresh reports it to the options page and
 * the benchmark): planning (reading inputs, compiling), the browser's own update, and recording the
 * outcome afterwards.
 */
export type ReconcileTimings = {
  planMs: number;
  browserMs: number;
  settleMs: number;
  /**
   * Recording the outcome (the policy, the block page's facts and the state, one storage write)
   * once the rules are in force (`ApplyOptions.onInForce`); not in settleMs.
   */
  recordMs?: number;
  /** Building and storing the verdict index, once the rules are in force (not in the others). */
  indexMs?: number;
  /** Within planMs: reading the inputs, then waiting for the managed policy, then planning. */
  inputsMs?: number;
  policyMs?: number;
  computeMs?: number;
  /** Within planMs: the state written before the browser's update. */
  beforeMs?: number;
  /** When the reconcile began (performance.now), to tell queueing from work. */
  startedAt?: number;
};
let lastTimings: ReconcileTimings = { planMs: 0, browserMs: 0, settleMs: 0 };
export const lastReconcileTimings = (): ReconcileTimings => lastTimings;

export type ApplyOptions = {
  /**
   * Take the markers this worker's last reconcile proved or wrote instead of asking the browser
   * (when it has them). For a change document laid over the list in force: with a 1M list in
   * force, Chromium reads its whole dynamic-rule file to answer even a one-id `getDynamicRules`
   * (100–250 ms), more than the rest of a small change. Only this worker changes its rules, each
   * change in this queue, so what it last proved is what is in force. A full list, the worker's
   * starts and the minute alarm still ask the browser, and a failed reconcile forgets.
   */
  markersFromLastReconcile?: boolean;
  /** This reconcile's inputs, read ahead by the caller (`readReconcileInputsAhead`). */
  inputsAhead?: InputsAhead | null;
  /**
   * Called once the browser has taken the update and what it enforces is settled (the overlay,
   * Continue grants, the static default), before the outcome is recorded in storage: the moment
   * the new rules protect. Not called when nothing was sent or the update failed.
   */
  onInForce?: () => void;
};

export function applyPolicy(reason: string, options: ApplyOptions = {}): Promise<EnforcementState> {
  return inDnrQueue(() => reconcileNow(reason, options).finally(() => extraSource?.release()));
}

/**
 * (Re)create the periodic reconcile alarm. Called first thing at every worker start, so it is
 * pushed back by each start; that is fine, since every start reconciles anyway.
 */
export function scheduleReconcile(): void {
  // An async wrapper: the call is made now, and neither a synchronous throw nor a non-promise
  // return (the polyfill passes alarms.create through) can stop main() from going on.
  void (async () => {
    await browser.alarms.create(RECONCILE_ALARM, {
      periodInMinutes: RECONCILE_PERIOD_MINUTES,
      delayInMinutes: RECONCILE_PERIOD_MINUTES,
    });
  })().catch((e: unknown) => console.warn('[steward] reconcile alarm', e));
}

/** A one-shot alarm at the personal-use schedule's next boundary (a window opening or closing). */
export const PERSONAL_USE_ALARM = 'steward-personal-use';
/** Chrome delays a packed extension's alarm to at least 30 s away; nearer boundaries get a timer. */
const ALARM_MINIMUM_MS = 30_000;
let boundaryTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * True once this worker cleared the boundary alarm and has set none since: the next reconcile
 * with no boundary ahead has nothing to clear (a round trip after every update otherwise). Only
 * scheduleBoundary sets that alarm; a new worker does not know, and clears it once.
 */
let boundaryAlarmCleared = false;

/**
 * Wake at the schedule's next boundary and reconcile then (re-set after every reconcile). A worker
 * stopped across a boundary catches up anyway: every start and the minute alarm reconcile.
 */
async function scheduleBoundary(boundary: number | null | undefined): Promise<void> {
  clearTimeout(boundaryTimer);
  try {
    if (boundary === null || boundary === undefined) {
      if (boundaryAlarmCleared) return;
      await browser.alarms.clear(PERSONAL_USE_ALARM);
      boundaryAlarmCleared = true;
      return;
    }
    boundaryAlarmCleared = false;
    const when = await clock.realTimeOf(boundary);
    await browser.alarms.create(PERSONAL_USE_ALARM, { when: Math.max(when, Date.now() + 1) });
    const delay = when - Date.now();
    if (delay < ALARM_MINIMUM_MS) {
      boundaryTimer = setTimeout(
        () => void applyPolicy('personal-use window boundary (timer)').catch(() => undefined),
        Math.max(0, delay),
      );
    }
  } catch (error) {
    console.warn('[steward] personal-use alarm', error);
  }
}

/** How long to wait for `storage.managed.get()`; Chromium can leave it pending for good. */
const MANAGED_POLICY_TIMEOUT_MS = 5_000;

/** The managed policy, `{}` for none, or undefined when the browser does not answer in time. */
async function readManagedPolicy(): Promise<unknown> {
  const read = browser.storage.managed.get().catch(
    // Firefox throws when no policy names this extension: that is "no policy", not an error.
    () => ({}),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), MANAGED_POLICY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Chromium sometimes leaves `storage.managed.get()` unanswered (seen under load right after a
 * policy reload): the last good policy stays in force, and the policy is asked for again soon
 * (2 s, doubling to a minute) rather than at the next minute alarm. A worker stopped meanwhile is
 * woken by that alarm anyway.
 */
const UNANSWERED_RETRY_MS = { first: 2_000, most: 60_000 };
let unansweredRetryMs: number = UNANSWERED_RETRY_MS.first;
let unansweredRetry: ReturnType<typeof setTimeout> | undefined;
function askAgainIfUnanswered(unanswered: boolean): void {
  if (!unanswered) {
    unansweredRetryMs = UNANSWERED_RETRY_MS.first;
    return;
  }
  if (unansweredRetry !== undefined) return;
  console.warn(
    `[steward] the browser did not hand over the policy; asking again in ${unansweredRetryMs} ms`,
  );
  unansweredRetry = setTimeout(() => {
    unansweredRetry = undefined;
    void applyPolicy('asking again for the policy the browser had not handed over');
  }, unansweredRetryMs);
  unansweredRetryMs = Math.min(unansweredRetryMs * 2, UNANSWERED_RETRY_MS.most);
}

/** How long a new install waits for the policy before putting the built-in default in force. */
export const FIRST_INSTALL_POLICY_WAIT_MS = 300;
const AWAITED = Symbol('awaited');

/** The promise's value, or AWAITED if it has not settled within `ms`. */
async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | typeof AWAITED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof AWAITED>((resolve) => {
    timer = setTimeout(() => resolve(AWAITED), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The fingerprint on the marker rule in the browser: one tiny rule, not the whole rule set. */
async function readMarker(): Promise<string | null> {
  try {
    const [rule] = await browser.declarativeNetRequest.getDynamicRules({
      ruleIds: [MARKER_RULE_ID],
    });
    return markerHash(rule);
  } catch {
    return null;
  }
}

/** The fingerprint on the overlay's session marker (lib/overlay.ts), or null. */
async function readOverlayMarker(): Promise<string | null> {
  try {
    const rules = await browser.declarativeNetRequest.getSessionRules({
      ruleIds: [OVERLAY_MARKER_RULE_ID],
    });
    // By id: a browser that ignores the filter returns every session rule.
    return overlayMarkerHash(rules.find((r) => r.id === OVERLAY_MARKER_RULE_ID));
  } catch {
    return null;
  }
}

/**
 * Put `rules` in place of every overlay rule the session holds (one atomic call), with the same
 * retries as a dynamic update. Cheap: session rules are indexed apart from the dynamic ones.
 */
async function replaceOverlay(rules: DnrRule[]): Promise<void> {
  let lastError: unknown;
  for (const delay of RETRY_DELAYS_MS) {
    if (delay > 0) await sleep(delay);
    try {
      const inSession = await browser.declarativeNetRequest.getSessionRules();
      await browser.declarativeNetRequest.updateSessionRules({
        removeRuleIds: inSession.map((r) => r.id).filter(isOverlayRuleId),
        addRules: rules as Parameters<
          typeof browser.declarativeNetRequest.updateSessionRules
        >[0]['addRules'],
      });
      return;
    } catch (error) {
      lastError = error;
      console.warn('[steward] updateSessionRules (overlay) failed; retrying', error);
    }
  }
  throw lastError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function updateWithRetries(update: DnrUpdate): Promise<void> {
  let lastError: unknown;
  for (const delay of RETRY_DELAYS_MS) {
    if (delay > 0) await sleep(delay);
    try {
      await browser.declarativeNetRequest.updateDynamicRules(
        update as Parameters<typeof browser.declarativeNetRequest.updateDynamicRules>[0],
      );
      return;
    } catch (error) {
      lastError = error;
      console.warn('[steward] updateDynamicRules failed; retrying', error);
    }
  }
  throw lastError;
}

async function reconcileNow(reason: string, options: ApplyOptions): Promise<EnforcementState> {
  const known = options.markersFromLastReconcile ? markersInForce : null;
  const state = await reconcileRules(
    reason,
    false,
    known,
    options.inputsAhead ?? null,
    options.onInForce,
  );
  await scheduleBoundary(state.personalUse?.nextBoundary);
  return state;
}

/**
 * The markers (dynamic, overlay) this worker's last reconcile read from the browser or put there;
 * null when not known (a new worker, a reconcile in progress or failed). Every change of Steward's
 * rules is a reconcile in the one queue, and every worker start and the minute alarm reconcile,
 * so a verdict in the queue after a reconcile can rely on what it proved. Asking again is not
 * cheap with a big list: Chromium reads its whole dynamic-rule file to answer `getDynamicRules`,
 * even for one rule id.
 */
let markersInForce: { dynamic: string | null; overlay: string | null } | null = null;

/** What a reconcile reads before it plans: the stored state and the markers in the browser. */
type ReconcileInputs = [
  EnforcementState,
  StewardPolicy,
  string | null,
  string | null,
  Awaited<ReturnType<typeof ruleOverlay.getValue>>,
];

function readInputs(markers: boolean): Promise<ReconcileInputs> {
  return Promise.all([
    enforcementState.getValue(),
    effectivePolicy.getValue(),
    markers ? readMarker() : null,
    markers ? readOverlayMarker() : null,
    ruleOverlay.getValue(),
  ]);
}

/** A reconcile's inputs read ahead of it (`readReconcileInputsAhead`), with the queue's mark. */
export type InputsAhead = {
  mark: number;
  managed: Promise<unknown>;
  inputs: Promise<ReconcileInputs>;
};

/**
 * Ask for the next reconcile's inputs now, while the worker is busy with something that does not
 * need them (a rule list's update asks while it reads the new list, whose signature is still
 * being checked: nothing here depends on the list). Pass the result to that reconcile
 * (`ApplyOptions.inputsAhead`); it uses them only if no task of the DNR queue has begun since,
 * so the state, the rules and the stored overlay are what it would read itself. The managed policy
 * can change at any moment, as it can while a reconcile plans: a change queues a reconcile of its
 * own. Null while the queue is busy.
 */
export function readReconcileInputsAhead(): InputsAhead | null {
  const mark = idleQueueMark();
  if (mark === null) return null;
  const inputs = readInputs(true);
  const managed = readManagedPolicy();
  // Unused (the list refused, the queue busy meanwhile): no unhandled rejection.
  inputs.catch(() => undefined);
  return { mark, managed, inputs };
}

async function reconcileRules(
  reason: string,
  overlayPutBack = false,
  /** The markers in force when the caller knows them (ApplyOptions); null: ask the browser. */
  known: { dynamic: string | null; overlay: string | null } | null = null,
  /** The inputs read ahead (ApplyOptions.inputsAhead), if any. */
  early: InputsAhead | null = null,
  /** ApplyOptions.onInForce. */
  onInForce?: () => void,
): Promise<EnforcementState> {
  const started = performance.now();
  markersInForce = null;
  // Read ahead by the caller (a rule list's update, while it read the list): used only when no
  // other task of the queue has begun since, so nothing they hold can have changed.
  const ahead = early && firstTaskSince(early.mark) ? early : null;
  // Every input is asked for at once: each is a round trip to the browser, and one after another
  // they were a fixed cost on every update (a tenth of a 100k-domain update's time).
  const managedRead = ahead ? ahead.managed : readManagedPolicy();
  const [previous, policyInForce, markerRead, overlayRead, overlayStored] = await (ahead
    ? ahead.inputs
    : readInputs(known === null));
  const markerInBrowser = known ? known.dynamic : markerRead;
  const overlayInBrowser = known ? known.overlay : overlayRead;
  const inputsRead = performance.now();
  const lastGoodPolicy = previous.appliedAt !== null ? policyInForce : null;
  // Only an overlay in force (or one to fold or put back) needs the stored rules.
  const storedOverlay = previous.overlay ? overlayStored : null;
  // A new install's browser can take seconds to hand over the policy (about 2.5 s measured in
  // Debian's Chromium 156). With nothing in force, the default goes in at once and the policy follows.
  const firstAnswer = await (previous.appliedAt === null
    ? withinMs(managedRead, FIRST_INSTALL_POLICY_WAIT_MS)
    : managedRead);
  const managedAwaited = firstAnswer === AWAITED;
  const managed = managedAwaited ? undefined : firstAnswer;
  if (managedAwaited) {
    void managedRead.then(() => applyPolicy('the browser handed over the policy'));
  }
  askAgainIfUnanswered(managed === undefined && !managedAwaited);
  const policyRead = performance.now();
  const now = await clock.now();
  const plan = await planEnforcement({
    previous,
    lastGoodPolicy,
    managed,
    managedAwaited,
    builtIn: { lists: builtInLists, clauses: builtInClauses, fingerprint: builtInFingerprint },
    ruleListFor: (policy) =>
      extraSource ? extraSource.contribution(policy) : Promise.resolve(null),
    ruleListFingerprintFor: (policy) =>
      extraSource ? extraSource.fingerprint(policy) : Promise.resolve(null),
    ruleListChangesFor: (policy) => extraSource?.changes?.(policy) ?? Promise.resolve(null),
    markerInBrowser,
    overlayInBrowser,
    storedOverlay,
    blockPageUrl: browser.runtime.getURL(BLOCK_PAGE_PATH),
    target: browserTarget(),
    now,
    sha256: (text) => sha256Hex(new TextEncoder().encode(text)),
  });
  const planned = performance.now();
  if (!plan.update && !plan.overlayUpdate) {
    // Before the state: whoever sees the state sees the static default already settled.
    await settleDefaultRuleset(plan.state.appliedAt !== null);
    await enforcementState.setValue(plan.state);
    markersInForce = { dynamic: markerInBrowser, overlay: overlayInBrowser };
    lastTimings = {
      planMs: planned - started,
      browserMs: 0,
      settleMs: performance.now() - planned,
    };
    console.info(`[steward] ${plan.action} (${reason})`);
    return plan.state;
  }
  // The high-water mark first (a worker stopped mid-update still removes every id this one may
  // add); when it has not moved, `before` is the state just read (this queue task's, or read ahead
  // with no task since), already stored: writing it again was a round trip to the browser ahead of
  // every update (~1 ms of a 100k-domain update, h31-update), and the same stored state either way.
  if (plan.before && plan.before.highestRuleId !== previous.highestRuleId) {
    await enforcementState.setValue(plan.before);
  }
  const sending = performance.now();
  const phases = {
    inputsMs: inputsRead - started,
    policyMs: policyRead - inputsRead,
    computeMs: planned - policyRead,
    beforeMs: sending - planned,
    startedAt: started,
  };
  // Order (lib/enforcement-plan.ts): a folding overlay, then the dynamic rules, then the overlay.
  try {
    if (plan.overlayBefore) await replaceOverlay(plan.overlayBefore.rules);
    if (plan.update) await updateWithRetries(plan.update);
    else if (plan.overlayUpdate) await replaceOverlay(plan.overlayUpdate.rules);
  } catch (error) {
    // The previous rules (if any) stay; the reconcile alarm tries again.
    const failed: EnforcementState = {
      ...(plan.before ?? previous),
      checkedAt: now,
      applyError: error instanceof Error ? error.message : String(error),
    };
    // Nothing of Steward's own in force yet: the built-in default stays on in the static ruleset.
    if (failed.appliedAt === null) await settleDefaultRuleset(false);
    await enforcementState.setValue(failed);
    console.error(`[steward] rules could not be applied (${reason})`, error);
    return failed;
  }
  let overlayLeftBehind = false;
  if (plan.update && plan.overlayUpdate) {
    // The dynamic rules now say everything: the overlay goes. Should that fail, the state below
    // names no overlay, so the next reconcile sees the one left behind and clears it.
    await replaceOverlay(plan.overlayUpdate.rules).catch((error: unknown) => {
      overlayLeftBehind = true;
      console.warn('[steward] the folded overlay could not be cleared yet', error);
    });
  }
  if (plan.storeOverlay === null) await ruleOverlay.removeValue();
  else if (plan.storeOverlay) await ruleOverlay.setValue(plan.storeOverlay);
  const sent = performance.now();
  // The update may carry only the rules that changed (stable ids): read the whole set back from
  // the browser when a verdict next needs it.
  rulesInForce = null;
  if (!overlayLeftBehind) markersInForce = markersAfter(plan, markerInBrowser, overlayInBrowser);
  if (plan.action === 'restore overlay' && !overlayPutBack) {
    // Nothing about the rules changed (Continue grants stay): plan again for anything else.
    await enforcementState.setValue(plan.state);
    await storeVerdictIndex(plan);
    console.info(`[steward] overlay put back (${reason})`);
    return reconcileRules(`${reason}, after putting the overlay back`, true);
  }
  // Continue grants were given under the old rules: none outlives a change of rules.
  await clearGrants();
  await settleDefaultRuleset(true);
  const settled = performance.now();
  // The new rules protect from here; what follows records it. A worker stopped before the record
  // lands finds, at its next start, a marker in the browser that the stored state does not name,
  // and re-applies from what is stored (tests/unit/platform/enforcement.test.ts): the record is
  // for the next reconcile, not for the rules in force (h32-update).
  onInForce?.();
  // One write: the policy, the block page's facts and the state land together or not at all, so a
  // worker stopped here never leaves a state that names a policy it did not record.
  await storage.setItems([
    ...(plan.effectivePolicy ? [{ item: effectivePolicy, value: plan.effectivePolicy }] : []),
    ...(plan.blockPageInfo ? [{ item: blockPageInfo, value: plan.blockPageInfo }] : []),
    { item: enforcementState, value: plan.state },
  ]);
  const inForce = performance.now();
  // The verdict index once the rules are in force, not while the browser takes them: building it
  // for a 1M list is over a second of the worker's CPU, which on a two-core laptop slowed the
  // browser's own update (1M update 1.17 → 1.51× a bare apply when built alongside). Verdicts are
  // in this queue, so one asked meanwhile waits for it; should it fail, they read every rule.
  const indexMs = await storeVerdictIndex(plan);
  lastTimings = {
    planMs: sending - started,
    browserMs: sent - sending,
    settleMs: settled - sent,
    recordMs: inForce - settled,
    indexMs,
    ...phases,
  };
  console.info(
    `[steward] rules applied (${reason}): ${plan.state.summary?.rules ?? 0} rules` +
      (plan.state.overlay ? `, overlay of ${plan.state.overlay.domains} domains` : ''),
  );
  return plan.state;
}

// ─── The built-in default's static ruleset (lib/default-ruleset.ts) ─────────────────────────

/**
 * Whether the static default is on, as this worker last saw or set it (null: not known). Only the
 * browser turns it back on (at install and at every update of the extension), and either starts
 * a new worker, so one look per worker is enough.
 */
let defaultRulesetOn: boolean | null = null;

/**
 * The static default off once Steward's own rules are in force (`ownRulesInForce`), on otherwise.
 * Never throws: should the browser refuse, the next reconcile (at the latest the minute alarm)
 * tries again, and while it is on the stricter of the two rule sets applies.
 */
async function settleDefaultRuleset(ownRulesInForce: boolean): Promise<void> {
  if (import.meta.env.FIREFOX) return;
  const wanted = !ownRulesInForce;
  try {
    const dnr = browser.declarativeNetRequest;
    if (defaultRulesetOn === null) {
      defaultRulesetOn = (await dnr.getEnabledRulesets()).includes(DEFAULT_RULESET_ID);
    }
    if (defaultRulesetOn === wanted) return;
    defaultRulesetOn = null;
    await dnr.updateEnabledRulesets(
      wanted
        ? { enableRulesetIds: [DEFAULT_RULESET_ID] }
        : { disableRulesetIds: [DEFAULT_RULESET_ID] },
    );
    defaultRulesetOn = wanted;
    console.info(`[steward] built-in default ruleset ${wanted ? 'on' : 'off'}`);
  } catch (error) {
    defaultRulesetOn = null;
    console.warn(
      '[steward] the built-in default ruleset could not be switched; trying again later',
      error,
    );
  }
}

// ─── The rules in force, for verdicts ────────────────────────────────────────────────────────

/** Navigation rules only: account-header rules change requests, they do not block them. */
function navigationOnly(rules: DnrRule[]): DnrRule[] {
  return rules.filter((r) => (r.action.type as string) !== 'modifyHeaders');
}

/**
 * The layers of the verdict index to store for a plan (lib/verdict-lookup.ts): the dynamic rules
 * when they change, the overlay when it changes (none: its layer goes).
 */
function layersOf(plan: EnforcementPlan): Partial<Record<RuleLayer, IndexedLayer | null>> {
  const layers: Partial<Record<RuleLayer, IndexedLayer | null>> = {};
  if (plan.update && plan.dynamicRules) {
    const marker = markerHash(plan.dynamicRules.find((r) => r.id === MARKER_RULE_ID) as DnrRule);
    layers.dynamic = marker
      ? indexRules(plan.dynamicRules, marker, ruleIdsTag(plan.state.ruleKeys))
      : null;
  }
  if (plan.overlayUpdate) {
    const { rules } = plan.overlayUpdate;
    const marker = overlayMarkerHash(rules.find((r) => r.id === OVERLAY_MARKER_RULE_ID));
    layers.overlay = marker ? indexRules(rules, marker) : null;
  }
  return layers;
}

/** The markers the browser holds once a plan's updates have all landed. */
function markersAfter(
  plan: EnforcementPlan,
  dynamicRead: string | null,
  overlayRead: string | null,
): { dynamic: string | null; overlay: string | null } {
  const dynamic = plan.update
    ? markerHash(plan.dynamicRules?.find((r) => r.id === MARKER_RULE_ID) as DnrRule | undefined)
    : dynamicRead;
  const overlay = plan.overlayUpdate
    ? overlayMarkerHash(plan.overlayUpdate.rules.find((r) => r.id === OVERLAY_MARKER_RULE_ID))
    : overlayRead;
  return { dynamic, overlay };
}

/**
 * Store the plan's verdict index; resolves with the time it took. Never fails: without it,
 * verdicts read the browser's rules.
 */
async function storeVerdictIndex(plan: EnforcementPlan): Promise<number> {
  const started = performance.now();
  if (!verdictStore) return 0;
  try {
    const layers = layersOf(plan);
    if (Object.keys(layers).length > 0) await verdictStore.write(layers);
  } catch (error) {
    console.warn(
      '[steward] the verdict index could not be stored; verdicts read every rule',
      error,
    );
  }
  return performance.now() - started;
}

/**
 * The rules that decide a navigation to `url`: from the verdict index (the host's and its
 * parents' few records), or, when the index cannot be proved to be the browser's rules, every
 * rule read from the browser. Either way `explainUrl` / `verdictForUrl` / `decideContinue` give
 * the same answer over them as over every rule in force.
 */
async function rulesDeciding(state: EnforcementState, url: string): Promise<DnrRule[]> {
  const names = namesAsked(url);
  if (verdictStore) {
    try {
      const [[dynamicMarker, overlayMarker], stored] = await Promise.all([
        markersInForce
          ? [markersInForce.dynamic, markersInForce.overlay]
          : Promise.all([readMarker(), readOverlayMarker()]),
        verdictStore.read(names),
      ]);
      const trusted = trustedLayers({
        stored,
        dynamicMarker,
        overlayMarker,
        idsTag: ruleIdsTag(state.ruleKeys),
      });
      const rules = trusted.ok ? rulesFor(trusted.layers, names) : null;
      if (rules) return rules;
      console.info(
        `[steward] verdict read from every rule: ${trusted.ok ? 'a stored bucket is unreadable' : trusted.reason}`,
      );
    } catch (error) {
      console.warn('[steward] the verdict index could not be read; reading every rule', error);
    }
  }
  return allRulesInForce(state);
}

/**
 * Every rule in force, read from the browser (the fallback): kept for a short while (a block page
 * asks twice, and a big list is megabytes over IPC), then dropped. What was read is indexed
 * afterwards, so the next verdict needs none of it.
 */
let rulesInForce: { hash: string | null; rules: DnrRule[] } | null = null;
const KEEP_RULES_FOR_VERDICTS_MS = 30_000;
let dropRulesTimer: ReturnType<typeof setTimeout> | undefined;

async function allRulesInForce(state: EnforcementState): Promise<DnrRule[]> {
  clearTimeout(dropRulesTimer);
  dropRulesTimer = setTimeout(() => {
    rulesInForce = null;
  }, KEEP_RULES_FOR_VERDICTS_MS);
  if (rulesInForce && rulesInForce.hash === state.rulesHash) return rulesInForce.rules;
  // The rule-list overlay's session rules decide too (lib/overlay.ts); Continue grants do not
  // (each is for one tab, and the verdict is about the URL).
  const [dynamic, session] = await Promise.all([
    browser.declarativeNetRequest.getDynamicRules(),
    browser.declarativeNetRequest.getSessionRules(),
  ]);
  const overlay = session.filter((r) => isOverlayRuleId(r.id)) as unknown as DnrRule[];
  const rules = navigationOnly([...(dynamic as unknown as DnrRule[]), ...overlay]);
  rulesInForce = { hash: state.rulesHash, rules };
  if (verdictStore) {
    // After this verdict, in the queue: an install updated from a version without the index, or
    // an index whose write failed, heals at its first verdict.
    void inDnrQueue(() => indexFromBrowser(state, dynamic as unknown as DnrRule[], overlay));
  }
  return rules;
}

/**
 * Index rules read from the browser, if they are still what it holds and what the state
 * describes (the state's rule ids become the index's).
 */
async function indexFromBrowser(
  read: EnforcementState,
  dynamic: DnrRule[],
  overlay: DnrRule[],
): Promise<void> {
  try {
    const state = await enforcementState.getValue();
    if (state.appliedAt !== read.appliedAt || state.rulesHash !== read.rulesHash) return;
    const dynamicMarker = markerHash(dynamic.find((r) => r.id === MARKER_RULE_ID));
    const overlayMarker = overlayMarkerHash(overlay.find((r) => r.id === OVERLAY_MARKER_RULE_ID));
    if (dynamicMarker === null) return;
    if (!(state.dynamicRulesHash ?? state.rulesHash ?? '').startsWith(dynamicMarker)) return;
    if (overlayMarker !== null && !state.overlay?.hash.startsWith(overlayMarker)) return;
    const [dynamicNow, overlayNow] = await Promise.all([readMarker(), readOverlayMarker()]);
    if (dynamicNow !== dynamicMarker || overlayNow !== overlayMarker) return;
    await verdictStore?.write({
      dynamic: indexRules(dynamic, dynamicMarker, ruleIdsTag(state.ruleKeys)),
      overlay: overlayMarker === null ? null : indexRules(overlay, overlayMarker),
    });
  } catch (error) {
    console.warn('[steward] the rules read could not be indexed', error);
  }
}

/** "Test a site": waits for any reconcile in progress, then the compiler's own matching. */
export async function testUrl(url: string): Promise<TestUrlReply> {
  return inDnrQueue(async () => {
    const state = await enforcementState.getValue();
    if (state.appliedAt === null) return { kind: 'applying' } as const;
    const rules = await rulesDeciding(state, url);
    const verdict = verdictForUrl(rules, url);
    if (verdict.kind === 'invalid') return { kind: 'invalid' } as const;
    return { kind: 'verdict', verdict: explainUrl(rules, verdict.url) };
  });
}

/** What the block page shows for a URL: from the rules in force, never from its own address. */
export async function blockPageVerdict(url: string): Promise<BlockPageVerdict> {
  return inDnrQueue(async () => {
    const [state, info] = await Promise.all([
      enforcementState.getValue(),
      blockPageInfo.getValue(),
    ]);
    const common = {
      ...(info.schoolName ? { schoolName: info.schoolName } : {}),
      accessRequest: info.accessRequest,
    };
    if (state.appliedAt === null) return { outcome: 'applying', url: null, host: null, ...common };
    const verdict = verdictForUrl(await rulesDeciding(state, url), url);
    if (verdict.kind === 'invalid') return { outcome: 'invalid', url: null, host: null, ...common };
    if (verdict.kind === 'allowed') {
      return { outcome: 'allowed', url: verdict.url, host: verdict.host, ...common };
    }
    const label = info.categoryLabels[verdict.category];
    const clause = info.clauses[verdict.category];
    const opens = await personalUseOpens(state, verdict.category);
    return {
      url: verdict.url,
      host: verdict.host,
      outcome: verdict.kind,
      category: verdict.category,
      ...(label ? { categoryLabel: label } : {}),
      ...(clause ? { clause } : {}),
      ...(verdict.locked ? { locked: true as const } : {}),
      ...common,
      warnContinueMinutes: info.warnContinueMinutes,
      ...(opens ? { personalUseOpens: opens } : {}),
    };
  });
}

/**
 * When personal use next opens this category, said for the block page: from the policy in force
 * and the worker's clock, never from the page. Nothing for a locked category or the block list.
 */
async function personalUseOpens(state: EnforcementState, category: string) {
  if (!state.personalUse || state.origins?.[category]?.locked) return null;
  const policy = await effectivePolicy.getValue();
  const mode = policy.categories[category];
  if (!mode) return null;
  const now = await clock.now();
  const at = personalUseOpensAt(
    policy.personalUse ?? NO_PERSONAL_USE,
    policy.timeZone,
    now,
    category,
    mode,
  );
  return at === null ? null : sayWhen(at, now, policy.timeZone);
}

// ─── Counting block pages ────────────────────────────────────────────────────────────────────

/** Ledger changes one at a time (navigation starts arrive while a reconcile holds the DNR queue). */
let ledgerTail: Promise<unknown> = Promise.resolve();
function inLedgerQueue<T>(task: () => Promise<T>): Promise<T> {
  const run = ledgerTail.then(task);
  ledgerTail = run.catch(() => undefined);
  return run;
}

/**
 * A tab's top frame started a navigation (webNavigation.onBeforeNavigate): the only thing that lets
 * its block page be counted. Enqueued at once, so it is recorded before the block page that
 * follows can ask.
 */
export function noteTopFrameNavigation(tabId: number, url: string): Promise<void> {
  // Every navigation passes here: extension pages, about:blank and prerenders need no storage.
  if (tabId < 0 || navigationKey(url) === null) return Promise.resolve();
  return inLedgerQueue(async () => {
    const next = noteNavigationStart(await blockPageLedger.getValue(), tabId, url, Date.now());
    if (next) await blockPageLedger.setValue(next);
  });
}

/**
 * Should this block page be counted? Only for a URL the rules in force block or warn, and only if
 * the worker saw this tab start a navigation to it (lib/block-page-count.ts): a block page opened
 * directly, reloaded or re-opened adds nothing. Says what to count.
 */
export async function blockPageCount(
  tabId: number,
  url: string,
): Promise<{ category: string; outcome: 'blocked' | 'warned' } | null> {
  const verdict = await inDnrQueue(async () => {
    const state = await enforcementState.getValue();
    if (state.appliedAt === null) return null;
    return verdictForUrl(await rulesDeciding(state, url), url);
  });
  if (!verdict || (verdict.kind !== 'blocked' && verdict.kind !== 'warned')) return null;
  return inLedgerQueue(async () => {
    const decision = decideBlockPageCount(
      await blockPageLedger.getValue(),
      tabId,
      verdict.url,
      Date.now(),
    );
    await blockPageLedger.setValue(decision.ledger);
    return decision.count ? { category: verdict.category, outcome: verdict.kind } : null;
  });
}

// ─── "Continue" on a warning ────────────────────────────────────────────────────────────────

export const WARN_EXPIRY_ALARM = 'warn-continue-expiry';

/**
 * Let one tab through one warning for the policy's minutes, if and only if the rules in force warn
 * (not block) about this URL now. The caller has checked the sender is the block page in the top
 * frame of `tabId`.
 */
export function continueWarned(
  tabId: number,
  url: string,
): Promise<ContinueReply & { category?: string }> {
  return inDnrQueue(async () => {
    const state = await enforcementState.getValue();
    if (state.appliedAt === null) return { ok: false, reason: 'The rules are being applied.' };
    const decision = decideContinue(await rulesDeciding(state, url), url, tabId);
    if (!decision.ok) return decision;
    const grants = await warnContinueGrants.getValue();
    const used = new Set(Object.keys(grants).map(Number));
    let id: number = RULE_IDS.warnContinue.first;
    while (used.has(id)) id++;
    if (id > RULE_IDS.warnContinue.last) {
      return { ok: false, reason: 'Too many warnings continued at once.' };
    }
    const { warnContinueMinutes } = await blockPageInfo.getValue();
    grantsCleared = false;
    await browser.declarativeNetRequest.updateSessionRules({
      addRules: [{ id, ...decision.rule }] as Parameters<
        typeof browser.declarativeNetRequest.updateSessionRules
      >[0]['addRules'],
    });
    await warnContinueGrants.setValue({
      ...grants,
      [id]: Date.now() + warnContinueMinutes * 60_000,
    });
    await scheduleExpiry();
    return { ok: true, url: decision.url, category: decision.category };
  });
}

/** Remove grants whose time is up, and schedule the next check. */
export function expireContinueGrants(now = Date.now()): Promise<void> {
  return inDnrQueue(async () => {
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
  });
}

async function scheduleExpiry(): Promise<void> {
  const grants = await warnContinueGrants.getValue();
  const next = Math.min(...Object.values(grants));
  if (Number.isFinite(next))
    await browser.alarms.create(WARN_EXPIRY_ALARM, { when: Math.max(next, Date.now() + 1000) });
  else await browser.alarms.clear(WARN_EXPIRY_ALARM);
}

/**
 * True once this worker cleared every grant (rules, record and alarm) and has given none since:
 * the next change of rules has none to clear (three round trips and a write after every update
 * otherwise). Only continueWarned gives grants, in the DNR queue, and it sets this false before
 * it adds a rule; a new worker does not know, and clears once.
 */
let grantsCleared = false;

/** Every grant goes (inside a queued task). */
async function clearGrants(): Promise<void> {
  if (grantsCleared) return;
  const rules = await browser.declarativeNetRequest.getSessionRules();
  const ids = rules
    .map((r) => r.id)
    .filter((id) => id >= RULE_IDS.warnContinue.first && id <= RULE_IDS.warnContinue.last);
  if (ids.length > 0)
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
  // The rules first: a worker stopped here leaves a record of grants that are gone, never a grant
  // without its record. Then the record and its expiry alarm together (no grant is left to time:
  // one round trip where reading the record back and then clearing the alarm took two more).
  await Promise.all([warnContinueGrants.setValue({}), browser.alarms.clear(WARN_EXPIRY_ALARM)]);
  grantsCleared = true;
}

/** A closed tab's grants and its count record go with it. */
export async function forgetTab(tabId: number): Promise<void> {
  await inLedgerQueue(async () => {
    const next = forgetTabInLedger(await blockPageLedger.getValue(), tabId);
    if (next) await blockPageLedger.setValue(next);
  });
  return inDnrQueue(async () => {
    const rules = await browser.declarativeNetRequest.getSessionRules();
    const ids = rules.filter((r) => r.condition.tabIds?.includes(tabId)).map((r) => r.id);
    if (ids.length === 0) return;
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
    const grants = await warnContinueGrants.getValue();
    for (const id of ids) delete grants[id];
    await warnContinueGrants.setValue(grants);
  });
}
