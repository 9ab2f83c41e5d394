/**
 * The signed rule list in the extension: last good list in IndexedDB, re-applied at start-up before
 * any network access; polled on an alarm with conditional requests; verified, validated, compiled
 * and applied atomically through platform/enforcement.ts.
 *
 *   start-up ──> stored list ──verify with the policy's key──> category source ──> applyPolicy
 *   alarm / start-up ──> checkForUpdate ──updated──> store as last good ──> applyPolicy
 *                                      ──error────> status (popup, options, report); last good stays
 *
 * Any failure leaves the last good list in force: a tampered, truncated or broken list never opens
 * everything up or blocks everything.
 */
import { type IDBPDatabase, openDB } from 'idb';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { CategoryList } from '../lib/compiler.ts';
import type { RefreshRuleListReply } from '../lib/messages.ts';
import type { StewardPolicy } from '../lib/policy.ts';
import { type ChangeDocument, parseChangeDocument } from '../lib/rule-list/changes.ts';
import {
  allowListFor,
  categoryListsOf,
  compiledCategoriesOf,
  lockedCategoriesOf,
  parseRuleList,
  type RuleListDocument,
} from '../lib/rule-list/document.ts';
import { verifyRuleList } from '../lib/rule-list/signature.ts';
import type { RuleListFetch, RuleListStatus } from '../lib/rule-list/status.ts';
import { checkForUpdate, type UpdateOutcome } from '../lib/rule-list/update.ts';
import { warmUpWhile } from '../lib/rule-list/warm-up.ts';
import {
  type ApplyOptions,
  type CategorySource,
  type InputsAhead,
  lastReconcileTimings,
  readReconcileInputsAhead,
} from './enforcement.ts';

/** applyPolicy, passed in (the one DNR queue). */
type ApplyRules = (reason: string, options?: ApplyOptions) => Promise<unknown>;
/**
 * A change document's reconcile: it is laid over the list this worker's last reconcile proved in
 * force, so the markers that reconcile proved stand (ApplyOptions). A full list asks the browser.
 */
const CHANGES_OVER_LIST_IN_FORCE: ApplyOptions = { markersFromLastReconcile: true };

import { idleQueueMark } from './dnr-queue.ts';
import { effectivePolicy, enforcementState } from './storage.ts';

export const RULE_LIST_ALARM = 'steward-rule-list';

/** The last good list, exactly as published, so it can be re-verified under the current key. */
type StoredList = {
  url: string;
  bytes: Uint8Array;
  signature: string;
  version: number;
  sha256: string;
  etag?: string;
  lastModified?: string;
  fetchedAt: number;
};

export type { RuleListFetch, RuleListStatus };

export const ruleListStatus = storage.defineItem<RuleListStatus>('local:ruleListStatus', {
  fallback: {
    url: null,
    version: null,
    issuedAt: null,
    expiresAt: null,
    entries: 0,
    lastCheckAt: null,
    lastSuccessAt: null,
    error: null,
    fetches: [],
  },
  version: 1,
});

let dbPromise: Promise<IDBPDatabase> | null = null;
function db(): Promise<IDBPDatabase> {
  if (dbPromise) return dbPromise;
  const opening = openDB('steward-rule-list', 1, {
    upgrade(database) {
      database.createObjectStore('lists');
    },
  });
  // A database that would not open is asked again next time, not remembered as failed.
  opening.catch(() => {
    if (dbPromise === opening) dbPromise = null;
  });
  dbPromise = opening;
  return opening;
}

/**
 * What a reconcile needs to know about the last good list without reading it: which list, and the
 * key it last verified under. Written only after a verification; a new list replaces it.
 */
type VerifiedMeta = { url: string; sha256: string; key: string; expiresAt: number | null };

/** The policy's public key as verification takes it (PEM line breaks and spaces dropped). */
const publicKeyOf = (policy: { ruleListPublicKey?: string }): string =>
  (policy.ruleListPublicKey ?? '').replace(/\s+/g, '');

/** When the list stops being current (null: it does not say). */
const expiryOf = (document: RuleListDocument): number | null => {
  const at = document.expiresAt ? Date.parse(document.expiresAt) : Number.NaN;
  return Number.isFinite(at) ? at : null;
};

/**
 * Expired lists stay in force rather than leaving the school with only built-in rules; the error
 * tells the admin to publish a fresh one (recorded once, not at every reconcile).
 */
async function noteIfExpired(expiresAt: number | null): Promise<void> {
  if (expiresAt === null || expiresAt > Date.now()) return;
  if ((await ruleListStatus.getValue()).error?.code === 'expired') return;
  await recordError('expired', 'The rule list in force has expired; publish a new version.');
}

