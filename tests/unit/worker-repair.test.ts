import { describe, expect, it } from 'vitest';
import {
  FIRST_LOOK_AFTER_MS,
  isNoWorkerError,
  isWorkerRepairRecord,
  LOOK_AGAIN_AFTER_MS,
  noAnswerInTime,
  REPAIR_AT_MOST_EVERY_MS,
  repairDecision,
  WORKER_CHECK_FRAME_MS,
  type WorkerRepairRecord,
  workerScriptOf,
} from '../../lib/worker-repair.ts';

const NOW = Date.UTC(2026, 11, 5, 10, 0, 0);
const last = (at: number): WorkerRepairRecord => ({ at, from: 'popup' });

describe('when a page registers the worker again', () => {
  it('never while the registration is there', () => {
    expect(repairDecision(false, NOW, undefined)).toBe('in place');
    expect(repairDecision(false, NOW, last(NOW - 60 * 60_000))).toBe('in place');
  });

  it('when it is missing at both looks and no page did so recently', () => {
    expect(repairDecision(true, NOW, undefined)).toBe('register');
    expect(repairDecision(true, NOW, last(NOW - REPAIR_AT_MOST_EVERY_MS))).toBe('register');
  });

  it('at most once in the limit, whichever page did it, even if the clock was put back', () => {
    expect(repairDecision(true, NOW, last(NOW - 60_000))).toBe('held back');
    expect(repairDecision(true, NOW, last(NOW - REPAIR_AT_MOST_EVERY_MS + 1))).toBe('held back');
    expect(repairDecision(true, NOW, last(NOW + 5 * 60_000))).toBe('held back');
  });
});

describe('the record a page leaves', () => {
  it('reads only a well-formed record', () => {
    expect(isWorkerRepairRecord({ at: NOW, from: 'block page' })).toBe(true);
    expect(isWorkerRepairRecord({ at: NOW, from: 'options page' })).toBe(true);
    expect(isWorkerRepairRecord({ at: NOW, from: 'webmail page' })).toBe(true);
    expect(isWorkerRepairRecord({ at: NOW, from: 'toString' })).toBe(false);
    expect(isWorkerRepairRecord({ at: NOW, from: ['popup'] })).toBe(false);
    expect(isWorkerRepairRecord({ at: 'now', from: 'popup' })).toBe(false);
    expect(isWorkerRepairRecord({ at: Number.NaN, from: 'popup' })).toBe(false);
    expect(isWorkerRepairRecord({ at: NOW, from: 'a web page' })).toBe(false);
    expect(isWorkerRepairRecord(null)).toBe(false);
  });
});

describe('the worker’s script, from the manifest', () => {
  it('is the manifest’s service worker, as a module when it says so', () => {
    expect(
      workerScriptOf({ background: { service_worker: 'background.js', type: 'module' } }),
    ).toEqual({
      path: '/background.js',
      type: 'module',
    });
    expect(workerScriptOf({ background: { service_worker: 'sw/main.js' } })).toEqual({
      path: '/sw/main.js',
      type: 'classic',
    });
  });

  it('is nothing for an event page (Firefox) or a path that is not inside the extension', () => {
    expect(workerScriptOf({ background: { scripts: ['background.js'] } })).toBeNull();
    expect(workerScriptOf({})).toBeNull();
    for (const script of ['https://x.org/sw.js', '/background.js', '../x.js', 'a/../../x.js', '']) {
      expect(workerScriptOf({ background: { service_worker: script } }), script).toBeNull();
    }
  });
});

describe('a webmail page whose message found nobody there', () => {
  it('asks for the worker check when no answer came in the script’s limit', () => {
    // Debian's Chromium: with the registration lost, the message neither answers nor fails.
    expect(isNoWorkerError(noAnswerInTime(3_000))).toBe(true);
    expect(noAnswerInTime(3_000).message).toContain('3000 ms');
  });

  it('asks for the worker check only when no worker answered at all', () => {
    // Chromium's words when no worker is registered to take the message.
    const none = new Error('Could not establish connection. Receiving end does not exist.');
    expect(isNoWorkerError(none)).toBe(true);
    expect(isNoWorkerError(none.message)).toBe(true);
    // A stopped worker is started by the message; these are other failures and repair nothing.
    expect(isNoWorkerError(new Error('Extension context invalidated.'))).toBe(false);
    expect(isNoWorkerError(new Error('timeout'))).toBe(false);
    expect(
      isNoWorkerError(
        new Error('A listener indicated an asynchronous response, but the channel closed'),
      ),
    ).toBe(false);
    expect(isNoWorkerError(undefined)).toBe(false);
    expect(isNoWorkerError(null)).toBe(false);
    // An error from another realm is not this realm's Error, but says the same.
    expect(isNoWorkerError({ message: 'Receiving end does not exist.' })).toBe(true);
  });

  it('keeps the frame long enough for both looks and a registration', () => {
    expect(WORKER_CHECK_FRAME_MS).toBeGreaterThan(
      FIRST_LOOK_AFTER_MS + LOOK_AGAIN_AFTER_MS + 5_000,
    );
  });
});
