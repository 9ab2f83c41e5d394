/**
 * Playwright fixtures: the built extension in Debian's Chromium, one browser and one site server
 * per worker (the suite runs one worker, so one of each for the whole run), policy written where
 * Chromium really reads it (`/etc/chromium/policies/managed/`).
 *
 * STEWARD_E2E_WITHOUT_EXTENSION=1 launches the same browser without Steward: the suite must then
 * fail (scripts/check-e2e-needs-extension.sh proves it does).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type BrowserContext,
  test as base,
  chromium,
  type Page,
  type Worker,
} from '@playwright/test';
import { extensionIdFor, extensionPublicKey } from '../../../config/extension.ts';
import { type EnforcementState, INITIAL_STATE } from '../../../lib/enforcement-state.ts';
import { policyFingerprint, resolvePolicy } from '../../../lib/policy.ts';
import { type SiteServer, startSiteServer } from './sites.ts';

export const EXTENSION_DIR = resolve(process.env.STEWARD_EXTENSION_DIR ?? '.output/chrome-mv3');
export const EXTENSION_ID = extensionIdFor(extensionPublicKey());
export const POLICY_DIR = '/etc/chromium/policies/managed';
export const POLICY_FILE = join(POLICY_DIR, 'steward-e2e.json');
export const WITHOUT_EXTENSION = process.env.STEWARD_E2E_WITHOUT_EXTENSION === '1';
/**
 * The e2e build with a test clock in the worker (`npx wxt build --mode e2e-clock`; platform/clock.ts):
 * for personal-use windows, so a spec can stand a few seconds before lunch. Never shipped.
 */
export const TEST_CLOCK_EXTENSION_DIR = resolve(
  process.env.STEWARD_TEST_CLOCK_EXTENSION_DIR ?? '.output/chrome-mv3-e2e-clock',
);

export function writePolicy(policy: Record<string, unknown> | null): void {
  mkdirSync(POLICY_DIR, { recursive: true });
  if (policy === null) rmSync(POLICY_FILE, { force: true });
  else
    writeFileSync(
      POLICY_FILE,
      JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }),
    );
}

export async function launchWithExtension(
  sites: SiteServer,
  extraArgs: string[] = [],
  userDataDir = mkdtempSync(join(tmpdir(), 'steward-profile-')),
  extensionDir = EXTENSION_DIR,
) {
  const extensionArgs = WITHOUT_EXTENSION
    ? []
    : [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--host-resolver-rules=MAP * 127.0.0.1:${sites.port}, EXCLUDE localhost`,
      ...extensionArgs,
      ...extraArgs,
    ],
  });
  return { context, userDataDir };
}

/**
 * The same browser, started by hand and driven over CDP, for tests of real downloads. Playwright
 * takes over downloads (DevTools "allowAndName": GUID names in its own folder), which bypasses
 * the part of the browser's download pipeline where extensions see them; here downloads are handed
 * back to the browser, so they land in the profile's download folder (`downloadsDir`) under their
 * own names, as they would for staff.
 */
export async function launchWithDownloadsFolder(sites: SiteServer, downloadsDir: string) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'steward-profile-'));
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'Default', 'Preferences'),
    JSON.stringify({
      download: { default_directory: downloadsDir, prompt_for_download: false },
      savefile: { default_directory: downloadsDir },
    }),
  );
  const extensionArgs = WITHOUT_EXTENSION
    ? []
    : [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`];
  const child = spawn(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--no-default-browser-check',
      '--ignore-certificate-errors',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      `--host-resolver-rules=MAP * 127.0.0.1:${sites.port}, EXCLUDE localhost`,
      ...extensionArgs,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  const portFile = join(userDataDir, 'DevToolsActivePort');
  let port: string | undefined;
  for (let i = 0; i < 300 && !port; i++) {
    if (existsSync(portFile)) port = readFileSync(portFile, 'utf8').split('\n')[0];
    if (!port) await new Promise((r) => setTimeout(r, 100));
  }
  if (!port) {
    child.kill();
    throw new Error('Chromium did not open its DevTools port');
  }
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0]!;
  // Playwright sets its own download handling on connect; hand downloads back to the browser.
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const close = async () => {
    await browser.close().catch(() => undefined);
    child.kill();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  const existing = context
    .serviceWorkers()
    .find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  if (existing) return existing;
  return context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    timeout: 15_000,
  });
}

