/**
 * The report store in IndexedDB (with `idb`): database `steward-reports`, object stores
 * `counters` (one row per kind/day/category/outcome), `batches` (the outbox: pending and rejected
 * batches) and `meta` (installation id, drop record, last delivery and error).
 *
 * The durability argument rests on `cutBatch`: reading the counters, deleting the rows taken and
 * writing the batch with its batch id happen in ONE readwrite transaction over `counters`,
 * `batches` and `meta`, so a worker killed at any point leaves either the counts in the counters
 * or the batch in the outbox. IndexedDB also serialises readwrite transactions whose scopes
 * overlap, so an `increment` from another extension page lands wholly before or after a cut.
 *
 * IndexedDB is the one browser API here, reached through `globalThis.indexedDB` (present in the
 * service worker and extension pages); nothing else of the browser is touched.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import {
  type CounterKey,
  type CounterRow,
  type CutPlan,
  counterId,
  type DropRecord,
  NO_DROPS,
  type PendingBatch,
  type PrunePlan,
  type ReportStore,
} from './store.ts';

export const REPORT_DB_NAME = 'steward-reports';
const VERSION = 1;
const DROPS_KEY = 'drops';
const SEQ_KEY = 'batchSeq';

interface ReportDB extends DBSchema {
  counters: { key: string; value: CounterRow };
  batches: { key: string; value: PendingBatch; indexes: { seq: number } };
  meta: { key: string; value: unknown };
}

function asDrops(value: unknown): DropRecord {
  return value && typeof value === 'object' ? { ...NO_DROPS, ...(value as DropRecord) } : NO_DROPS;
}

export class IdbReportStore implements ReportStore {
  private db: Promise<IDBPDatabase<ReportDB>> | null = null;

  constructor(private readonly name: string = REPORT_DB_NAME) {}

  /**
   * The connection, opened on first use and re-opened if the browser closed it (storage
   * pressure, a newer version opened elsewhere).
   */
  private open(): Promise<IDBPDatabase<ReportDB>> {
    this.db ??= openDB<ReportDB>(this.name, VERSION, {
      upgrade(db) {
        // Version 1. A later version adds its steps here, keyed on oldVersion.
        db.createObjectStore('counters', { keyPath: 'id' });
        const batches = db.createObjectStore('batches', { keyPath: 'batchId' });
        batches.createIndex('seq', 'seq', { unique: true });
        db.createObjectStore('meta');
      },
      blocking: () => {
        // A newer version of the extension wants to upgrade: step aside.
        void this.close();
      },
      terminated: () => {
        this.db = null;
      },
    }).catch((error: unknown) => {
      this.db = null;
      throw error;
    });
    return this.db;
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) (await db).close();
  }

  async increment(key: CounterKey, by: number, max: number): Promise<boolean> {
    const db = await this.open();
    const tx = db.transaction('counters', 'readwrite');
    const id = counterId(key);
    const row = await tx.store.get(id);
    const current = row?.count ?? 0;
    let added = false;
    if (current + by <= max) {
      await tx.store.put({ ...key, id, count: current + by });
      added = true;
    }
    await tx.done;
    return added;
  }

  async listCounters(): Promise<CounterRow[]> {
    return (await this.open()).getAll('counters');
  }

  async cutBatch(plan: (rows: CounterRow[]) => CutPlan | null): Promise<PendingBatch | null> {
    const db = await this.open();
    const tx = db.transaction(['counters', 'batches', 'meta'], 'readwrite');
    const rows = await tx.objectStore('counters').getAll();
    const decided = plan(rows);
    if (!decided) {
      await tx.done;
      return null;
    }
    const counters = tx.objectStore('counters');
    if (!decided.batch) {
      await Promise.all([...decided.take.map((id) => counters.delete(id)), tx.done]);
      return null;
    }
    const meta = tx.objectStore('meta');
    const last = await meta.get(SEQ_KEY);
    const seq = (typeof last === 'number' ? last : 0) + 1;
    const batch: PendingBatch = { ...decided.batch, seq };
    // Issue every request before awaiting any, so the transaction never goes idle.
    await Promise.all([
      ...decided.take.map((id) => counters.delete(id)),
      tx.objectStore('batches').put(batch),
      meta.put(seq, SEQ_KEY),
      tx.done,
    ]);
    return batch;
  }

  async listBatches(): Promise<PendingBatch[]> {
    return (await this.open()).getAllFromIndex('batches', 'seq');
  }

  async updateBatch(batch: PendingBatch): Promise<void> {
    const db = await this.open();
    const tx = db.transaction('batches', 'readwrite');
    // Only if still there: a batch acknowledged or dropped meanwhile must not come back.
    if (await tx.store.getKey(batch.batchId)) await tx.store.put(batch);
    await tx.done;
  }

  async deleteBatch(batchId: string): Promise<void> {
    await (await this.open()).delete('batches', batchId);
  }

  async replaceBatch(batchId: string, parts: Omit<PendingBatch, 'seq'>[]): Promise<boolean> {
    const db = await this.open();
    const tx = db.transaction(['batches', 'meta'], 'readwrite');
    const batches = tx.objectStore('batches');
    const meta = tx.objectStore('meta');
    const [exists, last] = await Promise.all([batches.getKey(batchId), meta.get(SEQ_KEY)]);
    if (!exists) {
      await tx.done;
      return false;
    }
    let seq = typeof last === 'number' ? last : 0;
    await Promise.all([
      batches.delete(batchId),
      ...parts.map((part) => {
        seq += 1;
        return batches.put({ ...part, seq });
      }),
      meta.put(seq, SEQ_KEY),
      tx.done,
    ]);
    return true;
  }

  async prune(
    plan: (counters: CounterRow[], batches: PendingBatch[], drops: DropRecord) => PrunePlan | null,
  ): Promise<PrunePlan | null> {
    const db = await this.open();
    const tx = db.transaction(['counters', 'batches', 'meta'], 'readwrite');
    const [counters, batches, drops] = await Promise.all([
      tx.objectStore('counters').getAll(),
      tx.objectStore('batches').index('seq').getAll(),
      tx.objectStore('meta').get(DROPS_KEY),
    ]);
    const decided = plan(counters, batches, asDrops(drops));
    if (!decided) {
      await tx.done;
      return null;
    }
    await Promise.all([
      ...decided.counterIds.map((id) => tx.objectStore('counters').delete(id)),
      ...decided.batchIds.map((id) => tx.objectStore('batches').delete(id)),
      tx.objectStore('meta').put(decided.drops, DROPS_KEY),
      tx.done,
    ]);
    return decided;
  }

  async getDrops(): Promise<DropRecord> {
    return asDrops(await (await this.open()).get('meta', DROPS_KEY));
  }

  async getMeta(key: string): Promise<unknown> {
    return (await this.open()).get('meta', key);
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await (await this.open()).put('meta', value, key);
  }
}

/** The extension's report store. */
export function openReportStore(name: string = REPORT_DB_NAME): IdbReportStore {
  return new IdbReportStore(name);
}
