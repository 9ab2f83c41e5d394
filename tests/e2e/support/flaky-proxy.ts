/**
 * A small controllable HTTP proxy in front of the real admin server, so the reporting e2e test
 * can make "the network" fail the ways the issue lists, from the browser's point of view:
 *
 * - `pass`    forward to the server and return its answer;
 * - `error500` answer 500 itself (the server never sees the request);
 * - `refuse`  stop listening: connections are refused, as when the server is down;
 * - `drop`    forward a report to the server, wait until the server has answered (so it HAS stored
 *             the batch), then destroy the browser's socket without an answer — the browser sees
 *             a network error and must re-send the same batch id;
 * - `hold`    keep reports without forwarding them until `release()` (to cut a request off
 *             mid-flight, e.g. by stopping the service worker; released requests are then
 *             forwarded late, as a slow network would).
 *
 * Every report request is logged with its batch id, the mode and what the server said, so the
 * test can prove a re-send carried the same batch id and the server counted it once.
 *
 * Every answer carries `Connection: close`: Chromium silently re-sends a request that failed on a
 * reused keep-alive socket, which would blur what the uploader itself did.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ProxyMode = 'pass' | 'error500' | 'refuse' | 'drop' | 'hold';

export type ProxyLogEntry = {
  at: number;
  method: string;
  path: string;
  mode: ProxyMode;
  batchId: string | null;
  /** What happened to the browser's request. */
  outcome: 'forwarded' | 'answered500' | 'dropped' | 'held' | 'released';
  /**
   * What the browser sent, for report requests (POST): so a test can prove an upload carries
   * counts only and nothing of a page or a draft email.
   */
  requestBody?: string;
  /** The server's status and body, when the request reached it. */
  serverStatus?: number;
  serverBody?: string;
  /** Whether the browser got the server's answer (false for drop, and for a released request whose browser side had gone). */
  answered?: boolean;
};

export type FlakyProxy = {
  port: number;
  /** `http://localhost:<port>` — localhost, because the e2e browser maps every other name (and 127.0.0.1) to the site server. */
  origin: string;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  log: ProxyLogEntry[];
  /** Report requests (POST) in the log. */
  reports(): ProxyLogEntry[];
  /** Requests currently held (mode `hold`). */
  held(): number;
  waitForHeld(n: number, timeoutMs?: number): Promise<void>;
  /** Forward every held request to the server now, answering the browser if it is still there. */
  release(): Promise<void>;
  close(): Promise<void>;
};

type Upstream = { status: number; headers: IncomingHttpHeaders; body: Buffer };

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function batchIdOf(body: Buffer): string | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { batchId?: unknown };
    return typeof parsed.batchId === 'string' ? parsed.batchId : null;
  } catch {
    return null;
  }
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') headers[k] = v;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function answer(res: ServerResponse, upstream: Upstream): boolean {
  if (res.destroyed || res.socket?.destroyed) return false;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  }
  headers['content-length'] = String(upstream.body.length);
  headers.connection = 'close';
  res.writeHead(upstream.status, headers).end(upstream.body);
  return true;
}

/** `upstreamUrl`: the real server's origin, e.g. `http://127.0.0.1:41234`. */
export async function startFlakyProxy(upstreamUrl: string): Promise<FlakyProxy> {
  const target = new URL(upstreamUrl);
  let mode: ProxyMode = 'pass';
  const log: ProxyLogEntry[] = [];
  const holding: {
    req: IncomingMessage;
    res: ServerResponse;
    body: Buffer;
    entry: ProxyLogEntry;
  }[] = [];
  const sockets = new Set<Socket>();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const isReport = req.method === 'POST';
    const entry: ProxyLogEntry = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '/',
      mode,
      batchId: isReport ? batchIdOf(body) : null,
      outcome: 'forwarded',
      ...(isReport ? { requestBody: body.toString('utf8') } : {}),
    };
    log.push(entry);
    try {
      if (mode === 'error500') {
        entry.outcome = 'answered500';
        res
          .writeHead(500, { 'content-type': 'text/plain', connection: 'close' })
          .end('proxy: the upstream server failed');
        return;
      }
      if (isReport && mode === 'hold') {
        entry.outcome = 'held';
        holding.push({ req, res, body, entry });
        return;
      }
      const upstream = await forward(target, req, body);
      entry.serverStatus = upstream.status;
      entry.serverBody = upstream.body.toString('utf8').slice(0, 500);
      if (isReport && mode === 'drop') {
        // The server has stored the batch and answered; the browser never hears of it.
        entry.outcome = 'dropped';
        entry.answered = false;
        req.socket.destroy();
        return;
      }
      entry.answered = answer(res, upstream);
    } catch (error) {
      entry.serverBody = `proxy error: ${error instanceof Error ? error.message : String(error)}`;
      if (!res.headersSent) res.writeHead(502, { connection: 'close' }).end('proxy: bad gateway');
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      // Open sockets (including held requests) die with the "server".
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;

  const proxy: FlakyProxy = {
    port,
    origin: `http://localhost:${port}`,
    get mode() {
      return mode;
    },
    async setMode(next) {
      if (next === 'refuse' && mode !== 'refuse') await stop();
      if (next !== 'refuse' && !server.listening) await listen(port);
      mode = next;
    },
    log,
    reports: () => log.filter((e) => e.method === 'POST'),
    held: () => holding.length,
    async waitForHeld(n, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (holding.length < n) {
        if (Date.now() > until) throw new Error(`only ${holding.length} of ${n} requests held`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async release() {
      for (const h of holding.splice(0)) {
        h.entry.outcome = 'released';
        try {
          const upstream = await forward(target, h.req, h.body);
          h.entry.serverStatus = upstream.status;
          h.entry.serverBody = upstream.body.toString('utf8').slice(0, 500);
          h.entry.answered = answer(h.res, upstream);
        } catch (error) {
          h.entry.serverBody = `proxy error: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
    },
    async close() {
      holding.length = 0;
      await stop();
    },
  };
  return proxy;
}
