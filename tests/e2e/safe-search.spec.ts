/**
 * Safe search end to end (issue 11 part 3): what the local server receives at the real search
 * hostnames. Google, Bing, DuckDuckGo and Yahoo searches arrive with the engine's strict parameter
 * (whatever the member of staff typed), YouTube requests carry YouTube-Restrict, and the policy can
 * turn each off. Streaming is allowed here, since youtube.com is in the streaming category.
 */
import { applyPolicy, expect, test } from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';

const lastRequest = (sites: SiteServer, host: string) => sites.requestsTo(host).at(-1);
const params = (path: string | undefined) => new URL(path ?? '/', 'https://x').searchParams;

test.describe('safe search', () => {
  test.afterAll(async ({ browserContext }) => {
    await applyPolicy(browserContext, null);
  });

  test('on by default: each engine receives its strict parameter, even over safe=off', async ({
    page,
    browserContext,
    sites,
  }) => {
    await applyPolicy(browserContext, { categories: { streaming: 'allow' } });
    const cases: [string, string, string][] = [
      ['https://www.google.co.uk/search?q=volcanoes&safe=off', 'safe', 'active'],
      ['https://www.google.com/search?q=volcanoes&tbm=isch', 'safe', 'active'],
      ['https://www.bing.com/search?q=volcanoes&adlt=off', 'adlt', 'strict'],
      ['https://duckduckgo.com/?q=volcanoes&kp=-2', 'kp', '1'],
      ['https://uk.search.yahoo.com/search?p=volcanoes', 'vm', 'r'],
    ];
    for (const [url, key, value] of cases) {
      const host = new URL(url).hostname;
      await page.goto(url);
      await expect(page.locator('#site')).toHaveText(`Site ${host}`);
      const received = params(lastRequest(sites, host)?.path);
      expect(received.get(key), url).toBe(value);
      expect(received.get(url.includes('yahoo') ? 'p' : 'q'), url).toBe('volcanoes');
    }
    // Google's other services are left alone.
    await page.goto('https://docs.google.com/document/d/1');
    expect(lastRequest(sites, 'docs.google.com')?.path).toBe('/document/d/1');
  });

  test('YouTube requests carry YouTube-Restrict: Moderate by default, Strict when set', async ({
    page,
    browserContext,
    sites,
  }) => {
    await applyPolicy(browserContext, { categories: { streaming: 'allow' } });
    await page.goto('https://www.youtube.com/results?search_query=volcanoes');
    await expect(page.locator('#site')).toHaveText('Site www.youtube.com');
    expect(lastRequest(sites, 'www.youtube.com')?.headers?.['youtube-restrict']).toBe('Moderate');

    await applyPolicy(browserContext, {
      categories: { streaming: 'allow' },
      allowList: ['youtube.com'],
      safeSearch: { youtube: 'strict' },
    });
    await page.goto('https://www.youtube.com/watch?v=1');
    // Allowing youtube.com does not switch restricted mode off.
    expect(lastRequest(sites, 'www.youtube.com')?.headers?.['youtube-restrict']).toBe('Strict');
  });

  test('the policy can turn it off', async ({ page, browserContext, sites }) => {
    await applyPolicy(browserContext, {
      categories: { streaming: 'allow' },
      safeSearch: { enabled: false, youtube: 'off' },
    });
    await page.goto('https://www.bing.com/search?q=volcanoes');
    await expect(page.locator('#site')).toHaveText('Site www.bing.com');
    expect(params(lastRequest(sites, 'www.bing.com')?.path).get('adlt')).toBeNull();
    await page.goto('https://www.youtube.com/');
    expect(lastRequest(sites, 'www.youtube.com')?.headers?.['youtube-restrict']).toBeUndefined();
  });
});