export async function enforcement(worker: Worker): Promise<EnforcementState | undefined> {
  return worker.evaluate(async () => {
    type Local = { get(key: string): Promise<Record<string, unknown>> };
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: Local } } };
    const { enforcement } = await chrome.storage.local.get('enforcement');
    return enforcement as EnforcementState | undefined;
  });
}

/**
 * Write a policy and wait until Steward has applied it (or, for an invalid one, reported it).
 * Chromium watches the policy folder; "Reload policies" on chrome://policy makes it look now
 * rather than after its settle delay, as an admin would.
 */
export async function applyPolicy(
  context: BrowserContext,
  policy: Record<string, unknown> | null,
  options: { expectError?: boolean } = {},
): Promise<EnforcementState> {
  const before = Date.now();
  // Chromium quirk (seen under scripts/isolated.sh): a policy reload while the extension's managed
  // storage is still loading leaves every storage.managed.get() pending for that worker's life.
  // An admin does not reload policies in the first second of a browser; wait until it has loaded.
  if (!WITHOUT_EXTENSION) await managedStorageReady(await serviceWorkerOf(context));
  writePolicy(policy);
  await reloadPolicies(context);
  // Without Steward there is nothing to wait for: the tests then run their real assertions
  // against a browser with no extension, and the ones that prove blocking must fail.
  if (WITHOUT_EXTENSION) return { ...INITIAL_STATE, checkedAt: before };
  const worker = await serviceWorkerOf(context);
  const resolved = resolvePolicy(policy ?? {});
  const expected = resolved.ok ? policyFingerprint(resolved.policy) : null;
  let state: EnforcementState | undefined;
  for (let i = 0; i < 300; i++) {
    state = await enforcement(worker);
    const fresh = (state?.checkedAt ?? 0) >= before;
    if (fresh && options.expectError && (state?.policyErrors.length ?? 0) > 0) return state!;
    if (
      !options.expectError &&
      state?.policyVersion === expected &&
      state.policyErrors.length === 0
    ) {
      // Chromium does not announce a policy that did not change, so an identical policy is
      // already in force once its fingerprint matches (after a moment for any pending change).
      if (fresh || i >= 15) return state;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `policy was not applied in time; last state: ${JSON.stringify(state)?.slice(0, 500)}`,
  );
}

async function managedStorageReady(worker: Worker): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const ready = await worker.evaluate(async () => {
      type Managed = { get(): Promise<unknown> };
      const { chrome } = globalThis as unknown as { chrome: { storage: { managed: Managed } } };
      const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 1_000));
      return Promise.race([chrome.storage.managed.get().then(() => true), timeout]);
    });
    if (ready) return;
  }
  throw new Error('storage.managed never loaded');
}

async function reloadPolicies(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('#reload-policies').click();
    await page.waitForTimeout(200);
  } finally {
    await page.close();
  }
}

export async function hostShownOnBlockPage(page: Page): Promise<string | null> {
  if (!page.url().startsWith(`chrome-extension://${EXTENSION_ID}/blocked.html`)) return null;
  return page.getByTestId('blocked-host').textContent();
}

type WorkerFixtures = { sites: SiteServer; browserContext: BrowserContext };

export const test = base.extend<{ page: Page }, WorkerFixtures>({
  sites: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take an object pattern.
    async ({}, use) => {
      const sites = await startSiteServer();
      await use(sites);
      await sites.close();
    },
    { scope: 'worker' },
  ],
  browserContext: [
    async ({ sites }, use) => {
      writePolicy(null);
      const { context, userDataDir } = await launchWithExtension(sites);
      await use(context);
      await context.close();
      writePolicy(null);
      rmSync(userDataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  page: async ({ browserContext }, use) => {
    const page = await browserContext.newPage();
    await use(page);
    await page.close();
  },
});

export { expect } from '@playwright/test';
