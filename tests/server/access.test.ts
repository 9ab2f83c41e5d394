/**
 * Access requests and server-managed rule lists (issue 12, parts 1 and 2), against the real
 * server process over HTTP: requests stored once, the inbox and decisions, lists edited, checked,
 * signed and published atomically, rolled back, and signed offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_REQUEST_SCHEMA } from '../../lib/access-request/payload.ts';
import { parseChangeDocument } from '../../lib/rule-list/changes.ts';
import { parseRuleList } from '../../lib/rule-list/document.ts';
import {
  generateRuleListKeyPair,
  signRuleList,
  verifyRuleList,
} from '../../lib/rule-list/signature.ts';
import { sha256Hex } from '../../lib/rule-list/update.ts';
import { makeBatch, postReport, type RunningServer, signIn, startServer } from './harness.ts';

type Json = Record<string, unknown>;

function accessRequest(overrides: Json = {}): Json {
  return {
    schema: ACCESS_REQUEST_SCHEMA,
    requestId: crypto.randomUUID(),
    installationId: crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    site: 'www.bet365.com',
    category: 'gambling',
    reason: 'Year 11 PSHE lesson on the risks of gambling.',
    ...overrides,
  };
}

async function call(
  server: RunningServer,
  pathname: string,
  options: {
    method?: string;
    cookie?: string;
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    text?: string;
  } = {},
) {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.text !== undefined) {
    body = options.text;
    headers['Content-Type'] ??= 'text/plain';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${server.url}${pathname}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = { text };
  }
  return { status: res.status, json, text, headers: res.headers };
}

/**
 * The list and its signature as a browser fetches them: two requests. A publish can land between
 * them (the browser then refuses the pair and fetches again at its next check); with none between,
 * the pair must verify. So the list's ETag is read again after the signature: unchanged, the pair
 * must verify; changed, a publish came between and the pair is fetched again.
 */
async function publishedList(server: RunningServer, publicKey: string) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const list = await fetch(`${server.url}/v1/rule-list`);
    const sig = await fetch(`${server.url}/v1/rule-list.sig`);
    const bytes = new Uint8Array(await list.arrayBuffer());
    const signature = await sig.text();
    const after = await fetch(`${server.url}/v1/rule-list`, { method: 'HEAD' });
    if (after.headers.get('etag') !== list.headers.get('etag')) continue;
    expect(await verifyRuleList(bytes, signature, publicKey)).toEqual({ ok: true });
    const parsed = parseRuleList(bytes);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.document;
  }
  throw new Error('the list changed between its request and its signature ten times running');
}

