/**
 * Access requests in the service worker: the queue from lib/access-request over storage.local,
 * fetch and alarms. A request is stored before it is sent and re-sent with backoff until the
 * school's server has it; outcomes are checked with the rule list (and when staff open the block
 * page or popup), and an approval the browser's rule list does not carry yet triggers a check.
 */
import { browser } from 'wxt/browser';
import { accessRequestEndpoint } from '../lib/access-request/payload.ts';
import {
  type AccessRequestDeps,
  type AccessRequestsState,
  checkOutcomes,
  type EnqueueResult,
  enqueue,
  readState,
  sendDue,
} from '../lib/access-request/queue.ts';
import { reportIdentity } from '../lib/report/identity.ts';
import { accountEmail, getReporter } from './reporting.ts';
import { effectivePolicy } from './storage.ts';

export const ACCESS_REQUEST_RETRY_ALARM = 'steward-access-request-retry';

const deps: AccessRequestDeps = {
  kv: {
    get: async (key) => (await browser.storage.local.get(key))[key],
    set: (key, value) => browser.storage.local.set({ [key]: value }),
  },
  fetch: (url, init) => fetch(url, init),
  now: () => Date.now(),
  random: () => Math.random(),
  target: async () => {
    const policy = await effectivePolicy.getValue();
    const endpoint = accessRequestEndpoint(policy);
    return endpoint && policy.reportToken ? { endpoint, token: policy.reportToken } : null;
  },
  installationId: () => getReporter().installationId(),
};

/** One run at a time: the alarm, a new request and the popup may all ask at once. */
let running: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = running.then(work, work);
  running = run.catch(() => undefined);
  return run;
}

/** Send what is due and schedule the next try; never throws (an alarm handler must not). */
export function sendAccessRequests(force = false): Promise<void> {
  return serial(async () => {
    try {
      const result = await sendDue(deps, force);
      if (result.nextAttemptAt !== null) {
        await browser.alarms.create(ACCESS_REQUEST_RETRY_ALARM, {
          when: Math.max(result.nextAttemptAt, Date.now() + 30_000),
        });
      }
    } catch (error) {
      console.warn('[steward] access requests', error);
    }
  });
}

/** Queue a request from the block page, then try to send it at once. */
export async function requestAccess(input: {
  site: string;
  category: string;
  reason: string;
}): Promise<EnqueueResult> {
  const policy = await effectivePolicy.getValue();
  const identity = await reportIdentity(policy.reportIdentity, policy.orgDomains, accountEmail);
  const result = await serial(() => enqueue(deps, { ...input, identity }));
  if (result.ok) await sendAccessRequests(true);
  return result;
}

/**
 * Send anything waiting, ask the server for outcomes, and when an approval is in a list version
 * newer than the one in force, check the rule list now (`refresh`).
 */
export async function checkAccessRequests(
  refresh: () => Promise<unknown>,
  ruleListVersion: () => Promise<number | null>,
  /** Staff asked (block page, popup): send waiting requests now, whatever their backoff. */
  force = false,
): Promise<AccessRequestsState> {
  if (!(await deps.target())) return readState(deps.kv);
  await sendAccessRequests(force);
  const state = await serial(() => checkOutcomes(deps));
  const inForce = (await ruleListVersion()) ?? 0;
  const newer = state.outcomes.some(
    (o) => o.status !== 'pending' && typeof o.listVersion === 'number' && o.listVersion > inForce,
  );
  const withdrawn = state.outcomes.some((o) => o.status === 'withdrawn');
  if (newer || withdrawn) await refresh();
  return state;
}

export function accessRequestsState(): Promise<AccessRequestsState> {
  return readState(deps.kv);
}

export async function accessRequestsEnabled(): Promise<boolean> {
  return (await deps.target()) !== null;
}
