/**
 * platform/worker-hearing.ts against WXT's fake browser: whether the worker hears its own storage
 * change, what it records when it does not, and what it tells the school (each unheard browser
 * session once, a slow start taken back). "Deaf" is the browser delivering the worker no event: the
 * listener is taken and never called, as Chromium does after a page registered the worker again.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { HEARING_LIMIT_MS } from '../../../lib/direct-line.ts';

type Listener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

/** One worker start; `deaf`: the browser delivers it no storage event (its listener is kept here). */
async function workerStart(deaf: boolean) {
  vi.resetModules();
  const taken: Listener[] = [];
  if (deaf) {
    vi.spyOn(fakeBrowser.storage.onChanged, 'addListener').mockImplementation((l) => {
      taken.push(l as Listener);
    });
  }
  const { checkWorkerHearsBrowser } = await import('../../../platform/worker-hearing.ts');
  const { messagingStuck } = await import('../../../platform/storage.ts');
  const told = { unheard: [] as boolean[], heardLate: 0 };
  checkWorkerHearsBrowser({
    unheard: (alreadyKnown) => told.unheard.push(alreadyKnown),
    heardLate: () => {
      told.heardLate += 1;
    },
  });
  /** The event the browser held back, delivered late. */
  const deliverLate = async () => {
    const mark = (await fakeBrowser.storage.session.get('workerHearingMark')).workerHearingMark;
    for (const l of taken) l({ workerHearingMark: { newValue: mark } }, 'session');
  };
  return { told, messagingStuck, deliverLate };
}

/** Let every pending promise and the hearing limit's timer run. */
async function afterTheLimit() {
  await vi.advanceTimersByTimeAsync(HEARING_LIMIT_MS + 1);
  await vi.advanceTimersByTimeAsync(10);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  vi.useFakeTimers();
});

describe('the worker hears the browser', () => {
  it('heard: nothing recorded, nothing told', async () => {
    const start = await workerStart(false);
    await afterTheLimit();
    expect(await start.messagingStuck.getValue()).toBeNull();
    expect(start.told).toEqual({ unheard: [], heardLate: 0 });
  });

  it('deaf: the session is recorded stuck and told once; a later start of it is the same restart', async () => {
    const first = await workerStart(true);
    await afterTheLimit();
    const stuck = await first.messagingStuck.getValue();
    expect(stuck?.since).toEqual(expect.any(Number));
    expect(first.told.unheard).toEqual([false]);
    // The worker stops and a page wakes it on the direct line: still deaf, same browser session.
    await vi.advanceTimersByTimeAsync(60_000);
    const second = await workerStart(true);
    await afterTheLimit();
    expect(second.told.unheard).toEqual([true]);
    expect(await second.messagingStuck.getValue()).toEqual(stuck);
  });

  it('a start that was only slow is taken back: record cleared, its count returned', async () => {
    const start = await workerStart(true);
    await afterTheLimit();
    expect(start.told.unheard).toEqual([false]);
    await start.deliverLate();
    await vi.advanceTimersByTimeAsync(10);
    expect(await start.messagingStuck.getValue()).toBeNull();
    expect(start.told.heardLate).toBe(1);
  });

  it('heard just as the limit ran out: no stuck record is left and nothing is told', async () => {
    const start = await workerStart(true);
    await vi.advanceTimersByTimeAsync(HEARING_LIMIT_MS - 1);
    // The limit's timer runs, and the event comes before its storage read answers.
    vi.advanceTimersByTime(2);
    await start.deliverLate();
    await vi.advanceTimersByTimeAsync(10);
    expect(await start.messagingStuck.getValue()).toBeNull();
    expect(start.told).toEqual({ unheard: [], heardLate: 0 });
  });
});
