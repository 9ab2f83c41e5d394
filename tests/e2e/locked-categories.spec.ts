/**
 * Locked categories in the browser (issue 11 part 4): a category a signed rule list marks `locked`
 * (an IWF/CTIRU-style list) stays blocked although the school's policy sets it to warn and puts
 * its sites on the allow list, by domain and by URL prefix. Judged by what the local server
 * received: nothing, for every locked site. The block page offers no Continue and no access
 * request, only "Report a wrong block"; a hand-written continue or access request sent from the
 * block page itself is refused by the service worker, and nothing reaches the site or the school's
 * access-request server.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { serialiseRuleList } from '../../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../../lib/rule-list/signature.ts';
import { axeViolations } from './support/axe.ts';
import {
  EXTENSION_ID,
  enforcement,
  expect,
  launchWithExtension,
  serviceWorkerOf,
  test,
  writePolicy,
} from './support/extension.ts';
import { LIST_URL, serveList } from './support/rule-list-server.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;
const ACCESS_SERVER = 'steward.stmarys-school.org.uk';

/** Send a message from an extension page, as a member of staff could from its DevTools. */
function sendFrom(page: Page, message: Record<string, unknown>) {
  return page.evaluate(
    (m) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage(m),
    message,
  );
}

async function open(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test('a locked category holds against the allow list, warn mode and Continue; the block page offers a wrong-block report only', async ({
  sites,
}) => {
  test.setTimeout(120_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version: 1,
    issuedAt: new Date().toISOString(),
    categories: {
      extremism: { locked: true, domains: ['hate-site.example.net', 'locked-forum.example.org'] },
      gambling: { domains: ['bet365.com', 'listed-casino.example.com'] },
    },
  });
  const body = Buffer.from(text);
  publish({ body, sig: await signRuleList(new Uint8Array(body), keys.privateKeyPem) });

  // Anything posted to the school's access-request server is recorded.
  const posted: string[] = [];
  const stopAccessServer = sites.handle((req, res) => {
    if (req.headers.host?.split(':')[0] !== ACCESS_SERVER) return false;
    if (req.method === 'POST') posted.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"requests":[]}');
    return true;
  });

  writePolicy({
    ruleListUrl: LIST_URL,
    ruleListPublicKey: keys.publicKey,
    // The school tries to weaken the locked category in every way its policy can.
    categories: { extremism: 'warn' },
    allowList: [
      'hate-site.example.net',
      'https://locked-forum.example.org/research/',
      'bet365.com',
    ],
    accessRequest: { email: 'it@stmarys-school.org.uk', serverUrl: `https://${ACCESS_SERVER}` },
    reportToken: 'school-token-for-e2e',
  });
  const { context, userDataDir } = await launchWithExtension(sites, [
    '--ignore-certificate-errors',
  ]);
  try {
    const worker = await serviceWorkerOf(context);
    await expect
      .poll(async () => (await enforcement(worker))?.summary?.lockedCategories ?? [], {
        timeout: 30_000,
      })
      .toEqual(['extremism']);

    // The allow list works for a category the school controls: bet365.com loads.
    const allowed = await open(context, 'https://www.bet365.com/');
    await expect(allowed.locator('#site')).toHaveText('Site www.bet365.com');
    await allowed.close();

    // The locked category does not yield: by domain, by subdomain, by URL prefix.
    for (const url of [
      'https://hate-site.example.net/',
      'https://www.hate-site.example.net/articles/1',
      'https://locked-forum.example.org/research/paper.html',
    ]) {
      const page = await open(context, url);
      await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=extremism&m=block#`));
      await page.close();
    }

    // The block page: no Continue, no "Ask for access", a wrong-block report by email.
    const page = await open(context, 'https://hate-site.example.net/');
    await expect(page.getByTestId('locked-explained')).toBeVisible();
    await expect(page.getByTestId('warn-continue')).toHaveCount(0);
    await expect(page.getByText('Ask for access')).toHaveCount(0);
    await expect(page.locator('form')).toHaveCount(0);
    const report = page.getByTestId('report-wrong-block');
    await expect(report).toHaveText('Report a wrong block');
    const href = (await report.getAttribute('href')) ?? '';
    expect(href.startsWith('mailto:it@stmarys-school.org.uk?')).toBe(true);
    expect(new URLSearchParams(href.split('?')[1]).get('subject')).toBe(
      'Wrong block report: hate-site.example.net',
    );
    await report.focus();
    await expect(report).toBeFocused();
    expect(await axeViolations(page)).toEqual([]);

    // Forged from the block page itself (the top frame of a tab, the sender the worker trusts).
    const forgedContinue = (await sendFrom(page, {
      type: 'blockPage/continue',
      url: 'https://hate-site.example.net/',
    })) as { ok: boolean };
    expect(forgedContinue.ok).toBe(false);
    const forgedRequest = (await sendFrom(page, {
      type: 'blockPage/requestAccess',
      url: 'https://hate-site.example.net/',
      reason: 'I need it for a lesson.',
    })) as { ok: boolean; reason?: string };
    expect(forgedRequest).toMatchObject({ ok: false, reason: 'locked' });
    // After the forged Continue, the same tab still cannot reach the site.
    await page.goto('https://hate-site.example.net/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=extremism&m=block#`));
    await page.close();

    await new Promise((r) => setTimeout(r, 1_000));
    expect(sites.requestsTo('hate-site.example.net')).toEqual([]);
    expect(sites.requestsTo('www.hate-site.example.net')).toEqual([]);
    expect(sites.requestsTo('locked-forum.example.org')).toEqual([]);
    expect(posted).toEqual([]);
    // The list's own gambling sites stay blocked (the list is in force, not just the lock).
    const casino = await open(context, 'https://listed-casino.example.com/');
    await expect(casino).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=gambling&m=block#`));
    await casino.close();
  } finally {
    stop();
    stopAccessServer();
    await context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
