/**
 * Registering a lost service worker again (adapter for lib/worker-repair.ts): the block page,
 * popup and options page look for their origin's worker registration and, if the browser has lost
 * it, register the worker's script again.
 */
import { browser } from 'wxt/browser';
import {
  FIRST_LOOK_AFTER_MS,
  isWorkerRepairRecord,
  LOOK_AGAIN_AFTER_MS,
  type RepairingPage,
  repairDecision,
  WORKER_REPAIR_KEY,
  type WorkerRepairRecord,
  workerScriptOf,
} from '../lib/worker-repair.ts';

export type WorkerCheck =
  | 'in place'
  | 'registered again'
  | 'held back'
  /** No worker to look after (Firefox's event page) or no way to look. */
  | 'not applicable';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function registrationMissing(): Promise<boolean> {
  return (await navigator.serviceWorker.getRegistration('/')) === undefined;
}

async function lastRepair(): Promise<WorkerRepairRecord | undefined> {
  const stored = (await browser.storage.local.get(WORKER_REPAIR_KEY))[WORKER_REPAIR_KEY];
  return isWorkerRepairRecord(stored) ? stored : undefined;
}

export async function checkWorkerRegistration(from: RepairingPage): Promise<WorkerCheck> {
  try {
    const script = workerScriptOf(browser.runtime.getManifest());
    if (!script || !('serviceWorker' in navigator)) return 'not applicable';
    await sleep(FIRST_LOOK_AFTER_MS);
    if (!(await registrationMissing())) return 'in place';
    await sleep(LOOK_AGAIN_AFTER_MS);
    const decision = repairDecision(await registrationMissing(), Date.now(), await lastRepair());
    if (decision === 'held back') {
      console.warn('[steward] the service worker is not registered; registered again recently');
    }
    if (decision !== 'register') return decision;
    const record: WorkerRepairRecord = { at: Date.now(), from };
    // Stored first, so that no page (this one included) can do it again within the limit.
    await browser.storage.local.set({ [WORKER_REPAIR_KEY]: record });
    console.warn(`[steward] the service worker is not registered; the ${from} registers it again`);
    await navigator.serviceWorker.register(script.path, { type: script.type, scope: '/' });
    return 'registered again';
  } catch (e) {
    console.warn('[steward] could not look after the service worker', e);
    return 'not applicable';
  }
}
