/**
 * The enforcement core end to end (issue 10): the service worker decides, the block page only
 * asks; the rules are in force after a fresh install even when the worker is stopped at once, and
 * after a first policy Steward cannot use. Judged by what reached the local site server.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import {
  applyPolicy,
  EXTENSION_ID,
  expect,
  launchWithExtension,
  serviceWorkerOf,
  test,
  WITHOUT_EXTENSION,
  writePolicy,
} from './support/extension.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;

/** Send a message as the page itself would (the block page is an extension page). */
async function sendFrom(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate(async (m) => {
    const { chrome } = globalThis as unknown as {
      chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
    };
    return chrome.runtime.sendMessage(m).catch((e: unknown) => `error: ${String(e)}`);
  }, message);
}

test.describe('the block page only asks', () => {
  test.beforeAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, { categories: { social: 'warn' }, warnContinueMinutes: 5 });
  });
  test.afterAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null);
  });

  test('an edited address (?m=warn on a blocked site) shows no Continue, and Continue is refused', async ({
    page,
    sites,
  }) => {
    const before = sites.requestsTo('www.youtube.com').length;
    await page.goto(`${BLOCK_PAGE}?c=social&m=warn#https://www.youtube.com/watch?v=1`);
    // What the page shows comes from the rules in force, not its address.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This site is blocked');
    await expect(page.getByTestId('blocked-category')).toHaveText('Audio and video streaming');
    await expect(page.getByTestId('warn-continue')).toHaveCount(0);
    // Asked directly, the service worker refuses too.
    const reply = await sendFrom(page, {
      type: 'blockPage/continue',
      url: 'https://www.youtube.com/watch?v=1',
    });
    expect(reply).toMatchObject({ ok: false });
    await page.goto('https://www.youtube.com/watch?v=1');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=streaming&m=block#`));
    expect(sites.requestsTo('www.youtube.com').length).toBe(before);
  });

  test('a warned page pointed at a blocked host, or at a public suffix, opens nothing', async ({
    page,
    sites,
  }) => {
    const before = sites.requestsTo('www.youtube.com').length;
    await page.goto(`${BLOCK_PAGE}?c=social&m=warn#https://www.youtube.com/`);
    await expect(page.getByTestId('warn-continue')).toHaveCount(0);
    for (const url of ['https://www.youtube.com/', 'https://com/', 'https://co.uk/']) {
      expect(await sendFrom(page, { type: 'blockPage/continue', url }), url).toMatchObject({
        ok: false,
      });
    }
    await page.goto('https://www.youtube.com/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}`));
    expect(sites.requestsTo('www.youtube.com').length).toBe(before);
  });

  test('framed by a web page, the block page offers no Continue and the worker refuses it', async ({
    page,
    sites,
  }) => {
    const framedUrl = `${BLOCK_PAGE}?c=social&m=warn#https://www.reddit.com/r/x`;
    await page.goto(`https://www.example.org/lesson?frame=${encodeURIComponent(framedUrl)}`);
    const frame = page.frameLocator('#frame');
    await expect(frame.getByTestId('blocked-host')).toHaveText('www.reddit.com');
    await expect(frame.getByTestId('warn-continue')).toHaveCount(0);
    const inner = page.frames().find((f) => f.url().startsWith(BLOCK_PAGE));
    expect(inner, 'the block page frame').toBeTruthy();
    const reply = await inner!.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      };
      return chrome.runtime
        .sendMessage({ type: 'blockPage/continue', url: 'https://www.reddit.com/r/x' })
        .catch((e: unknown) => `error: ${String(e)}`);
    });
    expect(reply === undefined || typeof reply === 'string').toBe(true);
    const before = sites.requestsTo('www.reddit.com').length;
    await page.goto('https://www.reddit.com/r/x');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=warn#`));
    expect(sites.requestsTo('www.reddit.com').length).toBe(before);
  });
});

