/**
 * The server holding up against abuse, against the real process: the login limit counted
 * before the body (300 connections sending headers first), trusted proxies for the client
 * address, a global limit, createdAt clamped, quotas per installation and per token, paging,
 * retention, /healthz without error details, and SIGTERM through `npm run server`.
 * Store-touching points run on SQLite and on PostgreSQL (scripts/postgres.sh).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { IngestLimits, Store } from '../../server/store/types.ts';
import {
  freePort,
  getJson,
  makeBatch,
  type Postgres,
  postReport,
  type RunningServer,
  repoRoot,
  signIn,
  startPostgres,
  startServer,
} from './harness.ts';

const postgres: Postgres | { unavailable: string } = await startPostgres();
const PASSWORD = 'correct horse battery staple';

/**
 * Opens `n` connections, sends every request's headers, waits, then sends every body: the
 * attack that beat a limit checked only after reading the body. Returns the status codes.
 */
async function headersFirstLoginAttack(base: string, n: number, password: string) {
  const { port } = new URL(base);
  const body = new URLSearchParams({ username: 'admin', password }).toString();
  const sockets: net.Socket[] = [];
  const statuses: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    const socket = net.connect(Number(port), '127.0.0.1');
    sockets.push(socket);
    statuses.push(
      new Promise((resolve) => {
        let text = '';
        socket.on('data', (d) => {
          text += d.toString();
          const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
          if (m) {
            resolve(Number(m[1]));
            socket.destroy();
          }
        });
        socket.on('error', () => resolve(0));
        socket.on('close', () => resolve(0));
      }),
    );
    socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
  }
  // Every request's headers have reached the server before any body is sent.
  await new Promise((r) => setTimeout(r, 1500));
  for (const s of sockets) if (!s.destroyed) s.write(body);
  return Promise.all(statuses);
}

describe('sign-in limits', () => {
  let server: RunningServer;
  afterAll(() => server?.stop());

  it('holds the 300-connection headers-first attack to the limit of 10 guesses per address', async () => {
    server = await startServer();
    const statuses = await headersFirstLoginAttack(server.url, 300, 'guess');
    const checked = statuses.filter((s) => s === 401).length;
    const throttled = statuses.filter((s) => s === 429).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(checked + throttled).toBe(300);
    // The right password from that address is refused too, for the rest of the window.
    const right = await signIn(server.url, PASSWORD);
    expect(right.status).toBe(429);
    expect(right.cookie).toBe('');
  }, 120_000);
});

