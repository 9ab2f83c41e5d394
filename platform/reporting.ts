/**
 * Reporting adapter: the reporter from lib/report over IndexedDB, fetch and the extension's
 * state. Counts only; see docs/report-payload.md for what is (never) sent.
 */
import { browser } from 'wxt/browser';
import {
  type AdapterProblem,
  forgetDelivered,
  healthRows,
  recordProblem,
  type WebmailService,
} from '../lib/adapter-health.ts';
// Registers RE2 so that refused school patterns are reported with their reason.
import '../lib/dlp/custom-patterns.ts';
import { composePolicyErrors } from '../lib/dlp/policy.ts';
import { browserFamily } from '../lib/install-status.ts';
import { openReportStore } from '../lib/report/idb-store.ts';
import {
  createReporter,
  type Reporter,
  type ReportState,
  type UploadResult,
} from '../lib/report/index.ts';
import type { InstallationStatus } from '../lib/report/payload.ts';
import { installationStatus } from '../lib/report/status.ts';
import {
  countRepair,
  countRestartNeeded,
  forgetDeliveredRecovery,
  readTally,
  recoveryForReport,
  takeBackRestartNeeded,
  type WorkerRecoveryTally,
} from '../lib/worker-recovery.ts';
import { WORKER_REPAIR_KEY } from '../lib/worker-repair.ts';
import { browserTarget } from './enforcement.ts';
import { adapterHealth, effectivePolicy, enforcementState, workerRecovery } from './storage.ts';

export const REPORT_ALARM = 'steward-report';
export const REPORT_RETRY_ALARM = 'steward-report-retry';

/** Extra status from other features (rule list, install state), registered at start-up. */
type StatusPart = () => Promise<Partial<InstallationStatus>>;
const statusParts: StatusPart[] = [];
export function addStatusPart(part: StatusPart): void {
  statusParts.push(part);
}

async function currentStatus(): Promise<InstallationStatus> {
  const [state, policy, health, recovery] = await Promise.all([
    enforcementState.getValue(),
    effectivePolicy.getValue(),
    adapterHealth.getValue(),
    workerRecovery.getValue(),
  ]);
  const status = installationStatus({
    extensionVersion: browser.runtime.getManifest().version,
    browser: browserFamily(navigator.userAgent, browserTarget() === 'firefox'),
    policySource: state.source,
    policyVersion: state.policyVersion,
    policyErrors: [...state.policyErrors, ...composePolicyErrors(policy)],
    ruleListVersion: null,
    ruleListError: null,
    adapterHealth: health,
    workerRecovery: readTally(recovery),
  });
  for (const part of statusParts) Object.assign(status, await part());
  const { reportGroup } = await effectivePolicy.getValue();
  if (reportGroup) status.group = reportGroup;
  return status;
}

/**
 * Every change to the adapter-health and worker-recovery tallies goes through this chain: a
 * sighting recorded while a report is in flight must not be lost when the delivered counts are
 * taken off.
 */
let tallyChain: Promise<unknown> = Promise.resolve();
function inTallyChain(change: () => Promise<void>): Promise<void> {
  const run = tallyChain.then(change);
  tallyChain = run.catch(() => undefined);
  return run;
}
function changeHealth(
  change: (tally: Record<string, number>) => Record<string, number>,
): Promise<void> {
  return inTallyChain(async () => {
    await adapterHealth.setValue(change(await adapterHealth.getValue()));
  });
}
function changeRecovery(
  change: (tally: WorkerRecoveryTally) => WorkerRecoveryTally,
): Promise<void> {
  return inTallyChain(async () => {
    await workerRecovery.setValue(change(readTally(await workerRecovery.getValue())));
  });
}

/**
 * At the worker's start: a registration a page made again (the stored record lib/worker-repair.ts
 * keeps) counts once, by the first worker that reads it (lib/worker-recovery.ts).
 */
export async function recordWorkerRepair(): Promise<void> {
  try {
    const repair = (await browser.storage.local.get(WORKER_REPAIR_KEY))[WORKER_REPAIR_KEY];
    if (repair !== undefined) await changeRecovery((tally) => countRepair(tally, repair));
  } catch (error) {
    console.warn('[steward] could not count the worker repair', error);
  }
}

