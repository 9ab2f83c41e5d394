/**
 * The verdict index's store (platform/verdict-index.ts) in memory, for platform tests in Node
 * (fake-indexeddb is not in node_modules). Records are copied in and out as IndexedDB copies them;
 * a layer is replaced whole, as the IndexedDB store does in one transaction. Tests can read and
 * damage the records, make writes fail, and count reads.
 */
import {
  bucketsFor,
  isLayerIndex,
  type ReadLayer,
  RULE_LAYERS,
  type RuleLayer,
} from '../../../lib/verdict-lookup.ts';
import type { VerdictIndexStore } from '../../../platform/verdict-index.ts';

export type MemoryVerdictStore = VerdictIndexStore & {
  /** Records by `${layer} ${n}` (n = -1: the layer's own record). */
  records: Map<string, unknown>;
  /** Refuse the next n writes. */
  failNextWrites(n: number): void;
  reads: number;
  writes: number;
};

export function memoryVerdictStore(): MemoryVerdictStore {
  let failures = 0;
  const store: MemoryVerdictStore = {
    records: new Map(),
    reads: 0,
    writes: 0,
    failNextWrites(n) {
      failures = n;
    },
    async write(layers) {
      store.writes++;
      if (failures > 0) {
        failures--;
        throw new Error('QuotaExceededError');
      }
      for (const layer of RULE_LAYERS) {
        const indexed = layers[layer];
        if (indexed === undefined) continue;
        for (const key of [...store.records.keys()]) {
          if (key.startsWith(`${layer} `)) store.records.delete(key);
        }
        if (indexed === null) continue;
        indexed.buckets.forEach((b, i) => {
          store.records.set(`${layer} ${i}`, b);
        });
        store.records.set(`${layer} -1`, structuredClone(indexed.index));
      }
    },
    async read(names) {
      store.reads++;
      const out: Partial<Record<RuleLayer, ReadLayer>> = {};
      for (const layer of RULE_LAYERS) {
        const index = structuredClone(store.records.get(`${layer} -1`));
        if (!isLayerIndex(index)) continue;
        const numbers = bucketsFor(index, names);
        out[layer] = {
          index,
          buckets: new Map(numbers.map((n) => [n, store.records.get(`${layer} ${n}`)])),
        };
      }
      return out;
    },
  };
  return store;
}
