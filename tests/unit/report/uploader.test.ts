import { describe, expect, it } from 'vitest';
import { createReporter, type ReportPolicy } from '../../../lib/report/index.ts';
import { MAX_RETRY_MS, MIN_RETRY_MS } from '../../../lib/report/outbox.ts';
import { type InstallationStatus, StatusSchema } from '../../../lib/report/payload.ts';
import { MemoryReportStore, type ReportStore } from '../../../lib/report/store.ts';
import {
  OPTIONAL_STATUS_PARTS,
  refusedStatusParts,
  STATUS_ONLY_AFTER_MS,
  type UploaderDeps,
} from '../../../lib/report/uploader.ts';
import { Clock, FakeServer } from './fake-server.ts';

const STATUS: InstallationStatus = {
  extensionVersion: '0.1.0',
  browser: 'chrome',
  policySource: 'managed',
  policyVersion: 'p-3f2a',
  policyError: null,
  ruleListVersion: 7,
  ruleListError: null,
};

const POLICY: ReportPolicy = {
  reportUrl: 'https://steward.school.example/api/report',
  reportToken: 'ingest-token-123',
  reportIntervalMinutes: 15,
  reportIdentity: 'installation',
  timeZone: 'Europe/London',
  orgDomains: ['school.example'],
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 15 June 2026, 09:00 UTC (10:00 BST). */
const START = Date.UTC(2026, 5, 15, 9, 0);

function setup(
  options: {
    store?: ReportStore;
    server?: FakeServer;
    clock?: Clock;
    policy?: Partial<ReportPolicy>;
    deps?: Partial<UploaderDeps>;
  } = {},
) {
  const store = options.store ?? new MemoryReportStore();
  const server = options.server ?? new FakeServer();
  const clock = options.clock ?? new Clock(START);
  const policy: ReportPolicy = { ...POLICY, ...options.policy };
  const reporter = createReporter({
    store,
    fetch: server.fetch,
    now: clock.now,
    random: () => 0.5,
    getStatus: () => STATUS,
    getPolicy: () => policy,
    ...options.deps,
  });
  return { store, server, clock, policy, reporter };
}

const gamblingBlocked = { kind: 'navigation', category: 'gambling', outcome: 'blocked' } as const;
const streamingWarned = { kind: 'navigation', category: 'streaming', outcome: 'warned' } as const;
const ninoSentAnyway = { kind: 'email', detector: 'nino', outcome: 'sent_anyway' } as const;

async function countTimes(
  reporter: ReturnType<typeof setup>['reporter'],
  event: unknown,
  n: number,
  at?: number,
): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await reporter.count(event, at);
    expect(r.ok).toBe(true);
  }
}

describe('counting', () => {
  it('aggregates many events into one row per day, category and outcome', async () => {
    const { reporter, store } = setup();
    await countTimes(reporter, gamblingBlocked, 40);
    await countTimes(reporter, streamingWarned, 3);
    await countTimes(reporter, ninoSentAnyway, 2);
    await countTimes(reporter, gamblingBlocked, 5, START + DAY);
    const rows = await store.listCounters();
    expect(rows).toHaveLength(4);
    const byId = new Map(rows.map((r) => [r.id, r.count]));
    expect(byId.get('navigation|2026-06-15|gambling|blocked')).toBe(40);
    expect(byId.get('navigation|2026-06-16|gambling|blocked')).toBe(5);
    expect(byId.get('navigation|2026-06-15|streaming|warned')).toBe(3);
    expect(byId.get('email|2026-06-15|nino|sent_anyway')).toBe(2);
  });

  it('puts a count at 00:30 BST on the London day, not the UTC day', async () => {
    const { reporter } = setup();
    const r = await reporter.count(gamblingBlocked, Date.UTC(2026, 5, 15, 23, 30));
    expect(r).toEqual({ ok: true, day: '2026-06-16' });
  });

  it('refuses malformed events without throwing and stores nothing', async () => {
    const { reporter, store } = setup();
    for (const bad of [
      null,
      { kind: 'navigation', category: 'https://bet.example/', outcome: 'blocked' },
      { kind: 'navigation', category: 'gambling', outcome: 'visited' },
      { kind: 'email', detector: 'subject', outcome: 'warned' },
      { kind: 'history', url: 'https://x.example' },
    ]) {
      const r = await reporter.count(bad);
      expect(r.ok).toBe(false);
    }
    expect(await store.listCounters()).toHaveLength(0);
  });
});