async function readStored(): Promise<StoredList | undefined> {
  return (await (await db()).get('lists', 'last-good')) as StoredList | undefined;
}

/** What a poll tells the server about the stored list: everything but its bytes. */
type StoredHead = Omit<StoredList, 'bytes' | 'signature'>;
const headOf = ({ bytes: _bytes, signature: _signature, ...head }: StoredList): StoredHead => head;

/**
 * What a check needs from IndexedDB before it asks the server, in one transaction rather than
 * three (each a round trip before the download could start): the stored list's head (not the
 * list: a 1M-domain list is 20 MB, and reading it before every poll cost about 130 ms of a 1M
 * update in Chromium), and a pending change document with the record it must start from.
 */
async function readBeforeCheck(): Promise<{
  head: StoredHead | undefined;
  pending: PendingChanges | undefined;
  meta: VerifiedMeta | undefined;
}> {
  const tx = (await db()).transaction('lists', 'readonly');
  const [head, pending, meta] = (await Promise.all([
    tx.store.get('last-good-head'),
    tx.store.get('pending-changes'),
    tx.store.get('last-good-meta'),
  ])) as [StoredHead | undefined, PendingChanges | undefined, VerifiedMeta | undefined];
  // A list stored by a Steward from before the head record: read whole, once.
  if (head) return { head, pending, meta };
  const stored = await readStored();
  return { head: stored ? headOf(stored) : undefined, pending, meta };
}

/** readBeforeCheck, never throwing: a database that cannot be read is an outcome of its own. */
const readSaved = () =>
  readBeforeCheck().then(
    (read) => ({ ok: true as const, ...read }),
    (error: unknown) => ({ ok: false as const, error }),
  );

async function readMeta(): Promise<VerifiedMeta | undefined> {
  return (await (await db()).get('lists', 'last-good-meta')) as VerifiedMeta | undefined;
}

/** Store a list (verified under `meta.key`) and what is known of it, together. */
async function writeStored(list: StoredList, meta: VerifiedMeta): Promise<void> {
  const tx = (await db()).transaction('lists', 'readwrite');
  await Promise.all([
    tx.store.put(list, 'last-good'),
    tx.store.put(headOf(list), 'last-good-head'),
    tx.store.put(meta, 'last-good-meta'),
    tx.done,
  ]);
}

/**
 * A change document applied over the stored full list (its `since`) whose full list (`result`)
 * is not stored yet: fetched in the background once the overlay is in force. Until then the list
 * in force is `result` (fingerprintInForce), and its verdicts are the overlay's over the stored
 * list's dynamic rules. Dropped when the full list is stored.
 */
type PendingChanges = {
  url: string;
  key: string;
  bytes: Uint8Array;
  signature: string;
  since: string;
  result: string;
  version: number;
};

async function readPending(): Promise<PendingChanges | undefined> {
  return (await (await db()).get('lists', 'pending-changes')) as PendingChanges | undefined;
}

/** The pending change document for this policy's list, if it starts from the stored list. */
async function pendingFor(policy: StewardPolicy): Promise<PendingChanges | null> {
  if (!policy.ruleListUrl || !policy.ruleListPublicKey) return null;
  const [pending, meta] = await Promise.all([readPending(), readMeta()]);
  return pendingApplies(policy, pending, meta);
}

function pendingApplies(
  policy: StewardPolicy,
  pending: PendingChanges | undefined,
  meta: VerifiedMeta | undefined,
): PendingChanges | null {
  if (!policy.ruleListUrl || !policy.ruleListPublicKey) return null;
  if (!pending || !meta) return null;
  const key = publicKeyOf(policy);
  const applies =
    pending.url === policy.ruleListUrl &&
    pending.key === key &&
    meta.url === pending.url &&
    meta.key === key &&
    meta.sha256 === pending.since;
  return applies ? pending : null;
}

/** The full list refreshNow is applying (its URL and key), while the apply runs. */
let fullListApplying: { url: string; key: string } | null = null;

/** The change document applyChanges is applying, as checked by the poll (released after). */
let justChecked: { bytes: Uint8Array; key: string; document: ChangeDocument } | null = null;

/**
 * The change document for the planner (lib/enforcement-plan.ts `ruleListChangesFor`): verified
 * again under the policy's key each time it is read, like the stored list.
 */
