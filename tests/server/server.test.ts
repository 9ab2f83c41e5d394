/**
 * The admin server, end to end over HTTP against the real process: on the embedded SQLite
 * database, and on a real PostgreSQL (scripts/postgres.sh) with two instances sharing it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getJson,
  makeBatch,
  type Postgres,
  postReport,
  type RunningServer,
  signIn,
  startPostgres,
  startServer,
} from './harness.ts';

interface SummaryJson {
  navigation: { day: string; category: string; outcome: string; count: number }[];
  email: { day: string; detector: string; outcome: string; count: number }[];
  navigationTotals: { category: string; outcome: string; count: number }[];
  emailTotals: { detector: string; outcome: string; count: number }[];
  batches: number;
}

interface InstallationJson {
  installationId: string;
  identity: string | null;
  batches: number;
  policyVersion: string;
  policyError: string | null;
  ruleListVersion: number | null;
  ruleListError: string | null;
  lastSeen: string;
}

const DAY = '2025-03-04';
const RANGE = `from=2025-03-01&to=2025-03-31`;

const postgres: Postgres | { unavailable: string } = await startPostgres();

function serverSuite(extraEnv: () => Record<string, string>, multiInstance: boolean) {
  let server: RunningServer;
  let cookie: string;
  let ruleDir: string;

  const summary = async (): Promise<SummaryJson> => {
    const { status, json } = await getJson(server.url, `/api/summary?${RANGE}`, cookie);
    expect(status).toBe(200);
    return json as unknown as SummaryJson;
  };
  const installations = async (): Promise<InstallationJson[]> => {
    const { json } = await getJson(server.url, '/api/installations', cookie);
    return json.installations as InstallationJson[];
  };
  const navCount = (s: SummaryJson, category: string, outcome = 'blocked', day = DAY) =>
    s.navigation
      .filter((r) => r.category === category && r.outcome === outcome && r.day === day)
      .reduce((n, r) => n + r.count, 0);

  /** Asserts that a refused request stored nothing: no batch, no installation, no counts. */
  const expectNothingStored = async (before: { batches: number; installs: number }) => {
    const s = await summary();
    expect(s.batches).toBe(before.batches);
    expect((await installations()).length).toBe(before.installs);
  };
  const snapshot = async () => ({
    batches: (await summary()).batches,
    installs: (await installations()).length,
  });

  beforeAll(async () => {
    ruleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-rules-'));
    fs.writeFileSync(path.join(ruleDir, 'rules.json'), '{"version":1,"categories":{}}');
    fs.writeFileSync(path.join(ruleDir, 'rules.json.sig'), 'c2lnbmF0dXJlLTE=');
    server = await startServer({
      ...extraEnv(),
      STEWARD_RULE_LIST: path.join(ruleDir, 'rules.json'),
    });
    const login = await signIn(server.url);
    expect(login.status).toBe(303);
    cookie = login.cookie;
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers the health check with the database state', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, database: 'ok', ruleList: 'ok' });
    expect(body.store).toBe(extraEnv().DATABASE_URL ? 'postgres' : 'sqlite');
  });

  it('ingests a batch and shows its counts in the summary, totals and installations', async () => {
    const batch = makeBatch({
      identity: 'teacher@school.org.uk',
      navigation: [
        { day: DAY, category: 't-ingest', outcome: 'blocked', count: 3 },
        { day: DAY, category: 't-ingest', outcome: 'blocked', count: 2 },
        { day: DAY, category: 't-ingest', outcome: 'warned', count: 1 },
        { day: '2025-03-05', category: 't-ingest', outcome: 'continued', count: 4 },
      ],
      email: [{ day: DAY, detector: 'upn', outcome: 'went_back', count: 2 }],
    });
    const res = await postReport(server.url, batch);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, duplicate: false, batchId: batch.batchId });

    const s = await summary();
    expect(navCount(s, 't-ingest')).toBe(5);
    expect(navCount(s, 't-ingest', 'warned')).toBe(1);
    expect(navCount(s, 't-ingest', 'continued', '2025-03-05')).toBe(4);
    expect(s.email).toContainEqual({ day: DAY, detector: 'upn', outcome: 'went_back', count: 2 });
    expect(s.navigationTotals).toContainEqual({
      category: 't-ingest',
      outcome: 'blocked',
      count: 5,
    });
    expect(s.emailTotals).toContainEqual({ detector: 'upn', outcome: 'went_back', count: 2 });

    const install = (await installations()).find((i) => i.installationId === batch.installationId);
    expect(install).toMatchObject({
      identity: 'teacher@school.org.uk',
      batches: 1,
      policyVersion: 'p0licy1',
      ruleListVersion: 7,
    });
  });

  it('counts a repeated batch id once, also when the repeats arrive at the same time', async () => {
    const batch = makeBatch({
      navigation: [{ day: DAY, category: 't-dup', outcome: 'blocked', count: 7 }],
    });
    const first = await postReport(server.url, batch);
    expect(first.json.duplicate).toBe(false);
    const again = await postReport(server.url, batch);
    expect(again.status).toBe(200);
    expect(again.json.duplicate).toBe(true);

    const racing = makeBatch({
      navigation: [{ day: DAY, category: 't-dup-race', outcome: 'blocked', count: 11 }],
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => postReport(server.url, racing)),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.json.duplicate === false)).toHaveLength(1);

    const s = await summary();
    expect(navCount(s, 't-dup')).toBe(7);
    expect(navCount(s, 't-dup-race')).toBe(11);
    const install = (await installations()).find((i) => i.installationId === batch.installationId);
    expect(install?.batches).toBe(1);
  });

  it('refuses malformed JSON with 400 and stores nothing', async () => {
    const before = await snapshot();
    const res = await postReport(server.url, null, { raw: '{"schema": "steward.report/1", ' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_json');
    await expectNothingStored(before);
  });

  it('refuses a batch outside the contract with 400 naming the field, and stores nothing', async () => {
    const before = await snapshot();
    const bad = makeBatch({
      navigation: [
        { day: DAY, category: 't-invalid', outcome: 'blocked', count: 1 },
        { day: DAY, category: 't-invalid', outcome: 'blocked', count: 0 },
      ],
    });
    const res = await postReport(server.url, bad);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_batch');
    expect(res.json.message).toBe('navigation[1].count: expected a positive integer');

    // A URL smuggled into a row is refused: the contract is strict.
    const leaky = makeBatch({
      navigation: [{ day: DAY, category: 't-invalid', outcome: 'blocked', count: 1 }],
    }) as unknown as { navigation: Record<string, unknown>[] };
    leaky.navigation[0]!.url = 'https://example.com/private';
    const res2 = await postReport(server.url, leaky);
    expect(res2.status).toBe(400);
    expect(res2.json.problems).toContainEqual({
      path: 'navigation[0].url',
      message: 'is not part of the report contract (unknown field)',
    });
    await expectNothingStored(before);
    expect(navCount(await summary(), 't-invalid')).toBe(0);
  });

  it('refuses an oversized body with 413 and stores nothing', async () => {
    const before = await snapshot();
    const big = makeBatch({
      navigation: Array.from({ length: 4000 }, (_, i) => ({
        day: DAY,
        category: `t-big-${String(i).padStart(30, '0')}`,
        outcome: 'blocked' as const,
        count: 1,
      })),
    });
    expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024);
    const res = await postReport(server.url, big);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('too_large');
    await expectNothingStored(before);
  });

  it('refuses a missing or unknown token with 401 and WWW-Authenticate, and stores nothing', async () => {
    const before = await snapshot();
    const batch = makeBatch({
      navigation: [{ day: DAY, category: 't-unauth', outcome: 'blocked', count: 1 }],
    });
    const none = await postReport(server.url, batch, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="steward"');
    const wrong = await postReport(server.url, batch, { token: 'token-c' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expectNothingStored(before);
    // Refused batches leave no trace of their id: the same batch is accepted later, once.
    const later = await postReport(server.url, batch, { token: 'token-b' });
    expect(later.json).toMatchObject({ ok: true, duplicate: false });
  });

  it('refuses a body that is not application/json with 415 and stores nothing', async () => {
    const before = await snapshot();
    const batch = makeBatch({
      navigation: [{ day: DAY, category: 't-415', outcome: 'blocked', count: 1 }],
    });
    const res = await postReport(server.url, batch, { contentType: 'text/plain' });
    expect(res.status).toBe(415);
    await expectNothingStored(before);
    const ok = await postReport(server.url, batch, {
      contentType: 'application/json; charset=utf-8',
    });
    expect(ok.status).toBe(200);
  });

  it('rate-limits per token with 429 and Retry-After, and stores nothing refused', async () => {
    const limited = await startServer({
      ...extraEnv(),
      STEWARD_RATE_BURST: '3',
      STEWARD_RATE_PER_SECOND: '0.01',
    });
    try {
      const batches = Array.from({ length: 5 }, () =>
        makeBatch({ navigation: [{ day: DAY, category: 't-429', outcome: 'blocked', count: 1 }] }),
      );
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (const b of batches) {
        const res = await postReport(limited.url, b);
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another token has its own budget.
      const other = await postReport(limited.url, makeBatch(), { token: 'token-b' });
      expect(other.status).toBe(200);
      // Only the three accepted batches were counted.
      const login = await signIn(limited.url);
      const { json } = await getJson(limited.url, `/api/summary?${RANGE}`, login.cookie);
      const s = json as unknown as SummaryJson;
      expect(navCount(s, 't-429')).toBe(3);
      // The rule list is not configured on this instance.
      const rules = await fetch(`${limited.url}/v1/rule-list`);
      expect(rules.status).toBe(404);
      expect(((await rules.json()) as { message: string }).message).toContain('STEWARD_RULE_LIST');
    } finally {
      await limited.stop();
    }
  }, 30_000);

  it('serves the rule list and its signature with a strong ETag and 304, and notices a new file', async () => {
    const first = await fetch(`${server.url}/v1/rule-list`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"sha256-[A-Za-z0-9_-]{43}"$/);
    expect(await first.text()).toBe('{"version":1,"categories":{}}');

    const cached = await fetch(`${server.url}/v1/rule-list`, {
      headers: { 'If-None-Match': etag },
    });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');

    const sig = await fetch(`${server.url}/v1/rule-list.sig`);
    expect(sig.status).toBe(200);
    expect(await sig.text()).toBe('c2lnbmF0dXJlLTE=');
    expect(sig.headers.get('etag')).not.toBe(etag);

    fs.writeFileSync(path.join(ruleDir, 'rules.json'), '{"version":2,"categories":{"x":[]}}');
    const changed = await fetch(`${server.url}/v1/rule-list`, {
      headers: { 'If-None-Match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toBe('{"version":2,"categories":{"x":[]}}');
  });

  it('keeps the newest status when an older batch arrives late', async () => {
    const installationId = crypto.randomUUID();
    // Yesterday: the server refuses batches older than it keeps batch ids (180 days).
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const newer = makeBatch({ installationId, createdAt: `${day}T12:00:00.000Z` });
    newer.status.policyVersion = 'newer';
    newer.status.ruleListError = 'signature did not verify';
    const older = makeBatch({ installationId, createdAt: `${day}T08:00:00+01:00` });
    older.status.policyVersion = 'older';
    expect((await postReport(server.url, newer)).status).toBe(200);
    expect((await postReport(server.url, older)).status).toBe(200);
    const install = (await installations()).find((i) => i.installationId === installationId);
    expect(install).toMatchObject({
      batches: 2,
      policyVersion: 'newer',
      ruleListError: 'signature did not verify',
    });
  });

  it("adds up the worker's restarts and repairs over batches, once per batch id, and lists the browser under health", async () => {
    const installationId = crypto.randomUUID();
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const quiet = makeBatch({ installationId, createdAt: `${day}T07:00:00.000Z` });
    const afterRestart = makeBatch({ installationId, createdAt: `${day}T09:00:00.000Z` });
    afterRestart.status.workerRecovery = { registrationsRepaired: 1, restartsNeeded: 1 };
    // Arrives late (made before the restart's batch): its status is older, its counts still add.
    const late = makeBatch({ installationId, createdAt: `${day}T08:00:00.000Z` });
    late.status.workerRecovery = { registrationsRepaired: 0, restartsNeeded: 2 };
    for (const b of [quiet, afterRestart, afterRestart, late]) {
      expect((await postReport(server.url, b)).status).toBe(200);
    }
    const install = (await installations()).find((i) => i.installationId === installationId);
    expect(install).toMatchObject({
      batches: 3,
      restartsNeeded: 3,
      registrationsRepaired: 1,
      lastRestartNeeded: `${day}T09:00:00.000Z`,
    });
    const health = await getJson(server.url, '/api/health', cookie);
    const problems = health.json.problems as { installationId: string; problems: string[] }[];
    expect(problems.find((p) => p.installationId === installationId)?.problems).toContain(
      'needed_restart',
    );
    // A browser that never needed one is not listed for it.
    const never = makeBatch();
    expect((await postReport(server.url, never)).status).toBe(200);
    const neverRow = (await installations()).find((i) => i.installationId === never.installationId);
    expect(neverRow).toMatchObject({
      restartsNeeded: 0,
      registrationsRepaired: 0,
      lastRestartNeeded: null,
    });
    const again = await getJson(server.url, '/api/health', cookie);
    const listedAgain = again.json.problems as { installationId: string; problems: string[] }[];
    expect(listedAgain.find((p) => p.installationId === installationId)?.problems).toContain(
      'needed_restart',
    );
    expect(
      listedAgain.find((p) => p.installationId === never.installationId)?.problems ?? [],
    ).not.toContain('needed_restart');
  });

  it('requires the admin login for the dashboard and its APIs, and logout ends the session', async () => {
    const page = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    for (const p of ['/api/summary', '/api/installations', '/api/export.csv']) {
      expect((await fetch(`${server.url}${p}`)).status).toBe(401);
    }
    expect((await getJson(server.url, '/api/summary', 'steward_session=forged')).status).toBe(401);

    const wrong = await signIn(server.url, 'wrong password');
    expect(wrong.status).toBe(401);
    expect(wrong.setCookie).toBe('');

    const right = await signIn(server.url);
    expect(right.status).toBe(303);
    expect(right.setCookie).toMatch(/HttpOnly/);
    expect(right.setCookie).toMatch(/SameSite=Strict/);
    const dashboard = await fetch(`${server.url}/`, { headers: { Cookie: right.cookie } });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('/assets/dashboard.js');
    const js = await fetch(`${server.url}/assets/dashboard.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(1000);

    const out = await fetch(`${server.url}/logout`, {
      method: 'POST',
      headers: { Cookie: right.cookie },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect((await getJson(server.url, '/api/summary', right.cookie)).status).toBe(401);
  });

  it('exports the counts as CSV', async () => {
    const batch = makeBatch({
      navigation: [{ day: '2025-03-10', category: 't-csv', outcome: 'warned', count: 9 }],
      email: [{ day: '2025-03-10', detector: 'nhs_number', outcome: 'sent_anyway', count: 1 }],
    });
    expect((await postReport(server.url, batch)).status).toBe(200);
    const res = await fetch(`${server.url}/api/export.csv?${RANGE}`, {
      headers: { Cookie: cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('type,day,category_or_detector,outcome,count');
    expect(lines).toContain('navigation,2025-03-10,t-csv,warned,9');
    expect(lines).toContain('email,2025-03-10,nhs_number,sent_anyway,1');
  });

  it('rejects a bad date range on the summary API', async () => {
    const res = await getJson(server.url, '/api/summary?from=2025-02-30&to=2025-03-01', cookie);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('from');
  });

  it('logs one JSON line per request without tokens, bodies or categories', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const requests = server.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.path === '/v1/reports');
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.some((l) => l.batch === 'duplicate')).toBe(true);
    const all = server.logs.join('\n');
    expect(all).not.toContain('token-a');
    expect(all).not.toContain('t-ingest');
    expect(all).not.toContain('teacher@school.org.uk');
  });

  if (multiInstance) {
    it('counts a batch once when two instances on one database receive it at the same time', async () => {
      const second = await startServer(extraEnv());
      try {
        const batch = makeBatch({
          navigation: [{ day: DAY, category: 't-two-instances', outcome: 'blocked', count: 5 }],
        });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => postReport(i % 2 ? second.url : server.url, batch)),
        );
        expect(results.every((r) => r.status === 200)).toBe(true);
        expect(results.filter((r) => r.json.duplicate === false)).toHaveLength(1);
        // A session made on one instance is valid on the other.
        const viaSecond = await getJson(second.url, `/api/summary?${RANGE}`, cookie);
        expect(navCount(viaSecond.json as unknown as SummaryJson, 't-two-instances')).toBe(5);
      } finally {
        await second.stop();
      }
    }, 30_000);
  }
}

describe('admin server on the embedded SQLite database', () => {
  serverSuite(() => ({}), false);
});

if ('unavailable' in postgres) {
  describe.skip(`admin server on PostgreSQL (skipped: ${postgres.unavailable})`, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  const pg = postgres;
  describe('admin server on PostgreSQL', () => {
    afterAll(async () => {
      await pg.stop();
    });
    serverSuite(() => ({ DATABASE_URL: pg.databaseUrl }), true);
  });
}
