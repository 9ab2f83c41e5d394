/**
 * The browser's access-request queue (lib/access-request/queue.ts) against a fake server: stored
 * before sending, re-sent with backoff under the same id until a 2xx, refused requests kept aside
 * with the server's message, outcomes read back; and what a hostile page could try to put in.
 */
import { describe, expect, it } from 'vitest';
import { accessRequestEndpoint } from '../../../lib/access-request/payload.ts';
import {
  type AccessRequestDeps,
  checkOutcomes,
  enqueue,
  type FetchLike,
  MAX_QUEUED,
  readState,
  sendDue,
} from '../../../lib/access-request/queue.ts';

const INSTALLATION = '0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8';

function setup(
  answer: (
    body: Record<string, unknown> | null,
    url: string,
  ) => { status: number; body?: unknown; headers?: Record<string, string> } | 'offline',
) {
  const store = new Map<string, unknown>();
  const sent: Record<string, unknown>[] = [];
  let now = Date.parse('2026-12-01T09:00:00Z');
  const fetch: FetchLike = async (url, init) => {
    const body = init.body ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    const reply = answer(body, url);
    if (reply === 'offline') throw new TypeError('Failed to fetch');
    if (body) sent.push(body);
    return {
      status: reply.status,
      headers: { get: (n: string) => reply.headers?.[n] ?? null },
      text: async () => JSON.stringify(reply.body ?? {}),
    };
  };
  const deps: AccessRequestDeps = {
    kv: {
      get: async (k) => structuredClone(store.get(k)),
      set: async (k, v) => void store.set(k, structuredClone(v)),
    },
    fetch,
    now: () => now,
    random: () => 0.5,
    target: async () => ({
      endpoint: 'https://steward.school.example/v1/access-requests',
      token: 't0ken',
    }),
    installationId: async () => INSTALLATION,
  };
  return { deps, sent, advance: (ms: number) => (now += ms) };
}

const ask = { site: 'www.bet365.com', category: 'gambling', reason: 'PSHE lesson' };

describe('access-request queue', () => {
  it('stores a request before sending, and sends it once the server is back, with the same id', async () => {
    let online = false;
    const ids = new Set<string>();
    const { deps, sent, advance } = setup((body) => {
      if (!online) return 'offline';
      if (body) ids.add(body.requestId as string);
      return { status: 200, body: { ok: true } };
    });
    const queued = await enqueue(deps, ask);
    expect(queued.ok).toBe(true);
    const first = await sendDue(deps);
    expect(first.sent).toEqual([]);
    expect(first.nextAttemptAt).toBeGreaterThan(Date.parse('2026-12-01T09:00:00Z'));
    expect((await readState(deps.kv)).queue[0]!.lastError).toMatch(/could not be reached/);
    // Not due yet: nothing is attempted.
    online = true;
    expect((await sendDue(deps)).sent).toEqual([]);
    expect(sent).toHaveLength(0);
    advance(60 * 60 * 1000);
    const second = await sendDue(deps);
    expect(second.sent).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect([...ids]).toEqual([queued.ok ? queued.requestId : '']);
    const state = await readState(deps.kv);
    expect(state.queue).toEqual([]);
    expect(state.outcomes[0]).toMatchObject({ site: 'www.bet365.com', status: 'pending' });
    expect(sent[0]).toEqual({
      schema: 'steward.access-request/1',
      requestId: queued.ok ? queued.requestId : '',
      installationId: INSTALLATION,
      createdAt: '2026-12-01T09:00:00.000Z',
      site: 'www.bet365.com',
      category: 'gambling',
      reason: 'PSHE lesson',
    });
  });

  it('keeps retrying on 5xx, 429 (honouring Retry-After) and a refused token; forced sends ignore the wait', async () => {
    const statuses = [500, 429, 401, 200];
    const { deps, sent } = setup(() => ({
      status: statuses.shift()!,
      headers: { 'Retry-After': '120' },
    }));
    await enqueue(deps, ask);
    await sendDue(deps, true);
    await sendDue(deps, true);
    const waiting = await sendDue(deps, true);
    expect(waiting.sent).toEqual([]);
    expect((await readState(deps.kv)).queue).toHaveLength(1);
    expect((await sendDue(deps, true)).sent).toHaveLength(1);
    expect(new Set(sent.map((s) => s.requestId)).size).toBe(1);
  });

  it("puts a request the server calls wrong aside with the server's message", async () => {
    const { deps } = setup(() => ({
      status: 400,
      body: { message: 'reason: say why you need the site' },
    }));
    await enqueue(deps, ask);
    await sendDue(deps, true);
    const state = await readState(deps.kv);
    expect(state.queue).toEqual([]);
    expect(state.refused[0]!.message).toBe('reason: say why you need the site');
  });

  it('refuses what the contract refuses before storing anything: a path, an empty reason, too many waiting', async () => {
    const { deps } = setup(() => 'offline');
    expect(await enqueue(deps, { ...ask, site: 'www.bet365.com/account?id=1' })).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(await enqueue(deps, { ...ask, reason: '   ' })).toMatchObject({ ok: false });
    expect(await enqueue(deps, { ...ask, reason: 'x'.repeat(1001) })).toMatchObject({ ok: false });
    for (let i = 0; i < MAX_QUEUED; i++)
      expect(await enqueue(deps, ask)).toMatchObject({ ok: true });
    expect(await enqueue(deps, ask)).toMatchObject({ ok: false, reason: 'too_many' });
  });

  it('reads outcomes, and keeps the last answer when the server cannot be reached', async () => {
    let online = true;
    const { deps } = setup((_body, url) => {
      if (!online) return 'offline';
      expect(url).toContain(`installationId=${INSTALLATION}`);
      return {
        status: 200,
        body: {
          requests: [
            {
              requestId: '1b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8',
              site: 'www.bet365.com',
              status: 'approved',
              entry: 'bet365.com',
              until: null,
              note: 'For PSHE',
              listVersion: 1796156944,
            },
          ],
        },
      };
    });
    const state = await checkOutcomes(deps);
    expect(state.outcomes[0]).toMatchObject({ status: 'approved', listVersion: 1796156944 });
    online = false;
    const after = await checkOutcomes(deps);
    expect(after.outcomes).toHaveLength(1);
    expect(after.lastError).toMatch(/could not be reached/);
  });

  it('sends to the server the policy names', () => {
    expect(
      accessRequestEndpoint({
        accessRequest: { server: true },
        reportUrl: 'https://r.school.example/v1/reports',
      }),
    ).toBe('https://r.school.example/v1/access-requests');
    expect(
      accessRequestEndpoint({
        accessRequest: { server: true, serverUrl: 'https://steward.trust.example/' },
        reportUrl: 'https://r.school.example/v1/reports',
      }),
    ).toBe('https://steward.trust.example/v1/access-requests');
    expect(
      accessRequestEndpoint({ accessRequest: {}, reportUrl: 'https://r.school.example/' }),
    ).toBeNull();
  });
});