describe('client address behind a trusted proxy', () => {
  let proxied: RunningServer;
  let direct: RunningServer;
  beforeAll(async () => {
    [proxied, direct] = await Promise.all([
      startServer({ STEWARD_TRUSTED_PROXIES: '127.0.0.0/8', STEWARD_LOGIN_FAILURES_GLOBAL: '15' }),
      startServer(),
    ]);
  });
  afterAll(async () => {
    await proxied?.stop();
    await direct?.stop();
  });

  it('10 wrong passwords from one member of staff behind the proxy do not lock out another', async () => {
    const mallory = { 'X-Forwarded-For': '203.0.113.5' };
    for (let i = 0; i < 10; i++) {
      expect((await signIn(proxied.url, 'wrong', 'admin', mallory)).status).toBe(401);
    }
    expect((await signIn(proxied.url, PASSWORD, 'admin', mallory)).status).toBe(429);
    // Another client, as the proxy reports it (the proxy appends the address it saw).
    const alice = { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9' };
    expect((await signIn(proxied.url, PASSWORD, 'admin', alice)).status).toBe(303);
  });

  it('a global limit holds across addresses, and X-Forwarded-For is ignored from anyone else', async () => {
    // 5 more failures from new addresses make 15 in all (the global limit set above).
    for (let i = 0; i < 5; i++) {
      const from = { 'X-Forwarded-For': `192.0.2.${i + 1}` };
      expect((await signIn(proxied.url, 'wrong', 'admin', from)).status).toBe(401);
    }
    const fresh = { 'X-Forwarded-For': '192.0.2.200' };
    expect((await signIn(proxied.url, PASSWORD, 'admin', fresh)).status).toBe(429);

    // No trusted proxy: a forged header does not give each guess a fresh address.
    for (let i = 0; i < 10; i++) {
      const forged = { 'X-Forwarded-For': `192.0.2.${i + 1}` };
      expect((await signIn(direct.url, 'wrong', 'admin', forged)).status).toBe(401);
    }
    const forged = { 'X-Forwarded-For': '192.0.2.99' };
    expect((await signIn(direct.url, PASSWORD, 'admin', forged)).status).toBe(429);
  });
});

const DAY = 86_400_000;

function hardeningSuite(extraEnv: () => Record<string, string>) {
  let server: RunningServer;
  let cookie: string;
  beforeAll(async () => {
    server = await startServer({
      ...extraEnv(),
      STEWARD_QUOTA_BATCHES_PER_DAY: '3',
      STEWARD_QUOTA_NEW_INSTALLATIONS_PER_DAY: '12',
    });
    cookie = (await signIn(server.url)).cookie;
  }, 120_000);
  afterAll(() => server?.stop());

  const installation = async (id: string) => {
    const { json } = await getJson(server.url, '/api/installations?limit=500', cookie);
    return (
      json.installations as {
        installationId: string;
        policyVersion: string;
        statusCreatedAt: string;
      }[]
    ).find((i) => i.installationId === id);
  };

  it('clamps createdAt to receipt time plus the skew, so a year-9999 batch cannot freeze the status', async () => {
    const installationId = crypto.randomUUID();
    const future = makeBatch({ installationId, createdAt: '9999-12-31T23:59:59Z' });
    future.status.policyVersion = 'from-the-future';
    expect((await postReport(server.url, future)).status).toBe(200);
    const clamped = await installation(installationId);
    expect(Date.parse(clamped!.statusCreatedAt)).toBeLessThanOrEqual(Date.now() + 300_000);
    // Six minutes later (beyond the 5-minute skew) a normal batch's status wins.
    const later = makeBatch({
      installationId,
      createdAt: new Date(Date.now() + 6 * 60_000).toISOString(),
    });
    later.status.policyVersion = 'current';
    expect((await postReport(server.url, later)).status).toBe(200);
    expect((await installation(installationId))!.policyVersion).toBe('current');
  });

  it('refuses a batch older than the server keeps batch ids, so pruning never lets a resend count twice', async () => {
    const old = makeBatch({ createdAt: new Date(Date.now() - 200 * DAY).toISOString() });
    const r = await postReport(server.url, old);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('too_old');
    expect(await installation(old.installationId)).toBeUndefined();
  });

  it('holds one installation to its daily quota; a resend of a stored batch is still a duplicate', async () => {
    const installationId = crypto.randomUUID();
    const batches = [1, 2, 3, 4].map(() => makeBatch({ installationId }));
    for (const b of batches.slice(0, 3)) expect((await postReport(server.url, b)).status).toBe(200);
    const over = await postReport(server.url, batches[3]);
    expect(over.status).toBe(429);
    expect(over.json.error).toBe('installation_quota');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
    expect((await postReport(server.url, batches[0])).json).toMatchObject({ duplicate: true });
    expect((await installation(installationId)) as unknown as { batches: number }).toMatchObject({
      batches: 3,
    });
  });

  it('holds one report token to its daily quota of new installations; other tokens are unaffected', async () => {
    const { json } = await getJson(server.url, '/api/installations?limit=1', cookie);
    let made = 0;
    let refused: Awaited<ReturnType<typeof postReport>> | null = null;
    for (let i = 0; i < 20 && !refused; i++) {
      const r = await postReport(server.url, makeBatch(), { token: 'token-a' });
      if (r.status === 200) made++;
      else refused = r;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.json.error).toBe('token_quota');
    expect(made).toBeLessThan(12);
    expect((await postReport(server.url, makeBatch(), { token: 'token-b' })).status).toBe(200);
    expect(json.total).toBeGreaterThan(0);
  });

  it('pages the installations with a cursor: every installation once, newest first', async () => {
    const all = (await getJson(server.url, '/api/installations?limit=500', cookie)).json as {
      installations: { installationId: string }[];
      total: number;
    };
    expect(all.installations.length).toBe(all.total);
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 50; i++) {
      const page = (
        await getJson(
          server.url,
          `/api/installations?limit=4${cursor && `&cursor=${cursor}`}`,
          cookie,
        )
      ).json as { installations: { installationId: string }[]; next: string | null };
      expect(page.installations.length).toBeLessThanOrEqual(4);
      seen.push(...page.installations.map((x) => x.installationId));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual(all.installations.map((x) => x.installationId));
    expect(new Set(seen).size).toBe(all.total);
    const defaults = (await getJson(server.url, '/api/installations', cookie)).json as {
      installations: unknown[];
    };
    expect(defaults.installations.length).toBeLessThanOrEqual(100);
  });
}

/** Retention, on the store itself: receipt times in the past cannot be sent over HTTP. */
function retentionSuite(open: () => Store) {
  it('prunes batch ids and installations past their retention, keeping the counts and recent ones', async () => {
    const store = open();
    await store.migrate();
    const now = Date.now();
    const limits: IngestLimits = {
      batchesPerInstallationPerDay: 500,
      newInstallationsPerTokenPerDay: 10_000,
      clockSkewMs: 300_000,
    };
    const day = new Date(now - 200 * DAY).toISOString().slice(0, 10);
    const gone = makeBatch({
      createdAt: new Date(now - 200 * DAY).toISOString(),
      navigation: [{ day, category: 'social', outcome: 'blocked', count: 4 }],
    });
    const kept = makeBatch();
    await store.ingest(gone, now - 200 * DAY, 'tok', limits);
    await store.ingest(kept, now, 'tok', limits);
    const removed = await store.prune(now, { batchDays: 180, installationDays: 180 });
    expect(removed.batches).toBeGreaterThanOrEqual(1);
    expect(removed.installations).toBeGreaterThanOrEqual(1);
    const ids = (await store.installations({ limit: 500, cursor: null })).items.map(
      (i) => i.installationId,
    );
    expect(ids).toContain(kept.installationId);
    expect(ids).not.toContain(gone.installationId);
    // Counts are the school's record and stay.
    const summary = await store.summary(day, day);
    expect(summary.navigation).toContainEqual({
      day,
      category: 'social',
      outcome: 'blocked',
      count: 4,
    });
    // The kept batch is still a duplicate.
    expect((await store.ingest(kept, now, 'tok', limits)).duplicate).toBe(true);
    await store.close();
  });
}

describe('hardening on the embedded SQLite database', () => {
  hardeningSuite(() => ({}));
  retentionSuite(() => openSqliteStore(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-prune-'))));
});

if ('unavailable' in postgres) {
  describe.skip(`hardening on PostgreSQL (skipped: ${postgres.unavailable})`, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  describe('hardening on PostgreSQL', () => {
    hardeningSuite(() => ({ DATABASE_URL: postgres.databaseUrl }));
    retentionSuite(() => openPostgresStore(postgres.databaseUrl, 2));

    it('answers /healthz 503 without the database error text; the log has it', async () => {
      const own = await startPostgres();
      if ('unavailable' in own) throw new Error(own.unavailable);
      const server = await startServer({ DATABASE_URL: own.databaseUrl });
      try {
        await own.stop();
        const res = await fetch(`${server.url}/healthz`);
        expect(res.status).toBe(503);
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ ok: false, database: 'unavailable' });
        expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
        // The server writes its log line asynchronously: wait for it (at most 10 s on a busy machine).
        const logged = () => server.logs.some((l) => /healthz.*database_unavailable: .+/.test(l));
        for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 100));
        expect(logged()).toBe(true);
      } finally {
        await server.stop();
      }
    }, 120_000);
    afterAll(() => postgres.stop());
  });
}

describe('stopping', () => {
  it('SIGTERM to `npm run server` stops the server cleanly (tsx passes the signal on)', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-sigterm-'));
    const child = spawn('npm', ['run', '--silent', 'server'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: String(port),
        STEWARD_DATA_DIR: dataDir,
        STEWARD_REPORT_TOKENS: 't',
        STEWARD_PASSWORD_COST: '14',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const deadline = Date.now() + 60_000;
    while (!out.includes('"msg":"listening"') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(out).toContain('"msg":"stopped","signal":"SIGTERM"');
    expect(code).toBe(0);
    // Nothing is left listening (no orphaned node process under npm).
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 90_000);
});
