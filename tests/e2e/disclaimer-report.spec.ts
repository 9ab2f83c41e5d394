/**
 * Issue 13 part 5 end to end: what staff did about the school's disclaimer reminder travels from a
 * real Chromium + the Gmail fixture to the real reference admin server (server/main.ts, its own
 * process, embedded SQLite), is counted there once, and shows in the admin's dashboard, while
 * nothing of the draft (words, subject, recipient, the disclaimer added to it) is in any upload.
 *
 *   Gmail fixture (content script) → service worker → IndexedDB counters → batch
 *      └─ POST http://localhost:<proxy>/v1/reports ─► recording proxy ─► admin server ─► SQLite
 *
 * The proxy (tests/e2e/support/flaky-proxy.ts, always passing here) keeps each report's request
 * body, which is how the test reads exactly what left the browser.
 *
 * Without the extension (STEWARD_E2E_WITHOUT_EXTENSION=1) no reminder appears, the fixture sends at
 * once and nothing reaches the server: the test fails.
 */
import type { Page } from '@playwright/test';
import { dayOf } from '../../lib/report/day.ts';
import type { UploadResult } from '../../lib/report/index.ts';
import { getJson, type RunningServer, signIn, startServer } from '../server/harness.ts';
import { applyPolicy, EXTENSION_ID, expect, test, WITHOUT_EXTENSION } from './support/extension.ts';
import { type FlakyProxy, startFlakyProxy } from './support/flaky-proxy.ts';
import {
  countsAdded,
  emailCounts,
  fillCompose,
  readCompose,
  sentMessages,
  serveWebmailFixtures,
} from './support/webmail.ts';

const TOKEN = 'e2e-disclaimer-token-3d81';
const PASSWORD = 'e2e admin passphrase for the disclaimer counts';
const ORG = 'stmarys-school.org.uk';
const OUTSIDE = 'bramcote.parents@gmail.com';
const DISCLAIMER =
  "This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please tell St Mary's School and delete it.";
/** A harmless draft whose every word is unusual, so any of it in an upload would be telling. */
const DRAFTS = [
  {
    subject: 'Orienteering Wednesday',
    body: 'Dear Mrs Featherstonehaugh,\nWellingtons are needed for the Bramcote orienteering; the minibus leaves promptly.\nMr Okonkwo',
  },
  {
    subject: 'Harvest festival marrows',
    body: 'Dear Mr Quartermaine,\nThank you for the enormous marrows and the gooseberry chutney for harvest festival.\nMiss Ravensworth',
  },
] as const;

type EmailDay = { day: string; detector: string; outcome: string; count: number };

let server: RunningServer;
let proxy: FlakyProxy;
let cookie: string;
let admin: Page;
let stopServing: (() => void) | null = null;

const today = () => dayOf(Date.now(), 'Europe/London');

