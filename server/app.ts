/**
 * The admin server's HTTP surface (node:http, no framework): report ingest, the signed rule
 * list, the health check, and the dashboard with its JSON APIs. Stateless apart from the
 * per-instance rate limiter and login throttle, so several instances can share one PostgreSQL.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { isRealDay, parseReportBatch } from '../lib/report/payload.ts';
import { accessRoutes } from './access-routes.ts';
import { changeAccount, createAccount } from './accounts.ts';
import { allInstallations } from './all-installations.ts';
import type { Asset } from './assets.ts';
import {
  bearerToken,
  clearedSessionCookie,
  cookieValue,
  matchToken,
  newSessionId,
  SESSION_COOKIE,
  SESSION_HOURS,
  sessionCookie,
  sessionHash,
  tokenId,
} from './auth.ts';
import { clientAddresses } from './client-address.ts';
import type { ServerConfig } from './config.ts';
import { auditCsv, countsCsv } from './csv.ts';
import { governorsRoutes } from './governors-routes.ts';
import { fromSameOrigin, mediaType, readBody, readJsonBody } from './http-body.ts';
import type { ManagedLists, ServedSource } from './lists.ts';
import { log } from './log.ts';
import { CALLBACK_PATH, OidcSignIn } from './oidc.ts';
import { dashboardShell, loginPage } from './pages.ts';
import { pageRequest } from './paging.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { LoginThrottle, RateLimiter } from './rate-limit.ts';
import type { AccessRequests } from './requests.ts';
import { type Admin, permissionsOf, type RequireRole, roleGuard } from './roles.ts';
import { etagMatches, WatchedFile } from './rule-list.ts';
import { decodeCursor } from './store/schema.ts';
import type { AuditEntry, IngestLimits, PageRequest, Store } from './store/types.ts';
import { totalsOf } from './totals.ts';

export { totalsOf } from './totals.ts';

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const HTML_HEADERS = {
  ...SECURITY_HEADERS,
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};
// Reports and rule lists are fetched by the extension's service worker; a bearer token (not a
// cookie) authorises them, so any origin may call these endpoints.
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Expose-Headers': 'ETag, Retry-After',
  'Access-Control-Max-Age': '86400',
};
const MAX_RANGE_DAYS = 366;
const LOGIN_BODY_LIMIT = 4096;
const JSON_BODY_LIMIT = 16 * 1024;
const OIDC_COOKIE = 'steward_oidc';
const OIDC_MINUTES = 10;
const DAY_MS = 86_400_000;

/** What the request handler notes for its one log line. */
interface RequestNote {
  batch?: 'stored' | 'duplicate';
  error?: string;
  problems?: number;
}

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  assets: Map<string, Asset> | null;
  assetsError?: string;
  /** Rule lists managed on the dashboard (null when STEWARD_RULE_LIST names a file instead). */
  lists: ManagedLists | null;
  requests: AccessRequests;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string, headers = {}): void {
  res.writeHead(status, { ...HTML_HEADERS, 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}) {
  res.writeHead(303, { ...SECURITY_HEADERS, Location: location, 'Content-Length': 0, ...headers });
  res.end();
}

function dayOffset(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** from/to from a query string: real days, from ≤ to, at most a year; default the last 30 days. */
function rangeFrom(
  url: URL,
): { ok: true; from: string; to: string } | { ok: false; message: string } {
  const today = new Date().toISOString().slice(0, 10);
  const to = url.searchParams.get('to') || today;
  const from = url.searchParams.get('from') || dayOffset(to, -29);
  if (!isRealDay(from)) return { ok: false, message: 'from: expected a day written YYYY-MM-DD' };
  if (!isRealDay(to)) return { ok: false, message: 'to: expected a day written YYYY-MM-DD' };
  if (from > to) return { ok: false, message: 'from must be on or before to' };
  if (dayOffset(from, MAX_RANGE_DAYS) <= to) {
    return { ok: false, message: `the range may cover at most ${MAX_RANGE_DAYS} days` };
  }
  return { ok: true, from, to };
}

/** Records one audit-log entry: who (an admin, or the server itself), what, to what. */
export async function recordAudit(
  store: Store,
  actor: Admin | 'system',
  action: string,
  target: string,
  detail = '',
): Promise<void> {
  await store.addAudit({
    entryId: crypto.randomUUID(),
    at: Date.now(),
    actor: actor === 'system' ? 'system' : actor.email,
    action,
    target,
    detail,
  });
}

/**
 * The documented migration from one shared password: when no account exists yet and
 * STEWARD_ADMIN_PASSWORD is set, that password becomes the first IT account (sign-in name
 * STEWARD_ADMIN_EMAIL, default "admin"). Once any account exists the variable is not read.
 */
export async function bootstrapAccounts(store: Store, config: ServerConfig): Promise<boolean> {
  if (!config.adminPassword || (await store.accounts()).length > 0) return false;
  const now = Date.now();
  const created = await store.createAccount({
    accountId: crypto.randomUUID(),
    email: config.adminEmail,
    name: 'IT admin (from STEWARD_ADMIN_PASSWORD)',
    role: 'it',
    passwordHash: await hashPassword(config.adminPassword),
    createdAt: now,
    updatedAt: now,
  });
  if (created) {
    await recordAudit(
      store,
      'system',
      'account.create',
      config.adminEmail,
      'first IT account, made from STEWARD_ADMIN_PASSWORD',
    );
  }
  return created;
}

export function createHandler(deps: AppDeps): RequestListener {
  const { config, store } = deps;
  const limiter = new RateLimiter(config.ratePerSecond, config.rateBurst);
  const tokenIds = new Map(config.reportTokens.map((t) => [t, tokenId(t)]));
  const fileSource = (file: string): ServedSource => {
    const watched = new WatchedFile(file);
    return { name: `the rule-list file ${path.basename(file)}`, get: () => watched.get() };
  };
  const managedFiles = deps.lists?.files() ?? null;
  const ruleList = config.ruleListPath
    ? fileSource(config.ruleListPath)
    : (managedFiles?.list ?? null);
  const ruleListSig = config.ruleListPath
    ? fileSource(`${config.ruleListPath}.sig`)
    : (managedFiles?.sig ?? null);
  // The change document from the version before (lib/rule-list/changes.ts), when there is one:
  // `steward rules build --previous` writes it beside a list file; the dashboard's publisher too.
  const ruleListChanges = config.ruleListPath
    ? fileSource(`${config.ruleListPath}.changes`)
    : (managedFiles?.changes ?? null);
  const ruleListChangesSig = config.ruleListPath
    ? fileSource(`${config.ruleListPath}.changes.sig`)
    : (managedFiles?.changesSig ?? null);
  const addresses = clientAddresses(config.trustedProxies);
  const throttle = new LoginThrottle(config.loginFailuresPerAddress, config.loginFailuresGlobal);
  const oidc = config.oidc ? new OidcSignIn(config.oidc) : null;
  const ingestLimits: IngestLimits = {
    batchesPerInstallationPerDay: config.quotaBatchesPerInstallationPerDay,
    newInstallationsPerTokenPerDay: config.quotaNewInstallationsPerTokenPerDay,
    clockSkewMs: config.clockSkewSeconds * 1000,
  };

  // X-Forwarded-Proto only counts from a trusted proxy, like X-Forwarded-For.
  const isSecure = (req: IncomingMessage): boolean =>
    config.secureCookies ||
    (addresses.viaTrustedProxy(req) && req.headers['x-forwarded-proto'] === 'https');

  /** The signed-in admin (account and role from the database), or null. */
  async function adminOf(req: IncomingMessage): Promise<Admin | null> {
    const id = cookieValue(req, SESSION_COOKIE);
    if (!id) return null;
    return store.sessionAdmin(sessionHash(id), Date.now());
  }
  /** Route guard: `const admin = await requireRole(req, res, 'publish_lists'); if (!admin) return;` */
  const requireRole: RequireRole = roleGuard(adminOf);
  const record = (actor: Admin | 'system', action: string, target: string, detail = '') =>
    recordAudit(store, actor, action, target, detail);

  async function startSession(req: IncomingMessage, res: ServerResponse, accountId: string) {
    const id = newSessionId();
    await store.createSession(sessionHash(id), accountId, Date.now() + SESSION_HOURS * 3600 * 1000);
    const cookies = [sessionCookie(id, isSecure(req))];
    if (cookieValue(req, OIDC_COOKIE)) cookies.push(clearedOidcCookie(isSecure(req)));
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      Location: '/',
      'Content-Length': 0,
      'Set-Cookie': cookies,
    });
    res.end();
  }

  async function ingest(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      note.error = 'method_not_allowed';
      sendJson(
        res,
        405,
        { error: 'method_not_allowed', message: 'Send reports with POST.' },
        { ...CORS_HEADERS, Allow: 'POST, OPTIONS' },
      );
      return;
    }
    const given = bearerToken(req);
    const token = given ? matchToken(given, config.reportTokens) : null;
    if (!token) {
      note.error = 'unauthorised';
      sendJson(
        res,
        401,
        {
          error: 'unauthorised',
          message:
            config.reportTokens.length === 0
              ? 'This server accepts no reports yet: its admin has not set STEWARD_REPORT_TOKENS.'
              : given
                ? 'The report token is not one this server accepts. Check reportToken in the policy.'
                : 'Send the report token as "Authorization: Bearer <token>".',
        },
        {
          ...CORS_HEADERS,
          'WWW-Authenticate': given
            ? 'Bearer realm="steward", error="invalid_token"'
            : 'Bearer realm="steward"',
        },
      );
      return;
    }
    const tid = tokenIds.get(token)!;
    const wait = limiter.take(tid);
    if (wait > 0) {
      note.error = 'rate_limited';
      sendJson(
        res,
        429,
        { error: 'rate_limited', message: `Too many reports; try again in ${wait} s.` },
        { ...CORS_HEADERS, 'Retry-After': String(wait) },
      );
      return;
    }
    if (mediaType(req) !== 'application/json') {
      note.error = 'unsupported_media_type';
      sendJson(
        res,
        415,
        { error: 'unsupported_media_type', message: 'Send the batch as application/json.' },
        CORS_HEADERS,
      );
      return;
    }
    const body = await readBody(req, config.maxBodyBytes);
    if (!body.ok) {
      note.error = body.reason;
      if (body.reason === 'aborted') {
        res.destroy();
        return;
      }
      // Connection: close, so the rest of an oversized body is never read.
      sendJson(
        res,
        413,
        {
          error: 'too_large',
          message: `A batch may be at most ${config.maxBodyBytes} bytes; split it into smaller batches.`,
          limit: config.maxBodyBytes,
        },
        { ...CORS_HEADERS, Connection: 'close' },
      );
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body.body.toString('utf8'));
    } catch {
      note.error = 'invalid_json';
      sendJson(
        res,
        400,
        { error: 'invalid_json', message: 'The body is not valid JSON.', problems: [] },
        CORS_HEADERS,
      );
      return;
    }
    const parsed = parseReportBatch(value);
    if (!parsed.ok) {
      note.error = 'invalid_batch';
      note.problems = parsed.problems.length;
      const first = parsed.problems[0]!;
      sendJson(
        res,
        400,
        {
          error: 'invalid_batch',
          message: `${first.path}: ${first.message}`,
          problems: parsed.problems,
        },
        CORS_HEADERS,
      );
      return;
    }
    const receivedAt = Date.now();
    const oldest = receivedAt - (config.retainBatchDays - 1) * DAY_MS;
    if (Date.parse(parsed.batch.createdAt) < oldest) {
      // Batch ids are kept retainBatchDays; an older batch could be a resend already pruned
      // from the duplicate check, so it is refused rather than risk counting it twice.
      note.error = 'too_old';
      sendJson(
        res,
        400,
        {
          error: 'too_old',
          message: `createdAt: this server keeps batches for ${config.retainBatchDays} days, and this one is older.`,
          problems: [{ path: 'createdAt', message: 'older than the server keeps batch ids' }],
        },
        CORS_HEADERS,
      );
      return;
    }
    const result = await store.ingest(parsed.batch, receivedAt, tid, ingestLimits);
    if (result.refused) {
      note.error = result.refused;
      const wait = Math.ceil(
        (Date.parse(`${new Date(receivedAt + DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`) -
          receivedAt) /
          1000,
      );
      sendJson(
        res,
        429,
        {
          error: result.refused,
          message:
            result.refused === 'installation_quota'
              ? `This installation has sent ${config.quotaBatchesPerInstallationPerDay} batches today, its daily quota; it is kept and sent again tomorrow.`
              : `This report token has brought in ${config.quotaNewInstallationsPerTokenPerDay} new installations today, its daily quota; the batch is kept and sent again tomorrow.`,
        },
        { ...CORS_HEADERS, 'Retry-After': String(Math.max(1, wait)) },
      );
      return;
    }
    note.batch = result.duplicate ? 'duplicate' : 'stored';
    sendJson(
      res,
      200,
      { ok: true, duplicate: result.duplicate, batchId: parsed.batch.batchId },
      CORS_HEADERS,
    );
  }

  async function serveRuleFile(
    req: IncomingMessage,
    res: ServerResponse,
    note: RequestNote,
    file: ServedSource | null,
    type: string,
  ) {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      note.error = 'method_not_allowed';
      sendJson(res, 405, { error: 'method_not_allowed' }, { ...CORS_HEADERS, Allow: 'GET, HEAD' });
      return;
    }
    if (!file) {
      note.error = 'rule_list_not_configured';
      sendJson(
        res,
        404,
        {
          error: 'not_configured',
          message:
            'This server publishes no rule list: its admin has not set STEWARD_RULE_LIST to the signed rule-list file.',
        },
        CORS_HEADERS,
      );
      return;
    }
    const served = await file.get();
    if (!served) {
      note.error = 'rule_list_missing';
      sendJson(
        res,
        404,
        {
          error: 'not_found',
          message: deps.lists
            ? 'No rule list has been published yet: publish one on the dashboard\'s "Rule lists" page, or set STEWARD_RULE_LIST to serve a list file you publish yourself.'
            : `${file.name} does not exist on the server yet.`,
        },
        CORS_HEADERS,
      );
      return;
    }
    const headers = {
      ...SECURITY_HEADERS,
      ...CORS_HEADERS,
      ETag: served.etag,
      'Cache-Control': 'no-cache',
    };
    if (etagMatches(req.headers['if-none-match'], served.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': served.body.length });
    res.end(req.method === 'HEAD' ? undefined : served.body);
  }

  async function login(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    const pageOptions = { oidcName: oidc?.config.name ?? null };
    if (req.method === 'GET') {
      if (await adminOf(req)) return redirect(res, '/');
      const nobody = (await store.accounts()).length === 0;
      return sendHtml(
        res,
        200,
        loginPage({
          ...pageOptions,
          ...(nobody && {
            error:
              'No one can sign in yet: start the server once with STEWARD_ADMIN_PASSWORD set to make the first IT account.',
          }),
        }),
      );
    }
    if (req.method !== 'POST') {
      note.error = 'method_not_allowed';
      res.writeHead(405, { Allow: 'GET, POST', 'Content-Length': 0 });
      res.end();
      return;
    }
    // Counted on arrival, before the body is read (see LoginThrottle).
    const address = addresses.of(req);
    const wait = throttle.reserve(address);
    if (wait !== null) {
      note.error = 'login_throttled';
      // Connection: close, so the unread body is never waited for.
      return sendHtml(
        res,
        429,
        loginPage({
          ...pageOptions,
          error: `Too many wrong passwords. Wait ${Math.ceil(wait / 60)} minutes, then try again.`,
        }),
        { 'Retry-After': String(wait), Connection: 'close' },
      );
    }
    let succeeded = false;
    try {
      const body = await readBody(req, LOGIN_BODY_LIMIT);
      const form = new URLSearchParams(body.ok ? body.body.toString('utf8') : '');
      const email = (form.get('username') ?? '').trim().toLowerCase();
      const password = form.get('password') ?? '';
      const account = body.ok && email ? await store.accountByEmail(email) : null;
      // Always one hash check, also for an unknown name, so timing does not tell who exists.
      const right = await verifyPassword(password, account?.passwordHash ?? null);
      if (!account || !right) {
        note.error = 'login_failed';
        return sendHtml(
          res,
          401,
          loginPage({
            ...pageOptions,
            username: email,
            error: 'That name and password do not match an account. Try again.',
          }),
        );
      }
      succeeded = true;
      if (account.passwordHash && needsRehash(account.passwordHash)) {
        await store.updateAccount(
          account.accountId,
          { passwordHash: await hashPassword(password) },
          Date.now(),
        );
      }
      await record(account, 'sign_in', account.email, 'with a password');
      await startSession(req, res, account.accountId);
    } finally {
      throttle.settle(address, succeeded);
    }
  }

  const clearedOidcCookie = (secure: boolean) =>
    `${OIDC_COOKIE}=; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;

  async function oidcStart(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    if (!oidc) {
      note.error = 'oidc_not_configured';
      return sendHtml(
        res,
        404,
        loginPage({
          oidcName: null,
          error: 'Sign-in with a school account is not set up on this server.',
        }),
      );
    }
    let started: Awaited<ReturnType<OidcSignIn['start']>>;
    try {
      started = await oidc.start();
    } catch (err) {
      note.error = `oidc_discovery: ${(err as Error).message}`;
      return sendHtml(
        res,
        502,
        loginPage({
          oidcName: oidc.config.name,
          error: `${oidc.config.name} could not be reached to sign you in. Try again in a minute, or sign in with a password.`,
        }),
      );
    }
    const id = newSessionId();
    await store.savePendingSignIn(
      sessionHash(id),
      { state: started.state, nonce: started.nonce, codeVerifier: started.codeVerifier },
      Date.now() + OIDC_MINUTES * 60_000,
    );
    // SameSite=Lax: the provider sends the browser back with a top-level GET from its own site.
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      Location: started.redirectTo,
      'Content-Length': 0,
      'Set-Cookie': `${OIDC_COOKIE}=${id}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=${OIDC_MINUTES * 60}${isSecure(req) ? '; Secure' : ''}`,
    });
    res.end();
  }

  async function oidcCallback(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    const refuse = (status: number, message: string, reason: string) => {
      note.error = `oidc_refused: ${reason}`;
      return sendHtml(
        res,
        status,
        loginPage({ oidcName: oidc?.config.name ?? null, error: message }),
        {
          'Set-Cookie': clearedOidcCookie(isSecure(req)),
        },
      );
    };
    if (!oidc || req.method !== 'GET')
      return refuse(404, 'There is nothing at this address.', 'not configured');
    const id = cookieValue(req, OIDC_COOKIE);
    const pending = id ? await store.takePendingSignIn(sessionHash(id), Date.now()) : null;
    if (!pending) {
      return refuse(
        400,
        'That sign-in was not started here, or took longer than 10 minutes. Start again.',
        'no pending sign-in',
      );
    }
    const identity = await oidc.finish(req.url ?? CALLBACK_PATH, pending);
    if (!identity.ok) {
      return refuse(
        401,
        `${oidc.config.name} sign-in did not work: ${identity.reason}.`,
        identity.reason,
      );
    }
    const account = await store.accountByEmail(identity.email);
    if (!account) {
      return refuse(
        403,
        `${identity.email} has no account on this dashboard. Ask the school's IT admin to add you.`,
        'no account',
      );
    }
    await record(account, 'sign_in', account.email, `with ${oidc.config.name}`);
    await startSession(req, res, account.accountId);
  }

  async function logout(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    if (req.method !== 'POST') {
      note.error = 'method_not_allowed';
      res.writeHead(405, { Allow: 'POST', 'Content-Length': 0 });
      res.end();
      return;
    }
    const id = cookieValue(req, SESSION_COOKIE);
    if (id) await store.deleteSession(sessionHash(id));
    redirect(res, '/login', { 'Set-Cookie': clearedSessionCookie(isSecure(req)) });
  }

  /** A JSON body of a state-changing dashboard request, or null after answering 4xx. */
  async function jsonBody(
    req: IncomingMessage,
    res: ServerResponse,
    note: RequestNote,
  ): Promise<Record<string, unknown> | null> {
    // Cross-site forms cannot send application/json without a preflight the server never
    // allows, and the session cookie is SameSite=Strict: two independent guards against CSRF.
    if (mediaType(req) !== 'application/json' || !fromSameOrigin(req)) {
      note.error = 'bad_request';
      sendJson(res, 400, {
        error: 'bad_request',
        message: 'Send changes from the dashboard, as JSON.',
      });
      return null;
    }
    const body = await readJsonBody(req, JSON_BODY_LIMIT);
    if (body.ok && body.value && typeof body.value === 'object' && !Array.isArray(body.value)) {
      return body.value as Record<string, unknown>;
    }
    note.error = 'invalid_json';
    sendJson(res, 400, { error: 'invalid_json', message: 'The body is not a JSON object.' });
    return null;
  }

  function sendCsv(res: ServerResponse, csv: string, filename: string) {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(csv),
    });
    res.end(csv);
  }

  async function me(req: IncomingMessage, res: ServerResponse) {
    const admin = await adminOf(req);
    if (!admin) {
      sendJson(res, 401, { error: 'sign_in_required', message: 'Sign in to the dashboard first.' });
      return;
    }
    sendJson(res, 200, { ...admin, permissions: permissionsOf(admin.role) });
  }

  async function people(req: IncomingMessage, res: ServerResponse, url: URL, note: RequestNote) {
    const admin = await requireRole(req, res, 'manage_people');
    if (!admin) return;
    if (url.pathname === '/api/people' && req.method === 'GET') {
      const accounts = await store.accounts();
      sendJson(res, 200, {
        items: accounts.map(({ passwordHash, ...a }) => ({
          ...a,
          hasPassword: passwordHash !== null,
        })),
        next: null,
        total: accounts.length,
      });
      return;
    }
    if (req.method !== 'POST') {
      note.error = 'method_not_allowed';
      sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
      return;
    }
    const body = await jsonBody(req, res, note);
    if (!body) return;
    const outcome =
      url.pathname === '/api/people'
        ? await createAccount(store, body, Date.now())
        : await changeAccount(
            store,
            admin,
            url.pathname === '/api/people/remove' ? 'remove' : 'update',
            body,
            Date.now(),
          );
    if (!outcome.ok) {
      note.error = 'invalid_account';
      sendJson(res, outcome.status, { error: 'invalid_account', message: outcome.message });
      return;
    }
    await record(admin, outcome.change.action, outcome.change.target, outcome.change.detail);
    sendJson(res, 200, { ok: true });
  }

  async function audit(req: IncomingMessage, res: ServerResponse, url: URL, note: RequestNote) {
    const admin = await requireRole(req, res, 'view_audit');
    if (!admin) return;
    if (url.pathname === '/api/audit.csv') {
      // The whole log, page by page from the store, so memory stays bounded per page.
      const entries: AuditEntry[] = [];
      let cursor: PageRequest['cursor'] = null;
      do {
        const page = await store.audit({ limit: 500, cursor });
        entries.push(...page.items);
        cursor = page.next ? decodeCursor(page.next) : null;
      } while (cursor);
      sendCsv(res, auditCsv(entries), `steward-audit-${new Date().toISOString().slice(0, 10)}.csv`);
      return;
    }
    const paging = pageRequest(url);
    if (!paging.ok) {
      note.error = 'invalid_page';
      sendJson(res, 400, { error: 'invalid_page', message: paging.message });
      return;
    }
    sendJson(res, 200, await store.audit(paging.page));
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, note: RequestNote) {
    const admin = await requireRole(req, res, 'view_reports');
    if (!admin) return;
    if (req.method !== 'GET') {
      note.error = 'method_not_allowed';
      sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
      return;
    }
    if (url.pathname === '/api/installations') {
      const paging = pageRequest(url);
      if (!paging.ok) {
        note.error = 'invalid_page';
        sendJson(res, 400, { error: 'invalid_page', message: paging.message });
        return;
      }
      const page = await store.installations(paging.page);
      sendJson(res, 200, {
        now: new Date().toISOString(),
        installations: page.items,
        next: page.next,
        total: page.total,
      });
      return;
    }
    const range = rangeFrom(url);
    if (!range.ok) {
      note.error = 'invalid_range';
      sendJson(res, 400, { error: 'invalid_range', message: range.message });
      return;
    }
    const group = url.searchParams.get('group');
    const summary = await store.summary(range.from, range.to, group?.slice(0, 80) ?? undefined);
    if (url.pathname === '/api/summary') {
      sendJson(res, 200, { ...summary, ...totalsOf(summary) });
      return;
    }
    sendCsv(res, countsCsv(summary), `steward-counts-${range.from}-to-${range.to}.csv`);
  }

  async function health(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    const ruleListState = !ruleList ? 'not configured' : (await ruleList.get()) ? 'ok' : 'missing';
    try {
      await store.ping();
      sendJson(res, 200, {
        ok: true,
        store: store.kind,
        database: 'ok',
        ruleList: ruleListState,
        dashboard: deps.assets ? 'ok' : 'unavailable',
      });
    } catch (err) {
      note.error = `database_unavailable: ${(err as Error).message}`;
      // The error text (host names, user names, paths) only for a signed-in admin; the log
      // line has it for whoever runs the server.
      const admin = await adminOf(req).catch(() => null);
      sendJson(res, 503, {
        ok: false,
        store: store.kind,
        database: admin ? `unavailable: ${(err as Error).message}` : 'unavailable',
        ruleList: ruleListState,
      });
    }
  }

  const routes: Record<
    string,
    (req: IncomingMessage, res: ServerResponse, url: URL, note: RequestNote) => Promise<void>
  > = {
    '/v1/reports': (req, res, _url, note) => ingest(req, res, note),
    '/v1/rule-list': (req, res, _url, note) =>
      serveRuleFile(
        req,
        res,
        note,
        ruleList,
        !config.ruleListPath || config.ruleListPath.endsWith('.json')
          ? 'application/json'
          : 'application/octet-stream',
      ),
    '/v1/rule-list.sig': (req, res, _url, note) =>
      serveRuleFile(req, res, note, ruleListSig, 'application/octet-stream'),
    '/v1/rule-list.changes': (req, res, _url, note) =>
      serveRuleFile(req, res, note, ruleListChanges, 'application/json'),
    '/v1/rule-list.changes.sig': (req, res, _url, note) =>
      serveRuleFile(req, res, note, ruleListChangesSig, 'application/octet-stream'),
    '/healthz': (req, res, _url, note) => health(req, res, note),
    '/favicon.ico': async (_req, res) => {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      res.end();
    },
    '/login': (req, res, _url, note) => login(req, res, note),
    '/login/oidc': (req, res, _url, note) => oidcStart(req, res, note),
    [CALLBACK_PATH]: (req, res, _url, note) => oidcCallback(req, res, note),
    '/api/me': (req, res) => me(req, res),
    '/api/people': people,
    '/api/people/update': people,
    '/api/people/remove': people,
    '/api/audit': audit,
    '/api/audit.csv': audit,
    '/logout': (req, res, _url, note) => logout(req, res, note),
    '/api/summary': api,
    '/api/installations': api,
    '/api/export.csv': api,
    ...governorsRoutes({
      store,
      requireRole,
      requestTotals: (fromMs, toMs) => deps.requests.totals(fromMs, toMs),
      audit: record,
      sendJson,
      sendHtml,
      async readJson(req) {
        // JSON from the dashboard only: a cross-site form cannot send it without a CORS
        // preflight this server refuses, and another origin's page is refused by its Origin.
        if (!fromSameOrigin(req)) return null;
        const body = await readJsonBody(req, 4096);
        return body.ok ? body.value : null;
      },
    }),
    // Access requests and rule lists managed on the dashboard (issue 12, parts 1 and 2).
    ...accessRoutes(
      {
        sendJson,
        requireRole,
        audit: record,
        async groups() {
          const installations = await allInstallations(store);
          const of = new Map(installations.map((i) => [i.installationId, i.group ?? null]));
          const names = [...new Set(installations.map((i) => i.group).filter((g) => !!g))];
          return { names: (names as string[]).sort(), of };
        },
        reportTokenId: (req) => {
          const given = bearerToken(req);
          const token = given ? matchToken(given, config.reportTokens) : null;
          return token ? tokenIds.get(token)! : null;
        },
        cors: CORS_HEADERS,
      },
      deps.lists,
      deps.requests,
    ),
    '/': async (req, res) => {
      if (!(await adminOf(req))) return redirect(res, '/login');
      sendHtml(res, 200, dashboardShell());
    },
  };

  const route = async (req: IncomingMessage, res: ServerResponse, note: RequestNote) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = routes[url.pathname];
    if (handler) return handler(req, res, url, note);
    const asset = deps.assets?.get(url.pathname);
    if (asset && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': asset.type,
        'Content-Length': asset.body.length,
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    note.error = 'not_found';
    sendJson(res, 404, { error: 'not_found', message: 'There is nothing at this address.' });
  };

  return (req, res) => {
    const started = performance.now();
    const note: RequestNote = {};
    res.on('finish', () => {
      log({
        level: res.statusCode >= 500 ? 'error' : 'info',
        method: req.method,
        path: (req.url ?? '/').split('?')[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 100) / 100,
        ...note,
      });
    });
    route(req, res, note).catch((err: unknown) => {
      note.error = `internal: ${(err as Error)?.message ?? String(err)}`;
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: 'internal',
          message: 'The server could not handle this request; nothing was stored. Try again later.',
        });
      } else res.destroy();
    });
  };
}
