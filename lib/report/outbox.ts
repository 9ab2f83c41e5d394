/**
 * The outbox: the decisions behind exactly-once delivery, as pure functions the uploader runs
 * inside the store's transactions.
 *
 * - `planCut` chooses which counter rows become the next pending batch (oldest days first, at
 *   most the contract's row limit per kind, so a long backlog becomes several batches).
 * - `planPrune` keeps storage bounded: counts older than `maxDays`, counter rows beyond
 *   `maxCounterRows` and batches beyond `maxBatches` are dropped oldest first, and the drop is
 *   added to the drop record that the admin sees, never silent.
 * - `retryDelay` and `parseRetryAfter` decide when a failed batch is tried again.
 * - `classifyStatus` turns an HTTP status into deliver / retry / reject.
 *
 * Pure module.
 */
import { addDrop } from './counters.ts';
import { addDays } from './day.ts';
import {
  type EmailRow,
  type EventOutcome,
  type EventRow,
  MAX_EVENT_ROWS,
  MAX_ROWS,
  type NavigationRow,
} from './payload.ts';
import type { CounterRow, CutPlan, DropRecord, PendingBatch, PrunePlan } from './store.ts';

export interface Limits {
  /** Counts from days older than this many days (today included) are dropped. */
  maxDays: number;
  /** Most counter rows kept (a rule list with hundreds of categories must not fill the disk). */
  maxCounterRows: number;
  /** Most pending plus rejected batches kept. */
  maxBatches: number;
  /** Most rows of each kind in one batch (the contract allows MAX_ROWS). */
  maxRowsPerBatch: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDays: 90,
  maxCounterRows: 20_000,
  maxBatches: 30,
  // A row is at most ~100 bytes of JSON, so 2 × 1,000 rows stay well under the reference
  // server's 256 KB body limit (the contract itself would allow MAX_ROWS per kind).
  maxRowsPerBatch: Math.min(1000, MAX_ROWS),
};

