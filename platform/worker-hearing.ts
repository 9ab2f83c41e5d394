/**
 * Does the browser still deliver events to this worker? (lib/direct-line.ts says why it may not.)
 * At every start the worker writes a fresh mark to `storage.session` and listens for its own
 * change event; if the event has not come `HEARING_LIMIT_MS` later, the browser's messaging is
 * stuck for this browser session and `messagingStuck` says since when, so the popup can ask staff
 * to restart the browser (`messagingStuck` in platform/storage.ts). `storage.session` is emptied when the browser closes, which is when
 * the messaging comes back. A late event (a worker busy for longer than the limit) clears it.
 */
import { browser } from 'wxt/browser';
import { HEARING_LIMIT_MS, heardOwnMark } from '../lib/direct-line.ts';
import { messagingStuck } from './storage.ts';

const HEARING_MARK_KEY = 'workerHearingMark';

/** Call once, synchronously, at the worker's start (the listener must be there from the start). */
export function checkWorkerHearsBrowser(): void {
  const mark = crypto.randomUUID();
  let heard = false;
  let calledUnheard = false;
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session' || !heardOwnMark(changes[HEARING_MARK_KEY]?.newValue, mark)) return;
    heard = true;
    // Late (a worker busy for longer than the limit): this start was called unheard; take it back.
    // A stuck record from an earlier start of this session is cleared too: the browser hears us.
    if (calledUnheard) void messagingStuck.setValue(null);
    else {
      void messagingStuck.getValue().then(async (stuck) => {
        if (stuck) await messagingStuck.setValue(null);
      });
    }
  });
  void browser.storage.session
    .set({ [HEARING_MARK_KEY]: mark })
    .then(() => {
      setTimeout(() => {
        if (!heard) {
          calledUnheard = true;
          console.warn('[steward] the browser delivers this worker no events: restart needed');
          void messagingStuck.setValue({ since: Date.now() });
        }
      }, HEARING_LIMIT_MS);
    })
    .catch((e: unknown) =>
      console.warn('[steward] could not check the worker hears the browser', e),
    );
}
