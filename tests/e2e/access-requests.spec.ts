/**
 * Issue 12 end to end, in real Chromium with the extension against the real admin server
 * (server/main.ts, its own process): staff ask for a blocked site on the block page; the request
 * reaches the dashboard's inbox; the IT team approves it, which publishes a signed list; the
 * browser picks the list up, the site opens, and staff see the outcome on the block page and in
 * the popup. A rollback on the dashboard restores the old list in the browser. A request made
 * while the server cannot be reached arrives once when it is back. Offline signing round-trips:
 * the dashboard exports the draft, `steward rules sign` signs it, the dashboard takes the upload,
 * and the browser enforces it.
 *
 *   block page → service worker (storage.local queue) ─► flaky proxy ─► admin server
 *   dashboard (a page in the same browser, http://localhost:<server>) ─► admin server
 *
 * Without the extension (STEWARD_E2E_WITHOUT_EXTENSION=1) there is no block page to ask from and
 * no list enforced, so every test fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from '@playwright/test';
import { type RunningServer, repoRoot, signIn, startServer } from '../server/harness.ts';
import { axeViolations } from './support/axe.ts';
import {
  applyPolicy,
  EXTENSION_ID,
  enforcement,
  expect,
  serviceWorkerOf,
  test,
  WITHOUT_EXTENSION,
} from './support/extension.ts';
import { type FlakyProxy, startFlakyProxy } from './support/flaky-proxy.ts';

const run = promisify(execFile);
const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;
const TOKEN = 'e2e-access-token-51b2';
const PASSWORD = 'e2e admin passphrase for access requests';

type Json = Record<string, unknown>;

async function api(server: RunningServer, cookie: string, pathname: string, body?: unknown) {
  const res = await fetch(`${server.url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

/** Send a message to the worker from an extension page, as the options page would. */
async function fromExtensionPage(context: BrowserContext, message: unknown) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const reply = await page.evaluate(
    (m) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage(m),
    message,
  );
  await page.close();
  return reply as Json;
}

const refreshRuleList = (context: BrowserContext) =>
  fromExtensionPage(context, { type: 'options/refreshRuleList' });

async function expectBlocked(page: Page, url: string) {
  await page.goto(url);
  await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=gambling&m=block#`));
}

async function expectOpens(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('#site')).toHaveText(`Site ${new URL(url).hostname}`);
}

/** On the block page: open the form, say why, send. */
async function askForAccess(page: Page, reason: string) {
  await page.getByTestId('access-ask').click();
  await page.getByLabel('Why do you need it for your work?').fill(reason);
  await page.getByRole('button', { name: 'Send request' }).click();
}

/** A fresh browser's worker applies its first rules before a policy change can be seen. */
async function untilStarted(context: BrowserContext) {
  if (WITHOUT_EXTENSION) return;
  const worker = await serviceWorkerOf(context);
  await expect
    .poll(async () => (await enforcement(worker)) !== undefined, { timeout: 120_000 })
    .toBe(true);
}

async function signInOnDashboard(page: Page, server: RunningServer, password: string) {
  await page.goto(`${server.url.replace('127.0.0.1', 'localhost')}/login`);
  // The browser context lives for the whole file: after an earlier test signed in, /login
  // sends the still-signed-in admin straight to the dashboard.
  if (!new URL(page.url()).pathname.startsWith('/login')) {
    await expect(page.getByRole('navigation', { name: 'Dashboard' })).toBeVisible();
    return;
  }
  await page.getByLabel('Email address or account name').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Dashboard' })).toBeVisible();
}

