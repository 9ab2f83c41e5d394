/**
 * A signed rule list served at a real hostname by the shared site server, for the specs that need
 * one (rule-list, locked-categories). `publish` swaps what is served; `stop` removes the handler.
 */
import { createHash } from 'node:crypto';
import type { SiteServer } from './sites.ts';

export const RULE_LIST_HOST = 'rules.stmarys-school.org.uk';
export const LIST_URL = `https://${RULE_LIST_HOST}/steward/list.json`;

export type Published =
  | {
      body: Buffer;
      sig: string;
      /** The change document published beside the list (`list.json.changes` and its `.sig`). */
      changes?: { body: Buffer; sig: string };
      /** Hold the list's body back this long after its headers (a slow download). */
      bodyDelayMs?: number;
      /** Added to each path in `served` (e.g. the version), to tell versions apart. */
      tag?: string;
    }
  | 'down';

/** What each request for the list asked and got: conditional requests are checked by the specs. */
export type ListRequest = { ifNoneMatch: string | null; status: number };

export function serveList(sites: SiteServer) {
  let published: Published = 'down';
  /** Paths whose whole answer was sent, in order (`path#tag` when the version has a tag). */
  const served: string[] = [];
  const listRequests: ListRequest[] = [];
  const stop = sites.handle((req, res) => {
    if (req.headers.host?.split(':')[0] !== RULE_LIST_HOST) return false;
    if (published === 'down') {
      res.writeHead(503).end('unavailable');
      return true;
    }
    const now = published;
    const path = req.url ?? '';
    res.on('finish', () => served.push(now.tag ? `${path}#${now.tag}` : path));
    if (path === '/steward/list.json') {
      // A strong ETag, as a static host gives: an unchanged list is answered 304 without its body.
      const etag = `"${createHash('sha256').update(now.body).digest('hex').slice(0, 32)}"`;
      const ifNoneMatch = req.headers['if-none-match'] ?? null;
      const status = ifNoneMatch === etag ? 304 : 200;
      listRequests.push({ ifNoneMatch, status });
      if (status === 304) res.writeHead(304, { etag }).end();
      else {
        res.writeHead(200, { 'content-type': 'application/json', etag });
        if (now.bodyDelayMs) {
          // Node sends headers with the first body bytes unless told: send them now.
          res.flushHeaders();
          setTimeout(() => res.end(now.body), now.bodyDelayMs);
        } else res.end(now.body);
      }
    } else if (path === '/steward/list.json.sig') res.writeHead(200).end(now.sig);
    else if (path === '/steward/list.json.changes' && now.changes)
      res.writeHead(200, { 'content-type': 'application/json' }).end(now.changes.body);
    else if (path === '/steward/list.json.changes.sig' && now.changes)
      res.writeHead(200).end(now.changes.sig);
    else res.writeHead(404).end();
    return true;
  });
  const publish = (next: Published) => {
    published = next;
  };
  return { publish, stop, served, listRequests };
}
