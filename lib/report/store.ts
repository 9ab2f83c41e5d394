/**
 * Where the report client keeps its counts and its outbox, and an in-memory implementation for
 * tests. The IndexedDB implementation is `idb-store.ts`.
 *
 * Every method is one atomic step: the durability argument in `docs/reporting-client.md` rests on
 * `cutBatch` moving counter rows into a pending batch in ONE transaction, so a crash leaves the
 * counts either still in the counters or in a batch with its batch id, never in both or neither.
 *
 * Pure module: no browser API.
 */
import type { EmailRow, EventRow, NavigationRow } from './payload.ts';

/**
 * `event` rows are detailed events (policy `reportDetail: "events"` only): one blocked or warned
 * navigation with its time and registrable domain. They live with the counters so that the same
 * transactions cut, bound and prune them.
 */
export type CounterKind = 'navigation' | 'email' | 'event';

/** Identifies one aggregated counter: one kind, one day, one category (or detector), one outcome. */
export interface CounterKey {
  kind: CounterKind;
  /** YYYY-MM-DD in the school's time zone. */
  day: string;
  /** The category (navigation, event) or detector (email). */
  key: string;
  outcome: string;
  /** Events only: epoch ms of the navigation. */
  at?: number;
  /** Events only: the registrable domain (never a path or query). */
  domain?: string;
}

export interface CounterRow extends CounterKey {
  /** `kind|day|key|outcome`: none of the parts may contain `|` (see counters.ts). */
  id: string;
  count: number;
}

export function counterId(k: CounterKey): string {
  const id = `${k.kind}|${k.day}|${k.key}|${k.outcome}`;
  return k.kind === 'event' ? `${id}|${k.at}|${k.domain}` : id;
}

/** Why the server (or the client's own check) refused a batch for good. */
export interface Rejection {
  /** HTTP status; 0 when the client refused to send it (it does not match the contract). */
  status: number;
  message: string;
  at: number;
}

/**
 * A batch cut from the counters, waiting to be acknowledged. Its content never changes after the
 * cut: a re-send carries the same batch id and the same rows, so the server's dedupe on batch id
 * is exact. Only the delivery bookkeeping (attempts, nextAttemptAt, state) changes.
 */
export interface PendingBatch {
  batchId: string;
  /** Order of cutting; the oldest batch is sent first. Assigned by the store. */
  seq: number;
  /** ISO 8601 instant of the cut (`createdAt` in the payload). */
  createdAt: string;
  installationId: string;
  identity?: string;
  navigation: NavigationRow[];
  email: EmailRow[];
  /** Detailed events, only when the policy set `reportDetail: "events"` at the cut. */
  events?: EventRow[];
  state: 'pending' | 'rejected';
  attempts: number;
  /** Epoch ms before which the batch is not sent again. */
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastError?: string;
  rejection?: Rejection;
}

/** What storage bounds have thrown away, so the admin can be told (never silently). */
export interface DropRecord {
  /** Counter rows or batch rows dropped. */
  rows: number;
  /** Sum of the counts in them. */
  count: number;
  /** Whole pending or rejected batches dropped. */
  batches: number;
  /** Earliest and latest day of dropped counts. */
  firstDay: string | null;
  lastDay: string | null;
  /** Epoch ms of the latest drop. */
  lastAt: number | null;
}

export const NO_DROPS: DropRecord = {
  rows: 0,
  count: 0,
  batches: 0,
  firstDay: null,
  lastDay: null,
  lastAt: null,
};

/** A cut decided by the caller from the current counters, inside the store's transaction. */
export interface CutPlan {
  /** Null when the cut only drops rows (event rows left after the policy switched events off). */
  batch: Omit<PendingBatch, 'seq'> | null;
  /** Ids of the counter rows moved into the batch. */
  take: string[];
}

/** A prune decided by the caller from the current contents, inside the store's transaction. */
export interface PrunePlan {
  counterIds: string[];
  batchIds: string[];
  drops: DropRecord;
}

