/**
 * Signed rule lists end to end: a list served over HTTPS at a real hostname, verified, compiled
 * and applied without a restart; a bad list keeps the old rules; with the server down, a restarted
 * browser still enforces the last good list.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { serialiseRuleList } from '../../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../../lib/rule-list/signature.ts';
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

async function listFor(
  version: number,
  gamblingExtra: string[],
  privateKeyPem: string,
  extra = {},
) {
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version,
    issuedAt: new Date().toISOString(),
    categories: {
      gambling: { domains: ['bet365.com', ...gamblingExtra] },
      esports: {
        label: 'Esports betting',
        clause: 'Trust policy 4.2: no betting of any kind.',
        domains: ['esportsbet.example.net'],
      },
    },
    ...extra,
  });
  const body = Buffer.from(text);
  return { body, sig: await signRuleList(new Uint8Array(body), privateKeyPem) };
}

async function refreshNow(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const reply = await page.evaluate(() =>
    (
      globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      }
    ).chrome.runtime.sendMessage({
      type: 'options/refreshRuleList',
    }),
  );
  await page.close();
  return reply as { outcome: string; message?: string };
}

async function expectBlocked(context: BrowserContext, url: string, category: string) {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=${category}&m=block#`));
  await page.close();
}

async function expectAllowed(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.locator('#site')).toHaveText(`Site ${new URL(url).hostname}`);
  await page.close();
}

test('a signed list is applied without a restart, a bad one is refused, and the last good list survives a restart offline', async ({
  sites,
}) => {
  test.setTimeout(120_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  publish(await listFor(10, ['listonly-casino.example.com'], keys.privateKeyPem));

  writePolicy({ ruleListUrl: LIST_URL, ruleListPublicKey: keys.publicKey });
  const { context, userDataDir } = await launchWithExtension(sites, [
    '--ignore-certificate-errors',
  ]);
  try {
    const worker = await serviceWorkerOf(context);
    await expect
      .poll(async () => (await enforcement(worker))?.summary?.domainsByCategory.esports ?? 0, {
        timeout: 20_000,
      })
      .toBe(1);

    // Only the list names these.
    await expectBlocked(context, 'https://listonly-casino.example.com/', 'gambling');
    await expectBlocked(context, 'https://www.esportsbet.example.net/', 'esports');
    const page = await context.newPage();
    await page.goto('https://esportsbet.example.net/');
    await expect(page.getByTestId('blocked-category')).toHaveText('Esports betting');
    await expect(page.getByTestId('policy-clause')).toHaveText(
      'Trust policy 4.2: no betting of any kind.',
    );
    await page.close();
    // The list's gambling category replaced the built-in one, which blocked skybet.com.
    await expectAllowed(context, 'https://www.skybet.com/');

    // A new version adds a domain: applied without a restart.
    publish(
      await listFor(
        11,
        ['listonly-casino.example.com', 'second-casino.example.com'],
        keys.privateKeyPem,
      ),
    );
    expect((await refreshNow(context)).outcome).toBe('updated');
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');

    // Tampered (one byte changed after signing): refused, old rules stay.
    const good = await listFor(12, ['third-casino.example.com'], keys.privateKeyPem);
    const tampered = Buffer.from(good.body);
    tampered[tampered.indexOf('third')] = 'x'.charCodeAt(0); // "third-casino" → "xhird-casino"
    publish({ body: tampered, sig: good.sig });
    const refused = await refreshNow(context);
    expect(refused.outcome).toBe('error');
    expect(refused.message).toMatch(/signature/i);
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');
    await expectAllowed(context, 'https://xhird-casino.example.com/');

    // Not JSON, signed correctly: refused too.
    const garbage = Buffer.from('{"format": "steward.rule-list/1", "version": 13, ');
    publish({
      body: garbage,
      sig: await signRuleList(new Uint8Array(garbage), keys.privateKeyPem),
    });
    expect((await refreshNow(context)).outcome).toBe('error');
    // An older version: refused.
    publish(await listFor(9, [], keys.privateKeyPem));
    expect((await refreshNow(context)).outcome).toBe('error');
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');

    // The popup says what went wrong.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('rule-list-status')).toContainText('version 11');
    await expect(popup.getByTestId('rule-list-error')).toBeVisible();
    await popup.close();
  } finally {
    await context.close();
  }

  // Server down, browser restarted with the same profile: the last good list still blocks.
  publish('down');
  const restarted = await launchWithExtension(sites, ['--ignore-certificate-errors'], userDataDir);
  try {
    await serviceWorkerOf(restarted.context);
    await expectBlocked(restarted.context, 'https://second-casino.example.com/', 'gambling');
    await expectBlocked(restarted.context, 'https://esportsbet.example.net/', 'esports');
  } finally {
    stop();
    await restarted.context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('a signed list of 1,000,000 domains downloads, verifies, compiles and applies', async ({
  sites,
}) => {
  test.setTimeout(180_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  const domains = Array.from({ length: 1_000_000 }, (_, i) => `casino${i}.example.com`);
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version: 1,
    issuedAt: new Date().toISOString(),
    categories: { gambling: { domains } },
  });
  const body = Buffer.from(text);
  publish({ body, sig: await signRuleList(new Uint8Array(body), keys.privateKeyPem) });

  writePolicy({ ruleListUrl: LIST_URL, ruleListPublicKey: keys.publicKey });
  const { context, userDataDir } = await launchWithExtension(sites, [
    '--ignore-certificate-errors',
  ]);
  try {
    const worker = await serviceWorkerOf(context);
    await expect
      .poll(async () => (await enforcement(worker))?.summary?.domainsByCategory.gambling ?? 0, {
        timeout: 120_000,
        intervals: [1000],
      })
      .toBe(1_000_000);
    await expectBlocked(context, 'https://www.casino999999.example.com/', 'gambling');
    await expectBlocked(context, 'https://casino0.example.com/', 'gambling');
    await expectAllowed(context, 'https://casino1000000.example.com/');
  } finally {
    stop();
    await context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
