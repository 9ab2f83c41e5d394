/**
 * The send warning on a REAL Roundcube (Debian packages, dovecot, an SMTP sink), reached at a
 * school hostname that policy names in `webmailSites`, so Steward's runtime-registered content
 * script runs on it exactly as it would on a school's own webmail.
 *
 * Chromium maps every hostname to the shared site server; for webmail.stmarys-school.org.uk that
 * server reverse-proxies to Roundcube's `php -S`. The SMTP sink is the proof: "Go back" delivers
 * nothing, "Send anyway" delivers exactly one message, mail to the school goes without a warning.
 */
import type { Page } from '@playwright/test';
import { normaliseForDisclaimer } from '../../lib/dlp/disclaimer.ts';
import { applyPolicy, expect, test } from './support/extension.ts';
import {
  clickSend,
  loginAndCompose,
  type RoundcubeEnv,
  skipWithoutRoundcube,
  startRoundcube,
  waitForSent,
} from './support/roundcube.ts';
import { SchoolWebmailHosts, webmailScriptRegistered } from './support/roundcube-school.ts';
import { countsAdded, emailCounts, sendCheckTimings } from './support/webmail.ts';

const ORG = 'stmarys-school.org.uk';
const HOST = `webmail.${ORG}`;
/** A second Roundcube composing in HTML (TinyMCE), where the body lives in an iframe. */
const HTML_HOST = `webmail-html.${ORG}`;
const TEACHER = { email: `teacher@${ORG}`, password: 'password' };
const OUTSIDE = 'jones.family@gmail.com';
const INSIDE = `head@${ORG}`;
const PUPIL_DATA = [
  'Dear Mrs Jones,',
  "As discussed, here are Jamie's details for the transfer.",
  'UPN: B801200005001',
  'National Insurance number: AB 12 34 56 C',
  'Kind regards, Mr Patel',
].join('\n');

/** The school's standard disclaimer and secure route (policy compose.disclaimer, secureRoute). */
const DISCLAIMER =
  "This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please tell St Mary's School and delete it.";
const ROUTE = { name: 'Egress Protect', url: 'https://switch.egress.com/ui/' };
const HARMLESS = 'Dear Mrs Jones,\nThe coach leaves at 9 from the front gate.\nMr Patel';
/** Roundcube sends plain text format=flowed (re-wrapped at 72 characters): compare words only. */
const words = (text: string) => normaliseForDisclaimer(text);

skipWithoutRoundcube(test);

let env: RoundcubeEnv;
let htmlEnv: RoundcubeEnv;
/** The same environments as staff see them: at the school's hostnames. */
let school: RoundcubeEnv;
let schoolHtml: RoundcubeEnv;
const hosts = new SchoolWebmailHosts();

test.beforeAll(async ({ browserContext, sites }) => {
  test.setTimeout(90_000);
  env = await startRoundcube({ users: [TEACHER] });
  htmlEnv = await startRoundcube({ users: [TEACHER], htmlEditor: true });
  console.log(`[roundcube] started in ${env.startupMs} ms`);
  school = hosts.add(HOST, env);
  schoolHtml = hosts.add(HTML_HOST, htmlEnv);
  hosts.serveThrough(sites);
  await applyPolicy(browserContext, {
    orgDomains: [ORG],
    schoolName: "St Mary's School",
    compose: { disclaimer: DISCLAIMER, secureRoute: ROUTE },
    webmailSites: [
      { service: 'roundcube', host: HOST },
      { service: 'roundcube', host: HTML_HOST },
    ],
  });
  await webmailScriptRegistered(browserContext, HOST);
});

test.afterAll(async () => {
  hosts.close();
  await env?.stop();
  await htmlEnv?.stop();
});

test.beforeEach(() => {
  env.clear();
  htmlEnv.clear();
});

const warning = (page: Page) => page.getByRole('dialog', { name: 'Check before you send' });