export interface ReportStore {
  /**
   * Add `by` to one counter (creating it), unless that would exceed `max`. Returns false when the
   * counter is full (the caller records the overflow as dropped).
   */
  increment(key: CounterKey, by: number, max: number): Promise<boolean>;
  listCounters(): Promise<CounterRow[]>;
  /**
   * In ONE transaction: read the counters, call `plan` (synchronously: IndexedDB commits a
   * transaction left idle across an await), delete the rows it takes and save its batch.
   */
  cutBatch(plan: (rows: CounterRow[]) => CutPlan | null): Promise<PendingBatch | null>;
  /** All batches, oldest cut first. */
  listBatches(): Promise<PendingBatch[]>;
  /** Update a batch's delivery bookkeeping; no-op if it is gone (acknowledged or dropped). */
  updateBatch(batch: PendingBatch): Promise<void>;
  deleteBatch(batchId: string): Promise<void>;
  /**
   * In ONE transaction: replace a batch by `parts` (new batch ids, new places at the end of the
   * queue). Only for a batch the server has certainly not stored (it answered 413). Returns false,
   * changing nothing, if the batch is gone.
   */
  replaceBatch(batchId: string, parts: Omit<PendingBatch, 'seq'>[]): Promise<boolean>;
  /** In ONE transaction: delete what `plan` names and save its updated drop record. */
  prune(
    plan: (counters: CounterRow[], batches: PendingBatch[], drops: DropRecord) => PrunePlan | null,
  ): Promise<PrunePlan | null>;
  getDrops(): Promise<DropRecord>;
  getMeta(key: string): Promise<unknown>;
  setMeta(key: string, value: unknown): Promise<void>;
}

/**
 * In-memory store for unit tests. Every method does its work synchronously before its first
 * await, which makes each one atomic as the interface requires. Values are deep-copied in and out
 * (like IndexedDB's structured clone) so a test cannot pass by sharing objects.
 */
export class MemoryReportStore implements ReportStore {
  counters = new Map<string, CounterRow>();
  batches = new Map<string, PendingBatch>();
  meta = new Map<string, unknown>();
  private seq = 0;

  async increment(key: CounterKey, by: number, max: number): Promise<boolean> {
    const id = counterId(key);
    const row = this.counters.get(id);
    const current = row?.count ?? 0;
    if (current + by > max) return false;
    this.counters.set(id, { ...key, id, count: current + by });
    return true;
  }

  async listCounters(): Promise<CounterRow[]> {
    return [...this.counters.values()].map(clone);
  }

  async cutBatch(plan: (rows: CounterRow[]) => CutPlan | null): Promise<PendingBatch | null> {
    const decided = plan([...this.counters.values()].map(clone));
    if (!decided) return null;
    if (!decided.batch) {
      for (const id of decided.take) this.counters.delete(id);
      return null;
    }
    this.seq += 1;
    const batch: PendingBatch = { ...clone(decided.batch), seq: this.seq };
    for (const id of decided.take) this.counters.delete(id);
    this.batches.set(batch.batchId, batch);
    return clone(batch);
  }

  async listBatches(): Promise<PendingBatch[]> {
    return [...this.batches.values()].sort((a, b) => a.seq - b.seq).map(clone);
  }

  async updateBatch(batch: PendingBatch): Promise<void> {
    if (this.batches.has(batch.batchId)) this.batches.set(batch.batchId, clone(batch));
  }

  async deleteBatch(batchId: string): Promise<void> {
    this.batches.delete(batchId);
  }

  async replaceBatch(batchId: string, parts: Omit<PendingBatch, 'seq'>[]): Promise<boolean> {
    if (!this.batches.has(batchId)) return false;
    this.batches.delete(batchId);
    for (const part of parts) {
      this.seq += 1;
      this.batches.set(part.batchId, { ...clone(part), seq: this.seq });
    }
    return true;
  }

  async prune(
    plan: (counters: CounterRow[], batches: PendingBatch[], drops: DropRecord) => PrunePlan | null,
  ): Promise<PrunePlan | null> {
    const decided = plan(
      [...this.counters.values()].map(clone),
      [...this.batches.values()].sort((a, b) => a.seq - b.seq).map(clone),
      clone((this.meta.get('drops') as DropRecord | undefined) ?? NO_DROPS),
    );
    if (!decided) return null;
    for (const id of decided.counterIds) this.counters.delete(id);
    for (const id of decided.batchIds) this.batches.delete(id);
    this.meta.set('drops', clone(decided.drops));
    return decided;
  }

  async getDrops(): Promise<DropRecord> {
    return clone((this.meta.get('drops') as DropRecord | undefined) ?? NO_DROPS);
  }

  async getMeta(key: string): Promise<unknown> {
    const value = this.meta.get(key);
    return value === undefined ? undefined : clone(value);
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    this.meta.set(key, clone(value));
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
