/**
 * People and roles, against the real server process: the shared password becomes the first IT
 * account, accounts and roles managed by IT, roles enforced server-side on every endpoint,
 * sign-in with an OpenID Connect provider (a local test provider) with its checks attacked,
 * and the audit log (JSON and CSV). On SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  getJson,
  type Postgres,
  postJson,
  type RunningServer,
  signIn,
  startPostgres,
  startServer,
} from './harness.ts';
import { startTestIdp, type TestIdp } from './test-idp.ts';

const postgres: Postgres | { unavailable: string } = await startPostgres();

/** Runs the OpenID Connect sign-in as a browser would; returns the final answer from the server. */
async function oidcSignIn(base: string, email: string, tamper?: (callback: URL) => void) {
  const start = await fetch(`${base}/login/oidc`, { redirect: 'manual' });
  expect(start.status).toBe(303);
  const pendingCookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(pendingCookie).toMatch(/^steward_oidc=/);
  expect(start.headers.get('set-cookie')).toMatch(/HttpOnly/);
  const authorize = new URL(start.headers.get('location')!);
  const q = authorize.searchParams;
  expect(q.get('code_challenge_method')).toBe('S256');
  expect(q.get('state')).toBeTruthy();
  expect(q.get('nonce')).toBeTruthy();
  const form = new URLSearchParams([...q.entries(), ['email', email]]);
  const approved = await fetch(`${authorize.origin}/authorize`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = new URL(approved.headers.get('location')!);
  tamper?.(callback);
  const done = await fetch(callback.href, {
    headers: { Cookie: pendingCookie },
    redirect: 'manual',
  });
  const setCookie = done.headers.get('set-cookie') ?? '';
  const session = /steward_session=[^;]+/.exec(setCookie)?.[0] ?? '';
  return { status: done.status, session, body: await done.text(), callback, pendingCookie };
}

function peopleSuite(extraEnv: () => Record<string, string>) {
  let server: RunningServer;
  let idp: TestIdp;
  let it_: string;

  beforeAll(async () => {
    idp = await startTestIdp();
    const port = await freePort();
    server = await startServer({
      ...extraEnv(),
      PORT: String(port),
      STEWARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
      STEWARD_OIDC_ISSUER: idp.issuer,
      STEWARD_OIDC_CLIENT_ID: idp.clientId,
      STEWARD_OIDC_CLIENT_SECRET: idp.clientSecret,
      STEWARD_OIDC_NAME: 'Google',
    });
    const login = await signIn(server.url);
    expect(login.status).toBe(303);
    it_ = login.cookie;
    for (const [email, role] of [
      ['governor@school.example', 'governor'],
      ['dsl@school.example', 'safeguarding'],
      ['head@school.example', 'head'],
    ] as const) {
      const made = await postJson(server.url, '/api/people', it_, {
        email,
        name: email.split('@')[0],
        role,
        password: `${role} passphrase for tests`,
      });
      expect(made.status, JSON.stringify(made.json)).toBe(200);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await idp?.stop();
  });

  it('turns the old shared password into the first IT account, and says so in the audit log', async () => {
    const me = await getJson(server.url, '/api/me', it_);
    expect(me.json).toMatchObject({ email: 'admin', role: 'it' });
    const audit = await getJson(server.url, '/api/audit?limit=500', it_);
    const items = audit.json.items as { actor: string; action: string; target: string }[];
    expect(items).toContainEqual(
      expect.objectContaining({ actor: 'system', action: 'account.create', target: 'admin' }),
    );
  });

  it('signs in with a named account; a wrong password or unknown name is refused alike', async () => {
    const ok = await signIn(server.url, 'governor passphrase for tests', 'governor@school.example');
    expect(ok.status).toBe(303);
    expect(ok.setCookie).toMatch(/HttpOnly; SameSite=Strict/);
    const wrong = await signIn(server.url, 'not it at all', 'governor@school.example');
    const unknown = await signIn(server.url, 'not it at all', 'nobody@school.example');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.cookie).toBe('');
  });

  it('a governor can read the counts but cannot change anything, whatever it sends', async () => {
    const gov = (
      await signIn(server.url, 'governor passphrase for tests', 'governor@school.example')
    ).cookie;
    expect((await getJson(server.url, '/api/summary', gov)).status).toBe(200);
    expect((await getJson(server.url, '/api/installations', gov)).status).toBe(200);
    expect((await getJson(server.url, '/api/me', gov)).json).toMatchObject({ role: 'governor' });
    // Changing people (and so promoting itself), reading the audit log: forbidden.
    const promote = await postJson(server.url, '/api/people', gov, {
      email: 'sneaky@school.example',
      role: 'it',
      password: 'a long enough password',
    });
    expect(promote.status).toBe(403);
    expect(promote.json.message).toMatch(/Governor/);
    expect((await getJson(server.url, '/api/people', gov)).status).toBe(403);
    expect((await getJson(server.url, '/api/audit', gov)).status).toBe(403);
    expect((await fetch(`${server.url}/api/audit.csv`, { headers: { Cookie: gov } })).status).toBe(
      403,
    );
    // Nothing was made.
    const people = await getJson(server.url, '/api/people', it_);
    expect(JSON.stringify(people.json)).not.toContain('sneaky');
  });

  it('the safeguarding lead and head read reports and the audit log, but cannot manage people', async () => {
    for (const [email, role] of [
      ['dsl@school.example', 'safeguarding'],
      ['head@school.example', 'head'],
    ]) {
      const c = (await signIn(server.url, `${role} passphrase for tests`, email)).cookie;
      expect((await getJson(server.url, '/api/summary', c)).status).toBe(200);
      expect((await getJson(server.url, '/api/audit', c)).status).toBe(200);
      expect((await getJson(server.url, '/api/people', c)).status).toBe(403);
    }
  });

  it('a role change takes effect at once: the account’s sessions end', async () => {
    await postJson(server.url, '/api/people', it_, {
      email: 'moving@school.example',
      role: 'it',
      password: 'moving passphrase for tests',
    });
    const c = (await signIn(server.url, 'moving passphrase for tests', 'moving@school.example'))
      .cookie;
    expect((await getJson(server.url, '/api/people', c)).status).toBe(200);
    const list = (await getJson(server.url, '/api/people', it_)).json.items as {
      accountId: string;
      email: string;
    }[];
    const id = list.find((a) => a.email === 'moving@school.example')!.accountId;
    const demoted = await postJson(server.url, '/api/people/update', it_, {
      accountId: id,
      role: 'governor',
    });
    expect(demoted.status).toBe(200);
    expect((await getJson(server.url, '/api/people', c)).status).toBe(401);
    const again = (await signIn(server.url, 'moving passphrase for tests', 'moving@school.example'))
      .cookie;
    expect((await getJson(server.url, '/api/people', again)).status).toBe(403);
    const audit = (await getJson(server.url, '/api/audit', it_)).json.items as {
      actor: string;
      action: string;
      target: string;
      detail: string;
    }[];
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: 'admin',
        action: 'account.update',
        target: 'moving@school.example',
        detail: 'role IT → Governor (read-only)',
      }),
    );
  });

  it('refuses to remove the last IT account or let someone remove or demote themselves', async () => {
    const me = (await getJson(server.url, '/api/me', it_)).json as { accountId: string };
    expect(
      (await postJson(server.url, '/api/people/remove', it_, { accountId: me.accountId })).status,
    ).toBe(400);
    expect(
      (
        await postJson(server.url, '/api/people/update', it_, {
          accountId: me.accountId,
          role: 'governor',
        })
      ).status,
    ).toBe(400);
    expect((await getJson(server.url, '/api/me', it_)).json).toMatchObject({ role: 'it' });
  });

  it('refuses a weak password, an unknown role and a cross-site form post', async () => {
    const weak = await postJson(server.url, '/api/people', it_, {
      email: 'weak@school.example',
      role: 'head',
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.json.message).toMatch(/at least 12/);
    const role = await postJson(server.url, '/api/people', it_, {
      email: 'r@school.example',
      role: 'superuser',
    });
    expect(role.status).toBe(400);
    const form = await fetch(`${server.url}/api/people`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: it_,
        Origin: 'https://evil.example',
      },
      body: 'email=x@evil.example&role=it',
    });
    expect(form.status).toBe(400);
    // JSON from another origin, or from a sandboxed frame (Origin: null), is refused too.
    for (const origin of ['https://evil.example', 'null']) {
      const res = await fetch(`${server.url}/api/people`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: it_, Origin: origin },
        body: JSON.stringify({ email: 'x@evil.example', role: 'it', password: 'long enough pass' }),
      });
      expect(res.status, origin).toBe(400);
    }
    const people = (await getJson(server.url, '/api/people', it_)).json.items as {
      email: string;
    }[];
    expect(people.map((p) => p.email)).not.toContain('x@evil.example');
  });

  it('signs in with the OpenID Connect provider (code + PKCE), mapping the verified email to its role', async () => {
    const r = await oidcSignIn(server.url, 'dsl@school.example');
    expect(r.status).toBe(303);
    expect(r.session).toMatch(/^steward_session=/);
    expect((await getJson(server.url, '/api/me', r.session)).json).toMatchObject({
      email: 'dsl@school.example',
      role: 'safeguarding',
    });
    const token = idp.tokenRequests.at(-1)!;
    expect(token.get('code_verifier')).toMatch(/^[\w-]{43,}$/);
  });

  it('refuses OpenID Connect sign-ins that fail a check, and makes no session', async () => {
    // An email with no account here.
    const unknown = await oidcSignIn(server.url, 'stranger@gmail.example');
    expect(unknown.status).toBe(403);
    expect(unknown.body).toContain('has no account');
    // A tampered state (a callback from another attempt): the library refuses it.
    const state = await oidcSignIn(server.url, 'dsl@school.example', (u) =>
      u.searchParams.set('state', 'forged'),
    );
    expect(state.status).toBe(401);
    // Each way the provider could lie.
    for (const lie of [
      'wrong_nonce',
      'wrong_audience',
      'unverified_email',
      'foreign_key',
    ] as const) {
      idp.misbehave = lie;
      try {
        const r = await oidcSignIn(server.url, 'dsl@school.example');
        expect(r.status, lie).toBe(401);
        expect(r.session, lie).toBe('');
      } finally {
        idp.misbehave = null;
      }
    }
    // A callback replayed, or opened in a browser that never started the sign-in (login CSRF).
    const first = await oidcSignIn(server.url, 'head@school.example');
    expect(first.status).toBe(303);
    const replay = await fetch(first.callback.href, {
      headers: { Cookie: first.pendingCookie },
      redirect: 'manual',
    });
    expect(replay.status).toBe(400);
    const noCookie = await fetch(first.callback.href, { redirect: 'manual' });
    expect(noCookie.status).toBe(400);
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('steward_session=');
  });

  it('exports the audit log as CSV with who, when and what', async () => {
    const res = await fetch(`${server.url}/api/audit.csv`, { headers: { Cookie: it_ } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="steward-audit-/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('time,who,action,target,detail');
    expect(
      lines.some((l) =>
        /^\d{4}-\d\d-\d\dT.*,admin,account\.create,governor@school\.example,/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) => /,dsl@school\.example,sign_in,dsl@school\.example,with Google$/.test(l)),
    ).toBe(true);
  });

  it('pages the audit log with a cursor, without repeats or gaps', async () => {
    const all = (await getJson(server.url, '/api/audit?limit=500', it_)).json as {
      items: { entryId: string }[];
      total: number;
    };
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 100; i++) {
      const page = (
        await getJson(server.url, `/api/audit?limit=3${cursor && `&cursor=${cursor}`}`, it_)
      ).json as { items: { entryId: string }[]; next: string | null };
      seen.push(...page.items.map((e) => e.entryId));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual(all.items.map((e) => e.entryId).slice(0, seen.length));
    expect(seen.length).toBeGreaterThanOrEqual(all.total);
    expect((await getJson(server.url, '/api/audit?limit=5000', it_)).status).toBe(400);
    expect((await getJson(server.url, '/api/audit?cursor=bogus', it_)).status).toBe(400);
  });
}

describe('people and roles on the embedded SQLite database', () => {
  peopleSuite(() => ({}));
});

if ('unavailable' in postgres) {
  describe.skip(`people and roles on PostgreSQL (skipped: ${postgres.unavailable})`, () => {
    it('needs PostgreSQL', () => {});
  });
} else {
  describe('people and roles on PostgreSQL', () => {
    peopleSuite(() => ({ DATABASE_URL: postgres.databaseUrl }));
    afterAll(() => postgres.stop());
  });
}