async function changesFor(policy: StewardPolicy): Promise<ChangeDocument | null> {
  // A full list just fetched for this policy decides: no change document goes over it. Answered
  // without IndexedDB, whose read would wait behind that list's write (20 MB at a million domains).
  const applying = fullListApplying;
  if (applying && applying.url === policy.ruleListUrl && applying.key === publicKeyOf(policy)) {
    return null;
  }
  const pending = await pendingFor(policy);
  if (!pending) return null;
  // Just fetched, verified and read under this key (applyChanges): not again.
  const checked = justChecked?.document;
  if (
    checked &&
    justChecked?.key === pending.key &&
    checked.since === pending.since &&
    checked.result === pending.result &&
    justChecked.bytes.byteLength === pending.bytes.byteLength
  ) {
    return checked;
  }
  const verified = await verifyRuleList(pending.bytes, pending.signature, publicKeyOf(policy));
  if (!verified.ok) return null;
  const parsed = parseChangeDocument(pending.bytes);
  return parsed.ok ? parsed.document : null;
}

async function writeMeta(meta: VerifiedMeta): Promise<void> {
  await (await db()).put('lists', meta, 'last-good-meta');
}

/**
 * The list parsed for the reconcile in progress; released when it ends (ruleListSource.release),
 * so between reconciles the worker holds no parsed list (the bytes stay in IndexedDB).
 */
let cache: {
  url: string;
  sha256: string;
  key: string;
  document: RuleListDocument;
  entries: number;
} | null = null;

/**
 * True from the moment a new list is verified until it is stored as the last good list (or found
 * not to compile): every reconcile in between, the apply's own and any queued behind it (the
 * minute alarm, a policy change), reads that list from `cache`. Dropping it when the apply's
 * reconcile ended let a reconcile queued behind, before the store began, load the list stored
 * before and put it back in force (tests/unit/platform/rule-list-refresh.test.ts).
 */
let holdingNewList = false;

/** The list just fetched and verified, for this policy (no storage read: it may still be writing). */
const cachedFor = (policy: StewardPolicy) =>
  cache && cache.url === policy.ruleListUrl && cache.key === publicKeyOf(policy) ? cache : null;

/**
 * The categories, labels, clauses and lists the rule list contributes, or null. Verified under the
 * policy's current key every time it is read from storage, so a rotated key retires an old list.
 */
async function loadInForce(
  policy: StewardPolicy,
): Promise<{ document: RuleListDocument; entries: number; sha256: string } | null> {
  if (!policy.ruleListUrl || !policy.ruleListPublicKey) return null;
  const cached = cachedFor(policy);
  if (cached) return cached;
  const stored = await readStored();
  if (!stored || stored.url !== policy.ruleListUrl) return null;
  const key = publicKeyOf(policy);
  const verified = await verifyRuleList(stored.bytes, stored.signature, key);
  if (!verified.ok) {
    await recordError(
      'stored-list-rejected',
      `The saved rule list no longer verifies: ${verified.reason}`,
    );
    return null;
  }
  const parsed = parseRuleList(stored.bytes);
  if (!parsed.ok) {
    await recordError(
      'stored-list-rejected',
      `The saved rule list could not be read: ${parsed.reason}`,
    );
    return null;
  }
  const expiresAt = expiryOf(parsed.document);
  await noteIfExpired(expiresAt);
  await noteSavedListBack(stored.url, parsed.document, parsed.entries);
  cache = {
    url: stored.url,
    sha256: stored.sha256,
    key,
    document: parsed.document,
    entries: parsed.entries,
  };
  const meta = await readMeta();
  if (meta?.sha256 !== stored.sha256 || meta.key !== key || meta.url !== stored.url) {
    await writeMeta({
      url: stored.url,
      sha256: stored.sha256,
      key,
      expiresAt,
    });
  }
  return cache;
}

/**
 * A list applied but not saved (`not-stored`) is gone once the worker restarts: the saved list is
 * what a reconcile reads back, so that is in force now. The status names it, not the one that
 * could not be saved (the popup, the options page and the report say what is enforced).
 */
async function noteSavedListBack(
  url: string,
  document: RuleListDocument,
  entries: number,
): Promise<void> {
  const status = await ruleListStatus.getValue();
  if (status.error?.code !== 'not-stored' || status.url !== url) return;
  if (status.version === document.version) return;
  const lost =
    status.version === null ? 'A newer rule list' : `Rule list version ${status.version}`;
  await ruleListStatus.setValue({
    ...status,
    version: document.version,
    issuedAt: document.issuedAt,
    expiresAt: document.expiresAt ?? null,
    entries,
    error: {
      code: 'not-stored',
      message: `${lost} could not be saved on this computer, so since Steward restarted the last saved version, ${document.version}, is in force again. Steward fetches the newer list again at its next check, within ${STORE_RETRY_MINUTES} minutes; if this stays, check the computer's free disk space.`,
      at: Date.now(),
    },
  });
}

