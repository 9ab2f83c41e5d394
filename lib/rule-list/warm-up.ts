/**
 * The rule-list check's code run once on a small made-up list while the worker waits for a real
 * one to download, so that V8 has optimised it before the real list's 100,000 or 1,000,000 names
 * go through it.
 *
 * A school's worker is stopped whenever it is idle (30 s in Chromium), and its start-up reconcile
 * takes the list in force by its fingerprint without reading it; so the poll that finds a new list
 * nearly always reads it in a worker that has never read one: the order/depth check
 * (`checkCompiledCategory`), the schema and the `related` look-ups start in V8's interpreter and
 * are optimised part-way through the list. The download leaves the worker's thread idle (the
 * network service fetches it in another process), so the same code runs first on a list of the
 * same shape: a compiled section (`steward.rule-list/2`) of 1,800 names at three depths, encoded
 * and read back through `parseRuleList` (TextDecoder, JSON.parse, the schema, the check: the names
 * are strings JSON.parse made, as the real ones are), then checked four times more.
 *
 * The names must take every path the real ones take: with no name that ends another ("bet.com",
 * "abet.com") the comparison never reached a name's end, V8 optimised the check without that path,
 * and the real list then threw the optimised code away (Node 20: its first pass 11–14 ms against
 * 5.2 for a second). With them it runs at warm speed at once (9.2 → 5.3 ms in Node; in Chromium's
 * worker, h34-update, 16.5 → 8.6 ms median under load: the speed of a second pass).
 *
 * `warmUpWhile` runs it in steps, each a task of its own (the longest, the first read, ~5–8 ms
 * cold), from the list's request: never while a change of rules is in flight (the DNR queue busy:
 * it waits), and it stops once the download is over (the last byte, a 304, an error), so it never
 * holds up the reading or what protects. Once per worker: a worker that has read a list is warm.
 * On an unchanged poll (a 304, a few ms after the request) a step or two may run for nothing.
 *
 * Pure: nothing is stored and no cache is filled (`parseRuleList` has none); the made-up list's
 * bytes (~40 KB) are kept for the worker's life, the document is dropped.
 * tests/unit/rule-list/warm-up.test.ts holds that the made-up list is valid (so the whole check
 * runs), that a real list and a refused one read the same after it, and that the update's outcome
 * is the same with it.
 */

import { type IdleDeadline, runWhileIdle } from '../idle-steps.ts';
import { checkCompiledCategory } from './compiled.ts';
import { COMPILED_RULE_LIST_FORMAT, parseRuleList } from './document.ts';

/** Names per depth (2, 3 and 4). */
const NAMES_PER_DEPTH = 600;
/** Extra passes of the order/depth check over the made-up groups, once read. */
const EXTRA_CHECKS = 4;

const PREFIXES = [
  '',
  'a',
  'my',
  'bet',
  'news',
  'shop-',
  'online',
  'casino24',
  'freegames',
  'streaming',
];
const SUFFIXES = ['.com', '.school.uk', '.cdn.example.net'];

/** Three letters that are the digits of i, lowest first: read from the end, in the order of i. */
function code(i: number): string {
  return String.fromCharCode(
    97 + (i % 26),
    97 + (Math.floor(i / 26) % 26),
    97 + (Math.floor(i / 676) % 26),
  );
}

let bytes: Uint8Array | null = null;

