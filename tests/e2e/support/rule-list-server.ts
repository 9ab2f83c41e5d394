/**
 * A signed rule list served at a real hostname by the shared site server, for the specs that need
 * one (rule-list, locked-categories). `publish` swaps what is served; `stop` removes the handler.
 */
import type { SiteServer } from './sites.ts';

export const RULE_LIST_HOST = 'rules.stmarys-school.org.uk';
export const LIST_URL = `https://${RULE_LIST_HOST}/steward/list.json`;

export type Published = { body: Buffer; sig: string } | 'down';

export function serveList(sites: SiteServer) {
  let published: Published = 'down';
  const stop = sites.handle((req, res) => {
    if (req.headers.host?.split(':')[0] !== RULE_LIST_HOST) return false;
    if (published === 'down') {
      res.writeHead(503).end('unavailable');
      return true;
    }
    if (req.url === '/steward/list.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(published.body);
    else if (req.url === '/steward/list.json.sig') res.writeHead(200).end(published.sig);
    else res.writeHead(404).end();
    return true;
  });
  const publish = (next: Published) => {
    published = next;
  };
  return { publish, stop };
}
