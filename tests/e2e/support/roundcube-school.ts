/**
 * A real Roundcube (support/roundcube.ts) as staff meet it: at a school hostname that policy
 * names in `webmailSites`, so Steward's runtime-registered webmail script runs on it exactly as
 * on a school's own webmail.
 *
 * Chromium maps every hostname to the shared site server; for the hosts added here that server
 * reverse-proxies to Roundcube's `php -S`.
 */
import { request as httpRequest } from 'node:http';
import type { BrowserContext } from '@playwright/test';
import { expect, serviceWorkerOf, WITHOUT_EXTENSION } from './extension.ts';
import type { RoundcubeEnv } from './roundcube.ts';
import type { SiteServer } from './sites.ts';

/** Roundcube instances served at school hostnames through the site server. */
export class SchoolWebmailHosts {
  private readonly targets = new Map<string, URL>();
  private removeHandler: (() => void) | null = null;

  /** Serve `env` at `host`; returns the same environment at the address staff use. */
  add(host: string, env: RoundcubeEnv): RoundcubeEnv {
    this.targets.set(host.toLowerCase(), new URL(env.url));
    return { ...env, url: `http://${host}/` };
  }

  /** Forward requests for the added hosts to Roundcube, keeping the Host header (cookies belong to it). */
  serveThrough(sites: SiteServer): void {
    if (this.removeHandler) return;
    this.removeHandler = sites.handle((req, res) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const target = this.targets.get(host);
      if (!target) return false;
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy error: ${e.message}`);
      });
      req.pipe(upstream);
      return true;
    });
  }

  /** Stop serving (the site server is shared by every spec of the run). */
  close(): void {
    this.targets.clear();
    this.removeHandler?.();
    this.removeHandler = null;
  }
}

/**
 * Waits until Steward has registered its webmail content script for `host`: policy reaches the
 * service worker asynchronously, and a page opened before that would run without Steward.
 */
export async function webmailScriptRegistered(
  context: BrowserContext,
  host: string,
): Promise<void> {
  if (WITHOUT_EXTENSION) return;
  const worker = await serviceWorkerOf(context);
  await expect
    .poll(
      () =>
        worker.evaluate(async () => {
          type Scripting = {
            getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]>;
          };
          const { chrome } = globalThis as unknown as { chrome: { scripting: Scripting } };
          const scripts = await chrome.scripting.getRegisteredContentScripts();
          return scripts.flatMap((s) => s.matches ?? []);
        }),
      { timeout: 10_000 },
    )
    .toContain(`http://${host}/*`);
}
