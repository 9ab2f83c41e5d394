/**
 * The one serial queue for every declarativeNetRequest mutation and the stored state that goes with
 * it: applying the policy (dynamic rules), Continue grants, their expiry and a closed tab's
 * clean-up (session rules and the stored grant map). A task runs only after the previous one has
 * finished, so no two of them ever read, await and write the same state interleaved.
 *
 * A task must not enqueue another task and wait for it (that would wait for itself).
 */
let tail: Promise<unknown> = Promise.resolve();
/** Tasks begun so far, and tasks asked for that have not ended (waiting or running). */
let begun = 0;
let pending = 0;

export function inDnrQueue<T>(task: () => Promise<T>): Promise<T> {
  pending++;
  const run = tail.then(() => {
    begun++;
    return task();
  });
  // Counted as ended before whoever awaits the task resumes (reactions run in the order made).
  const ended = () => {
    pending--;
  };
  run.then(ended, ended);
  tail = run.catch(() => undefined);
  return run;
}

/**
 * A mark of the queue while it is idle (null while a task waits or runs): what its tasks keep
 * (the stored state, the rules) cannot change until the next task begins.
 */
export function idleQueueMark(): number | null {
  return pending === 0 ? begun : null;
}

/** Inside a task: is it the first to begin since `mark` was taken (nothing ran in between)? */
export function firstTaskSince(mark: number): boolean {
  return begun === mark + 1;
}
