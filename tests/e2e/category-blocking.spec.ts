/**
 * Category blocking end to end: the built extension in Debian's Chromium, real hostnames mapped
 * to a local HTTP+HTTPS server, policy written to Chromium's managed policy folder.
 */
import { axeViolations } from './support/axe.ts';
import {
  applyPolicy,
  EXTENSION_ID,
  expect,
  hostShownOnBlockPage,
  test,
} from './support/extension.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;

/** Major domains of every built-in category (each must be blocked by the default policy). */
const MAJOR: Record<string, string[]> = {
  streaming: [
    'youtube.com',
    'youtu.be',
    'netflix.com',
    'twitch.tv',
    'spotify.com',
    'disneyplus.com',
    'primevideo.com',
  ],
  webmail: ['outlook.live.com', 'mail.yahoo.com', 'mail.aol.com', 'proton.me', 'gmx.com'],
  social: ['facebook.com', 'instagram.com', 'x.com', 'reddit.com'],
  gambling: [
    'bet365.com',
    'skybet.com',
    'williamhill.com',
    'paddypower.com',
    'national-lottery.co.uk',
  ],
  adult: ['pornhub.com', 'xvideos.com'],
  chat: ['discord.com', 'web.telegram.org'],
  proxy: ['nordvpn.com', 'croxyproxy.com'],
};

test.describe('the built-in default policy', () => {
  test.beforeAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null);
  });

  for (const [category, domains] of Object.entries(MAJOR)) {
    test(`blocks the major ${category} sites`, async ({ page, sites }) => {
      for (const domain of domains) {
        const seenBefore = sites.requestsTo(domain).length;
        await page.goto(`https://${domain}/`);
        await expect(page, domain).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=${category}&m=block#`));
        expect(await hostShownOnBlockPage(page)).toBe(domain);
        expect(sites.requestsTo(domain).length, `${domain} reached the network`).toBe(seenBefore);
      }
    });
  }

  const variants: [string, string][] = [
    ['www. subdomain', 'https://www.youtube.com/'],
    ['m. subdomain', 'https://m.youtube.com/watch?v=1'],
    ['upper case', 'https://WWW.YOUTUBE.COM/'],
    ['trailing dot', 'https://youtube.com./'],
    ['explicit port', 'http://youtube.com:8080/'],
    ['plain http', 'http://www.netflix.com/browse'],
    ['https', 'https://www.netflix.com/browse'],
  ];
  for (const [name, url] of variants) {
    test(`blocks a ${name}: ${url}`, async ({ page }) => {
      await page.goto(url);
      await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=streaming&m=block#`));
    });
  }

  const allowed = [
    'https://notyoutube.com/',
    'https://youtube.com.example.org/',
    'https://www.bbc.co.uk/news',
    'https://www.gov.uk/',
    'https://www.example.org/youtube.com',
  ];
  for (const url of allowed) {
    test(`allows ${url}`, async ({ page, sites }) => {
      const host = new URL(url).hostname;
      const seenBefore = sites.requestsTo(host).length;
      await page.goto(url);
      await expect(page.locator('#site')).toHaveText(`Site ${host}`);
      expect(sites.requestsTo(host).length).toBe(seenBefore + 1);
    });
  }

  test('blocks a blocked site inside an iframe of an allowed page', async ({ page, sites }) => {
    const before = sites.requestsTo('www.youtube.com').length;
    await page.goto('https://www.example.org/lesson?frame=https://www.youtube.com/embed/abc');
    await expect(page.locator('#site')).toHaveText('Site www.example.org');
    const frame = page.frameLocator('#frame');
    await expect(frame.getByTestId('blocked-host')).toHaveText('www.youtube.com');
    expect(sites.requestsTo('www.youtube.com').length).toBe(before);
  });

  test('the block page explains the block, quotes the policy and passes axe', async ({ page }) => {
    await page.goto('https://www.bet365.com/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This site is blocked');
    await expect(page.getByTestId('blocked-category')).toHaveText('Online gambling');
    await expect(page.getByTestId('policy-clause')).toContainText('gambling');
    await expect(page.locator('time')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
  });

  test('text from the URL is shown as text, never as HTML', async ({ page }) => {
    await page.goto(
      `${BLOCK_PAGE}?c=<img src=x onerror=alert(1)>&m=block#https://www.youtube.com/<b>bold</b>`,
    );
    await expect(page.locator('img')).toHaveCount(0);
    await expect(page.locator('b')).toHaveCount(0);
    await expect(page.getByTestId('blocked-host')).toHaveText('www.youtube.com');
  });
});

