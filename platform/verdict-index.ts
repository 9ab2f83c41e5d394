/**
 * Where the verdict index (lib/verdict-lookup.ts) lives: the extension's IndexedDB, database
 * `steward-verdicts`, one object store. Per layer (`dynamic`, `overlay`): its small record at key
 * [layer, -1] and its buckets at [layer, 0…n-1]. A layer is replaced in one transaction (old
 * buckets deleted, new ones and the record written), so a reader in another transaction sees the
 * old layer or the new one, never a mix; a look-up reads the records and the buckets it needs in
 * one read-only transaction.
 */
import { type IDBPDatabase, openDB } from 'idb';
import {
  bucketsFor,
  type IndexedLayer,
  isLayerIndex,
  type ReadLayer,
  RULE_LAYERS,
  type RuleLayer,
} from '../lib/verdict-lookup.ts';

export type VerdictIndexStore = {
  /** Replace these layers (null: remove it), all in one transaction. */
  write(layers: Partial<Record<RuleLayer, IndexedLayer | null>>): Promise<void>;
  /** The stored layers, each with the buckets `names` fall in. */
  read(names: readonly string[]): Promise<Partial<Record<RuleLayer, ReadLayer>>>;
};

const STORE = 'layers';

export function indexedDbVerdictStore(): VerdictIndexStore {
  let dbPromise: Promise<IDBPDatabase> | null = null;
  const db = () => {
    dbPromise ??= openDB('steward-verdicts', 1, {
      upgrade(database) {
        database.createObjectStore(STORE);
      },
    }).catch((error: unknown) => {
      dbPromise = null;
      throw error;
    });
    return dbPromise;
  };
  return {
    async write(layers) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      const writes: Promise<unknown>[] = [];
      for (const layer of RULE_LAYERS) {
        const indexed = layers[layer];
        if (indexed === undefined) continue;
        writes.push(tx.store.delete(IDBKeyRange.bound([layer, -1], [layer, Number.MAX_VALUE])));
        if (indexed === null) continue;
        indexed.buckets.forEach((bucket, i) => {
          writes.push(tx.store.put(bucket, [layer, i]));
        });
        writes.push(tx.store.put(indexed.index, [layer, -1]));
      }
      await Promise.all([...writes, tx.done]);
    },
    async read(names) {
      const tx = (await db()).transaction(STORE, 'readonly');
      const out: Partial<Record<RuleLayer, ReadLayer>> = {};
      await Promise.all(
        RULE_LAYERS.map(async (layer) => {
          const index: unknown = await tx.store.get([layer, -1]);
          if (!isLayerIndex(index)) return;
          const numbers = bucketsFor(index, names);
          const buckets = await Promise.all(numbers.map((i) => tx.store.get([layer, i])));
          out[layer] = { index, buckets: new Map(numbers.map((n, i) => [n, buckets[i]])) };
        }),
      );
      await tx.done;
      return out;
    },
  };
}