/** The made-up list's bytes (made once per worker; ~40 KB). */
export function warmUpListBytes(): Uint8Array {
  if (bytes) return bytes;
  const groups = SUFFIXES.map((suffix, g) => {
    const domains: string[] = [];
    // Each name: a prefix of 0–10 characters, `code(i)`, the group's suffix (its only dots).
    // Read from the end (`compareReversed`) they come in the order of i, then of the prefix
    // (none first), so the group is made sorted with no sort (which would run cold here). Every
    // third name with a prefix comes just after itself without one: a name that ends another
    // is compared to its very end, as in real lists ("bet.com", "abet.com").
    for (let i = 0; domains.length < NAMES_PER_DEPTH; i++) {
      const prefix = PREFIXES[(i * 7) % PREFIXES.length]!;
      if (prefix !== '' && i % 3 === 0) domains.push(`${code(i)}${suffix}`);
      domains.push(`${prefix}${code(i)}${suffix}`);
    }
    return { depth: g + 2, fingerprint: '0'.repeat(64), domains };
  });
  const related = [groups[0]!.domains[3]!, groups[1]!.domains[5]!];
  const document = {
    format: COMPILED_RULE_LIST_FORMAT,
    version: 1,
    issuedAt: '2026-01-01T00:00:00Z',
    categories: {
      warmup: { label: 'Warm-up', compiled: { groups, related } },
    },
  };
  bytes = new TextEncoder().encode(JSON.stringify(document));
  return bytes;
}

/**
 * The warm-up in steps, each a task of its own of a few milliseconds at most (cold): the list made,
 * read as a real one is read (`parseRuleList`), then the order/depth check run over its groups a
 * few more times. Each step returns whether all was valid so far (it always should be: the unit
 * test holds it).
 */
export function warmUpSteps(): (() => boolean)[] {
  let read: ReturnType<typeof parseRuleList> | null = null;
  const checks = Array.from({ length: EXTRA_CHECKS }, () => () => {
    if (!read?.ok) return false;
    let ok = true;
    for (const [id, category] of Object.entries(read.document.categories)) {
      ok = checkCompiledCategory(id, category.compiled!).length === 0 && ok;
    }
    return ok;
  });
  return [
    () => warmUpListBytes().byteLength > 0,
    () => {
      read = parseRuleList(warmUpListBytes());
      return read.ok;
    },
    ...checks,
  ];
}

/** All the steps at once (tests). */
export function warmUpRuleListCheck(): boolean {
  let ok = true;
  for (const step of warmUpSteps()) ok = step() && ok;
  return ok;
}

/** The steps not yet taken in this worker (null: none taken yet). A worker that has read a list is warm. */
let left: Iterator<() => void> | null = null;
/** All taken, or one failed: nothing more to do in this worker. */
let ended = false;

/**
 * The steps as `runWhileIdle` takes them, made here and not inside `warmUpWhile`: closures made
 * there share its scope, so the module-level `left` kept that call's `over`, and through it the
 * whole scope of the first check's download, its list's bytes among them, for the worker's life
 * (the 1M heap figure 36 MB against 3.7, h35-update).
 */
function stepsLeft(): Iterator<() => void> {
  return warmUpSteps()
    .map((step) => () => {
      step();
    })
    .values();
}

/** A period of one step: each step is a timer task of its own. */
const ONE_STEP: IdleDeadline = { didTimeout: false, timeRemaining: () => 0 };

/**
 * Takes the warm-up's steps one timer task at a time (`runWhileIdle`, as the webmail page's
 * warm-up does) while `mayRun()` (no change of rules in flight); while it is not, waits `WAIT_MS`
 * and asks again; stops at `over()` (the download has ended: the reading, if any, begins). Steps
 * left then are taken at the next download. Never throws: a step that fails ends the warm-up
 * (nothing depends on it).
 */
export function warmUpWhile(mayRun: () => boolean, over: () => boolean): void {
  if (ended) return;
  left ??= stepsLeft();
  const nextPeriod = (period: (deadline: IdleDeadline) => void) => {
    const poll = () => {
      if (over()) return;
      if (!mayRun()) setTimeout(poll, WAIT_MS);
      else period(ONE_STEP);
    };
    setTimeout(poll, 0);
  };
  runWhileIdle(left, nextPeriod, (outcome) => {
    ended = true;
    left = null;
    if (outcome.failed) console.warn('[steward] rule-list warm-up', outcome.failed);
  });
}

const WAIT_MS = 5;