test.describe('managed policy', () => {
  test.afterAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null);
  });

  test('allowList beats a category, blockList beats the default, and changes apply without a restart', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, {
      allowList: ['youtube.com/edu', 'twitch.tv'],
      blockList: ['example.net', 'bücher-test.de'],
      schoolName: "St Mary's School",
    });
    await page.goto('https://www.twitch.tv/');
    await expect(page.locator('#site')).toHaveText('Site www.twitch.tv');
    await page.goto('https://www.youtube.com/education');
    await expect(page.locator('#site')).toHaveText('Site www.youtube.com');
    await page.goto('https://www.youtube.com/watch?v=1');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=streaming&m=block#`));
    await page.goto('https://shop.example.net/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=blockList&m=block#`));
    await page.goto('https://bücher-test.de/');
    // An IDN entry matches the punycode host the browser requests.
    await expect(page.getByTestId('blocked-host')).toHaveText(
      new URL('http://bücher-test.de').hostname,
    );

    // Change the policy: twitch leaves the allow list, streaming becomes allowed.
    await applyPolicy(browserContext, { categories: { streaming: 'allow' } });
    await page.goto('https://www.youtube.com/watch?v=1');
    await expect(page.locator('#site')).toHaveText('Site www.youtube.com');
    await page.goto('https://shop.example.net/');
    await expect(page.locator('#site')).toHaveText('Site shop.example.net');
  });

  test('an invalid policy is reported in plain words and the last good rules stay', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, { blockList: ['example.net'] });
    const state = await applyPolicy(
      browserContext,
      { blockList: ['example.net', 'not a domain'] },
      { expectError: true },
    );
    expect(state.policyErrors.join(' ')).toContain('blockList[1]');
    await page.goto('https://example.net/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=blockList`));

    const popup = await browserContext.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('policy-error')).toContainText('blockList[1]');
    expect(await axeViolations(popup)).toEqual([]);
    await popup.close();
  });

  test('warn → Continue opens the site in that tab only, for a limited time', async ({
    page,
    browserContext,
    sites,
  }) => {
    await applyPolicy(browserContext, { categories: { social: 'warn' }, warnContinueMinutes: 5 });
    await page.goto('https://www.reddit.com/r/teachers');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=warn#`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before you continue');
    expect(await axeViolations(page)).toEqual([]);
    const before = sites.requestsTo('www.reddit.com').length;
    // Keyboard only: focus Continue and press Enter.
    await page.getByTestId('warn-continue').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#site')).toHaveText('Site www.reddit.com');
    await expect(page.locator('#path')).toHaveText('/r/teachers');
    expect(sites.requestsTo('www.reddit.com').length).toBe(before + 1);

    // Another tab still gets the warning.
    const other = await browserContext.newPage();
    await other.goto('https://www.reddit.com/');
    await expect(other).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=warn#`));
    await other.close();
  });

  test('the options page tests a URL with the rules in force and shows where each part comes from', async ({
    browserContext,
  }) => {
    await applyPolicy(browserContext, {
      categories: { social: 'warn' },
      allowList: ['youtube.com/edu'],
    });
    const options = await browserContext.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const result = options.getByTestId('test-url-result');
    const testUrl = async (url: string) => {
      await options.getByLabel('Web address').fill(url);
      await options.getByLabel('Web address').press('Enter');
    };
    await testUrl('https://m.youtube.com/watch?v=1');
    await expect(result).toContainText('Blocked by Audio and video streaming (entry: youtube.com)');
    await testUrl('www.youtube.com/education');
    await expect(result).toContainText(
      "Allowed by the school's allow list (entry: youtube.com/edu)",
    );
    await testUrl('https://www.reddit.com/');
    await expect(result).toContainText('Warned first, by Social networking (entry: reddit.com)');
    await testUrl('https://www.bbc.co.uk/news');
    await expect(result).toContainText('Allowed: no rule in force matches');
    await expect(options.getByRole('row', { name: /Social networking/ })).toContainText(
      'managed policy',
    );
    await expect(options.getByRole('row', { name: /Online gambling/ })).toContainText(
      "Steward's default",
    );
    expect(await axeViolations(options)).toEqual([]);
    await options.close();
  });

  test('the popup says where the policy comes from and what is in force', async ({
    browserContext,
  }) => {
    await applyPolicy(browserContext, {
      schoolName: "St Mary's School",
      categories: { chat: 'warn' },
    });
    const popup = await browserContext.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('policy-source')).toHaveText("Policy set by St Mary's School");
    await expect(popup.locator('tr[data-category="chat"] .mode')).toHaveText('Warn first');
    await expect(popup.locator('tr[data-category="gambling"] .mode')).toHaveText('Blocked');
    await expect(popup.getByTestId('rules-in-force')).toContainText('rules covering');
    expect(await axeViolations(popup)).toEqual([]);
    await popup.close();
  });
});