describe('access requests and lists signed on the server', () => {
  let server: RunningServer;
  let cookie: string;
  let publicKey: string;

  beforeAll(async () => {
    server = await startServer();
    cookie = (await signIn(server.url)).cookie;
    const state = await call(server, '/api/lists', { cookie });
    expect(state.status).toBe(200);
    publicKey = state.json.publicKey as string;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('generates the signing key in the data folder, readable by the server only', () => {
    const keyFile = path.join(server.dataDir, 'rule-lists', 'rule-list-private.pem');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(publicKey).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('serves no list before the first publish, then the signed list and its signature', async () => {
    expect((await call(server, '/v1/rule-list')).status).toBe(404);
    const published = await call(server, '/api/lists/publish', { cookie, body: {} });
    expect(published.status).toBe(200);
    const doc = await publishedList(server, publicKey);
    expect(Object.keys(doc.categories)).toContain('gambling');
    expect(doc.categories.gambling!.domains).toContain('bet365.com');
    expect(doc.version).toBeGreaterThan(1_700_000_000);
  });

  it('stores a request once, however often the browser re-sends it', async () => {
    const request = accessRequest();
    const first = await call(server, '/v1/access-requests', { token: 'token-a', body: request });
    expect(first.json).toMatchObject({ ok: true, duplicate: false });
    const again = await call(server, '/v1/access-requests', { token: 'token-b', body: request });
    expect(again.json).toMatchObject({ ok: true, duplicate: true });
    const inbox = await call(server, '/api/access-requests?status=pending', { cookie });
    const mine = (inbox.json.requests as Json[]).filter((r) => r.requestId === request.requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ site: 'www.bet365.com', status: 'pending' });
  });

  it('refuses requests without a token, with unknown fields (a URL path), and from the future', async () => {
    expect(
      (await call(server, '/v1/access-requests', { token: null, body: accessRequest() })).status,
    ).toBe(401);
    expect(
      (await call(server, '/v1/access-requests', { token: 'wrong', body: accessRequest() })).status,
    ).toBe(401);
    const withPath = await call(server, '/v1/access-requests', {
      token: 'token-a',
      body: accessRequest({ url: 'https://www.bet365.com/account?session=1' }),
    });
    expect(withPath.status).toBe(400);
    expect(withPath.json.message).toMatch(/url/);
    const site = await call(server, '/v1/access-requests', {
      token: 'token-a',
      body: accessRequest({ site: 'www.bet365.com/account' }),
    });
    expect(site.status).toBe(400);
    const future = accessRequest({ createdAt: '9999-01-01T00:00:00Z' });
    expect(
      (await call(server, '/v1/access-requests', { token: 'token-a', body: future })).status,
    ).toBe(200);
    const stored = (
      (await call(server, '/api/access-requests?status=pending&limit=200', { cookie })).json
        .requests as Json[]
    ).find((r) => r.requestId === future.requestId)!;
    expect(Date.parse(stored.createdAt as string)).toBeLessThan(Date.now() + 10 * 60_000);
  });

  it('holds one browser to 20 waiting requests', async () => {
    const installationId = crypto.randomUUID();
    for (let i = 0; i < 20; i++) {
      const r = await call(server, '/v1/access-requests', {
        token: 'token-a',
        body: accessRequest({ installationId }),
      });
      expect(r.status).toBe(200);
    }
    const refused = await call(server, '/v1/access-requests', {
      token: 'token-a',
      body: accessRequest({ installationId }),
    });
    expect(refused.status).toBe(429);
    expect(refused.json.message).toMatch(/waiting/);
  });

  it('does not let anyone without the dashboard session decide, or a page on another site', async () => {
    const request = accessRequest();
    await call(server, '/v1/access-requests', { token: 'token-a', body: request });
    const decide = { requestId: request.requestId, action: 'approve', publish: true };
    expect((await call(server, '/api/access-requests/decide', { body: decide })).status).toBe(401);
    expect(
      (await call(server, '/api/access-requests/decide', { token: 'token-a', body: decide }))
        .status,
    ).toBe(401);
    const crossSite = await call(server, '/api/access-requests/decide', {
      cookie,
      body: decide,
      headers: { Origin: 'https://evil.example.com' },
    });
    expect(crossSite.status).toBe(403);
    expect((await call(server, '/api/lists/publish', { body: {} })).status).toBe(401);
    expect((await call(server, '/api/lists/rollback', { body: { version: 1 } })).status).toBe(401);
    // Nothing was decided.
    const outcome = await call(
      server,
      `/v1/access-requests?installationId=${request.installationId}`,
      { token: 'token-a' },
    );
    expect((outcome.json.requests as Json[])[0]).toMatchObject({ status: 'pending' });
  });

  it('approves for the site for N days: published at once, and the browser that asked is told', async () => {
    const request = accessRequest({ site: 'www.skybet.com', installationId: crypto.randomUUID() });
    await call(server, '/v1/access-requests', { token: 'token-a', body: request });
    const before = await publishedList(server, publicKey);
    const decided = await call(server, '/api/access-requests/decide', {
      cookie,
      body: {
        requestId: request.requestId,
        action: 'approve',
        days: 7,
        note: 'For the PSHE unit.',
        publish: true,
      },
    });
    expect(decided.status).toBe(200);
    const after = await publishedList(server, publicKey);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.allowList).toContain('skybet.com');
    const outcome = await call(
      server,
      `/v1/access-requests?installationId=${request.installationId}`,
      { token: 'token-a' },
    );
    const told = (outcome.json.requests as Json[])[0]!;
    expect(told).toMatchObject({
      status: 'approved',
      entry: 'skybet.com',
      note: 'For the PSHE unit.',
      listVersion: after.version,
    });
    const days = (Date.parse(told.until as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // Another browser's id sees none of it.
    const other = await call(server, `/v1/access-requests?installationId=${crypto.randomUUID()}`, {
      token: 'token-a',
    });
    expect(other.json.requests).toEqual([]);
  });

  it("approves for one group: its entry goes in that group's allow list only, the inbox offers the asker's group, and a bad group name is refused", async () => {
    const installationId = crypto.randomUUID();
    // The asking browser reports its policy's group, as every browser does with its counts.
    const reported = await postReport(
      server.url,
      makeBatch({
        installationId,
        status: { ...makeBatch().status, group: 'Oakfield Primary' },
      }),
    );
    expect(reported.status).toBe(200);
    await postReport(
      server.url,
      makeBatch({ status: { ...makeBatch().status, group: 'Riverside Academy' } }),
    );
    const request = accessRequest({ site: 'www.paddypower.com', installationId });
    await call(server, '/v1/access-requests', { token: 'token-a', body: request });

    const inbox = await call(server, '/api/access-requests?status=pending&limit=200', { cookie });
    expect(inbox.json.groups).toEqual(['Oakfield Primary', 'Riverside Academy']);
    const listed = (inbox.json.requests as Json[]).find((r) => r.requestId === request.requestId);
    expect(listed?.askerGroup).toBe('Oakfield Primary');

    for (const group of ['', '<script>', 'x'.repeat(81), 42, ['Oakfield Primary']]) {
      const refused = await call(server, '/api/access-requests/decide', {
        cookie,
        body: { requestId: request.requestId, action: 'approve', group, publish: true },
      });
      expect(refused.status, JSON.stringify(group)).toBe(400);
      expect(refused.json.error).toBe('invalid_group');
    }
    const decided = await call(server, '/api/access-requests/decide', {
      cookie,
      body: {
        requestId: request.requestId,
        action: 'approve',
        group: 'Oakfield Primary',
        days: null,
        publish: true,
      },
    });
    expect(decided.status).toBe(200);
    expect((decided.json.request as Json).group).toBe('Oakfield Primary');
    const list = await publishedList(server, publicKey);
    expect(list.groupAllowLists?.['Oakfield Primary']).toContain('paddypower.com');
    expect(list.allowList ?? []).not.toContain('paddypower.com');
    expect(list.groupAllowLists?.['Riverside Academy']).toBeUndefined();
    const history = (await call(server, '/api/lists', { cookie })).json.history as {
      changes: { part: string; examples: string[] }[];
    }[];
    expect(history[0]?.changes).toContainEqual(
      expect.objectContaining({
        part: 'allow list for Oakfield Primary',
        examples: ['+ paddypower.com'],
      }),
    );
    const audit = await call(server, '/api/audit', { cookie });
    expect(JSON.stringify(audit.json)).toContain('paddypower.com for the group Oakfield Primary');
  });

  it("counts requests for the governors' report", async () => {
    const html = await call(server, '/reports/governors', { cookie });
    expect(html.status).toBe(200);
    const inbox = await call(server, '/api/access-requests?status=all&limit=200', { cookie });
    const all = inbox.json.requests as Json[];
    const approved = all.filter((r) => r.status === 'approved' || r.status === 'withdrawn');
    const declined = all.filter((r) => r.status === 'declined');
    const pending = all.filter((r) => r.status === 'pending');
    expect(approved.length).toBeGreaterThan(0);
    expect(html.text).toMatch(
      new RegExp(
        `${all.length} blocked sites? to be opened in this period:\\s*${approved.length} approved, ${declined.length} declined, ${pending.length} still waiting`,
      ),
    );
  });

  it('approves a URL prefix, declines with a note', async () => {
    const a = accessRequest({ site: 'www.youtube.com', category: 'streaming' });
    const b = accessRequest({ site: 'discord.com', category: 'chat' });
    await call(server, '/v1/access-requests', { token: 'token-a', body: a });
    await call(server, '/v1/access-requests', { token: 'token-a', body: b });
    const notPrefix = await call(server, '/api/access-requests/decide', {
      cookie,
      body: { requestId: a.requestId, action: 'approve', scope: 'prefix', prefix: 'youtube.com' },
    });
    expect(notPrefix.status).toBe(400);
    await call(server, '/api/access-requests/decide', {
      cookie,
      body: {
        requestId: a.requestId,
        action: 'approve',
        scope: 'prefix',
        prefix: 'www.youtube.com/@BBCTeach',
        publish: true,
      },
    });
    await call(server, '/api/access-requests/decide', {
      cookie,
      body: { requestId: b.requestId, action: 'decline', note: 'Use Teams for class chat.' },
    });
    const doc = await publishedList(server, publicKey);
    expect(doc.allowList!.filter((e) => e.endsWith('youtube.com/@BBCTeach'))).toHaveLength(1);
    expect(doc.allowList).not.toContain('discord.com');
    const told = await call(server, `/v1/access-requests?installationId=${b.installationId}`, {
      token: 'token-a',
    });
    expect((told.json.requests as Json[])[0]).toMatchObject({
      status: 'declined',
      note: 'Use Teams for class chat.',
    });
  });

  it('imports lists by upload, edits entries, and shows conflicts before publishing', async () => {
    const created = await call(server, '/api/lists/category', {
      cookie,
      body: { id: 'music', label: 'Music streaming', mode: 'warn' },
    });
    expect(created.status).toBe(200);
    const noLabel = await call(server, '/api/lists/category', { cookie, body: { id: 'custom' } });
    expect(noLabel.status).toBe(400);
    expect(noLabel.json.message).toMatch(/needs a name/);
    const hosts =
      '# a hosts file\n0.0.0.0 soundcloud.com\n0.0.0.0 localhost\n0.0.0.0 co.uk\n0.0.0.0 music.example.org\n';
    const imported = await call(
      server,
      '/api/lists/import?part=category:music&format=auto&name=hosts.txt',
      {
        cookie,
        text: hosts,
      },
    );
    expect(imported.status).toBe(200);
    expect(imported.json).toMatchObject({ format: 'hosts', added: 2, skippedCount: 1 });
    expect(JSON.stringify(imported.json.skipped)).toMatch(/public suffix/);
    const edited = await call(server, '/api/lists/entries', {
      cookie,
      body: { part: 'category:music', add: ['sub.music.example.org', 'not a domain'] },
    });
    expect(edited.json).toMatchObject({ added: 1 });
    expect((edited.json.refused as Json[])[0]).toMatchObject({ entry: 'not a domain' });
    await call(server, '/api/lists/entries', {
      cookie,
      body: { part: 'blockList', add: ['skybet.com'] },
    });

    const draft = await call(server, '/api/lists/draft', { cookie });
    const findings = draft.json.findings as { kind: string; examples: string[] }[];
    const conflict = findings.find((f) => f.kind === 'mode-conflict')!;
    expect(conflict.examples.join('\n')).toContain(
      'soundcloud.com: music (warn) and streaming (block)',
    );
    expect(findings.find((f) => f.kind === 'covered')!.examples[0]).toContain(
      'sub.music.example.org under music.example.org in music',
    );
    expect(findings.find((f) => f.kind === 'allow-and-block')!.examples).toContain('skybet.com');
    const page = await call(server, '/api/lists/entries?part=category:music&q=sound', { cookie });
    expect(page.json).toMatchObject({ total: 1, entries: ['soundcloud.com'] });
  });

  it('rolls back: the old content under a new version, and approvals after it are withdrawn', async () => {
    const history = (await call(server, '/api/lists', { cookie })).json.history as Json[];
    const first = history[history.length - 1]!;
    const request = accessRequest({ site: 'www.williamhill.com' });
    await call(server, '/v1/access-requests', { token: 'token-a', body: request });
    await call(server, '/api/access-requests/decide', {
      cookie,
      body: { requestId: request.requestId, action: 'approve', publish: true },
    });
    const approved = await publishedList(server, publicKey);
    expect(approved.allowList).toContain('williamhill.com');

    const rolled = await call(server, '/api/lists/rollback', {
      cookie,
      body: { version: first.version },
    });
    expect(rolled.status).toBe(200);
    const after = await publishedList(server, publicKey);
    expect(after.version).toBeGreaterThan(approved.version);
    expect(after.allowList ?? []).not.toContain('williamhill.com');
    expect(after.categories.music).toBeUndefined();
    const latest = ((await call(server, '/api/lists', { cookie })).json.history as Json[])[0]!;
    expect(latest).toMatchObject({ how: 'rollback', restored: first.version });
    const told = await call(
      server,
      `/v1/access-requests?installationId=${request.installationId}`,
      {
        token: 'token-a',
      },
    );
    expect((told.json.requests as Json[])[0]).toMatchObject({ status: 'withdrawn' });
    // A version the server never published.
    expect(
      (await call(server, '/api/lists/rollback', { cookie, body: { version: 12 } })).status,
    ).toBe(404);
  });

  it('keeps serving a list and signature that belong together across publishes', async () => {
    const checks = [];
    for (let i = 0; i < 3; i++) {
      checks.push(call(server, '/api/lists/publish', { cookie, body: {} }));
      checks.push(publishedList(server, publicKey));
    }
    await Promise.all(checks);
    const list = await fetch(`${server.url}/v1/rule-list`);
    const etag = list.headers.get('etag')!;
    const again = await fetch(`${server.url}/v1/rule-list`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('publishes a signed change document from the version before when only category names changed', async () => {
    await call(server, '/api/lists/publish', { cookie, body: {} });
    const before = new Uint8Array(await (await fetch(`${server.url}/v1/rule-list`)).arrayBuffer());
    await call(server, '/api/lists/entries', {
      cookie,
      body: { part: 'category:gambling', add: ['new-casino.example.org'] },
    });
    await call(server, '/api/lists/publish', { cookie, body: {} });
    const after = new Uint8Array(await (await fetch(`${server.url}/v1/rule-list`)).arrayBuffer());
    const changes = new Uint8Array(
      await (await fetch(`${server.url}/v1/rule-list.changes`)).arrayBuffer(),
    );
    const sig = await (await fetch(`${server.url}/v1/rule-list.changes.sig`)).text();
    expect(await verifyRuleList(changes, sig, publicKey)).toEqual({ ok: true });
    const parsed = parseChangeDocument(changes);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.document.since).toBe(await sha256Hex(before));
    expect(parsed.document.result).toBe(await sha256Hex(after));
    expect(parsed.document.categories.gambling).toEqual({
      added: ['new-casino.example.org'],
      removed: [],
    });
    // A block-list change is more than category names: no change document for it.
    await call(server, '/api/lists/entries', {
      cookie,
      body: { part: 'blockList', add: ['another-block.example.org'] },
    });
    await call(server, '/api/lists/publish', { cookie, body: {} });
    expect((await fetch(`${server.url}/v1/rule-list.changes`)).status).toBe(404);
  });
});

describe('offline signing', () => {
  let server: RunningServer;
  let cookie: string;
  let keys: Awaited<ReturnType<typeof generateRuleListKeyPair>>;

  beforeAll(async () => {
    keys = await generateRuleListKeyPair();
    server = await startServer({
      STEWARD_RULE_LIST_SIGNING: 'offline',
      STEWARD_RULE_LIST_PUBLIC_KEY: keys.publicKey,
    });
    cookie = (await signIn(server.url)).cookie;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps no key on the server and cannot publish by itself', async () => {
    expect(fs.existsSync(path.join(server.dataDir, 'rule-lists', 'rule-list-private.pem'))).toBe(
      false,
    );
    const publish = await call(server, '/api/lists/publish', { cookie, body: {} });
    expect(publish.status).toBe(409);
    expect(publish.json.message).toMatch(/steward rules sign/);
  });

  it('exports the draft, takes it back signed, and refuses a wrong key, a changed byte or an old version', async () => {
    const exported = await call(server, '/api/lists/export', { cookie });
    expect(exported.headers.get('content-disposition')).toMatch(/steward-rule-list-\d+\.json/);
    const bytes = new TextEncoder().encode(exported.text);
    const signature = await signRuleList(bytes, keys.privateKeyPem);

    const other = await generateRuleListKeyPair();
    const wrongKey = await call(server, '/api/lists/upload', {
      cookie,
      body: { list: exported.text, signature: await signRuleList(bytes, other.privateKeyPem) },
    });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.json.message).toMatch(/signature does not match/);
    const changed = await call(server, '/api/lists/upload', {
      cookie,
      body: { list: exported.text.replace('bet365.com', 'bet366.com'), signature },
    });
    expect(changed.status).toBe(400);
    expect((await call(server, '/v1/rule-list')).status).toBe(404);

    const uploaded = await call(server, '/api/lists/upload', {
      cookie,
      body: { list: exported.text, signature },
    });
    expect(uploaded.status).toBe(200);
    const served = await fetch(`${server.url}/v1/rule-list`);
    expect(await served.text()).toBe(exported.text);
    const sig = await (await fetch(`${server.url}/v1/rule-list.sig`)).text();
    expect(sig.trim()).toBe(signature);

    const again = await call(server, '/api/lists/upload', {
      cookie,
      body: { list: exported.text, signature },
    });
    expect(again.status).toBe(400);
    expect(again.json.message).toMatch(/not newer/);
  });
});
