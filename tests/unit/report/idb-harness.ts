/**
 * Runs inside headless Chromium (bundled by idb-store.test.ts): the real IndexedDB store behind
 * the real reporter, posting with the browser's own fetch to the test's report server.
 */
import { IdbReportStore } from '../../../lib/report/idb-store.ts';
import { createReporter, type ReportPolicy } from '../../../lib/report/index.ts';
import type { InstallationStatus } from '../../../lib/report/payload.ts';

const STATUS: InstallationStatus = {
  extensionVersion: '0.1.0',
  browser: 'chrome',
  policySource: 'managed',
  policyVersion: 'p-1',
  policyError: null,
  ruleListVersion: 1,
  ruleListError: null,
};

const store = new IdbReportStore(new URLSearchParams(location.search).get('db') ?? 'test');
let clock = Date.UTC(2026, 5, 15, 9, 0);

function reporter() {
  const policy: ReportPolicy = {
    reportUrl: `${location.origin}/report`,
    reportToken: 'tok',
    reportIntervalMinutes: 1,
    reportIdentity: 'installation',
    timeZone: 'Europe/London',
    orgDomains: [],
  };
  return createReporter({
    store,
    fetch: (url, init) => fetch(url, init),
    now: () => clock,
    random: () => 0.5,
    getStatus: () => STATUS,
    getPolicy: () => policy,
    requestTimeoutMs: 5_000,
  });
}

const api = {
  setClock(t: number) {
    clock = t;
  },
  async count(category: string, n: number, at?: number) {
    const r = reporter();
    await Promise.all(
      Array.from({ length: n }, () =>
        r.count({ kind: 'navigation', category, outcome: 'blocked' }, at),
      ),
    );
  },
  /** Counts arriving while a cut and upload run: none may be lost or counted twice. */
  async countDuringUpload(category: string, n: number) {
    const r = reporter();
    const counting = Array.from({ length: n }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i % 7)).then(() =>
        r.count({ kind: 'navigation', category, outcome: 'blocked' }),
      ),
    );
    const upload = r.uploadDue();
    await Promise.all(counting);
    return upload;
  },
  upload: () => reporter().uploadDue(),
  /** Fire an upload without awaiting it (the page is then closed under it). */
  startUpload() {
    void reporter().uploadDue();
  },
  state: () => reporter().state(),
  counters: () => store.listCounters(),
  batches: () => store.listBatches(),
  installationId: () => reporter().installationId(),
  async contract() {
    // The store's own contract, independent of the uploader.
    const key = { kind: 'email', day: '2026-01-01', key: 'nino', outcome: 'warned' } as const;
    const first = await store.increment(key, 1, 2);
    const second = await store.increment(key, 1, 2);
    const full = await store.increment(key, 1, 2);
    await store.setMeta('x', { a: [1, 2] });
    const meta = await store.getMeta('x');
    const missing = await store.getMeta('nope');
    const cutNone = await store.cutBatch(() => null);
    const rowsAfterNone = (await store.listCounters()).length;
    const cut = await store.cutBatch((rows) => ({
      take: rows.map((r) => r.id),
      batch: {
        batchId: '00000000-0000-4000-8000-000000000001',
        createdAt: new Date(clock).toISOString(),
        installationId: '00000000-0000-4000-8000-000000000002',
        navigation: [],
        email: [{ day: '2026-01-01', detector: 'nino', outcome: 'warned', count: 2 }],
        state: 'pending',
        attempts: 0,
        nextAttemptAt: 0,
      },
    }));
    const cut2 = await store.cutBatch(() => ({
      take: [],
      batch: {
        batchId: '00000000-0000-4000-8000-000000000003',
        createdAt: new Date(clock).toISOString(),
        installationId: '00000000-0000-4000-8000-000000000002',
        navigation: [],
        email: [{ day: '2026-01-02', detector: 'nino', outcome: 'warned', count: 1 }],
        state: 'pending',
        attempts: 0,
        nextAttemptAt: 0,
      },
    }));
    const order = (await store.listBatches()).map((b) => [b.batchId, b.seq]);
    await store.deleteBatch(cut!.batchId);
    await store.updateBatch({ ...cut!, attempts: 5 }); // gone: must not come back
    const afterUpdate = (await store.listBatches()).map((b) => b.batchId);
    const replacedMissing = await store.replaceBatch(cut!.batchId, []);
    const replaced = await store.replaceBatch(cut2!.batchId, [
      { ...cut2!, batchId: '00000000-0000-4000-8000-000000000004' },
      { ...cut2!, batchId: '00000000-0000-4000-8000-000000000005' },
    ]);
    const afterReplace = (await store.listBatches()).map((b) => [b.batchId, b.seq]);
    const pruned = await store.prune((_c, batches, drops) => ({
      counterIds: [],
      batchIds: batches.map((b) => b.batchId),
      drops: { ...drops, batches: drops.batches + batches.length },
    }));
    const drops = await store.getDrops();
    return {
      first,
      second,
      full,
      meta,
      missing,
      cutNone,
      rowsAfterNone,
      cutSeq: cut?.seq,
      cut2Seq: cut2?.seq,
      rowsAfterCut: (await store.listCounters()).length,
      order,
      afterUpdate,
      replacedMissing,
      replaced,
      afterReplace,
      pruned: pruned?.batchIds,
      drops,
      left: (await store.listBatches()).length,
    };
  },
};

(globalThis as unknown as { harness: typeof api }).harness = api;