/** The worker found itself unheard; `alreadyKnown`: an earlier start of this session had too. */
export function recordRestartNeeded(alreadyKnown: boolean): Promise<void> {
  return changeRecovery((tally) => countRestartNeeded(tally, alreadyKnown));
}

/** A start counted as unheard heard the browser after all: it was only slow. */
export function recordHeardLate(): Promise<void> {
  return changeRecovery(takeBackRestartNeeded);
}

/**
 * The signed-in account's address. Only asked for when policy sets reportIdentity "email".
 * `accountStatus: 'ANY'`: the signed-in account whether or not sync is on (by default Chrome
 * answers only for a syncing account, and school staff often do not sync). Firefox has no such
 * API.
 */
export async function accountEmail(): Promise<string | null> {
  const identity = (
    browser as unknown as {
      identity?: {
        getProfileUserInfo?: (details: {
          accountStatus: 'ANY' | 'SYNC';
        }) => Promise<{ email: string }>;
      };
    }
  ).identity;
  return identity?.getProfileUserInfo
    ? (await identity.getProfileUserInfo({ accountStatus: 'ANY' })).email
    : null;
}

let reporter: Reporter | null = null;

export function getReporter(): Reporter {
  reporter ??= createReporter({
    store: openReportStore(),
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    random: () => Math.random(),
    getStatus: currentStatus,
    // Adapter problems are "since the last report": forget what a delivered batch carried.
    // So is the worker's recovery.
    statusDelivered: async (status) => {
      await changeHealth((tally) => forgetDelivered(tally, status.adapterHealth ?? []));
      await changeRecovery((tally) => forgetDeliveredRecovery(tally, status.workerRecovery));
    },
    // News without counts: the worker needed help, or a webmail check failed.
    statusToTell: async () => {
      const [health, recovery] = await Promise.all([
        adapterHealth.getValue(),
        workerRecovery.getValue(),
      ]);
      return healthRows(health).length > 0 || recoveryForReport(readTally(recovery)) !== undefined;
    },
    getPolicy: async () => {
      const p = await effectivePolicy.getValue();
      return {
        reportUrl: p.reportUrl,
        reportToken: p.reportToken,
        reportIntervalMinutes: p.reportIntervalMinutes,
        reportIdentity: p.reportIdentity,
        reportDetail: p.reportDetail,
        timeZone: p.timeZone,
        orgDomains: p.orgDomains,
      };
    },
    getAccountEmail: accountEmail,
  });
  return reporter;
}

async function scheduleRetry(result: UploadResult): Promise<void> {
  if (result.nextAttemptAt !== null) {
    await browser.alarms.create(REPORT_RETRY_ALARM, {
      when: Math.max(result.nextAttemptAt, Date.now() + 30_000),
    });
  }
}

/** Upload what is due and schedule the next try; never throws (an alarm handler must not). */
export async function uploadReports(): Promise<void> {
  try {
    await scheduleRetry(await getReporter().uploadDue());
  } catch (error) {
    console.warn('[steward] report upload failed', error);
  }
}

/**
 * "Send counts now" (an admin on the options page, or a test): one attempt at the waiting batch
 * even during its backoff, same batch id. The result says what happened; a storage failure is
 * reported as a failed run rather than thrown into the message channel.
 */
export async function sendReportsNow(): Promise<UploadResult> {
  try {
    const result = await getReporter().sendNow();
    await scheduleRetry(result);
    return result;
  } catch (error) {
    return {
      outcome: 'failed',
      delivered: [],
      rejected: [],
      nextAttemptAt: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** What the popup and options page show about reporting (pending, last sent, last error). */
export function reportingState(): Promise<ReportState> {
  return getReporter().state();
}

/** Keep the periodic alarm in step with the policy's interval. */
export async function scheduleReports(): Promise<void> {
  const { reportIntervalMinutes } = await effectivePolicy.getValue();
  const existing = await browser.alarms.get(REPORT_ALARM);
  if (existing?.periodInMinutes !== reportIntervalMinutes) {
    await browser.alarms.create(REPORT_ALARM, {
      periodInMinutes: reportIntervalMinutes,
      delayInMinutes: reportIntervalMinutes,
    });
  }
}

/** One more sighting of a webmail adapter problem (a code; the sender was checked by the caller). */
export function recordAdapterHealth(
  service: WebmailService,
  problem: AdapterProblem,
): Promise<void> {
  return changeHealth((tally) => recordProblem(tally, service, problem));
}