/**
 * The fingerprint of the list in force for this policy, from the small record written when it was
 * last verified under the policy's current key; undefined when only loading the list can tell.
 */
async function fingerprintInForce(policy: StewardPolicy): Promise<string | null | undefined> {
  if (!policy.ruleListUrl || !policy.ruleListPublicKey) return null;
  const cached = cachedFor(policy);
  if (cached) return cached.sha256;
  const meta = await readMeta();
  if (!meta || meta.url !== policy.ruleListUrl || meta.key !== publicKeyOf(policy))
    return undefined;
  await noteIfExpired(meta.expiresAt);
  // A change document laid over the stored list: its result is the list in force.
  const pending = await pendingFor(policy);
  return pending ? pending.result : meta.sha256;
}

/** What the compiler gets from the rule list: a list category replaces the built-in one. */
async function contributionFor(policy: StewardPolicy) {
  const inForce = await loadInForce(policy);
  if (!inForce) return null;
  const { document } = inForce;
  const lists: Record<string, CategoryList> = categoryListsOf(document);
  const labels: Record<string, string> = {};
  const clauses: Record<string, string> = {};
  for (const [id, category] of Object.entries(document.categories)) {
    if (category.label) labels[id] = category.label;
    if (category.clause) clauses[id] = category.clause;
  }
  return {
    version: document.version,
    fingerprint: inForce.sha256,
    lists,
    compiled: compiledCategoriesOf(document),
    labels,
    clauses,
    // A group's own approvals only where the managed policy puts this browser in that group.
    allowList: allowListFor(document, policy.reportGroup),
    blockList: document.blockList ?? [],
    locked: lockedCategoriesOf(document),
    // What changed since the version before: lets a small change go in as an overlay.
    ...(document.changes ? { changes: document.changes } : {}),
  };
}

/** An IndexedDB failure as the status names it: "QuotaExceededError: …". */
const failureText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * The saved list could not be read (IndexedDB threw: a broken profile, a disk error). The rules
 * the browser already holds stay; when they must be rebuilt, the built-in lists go in rather than
 * nothing; the next check fetches the list again and applies it from memory.
 */
async function noteUnreadable(error: unknown): Promise<void> {
  console.warn('[steward] the saved rule list could not be read', error);
  const reason = failureText(error);
  // Said once, not at every minute's reconcile.
  if ((await ruleListStatus.getValue()).error?.code === 'stored-list-unreadable') return;
  await recordError(
    'stored-list-unreadable',
    `The rule list saved on this computer could not be read (${reason}). The rules already in force stay; if they have to be rebuilt, the built-in lists are used until the list is fetched again at the next check.`,
  ).catch(() => undefined);
}

export const ruleListSource: CategorySource = {
  contribution: (policy) =>
    contributionFor(policy).catch(async (error: unknown) => {
      await noteUnreadable(error);
      return null;
    }),
  // Unreadable: the list in force is taken to be the one the last reconcile recorded, so rules
  // the browser still holds (their marker intact) stay rather than being rebuilt without the list.
  fingerprint: (policy) =>
    fingerprintInForce(policy).catch(async (error: unknown) => {
      await noteUnreadable(error);
      return (await enforcementState.getValue()).ruleListFingerprint;
    }),
  changes: (policy) =>
    changesFor(policy).catch(async (error: unknown) => {
      await noteUnreadable(error);
      return null;
    }),
  release: () => {
    // A list not yet stored is still read from memory (refreshNow drops it once stored).
    if (!holdingNewList) cache = null;
  },
};

export type RefreshTimings = RefreshRuleListReply['timings'];

type RefreshResult = {
  outcome: RuleListFetch['outcome'];
  message?: string;
  startedAt?: number;
  timings: RefreshTimings;
};

let refreshing: Promise<RefreshResult> | null = null;
/** Set when a change document is in force and its full list is still to be fetched. */
let fullListOwed = false;

/**
 * Check the URL now. On a new list: store it as the last good one and apply it (the caller passes
 * applyPolicy, which runs in the one DNR queue). One check at a time: a caller arriving while one
 * runs (alarm, start-up, the options page) gets that check's result rather than starting another.
 */
