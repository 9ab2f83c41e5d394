/**
 * Every stored key, defined once with its type and fallback (WXT storage items).
 */
import { storage } from 'wxt/utils/storage';
import type { BlockPageLedger } from '../lib/block-page-count.ts';
import type { MessagingStuck } from '../lib/direct-line.ts';
import type { StoredOverlay } from '../lib/enforcement-plan.ts';
import {
  type BlockPageInfo,
  type EnforcementState,
  INITIAL_STATE,
} from '../lib/enforcement-state.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../lib/policy.ts';
import { EFFECTIVE_POLICY_KEY } from '../lib/webmail-policy.ts';
import { NO_RECOVERY, type WorkerRecoveryTally } from '../lib/worker-recovery.ts';

export const enforcementState = storage.defineItem<EnforcementState>('local:enforcement', {
  fallback: INITIAL_STATE,
  version: 1,
});

export const blockPageInfo = storage.defineItem<BlockPageInfo>('local:blockPageInfo', {
  fallback: { clauses: {}, categoryLabels: {}, accessRequest: {}, warnContinueMinutes: 15 },
  version: 1,
});

/** "Continue" grants in force: session rule id → when it ends (ms since epoch). */
export const warnContinueGrants = storage.defineItem<Record<string, number>>(
  'session:warnContinue',
  {
    fallback: {},
  },
);

/** Per tab: the top-frame navigation last started and the block page last counted (lib/block-page-count.ts). */
export const blockPageLedger = storage.defineItem<BlockPageLedger>('session:blockPageLedger', {
  fallback: {},
});

/**
 * The rule-list overlay last applied (lib/overlay.ts): its session rules are lost when the browser
 * restarts, and are put back from here (a few thousand domains at most; kept apart from the
 * enforcement state, which every page reads).
 */
export const ruleOverlay = storage.defineItem<StoredOverlay | null>('local:ruleOverlay', {
  fallback: null,
});

/**
 * The effective policy last applied (what reporting and webmail read; webmail's content scripts
 * read it directly when the worker does not answer, lib/webmail-policy.ts).
 */
export const effectivePolicy = storage.defineItem<StewardPolicy>(`local:${EFFECTIVE_POLICY_KEY}`, {
  fallback: DEFAULT_POLICY,
  version: 1,
});

/** Webmail adapters that could not find their fields: "service\u0000problem" → times seen. */
export const adapterHealth = storage.defineItem<Record<string, number>>('local:adapterHealth', {
  fallback: {},
});

/**
 * How often the worker needed help since the last delivered report (lib/worker-recovery.ts): kept
 * in `storage.local`, because a worker the browser no longer hears cannot report until a restart.
 */
export const workerRecovery = storage.defineItem<WorkerRecoveryTally>('local:workerRecovery', {
  fallback: NO_RECOVERY,
});

/**
 * Since when the worker has heard no event from the browser, or null (platform/worker-hearing.ts).
 * Session storage: emptied when the browser closes, which is when the browser's messaging comes back.
 */
export const messagingStuck = storage.defineItem<MessagingStuck | null>(
  'session:browserMessagingStuck',
  { fallback: null },
);
