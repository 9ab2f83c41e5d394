import { describe, expect, it } from 'vitest';
import { getInstallationId, reportIdentity } from '../../../lib/report/identity.ts';
import {
  classifyStatus,
  DEFAULT_LIMITS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  planCut,
  planPrune,
} from '../../../lib/report/outbox.ts';
import { type CounterRow, counterId, NO_DROPS } from '../../../lib/report/store.ts';

function row(day: string, key: string, count: number, kind: 'navigation' | 'email' = 'navigation') {
  const k = { kind, day, key, outcome: kind === 'navigation' ? 'blocked' : 'warned' };
  return { ...k, id: counterId(k), count } satisfies CounterRow;
}

const NOW = Date.UTC(2026, 5, 15, 9);

describe('classifyStatus', () => {
  it.each([
    [200, 'delivered'],
    [201, 'delivered'],
    [204, 'delivered'],
    [400, 'rejected'],
    [404, 'rejected'],
    [413, 'too_large'],
    [422, 'rejected'],
    [401, 'refused'],
    [403, 'refused'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [302, 'retry'],
  ] as const)('%i → %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, caps at a day, ignores garbage', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('9999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('planCut', () => {
  const input = {
    batchId: '00000000-0000-4000-8000-000000000001',
    createdAt: new Date(NOW).toISOString(),
    installationId: '00000000-0000-4000-8000-000000000002',
    now: NOW,
    maxRowsPerBatch: 2,
  };

  it('returns null when there is nothing to send', () => {
    expect(planCut([], input)).toBeNull();
  });

  it('takes the oldest days first, at most the limit per kind, and leaves the rest', () => {
    const rows = [
      row('2026-06-14', 'social', 1),
      row('2026-06-12', 'gambling', 2),
      row('2026-06-13', 'gambling', 3),
      row('2026-06-15', 'nino', 4, 'email'),
    ];
    const plan = planCut(rows, input)!;
    expect(plan.batch!.navigation.map((r) => r.day)).toEqual(['2026-06-12', '2026-06-13']);
    expect(plan.batch!.email).toEqual([
      { day: '2026-06-15', detector: 'nino', outcome: 'warned', count: 4 },
    ]);
    expect(plan.take.sort()).toEqual([rows[1]!.id, rows[2]!.id, rows[3]!.id].sort());
    expect(plan.batch).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: NOW });
  });
});

describe('planPrune', () => {
  it('keeps 90 days (today included) and drops older, recording days and counts', () => {
    const rows = [row('2026-03-17', 'a', 5), row('2026-03-18', 'a', 6), row('2026-06-15', 'a', 1)];
    const plan = planPrune(rows, [], NO_DROPS, '2026-06-15', NOW, DEFAULT_LIMITS)!;
    expect(plan.counterIds).toEqual([rows[0]!.id]);
    expect(plan.drops).toMatchObject({
      rows: 1,
      count: 5,
      firstDay: '2026-03-17',
      lastDay: '2026-03-17',
    });
    expect(planPrune(rows.slice(1), [], NO_DROPS, '2026-06-15', NOW, DEFAULT_LIMITS)).toBeNull();
  });

  it('adds to an earlier drop record instead of replacing it', () => {
    const prev = {
      ...NO_DROPS,
      rows: 3,
      count: 30,
      batches: 1,
      firstDay: '2026-01-01',
      lastDay: '2026-01-05',
      lastAt: 1,
    };
    const plan = planPrune(
      [row('2026-02-01', 'a', 2)],
      [],
      prev,
      '2026-06-15',
      NOW,
      DEFAULT_LIMITS,
    )!;
    expect(plan.drops).toEqual({
      rows: 4,
      count: 32,
      batches: 1,
      firstDay: '2026-01-01',
      lastDay: '2026-02-01',
      lastAt: NOW,
    });
  });
});

describe('identity', () => {
  function memoryKv(initial: Record<string, unknown> = {}) {
    const map = new Map(Object.entries(initial));
    return {
      get: async (k: string) => map.get(k),
      set: async (k: string, v: unknown) => void map.set(k, v),
      map,
    };
  }

  it('makes the installation id once and keeps it', async () => {
    const kv = memoryKv();
    const a = await getInstallationId(kv);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await getInstallationId(kv)).toBe(a);
  });

  it('replaces a stored id the server would refuse', async () => {
    const kv = memoryKv({ installationId: 'NOT-A-UUID' });
    const id = await getInstallationId(kv);
    expect(id).not.toBe('NOT-A-UUID');
    expect(kv.map.get('installationId')).toBe(id);
  });

  it('does not treat a look-alike domain as the school', async () => {
    const get = async () => 'x@evilschool.example';
    expect(await reportIdentity('email', ['school.example'], get)).toBeUndefined();
    expect(await reportIdentity('email', [], async () => 'x@school.example')).toBeUndefined();
    expect(
      await reportIdentity('email', ['school.example'], async () => {
        throw new Error('identity permission missing');
      }),
    ).toBeUndefined();
  });
});