/** Navigate until the rules redirect `url` to the block page; returns ms from `since`. */
/**
 * How long a fresh install has to put rules in force. Without Steward nothing ever blocks, so the
 * proof that these tests need the extension (scripts/check-e2e-needs-extension.ts) waits seconds,
 * not the two minutes a stopped worker is allowed.
 */
const RULES_LIMIT_MS = WITHOUT_EXTENSION ? 5_000 : 120_000;

async function msUntilBlocked(page: Page, url: string, since: number, limitMs: number) {
  while (Date.now() - since < limitMs) {
    await page.goto(url).catch(() => undefined);
    if (page.url().startsWith(BLOCK_PAGE)) return Date.now() - since;
    await page.waitForTimeout(500);
  }
  return null;
}

async function freshInstall(
  sites: Parameters<typeof launchWithExtension>[0],
  policy: Record<string, unknown> | null,
) {
  writePolicy(policy);
  const launched = await launchWithExtension(sites);
  return launched;
}

async function close(launched: { context: BrowserContext; userDataDir: string }) {
  await launched.context.close();
  rmSync(launched.userDataDir, { recursive: true, force: true });
  writePolicy(null);
}

test.describe('rules always in force', () => {
  test.describe.configure({ timeout: 150_000 });

  for (const stopAfterMs of [300, 1_000]) {
    test(`a fresh install whose worker is stopped ${stopAfterMs} ms after install gets its rules`, async ({
      sites,
    }) => {
      const launched = await freshInstall(sites, null);
      const started = Date.now();
      try {
        const page = await launched.context.newPage();
        if (!WITHOUT_EXTENSION) {
          await serviceWorkerOf(launched.context);
          await page.waitForTimeout(Math.max(0, stopAfterMs - (Date.now() - started)));
          const cdp = await launched.context.newCDPSession(page);
          await cdp.send('ServiceWorker.enable');
          await cdp.send('ServiceWorker.stopAllWorkers');
        }
        const ms = await msUntilBlocked(page, 'https://www.youtube.com/', started, RULES_LIMIT_MS);
        console.log(
          `fresh install, worker stopped at ${stopAfterMs} ms: rules in force after ${ms ?? 'never'} ms`,
        );
        expect(ms, 'the default rules never came into force').not.toBeNull();
      } finally {
        await close(launched);
      }
    });
  }

  const unusable: [string, Record<string, unknown>][] = [
    [
      'an invalid mailbox key',
      { orgDomains: ['school.example'], mailbox: { restrictGoogleAccounts: 'yes' } },
    ],
    [
      'a block list over the rule limits',
      { blockList: Array.from({ length: 950 }, (_, i) => `example${i}.org/p`) },
    ],
    ['an invalid entry', { blockList: ['not a domain'] }],
  ];
  for (const [name, policy] of unusable) {
    test(`a first policy with ${name} leaves the built-in default in force`, async ({ sites }) => {
      const launched = await freshInstall(sites, policy);
      try {
        const page = await launched.context.newPage();
        const before = sites.requestsTo('www.youtube.com').length;
        const ms = await msUntilBlocked(
          page,
          'https://www.youtube.com/',
          Date.now(),
          WITHOUT_EXTENSION ? RULES_LIMIT_MS : 30_000,
        );
        expect(ms, 'the built-in default was not applied').not.toBeNull();
        // Only the navigations before the rules came into force can have reached the server.
        const reached = sites.requestsTo('www.youtube.com').length - before;
        await page.goto('https://www.bet365.com/');
        await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=gambling&m=block#`));
        expect(sites.requestsTo('www.youtube.com').length - before).toBe(reached);
        const popup = await launched.context.newPage();
        await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
        await expect(popup.getByTestId('policy-error')).toBeVisible();
        await expect(popup.getByTestId('policy-source')).toContainText('built-in default');
      } finally {
        await close(launched);
      }
    });
  }
});
