/**
 * The real deployment path, end to end: a school key made by `steward package generate-key`, a
 * CRX and update.xml made by `steward package crx`, served from 127.0.0.1, and Chromium told to
 * force-install it by the generated Chromium template (`steward package templates`) written to
 * /etc/chromium/policies/managed/ — no --load-extension.
 * Chromium must fetch and install it (installType "admin"), refuse to let the user disable or
 * remove it, give it the 3rdparty configuration from the same file, block a category site and
 * the configured blockList site, and update it to the next version the server offers.
 *
 * The key is a throwaway one, so this extension's ID differs from the dev build's: the
 * category-blocking spec's policy file (steward-e2e.json) cannot configure it, and this spec's
 * file (steward-force.json) is removed when it ends.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { loadSchema } from '../../cli/package.ts';
import { extensionIdFor, extensionPublicKey } from '../../config/extension.ts';
import { policyFingerprint, resolvePolicy } from '../../lib/policy.ts';
import { generateTemplates } from '../../lib/policy-templates.ts';
import { type SiteServer, startSiteServer } from './support/sites.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const POLICY_FILE = '/etc/chromium/policies/managed/steward-force.json';
const CONFIG = { blockList: ['forced.example.org'], schoolName: 'Force Install School' };
const VERSION_A = '1.0.0';
const VERSION_B = '1.0.1';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let work: string;
let keyFile: string;
let extensionId: string;
let updates: { server: Server; port: number; served: string[] };
let sites: SiteServer;
let context: BrowserContext;
let userDataDir: string;

function steward(...args: string[]): string {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/steward.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`steward ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** Build and pack `version`, then publish its CRX and update.xml on the update server. */
function publish(version: string): void {
  const out = path.join(work, `pkg-${version}`);
  steward(
    'package',
    'crx',
    '--key',
    keyFile,
    '--out',
    out,
    '--base-url',
    `http://127.0.0.1:${updates.port}/`,
    '--version',
    version,
    '--no-firefox',
  );
  const www = path.join(work, 'www');
  mkdirSync(www, { recursive: true });
  copyFileSync(path.join(out, `steward-${version}.crx`), path.join(www, `steward-${version}.crx`));
  copyFileSync(path.join(out, 'update.xml'), path.join(www, 'update.xml'));
}

function startUpdateServer(root: () => string): Promise<typeof updates> {
  const served: string[] = [];
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    served.push(name);
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(path.join(root(), name));
      const type = name.endsWith('.xml') ? 'text/xml' : 'application/x-chrome-extension';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, served }),
    ),
  );
}

/**
 * Force-install and configure the school's extension with the generated Linux template for
 * Chromium (`steward package templates` → linux/chromium/steward.json), plus `extra` policies.
 */
