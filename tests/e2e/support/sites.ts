/**
 * One local server that stands in for every real hostname: Chromium's `--host-resolver-rules`
 * maps all names to 127.0.0.1:<port>, and this server answers both HTTP and HTTPS on that port
 * (it looks at the first byte: 0x16 starts a TLS handshake). HSTS-preloaded hosts such as
 * youtube.com are upgraded to HTTPS before DNR sees them, so both schemes must work.
 *
 * Every request is recorded (host, path), so a test can prove a blocked host never reached the
 * network, not only that a page looked blocked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SeenRequest = {
  host: string;
  path: string;
  secure: boolean;
  at: number;
  /** Request headers as received (lower-case names), e.g. to check DNR modifyHeaders rules. */
  headers?: IncomingMessage['headers'];
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

export type SiteServer = {
  port: number;
  seen: SeenRequest[];
  /** Requests seen for a host (exact match, port stripped). */
  requestsTo(host: string): SeenRequest[];
  /**
   * Add a handler for special pages (it returns true when it handled the request). The server is
   * shared by every spec of the run, so remove the handler when done (the returned function),
   * or a later spec serving the same host meets this one first.
   */
  handle(handler: Handler): () => void;
  close(): Promise<void>;
};

export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=steward-test',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startSiteServer(): Promise<SiteServer> {
  const seen: SeenRequest[] = [];
  const handlers: Handler[] = [];
  const app = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
    seen.push({ host, path: req.url ?? '/', secure, at: Date.now(), headers: req.headers });
    for (const handler of handlers) if (handler(req, res)) return;
    if (req.url?.startsWith('/favicon')) {
      res.writeHead(404).end();
      return;
    }
    const frame = new URL(req.url ?? '/', 'http://x').searchParams.get('frame');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `<!doctype html><html lang="en"><head><title>${escapeHtml(host)}</title></head><body>` +
        `<h1 id="site">Site ${escapeHtml(host)}</h1><p id="path">${escapeHtml(req.url ?? '/')}</p>` +
        (frame ? `<iframe id="frame" title="embedded" src="${escapeHtml(frame)}"></iframe>` : '') +
        '</body></html>',
    );
  };
  const http = createHttpServer(app(false));
  const https = createHttpsServer(selfSignedCertificate(), app(true));
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return;
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  return {
    port,
    seen,
    // Page requests only: the browser's own favicon fetches are not visits.
    requestsTo: (host) => seen.filter((r) => r.host === host && !r.path.startsWith('/favicon')),
    handle: (handler) => {
      handlers.push(handler);
      return () => {
        const i = handlers.indexOf(handler);
        if (i !== -1) handlers.splice(i, 1);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        front.close(() => resolve());
      }),
  };
}
