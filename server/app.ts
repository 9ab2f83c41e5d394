/**
 * The admin server's HTTP surface (node:http, no framework): report ingest, the signed rule
 * list, the health check, and the dashboard with its JSON APIs. Stateless apart from the
 * per-instance rate limiter and login throttle, so several instances can share one PostgreSQL.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { isRealDay, parseReportBatch } from '../lib/report/payload.ts';
import { accessRoutes } from './access-routes.ts';
import type { Asset } from './assets.ts';
import {
  bearerToken,
  clearedSessionCookie,
  cookieValue,
  matchToken,
  newSessionId,
  SESSION_COOKIE,
  SESSION_HOURS,
  secretEquals,
  sessionCookie,
  sessionHash,
  tokenId,
} from './auth.ts';
import type { ServerConfig } from './config.ts';
import { countsCsv } from './csv.ts';
import type { ManagedLists, ServedSource } from './lists.ts';
import { log } from './log.ts';
import { dashboardShell, loginPage } from './pages.ts';
import { RateLimiter } from './rate-limit.ts';
import type { AccessRequests } from './requests.ts';
import { etagMatches, WatchedFile } from './rule-list.ts';
import type { Store, Summary } from './store/types.ts';

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
const LOGIN_FAILURES_ALLOWED = 10;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;

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

type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Read a request body up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading anything; a chunked body is cut off as soon as it passes the limit.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ ok: false, reason: 'too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/** The media type of a Content-Type header, lowercased, without parameters. */
function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
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

/** Totals per category and outcome, and per detector and outcome, for the summary API. */
export function totalsOf(summary: Summary) {
  const nav = new Map<string, { category: string; outcome: string; count: number }>();
  for (const r of summary.navigation) {
    const key = `${r.category}\u0000${r.outcome}`;
    const seen = nav.get(key);
    if (seen) seen.count += r.count;
    else nav.set(key, { category: r.category, outcome: r.outcome, count: r.count });
  }
  const mail = new Map<string, { detector: string; outcome: string; count: number }>();
  for (const r of summary.email) {
    const key = `${r.detector}\u0000${r.outcome}`;
    const seen = mail.get(key);
    if (seen) seen.count += r.count;
    else mail.set(key, { detector: r.detector, outcome: r.outcome, count: r.count });
  }
  const byName = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return {
    navigationTotals: [...nav.values()].sort(byName),
    emailTotals: [...mail.values()].sort(byName),
  };
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
  const loginFailures = new Map<string, { count: number; since: number }>();

  const isSecure = (req: IncomingMessage): boolean =>
    config.secureCookies || req.headers['x-forwarded-proto'] === 'https';

  async function signedIn(req: IncomingMessage): Promise<boolean> {
    const id = cookieValue(req, SESSION_COOKIE);
    if (!id || !config.adminPassword) return false;
    return store.sessionValid(sessionHash(id), Date.now());
  }

  /**
   * Whether the signed-in admin may do what `role` allows. One shared admin password today: a
   * signed-in admin has every role (named accounts and roles replace this in one place).
   */
  async function requireRole(req: IncomingMessage, _role: 'it'): Promise<boolean> {
    return signedIn(req);
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
    const result = await store.ingest(parsed.batch, Date.now(), tid);
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

  function clientKey(req: IncomingMessage): string {
    return req.socket.remoteAddress ?? 'unknown';
  }

  async function login(req: IncomingMessage, res: ServerResponse, note: RequestNote) {
    if (req.method === 'GET') {
      if (await signedIn(req)) return redirect(res, '/');
      return sendHtml(res, 200, loginPage({ disabled: !config.adminPassword }));
    }
    if (req.method !== 'POST') {
      note.error = 'method_not_allowed';
      res.writeHead(405, { Allow: 'GET, POST', 'Content-Length': 0 });
      res.end();
      return;
    }
    if (!config.adminPassword) {
      return sendHtml(res, 403, loginPage({ disabled: true }));
    }
    const key = clientKey(req);
    const now = Date.now();
    const failures = loginFailures.get(key);
    if (failures && now - failures.since > LOGIN_WINDOW_MS) loginFailures.delete(key);
    const recent = loginFailures.get(key);
    if (recent && recent.count >= LOGIN_FAILURES_ALLOWED) {
      note.error = 'login_throttled';
      return sendHtml(
        res,
        429,
        loginPage({ error: 'Too many wrong passwords. Wait 15 minutes, then try again.' }),
        { 'Retry-After': String(Math.ceil((recent.since + LOGIN_WINDOW_MS - now) / 1000)) },
      );
    }
    const body = await readBody(req, LOGIN_BODY_LIMIT);
    const form = new URLSearchParams(body.ok ? body.body.toString('utf8') : '');
    const password = form.get('password') ?? '';
    if (!body.ok || !secretEquals(password, config.adminPassword)) {
      note.error = 'login_failed';
      const entry = loginFailures.get(key) ?? { count: 0, since: now };
      entry.count += 1;
      loginFailures.set(key, entry);
      return sendHtml(res, 401, loginPage({ error: 'That password is not right. Try again.' }));
    }
    loginFailures.delete(key);
    const id = newSessionId();
    await store.createSession(sessionHash(id), now + SESSION_HOURS * 3600 * 1000);
    redirect(res, '/', { 'Set-Cookie': sessionCookie(id, isSecure(req)) });
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

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, note: RequestNote) {
    if (!(await signedIn(req))) {
      note.error = 'sign_in_required';
      sendJson(res, 401, { error: 'sign_in_required', message: 'Sign in to the dashboard first.' });
      return;
    }
    if (req.method !== 'GET') {
      note.error = 'method_not_allowed';
      sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
      return;
    }
    if (url.pathname === '/api/installations') {
      sendJson(res, 200, {
        now: new Date().toISOString(),
        installations: await store.installations(),
      });
      return;
    }
    const range = rangeFrom(url);
    if (!range.ok) {
      note.error = 'invalid_range';
      sendJson(res, 400, { error: 'invalid_range', message: range.message });
      return;
    }
    const summary = await store.summary(range.from, range.to);
    if (url.pathname === '/api/summary') {
      sendJson(res, 200, { ...summary, ...totalsOf(summary) });
      return;
    }
    const csv = countsCsv(summary);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="steward-counts-${range.from}-to-${range.to}.csv"`,
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(csv),
    });
    res.end(csv);
  }

  async function health(res: ServerResponse, note: RequestNote) {
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
      note.error = 'database_unavailable';
      sendJson(res, 503, {
        ok: false,
        store: store.kind,
        database: `unavailable: ${(err as Error).message}`,
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
    '/healthz': (_req, res, _url, note) => health(res, note),
    '/favicon.ico': async (_req, res) => {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      res.end();
    },
    '/login': (req, res, _url, note) => login(req, res, note),
    '/logout': (req, res, _url, note) => logout(req, res, note),
    '/api/summary': api,
    '/api/installations': api,
    '/api/export.csv': api,
    // Access requests and rule lists managed on the dashboard (issue 12, parts 1 and 2).
    ...accessRoutes(
      {
        sendJson,
        readBody,
        requireRole: (req) => requireRole(req, 'it'),
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
      if (!(await signedIn(req))) return redirect(res, '/login');
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