function writePolicyFile(extra: Record<string, unknown>): void {
  const template = generateTemplates({
    schema: loadSchema(),
    config: CONFIG,
    chromeId: extensionId,
    chromeUpdateUrl: `http://127.0.0.1:${updates.port}/update.xml`,
    firefox: { id: 'unused@steward.invalid', installUrl: 'https://unused.invalid/' },
  }).find((f) => f.path === 'linux/chromium/steward.json');
  mkdirSync(path.dirname(POLICY_FILE), { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({ ...JSON.parse(template!.content), ...extra }));
}

/** chrome://policy's "Reload policies": read the policy folder now, as an admin would. */
async function reloadPolicies(): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://policy');
  // Chromium on Linux defers reading a policy file changed in the last few seconds (its loader's
  // settle delay), and one "Reload policies" that came too early was seen to leave the old policy
  // shown for 40 s on a slow machine: ask again, as an admin would, until the new policy shows.
  await expect(async () => {
    await page.locator('#reload-policies').click();
    await expect(page.getByText('DeveloperToolsAvailability').first()).toBeVisible({
      timeout: 3_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.close();
}

/** The extensions page: its `chrome.developerPrivate` and `chrome.management` act as the user. */
async function extensionsPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  return page;
}

type ExtensionInfo = { version: string; installType: string; mayDisable: boolean };

async function managementInfo(page: Page): Promise<ExtensionInfo | null> {
  return page.evaluate(async (id) => {
    type Info = { version: string; installType: string; mayDisable: boolean };
    const { chrome } = globalThis as unknown as {
      chrome: { management: { getAll(): Promise<(Info & { id: string })[]> } };
    };
    const all = await chrome.management.getAll();
    const found = all.find((e) => e.id === id);
    return found
      ? { version: found.version, installType: found.installType, mayDisable: found.mayDisable }
      : null;
  }, extensionId);
}

async function waitForVersion(page: Page, version: string, timeoutMs: number): Promise<void> {
  await expect
    .poll(async () => (await managementInfo(page))?.version ?? null, { timeout: timeoutMs })
    .toBe(version);
}

test.beforeAll(async () => {
  const started = Date.now();
  work = mkdtempSync(path.join(tmpdir(), 'steward-force-'));
  keyFile = path.join(work, 'school-key.pem');
  steward('package', 'generate-key', '--out', keyFile);
  extensionId = extensionIdFor(
    extensionPublicKey({ STEWARD_EXTENSION_PUBLIC_KEY: keyFile } as NodeJS.ProcessEnv),
  );
  updates = await startUpdateServer(() => path.join(work, 'www'));
  publish(VERSION_A);
  sites = await startSiteServer();
  writePolicyFile({});
  userDataDir = mkdtempSync(path.join(tmpdir(), 'steward-force-profile-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    // Playwright's defaults turn off extensions and background networking; the policy install
    // needs both.
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-component-update',
      `--host-resolver-rules=MAP * 127.0.0.1:${sites.port}, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
    ],
  });
  console.log(`force-install set-up (key, build, pack, launch): ${Date.now() - started} ms`);
});

test.afterAll(async () => {
  await context?.close();
  rmSync(POLICY_FILE, { force: true });
  await sites?.close();
  updates?.server.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * A page of the extension itself: it has the extension's own `chrome.*` APIs. Retried while a
 * policy change allowing developer tools (and so automation) is still being applied.
 */
async function extensionPage(timeoutMs = 15_000): Promise<Page> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const page = await context.newPage();
    try {
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      return page;
    } catch (error) {
      await page.close().catch(() => undefined);
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('Chromium force-installs the self-hosted CRX from policy, and the user cannot disable or remove it', async () => {
  const started = Date.now();
  const page = await extensionsPage();
  // Playwright does not report the service worker of an extension installed after launch, so
  // watch the browser's own extension list instead.
  await expect
    .poll(() => managementInfo(page), { timeout: 60_000, intervals: [250] })
    .not.toBeNull();
  console.log(`installed by policy after ${Date.now() - started} ms`);
  expect(updates.served).toContain('update.xml');
  expect(updates.served).toContain(`steward-${VERSION_A}.crx`);
  expect(await managementInfo(page)).toEqual({
    version: VERSION_A,
    installType: 'admin',
    mayDisable: false,
  });

  // DeveloperToolsAvailability unset (= 0): developer tools, and so automation over the DevTools
  // protocol, cannot open the pages of an extension installed by policy.
  const probe = await context.newPage();
  const refused = await probe
    .goto(`chrome-extension://${extensionId}/popup.html`)
    .then(() => false)
    .catch(() => true);
  expect(refused, 'DevTools could open a force-installed extension page').toBe(true);
  // From here on the test needs to look inside the extension: allow developer tools (1).
  writePolicyFile({ DeveloperToolsAvailability: 1 });
  await reloadPolicies();

  const own = await extensionPage();
  // What platform/install-status.ts reads: installed by policy, not allowed in incognito (no
  // policy can allow it in Chrome, which is why the hardening turns incognito off).
  const self = await own.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: {
        management: { getSelf(): Promise<{ installType: string; version: string }> };
        extension: { isAllowedIncognitoAccess(): Promise<boolean> };
      };
    };
    const { installType, version } = await chrome.management.getSelf();
    return { installType, version, incognito: await chrome.extension.isAllowedIncognitoAccess() };
  });
  expect(self).toEqual({ installType: 'admin', version: VERSION_A, incognito: false });
  await own.close();

  // What the extensions page itself is told, and what happens if the user tries anyway.
  const attempts = await page.evaluate(async (id) => {
    type Dev = {
      getExtensionInfo(id: string): Promise<{
        location: string;
        mustRemainInstalled: boolean;
        userMayModify: boolean;
      }>;
    };
    type Mgmt = {
      setEnabled(id: string, on: boolean): Promise<void>;
      uninstall(id: string, o: { showConfirmDialog: boolean }): Promise<void>;
    };
    const { chrome } = globalThis as unknown as {
      chrome: { developerPrivate: Dev; management: Mgmt };
    };
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'allowed',
        (e: unknown) => `refused: ${String(e)}`,
      );
    const { location, mustRemainInstalled, userMayModify } =
      await chrome.developerPrivate.getExtensionInfo(id);
    return {
      info: { location, mustRemainInstalled, userMayModify },
      disable: await outcome(chrome.management.setEnabled(id, false)),
      uninstall: await outcome(chrome.management.uninstall(id, { showConfirmDialog: false })),
    };
  }, extensionId);
  console.log(`user attempts: ${JSON.stringify(attempts)}`);
  // (developerPrivate reports the location of an off-store policy install as "UNKNOWN".)
  expect(attempts.info).toMatchObject({
    mustRemainInstalled: true,
    userMayModify: false,
  });
  expect(attempts.disable).toMatch(/^refused/);
  expect(attempts.uninstall).toMatch(/^refused/);
  expect(await managementInfo(page)).toMatchObject({ version: VERSION_A, installType: 'admin' });
  await page.close();
});

async function appliedPolicyVersion(): Promise<string | undefined> {
  const page = await extensionPage();
  try {
    return await page.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: {
          storage: {
            local: { get(k: string): Promise<{ enforcement?: { policyVersion?: string } }> };
          };
        };
      };
      return (await chrome.storage.local.get('enforcement')).enforcement?.policyVersion;
    });
  } finally {
    await page.close();
  }
}

