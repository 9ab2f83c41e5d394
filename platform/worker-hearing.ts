/**
 * Does the browser still deliver events to this worker? (lib/direct-line.ts says why it may not.)
 * At every start the worker writes a fresh mark to `storage.session` and listens for its own
 * change event; if the event has not come `HEARING_LIMIT_MS` later, the browser's messaging is
 * stuck for this browser session and `messagingStuck` says since when, so the popup can ask staff
 * to restart the browser (`messagingStuck` in platform/storage.ts). `storage.session` is emptied
 * when the browser closes, which is when the messaging comes back. A late event (a worker busy for
 * longer than the limit) clears it. Each unheard browser session is also counted for the school
 * (`reports`, lib/worker-recovery.ts), once, however many times the worker starts in it.
 */
import { browser } from 'wxt/browser';
import { HEARING_LIMIT_MS, heardOwnMark } from '../lib/direct-line.ts';
import { messagingStuck } from './storage.ts';

const HEARING_MARK_KEY = 'workerHearingMark';

/** What the school is told (lib/worker-recovery.ts): counted once per browser session. */
export type HearingReports = {
  /** This start found the worker unheard; `alreadyKnown`: an earlier start of the session had. */
  unheard(alreadyKnown: boolean): void;
  /** A start counted as a new unheard session was only slow: its count is taken back. */
  heardLate(): void;
};

/** Call once, synchronously, at the worker's start (the listener must be there from the start). */
export function checkWorkerHearsBrowser(reports: HearingReports): void {
  const mark = crypto.randomUUID();
  let heard = false;
  let calledUnheard = false;
  let countedUnheard = false;
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session' || !heardOwnMark(changes[HEARING_MARK_KEY]?.newValue, mark)) return;
    heard = true;
    // Late (a worker busy for longer than the limit): this start was called unheard; take it back.
    // A stuck record from an earlier start of this session is cleared too: the browser hears us.
    if (calledUnheard) {
      void messagingStuck.setValue(null);
      if (countedUnheard) reports.heardLate();
    } else {
      void messagingStuck.getValue().then(async (stuck) => {
        if (stuck) await messagingStuck.setValue(null);
      });
    }
  });
  void browser.storage.session
    .set({ [HEARING_MARK_KEY]: mark })
    .then(() => {
      setTimeout(() => {
        if (heard) return;
        calledUnheard = true;
        console.warn('[steward] the browser delivers this worker no events: restart needed');
        void messagingStuck.getValue().then(async (earlier) => {
          if (heard) return;
          // Since the first start that found it: a later start of the same session keeps that.
          await messagingStuck.setValue(earlier ?? { since: Date.now() });
          // Heard meanwhile (the event's own clearing may have run before this write).
          if (heard) {
            await messagingStuck.setValue(null);
            return;
          }
          countedUnheard = earlier === null;
          reports.unheard(earlier !== null);
        });
      }, HEARING_LIMIT_MS);
    })
    .catch((e: unknown) =>
      console.warn('[steward] could not check the worker hears the browser', e),
    );
}