function byDayThenId(a: CounterRow, b: CounterRow): number {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface CutInput {
  batchId: string;
  createdAt: string;
  installationId: string;
  identity?: string;
  now: number;
  maxRowsPerBatch: number;
  /**
   * True when the policy asks for detailed events now. When false, event rows left from a time
   * it did are taken and dropped without sending: the school has switched events off.
   */
  events?: boolean;
  /** With nothing counted, still cut a batch with no rows, to carry the status (a heartbeat). */
  statusOnly?: boolean;
}

/** Most events in one batch: at ~120 bytes each, well under the server's 256 KB body limit. */
export const MAX_EVENTS_PER_BATCH = Math.min(500, MAX_EVENT_ROWS);

/**
 * The next batch from the counters, or null when there is nothing to send (with `statusOnly`, a
 * batch with no rows instead).
 */
export function planCut(rows: CounterRow[], input: CutInput): CutPlan | null {
  const sorted = rows.filter((r) => r.count > 0).sort(byDayThenId);
  const navigation: NavigationRow[] = [];
  const email: EmailRow[] = [];
  const events: EventRow[] = [];
  const take: string[] = [];
  for (const row of sorted) {
    if (row.kind === 'event') {
      if (!input.events) {
        take.push(row.id);
      } else if (events.length < MAX_EVENTS_PER_BATCH && row.at !== undefined && row.domain) {
        const event: EventRow = {
          at: new Date(row.at).toISOString(),
          category: row.key,
          outcome: row.outcome as EventOutcome,
          domain: row.domain,
        };
        // Two navigations in the same millisecond share a row; send each.
        for (let i = 0; i < row.count && events.length < MAX_EVENTS_PER_BATCH; i++) {
          events.push(event);
        }
        take.push(row.id);
      }
    } else if (row.kind === 'navigation' && navigation.length < input.maxRowsPerBatch) {
      navigation.push({
        day: row.day,
        category: row.key,
        outcome: row.outcome as NavigationRow['outcome'],
        count: row.count,
      });
      take.push(row.id);
    } else if (row.kind === 'email' && email.length < input.maxRowsPerBatch) {
      email.push({
        day: row.day,
        detector: row.key as EmailRow['detector'],
        outcome: row.outcome as EmailRow['outcome'],
        count: row.count,
      });
      take.push(row.id);
    }
  }
  // Empty counter rows (none are written today) are swept with the cut rather than kept forever.
  for (const row of rows) if (row.count <= 0) take.push(row.id);
  if (navigation.length === 0 && email.length === 0 && events.length === 0 && !input.statusOnly) {
    return take.length > 0 ? { batch: null, take } : null;
  }
  const batch: Omit<PendingBatch, 'seq'> = {
    batchId: input.batchId,
    createdAt: input.createdAt,
    installationId: input.installationId,
    navigation,
    email,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: input.now,
  };
  if (events.length > 0) batch.events = events;
  if (input.identity !== undefined) batch.identity = input.identity;
  return { batch, take };
}

/**
 * Halve a batch the server refused as too large (413), with new batch ids. Safe only because a
 * refused batch is stored nowhere (docs/report-payload.md), so its id was never counted. Null
 * when it holds a single row and cannot be split.
 */
export function splitBatch(
  batch: PendingBatch,
  uuid: () => string,
  now: number,
): [Omit<PendingBatch, 'seq'>, Omit<PendingBatch, 'seq'>] | null {
  const events = batch.events ?? [];
  const rows = batch.navigation.length + batch.email.length;
  if (rows + events.length < 2) return null;
  const half = Math.ceil(rows / 2);
  const navFirst = Math.min(half, batch.navigation.length);
  const emailFirst = half - navFirst;
  const eventsFirst = Math.ceil(events.length / 2);
  const part = (
    navigation: NavigationRow[],
    email: EmailRow[],
    someEvents: EventRow[],
  ): Omit<PendingBatch, 'seq'> => {
    const p: Omit<PendingBatch, 'seq'> = {
      batchId: uuid().toLowerCase(),
      createdAt: batch.createdAt,
      installationId: batch.installationId,
      navigation,
      email,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    };
    if (someEvents.length > 0) p.events = someEvents;
    if (batch.identity !== undefined) p.identity = batch.identity;
    return p;
  };
  return [
    part(
      batch.navigation.slice(0, navFirst),
      batch.email.slice(0, emailFirst),
      events.slice(0, eventsFirst),
    ),
    part(
      batch.navigation.slice(navFirst),
      batch.email.slice(emailFirst),
      events.slice(eventsFirst),
    ),
  ];
}

function batchDays(b: PendingBatch): string[] {
  return [...b.navigation.map((r) => r.day), ...b.email.map((r) => r.day)];
}

function batchCount(b: PendingBatch): number {
  let n = 0;
  for (const r of b.navigation) n += r.count;
  for (const r of b.email) n += r.count;
  return n;
}

/**
 * What to drop so storage stays within `limits` on `today`, oldest first; null if nothing.
 * A batch is dropped whole (its content must never change under its batch id).
 */
export function planPrune(
  counters: CounterRow[],
  batches: PendingBatch[],
  drops: DropRecord,
  today: string,
  now: number,
  limits: Limits,
): PrunePlan | null {
  const oldestKept = addDays(today, -(limits.maxDays - 1));
  const droppedRows: CounterRow[] = [];
  const kept: CounterRow[] = [];
  for (const row of counters) (row.day < oldestKept ? droppedRows : kept).push(row);
  if (kept.length > limits.maxCounterRows) {
    kept.sort(byDayThenId);
    droppedRows.push(...kept.splice(0, kept.length - limits.maxCounterRows));
  }

  // Batches come oldest cut first. A batch whose newest day is past the age limit goes; then the
  // oldest go until the count limit holds.
  const droppedBatches: PendingBatch[] = [];
  const keptBatches: PendingBatch[] = [];
  for (const b of batches) {
    let newest = '';
    for (const day of batchDays(b)) if (day > newest) newest = day;
    (newest !== '' && newest < oldestKept ? droppedBatches : keptBatches).push(b);
  }
  if (keptBatches.length > limits.maxBatches) {
    droppedBatches.push(...keptBatches.splice(0, keptBatches.length - limits.maxBatches));
  }

  if (droppedRows.length === 0 && droppedBatches.length === 0) return null;
  let rows = droppedRows.length;
  let count = droppedRows.reduce((n, r) => n + r.count, 0);
  const days = droppedRows.map((r) => r.day);
  for (const b of droppedBatches) {
    rows += b.navigation.length + b.email.length;
    count += batchCount(b);
    days.push(...batchDays(b));
  }
  return {
    counterIds: droppedRows.map((r) => r.id),
    batchIds: droppedBatches.map((b) => b.batchId),
    drops: addDrop(drops, { rows, count, batches: droppedBatches.length, days, at: now }),
  };
}

/** Chrome fires alarms no sooner than 30 s, so a shorter retry could not happen anyway. */
export const MIN_RETRY_MS = 30_000;
/** Longest wait between attempts (the brief: "cap e.g. 6 h"). */
export const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
/** Longest Retry-After honoured: a misconfigured server must not silence a browser for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * after the `attempt`-th failure wait a uniformly random time up to min(cap, base·2^(attempt−1)),
 * so thousands of browsers coming back from one outage spread their retries instead of arriving
 * together. `random` returns [0, 1).
 */
export function retryDelay(
  attempt: number,
  baseMs: number,
  random: () => number,
  capMs: number = MAX_RETRY_MS,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.max(MIN_RETRY_MS, Math.floor(random() * exp));
}

/** Retry-After (seconds or an HTTP date) as ms from `now`; null if absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

export type StatusClass = 'delivered' | 'retry' | 'refused' | 'too_large' | 'rejected';

/**
 * - 2xx: delivered (also the server's answer to a batch id it already has).
 * - 408, 429, 5xx (and anything unexpected such as 3xx): a passing problem, retry later.
 * - 401, 403: the server refused the token. The batch is fine and the admin's fix is a policy
 *   change, so it is kept and retried (with the error shown), not rejected: rejecting would turn a
 *   typo in `reportToken` into lost counts.
 * - 413: the body is over the server's limit; the batch is split (see splitBatch).
 * - other 4xx: the server says the batch itself is wrong; retrying the same bytes cannot help,
 *   so it is kept, marked rejected with the server's message, and shown to the admin.
 */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 401 || status === 403) return 'refused';
  if (status === 408 || status === 429) return 'retry';
  if (status === 413) return 'too_large';
  if (status >= 400 && status < 500) return 'rejected';
  return 'retry';
}