test('the force-installed extension reads its configuration from policy and blocks', async () => {
  const resolved = resolvePolicy(CONFIG);
  if (!resolved.ok) throw new Error(resolved.errors.join(' '));
  await expect
    .poll(appliedPolicyVersion, { timeout: 15_000 })
    .toBe(policyFingerprint(resolved.policy));

  const page = await context.newPage();
  const blockPage = `chrome-extension://${extensionId}/blocked.html`;
  const before = sites.requestsTo('www.youtube.com').length;
  await page.goto('https://www.youtube.com/');
  await expect(page).toHaveURL(new RegExp(`^${blockPage}\\?c=streaming&m=block#`));
  expect(sites.requestsTo('www.youtube.com').length).toBe(before);

  await page.goto('https://forced.example.org/page');
  await expect(page).toHaveURL(new RegExp(`^${blockPage}\\?c=blockList&m=block#`));
  expect(sites.requestsTo('forced.example.org')).toHaveLength(0);

  await page.goto('https://www.example.org/');
  await expect(page.locator('#site')).toHaveText('Site www.example.org');
  await page.close();
});

test('a higher version on the update server reaches the browser', async () => {
  publish(VERSION_B);
  const page = await extensionsPage();
  const started = Date.now();
  // The "Update" button of chrome://extensions (developer mode) calls this; without it
  // Chromium checks every few hours.
  await page.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { developerPrivate: { autoUpdate(): Promise<void> } };
    };
    await chrome.developerPrivate.autoUpdate();
  });
  await waitForVersion(page, VERSION_B, 60_000);
  console.log(`updated to ${VERSION_B} after ${Date.now() - started} ms`);
  expect(updates.served).toContain(`steward-${VERSION_B}.crx`);
  expect(await managementInfo(page)).toMatchObject({ installType: 'admin', mayDisable: false });
  await page.close();

  // The new version runs, with the policy still applied.
  const own = await extensionPage();
  const version = await own.evaluate(() => {
    const { chrome } = globalThis as unknown as {
      chrome: { runtime: { getManifest(): { version: string } } };
    };
    return chrome.runtime.getManifest().version;
  });
  expect(version).toBe(VERSION_B);
  await own.close();
  const blocked = await context.newPage();
  await blocked.goto('https://forced.example.org/again');
  await expect(blocked).toHaveURL(
    new RegExp(`^chrome-extension://${extensionId}/blocked.html\\?c=blockList&m=block#`),
  );
  await blocked.close();
});
