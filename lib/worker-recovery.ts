/**
 * What the school learns about Steward's worker needing help: how often a page of Steward's had to
 * register the lost worker again (lib/worker-repair.ts), and how often the worker then found the
 * browser delivering it nothing, so staff were asked to restart the browser
 * (platform/worker-hearing.ts, lib/direct-line.ts). Both are kept in `storage.local` and sent with
 * the next report the browser can make: a worker the browser no longer hears cannot report (no
 * alarm reaches it), so the counts wait for the restart that heals it. IT then sees, per browser,
 * that it needed one (the dashboard's health section, `needed_restart` in server/health.ts).
 *
 * Counts only, "since the last delivered report", as `status.adapterHealth` is
 * (docs/report-payload.md, `status.workerRecovery`). Pure: no browser API.
 */

import { isWorkerRepairRecord } from './worker-repair.ts';

/** Largest count the report carries (the contract's MAX_COUNT). */
export const MAX_RECOVERY_COUNT = 1_000_000;

export type WorkerRecoveryTally = {
  /** Times a page registered the lost worker again since the last delivered report. */
  registrationsRepaired: number;
  /** Browser sessions in which the worker found itself unheard since the last delivered report. */
  restartsNeeded: number;
  /** The time of the last repair counted (the repair record's `at`), so each is counted once. */
  repairCounted: number | null;
};

export const NO_RECOVERY: WorkerRecoveryTally = {
  registrationsRepaired: 0,
  restartsNeeded: 0,
  repairCounted: null,
};

/** What a report's `status.workerRecovery` carries; absent when there is nothing to say. */
export type WorkerRecoveryReport = { registrationsRepaired: number; restartsNeeded: number };

const count = (n: unknown): number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0
    ? Math.min(MAX_RECOVERY_COUNT, Math.floor(n))
    : 0;

/** A stored tally made safe to use (missing, older or damaged values count as nothing). */
export function readTally(stored: unknown): WorkerRecoveryTally {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const at = raw.repairCounted;
  return {
    registrationsRepaired: count(raw.registrationsRepaired),
    restartsNeeded: count(raw.restartsNeeded),
    repairCounted: typeof at === 'number' && Number.isFinite(at) ? at : null,
  };
}

/**
 * The tally after the worker read the last repair record (`{ at }` from `storage.local`
 * `workerRepair`, written by the page that registered it again): a repair newer than the last one
 * counted is one more. Read at every start, so a repair is counted by the first worker it brings.
 */
export function countRepair(tally: WorkerRecoveryTally, repair: unknown): WorkerRecoveryTally {
  if (!isWorkerRepairRecord(repair)) return tally;
  if (tally.repairCounted !== null && repair.at <= tally.repairCounted) return tally;
  return {
    ...tally,
    registrationsRepaired: Math.min(MAX_RECOVERY_COUNT, tally.registrationsRepaired + 1),
    repairCounted: repair.at,
  };
}

/**
 * The tally after a worker found itself unheard. `alreadyKnown`: this browser session had already
 * been found unheard by an earlier start (the session's stuck record was there), so it is the same
 * restart, not another one.
 */
export function countRestartNeeded(
  tally: WorkerRecoveryTally,
  alreadyKnown: boolean,
): WorkerRecoveryTally {
  if (alreadyKnown) return tally;
  return { ...tally, restartsNeeded: Math.min(MAX_RECOVERY_COUNT, tally.restartsNeeded + 1) };
}

/** The tally after a start counted as a new unheard session heard the browser after all (slow). */
export function takeBackRestartNeeded(tally: WorkerRecoveryTally): WorkerRecoveryTally {
  return { ...tally, restartsNeeded: Math.max(0, tally.restartsNeeded - 1) };
}

/** What the next report carries, or undefined when nothing happened since the last one. */
export function recoveryForReport(tally: WorkerRecoveryTally): WorkerRecoveryReport | undefined {
  if (tally.registrationsRepaired === 0 && tally.restartsNeeded === 0) return undefined;
  return {
    registrationsRepaired: tally.registrationsRepaired,
    restartsNeeded: tally.restartsNeeded,
  };
}

/**
 * The tally after a report carrying `delivered` reached the server (2xx): the delivered counts are
 * taken off; what happened while the report was in flight stays for the next one.
 */
export function forgetDeliveredRecovery(
  tally: WorkerRecoveryTally,
  delivered: WorkerRecoveryReport | undefined,
): WorkerRecoveryTally {
  if (!delivered) return tally;
  return {
    registrationsRepaired: Math.max(
      0,
      tally.registrationsRepaired - count(delivered.registrationsRepaired),
    ),
    restartsNeeded: Math.max(0, tally.restartsNeeded - count(delivered.restartsNeeded)),
    repairCounted: tally.repairCounted,
  };
}
