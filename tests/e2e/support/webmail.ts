/**
 * Helpers for the send-warning specs: webmail fixture pages served at their real hostnames, and
 * what Steward recorded (outcome counts in the report store, adapter health in storage), read
 * from its service worker.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { serviceWorkerOf, WITHOUT_EXTENSION } from './extension.ts';
import type { SiteServer } from './sites.ts';

export type FixtureService = 'gmail' | 'outlook' | 'yahoo';

export const FIXTURE_HOSTS: Record<string, FixtureService> = {
  'mail.google.com': 'gmail',
  'outlook.office.com': 'outlook',
  'outlook.office365.com': 'outlook',
  'outlook.live.com': 'outlook',
  'mail.yahoo.com': 'yahoo',
};

const FIXTURE_DIR = resolve('tests/fixtures/webmail');

/** Serve tests/fixtures/webmail/<service>.html at each service's real hostnames. */
export function serveWebmailFixtures(sites: SiteServer): () => void {
  return sites.handle((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const service = FIXTURE_HOSTS[host];
    if (!service || req.url?.startsWith('/favicon')) return false;
    // Read on every request, so an edited fixture needs no restart.
    const html = readFileSync(resolve(FIXTURE_DIR, `${service}.html`), 'utf8');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
    return true;
  });
}

export type ComposeContent = {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  body?: string;
  attachments?: string[];
};

export type SentMessage = {
  compose: number;
  via: 'click' | 'key' | 'shortcut';
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
};

type FixtureWindow = {
  __fixture: {
    set(index: number, content: ComposeContent): void;
    read(index: number): Omit<SentMessage, 'compose' | 'via'>;
  };
  __sent: SentMessage[];
};

export async function fillCompose(page: Page, index: number, content: ComposeContent) {
  await page.evaluate(([i, c]) => (window as unknown as FixtureWindow).__fixture.set(i, c), [
    index,
    content,
  ] as const);
}

export async function readCompose(page: Page, index: number) {
  return page.evaluate((i) => (window as unknown as FixtureWindow).__fixture.read(i), index);
}

export async function sentMessages(page: Page): Promise<SentMessage[]> {
  return page.evaluate(() => (window as unknown as FixtureWindow).__sent);
}

/** Email outcome counts in Steward's report store, as `detector outcome` → count. */
export async function emailCounts(context: BrowserContext): Promise<Record<string, number>> {
  if (WITHOUT_EXTENSION) return {};
  const worker = await serviceWorkerOf(context);
  return worker.evaluate(
    () =>
      new Promise<Record<string, number>>((resolveCounts, reject) => {
        const open = indexedDB.open('steward-reports');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('counters')) {
            db.close();
            resolveCounts({});
            return;
          }
          const all = db.transaction('counters').objectStore('counters').getAll();
          all.onsuccess = () => {
            const out: Record<string, number> = {};
            for (const row of all.result as {
              kind: string;
              key: string;
              outcome: string;
              count: number;
            }[]) {
              if (row.kind !== 'email') continue;
              const k = `${row.key} ${row.outcome}`;
              out[k] = (out[k] ?? 0) + row.count;
            }
            db.close();
            resolveCounts(out);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** Counts added between two readings. */
export function countsAdded(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

/** Adapter health problems Steward recorded (`service: problem` → count). */
export async function adapterHealth(context: BrowserContext): Promise<Record<string, number>> {
  if (WITHOUT_EXTENSION) return {};
  const worker = await serviceWorkerOf(context);
  const raw = await worker.evaluate(async () => {
    type Local = { get(key: string): Promise<Record<string, unknown>> };
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: Local } } };
    const { adapterHealth } = await chrome.storage.local.get('adapterHealth');
    return (adapterHealth ?? {}) as Record<string, number>;
  });
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k.replace('\u0000', ': '), v] as const),
  );
}

/** Timings of send checks the content script made on this page (performance.measure entries). */
export async function sendCheckTimings(
  page: Page,
): Promise<{ checkMs: number; readMs: number; reused: boolean }[]> {
  return page.evaluate(() =>
    performance.getEntriesByName('steward:send-check').map((e) => {
      const detail = (e as PerformanceMeasure).detail as {
        readMs?: number;
        reused?: boolean;
      } | null;
      return { checkMs: e.duration, readMs: detail?.readMs ?? -1, reused: detail?.reused === true };
    }),
  );
}

/** The content script's idle pre-reads of long drafts (counts and times, no content). */
export async function preReads(
  page: Page,
  after = 0,
): Promise<{ chars: number; ms: number; reused: boolean; at: number }[]> {
  return page.evaluate(
    (after) =>
      performance
        .getEntriesByName('steward:pre-read')
        .filter((m) => m.startTime > after)
        .map((m) => ({
          ...((m as PerformanceMark).detail as { chars: number; ms: number; reused: boolean }),
          at: m.startTime,
        })),
    after,
  );
}

/**
 * The page's clock now (`performance.now()`). A pre-read marked after it read the drafts as they
 * are now or later: the read ahead reads the draft and marks in one task, so no key typed before
 * this moment can land between its read and its mark.
 */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}
