/**
 * The dashboard's detailed-events search and retention setting (issue 12, part 5), in real
 * Chromium against the real server process: the safeguarding lead searches by person, device,
 * day and category, by keyboard alone; IT changes how long events are kept; each role sees only
 * its own page, the server refuses the others' requests when sent directly, both actions are in
 * the audit log, and every page is axe-clean.
 *
 * The admin server alone: this spec needs no extension (it passes the same without it). The
 * events arrive as browsers send them, over /v1/reports with a report token.
 */
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import { dayOf } from '../../lib/report/day.ts';
import { startOfDay } from '../../server/events.ts';
import {
  freePort,
  makeBatch,
  postJson,
  postReport,
  type RunningServer,
  signIn,
  startServer,
} from '../server/harness.ts';
import { axeViolations } from './support/axe.ts';

const IT_PASSWORD = 'e2e events IT passphrase';
const DSL = 'dsl@school.example';
const DSL_PASSWORD = 'safeguarding passphrase 2026';
const GOVERNOR = 'governor@school.example';
const GOVERNOR_PASSWORD = 'governor passphrase 2026';
const TEACHER = 'j.smith@school.example';
const DEVICE = '6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';

let server: RunningServer;
let browser: Browser;
let base: string;

/**
 * The school's today (Europe/London), fixed in beforeAll: the dashboard searches the school's
 * day by default, so a run just after midnight must not put its events on yesterday, and a run
 * just before midnight waits for it rather than search a day that has ended.
 */
let schoolToday = '';
let sinceMidnight = 0;
/** `m` minutes ago, or, shortly after midnight, the same fraction of the time since midnight. */
const minutesAgo = (m: number) =>
  new Date(Date.now() - Math.min(m * 60_000, (sinceMidnight * m) / 40)).toISOString();
/** The school's day `n` days before today, as the date inputs take it. */
const schoolDay = (daysBefore: number) =>
  new Date(Date.parse(`${schoolToday}T12:00:00Z`) - daysBefore * 86_400_000)
    .toISOString()
    .slice(0, 10);

// The second test reads the audit entries the first test's searches leave on the same server.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const tomorrow = new Date(Date.parse(`${dayOf(Date.now())}T12:00:00Z`) + 86_400_000);
  const untilMidnight = startOfDay(tomorrow.toISOString().slice(0, 10)) - Date.now();
  if (untilMidnight < 120_000) {
    test.setTimeout(untilMidnight + 120_000);
    await new Promise((resolve) => setTimeout(resolve, untilMidnight + 1_000));
  }
  schoolToday = dayOf(Date.now());
  sinceMidnight = Date.now() - startOfDay(schoolToday);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({ PORT: String(port), STEWARD_ADMIN_PASSWORD: IT_PASSWORD });
  const it = (await signIn(base, IT_PASSWORD)).cookie;
  for (const [email, role, password] of [
    [DSL, 'safeguarding', DSL_PASSWORD],
    [GOVERNOR, 'governor', GOVERNOR_PASSWORD],
  ] as const) {
    const added = await postJson(base, '/api/people', it, { email, name: email, role, password });
    expect(added.status).toBe(200);
  }
  // Two browsers whose policy sets reportDetail "events": a named teacher's and another.
  const sent = [
    await postReport(
      base,
      makeBatch({
        installationId: DEVICE,
        identity: TEACHER,
        status: { ...makeBatch().status, group: 'North School' },
        events: [
          { at: minutesAgo(30), category: 'gambling', outcome: 'blocked', domain: 'bet365.com' },
          { at: minutesAgo(20), category: 'social', outcome: 'warned', domain: 'reddit.com' },
        ],
      }),
    ),
    await postReport(
      base,
      makeBatch({
        identity: 'k.jones@school.example',
        events: [
          { at: minutesAgo(10), category: 'gambling', outcome: 'blocked', domain: 'skybet.com' },
        ],
      }),
    ),
  ];
  expect(sent.map((r) => r.status)).toEqual([200, 200]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function expectAxeClean(page: Page, what: string) {
  expect(await axeViolations(page), what).toEqual([]);
}

async function signInAs(page: Page, name: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email address or account name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/^Signed in as /)).toBeVisible();
}