export function refreshRuleList(apply: ApplyRules): Promise<RefreshResult> {
  refreshing ??= refreshNow(apply).finally(() => {
    refreshing = null;
    // A change document went in as an overlay: now fetch its full list, out of the way.
    if (fullListOwed) {
      fullListOwed = false;
      setTimeout(() => {
        refreshRuleList(apply).catch((error: unknown) =>
          console.warn('[steward] the full rule list could not be fetched yet', error),
        );
      }, 0);
    }
  });
  return refreshing;
}

async function refreshNow(apply: ApplyRules): Promise<RefreshResult> {
  const started = performance.now();
  // A worker that has the database open already (it has seen a list) reads what the check needs
  // from it while the policy is read: one round trip less before the download. A worker that has
  // not still opens it only once the policy names a list (below).
  const readEarly = dbPromise ? readSaved() : null;
  const policy = await effectivePolicy.getValue();
  const policyMs = performance.now() - started;
  if (!policy.ruleListUrl || !policy.ruleListPublicKey) {
    await ruleListStatus.setValue({
      ...(await ruleListStatus.getValue()),
      url: null,
      version: null,
      error: null,
    });
    return { outcome: 'unchanged', timings: { fetchAndVerifyMs: 0, applyMs: 0, totalMs: 0 } };
  }
  // What IndexedDB holds, only for a school with a list (every worker start checks: a school
  // without one never opens the database). Unreadable (a broken database): checked as if nothing
  // were stored, so the list is fetched whole and applied from memory; storing it may fail too,
  // which the status says (below).
  const saved = await (readEarly ?? readSaved());
  const savedMs = performance.now() - started;
  const unreadable = !saved.ok;
  if (!saved.ok) await noteUnreadable(saved.error);
  const stored = saved.ok ? saved.head : undefined;
  const pendingForPolicy = saved.ok ? pendingApplies(policy, saved.pending, saved.meta) : null;
  // No replay then either: the version in force (recorded outside IndexedDB) is the floor.
  const recorded = unreadable ? await ruleListStatus.getValue() : null;
  const floor =
    recorded?.url === policy.ruleListUrl && recorded.version !== null
      ? { minimumVersion: recorded.version }
      : {};
  const sameUrl = stored?.url === policy.ruleListUrl;
  const key = publicKeyOf(policy);
  // With a change document pending, this check is for its full list (no change document again).
  const pending = sameUrl ? pendingForPolicy : null;
  // The reconcile's inputs are asked for while the list is read (platform/enforcement.ts).
  let inputsAhead: InputsAhead | null = null;
  const check = (changes: boolean) =>
    checkForUpdate({
      url: policy.ruleListUrl!,
      publicKey: key,
      previous: sameUrl
        ? {
            version: stored.version,
            sha256: stored.sha256,
            ...(stored.etag ? { etag: stored.etag } : {}),
            ...(stored.lastModified ? { lastModified: stored.lastModified } : {}),
          }
        : {},
      ...floor,
      ...(changes && sameUrl
        ? { changesSince: { sha256: stored.sha256, version: stored.version } }
        : {}),
      fetch: (url, init) => fetch(url, init),
      now: () => Date.now(),
      beforeReading: () => {
        inputsAhead = readReconcileInputsAhead();
      },
      // The check's code run on a made-up list while this one downloads, once per worker, in
      // steps, none while a change of rules is in flight (lib/rule-list/warm-up.ts).
      whileDownloading: (over) => warmUpWhile(() => idleQueueMark() !== null, over),
    });
  let outcome: UpdateOutcome = await check(!pending);
  if (outcome.kind === 'changes') {
    const done = await applyChanges(outcome, policy.ruleListUrl, key, apply, started);
    if (done) return done;
    // The planner would not use it (it names a list not in force, a locked category…): the full list.
    outcome = await check(false);
  }
  const fetched = performance.now();
  // The status is read when it is written: for a new list, once the list is in force (one round
  // trip less ahead of the browser's update).
  const fetches = (status: RuleListStatus, entry: RuleListFetch) =>
    [entry, ...status.fetches].slice(0, 10);

  if (outcome.kind === 'error') {
    const status = await ruleListStatus.getValue();
    await ruleListStatus.setValue({
      ...status,
      url: policy.ruleListUrl,
      lastCheckAt: outcome.checkedAt,
      error: { code: outcome.error.code, message: outcome.error.message, at: outcome.checkedAt },
      fetches: fetches(status, {
        at: outcome.checkedAt,
        outcome: 'error',
        message: outcome.error.message,
      }),
    });
    const total = performance.now() - started;
    return {
      outcome: 'error',
      message: outcome.error.message,
      timings: { fetchAndVerifyMs: total, applyMs: 0, totalMs: total },
    };
  }
  if (outcome.kind === 'unchanged') {
    const status = await ruleListStatus.getValue();
    await ruleListStatus.setValue({
      ...status,
      url: policy.ruleListUrl,
      lastCheckAt: outcome.checkedAt,
      lastSuccessAt: outcome.checkedAt,
      error: null,
      fetches: fetches(status, {
        at: outcome.checkedAt,
        outcome: 'unchanged',
        ...(outcome.version ? { version: outcome.version } : {}),
      }),
    });
    const total = performance.now() - started;
    return {
      outcome: 'unchanged',
      timings: { fetchAndVerifyMs: total, applyMs: 0, totalMs: total },
    };
  }

  if (outcome.kind === 'changes') throw new Error('unreachable: a change document was checked for');
  // Every reconcile reads this list from memory (cachedFor) until it is stored as the last good
  // list (holdingNewList), never the record being written nor the list stored before.
  holdingNewList = true;
  cache = {
    url: policy.ruleListUrl,
    sha256: outcome.sha256,
    key,
    document: outcome.document,
    entries: outcome.entries,
  };
  const listUrl = policy.ruleListUrl;
  const beforeApply = performance.now();
  let storeMs = 0;
  const store = () => {
    const storeStarted = performance.now();
    return writeStored(
      {
        url: listUrl,
        bytes: outcome.bytes,
        signature: outcome.signature,
        version: outcome.document.version,
        sha256: outcome.sha256,
        ...(outcome.etag ? { etag: outcome.etag } : {}),
        ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
        fetchedAt: outcome.checkedAt,
      },
      {
        url: listUrl,
        sha256: outcome.sha256,
        key,
        expiresAt: expiryOf(outcome.document),
      },
    ).then(async () => {
      storeMs = performance.now() - storeStarted;
      // Stored: from now on a reconcile reads it back from IndexedDB, and the worker keeps none.
      holdingNewList = false;
      cache = null;
      // The full list now stored includes any change document laid over the list before it.
      if (pending) await (await db()).delete('lists', 'pending-changes');
    });
    // Not stored (a full disk, a broken database): the list stays in memory, so the reconciles
    // of this worker's life (the minute alarm) keep it in force rather than the list stored
    // before; the status says so and the next check comes within minutes (below).
  };
  // The full list of a change document in force: stored first (nothing is waiting for it), so the
  // reconcile below sees no pending document and checks the overlay against this list.
  let storing: Promise<void> | null = null;
  if (pending) {
    storing = store();
    await storing.catch(() => undefined);
  }
  // Otherwise stored once the browser has applied it, not while: on a two-core laptop, writing the
  // list (20 MB at 1M domains) into IndexedDB alongside held up the browser's own update, and the
  // rules are what protect; the stored copy is for the next start. A worker stopped before the
  // write lands re-applies, at its next start, the list stored before (the last good one it can
  // prove), and the next check fetches this one again.
  fullListApplying = { url: policy.ruleListUrl, key };
  let appliedAt = beforeApply;
  // The end point: the new rules in force (the browser's update landed, its overlay, grants and
  // default settled). Recording that in storage comes after it, like storing the list and the
  // verdict index: a worker stopped before the record re-applies from what is stored at its next
  // start. Everything below still waits for the record (the state is read back).
  const end: { inForceAt: number | null } = { inForceAt: null };
  const [applyResult] = await Promise.allSettled([
    apply(`rule list version ${outcome.document.version}`, {
      inputsAhead,
      onInForce: () => {
        end.inForceAt = performance.now();
      },
    }).finally(() => {
      appliedAt = performance.now();
      fullListApplying = null;
    }),
  ]);
  const reconcile = lastReconcileTimings();
  // In force: the record and the verdict index, written last (platform/enforcement.ts), are not
  // counted; when nothing was sent (the same rules) the reconcile's end is the end point.
  const applied = end.inForceAt ?? appliedAt - (reconcile.indexMs ?? 0);
  const status = await ruleListStatus.getValue();
  if (applyResult.status === 'fulfilled') {
    const inForce = await enforcementState.getValue();
    if (inForce.ruleListFingerprint !== outcome.sha256) {
      // Signed and valid, but the reconcile kept the rules before: the policy with this list does
      // not compile (more URL rules than the browser allows, an entry the compiler refuses). It is
      // not stored over the last good list, and the popup names the version still enforcing
      // rather than this one. The next check fetches it again (the stored list is older).
      // Not stored either way (a change document's full list stored first is stored already).
      holdingNewList = false;
      cache = null;
      const reason =
        inForce.applyError ??
        (inForce.policyErrors.slice(0, 3).join(' ') || 'the browser did not take its rules.');
      const kept = inForce.ruleListVersion
        ? `rule list version ${inForce.ruleListVersion}`
        : 'the built-in lists';
      const message = `Rule list version ${outcome.document.version} is signed and valid but could not be applied, so ${kept} stays in force: ${reason}`;
      await ruleListStatus.setValue({
        ...status,
        url: policy.ruleListUrl,
        lastCheckAt: outcome.checkedAt,
        error: { code: 'not-applied', message, at: outcome.checkedAt },
        fetches: fetches(status, { at: outcome.checkedAt, outcome: 'error', message }),
      });
      const total = performance.now() - started;
      return {
        outcome: 'error',
        message,
        timings: {
          fetchAndVerifyMs: fetched - started,
          applyMs: total - (fetched - started),
          totalMs: total,
        },
      };
    }
  }
  // Stored even when the browser threw (it is the list just verified, and the next reconcile, at
  // the latest the minute alarm, applies it). A failed write leaves the list before in storage;
  // this one is fetched again at the next check, brought forward to minutes.
  storing ??= store();
  let notStored: string | null = null;
  await storing.catch((error: unknown) => {
    console.warn('[steward] the rule list could not be stored', error);
    notStored = failureText(error);
  });
  if (notStored !== null) await checkAgainSoon(policy);
  if (applyResult.status === 'rejected') throw applyResult.reason;
  const savedBefore = sameUrl ? `version ${stored.version}` : 'the built-in lists';
  await ruleListStatus.setValue({
    ...status,
    url: policy.ruleListUrl,
    version: outcome.document.version,
    issuedAt: outcome.document.issuedAt,
    expiresAt: outcome.document.expiresAt ?? null,
    entries: outcome.entries,
    lastCheckAt: outcome.checkedAt,
    lastSuccessAt: outcome.checkedAt,
    error:
      notStored === null
        ? null
        : {
            code: 'not-stored',
            message: `Rule list version ${outcome.document.version} is in force but could not be saved on this computer (${notStored}). Until it is saved, ${savedBefore} applies again whenever Steward restarts. Steward will try again in ${STORE_RETRY_MINUTES} minutes; if this stays, check the computer's free disk space.`,
            at: outcome.checkedAt,
          },
    fetches: fetches(status, {
      at: outcome.checkedAt,
      outcome: 'updated',
      version: outcome.document.version,
    }),
  });
  return updatedReply(
    { started, verified: fetched, beforeApply, applied, storeMs, policyMs, savedMs },
    outcome.timings,
    reconcile,
  );
}

