/**
 * Work taken in small steps while a context is idle: the webmail page's warm-up of the Send check
 * (lib/dlp/warm-up.ts, in `requestIdleCallback`'s periods) and the service worker's warm-up of the
 * rule-list check while a list downloads (lib/rule-list/warm-up.ts, one step a timer task).
 * Pure: the caller hands in how to wait for the next period.
 */

/** What `requestIdleCallback` hands its callback: how long the browser expects to stay idle. */
export type IdleDeadline = { timeRemaining(): number; readonly didTimeout: boolean };

export type WarmUpOutcome = {
  steps: number;
  busyMs: number;
  /** The longest step, pull included: what the page could not interrupt. */
  longestMs: number;
  failed?: string;
};

/**
 * Run `steps` in the idle periods `requestIdle` hands out: each period takes steps while it has
 * more than `reserveMs` left, then asks for the next. A step (or the pull that makes it) that
 * throws ends the warm-up (the Send check then compiles what is left itself, as before);
 * `stopped()` ends it too (the content script was unloaded). A caller may keep `steps` and hand it
 * in again later: what was left is taken then. `done` is told how many steps ran and their time.
 */
export function runWhileIdle(
  steps: Iterator<() => void>,
  requestIdle: (callback: (deadline: IdleDeadline) => void) => void,
  done: (outcome: WarmUpOutcome) => void,
  options: { stopped?: () => boolean; reserveMs?: number; now?: () => number } = {},
): void {
  const reserve = options.reserveMs ?? 5;
  const now = options.now ?? (() => globalThis.performance.now());
  let ran = 0;
  let busyMs = 0;
  let longestMs = 0;
  const spent = (started: number) => {
    const ms = now() - started;
    busyMs += ms;
    if (ms > longestMs) longestMs = ms;
  };
  const period = (deadline: IdleDeadline) => {
    if (options.stopped?.()) return;
    do {
      // A pull may do work too (a generator's own steps): it is timed with the step.
      const started = now();
      let next: IteratorResult<() => void>;
      try {
        next = steps.next();
        if (!next.done) next.value();
      } catch (error) {
        spent(started);
        return done({ steps: ran, busyMs, longestMs, failed: String(error) });
      }
      if (next.done) return done({ steps: ran, busyMs, longestMs });
      spent(started);
      ran++;
    } while (deadline.timeRemaining() > reserve);
    requestIdle(period);
  };
  requestIdle(period);
}
