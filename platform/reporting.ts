/**
 * Reporting adapter: the reporter from lib/report over IndexedDB, fetch and the extension's
 * state. Counts only; see docs/report-payload.md for what is (never) sent.
 */
import { browser } from 'wxt/browser';
import { openReportStore } from '../lib/report/idb-store.ts';
import {
  createReporter,
  type Reporter,
  type ReportState,
  type UploadResult,
} from '../lib/report/index.ts';
import type { InstallationStatus, WebmailService } from '../lib/report/payload.ts';
import { browserTarget } from './enforcement.ts';
import { adapterHealth, effectivePolicy, enforcementState } from './storage.ts';

export const REPORT_ALARM = 'steward-report';
export const REPORT_RETRY_ALARM = 'steward-report-retry';

/** Extra status from other features (rule list, install state), registered at start-up. */
type StatusPart = () => Promise<Partial<InstallationStatus>>;
const statusParts: StatusPart[] = [];
export function addStatusPart(part: StatusPart): void {
  statusParts.push(part);
}

async function installationStatus(): Promise<InstallationStatus> {
  const state = await enforcementState.getValue();
  const health = await adapterHealth.getValue();
  const status: InstallationStatus = {
    extensionVersion: browser.runtime.getManifest().version,
    browser:
      browserTarget() === 'firefox'
        ? 'firefox'
        : navigator.userAgent.includes('Edg/')
          ? 'edge'
          : 'chrome',
    policySource: state.source,
    policyVersion: state.policyVersion || 'none',
    policyError: state.policyErrors.length > 0 ? state.policyErrors.join(' ').slice(0, 500) : null,
    ruleListVersion: null,
    ruleListError: null,
    adapterHealth: Object.entries(health)
      .slice(0, 20)
      .map(([key, count]) => {
        const [service, problem] = key.split('\u0000') as [WebmailService, string];
        return { service, problem: problem.slice(0, 200), count };
      }),
  };
  for (const part of statusParts) Object.assign(status, await part());
  return status;
}

/**
 * The signed-in account's address. Only asked for when policy sets reportIdentity "email"; needs
 * the identity permission, which the manifest does not request by default (README, "What is
 * sent").
 */
export async function accountEmail(): Promise<string | null> {
  const identity = (
    browser as unknown as {
      identity?: { getProfileUserInfo?: () => Promise<{ email: string }> };
    }
  ).identity;
  return identity?.getProfileUserInfo ? (await identity.getProfileUserInfo()).email : null;
}

let reporter: Reporter | null = null;

export function getReporter(): Reporter {
  reporter ??= createReporter({
    store: openReportStore(),
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    random: () => Math.random(),
    getStatus: installationStatus,
    getPolicy: async () => {
      const p = await effectivePolicy.getValue();
      return {
        reportUrl: p.reportUrl,
        reportToken: p.reportToken,
        reportIntervalMinutes: p.reportIntervalMinutes,
        reportIdentity: p.reportIdentity,
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

export async function recordAdapterHealth(service: WebmailService, problem: string): Promise<void> {
  const health = await adapterHealth.getValue();
  const key = `${service}\u0000${problem.slice(0, 200)}`;
  await adapterHealth.setValue({ ...health, [key]: (health[key] ?? 0) + 1 });
}
