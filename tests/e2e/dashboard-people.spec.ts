/**
 * The admin dashboard's people and roles, in real Chromium against the real server process:
 * sign-in with a local account (the first IT account, migrated from STEWARD_ADMIN_PASSWORD)
 * and with an OpenID Connect provider (tests/server/test-idp.ts, a local stand-in for Google
 * Workspace), an IT admin adding a governor, the governor seeing no way to change anything and
 * the server refusing its requests when sent directly, the audit log on the dashboard and as
 * CSV, and every page axe-clean.
 *
 * The admin server alone: this spec needs no extension (it passes the same without it).
 */
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import { freePort, type RunningServer, startServer } from '../server/harness.ts';
import { startTestIdp, type TestIdp } from '../server/test-idp.ts';
import { axeViolations } from './support/axe.ts';

const IT_PASSWORD = 'e2e first IT passphrase';
const GOVERNOR = 'chair.of.governors@school.example';
const GOVERNOR_PASSWORD = 'governor passphrase 2026';

let server: RunningServer;
let idp: TestIdp;
let browser: Browser;
let base: string;

test.beforeAll(async () => {
  idp = await startTestIdp();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({
    PORT: String(port),
    STEWARD_ADMIN_PASSWORD: IT_PASSWORD,
    STEWARD_PUBLIC_URL: base,
    STEWARD_OIDC_ISSUER: idp.issuer,
    STEWARD_OIDC_CLIENT_ID: idp.clientId,
    STEWARD_OIDC_CLIENT_SECRET: idp.clientSecret,
    STEWARD_OIDC_NAME: 'Google',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await idp?.stop();
});

async function expectAxeClean(page: Page, what: string) {
  expect(await axeViolations(page), what).toEqual([]);
}

async function signInWithPassword(page: Page, name: string, password: string) {
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Email address or account name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/^Signed in as /)).toBeVisible();
}

test('an IT admin signs in with the migrated password, adds a governor, and sees it in the audit log', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await expectAxeClean(page, 'sign-in page');
  // A wrong password is refused with a plain message, and the page stays accessible.
  await page.getByLabel('Email address or account name').fill('admin');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/do not match an account/);
  await expectAxeClean(page, 'sign-in page with an error');

  await signInWithPassword(page, 'admin', IT_PASSWORD);
  await expect(page.getByText('Signed in as admin (IT)')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Totals per category' })).toBeVisible();
  await expectAxeClean(page, 'reports');

  await page.getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  await expectAxeClean(page, 'people');
  await page.getByLabel('Email address', { exact: true }).fill(GOVERNOR);
  await page.getByLabel('Name', { exact: true }).fill('Chair of governors');
  await page.getByLabel('Role', { exact: true }).selectOption('governor');
  await page.getByLabel(/^Password/).fill(GOVERNOR_PASSWORD);
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toHaveText(
    `${GOVERNOR} was added as Governor (read-only).`,
  );
  await expect(page.getByRole('row', { name: new RegExp(GOVERNOR) })).toBeVisible();
  // A second account for the OpenID Connect sign-in below: no password, school account only.
  await page.getByLabel('Email address', { exact: true }).fill('dsl@school.example');
  await page.getByLabel('Name', { exact: true }).fill('Designated safeguarding lead');
  await page.getByLabel('Role', { exact: true }).selectOption('safeguarding');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status')).toHaveText(/dsl@school.example was added/);
  await expectAxeClean(page, 'people after adding');

  await page.getByRole('link', { name: 'Audit log' }).click();
  const log = page.locator('section[aria-labelledby="audit"] tbody');
  await expect(log.getByRole('row').filter({ hasText: GOVERNOR })).toContainText(
    'Added an account',
  );
  await expect(log.getByRole('row').filter({ hasText: 'The server' }).first()).toContainText(
    'first IT account, made from STEWARD_ADMIN_PASSWORD',
  );
  await expectAxeClean(page, 'audit log');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the whole log as CSV' }).click();
  const csv = await (await download).createReadStream();
  let text = '';
  for await (const chunk of csv) text += chunk.toString();
  expect(text.split('\r\n')[0]).toBe('time,who,action,target,detail');
  expect(text).toContain(
    `,admin,account.create,${GOVERNOR},role Governor (read-only); password set`,
  );
  await context.close();
});

test('a governor sees the reports with no way to change anything, and the server refuses it anyway', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithPassword(page, GOVERNOR, GOVERNOR_PASSWORD);
  await expect(page.getByText(`Signed in as ${GOVERNOR} (Governor (read-only))`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await expectAxeClean(page, 'reports as a governor');
  // Going to the People page by address shows the reports instead.
  await page.goto(`${base}/#people`);
  await expect(page.getByRole('heading', { name: 'People' })).toHaveCount(0);

  // The same requests the IT page sends, from the governor's own signed-in browser.
  const attempts = await page.evaluate(async () => {
    const post = (path: string, body: unknown) =>
      fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.status);
    return {
      addIt: await post('/api/people', {
        email: 'governor.it@school.example',
        role: 'it',
        password: 'promoting myself now',
      }),
      listPeople: await fetch('/api/people').then((r) => r.status),
      audit: await fetch('/api/audit').then((r) => r.status),
      summary: await fetch('/api/summary').then((r) => r.status),
    };
  });
  expect(attempts).toEqual({ addIt: 403, listPeople: 403, audit: 403, summary: 200 });
  await context.close();
});

test('the safeguarding lead signs in with the school’s Google account (OpenID Connect)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/authorize\\?`));
  const authorize = new URL(page.url());
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  await page.getByLabel('Email').fill('dsl@school.example');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(`${base}/`);
  await expect(page.getByText('Signed in as dsl@school.example (Safeguarding lead)')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
  await expectAxeClean(page, 'reports as the safeguarding lead');

  // Someone with a Google account but no account here is turned away with a plain message.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(`${base}/login`);
  await other.getByRole('link', { name: 'Sign in with Google' }).click();
  await other.getByLabel('Email').fill('someone@elsewhere.example');
  await other.getByRole('button', { name: 'Continue' }).click();
  await expect(other.getByRole('alert')).toHaveText(
    "someone@elsewhere.example has no account on this dashboard. Ask the school's IT admin to add you.",
  );
  await expectAxeClean(other, 'sign-in page after a refused school account');
  expect((await other.context().cookies()).some((c) => c.name === 'steward_session')).toBe(false);
  await stranger.close();
  await context.close();
});