test('outside recipient and pupil data: warning; Go back delivers nothing and keeps the draft', async ({
  page,
  browserContext,
}) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Transfer', body: PUPIL_DATA });
  const counts = await emailCounts(browserContext);
  await clickSend(page);
  const dialog = warning(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Unique pupil number (UPN)');
  await expect(dialog).toContainText(OUTSIDE);
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await expect(dialog).toHaveCount(0);

  // Nothing delivered, still composing, the draft as it was.
  await page.waitForTimeout(1_500);
  expect(env.messages()).toHaveLength(0);
  expect(page.url()).toContain('_action=compose');
  await expect(page.locator('textarea#_to')).toHaveValue(new RegExp(OUTSIDE.replace('.', '\\.')));
  await expect(page.locator('#compose-subject')).toHaveValue('Transfer');
  await expect(page.locator('textarea#composebody')).toHaveValue(PUPIL_DATA);
  await expect(page.locator('button.send').filter({ visible: true })).toBeFocused();
  await expect
    .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
    .toEqual({ 'upn warned': 1, 'nino warned': 1, 'upn went_back': 1, 'nino went_back': 1 });
});

/**
 * A plain-text reply as Roundcube quotes an earlier message: its lines wrapped, each behind "> ".
 * The safeguarding phrase is cut by the quote marks and a line break ("a child" / "> protection
 * plan"): before session 23 Steward read no phrase here and sent it without a warning.
 */
const QUOTED_REPLY = [
  'Hi Sam,',
  'See below, as discussed.',
  '',
  'On 03/12/2026 09:12, Dsl wrote:',
  '> Jamie in 8R is now subject to a child',
  '> protection plan.',
  '',
  'Thanks, Mr Patel',
].join('\n');

test('a plain-text reply whose quoted lines cut a safeguarding phrase: warning; Go back keeps the draft as written', async ({
  page,
}) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Re: Jamie', body: QUOTED_REPLY });
  await clickSend(page);
  const dialog = warning(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Safeguarding or child protection information');
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await expect(dialog).toHaveCount(0);
  await page.waitForTimeout(1_500);
  expect(env.messages()).toHaveLength(0);
  await expect(page.locator('textarea#composebody')).toHaveValue(QUOTED_REPLY);
});

test('Send anyway delivers exactly one message', async ({ page }) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Transfer', body: PUPIL_DATA });
  await clickSend(page);
  await warning(page).getByRole('button', { name: 'Send anyway' }).click();
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  expect(message?.envelopeTo).toEqual([OUTSIDE]);
  expect(message?.subject).toBe('Transfer');
  expect(message?.text).toContain('UPN: B801200005001');
});

test('the same message to the school only: no warning, delivered once', async ({ page }) => {
  await loginAndCompose(page, school, { to: INSIDE, subject: 'Transfer', body: PUPIL_DATA });
  await clickSend(page);
  await waitForSent(page);
  await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  expect(env.messages()[0]?.envelopeTo).toEqual([INSIDE]);
  await expect(warning(page)).toHaveCount(0);
});

test('Remove takes the outside address off in Roundcube’s own widget; the rest is delivered once', async ({
  page,
}) => {
  await loginAndCompose(page, school, {
    to: [INSIDE, OUTSIDE],
    subject: 'Transfer',
    body: PUPIL_DATA,
  });
  await clickSend(page);
  const timings = await sendCheckTimings(page);
  console.log(
    `[roundcube] send check: read ${timings[0]?.readMs.toFixed(2)} ms, check ${timings[0]?.checkMs.toFixed(2)} ms`,
  );
  const dialog = warning(page);
  await dialog.getByRole('button', { name: `Remove ${OUTSIDE} from this message` }).click();
  await expect(dialog.getByTestId('warning-resolved')).toBeVisible();
  await expect(page.locator('textarea#_to')).not.toHaveValue(/gmail/);
  await expect(page.locator('ul.recipient-input li.recipient')).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await waitForSent(page);
  await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  expect(env.messages()[0]?.envelopeTo).toEqual([INSIDE]);
});

