/**
 * Issue 12 part 5 end to end: with `reportDetail: "events"` a blocked navigation reaches the real
 * admin server (its own process, SQLite) as an event carrying the registrable domain only — the
 * stored row is read straight from the database and holds no path, query or sub-domain — and the
 * popup tells the member of staff. With the default (`counts`) only counts arrive: no event row.
 * Also `reportGroup` travels with the batch and the installation is listed under its group.
 *
 * Without the extension (STEWARD_E2E_WITHOUT_EXTENSION=1) nothing reaches the server and every
 * test fails.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import type { UploadResult } from '../../lib/report/index.ts';
import { getJson, type RunningServer, signIn, startServer } from '../server/harness.ts';
import { applyPolicy, EXTENSION_ID, expect, test, WITHOUT_EXTENSION } from './support/extension.ts';

const TOKEN = 'e2e-detail-token-51a9';
const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;

let server: RunningServer;
let cookie: string;
let admin: Page;

function policy(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    reportUrl: `http://localhost:${new URL(server.url).port}/v1/reports`,
    reportToken: TOKEN,
    reportIntervalMinutes: 60,
    reportGroup: 'North School',
    blockList: ['example.net'],
    ...extra,
  };
}

type EventRow = Record<string, string | number | null>;

function storedEvents(): EventRow[] {
  const db = new Database(path.join(server.dataDir, 'steward.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY at_ms').all() as EventRow[];
  } catch {
    return []; // no table yet: the server has not started its migrations
  } finally {
    db.close();
  }
}

/** "Send counts now" until nothing is left (the options page's admin action). */
async function sendAll(): Promise<void> {
  if (WITHOUT_EXTENSION) return;
  for (let i = 0; i < 10; i++) {
    const result = (await admin.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      };
      return chrome.runtime.sendMessage({ type: 'options/sendReportsNow' });
    })) as UploadResult;
    if (result.outcome === 'idle') return;
    expect(['done', 'idle'], JSON.stringify(result)).toContain(result.outcome);
  }
}

async function blockedCount(category: string): Promise<number> {
  const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const { json } = await getJson(server.url, `/api/summary?from=${from}&to=${to}`, cookie);
  return (json.navigation as { category: string; outcome: string; count: number }[])
    .filter((r) => r.category === category && r.outcome === 'blocked')
    .reduce((n, r) => n + r.count, 0);
}

async function visitBlocked(page: Page, url: string): Promise<void> {
  await page.goto(url);
  if (!WITHOUT_EXTENSION) await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}`));
}

test.describe('detailed events only where the school chooses them', () => {
  test.beforeAll(async ({ browserContext }) => {
    server = await startServer({ STEWARD_REPORT_TOKENS: TOKEN });
    cookie = (await signIn(server.url)).cookie;
    admin = await browserContext.newPage();
    if (!WITHOUT_EXTENSION) await admin.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    // Counts (and events) left by earlier specs in this shared browser go first.
    await applyPolicy(browserContext, policy({}));
    await sendAll();
  });

  test.afterAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null).catch(() => undefined);
    await admin?.close();
    await server?.stop();
  });

  test('with reportDetail "events", a blocked navigation arrives as its registrable domain only', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, policy({ reportDetail: 'events' }));
    const before = storedEvents().length;
    const gamblingBefore = await blockedCount('gambling');

    await visitBlocked(page, 'https://sports.bet365.com/en/football/match?stake=50&user=jo#odds');
    await visitBlocked(page, 'https://shop.example.net/basket?item=42');
    // The popup says so, in plain words.
    const popup = await browserContext.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('report-detail')).toContainText("site's main address");
    await popup.close();

    await expect
      .poll(
        async () => {
          await sendAll();
          return storedEvents().length - before;
        },
        {
          timeout: 15_000,
        },
      )
      .toBe(2);
    const rows = storedEvents().slice(before);
    expect(rows.map((r) => [r.category, r.outcome, r.domain])).toEqual([
      ['gambling', 'blocked', 'bet365.com'],
      ['blocklist', 'blocked', 'example.net'],
    ]);
    for (const row of rows) {
      const stored = JSON.stringify(row);
      for (const leaked of [
        'sports.',
        'shop.',
        'football',
        'match',
        'stake',
        'user=',
        'basket',
        'item',
        'odds',
        '/',
        '?',
        '#',
      ]) {
        expect(stored, `the stored event must not contain "${leaked}"`).not.toContain(leaked);
      }
      expect(row.report_group).toBe('North School');
      expect(Math.abs(Number(row.at_ms) - Date.now())).toBeLessThan(5 * 60_000);
    }
    expect(await blockedCount('gambling')).toBe(gamblingBefore + 1);
    const { json } = await getJson(server.url, '/api/installations', cookie);
    expect((json.installations as { group: string | null }[])[0]?.group).toBe('North School');
  });

  test('with the default ("counts"), the count arrives and no event does', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, policy({}));
    const popup = await browserContext.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('policy-source')).toBeVisible();
    await expect(popup.getByTestId('report-detail')).toHaveCount(0);
    await popup.close();

    const before = storedEvents().length;
    const gamblingBefore = await blockedCount('gambling');
    await visitBlocked(page, 'https://www.williamhill.com/betting?x=1');
    await expect
      .poll(
        async () => {
          await sendAll();
          return blockedCount('gambling');
        },
        { timeout: 15_000 },
      )
      .toBe(gamblingBefore + 1);
    expect(storedEvents().length).toBe(before);
  });
});