/** Tab forward until the element has focus (a keyboard user's way there), at most `limit` presses. */
async function tabTo(page: Page, selector: string, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${selector} was not reached with Tab`);
}

test('the safeguarding lead searches events by person, device, day and category, by keyboard', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, DSL, DSL_PASSWORD);
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Detailed events' }).click();
  await expect(page.getByRole('heading', { name: 'Detailed events' })).toBeVisible();
  await expectAxeClean(page, 'events page');

  // By person, today, with the keyboard alone.
  await tabTo(page, '#event-person');
  await page.keyboard.type(TEACHER);
  await tabTo(page, 'form[aria-label="Search events"] button[type="submit"]');
  await page.keyboard.press('Enter');
  const table = page.getByRole('table', { name: 'Events found' });
  await expect(page.getByTestId('events-summary')).toHaveText('2 events, newest first.');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table).toContainText('Social networking');
  await expect(table).toContainText('Warned');
  await expect(table).toContainText('bet365.com');
  await expect(table).toContainText('North School');
  await expect(table).not.toContainText('skybet.com');
  await expectAxeClean(page, 'events page with results');

  // By category: the other person's gambling event too, and not the social one.
  await page.getByLabel('Person (email address as reported)').fill('');
  await page.getByLabel('Category').selectOption('gambling');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('events-summary')).toHaveText('2 events, newest first.');
  await expect(table).toContainText('skybet.com');
  await expect(table).not.toContainText('reddit.com');

  // By device (its installation id) and day: yesterday has nothing.
  await page.getByLabel('Category').selectOption('');
  await page.getByLabel('Device (installation id)').fill(DEVICE);
  const yesterday = schoolDay(1);
  await page.getByLabel('From', { exact: true }).fill(yesterday);
  await page.getByLabel('To', { exact: true }).fill(yesterday);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('events-summary')).toHaveText('No events match this search.');
  await page.getByLabel('To', { exact: true }).fill(schoolDay(0));
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('events-summary')).toHaveText('2 events, newest first.');

  // A bad device id is refused in plain words.
  await page.getByLabel('Device (installation id)').fill('not-a-device');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('alert')).toHaveText('device: expected an installation id');
  await expectAxeClean(page, 'events page with an error');
  await context.close();
});

test('IT sets how long events are kept; neither IT nor a governor can search them', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, 'admin', IT_PASSWORD);
  await expect(page.getByRole('link', { name: 'Detailed events' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const days = page.getByLabel('Keep detailed events for (days, 1 to 365)');
  await expect(days).toHaveValue('30');
  await expectAxeClean(page, 'settings page');
  await days.fill('400');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('365');
  await days.fill('14');
  await days.press('Enter');
  await expect(page.getByTestId('settings-message')).toHaveText(
    'Saved: detailed events are now kept for 14 days. Older ones are deleted within the hour.',
  );
  await expectAxeClean(page, 'settings page after saving');

  // The searches are IT's to audit, not to run; the server refuses them when sent directly.
  expect(await page.evaluate(async () => (await fetch('/api/events')).status)).toBe(403);
  await page.goto(`${base}/#events`);
  await expect(page.getByRole('heading', { name: 'Detailed events' })).toHaveCount(0);

  // The audit log has the change and the lead's searches (who looked for whom).
  await page.getByRole('link', { name: 'Audit log' }).click();
  const log = page.locator('section[aria-labelledby="audit"] tbody');
  await expect(
    log.getByRole('row').filter({ hasText: 'Changed how long detailed events are kept' }),
  ).toContainText('30 days → 14 days');
  await expect(
    log
      .getByRole('row')
      .filter({ hasText: 'Searched detailed events' })
      .filter({ hasText: TEACHER }),
  ).toContainText(DSL);
  await context.close();

  const governor = await browser.newContext();
  const g = await governor.newPage();
  await signInAs(g, GOVERNOR, GOVERNOR_PASSWORD);
  await expect(g.getByRole('link', { name: 'Detailed events' })).toHaveCount(0);
  await expect(g.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  const asGovernor = await g.evaluate(async () => ({
    search: (await fetch(`/api/events?person=${encodeURIComponent('j.smith@school.example')}`))
      .status,
    retention: (
      await fetch('/api/settings/events', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ retentionDays: 365 }),
      })
    ).status,
  }));
  expect(asGovernor).toEqual({ search: 403, retention: 403 });
  await governor.close();
  const it = (await signIn(base, IT_PASSWORD)).cookie;
  const setting = await fetch(`${base}/api/settings/events`, { headers: { Cookie: it } });
  expect(((await setting.json()) as { retentionDays: number }).retentionDays).toBe(14);
});