/**
 * A change document from the list in force: stored (small) as pending, then applied. Returns the
 * refresh's result when the planner laid it over the rules in force, or null when it did not (the
 * caller fetches the full list). Either way the full list follows: now, or in the background.
 */
async function applyChanges(
  outcome: Extract<UpdateOutcome, { kind: 'changes' }>,
  url: string,
  key: string,
  apply: ApplyRules,
  started: number,
): Promise<RefreshResult | null> {
  const document = outcome.document;
  const beforeApply = performance.now();
  const record: PendingChanges = {
    url,
    key,
    bytes: outcome.bytes,
    signature: outcome.signature,
    since: document.since,
    result: document.result,
    version: document.version,
  };
  // The planner reads it back from memory, the same bytes IndexedDB now holds. Not storable (a
  // full disk): the full list instead, which goes in from memory and says it is not saved.
  try {
    const tx = (await db()).transaction('lists', 'readwrite');
    await Promise.all([tx.store.put(record, 'pending-changes'), tx.done]);
  } catch (error) {
    console.warn(
      '[steward] the change document could not be stored; fetching the full list',
      error,
    );
    return null;
  }
  const storedAt = performance.now();
  justChecked = { bytes: record.bytes, key, document };
  try {
    await apply(
      `rule list version ${document.version} (change document)`,
      CHANGES_OVER_LIST_IN_FORCE,
    );
  } finally {
    justChecked = null;
  }
  const reconcile = lastReconcileTimings();
  // In force: the verdict index, written last (platform/enforcement.ts), is not counted.
  const applied = performance.now() - (reconcile.indexMs ?? 0);
  const state = await enforcementState.getValue();
  if (state.ruleListFingerprint !== document.result) {
    await (await db()).delete('lists', 'pending-changes');
    return null;
  }
  fullListOwed = true;
  const status = await ruleListStatus.getValue();
  await ruleListStatus.setValue({
    ...status,
    url,
    version: document.version,
    issuedAt: document.issuedAt,
    expiresAt: document.expiresAt ?? null,
    lastCheckAt: outcome.checkedAt,
    lastSuccessAt: outcome.checkedAt,
    error: null,
    fetches: [
      {
        at: outcome.checkedAt,
        outcome: 'updated' as const,
        version: document.version,
      },
      ...status.fetches,
    ].slice(0, 10),
  });
  return updatedReply(
    {
      started,
      verified: beforeApply,
      beforeApply,
      applied,
      storeMs: storedAt - beforeApply,
      recordCounted: true,
    },
    outcome.timings,
    reconcile,
  );
}

