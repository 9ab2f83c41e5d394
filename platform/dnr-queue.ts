/**
 * The one serial queue for every declarativeNetRequest mutation and the stored state that goes with
 * it: applying the policy (dynamic rules), Continue grants, their expiry and a closed tab's
 * clean-up (session rules and the stored grant map). A task runs only after the previous one has
 * finished, so no two of them ever read, await and write the same state interleaved.
 *
 * A task must not enqueue another task and wait for it (that would wait for itself).
 */
let tail: Promise<unknown> = Promise.resolve();

export function inDnrQueue<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task);
  tail = run.catch(() => undefined);
  return run;
}