test('HTML editor (TinyMCE): the body in its iframe is read; Go back delivers nothing, Send anyway once', async ({
  page,
}) => {
  await loginAndCompose(page, schoolHtml, { to: OUTSIDE, subject: 'Transfer', body: PUPIL_DATA });
  await expect(page.locator('#composebody_ifr')).toBeVisible();
  await clickSend(page);
  const dialog = warning(page);
  await expect(dialog).toContainText('National Insurance number');
  await dialog.getByRole('button', { name: 'Go back' }).click();
  await page.waitForTimeout(1_000);
  expect(htmlEnv.messages()).toHaveLength(0);
  await clickSend(page);
  await warning(page).getByRole('button', { name: 'Send anyway' }).click();
  await waitForSent(page);
  await htmlEnv.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(htmlEnv.messages()).toHaveLength(1);
  expect(htmlEnv.messages()[0]?.envelopeTo).toEqual([OUTSIDE]);
});

const reminder = (page: Page) => page.getByRole('dialog', { name: 'Add the school’s disclaimer?' });
const count = (text: string, part: string) => text.split(part).length - 1;

test('no disclaimer, "Add it and send": delivered once, with the disclaimer once and the message as written', async ({
  page,
}) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Trip', body: HARMLESS });
  await clickSend(page);
  const dialog = reminder(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(DISCLAIMER);
  // Nothing changed while it asks.
  await expect(page.locator('textarea#composebody')).toHaveValue(HARMLESS);
  expect(env.messages()).toHaveLength(0);
  await dialog.getByRole('button', { name: 'Add it and send' }).click();
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  expect(message?.envelopeTo).toEqual([OUTSIDE]);
  expect(message?.subject).toBe('Trip');
  const text = words(message?.text ?? '');
  expect(text.startsWith(words(HARMLESS))).toBe(true);
  expect(count(text, words(DISCLAIMER))).toBe(1);
});

test('no disclaimer, "Send without it": delivered once, unchanged; Go back: nothing delivered, draft unchanged', async ({
  page,
}) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Trip', body: HARMLESS });
  await clickSend(page);
  await reminder(page).getByRole('button', { name: 'Go back' }).click();
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(0);
  await expect(page.locator('textarea#composebody')).toHaveValue(HARMLESS);
  await clickSend(page);
  await reminder(page).getByRole('button', { name: 'Send without it' }).click();
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  expect(words(message?.text ?? '')).toBe(words(HARMLESS));
});

test('confidential data: the warning names the secure route with its link; the disclaimer added there is delivered once', async ({
  page,
}) => {
  await loginAndCompose(page, school, { to: OUTSIDE, subject: 'Transfer', body: PUPIL_DATA });
  await clickSend(page);
  const dialog = warning(page);
  const route = dialog.getByTestId('secure-route');
  await expect(route).toContainText('The secure way to send confidential information');
  await expect(route.getByRole('link', { name: ROUTE.name })).toHaveAttribute('href', ROUTE.url);
  await expect(route).toContainText('known not to be secure');
  await dialog.getByRole('button', { name: 'Add the disclaimer to the message' }).click();
  await expect(dialog.getByTestId('disclaimer-offer')).toContainText('now at the end');
  await dialog.getByRole('button', { name: 'Send anyway' }).click();
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(env.messages()).toHaveLength(1);
  const text = words(message?.text ?? '');
  expect(text.startsWith(words(PUPIL_DATA))).toBe(true);
  expect(count(text, words(DISCLAIMER))).toBe(1);
});

test('HTML editor (TinyMCE): "Add it and send" puts the disclaimer in the sent message once', async ({
  page,
}) => {
  await loginAndCompose(page, schoolHtml, { to: OUTSIDE, subject: 'Trip', body: HARMLESS });
  await clickSend(page);
  await reminder(page).getByRole('button', { name: 'Add it and send' }).click();
  await waitForSent(page);
  const [message] = await htmlEnv.waitForMessages(1);
  await page.waitForTimeout(1_000);
  expect(htmlEnv.messages()).toHaveLength(1);
  const text = words(message?.text ?? '');
  expect(text).toContain(words('The coach leaves at 9 from the front gate.'));
  expect(count(text, words(DISCLAIMER))).toBe(1);
});