/**
 * The "check now" reply once a list or a change document is in force: where the time went, from
 * the moments (performance.now) the refresh passed and the reconcile's own timings.
 */
function updatedReply(
  at: {
    started: number;
    verified: number;
    beforeApply: number;
    applied: number;
    storeMs: number;
    /** The record of the outcome is inside `applied` (a change document's end point). */
    recordCounted?: boolean;
    /** From the refresh's start: the policy read, then what IndexedDB holds read. */
    policyMs?: number;
    savedMs?: number;
  },
  /** The check's own timings, as `checkForUpdate` measured them (each present only if measured). */
  checked: Extract<UpdateOutcome, { kind: 'updated' | 'changes' }>['timings'],
  reconcile: ReturnType<typeof lastReconcileTimings>,
): RefreshResult {
  return {
    outcome: 'updated',
    startedAt: at.started,
    timings: {
      fetchAndVerifyMs: at.verified - at.started,
      applyMs: at.applied - at.beforeApply,
      totalMs: at.applied - at.started,
      ...checked,
      ...(at.policyMs === undefined ? {} : { policyReadMs: at.policyMs }),
      ...(at.savedMs === undefined ? {} : { savedMs: at.savedMs }),
      storeMs: at.storeMs,
      ...phasesOf(at, reconcile),
    },
  };
}