describe('delivery', () => {
  it('sends one valid batch with the bearer token, then forgets it only after the 2xx', async () => {
    const { reporter, server, store } = setup();
    await countTimes(reporter, gamblingBlocked, 3);
    await countTimes(reporter, ninoSentAnyway, 1);
    const result = await reporter.uploadDue();
    expect(result.outcome).toBe('done');
    expect(result.delivered).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.url).toBe(POLICY.reportUrl);
    expect(req.init.headers.authorization).toBe('Bearer ingest-token-123');
    expect(req.init.headers['content-type']).toBe('application/json');
    const stored = server.stored.get(req.batchId)!;
    expect(stored.installationId).toBe(await reporter.installationId());
    expect(stored.identity).toBeUndefined();
    expect(stored.status).toEqual(STATUS);
    expect(stored.navigation).toEqual([
      { day: '2026-06-15', category: 'gambling', outcome: 'blocked', count: 3 },
    ]);
    expect(stored.email).toEqual([
      { day: '2026-06-15', detector: 'nino', outcome: 'sent_anyway', count: 1 },
    ]);
    expect(await store.listBatches()).toHaveLength(0);
    expect(await store.listCounters()).toHaveLength(0);
    const state = await reporter.state();
    expect(state.lastDeliveredAt).toBe(START);
    expect(state.lastError).toBeNull();
  });

  it('with nothing counted, tells the school it is there once a day (a batch of status alone)', async () => {
    const { reporter, server, clock } = setup();
    // Never delivered before: the school learns of this browser at its first run.
    const first = await reporter.uploadDue();
    expect(first.outcome).toBe('done');
    expect(server.requests).toHaveLength(1);
    const [sent] = [...server.stored.values()];
    expect(sent).toMatchObject({ navigation: [], email: [], status: STATUS });
    // Then nothing while there is nothing to send, until a day after the last delivery.
    clock.advance(STATUS_ONLY_AFTER_MS - 1);
    expect((await reporter.uploadDue()).outcome).toBe('idle');
    expect(server.requests).toHaveLength(1);
    clock.advance(1);
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
    expect((await reporter.uploadDue()).outcome).toBe('idle');
    expect(server.requests).toHaveLength(2);
    expect(server.total()).toBe(0);
  });

  it('sends news in the status at once without counts, one batch a run, never while one is refused', async () => {
    let news = true;
    const { reporter, server, clock } = setup({ deps: { statusToTell: () => news } });
    await reporter.uploadDue();
    // News that is not cleared by its delivery still goes only once per run.
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    news = false;
    expect((await reporter.uploadDue()).outcome).toBe('idle');
    // A refused batch waits for IT: no status batches pile up behind it.
    server.fallback = { status: 422, body: 'nope' };
    news = true;
    await countTimes(reporter, gamblingBlocked, 1);
    expect((await reporter.uploadDue()).rejected).toHaveLength(1);
    clock.advance(STATUS_ONLY_AFTER_MS);
    expect((await reporter.uploadDue()).outcome).toBe('idle');
    expect(server.requests).toHaveLength(3);
  });

  it('a server that does not know a newer status part still gets the counts, once, with the same id', async () => {
    const withNews: InstallationStatus = {
      ...STATUS,
      workerRecovery: { registrationsRepaired: 1, restartsNeeded: 1 },
    };
    const delivered: InstallationStatus[] = [];
    const { reporter, server } = setup({
      deps: { getStatus: () => withNews, statusDelivered: (s) => void delivered.push(s) },
    });
    // How the reference server refused an unknown key before it knew this one.
    server.answer({
      status: 400,
      body: JSON.stringify({
        error: 'invalid_batch',
        message: 'status.workerRecovery: is not part of the report contract (unknown field)',
      }),
    });
    await countTimes(reporter, gamblingBlocked, 2);
    const result = await reporter.uploadDue();
    expect(result).toMatchObject({ outcome: 'done', rejected: [] });
    expect(server.requests.map((r) => r.batchId)).toEqual([
      result.delivered[0],
      result.delivered[0],
    ]);
    const second = JSON.parse(server.requests[1]!.init.body) as { status: InstallationStatus };
    expect(second.status).toEqual(STATUS);
    expect(server.total()).toBe(2);
    // Counted as told: the news is not sent for ever to a server that cannot take it.
    expect(delivered).toEqual([withNews]);
    // A refusal that names a required field, or a part the status does not carry, is a refusal.
    expect(
      refusedStatusParts(withNews, 'status.policyVersion: expected a short policy hash'),
    ).toEqual([]);
    expect(refusedStatusParts(STATUS, 'status.workerRecovery: unknown')).toEqual([]);
    expect(refusedStatusParts(withNews, 'status.workerRecoveryX: unknown')).toEqual([]);
  });

  it('knows every optional part of the status the contract has', () => {
    const optional = Object.entries(StatusSchema.entries)
      .filter(([, schema]) => schema.type === 'optional')
      .map(([key]) => key);
    expect([...OPTIONAL_STATUS_PARTS].sort()).toEqual(optional.sort());
  });

  it('on 500 keeps the batch, waits for the backoff, then re-sends the SAME batch id', async () => {
    const { reporter, server, store, clock } = setup();
    server.answer({ status: 500, body: 'database unavailable' });
    await countTimes(reporter, gamblingBlocked, 2);
    const first = await reporter.uploadDue();
    expect(first.outcome).toBe('failed');
    expect(first.error).toContain('500');
    const [pending] = await store.listBatches();
    expect(pending?.attempts).toBe(1);
    expect(first.nextAttemptAt).toBe(pending?.nextAttemptAt);
    expect(server.stored.size).toBe(0);

    // Counts that arrive meanwhile go to fresh counters, not into the pending batch.
    await countTimes(reporter, gamblingBlocked, 4);
    expect((await store.listBatches())[0]?.navigation[0]?.count).toBe(2);

    // Not due yet: nothing is sent.
    const early = await reporter.uploadDue();
    expect(early.outcome).toBe('waiting');
    expect(server.requests).toHaveLength(1);

    clock.t = first.nextAttemptAt!;
    const second = await reporter.uploadDue();
    expect(second.outcome).toBe('done');
    expect(server.requests.map((r) => r.batchId)).toEqual([
      server.requests[0]!.batchId,
      server.requests[0]!.batchId,
      second.delivered[1],
    ]);
    expect(second.delivered[0]).toBe(server.requests[0]!.batchId);
    expect(server.total()).toBe(6);
  });

  it('a connection dropped after the server stored the batch: same id re-sent, counted once', async () => {
    const { reporter, server, clock } = setup();
    server.answer('lost');
    await countTimes(reporter, gamblingBlocked, 7);
    const first = await reporter.uploadDue();
    expect(first.outcome).toBe('failed');
    expect(first.error).toContain('could not reach');
    expect(server.stored.size).toBe(1); // the server has it; the client does not know
    clock.t = first.nextAttemptAt!;
    const second = await reporter.uploadDue();
    expect(second.delivered).toEqual([server.requests[0]!.batchId]);
    expect(server.requests[1]!.batchId).toBe(server.requests[0]!.batchId);
    expect(server.duplicates).toBe(1);
    expect(server.total()).toBe(7);
  });

  it('an aborted request (timeout) is re-sent with the same id and arrives once', async () => {
    const { reporter, server, clock } = setup();
    server.answer('abort', 'network');
    await countTimes(reporter, streamingWarned, 3);
    for (let i = 0; i < 3; i++) {
      const r = await reporter.uploadDue();
      if (r.nextAttemptAt !== null) clock.t = r.nextAttemptAt;
    }
    expect(new Set(server.requests.map((r) => r.batchId)).size).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(server.total()).toBe(3);
    expect(server.duplicates).toBe(0);
  });

  it('a crash between cutting the batch and sending it: a new instance re-sends it once', async () => {
    const store = new MemoryReportStore();
    // The worker dies right after the cut transaction committed (before the attempt is recorded).
    const dying: ReportStore = Object.create(store);
    dying.updateBatch = async () => {
      throw new Error('service worker terminated');
    };
    const clock = new Clock(START);
    const server = new FakeServer();
    const a = setup({ store: dying, server, clock });
    await countTimes(a.reporter, gamblingBlocked, 5);
    await expect(a.reporter.uploadDue()).rejects.toThrow('terminated');
    expect(server.requests).toHaveLength(0);
    const [cut] = await store.listBatches();
    expect(cut?.attempts).toBe(0);
    expect(await store.listCounters()).toHaveLength(0);

    // Browser restarts: a new reporter over the same storage.
    const b = setup({ store, server, clock });
    await countTimes(b.reporter, gamblingBlocked, 1);
    const result = await b.reporter.uploadDue();
    expect(result.delivered[0]).toBe(cut?.batchId);
    expect(server.stored.get(cut!.batchId)?.navigation[0]?.count).toBe(5);
    expect(server.total()).toBe(6);
    expect(server.duplicates).toBe(0);
    expect(await store.listBatches()).toHaveLength(0);
  });

  it('a crash mid-request: the new instance waits out the recorded backoff, then re-sends once', async () => {
    const store = new MemoryReportStore();
    const clock = new Clock(START);
    const server = new FakeServer();
    const a = setup({
      store,
      server,
      clock,
      // The request reaches the server, then the worker is killed before the answer.
      deps: {
        fetch: async (url, init) => {
          await server.fetch(url, init);
          throw new Error('service worker terminated');
        },
      },
    });
    await countTimes(a.reporter, gamblingBlocked, 2);
    await a.reporter.uploadDue();
    const [batch] = await store.listBatches();
    expect(batch?.attempts).toBe(1);
    expect(batch!.nextAttemptAt).toBeGreaterThan(START);

    const b = setup({ store, server, clock });
    expect((await b.reporter.uploadDue()).outcome).toBe('waiting');
    clock.t = batch!.nextAttemptAt;
    const r = await b.reporter.uploadDue();
    expect(r.delivered).toEqual([batch?.batchId]);
    expect(server.total()).toBe(2);
    expect(server.duplicates).toBe(1);
  });

  it('days offline: every count arrives exactly once, in few batches', async () => {
    const { reporter, server, clock, store } = setup();
    server.fallback = 'network';
    let expected = 0;
    // Five school days offline, counting through the day, the alarm firing every 15 minutes.
    for (let day = 0; day < 5; day++) {
      for (let tick = 0; tick < 8 * 4; tick++) {
        clock.t = START + day * DAY + tick * 15 * MINUTE;
        await countTimes(reporter, gamblingBlocked, 2);
        await countTimes(reporter, ninoSentAnyway, tick % 5 === 0 ? 1 : 0);
        expected += 2 + (tick % 5 === 0 ? 1 : 0);
        await reporter.uploadDue();
      }
    }
    // Storage stays small: one pending batch, rows = days × keys.
    const batches = await store.listBatches();
    expect(batches).toHaveLength(1);
    expect((await store.listCounters()).length).toBeLessThanOrEqual(10);
    expect(server.stored.size).toBe(0);

    server.fallback = 'ok';
    clock.advance(7 * HOUR);
    const r = await reporter.uploadDue();
    expect(r.outcome).toBe('done');
    expect(r.delivered).toHaveLength(2); // the old pending batch, then everything since
    expect(server.total()).toBe(expected);
    expect(server.totals().get('navigation|2026-06-19|gambling|blocked')).toBe(64);
    expect(server.duplicates).toBe(0);
  });

  it('a large backlog is split into several batches, oldest days first', async () => {
    const { reporter, server } = setup({ deps: { limits: { maxRowsPerBatch: 2 } } });
    for (let d = 0; d < 5; d++) await countTimes(reporter, gamblingBlocked, 1, START + d * DAY);
    const r = await reporter.uploadDue();
    expect(r.delivered).toHaveLength(3);
    const days = server.requests.map((q) =>
      (JSON.parse(q.init.body) as { navigation: { day: string }[] }).navigation.map((n) => n.day),
    );
    expect(days).toEqual([
      ['2026-06-15', '2026-06-16'],
      ['2026-06-17', '2026-06-18'],
      ['2026-06-19'],
    ]);
  });
});

