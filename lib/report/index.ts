/**
 * The report client's façade for the service worker: count, upload, show state.
 *
 *   const reporter = createReporter({ store: await openReportStore(), fetch: globalThis.fetch.bind(globalThis),
 *     now: Date.now, random: Math.random, getStatus, getPolicy, getAccountEmail });
 *   await reporter.count({ kind: 'navigation', category: 'gambling', outcome: 'blocked' });
 *   const { nextAttemptAt } = await reporter.uploadDue();   // on the alarm and at start-up
 *
 * What to wire where: docs/reporting-client.md.
 *
 * Pure module: everything that touches the browser is injected.
 */
import { type CountResult, count, type DetailEvent, recordEvent } from './counters.ts';
import { type ReportState, Uploader, type UploaderDeps, type UploadResult } from './uploader.ts';

export type { CountEvent, CountResult, DetailEvent } from './counters.ts';
export { DEFAULT_TIME_ZONE, dayOf } from './day.ts';
export type { KeyValueStore, ReportIdentityMode } from './identity.ts';
export { DEFAULT_LIMITS, type Limits } from './outbox.ts';
export type { DropRecord, ReportStore } from './store.ts';
export {
  checkReportUrl,
  type FetchLike,
  type ReportPolicy,
  type ReportState,
  type UploaderDeps,
  type UploadOptions,
  type UploadOutcome,
  type UploadResult,
} from './uploader.ts';

export interface Reporter {
  /**
   * Count one event on the school day of `at` (default now). Never throws for a bad event: it
   * returns `{ ok: false, error }`, because a block page must render whatever the counter says.
   */
  count(event: unknown, at?: Date | number): Promise<CountResult>;
  /**
   * Keep one detailed event when, and only when, the policy sets `reportDetail: "events"`;
   * otherwise nothing is stored and `{ ok: false }` says why. Counts are separate (use count).
   */
  recordEvent(event: DetailEvent, at?: number): Promise<CountResult>;
  /**
   * Prune, cut and send what is due. Concurrent calls share one run (the alarm and start-up may
   * fire together). Schedule a one-shot alarm at `nextAttemptAt` when it is not null.
   */
  uploadDue(): Promise<UploadResult>;
  /**
   * "Send counts now", for an explicit admin action: like uploadDue, but the oldest pending batch
   * is attempted even while it waits out a backoff (same batch id, so still exactly once). A run
   * already under way is finished first, then this one starts, so the caller's result is fresh.
   */
  sendNow(): Promise<UploadResult>;
  state(): Promise<ReportState>;
  /** Re-queue batches the server rejected (call after the admin fixed the server or a bug). */
  retryRejected(): Promise<number>;
  installationId(): Promise<string>;
}

export function createReporter(deps: UploaderDeps): Reporter {
  const uploader = new Uploader(deps);
  // At most one run at a time: two runs could attempt the same batch at once (harmless for the
  // counts, thanks to the server's dedupe, but a wasted attempt and a confusing state).
  let running: Promise<UploadResult> | null = null;
  const track = (run: Promise<UploadResult>): Promise<UploadResult> => {
    const tracked = run.finally(() => {
      if (running === tracked) running = null;
    });
    running = tracked;
    return tracked;
  };
  return {
    async count(event, at) {
      try {
        const policy = await deps.getPolicy();
        return await count(deps.store, event, at ?? deps.now(), policy.timeZone);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    async recordEvent(event, at) {
      try {
        const policy = await deps.getPolicy();
        if (policy.reportDetail !== 'events') {
          return { ok: false, error: 'the policy does not ask for detailed events' };
        }
        return await recordEvent(deps.store, event, at ?? deps.now(), policy.timeZone);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    uploadDue() {
      return running ?? track(uploader.uploadDue());
    },
    sendNow() {
      const before = running?.catch(() => undefined) ?? Promise.resolve();
      return track(before.then(() => uploader.uploadDue({ sendNow: true })));
    },
    state: () => uploader.state(),
    retryRejected: () => uploader.retryRejected(),
    installationId: () => uploader.installationId(),
  };
}
