/**
 * Issue 12 parts 4 and 5 on the real server process: groups, health, the governors' report
 * (HTML, and PDF through `steward report governors --pdf` and headless Chromium), and detailed
 * events (registrable domain only, the safeguarding role only, retention and pruning). The store
 * tests run on SQLite and, when scripts/postgres.sh can start one, on PostgreSQL.
 *
 * Chromium and the server's port: run through the isolation wrapper,
 *   bash scripts/isolated.sh npx vitest run tests/server/governors.test.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageCount } from '../../cli/report.ts';
import { parseReportBatch, registrableDomainOf } from '../../lib/report/payload.ts';
import { allInstallations } from '../../server/all-installations.ts';
import {
  parseEventSearch,
  pruneEvents,
  RETENTION_SETTING,
  startOfDay,
} from '../../server/events.ts';
import { healthReport } from '../../server/health.ts';
import { categoryName, plural, ruleListVersionName } from '../../server/names.ts';
import { openPostgresStore } from '../../server/store/postgres.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import type { IngestLimits, Store } from '../../server/store/types.ts';
import {
  getJson,
  makeBatch,
  type Postgres,
  postJson,
  postReport,
  type RunningServer,
  repoRoot,
  signIn,
  startPostgres,
  startServer,
} from './harness.ts';

const today = new Date().toISOString().slice(0, 10);
const LIMITS: IngestLimits = {
  batchesPerInstallationPerDay: 10_000,
  newInstallationsPerTokenPerDay: 10_000,
  clockSkewMs: 10 * 60_000,
};
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe('names, plurals and versions the dashboard shows', () => {
  it('names categories as the block page does, and versions as dates', () => {
    expect(categoryName('social')).toBe('Social networking');
    // The same words as the block page (the extension's en-GB messages).
    expect(categoryName('blocklist')).toBe("Your school's block list");
    expect(categoryName('ut1_games', { ut1_games: 'Games' })).toBe('Games');
    expect(categoryName('ut1_games')).toContain('ut1_games');
    expect(plural(1, 'installation')).toBe('1 installation');
    expect(plural(2, 'installation')).toBe('2 installations');
    expect(plural(1204, 'batch')).toBe('1,204 batches');
    expect(ruleListVersionName(1796156944)).toMatch(
      /^Published \d{1,2} [A-Z][a-z]{2} 2026, \d\d:\d\d$/,
    );
    expect(ruleListVersionName(7)).toBe('Version 7');
    expect(ruleListVersionName(null)).toBe('None yet');
  });
});

describe('the event contract keeps the registrable domain only', () => {
  it('reduces a URL to its registrable domain', () => {
    expect(registrableDomainOf('https://news.bbc.co.uk/sport/x?q=secret#f')).toBe('bbc.co.uk');
    expect(registrableDomainOf('https://user:pw@www.Reddit.com:8443/r/x')).toBe('reddit.com');
    expect(registrableDomainOf('https://leeds.sch.uk/')).toBeNull();
    expect(registrableDomainOf('not a url')).toBeNull();
  });

  it.each([
    'www.reddit.com',
    'reddit.com/r/teachers',
    'reddit.com?q=1',
    'co.uk',
    'REDDIT.COM',
    'reddit.com:443',
  ])('refuses %s as an event domain', (domain) => {
    const batch = makeBatch({
      events: [{ at: minutesAgo(1), category: 'social', outcome: 'blocked', domain }],
    });
    const parsed = parseReportBatch(batch);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.path).toBe('events[0].domain');
  });

  it('refuses extra fields in an event (a url or path cannot be smuggled in)', () => {
    const parsed = parseReportBatch(
      makeBatch({
        events: [
          {
            at: minutesAgo(1),
            category: 'social',
            outcome: 'blocked',
            domain: 'reddit.com',
            url: 'https://reddit.com/r/x',
          } as never,
        ],
      }),
    );
    expect(parsed.ok).toBe(false);
  });
});

describe('event searches', () => {
  it('searches whole days in the school time zone (BST)', () => {
    const q = parseEventSearch(new URLSearchParams({ day: '2026-06-15' }), Date.now());
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(new Date(q.query.fromMs).toISOString()).toBe('2026-06-14T23:00:00.000Z');
    expect(new Date(q.query.toMs).toISOString()).toBe('2026-06-15T23:00:00.000Z');
    expect(startOfDay('2026-12-15')).toBe(Date.parse('2026-12-15T00:00:00Z'));
  });

  it('refuses a bad device id, category or an over-long range', () => {
    const bad = (p: Record<string, string>) =>
      parseEventSearch(new URLSearchParams(p), Date.now()).ok;
    expect(bad({ device: "x' OR 1=1" })).toBe(false);
    expect(bad({ category: 'Social Media' })).toBe(false);
    expect(bad({ from: '2026-01-01', to: '2026-03-01' })).toBe(false);
  });
});

function storeSuite(name: string, open: () => Promise<Store | null>) {
  describe(`store on ${name}: groups, events, retention`, () => {
    let store: Store | null;
    beforeAll(async () => {
      store = await open();
      if (store) await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('filters counts by group and totals per group', async (ctx) => {
      if (!store) return ctx.skip();
      const a = makeBatch({
        status: { ...makeBatch().status, group: 'North School' },
        navigation: [{ day: today, category: 'social', outcome: 'blocked', count: 3 }],
      });
      const b = makeBatch({
        status: { ...makeBatch().status, group: 'South School' },
        navigation: [{ day: today, category: 'social', outcome: 'blocked', count: 5 }],
      });
      await store.ingest(a, Date.now(), 't', LIMITS);
      await store.ingest(b, Date.now(), 't', LIMITS);
      const north = await store.summary(today, today, 'North School');
      expect(north.navigation).toEqual([
        { day: today, category: 'social', outcome: 'blocked', count: 3 },
      ]);
      const all = await store.summary(today, today);
      expect(all.navigation[0]!.count).toBeGreaterThanOrEqual(8);
      const totals = await store.groupTotals(today, today);
      expect(totals).toEqual(
        expect.arrayContaining([
          { group: 'North School', category: 'social', outcome: 'blocked', count: 3 },
          { group: 'South School', category: 'social', outcome: 'blocked', count: 5 },
        ]),
      );
      const installs = await allInstallations(store);
      expect(installs.find((i) => i.installationId === a.installationId)?.group).toBe(
        'North School',
      );
    });

    it('stores events with the batch identity, once per batch, and searches them', async (ctx) => {
      if (!store) return ctx.skip();
      const batch = makeBatch({
        identity: 'teacher@school.example',
        status: { ...makeBatch().status, group: 'North School' },
        navigation: [{ day: today, category: 'gambling', outcome: 'blocked', count: 2 }],
        events: [
          { at: minutesAgo(5), category: 'gambling', outcome: 'blocked', domain: 'bet365.com' },
          { at: minutesAgo(3), category: 'gambling', outcome: 'blocked', domain: 'skybet.com' },
          // A wrong clock far ahead: not stored.
          {
            at: new Date(Date.now() + 86_400_000).toISOString(),
            category: 'gambling',
            outcome: 'blocked',
            domain: 'paddypower.com',
          },
        ],
      });
      expect(await store.ingest(batch, Date.now(), 't', LIMITS)).toEqual({ duplicate: false });
      expect(await store.ingest(batch, Date.now(), 't', LIMITS)).toEqual({ duplicate: true });
      const query = {
        fromMs: Date.now() - 86_400_000,
        toMs: Date.now() + 60_000,
        limit: 50,
        offset: 0,
      };
      const byPerson = await store.searchEvents({ ...query, identity: 'teacher@school.example' });
      expect(byPerson.map((e) => e.domain)).toEqual(['skybet.com', 'bet365.com']);
      expect(byPerson[0]).toMatchObject({
        installationId: batch.installationId,
        identity: 'teacher@school.example',
        group: 'North School',
        category: 'gambling',
        outcome: 'blocked',
      });
      const byDevice = await store.searchEvents({ ...query, installationId: batch.installationId });
      expect(byDevice).toHaveLength(2);
      expect(await store.searchEvents({ ...query, category: 'social' })).toEqual([]);
    });

    it('deletes events older than the retention period the admin set', async (ctx) => {
      if (!store) return ctx.skip();
      const old = makeBatch({
        events: [
          {
            at: new Date(Date.now() - 12 * 86_400_000).toISOString(),
            category: 'social',
            outcome: 'warned',
            domain: 'reddit.com',
          },
          { at: minutesAgo(1), category: 'social', outcome: 'warned', domain: 'reddit.com' },
        ],
      });
      await store.ingest(old, Date.now(), 't', LIMITS);
      const mine = {
        fromMs: 0,
        toMs: Date.now() + 60_000,
        limit: 50,
        offset: 0,
        installationId: old.installationId,
      };
      expect(await store.searchEvents(mine)).toHaveLength(2);
      await pruneEvents(store, Date.now()); // default 30 days: both stay
      expect(await store.searchEvents(mine)).toHaveLength(2);
      await store.setSetting(RETENTION_SETTING, '10');
      expect(await pruneEvents(store, Date.now())).toBeGreaterThanOrEqual(1);
      expect((await store.searchEvents(mine)).map((e) => e.at)).toEqual([old.events![1]!.at]);
      await store.setSetting(RETENTION_SETTING, '30');
    });
  });
}

storeSuite('SQLite', async () =>
  openSqliteStore(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-gov-'))),
);

let postgres: Postgres | null = null;
storeSuite('PostgreSQL', async () => {
  const started = await startPostgres();
  if ('unavailable' in started) {
    console.warn(`PostgreSQL store tests skipped: ${started.unavailable}`);
    return null;
  }
  postgres = started;
  return openPostgresStore(started.databaseUrl, 2);
});
afterAll(async () => {
  await postgres?.stop();
});

describe('the server: groups, health, governors report and events over HTTP', () => {
  let server: RunningServer;
  let cookie: string;
  let dsl: string;
  let governor: string;
  beforeAll(async () => {
    server = await startServer();
    cookie = (await signIn(server.url)).cookie;
    for (const [email, role] of [
      ['dsl@school.example', 'safeguarding'],
      ['governor@school.example', 'governor'],
    ] as const) {
      const made = await postJson(server.url, '/api/people', cookie, {
        email,
        name: role,
        role,
        password: `${role} passphrase for tests`,
      });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
    }
    dsl = (await signIn(server.url, 'safeguarding passphrase for tests', 'dsl@school.example'))
      .cookie;
    governor = (
      await signIn(server.url, 'governor passphrase for tests', 'governor@school.example')
    ).cookie;
    const status = (group: string, over: object = {}) => ({
      ...makeBatch().status,
      group,
      ...over,
    });
    const posts = [
      makeBatch({
        status: status('North School', { extensionVersion: '0.2.0', ruleListVersion: 1796156944 }),
        navigation: [
          { day: today, category: 'social', outcome: 'blocked', count: 4 },
          { day: today, category: 'blocklist', outcome: 'blocked', count: 1 },
        ],
        email: [{ day: today, detector: 'upn', outcome: 'went_back', count: 2 }],
        events: [
          { at: minutesAgo(2), category: 'social', outcome: 'blocked', domain: 'reddit.com' },
        ],
      }),
      makeBatch({
        status: status('South School', {
          extensionVersion: '0.1.0',
          ruleListVersion: 1796000000,
          install: { policyInstalled: false, incognito: 'unknown' },
        }),
        navigation: [{ day: today, category: 'gambling', outcome: 'blocked', count: 6 }],
      }),
    ];
    for (const b of posts) expect((await postReport(server.url, b)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores an event with the registrable domain and nothing more', () => {
    const db = new Database(path.join(server.dataDir, 'steward.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM events').all() as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        'at_ms',
        'category',
        'domain',
        'identity',
        'installation_id',
        'outcome',
        'report_group',
      ].sort(),
    );
    expect(rows[0]!.domain).toBe('reddit.com');
  });

  it('refuses a batch whose event carries a path, storing nothing', async () => {
    const batch = makeBatch({
      navigation: [{ day: today, category: 'social', outcome: 'blocked', count: 1 }],
      events: [
        { at: minutesAgo(1), category: 'social', outcome: 'blocked', domain: 'reddit.com/r/x' },
      ],
    });
    const res = await postReport(server.url, batch);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('events[0].domain');
  });

  it('filters the summary by group and lists groups', async () => {
    const north = await getJson(
      server.url,
      `/api/summary?from=${today}&to=${today}&group=${encodeURIComponent('North School')}`,
      cookie,
    );
    expect(north.status).toBe(200);
    const nav = north.json.navigation as { category: string; count: number }[];
    expect(nav.map((r) => r.category).sort()).toEqual(['blocklist', 'social']);
    const groups = await getJson(server.url, '/api/groups', cookie);
    expect((groups.json.groups as { group: string }[]).map((g) => g.group)).toEqual([
      'North School',
      'South School',
    ]);
  });

  it('counts and lists health problems', async () => {
    const { status, json } = await getJson(server.url, '/api/health', cookie);
    expect(status).toBe(200);
    const counts = json.counts as Record<string, number>;
    expect(counts.extension_out_of_date).toBe(1);
    expect(counts.rule_list_behind).toBe(1);
    expect(counts.not_installed_by_policy).toBe(1);
    expect(counts.not_seen).toBe(0);
    const problems = json.problems as { group: string; problems: string[] }[];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ group: 'South School' });
    expect(
      healthReport([], Date.now()).counts.adapter_problem,
      'every problem is listed, zero included',
    ).toBe(0);
  });

  it("serves the governors' report with names, plurals and a chart legend", async () => {
    const res = await fetch(`${server.url}/reports/governors`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Social networking');
    expect(html).toContain('Your school&#39;s block list');
    expect(html).toContain('Online gambling');
    expect(html).toContain('Pupil number (UPN)');
    expect(html).toContain('2 installations');
    expect(html).toContain('Key:');
    expect(html).toContain('<svg');
    expect(html).not.toContain('reddit.com');
    expect(html).not.toMatch(/<script/i);
    const north = await fetch(`${server.url}/reports/governors?group=North%20School`, {
      headers: { Cookie: cookie },
    });
    expect(await north.text()).toContain('1 installation reported;');
    const anonymous = await fetch(`${server.url}/reports/governors`);
    expect(anonymous.status).toBe(401);
  });

  it('lets only the safeguarding lead search events; IT and governors get 403', async () => {
    for (const who of [cookie, governor]) {
      const res = await getJson(server.url, '/api/events', who);
      expect(res.status).toBe(403);
      expect(String(res.json.message)).toContain('may not');
    }
    expect((await getJson(server.url, '/api/events', '')).status).toBe(401);
    const found = await getJson(server.url, '/api/events?category=social', dsl);
    expect(found.status).toBe(200);
    expect((found.json.events as { domain: string }[]).map((e) => e.domain)).toEqual([
      'reddit.com',
    ]);
    // Governors read the report but change nothing.
    const report = await fetch(`${server.url}/reports/governors`, {
      headers: { Cookie: governor },
    });
    expect(report.status).toBe(200);
    const change = await postJson(server.url, '/api/settings/events', governor, {
      retentionDays: 5,
    });
    expect(change.status).toBe(403);
  });

  it('keeps the retention the admin sets, refusing nonsense', async () => {
    const post = (body: unknown, type = 'application/json') =>
      fetch(`${server.url}/api/settings/events`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': type },
        body: JSON.stringify(body),
      });
    expect((await getJson(server.url, '/api/settings/events', cookie)).json.retentionDays).toBe(30);
    expect((await post({ retentionDays: 0 })).status).toBe(400);
    expect((await post({ retentionDays: 14 }, 'text/plain')).status).toBe(400);
    expect((await post({ retentionDays: 14 })).status).toBe(200);
    expect((await getJson(server.url, '/api/settings/events', cookie)).json.retentionDays).toBe(14);
  });

  it("prints the governors' report to a PDF with pages (steward report governors --pdf)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pdf-'));
    const pdf = path.join(out, 'governors.pdf');
    const result = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'bin/steward.js'),
        'report',
        'governors',
        '--school',
        'Test Trust',
        '--html',
        path.join(out, 'governors.html'),
        '--pdf',
        pdf,
      ],
      { encoding: 'utf8', env: { ...process.env, STEWARD_DATA_DIR: server.dataDir } },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/governors\.pdf \(\d+ pages?\)/);
    const bytes = fs.readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfPageCount(bytes)).toBeGreaterThanOrEqual(1);
    // Keep a copy to look at (pdftoppm) when run by hand.
    if (process.env.STEWARD_KEEP_PDF) fs.copyFileSync(pdf, process.env.STEWARD_KEEP_PDF);
    expect(() => execFileSync('true')).not.toThrow();
  });
});