test.describe('access requests and lists managed on the server', () => {
  let server: RunningServer;
  let proxy: FlakyProxy;
  let cookie: string;
  let publicKey: string;

  test.beforeAll(async ({ browserContext }) => {
    test.setTimeout(180_000);
    await untilStarted(browserContext);
    server = await startServer({
      STEWARD_REPORT_TOKENS: TOKEN,
      STEWARD_ADMIN_PASSWORD: PASSWORD,
    });
    proxy = await startFlakyProxy(server.url);
    cookie = (await signIn(server.url, PASSWORD)).cookie;
    publicKey = (await api(server, cookie, '/api/lists')).publicKey as string;
    // The first list: Steward's built-in categories, signed on the server.
    await api(server, cookie, '/api/lists/publish', {});
    await applyPolicy(browserContext, {
      reportUrl: `${proxy.origin}/v1/reports`,
      reportToken: TOKEN,
      ruleListUrl: `${proxy.origin}/v1/rule-list`,
      ruleListPublicKey: publicKey,
      accessRequest: { server: true, note: 'Or speak to the IT office in room 12.' },
    });
  });

  test.afterAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null).catch(() => undefined);
    await proxy?.close();
    await server?.stop();
  });

  test('a request from the block page is approved on the dashboard, published signed, and the site opens; a rollback closes it again', async ({
    browserContext,
    page,
  }) => {
    test.setTimeout(300_000);
    expect((await refreshRuleList(browserContext)).outcome).not.toBe('error');
    const first = (await api(server, cookie, '/api/lists')).current as { version: number };

    // Staff are blocked and ask.
    await expectBlocked(page, 'https://www.bet365.com/promotions');
    await askForAccess(page, 'Year 11 PSHE: showing how betting sites advertise.');
    await expect(page.getByTestId('access-outcome')).toContainText(/with the IT team|will be sent/);
    await expect(page.getByTestId('access-outcome')).toContainText('with the IT team', {
      timeout: 15_000,
    });
    expect(await axeViolations(page)).toEqual([]);

    // The dashboard's inbox has it, once, with the site and no path.
    const dashboard = await browserContext.newPage();
    await signInOnDashboard(dashboard, server, PASSWORD);
    await dashboard.goto(`${dashboard.url().split('#')[0]}#requests`);
    const request = dashboard.getByTestId('request').filter({ hasText: 'www.bet365.com' });
    await expect(request).toHaveCount(1);
    await expect(request).toContainText('Year 11 PSHE');
    await expect(request).not.toContainText('/promotions');
    expect(await axeViolations(dashboard)).toEqual([]);
    await request.getByLabel('For good').check();
    await request.getByLabel('Note to the member of staff (optional)').fill('Allowed for PSHE.');
    await request.getByRole('button', { name: 'Approve and publish' }).click();
    await expect(dashboard.getByTestId('requests-message')).toContainText('Decided');
    const approved = (await api(server, cookie, '/api/lists')).current as { version: number };
    expect(approved.version).toBeGreaterThan(first.version);

    // The next time Steward checks (here: staff open the popup), it learns the outcome, fetches
    // the list with the approval, and the site opens.
    const popup = await browserContext.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('access-requests')).toContainText('www.bet365.com');
    await expect(popup.getByTestId('access-requests')).toContainText('allowed this site', {
      timeout: 15_000,
    });
    expect(await axeViolations(popup)).toEqual([]);
    await popup.close();
    // That check fetched the list carrying the approval (nothing else asks for it here).
    await expect
      .poll(
        async () => {
          await page.goto('https://bet365.com/');
          return page.url().startsWith(BLOCK_PAGE);
        },
        { timeout: 15_000 },
      )
      .toBe(false);
    await expectBlocked(page, 'https://www.skybet.com/');
    // Back on the block page where staff asked, Steward shows the outcome.
    await page.goto('about:blank');
    await page.goto(`${BLOCK_PAGE}?c=gambling&m=block#https://www.bet365.com/promotions`);
    await expect(page.getByTestId('access-outcome')).toContainText('allowed this site');
    await expect(page.getByTestId('access-note')).toHaveText('Allowed for PSHE.');
    await page.getByRole('button', { name: 'Open the site' }).click();
    await expect(page.locator('#site')).toHaveText('Site www.bet365.com');
    await expectOpens(page, 'https://bet365.com/');

    // The lists page shows the history as dates; roll back to the first list.
    await dashboard.goto(`${dashboard.url().split('#')[0]}#lists`);
    await expect(dashboard.getByTestId('list-current')).toContainText(
      `(version ${approved.version})`,
    );
    expect(await axeViolations(dashboard)).toEqual([]);
    await dashboard.getByRole('button', { name: `Roll back to version ${first.version}` }).click();
    await expect(dashboard.getByTestId('lists-message')).toContainText('Rolled back');
    const rolled = (await api(server, cookie, '/api/lists')).current as { version: number };
    expect(rolled.version).toBeGreaterThan(approved.version);
    expect((await refreshRuleList(browserContext)).outcome).toBe('updated');
    await expectBlocked(page, 'https://www.bet365.com/');
    await expect(page.getByTestId('access-outcome')).toContainText('withdrew', {
      timeout: 15_000,
    });
    await dashboard.close();
  });

  test('a request made while the server cannot be reached arrives once when it is back', async ({
    browserContext,
    page,
  }) => {
    test.setTimeout(180_000);
    const inboxFor = async (site: string) =>
      (
        (await api(server, cookie, '/api/access-requests?status=all&limit=200')).requests as Json[]
      ).filter((r) => r.site === site);

    await proxy.setMode('refuse');
    await expectBlocked(page, 'https://www.williamhill.com/');
    await askForAccess(page, 'Checking an advert a parent complained about.');
    await expect(page.getByTestId('access-outcome')).toContainText('will be sent');
    // Still nothing on the server, however often Steward tries.
    await fromExtensionPage(browserContext, { type: 'accessRequests/state', check: true });
    expect(await inboxFor('www.williamhill.com')).toHaveLength(0);

    // Back, but the first answer is lost after the server stored the request: re-sent, stored once.
    await proxy.setMode('drop');
    await fromExtensionPage(browserContext, { type: 'accessRequests/state', check: true });
    await expect.poll(async () => (await inboxFor('www.williamhill.com')).length).toBe(1);
    await proxy.setMode('pass');
    await fromExtensionPage(browserContext, { type: 'accessRequests/state', check: true });
    const state = (await fromExtensionPage(browserContext, {
      type: 'accessRequests/state',
      check: false,
    })) as { state: { queue: unknown[] } };
    expect(state.state.queue).toHaveLength(0);
    expect(await inboxFor('www.williamhill.com')).toHaveLength(1);
    const dropped = proxy.reports().filter((e) => e.method === 'POST' && e.outcome === 'dropped');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    await page.reload();
    await expect(page.getByTestId('access-outcome')).toContainText('with the IT team');
  });

  test('a page cannot ask for a site Steward does not block, nor send a request itself', async ({
    browserContext,
  }) => {
    const before = (
      (await api(server, cookie, '/api/access-requests?status=all&limit=200')).requests as Json[]
    ).length;
    // From an extension page that is not the block page: the worker's message protocol
    // (lib/messages.ts) refuses a sender the message does not allow, and refused senders get no
    // reply at all. Nothing reaches the server (checked below).
    const notBlockPage = await fromExtensionPage(browserContext, {
      type: 'blockPage/requestAccess',
      url: 'https://www.paddypower.com/',
      reason: 'x',
    });
    expect(notBlockPage).toBeUndefined();
    // From the block page, for an address that is not blocked.
    const blockPage = await browserContext.newPage();
    await blockPage.goto(`${BLOCK_PAGE}?c=gambling&m=block#https://www.bbc.co.uk/news`);
    const reply = await blockPage.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage({
        type: 'blockPage/requestAccess',
        url: 'https://www.bbc.co.uk/news',
        reason: 'Pretending the news is gambling.',
      }),
    );
    expect(reply).toMatchObject({ ok: false, reason: 'not_blocked' });
    await blockPage.close();
    const after = (
      (await api(server, cookie, '/api/access-requests?status=all&limit=200')).requests as Json[]
    ).length;
    expect(after).toBe(before);
  });

  test("an approval for one group opens the site in that group's browsers only, judged by what the site server received", async ({
    browserContext,
    page,
    sites,
  }) => {
    test.setTimeout(300_000);
    const policy = {
      reportUrl: `${proxy.origin}/v1/reports`,
      reportToken: TOKEN,
      ruleListUrl: `${proxy.origin}/v1/rule-list`,
      ruleListPublicKey: publicKey,
      accessRequest: { server: true },
    };
    const reached = () =>
      sites.requestsTo('www.ladbrokes.com').length + sites.requestsTo('ladbrokes.com').length;
    try {
      // A browser of one school of the trust: its managed policy names its group.
      await applyPolicy(browserContext, { ...policy, reportGroup: 'Oakfield Primary' });
      await expectBlocked(page, 'https://www.ladbrokes.com/');
      // Its counts carry the group, so the server knows where the request comes from.
      await fromExtensionPage(browserContext, { type: 'options/sendReportsNow' });
      await askForAccess(page, 'Oakfield Year 6 maths: odds and probability.');
      await expect(page.getByTestId('access-outcome')).toContainText('with the IT team', {
        timeout: 15_000,
      });

      // The inbox shows the asker's group and offers it as who gets access.
      const dashboard = await browserContext.newPage();
      await signInOnDashboard(dashboard, server, PASSWORD);
      await dashboard.goto(`${dashboard.url().split('#')[0]}#requests`);
      const request = dashboard.getByTestId('request').filter({ hasText: 'www.ladbrokes.com' });
      await expect(request).toHaveCount(1);
      await expect(request).toContainText('Oakfield Primary');
      await expect(request.getByLabel('Who gets access')).toHaveValue('Oakfield Primary');
      expect(await axeViolations(dashboard)).toEqual([]);
      await request.getByLabel('For good').check();
      await request.getByRole('button', { name: 'Approve and publish' }).click();
      await expect(dashboard.getByTestId('requests-message')).toContainText('Decided');
      await dashboard.close();

      // The group's browser picks the list up and the site opens: the site server gets it.
      expect((await refreshRuleList(browserContext)).outcome).not.toBe('error');
      const beforeOpen = reached();
      await expect
        .poll(
          async () => {
            await page.goto('https://www.ladbrokes.com/');
            return page.url().startsWith(BLOCK_PAGE);
          },
          { timeout: 15_000 },
        )
        .toBe(false);
      expect(reached()).toBeGreaterThan(beforeOpen);

      // The same signed list in another school's browser, and in one with no group: still
      // blocked, and nothing reaches the site.
      for (const other of [{ ...policy, reportGroup: 'Riverside Academy' }, policy]) {
        await applyPolicy(browserContext, other);
        const before = reached();
        await expectBlocked(page, 'https://www.ladbrokes.com/');
        await expectBlocked(page, 'https://ladbrokes.com/sports');
        expect(reached()).toBe(before);
      }
    } finally {
      await applyPolicy(browserContext, {
        ...policy,
        accessRequest: { server: true, note: 'Or speak to the IT office in room 12.' },
      }).catch(() => undefined);
    }
  });
});