/** The reconcile's timings, with its start turned into time spent waiting for the queue. */
function phasesOf(
  at: { beforeApply: number; applied: number; recordCounted?: boolean },
  reconcile: ReturnType<typeof lastReconcileTimings>,
): Omit<RefreshTimings, 'fetchAndVerifyMs' | 'applyMs' | 'totalMs'> {
  const { startedAt, ...timings } = reconcile;
  if (startedAt === undefined) return timings;
  const queueMs = startedAt - at.beforeApply;
  // With the end point at the rules in force, the record (and the alarms after it) fall outside.
  const recorded = at.recordCounted ? (timings.recordMs ?? 0) : 0;
  const afterMs =
    at.applied -
    at.beforeApply -
    queueMs -
    timings.planMs -
    timings.browserMs -
    timings.settleMs -
    recorded;
  return { ...timings, queueMs, afterMs };
}

async function recordError(code: NonNullable<RuleListStatus['error']>['code'], message: string) {
  const status = await ruleListStatus.getValue();
  await ruleListStatus.setValue({ ...status, error: { code, message, at: Date.now() } });
}

/** How soon the next check comes after a list was applied but could not be saved. */
export const STORE_RETRY_MINUTES = 5;

/** The next check in STORE_RETRY_MINUTES, then the policy's poll period as before. */
async function checkAgainSoon(policy: StewardPolicy): Promise<void> {
  await browser.alarms.create(RULE_LIST_ALARM, {
    delayInMinutes: STORE_RETRY_MINUTES,
    periodInMinutes: policy.ruleListPollMinutes,
  });
}

/** Keep the poll alarm in step with the policy (hourly by default). */
export async function scheduleRuleList(policy: StewardPolicy): Promise<void> {
  if (!policy.ruleListUrl) {
    await browser.alarms.clear(RULE_LIST_ALARM);
    return;
  }
  const existing = await browser.alarms.get(RULE_LIST_ALARM);
  if (existing?.periodInMinutes !== policy.ruleListPollMinutes) {
    await browser.alarms.create(RULE_LIST_ALARM, {
      periodInMinutes: policy.ruleListPollMinutes,
      delayInMinutes: policy.ruleListPollMinutes,
    });
  }
}

/** For the report: the list's version in force and its last error. */
export async function ruleListReportStatus(): Promise<{
  ruleListVersion: number | null;
  ruleListError: string | null;
}> {
  const status = await ruleListStatus.getValue();
  return {
    ruleListVersion: status.version,
    ruleListError: status.error?.message.slice(0, 500) ?? null,
  };
}
