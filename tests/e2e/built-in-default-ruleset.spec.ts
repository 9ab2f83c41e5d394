/**
 * The built-in default as a static ruleset (lib/default-ruleset.ts): what the browser enforces from
 * install, before Steward's service worker has run once, and what it stops enforcing once the
 * school's own rules are in force.
 *
 * Judged by what reached the site server, never by how a page looks. Without the extension both
 * tests fail (the blocked site is reached), as scripts/check-e2e-needs-extension.ts checks.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import {
  applyPolicy,
  EXTENSION_DIR,
  EXTENSION_ID,
  expect,
  launchWithExtension,
  test,
  WITHOUT_EXTENSION,
  writePolicy,
} from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;
/** Gambling and adult: built-in categories the default blocks. */
const GAMBLING = 'www.bet365.com';
const ADULT = 'www.pornhub.com';

function reached(sites: SiteServer, mark: number, host: string): string[] {
  return sites.seen
    .slice(mark)
    .filter((r) => r.host === host && !r.path.startsWith('/favicon'))
    .map((r) => `https://${r.host}${r.path}`);
}

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 15_000 }).catch(() => undefined);
}

/** The browser's own answer, asked from an extension page (no worker involved). */
async function rulesInBrowser(
  context: BrowserContext,
): Promise<{ dynamic: number; enabledRulesets: string[] } | null> {
  if (WITHOUT_EXTENSION) return null;
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    return await page.evaluate(async () => {
      type Dnr = {
        getDynamicRules(): Promise<unknown[]>;
        getEnabledRulesets(): Promise<string[]>;
      };
      const { chrome } = globalThis as unknown as { chrome: { declarativeNetRequest: Dnr } };
      return {
        dynamic: (await chrome.declarativeNetRequest.getDynamicRules()).length,
        enabledRulesets: await chrome.declarativeNetRequest.getEnabledRulesets(),
      };
    });
  } finally {
    await page.close();
  }
}

test.describe('the built-in default before the worker has run', () => {
  test.afterAll(() => writePolicy(null));

  test('a new install whose worker never puts a rule in force still blocks what the default blocks', async ({
    sites,
  }) => {
    // The built extension with a worker that does nothing: what a new install looks like when its
    // worker was stopped before its first reconcile and never started again. Only the browser's
    // reading of the package can block here.
    const copy = mkdtempSync(join(tmpdir(), 'steward-no-worker-'));
    cpSync(EXTENSION_DIR, copy, { recursive: true });
    writeFileSync(
      join(copy, 'background.js'),
      '// This copy of Steward has a worker that does nothing.\n',
    );
    writePolicy(null);
    const { context, userDataDir } = await launchWithExtension(sites, [], undefined, copy);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const mark = sites.seen.length;
      await visit(page, `https://${GAMBLING}/no-worker`);
      await visit(page, `https://${ADULT}/no-worker`);
      expect(reached(sites, mark, GAMBLING)).toEqual([]);
      expect(reached(sites, mark, ADULT)).toEqual([]);
      expect(page.url().startsWith(BLOCK_PAGE)).toBe(true);
      // Nothing came from a worker: the browser holds no dynamic rule, only the static ruleset.
      expect(await rulesInBrowser(context)).toEqual({
        dynamic: 0,
        enabledRulesets: ['built_in_default_until_policy'],
      });
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test("once the school's rules are in force the default's ruleset is off: a category the school allows opens", async ({
    browserContext,
    sites,
  }) => {
    await applyPolicy(browserContext, { categories: { gambling: 'allow' } });
    const inBrowser = await rulesInBrowser(browserContext);
    expect(inBrowser?.enabledRulesets).toEqual([]);
    expect(inBrowser?.dynamic).toBeGreaterThan(0);
    const page = await browserContext.newPage();
    const mark = sites.seen.length;
    await visit(page, `https://${GAMBLING}/school-allows`);
    await visit(page, `https://${ADULT}/still-blocked`);
    expect(reached(sites, mark, GAMBLING)).toEqual([`https://${GAMBLING}/school-allows`]);
    expect(reached(sites, mark, ADULT)).toEqual([]);
    await page.close();
  });
});