test('offline signing: the dashboard exports the draft, steward rules sign signs it, the upload is published and enforced', async ({
  browserContext,
  page,
}) => {
  test.setTimeout(300_000);
  await untilStarted(browserContext);
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'steward-offline-key-'));
  const cli = (...args: string[]) =>
    run(process.execPath, [path.join(repoRoot, 'bin/steward.js'), 'rules', ...args], {
      cwd: keyDir,
    });
  await cli('generate-key', '--out', keyDir);
  const publicKey = readFileSync(path.join(keyDir, 'rule-list-public.txt'), 'utf8').trim();
  const server = await startServer({
    STEWARD_REPORT_TOKENS: TOKEN,
    STEWARD_ADMIN_PASSWORD: PASSWORD,
    STEWARD_RULE_LIST_SIGNING: 'offline',
    STEWARD_RULE_LIST_PUBLIC_KEY: publicKey,
  });
  const proxy = await startFlakyProxy(server.url);
  try {
    const dashboard = await browserContext.newPage();
    await signInOnDashboard(dashboard, server, PASSWORD);
    await dashboard.goto(`${dashboard.url().split('#')[0]}#lists`);
    // A block-list entry of the school's own, so the published list is visibly this one.
    await dashboard.getByRole('button', { name: 'Entries of the block list' }).click();
    await dashboard
      .getByLabel(/Add domains or address prefixes/)
      .fill('offline-signed.example.org');
    await dashboard.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dashboard.getByText('Added 1.')).toBeVisible();
    expect(await axeViolations(dashboard)).toEqual([]);

    const download = dashboard.waitForEvent('download');
    await dashboard.getByRole('link', { name: 'Export the draft to sign' }).click();
    const file = path.join(keyDir, (await download).suggestedFilename());
    await (await download).saveAs(file);
    const signed = await cli('sign', '--key', path.join(keyDir, 'rule-list-private.pem'), file);
    expect(signed.stdout).toContain(publicKey);

    await dashboard.getByLabel('Signed list (.json)').setInputFiles(file);
    await dashboard.getByLabel('Its signature (.json.sig)').setInputFiles(`${file}.sig`);
    await dashboard.getByRole('button', { name: 'Upload and publish' }).click();
    await expect(dashboard.getByTestId('lists-message')).toContainText('Published');
    await dashboard.close();

    await applyPolicy(browserContext, {
      ruleListUrl: `${proxy.origin}/v1/rule-list`,
      ruleListPublicKey: publicKey,
    });
    const refreshed = await refreshRuleList(browserContext);
    expect(refreshed.outcome).not.toBe('error');
    await page.goto('https://offline-signed.example.org/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=blockList&m=block#`));
  } finally {
    await applyPolicy(browserContext, null).catch(() => undefined);
    await proxy.close();
    await server.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
});
