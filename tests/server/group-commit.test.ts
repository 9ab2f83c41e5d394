/**
 * Group commit on the embedded store (server/store/sqlite.ts): batches that arrive together share
 * one transaction, yet each is stored exactly once, answered only once committed, and a batch
 * that fails fails alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportBatch } from '../../lib/report/payload.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/types.ts';
import { makeBatch } from './harness.ts';

const limits = {
  batchesPerInstallationPerDay: 500,
  newInstallationsPerTokenPerDay: 10_000,
  clockSkewMs: 300_000,
};
const today = new Date().toISOString().slice(0, 10);
const counted = (count: number) =>
  makeBatch({ navigation: [{ day: today, category: 'gambling', outcome: 'blocked', count }] });

describe('group commit', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-group-commit-'));
    store = openSqliteStore(dir);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores batches that arrive together once each, a repeat within the group as a duplicate', async () => {
    const batches = Array.from({ length: 50 }, () => counted(2));
    const results = await Promise.all(
      [...batches, batches[7]!].map((b) => store.ingest(b, Date.now(), 'tok', limits)),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(50);
    expect(results.at(-1)).toEqual({ duplicate: true });
    const summary = await store.summary(today, today);
    expect(summary.batches).toBe(50);
    expect(summary.navigation.reduce((n, r) => n + r.count, 0)).toBe(100);
  });

  it('fails only the batch that fails: the others in its group are stored', async () => {
    // A row the database refuses (count NOT NULL): validation never lets this through over
    // HTTP, so it stands for any unexpected failure inside one batch's writes.
    const broken = counted(1);
    (broken.navigation[0] as { count: unknown }).count = null;
    const settled = await Promise.allSettled(
      [counted(1), broken as ReportBatch, counted(1)].map((b) =>
        store.ingest(b, Date.now(), 'tok', limits),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const summary = await store.summary(today, today);
    expect(summary.batches).toBe(2);
    expect(summary.navigation.reduce((n, r) => n + r.count, 0)).toBe(2);
    // Nothing of the failed batch was kept, so its resend (mended) is stored, not a duplicate.
    broken.navigation[0]!.count = 5;
    expect(await store.ingest(broken, Date.now(), 'tok', limits)).toEqual({ duplicate: false });
  });
});
