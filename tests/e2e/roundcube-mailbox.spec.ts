/**
 * Personal mailboxes on a REAL Roundcube (issue 6), reached at a school hostname named in policy
 * `webmailSites`, so Steward's runtime-registered webmail script runs on it as on a school's own
 * webmail. The SMTP sink is the proof that the "Personal" control changes what Roundcube sends.
 */
import type { Page } from '@playwright/test';
import { applyPolicy, expect, test } from './support/extension.ts';
import {
  clickSend,
  login,
  loginAndCompose,
  type RoundcubeEnv,
  skipWithoutRoundcube,
  startRoundcube,
  waitForSent,
} from './support/roundcube.ts';
import { SchoolWebmailHosts, webmailScriptRegistered } from './support/roundcube-school.ts';

const ORG = 'stmarys-school.org.uk';
const HOST = `webmail.${ORG}`;
const TEACHER = { email: `teacher@${ORG}`, password: 'password' };
/** A personal account someone has on the school's Roundcube host (e.g. forwarded IMAP). */
const PERSONAL = { email: 'jo.smith@gmail.com', password: 'password' };
const FRIEND = 'friend@hotmail.co.uk';

skipWithoutRoundcube(test);

let env: RoundcubeEnv;
let school: RoundcubeEnv;
const hosts = new SchoolWebmailHosts();

test.beforeAll(async ({ browserContext, sites }) => {
  test.setTimeout(90_000);
  env = await startRoundcube({ users: [TEACHER, PERSONAL] });
  school = hosts.add(HOST, env);
  hosts.serveThrough(sites);
  await applyPolicy(browserContext, {
    orgDomains: [ORG],
    schoolName: "St Mary's School",
    webmailSites: [{ service: 'roundcube', host: HOST }],
  });
  await webmailScriptRegistered(browserContext, HOST);
});

test.afterAll(async () => {
  hosts.close();
  await env?.stop();
});

test.beforeEach(() => env.clear());

const subjectToggle = (page: Page) => page.getByTestId('personal-subject-toggle');

async function logout(page: Page) {
  await page.context().clearCookies();
}

test('school account: no label; Personal labels the subject once and Roundcube sends it', async ({
  page,
}) => {
  await loginAndCompose(page, school, {
    user: TEACHER,
    to: FRIEND,
    subject: 'Saturday',
    body: 'See you at the match.',
  });
  await expect(subjectToggle(page)).toBeVisible();
  await expect(page.locator('steward-personal-label')).toHaveCount(0);

  const subject = page.locator('#compose-subject');
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('PERSONAL: Saturday');
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('Saturday');
  await subjectToggle(page).click();
  await subjectToggle(page).click();
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('PERSONAL: Saturday');

  await clickSend(page);
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  expect(message?.subject).toBe('PERSONAL: Saturday');
  expect(message?.envelopeTo).toEqual([FRIEND]);
  await logout(page);
});

test('a personal account on the school’s webmail host is labelled', async ({ page }) => {
  await logout(page);
  await login(page, school, PERSONAL);
  const label = page.locator('steward-personal-label').getByTestId('personal-label');
  await expect(label).toBeVisible();
  await expect(page.getByTestId('personal-label-account')).toHaveText(
    `Signed in as ${PERSONAL.email}`,
  );
  await logout(page);
});
