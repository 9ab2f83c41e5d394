/**
 * Proves the Roundcube environment itself works (no extension): a teacher logs in to a real
 * Roundcube, sends to an outside address, and the SMTP sink receives exactly that one message.
 * The send-warning specs build on this; if this fails, their failures mean nothing.
 */
import { type Browser, chromium, expect, test } from '@playwright/test';
import {
  clickSend,
  loginAndCompose,
  type RoundcubeEnv,
  skipWithoutRoundcube,
  startRoundcube,
  waitForSent,
} from './support/roundcube.ts';

skipWithoutRoundcube(test);

let env: RoundcubeEnv;
let browser: Browser;

test.beforeAll(async () => {
  env = await startRoundcube();
  console.log(`[roundcube] started in ${env.startupMs} ms at ${env.url}`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

test('a message sent through Roundcube reaches the SMTP sink exactly once', async () => {
  env.clear();
  const page = await browser.newPage();
  const subject = `Smoke ${Date.now()}`;
  await loginAndCompose(page, env, {
    to: 'parent.smith@gmail.com',
    subject,
    body: 'Hello from the Roundcube smoke test.',
  });
  await expect(page.locator('textarea#_to')).toHaveValue(/parent\.smith@gmail\.com/);

  await clickSend(page);
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);

  // Give a duplicate submission a moment to show up before asserting "exactly one".
  await page.waitForTimeout(500);
  expect(env.messages()).toHaveLength(1);
  expect(message?.envelopeTo).toEqual(['parent.smith@gmail.com']);
  expect(message?.to).toEqual(['parent.smith@gmail.com']);
  expect(message?.from).toBe('teacher@stmarys.sch.uk');
  expect(message?.subject).toBe(subject);
  expect(message?.text).toContain('Hello from the Roundcube smoke test.');
  await page.close();
});

test('Cc recipients and the HTML editor reach the sink too', async () => {
  // A second, HTML-mode instance: later specs check the warning with TinyMCE as well.
  const html = await startRoundcube({ htmlEditor: true });
  const page = await browser.newPage();
  try {
    await loginAndCompose(page, html, {
      to: 'office@stmarys.sch.uk',
      cc: ['head@stmarys.sch.uk', 'governor@outlook.com'],
      subject: 'HTML smoke',
      body: 'Formatted hello.',
    });
    await expect(page.locator('#composebody_ifr')).toBeVisible();
    await expect(page.locator('textarea#_cc')).toHaveValue(/governor@outlook\.com/);
    await clickSend(page);
    await waitForSent(page);
    const [message] = await html.waitForMessages(1);
    expect(message?.envelopeTo.sort()).toEqual([
      'governor@outlook.com',
      'head@stmarys.sch.uk',
      'office@stmarys.sch.uk',
    ]);
    expect(message?.cc.sort()).toEqual(['governor@outlook.com', 'head@stmarys.sch.uk']);
    expect(message?.html).toContain('Formatted hello.');
  } finally {
    await page.close();
    await html.stop();
  }
});