/** The disclaimer outcomes the server holds, per outcome, around today. */
async function serverDisclaimerCounts(): Promise<Record<string, number>> {
  const day = Date.parse(`${today()}T12:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const { status, json } = await getJson(
    server.url,
    `/api/summary?from=${iso(day - 2 * 86_400_000)}&to=${iso(day + 2 * 86_400_000)}`,
    cookie,
  );
  expect(status).toBe(200);
  const out: Record<string, number> = {};
  for (const r of json.email as EmailDay[]) {
    if (r.detector === 'disclaimer') out[r.outcome] = (out[r.outcome] ?? 0) + r.count;
  }
  return out;
}

/** "Send counts now" (the options page's admin action) until the browser holds nothing more. */
async function sendUntilIdle(): Promise<void> {
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
  throw new Error('the browser still held counts after 10 uploads');
}

const reminder = (page: Page) => page.getByRole('dialog', { name: 'Add the school’s disclaimer?' });

async function clickSend(page: Page, index: number) {
  const send = page.locator(`[data-compose-index="${index}"] [data-tooltip^="Send"]`);
  await send.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await send.click();
}

function difference(before: Record<string, number>, after: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) {
    const d = n - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

test.describe('disclaimer reminder counts reach the admin server', () => {
  test.beforeAll(async ({ browserContext, sites }) => {
    server = await startServer({
      STEWARD_REPORT_TOKENS: TOKEN,
      STEWARD_ADMIN_PASSWORD: PASSWORD,
    });
    proxy = await startFlakyProxy(server.url);
    const login = await signIn(server.url, PASSWORD);
    expect(login.status).toBe(303);
    cookie = login.cookie;
    stopServing = serveWebmailFixtures(sites);
    admin = await browserContext.newPage();
    if (!WITHOUT_EXTENSION) await admin.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await applyPolicy(browserContext, {
      orgDomains: [ORG],
      schoolName: "St Mary's School",
      categories: { webmail: 'allow' },
      compose: { disclaimer: DISCLAIMER },
      reportUrl: `${proxy.origin}/v1/reports`,
      reportToken: TOKEN,
      reportIntervalMinutes: 60,
    });
    // Counts left by earlier specs in this shared browser go first.
    await sendUntilIdle();
  });

  test.afterAll(async ({ browserContext }) => {
    stopServing?.();
    await applyPolicy(browserContext, null).catch(() => undefined);
    await admin?.close();
    await proxy?.close();
    await server?.stop();
  });

  test('went back, sent without and added: each outcome counted once on the server and shown on the dashboard; no word of the drafts uploaded', async ({
    page,
    browserContext,
  }) => {
    const serverBefore = await serverDisclaimerCounts();
    const localBefore = await emailCounts(browserContext);
    const from = proxy.reports().length;

    await page.goto('https://mail.google.com/mail/');
    await page.waitForFunction(() => '__fixture' in window);
    await fillCompose(page, 0, { to: [OUTSIDE], ...DRAFTS[0] });
    await fillCompose(page, 1, { to: [OUTSIDE], ...DRAFTS[1] });
    const unchanged = await readCompose(page, 0);

    // First draft: Go back, then "Send without it".
    await clickSend(page, 0);
    // Without Steward the fixture has already sent, and there is no reminder.
    await expect(reminder(page)).toBeVisible();
    expect(await sentMessages(page)).toEqual([]);
    await reminder(page).getByRole('button', { name: 'Go back' }).click();
    await expect(reminder(page)).toHaveCount(0);
    expect(await sentMessages(page)).toEqual([]);
    await clickSend(page, 0);
    await reminder(page).getByRole('button', { name: 'Send without it' }).click();
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    expect((await sentMessages(page))[0]).toMatchObject({ compose: 0, ...unchanged });

    // Second draft: "Add it and send".
    await clickSend(page, 1);
    await reminder(page).getByRole('button', { name: 'Add it and send' }).click();
    await expect.poll(() => sentMessages(page)).toHaveLength(2);
    expect((await sentMessages(page))[1]!.body.trimEnd().endsWith(DISCLAIMER)).toBe(true);

    const expected = { reminded: 3, went_back: 1, sent_without_disclaimer: 1, disclaimer_added: 1 };
    // In the browser's store first (the content script tells the worker asynchronously)...
    await expect
      .poll(async () => countsAdded(localBefore, await emailCounts(browserContext)))
      .toEqual(
        Object.fromEntries(Object.entries(expected).map(([o, n]) => [`disclaimer ${o}`, n])),
      );
    // ...then uploaded, and stored by the server exactly once.
    await sendUntilIdle();
    const serverAfter = await serverDisclaimerCounts();
    expect(difference(serverBefore, serverAfter)).toEqual(expected);

    // What left the browser: report batches of counts, the disclaimer rows among them, and not
    // one word of either draft, its subject, its recipient or the disclaimer added to it.
    const uploads = proxy
      .reports()
      .slice(from)
      .map((e) => e.requestBody ?? '');
    const rows = uploads.flatMap((b) => (JSON.parse(b) as { email: EmailDay[] }).email);
    expect(rows.filter((r) => r.detector === 'disclaimer').length).toBeGreaterThan(0);
    expect(rows.every((r) => r.day === today())).toBe(true);
    const words = new Set(
      [OUTSIDE, DISCLAIMER, ...DRAFTS.flatMap((d) => [d.subject, d.body])]
        .join(' ')
        .toLowerCase()
        .match(/[a-z]{4,}/g),
    );
    // Two words of the drafts are the batch's own vocabulary, not content: `email` (the key of
    // the email counts) and `disclaimer` (the detector's name).
    words.delete('email');
    words.delete('disclaimer');
    const uploaded = new Set(
      uploads
        .join('\n')
        .toLowerCase()
        .match(/[a-z]+/g),
    );
    expect([...words].filter((w) => uploaded.has(w))).toEqual([]);
    const everything = uploads.join('\n').toLowerCase();
    for (const phrase of [OUTSIDE, ...DRAFTS.flatMap((d) => [d.subject, ...d.body.split('\n')])]) {
      expect(everything).not.toContain(phrase.toLowerCase());
    }

    // The admin's view: sign in through the real form; the disclaimer table shows the server's
    // totals (this server is the spec's own, so they are this test's counts).
    const dashboard = await browserContext.newPage();
    await dashboard.goto(`http://localhost:${new URL(server.url).port}/`);
    await dashboard.getByLabel('Email address or account name').fill('admin');
    await dashboard.getByLabel('Password').fill(PASSWORD);
    await dashboard.getByRole('button', { name: 'Sign in' }).click();
    const table = dashboard
      .locator('section[aria-labelledby="email"] table')
      .filter({ hasText: "Reminders about the school's disclaimer" });
    await expect(table.locator('thead th')).toHaveText([
      'Reminder',
      'Reminded',
      'Added the disclaimer',
      'Sent without it',
      'Went back',
    ]);
    await expect(table.locator('tbody tr th')).toHaveText("The school's disclaimer");
    await expect(table.locator('tbody tr td')).toHaveText(
      [
        serverAfter.reminded,
        serverAfter.disclaimer_added,
        serverAfter.sent_without_disclaimer,
        serverAfter.went_back,
      ].map((n) => String(n)),
    );
    await dashboard.close();
  });
});
