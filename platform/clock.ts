/**
 * The service worker's clock, for personal-use windows. In the product it is `Date.now()`, and
 * nothing can move it.
 *
 * The e2e build (`wxt build --mode e2e-clock`, output `.output/chrome-mv3-e2e-clock`) adds a test
 * clock, so a spec can put the worker a few seconds before a window opens rather than wait for
 * lunch: `storage.session` key `e2eClock` = `{ setAt, time }` (real ms when set, the time it was
 * set to); the clock then runs on from `time` at real speed, through worker restarts. Only the
 * worker and extension pages can write `storage.session` (its default access level: no content
 * script, no web page), and in the product build this code is compiled out: `import.meta.env.MODE`
 * is a build-time constant, so no message, page or storage value can set the product's clock.
 */
import { browser } from 'wxt/browser';

export const TEST_CLOCK_MODE = 'e2e-clock';
const TEST_CLOCK_KEY = 'e2eClock';

type TestClock = { setAt: number; time: number };

/** Whether this build has the test clock (never the product). */
export const hasTestClock = import.meta.env.MODE === TEST_CLOCK_MODE;

/** ms to add to `Date.now()` for the worker's time (0 in the product). */
async function offset(): Promise<number> {
  if (!hasTestClock) return 0;
  const stored = (await browser.storage.session.get(TEST_CLOCK_KEY))[TEST_CLOCK_KEY] as
    | TestClock
    | undefined;
  return stored ? stored.time - stored.setAt : 0;
}

/** The worker's time now. */
export async function now(): Promise<number> {
  return Date.now() + (await offset());
}

/** The real `Date.now()` at which the worker's clock reads `time` (for alarms and timers). */
export async function realTimeOf(time: number): Promise<number> {
  return time - (await offset());
}

/** Test build only: reconcile when a spec moves the clock, as after a real clock change. */
export function onTestClockSet(listener: () => void): void {
  if (!hasTestClock) return;
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && TEST_CLOCK_KEY in changes) listener();
  });
}