describe('batch size', () => {
  it('a full batch of the longest rows stays under the 256 KB body limit of the server', async () => {
    const { reporter, server, store } = setup();
    // 1,200 navigation rows with 40-character categories and 7-digit counts, and 1,200 email
    // rows with the longest detector and outcome names, on distinct days.
    for (let i = 0; i < 1200; i++) {
      const category = `c${String(i).padStart(39, '0')}`;
      await store.increment(
        { kind: 'navigation', day: '2026-06-15', key: category, outcome: 'continued' },
        999_999,
        1_000_000,
      );
      const day = `2026-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const outcome = i < 168 ? 'removed_recipient' : i < 336 ? 'sent_anyway' : 'went_back';
      const detector = [
        'recipient_risk',
        'special_category',
        'driving_licence',
        'payment_card',
        'bank_account',
        'safeguarding',
        'nhs_number',
        'date_of_birth',
      ][Math.floor(i / 168) % 8]!;
      await store.increment({ kind: 'email', day, key: detector, outcome }, 999_999, 1_000_000);
    }
    await countTimes(reporter, gamblingBlocked, 1);
    await reporter.uploadDue();
    const sizes = server.requests.map((r) => new TextEncoder().encode(r.init.body).length);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThan(256 * 1024);
    // The first batch is full, so this is the real worst case, not a small batch.
    expect(sizes[0]).toBeGreaterThan(130 * 1024);
    expect(server.stored.size).toBe(server.requests.length);
  });

  it('413: the batch is split into halves with new ids and all counts arrive once', async () => {
    const { reporter, server, store } = setup();
    server.answer({ status: 413, body: JSON.stringify({ error: 'too_large', limit: 1000 }) });
    for (let d = 0; d < 5; d++) await countTimes(reporter, gamblingBlocked, d + 1, START + d * DAY);
    const r = await reporter.uploadDue();
    expect(r.delivered).toHaveLength(2);
    expect(new Set(server.requests.map((q) => q.batchId)).size).toBe(3);
    expect(server.total()).toBe(15);
    expect(await store.listBatches()).toHaveLength(0);
  });

  it('413 on a single row cannot be split: rejected and shown', async () => {
    const { reporter, server } = setup();
    server.answer({ status: 413, body: 'too big' });
    await countTimes(reporter, gamblingBlocked, 1);
    const r = await reporter.uploadDue();
    expect(r.rejected).toHaveLength(1);
    expect((await reporter.state()).rejected[0]?.rejection?.status).toBe(413);
  });
});

describe('retry timing', () => {
  it('backs off exponentially with full jitter, within [30 s, min(6 h, base·2^(n−1))]', async () => {
    const randoms = [0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999];
    let i = 0;
    const { reporter, server, clock } = setup({
      deps: { random: () => randoms[i++ % randoms.length]! },
    });
    server.fallback = { status: 503 };
    await countTimes(reporter, gamblingBlocked, 1);
    const base = 15 * MINUTE;
    const waits: number[] = [];
    for (let n = 1; n <= 8; n++) {
      const r = await reporter.uploadDue();
      expect(r.outcome).toBe('failed');
      const wait = r.nextAttemptAt! - clock.t;
      waits.push(wait);
      expect(wait).toBeGreaterThanOrEqual(MIN_RETRY_MS);
      expect(wait).toBeLessThanOrEqual(Math.min(MAX_RETRY_MS, base * 2 ** (n - 1)));
      clock.t = r.nextAttemptAt!;
    }
    // Near the top of each window, the waits double until the 6 h cap.
    expect(waits.slice(0, 6)).toEqual(
      [1, 2, 4, 8, 16, 24].map((k) => Math.floor(0.999 * Math.min(MAX_RETRY_MS, base * k))),
    );
    expect(waits[7]).toBe(Math.floor(0.999 * MAX_RETRY_MS));
    expect(new Set(server.requests.map((q) => q.batchId)).size).toBe(1);
  });

  it('jitter spreads the waits across the window', async () => {
    const { retryDelay } = await import('../../../lib/report/outbox.ts');
    const samples = Array.from({ length: 2000 }, () => retryDelay(4, 15 * MINUTE, Math.random));
    const max = 15 * MINUTE * 8;
    for (const s of samples) {
      expect(s).toBeGreaterThanOrEqual(MIN_RETRY_MS);
      expect(s).toBeLessThanOrEqual(max);
    }
    // Uniform over [0, 2 h): both halves of the window are used.
    expect(samples.filter((s) => s < max / 2).length).toBeGreaterThan(800);
    expect(samples.filter((s) => s >= max / 2).length).toBeGreaterThan(800);
  });

  it('honours Retry-After on 429, in seconds or as a date', async () => {
    const { reporter, server, clock } = setup();
    server.answer(
      { status: 429, headers: { 'Retry-After': '600' } },
      { status: 429, headers: { 'retry-after': new Date(START + 3 * HOUR).toUTCString() } },
    );
    await countTimes(reporter, gamblingBlocked, 1);
    const first = await reporter.uploadDue();
    expect(first.nextAttemptAt).toBe(START + 10 * MINUTE);
    clock.t = START + 10 * MINUTE - 1;
    expect((await reporter.uploadDue()).outcome).toBe('waiting');
    clock.t = START + 10 * MINUTE;
    const second = await reporter.uploadDue();
    expect(second.nextAttemptAt).toBe(START + 3 * HOUR);
    clock.t = START + 3 * HOUR;
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });
});

describe('refusals', () => {
  it('400: the batch is kept as rejected with the server message, shown, and not retried', async () => {
    const { reporter, server, clock, store } = setup();
    server.answer({
      status: 400,
      body: JSON.stringify({
        error: 'invalid batch',
        problems: [{ path: 'navigation[0].category', message: 'unknown category' }],
      }),
    });
    await countTimes(reporter, gamblingBlocked, 3);
    const first = await reporter.uploadDue();
    expect(first.rejected).toHaveLength(1);
    const state = await reporter.state();
    expect(state.rejected).toHaveLength(1);
    expect(state.rejected[0]?.rejection?.status).toBe(400);
    expect(state.rejected[0]?.rejection?.message).toContain(
      'navigation[0].category: unknown category',
    );
    expect(state.rejected[0]?.count).toBe(3);
    expect(state.lastError?.message).toContain('refused');

    // Later runs send new counts in new batches but never the rejected one again.
    for (let i = 0; i < 5; i++) {
      clock.advance(DAY);
      await countTimes(reporter, streamingWarned, 1);
      await reporter.uploadDue();
    }
    const rejectedId = first.rejected[0];
    expect(server.requests.filter((r) => r.batchId === rejectedId)).toHaveLength(1);
    expect(server.total()).toBe(5);
    expect((await store.listBatches()).map((b) => b.state)).toEqual(['rejected']);

    // The admin fixed the server: re-queue it.
    expect(await reporter.retryRejected()).toBe(1);
    expect((await reporter.uploadDue()).delivered).toEqual([rejectedId]);
    expect(server.total()).toBe(8);
  });

  it('401: a wrong token keeps the batch (and says so) instead of rejecting the counts', async () => {
    const { reporter, server, clock } = setup();
    server.answer({ status: 401, body: 'bad token' });
    await countTimes(reporter, gamblingBlocked, 1);
    const r = await reporter.uploadDue();
    expect(r.outcome).toBe('failed');
    expect(r.error).toContain('reportToken');
    expect((await reporter.state()).pending).toHaveLength(1);
    clock.t = r.nextAttemptAt!;
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
  });

  it('a status field that breaks the contract is made neutral; the counts go at the first attempt', async () => {
    // Before issue 10 such a status held the counts back for ever (retried, never sent).
    const status = { ...STATUS, extensionVersion: 'not a version!' };
    const { reporter, server } = setup({ deps: { getStatus: () => status } });
    await countTimes(reporter, gamblingBlocked, 2);
    const r = await reporter.uploadDue();
    expect(r.outcome).toBe('done');
    expect(server.total()).toBe(2);
    expect([...server.stored.values()][0]?.status).toEqual({
      ...STATUS,
      extensionVersion: 'unknown',
    });
  });

  it('a status that cannot be read at all: the counts still go, with a neutral status', async () => {
    const { reporter, server } = setup({
      deps: {
        getStatus: () => {
          throw new Error('storage is gone');
        },
      },
    });
    await countTimes(reporter, gamblingBlocked, 1);
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
    expect([...server.stored.values()][0]?.status.policyVersion).toBe('unknown');
  });

  it('long policy errors are shortened to fit the contract rather than blocking the batch', async () => {
    const { reporter, server } = setup({
      deps: { getStatus: () => ({ ...STATUS, policyError: 'x'.repeat(2000) }) },
    });
    await countTimes(reporter, gamblingBlocked, 1);
    expect((await reporter.uploadDue()).delivered).toHaveLength(1);
    const sent = [...server.stored.values()][0]!;
    expect(sent.status.policyError?.length).toBe(500);
  });
});

describe('HTTPS only', () => {
  it.each([
    'http://reports.school.example/api/report',
    'ftp://reports.school.example/',
    'not a url',
  ])('refuses %s, sends nothing, and says why', async (reportUrl) => {
    const { reporter, server, store } = setup({ policy: { reportUrl } });
    await countTimes(reporter, gamblingBlocked, 1);
    const r = await reporter.uploadDue();
    expect(r.outcome).toBe('insecure_url');
    expect(r.error).toMatch(/https|not a URL/);
    expect(server.requests).toHaveLength(0);
    expect((await reporter.state()).lastError?.message).toBe(r.error);
    expect(await store.listCounters()).toHaveLength(1); // kept for when the URL is fixed
  });

  it.each(['http://localhost:8787/api/report', 'http://127.0.0.1:8787/api/report'])(
    'allows %s for testing',
    async (reportUrl) => {
      const { reporter, server } = setup({ policy: { reportUrl } });
      await countTimes(reporter, gamblingBlocked, 1);
      expect((await reporter.uploadDue()).delivered).toHaveLength(1);
      expect(server.requests[0]?.url).toBe(reportUrl);
    },
  );

  it('without reportUrl or reportToken nothing is sent and counts are kept', async () => {
    for (const policy of [{ reportUrl: undefined }, { reportToken: undefined }]) {
      const { reporter, server, store } = setup({ policy });
      await countTimes(reporter, gamblingBlocked, 1);
      expect((await reporter.uploadDue()).outcome).toBe('not_configured');
      expect(server.requests).toHaveLength(0);
      expect(await store.listCounters()).toHaveLength(1);
    }
  });
});

describe('bounded storage', () => {
  it('drops counts older than 90 days, oldest first, and records the drop', async () => {
    const { reporter, store, clock } = setup({ policy: { reportUrl: undefined } });
    // 100 days of counts with reporting not configured.
    for (let d = 0; d < 100; d++) {
      clock.t = START + d * DAY;
      await countTimes(reporter, gamblingBlocked, 2);
      await reporter.uploadDue();
    }
    const rows = await store.listCounters();
    expect(rows).toHaveLength(90);
    const days = rows.map((r) => r.day).sort();
    expect(days[0]).toBe('2026-06-25'); // the first ten days went
    const { drops } = await reporter.state();
    expect(drops).toMatchObject({
      rows: 10,
      count: 20,
      batches: 0,
      firstDay: '2026-06-15',
      lastDay: '2026-06-24',
    });
    expect(drops.lastAt).toBe(clock.t);
  });

  it('caps counter rows, dropping the oldest days first', async () => {
    const { reporter, store } = setup({
      policy: { reportUrl: undefined },
      deps: { limits: { maxCounterRows: 3 } },
    });
    for (let d = 0; d < 5; d++) await countTimes(reporter, gamblingBlocked, 1, START + d * DAY);
    await reporter.uploadDue();
    expect((await store.listCounters()).map((r) => r.day).sort()).toEqual([
      '2026-06-17',
      '2026-06-18',
      '2026-06-19',
    ]);
    expect((await reporter.state()).drops).toMatchObject({ rows: 2, count: 2 });
  });

  it('caps kept batches, dropping the oldest whole batch and recording it', async () => {
    const { reporter, server, store, clock } = setup({ deps: { limits: { maxBatches: 2 } } });
    server.fallback = { status: 422, body: 'nope' };
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      await countTimes(reporter, gamblingBlocked, i + 1);
      ids.push(...(await reporter.uploadDue()).rejected);
      clock.advance(HOUR);
    }
    await reporter.uploadDue(); // prunes
    expect((await store.listBatches()).map((b) => b.batchId)).toEqual(ids.slice(2));
    expect((await reporter.state()).drops).toMatchObject({ batches: 2, rows: 2, count: 3 });
  });
});

describe('identity', () => {
  it('keeps one installation id across instances', async () => {
    const store = new MemoryReportStore();
    const a = setup({ store });
    const b = setup({ store });
    const id = await a.reporter.installationId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await b.reporter.installationId()).toBe(id);
  });

  it('sends the managed account email only in email mode and only in a school domain', async () => {
    const cases: [ReportPolicy['reportIdentity'], string | null, string | undefined][] = [
      ['installation', 'head@school.example', undefined],
      ['email', 'Head@School.Example', 'head@school.example'],
      ['email', 'teacher@sub.school.example', 'teacher@sub.school.example'],
      ['email', 'someone@gmail.com', undefined],
      ['email', null, undefined],
      ['email', '', undefined],
    ];
    for (const [mode, email, expected] of cases) {
      const { reporter, server } = setup({
        policy: { reportIdentity: mode },
        deps: { getAccountEmail: async () => email },
      });
      await countTimes(reporter, gamblingBlocked, 1);
      await reporter.uploadDue();
      expect([...server.stored.values()][0]?.identity).toBe(expected);
    }
  });
});

describe('the façade', () => {
  it('concurrent uploadDue calls share one run (alarm and start-up together)', async () => {
    const { reporter, server } = setup();
    await countTimes(reporter, gamblingBlocked, 1);
    const [a, b] = await Promise.all([reporter.uploadDue(), reporter.uploadDue()]);
    expect(a).toBe(b);
    expect(server.requests).toHaveLength(1);
  });

  it('sendNow: an admin action re-sends the waiting batch at once, same id, counted once', async () => {
    const { reporter, server, store } = setup();
    server.answer({ status: 500 }, 'lost');
    await countTimes(reporter, gamblingBlocked, 3);
    const failed = await reporter.uploadDue();
    expect(failed.outcome).toBe('failed');
    // The clock has not moved: an ordinary run waits out the backoff...
    expect((await reporter.uploadDue()).outcome).toBe('waiting');
    expect(server.requests).toHaveLength(1);
    // ..."Send now" does not, and keeps the batch id (the server stores it, the answer is lost).
    const lost = await reporter.sendNow();
    expect(lost.outcome).toBe('failed');
    expect(server.stored.size).toBe(1);
    const [batch] = await store.listBatches();
    expect(batch?.attempts).toBe(2);
    await countTimes(reporter, gamblingBlocked, 2);
    const sent = await reporter.sendNow();
    expect(sent.outcome).toBe('done');
    const firstId = server.requests[0]!.batchId;
    expect(server.requests.map((r) => r.batchId)).toEqual([
      firstId,
      firstId,
      firstId,
      sent.delivered[1],
    ]);
    expect(sent.delivered[0]).toBe(firstId);
    expect(server.duplicates).toBe(1);
    expect(server.total()).toBe(5);
    expect(await store.listBatches()).toHaveLength(0);
  });

  it('sendNow does not re-send rejected batches (that is retryRejected)', async () => {
    const { reporter, server, store } = setup();
    server.answer({ status: 400, body: '{"error":"bad"}' });
    await countTimes(reporter, gamblingBlocked, 1);
    expect((await reporter.sendNow()).rejected).toHaveLength(1);
    expect((await reporter.sendNow()).outcome).toBe('idle');
    expect(server.requests).toHaveLength(1);
    expect((await store.listBatches())[0]?.state).toBe('rejected');
  });

  it('sendNow during a run waits for it, then makes its own attempt with a fresh result', async () => {
    const { reporter, server } = setup();
    server.answer({ status: 503 });
    await countTimes(reporter, gamblingBlocked, 4);
    const alarm = reporter.uploadDue();
    const click = reporter.sendNow();
    // An alarm firing while "Send now" runs shares the admin's run instead of racing it.
    const late = reporter.uploadDue();
    const [a, b, c] = await Promise.all([alarm, click, late]);
    expect(a.outcome).toBe('failed');
    expect(b.outcome).toBe('done');
    expect(c).toBe(b);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.batchId).toBe(server.requests[0]!.batchId);
    expect(server.total()).toBe(4);
  });

  it('never sends anything but counts: no URL, title or free text in the body', async () => {
    const { reporter, server } = setup();
    await countTimes(reporter, gamblingBlocked, 1);
    await reporter.count({
      kind: 'navigation',
      category: 'gambling',
      outcome: 'blocked',
      url: 'https://bet.example/secret',
      title: 'Secret',
    });
    await reporter.uploadDue();
    const body = server.requests[0]!.init.body;
    expect(body).not.toContain('bet.example');
    expect(body).not.toContain('Secret');
    expect(server.total()).toBe(2);
  });
});

describe('redirects', () => {
  it('refuses a redirect from the report server: the counts never reach the other address, and are kept', async () => {
    const { createServer } = await import('node:http');
    const hits: { path: string; authorization: string | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        hits.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
        if (req.url === '/v1/reports') {
          // 307 keeps the method and body: a following client would POST the counts again.
          res.writeHead(307, { Location: '/elsewhere' });
          res.end();
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"ok":true}');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const { reporter, store } = setup({
        policy: { reportUrl: `http://127.0.0.1:${port}/v1/reports` },
        deps: { fetch: globalThis.fetch as unknown as UploaderDeps['fetch'] },
      });
      await countTimes(reporter, gamblingBlocked, 2);
      const result = await reporter.uploadDue();
      expect(result.delivered).toHaveLength(0);
      expect(hits.map((h) => h.path)).toEqual(['/v1/reports']);
      expect(await store.listBatches()).toHaveLength(1);
      expect((await reporter.state()).lastError?.message).toMatch(/could not reach/);
    } finally {
      server.close();
    }
  });
});
