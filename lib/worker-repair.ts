/**
 * When the browser has lost Steward's service worker, the pages staff meet register it again.
 * Pure: the decisions only; `platform/worker-repair.ts` looks and registers.
 *
 * Why: a fresh install whose worker is stopped inside Chromium's short install step can lose the
 * worker's registration (about 2% of single stops 0.3 s in; 4 of 44, 9 of 12 and 11 of 12 installs
 * whose worker was stopped every 5-20 ms through the first 1.5 s, session 38;
 * `chrome://serviceworker-internals` then lists nothing for Steward). The repair below registered
 * the worker again in every one of those 24 losses, rules in force 8.3-10.8 s after launch (the
 * red-team test "stopped every few ms" in tests/e2e/bypass.spec.ts). Nothing of Steward's runs
 * after that: no alarm, event or message starts a worker that is not registered, until the browser
 * restarts. The static default ruleset still blocks the built-in categories, but the school's
 * policy, its rule list and reporting are missing. What does still run is an extension page: the
 * block page (the static ruleset redirects to it), the popup, the options page, and the hidden
 * worker-check page that a webmail page frames when its messages get no answer
 * (webmail/worker-check-frame.ts; staff open webmail first thing, often before any of the
 * others). An extension page can see its own origin's registration
 * (`navigator.serviceWorker.getRegistration`) and can register the worker's script again; the
 * worker's start then reconciles as every start does.
 *
 * Not a reload (`runtime.reload()`): tried in Debian's Chromium (session 24), a reload of the
 * unpacked build unloaded Steward and did not load it again in about 10 of 12 tries (its pages
 * then refused to open and no worker ran; whether the static ruleset still blocked was not
 * checked). A repair that can unload Steward is worse than the failure it repairs.
 *
 * It must never act on a healthy install or loop:
 * - only a registration that is missing at two looks `LOOK_AGAIN_AFTER_MS` apart, the first
 *   `FIRST_LOOK_AFTER_MS` after the page opened (a fresh install registers its worker within a
 *   second or two; a page opened by the static ruleset at once must not race it);
 * - at most one registration in `REPAIR_AT_MOST_EVERY_MS`, by any page, with the time stored
 *   (`WORKER_REPAIR_KEY` in `storage.local`).
 */

/** `storage.local` key of the last repair (a `WorkerRepairRecord`). */
export const WORKER_REPAIR_KEY = 'workerRepair';
/** The first look, after the page opened. */
export const FIRST_LOOK_AFTER_MS = 3_000;
/** The second look, after the first found nothing. */
export const LOOK_AGAIN_AFTER_MS = 5_000;
/** At most one repair in this long, whichever page makes it. */
export const REPAIR_AT_MOST_EVERY_MS = 15 * 60_000;

/**
 * The pages that look after the worker. 'webmail page': a webmail page whose message to the worker
 * got no answer (`isNoWorkerError`) added the hidden worker-check page (an extension page, so
 * it sees Steward's own registration) in a frame; staff open webmail first thing, often before any
 * page of Steward's.
 */
const REPAIRING_PAGES = ['block page', 'popup', 'options page', 'webmail page'] as const;
export type RepairingPage = (typeof REPAIRING_PAGES)[number];

/** How long the worker-check frame stays in a webmail page: both looks and a registration. */
export const WORKER_CHECK_FRAME_MS = FIRST_LOOK_AFTER_MS + LOOK_AGAIN_AFTER_MS + 12_000;

/** What a content script's message rejects with when the worker gave no answer in its limit. */
export function noAnswerInTime(limitMs: number): Error {
  return new Error(`${NO_ANSWER_IN_TIME} (${limitMs} ms)`);
}
const NO_ANSWER_IN_TIME = 'Steward: no answer from the worker in time';

/**
 * Whether a content script's message to the worker may have found no worker there. Seen in
 * Debian's Chromium (session 40): with the registration lost, `runtime.sendMessage` from a
 * content script neither answers nor fails, so the sign is no answer within the script's limit
 * (`noAnswerInTime`). "Receiving end does not exist" (nobody listening) is read the same way. A
 * slow worker also misses a limit, which is why the worker-check page looks twice and acts only
 * on a registration that is really missing. A context invalidated by an update, or a listener's
 * own error, is something else and asks for nothing.
 */
export function isNoWorkerError(error: unknown): boolean {
  // Any object with a message, not only this realm's Error: the browser's errors may come from
  // another realm (Firefox's privileged code).
  const message =
    typeof error === 'string'
      ? error
      : typeof error === 'object' && error !== null && 'message' in error
        ? String(error.message)
        : '';
  return message.startsWith(NO_ANSWER_IN_TIME) || /Receiving end does not exist/i.test(message);
}

/** What a page stored when it registered the worker again (shown to nobody; for support). */
export type WorkerRepairRecord = {
  /** When (ms since the epoch, the page's clock). */
  at: number;
  from: RepairingPage;
};

export type RepairDecision =
  /** The worker is registered: nothing to do. */
  | 'in place'
  /** Register the worker's script again now (and store the record first). */
  | 'register'
  /** Missing, but a page registered it too recently: do nothing more from this page. */
  | 'held back';

/**
 * `missingAtBothLooks`: the registration was missing at the first look and again at the second.
 * `last`: the stored record of the last repair, if any.
 */
export function repairDecision(
  missingAtBothLooks: boolean,
  now: number,
  last: WorkerRepairRecord | undefined,
): RepairDecision {
  if (!missingAtBothLooks) return 'in place';
  // Either side of now: a clock put back must not allow a second repair at once.
  if (last && Math.abs(now - last.at) < REPAIR_AT_MOST_EVERY_MS) return 'held back';
  return 'register';
}

export function isWorkerRepairRecord(value: unknown): value is WorkerRepairRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.at === 'number' &&
    Number.isFinite(v.at) &&
    typeof v.from === 'string' &&
    REPAIRING_PAGES.some((page) => page === v.from)
  );
}

/** The worker's script as the manifest names it, or null (Firefox: an event page, no worker). */
export function workerScriptOf(manifest: {
  background?: { service_worker?: unknown; type?: unknown } | unknown;
}): { path: string; type: 'module' | 'classic' } | null {
  const background = manifest.background;
  if (typeof background !== 'object' || background === null) return null;
  const { service_worker: script, type } = background as Record<string, unknown>;
  // A path inside the extension only: no scheme, no way out of its root.
  if (typeof script !== 'string' || !/^[\w.-]+(?:\/[\w.-]+)*$/.test(script)) return null;
  if (script.split('/').some((part) => part === '..')) return null;
  return { path: `/${script}`, type: type === 'module' ? 'module' : 'classic' };
}
