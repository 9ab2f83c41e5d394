/**
 * The send warning end to end, on Gmail-, Outlook- and Yahoo-shaped fixture pages served at the
 * services' real hostnames (tests/fixtures/webmail/*.html), with the built extension in Chromium.
 * Each fixture records what it "sent" in window.__sent, so every test can say: sent exactly once,
 * or not at all, and with which recipients.
 *
 * Without Steward (STEWARD_E2E_WITHOUT_EXTENSION=1) every test that expects a warning fails: the
 * fixture sends at once and no dialog appears.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { axeViolations } from './support/axe.ts';
import { expect, test, applyPolicy as writeAndApplyPolicy } from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';
import {
  adapterHealth,
  countsAdded,
  emailCounts,
  fillCompose,
  pageNow,
  preReads,
  readCompose,
  sendCheckTimings,
  sentMessages,
  serveWebmailFixtures,
} from './support/webmail.ts';

const ORG = 'stmarys-school.org.uk';
const POLICY = {
  orgDomains: [ORG],
  schoolName: "St Mary's School",
  // Personal webmail is blocked by default; these tests need the pages to open.
  categories: { webmail: 'allow' },
};

const PUPIL_DATA = [
  'Dear Mrs Jones,',
  "As discussed, here are Jamie's details for the transfer.",
  'UPN: B801200005001',
  'National Insurance number: AB 12 34 56 C',
  'Kind regards,',
  'Mr Patel',
].join('\n');

const OUTSIDE = 'jones.family@gmail.com';
const INSIDE = `head@${ORG}`;

type Service = {
  name: string;
  host: string;
  send: (i: number) => string;
  body: (i: number) => string;
};

const SERVICES: Service[] = [
  {
    name: 'Gmail',
    host: 'mail.google.com',
    send: (i) => `[data-compose-index="${i}"] [data-tooltip^="Send"]`,
    body: (i) => `[data-compose-index="${i}"] [g_editable]`,
  },
  {
    name: 'Outlook (work)',
    host: 'outlook.office.com',
    send: (i) => `[data-compose-index="${i}"] button[aria-label="Send"]`,
    body: (i) => `[data-compose-index="${i}"] [aria-label^="Message body"]`,
  },
  {
    name: 'Yahoo Mail',
    host: 'mail.yahoo.com',
    send: (i) => `[data-compose-index="${i}"] [data-test-id="compose-send-button"]`,
    body: (i) => `[data-compose-index="${i}"] [data-test-id="rte"]`,
  },
];

/**
 * Apply a policy unless it is already the one in force: Chromium does not report a rewrite of the
 * policy file with the same content as a change, so there would be nothing to wait for.
 */
let inForce: string | null = null;
async function applyPolicy(context: BrowserContext, policy: Record<string, unknown>) {
  const json = JSON.stringify(policy);
  if (json === inForce) return;
  await writeAndApplyPolicy(context, policy);
  inForce = json;
}

// Served once for the whole file, and no longer: the site server is shared by the whole run.
let stopServing: (() => void) | null = null;
function serve(sites: SiteServer) {
  stopServing ??= serveWebmailFixtures(sites);
}
test.afterAll(() => {
  stopServing?.();
  stopServing = null;
});

const warning = (page: Page) => page.getByRole('dialog', { name: 'Check before you send' });

async function open(page: Page, service: Service, query = '') {
  await page.goto(`https://${service.host}/mail/${query}`);
  await page.waitForFunction(() => '__fixture' in window);
}

/**
 * Click a Send control as staff would. Scrolled to the middle of the viewport first: Steward's
 * personal-mailbox label sits in a corner of personal webmail and must not be what is clicked.
 */
async function clickSend(page: Page, selector: string) {
  const send = page.locator(selector);
  await send.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await send.click();
}

async function isFocused(page: Page, selector: string) {
  return page.evaluate((s) => document.activeElement === document.querySelector(s), selector);
}

/** The content script's warm-up marks, in order (counts and times only, no content). */
function warmUpMarks(page: Page) {
  return page.evaluate(() =>
    performance
      .getEntriesByName('steward:warmed-up')
      .map((m) => (m as PerformanceMark).detail as { representation: string; failed?: string }),
  );
}

test.describe('the idle warm-up (lib/dlp/warm-up.ts)', () => {
  test.beforeAll(async ({ browserContext, sites }) => {
    serve(sites);
    await applyPolicy(browserContext, POLICY);
  });

  test('Gmail: the page compiles the scan while idle, and the first Send is still checked', async ({
    page,
  }) => {
    const gmail = SERVICES[0]!;
    await open(page, gmail);
    // The content script marks the end of its warm-up (no content in it: counts and times).
    const handle = await page.waitForFunction(
      () => {
        const mark = performance.getEntriesByName('steward:warmed-up')[0] as
          | PerformanceMark
          | undefined;
        return mark ? (mark.detail as Record<string, unknown>) : null;
      },
      null,
      { timeout: 30_000 },
    );
    const warmed = (await handle.jsonValue()) as {
      steps: number;
      busyMs: number;
      longestMs: number;
      elapsedMs: number;
      failed?: string;
    };
    expect(warmed.failed).toBeUndefined();
    expect(warmed.steps).toBeGreaterThan(100);

    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toContainText('Unique pupil number (UPN)');
    const [first] = await sendCheckTimings(page);
    console.log(
      `[warm-up] Gmail: ${warmed.steps} steps, ${warmed.busyMs.toFixed(0)} ms busy over ${warmed.elapsedMs.toFixed(0)} ms, the longest ${warmed.longestMs.toFixed(0)} ms; first Send checked in ${first?.checkMs.toFixed(1)} ms`,
    );
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
  });

  test('Gmail: a draft with a dash or curly quote in it warms the scan for two-byte text too', async ({
    page,
  }) => {
    const gmail = SERVICES[0]!;
    await open(page, gmail);
    const marks = () => warmUpMarks(page);
    await expect
      .poll(async () => (await marks()).map((m) => m.representation))
      .toEqual(['one-byte']);
    await fillCompose(page, 0, {
      to: [OUTSIDE],
      subject: 'Transfer',
      body: PUPIL_DATA.replace('As discussed,', 'As discussed —').replace("Jamie's", 'Jamie’s'),
    });
    await expect
      .poll(async () => (await marks()).map((m) => m.representation), { timeout: 30_000 })
      .toEqual(['one-byte', 'two-byte']);
    expect((await marks()).every((m) => m.failed === undefined)).toBe(true);
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toContainText('Unique pupil number (UPN)');
    const [first] = await sendCheckTimings(page);
    console.log(
      `[warm-up] Gmail, two-byte draft: first Send checked in ${first?.checkMs.toFixed(1)} ms`,
    );
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
  });

  test('Gmail: a dash typed into a line of a one-byte draft starts the two-byte warm-up', async ({
    page,
  }) => {
    const gmail = SERVICES[0]!;
    await open(page, gmail);
    const marks = async () => (await warmUpMarks(page)).map((m) => m.representation);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await expect.poll(marks, { timeout: 30_000 }).toEqual(['one-byte']);
    // The health check (every 2 s at most, on elements coming and going) has read the one-byte
    // draft and is not due again: what follows must be heard through typing alone.
    await page.waitForTimeout(3_000);
    // Typed inside the last line: the text changes, no element comes or goes.
    await page.locator(gmail.body(0)).focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(' — see you Thursday');
    await expect.poll(marks, { timeout: 30_000 }).toEqual(['one-byte', 'two-byte']);
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toContainText('Unique pupil number (UPN)');
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
    expect((await readCompose(page, 0)).body).toContain('Mr Patel — see you Thursday');
  });
});

/**
 * A long draft is read while the member of staff pauses (lib/dlp/scan-memo.ts), so Send, which
 * decides inside the click, finds the report of exactly that message ready. ~100 KB of an
 * ordinary long letter (a reply chain's worth), then the pupil data.
 */
const LONG_LETTER = Array.from(
  { length: 1_100 },
  (_, i) =>
    `Point ${i + 1}: the Year 9 options evening is on Thursday in the main hall, with subject stalls.`,
).join('\n');

test.describe('the idle pre-read of a long draft (lib/dlp/scan-memo.ts)', () => {
  test.beforeAll(async ({ browserContext, sites }) => {
    serve(sites);
    await applyPolicy(browserContext, POLICY);
  });

  test('Gmail: Send takes the pre-read of the unchanged draft and still warns', async ({
    page,
  }) => {
    const gmail = SERVICES[0]!;
    await open(page, gmail);
    const body = `${LONG_LETTER}\n${PUPIL_DATA}`;
    expect(body.length).toBeGreaterThan(100_000);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body });
    await page.locator(gmail.body(0)).press('End');
    await page.locator(gmail.body(0)).pressSequentially(' ');
    // The health check may read the draft ahead while it is filled in; what counts is a read ahead
    // of the draft as it is now (one after the last key), which Send must take.
    const typed = await pageNow(page);
    await expect
      .poll(async () => (await preReads(page, typed)).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const [pre] = await preReads(page, typed);
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toContainText('Unique pupil number (UPN)');
    const [check] = await sendCheckTimings(page);
    console.log(
      `[pre-read] Gmail, ${pre!.chars} characters: read ahead in ${pre!.ms.toFixed(1)} ms; Send checked in ${check!.checkMs.toFixed(1)} ms (DOM read ${check!.readMs.toFixed(1)} ms)`,
    );
    expect(check!.reused).toBe(true);
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
  });

  test('Gmail: pupil data typed after the pre-read is scanned at Send: nothing is sent', async ({
    page,
  }) => {
    const gmail = SERVICES[0]!;
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Options', body: LONG_LETTER });
    await page.locator(gmail.body(0)).pressSequentially(' ');
    const typed = await pageNow(page);
    await expect
      .poll(async () => (await preReads(page, typed)).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    // The clean letter's report is kept; now the data goes in and Send is pressed at once.
    const editor = page.locator(gmail.body(0));
    await editor.focus();
    await page.keyboard.press('Control+End');
    await editor.pressSequentially(' UPN B801200005001');
    const withData = await pageNow(page);
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toContainText('Unique pupil number (UPN)');
    // Scanned afresh, unless the machine stalled long enough for a pre-read of the whole new text.
    const checks = await sendCheckTimings(page);
    expect(checks.at(-1)!.reused).toBe((await preReads(page, withData)).length > 0);
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
    expect((await readCompose(page, 0)).body).toContain('UPN B801200005001');
  });
});

for (const service of SERVICES) {
  test.describe(`send warning on ${service.name}`, () => {
    test.beforeAll(async ({ browserContext, sites }) => {
      serve(sites);
      await applyPolicy(browserContext, POLICY);
    });

    test('outside recipient and pupil data: warns; Go back sends nothing and keeps the draft', async ({
      page,
      browserContext,
    }) => {
      await open(page, service);
      const draft = { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA };
      await fillCompose(page, 0, draft);
      const before = await readCompose(page, 0);
      const counts = await emailCounts(browserContext);

      await clickSend(page, service.send(0));
      const dialog = warning(page);
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('Unique pupil number (UPN)');
      await expect(dialog).toContainText('National Insurance number');
      await expect(dialog).toContainText(OUTSIDE);
      await expect(dialog).toContainText('Personal email account');
      await expect(dialog).toContainText('check the recipient(s) before pressing the send button');
      // Redacted, never the number itself.
      await expect(dialog).not.toContainText('801200005001');
      await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();

      const [timing] = await sendCheckTimings(page);
      console.log(
        `[send-warning] ${service.name}: read ${timing?.readMs.toFixed(2)} ms, check ${timing?.checkMs.toFixed(2)} ms`,
      );

      await dialog.getByRole('button', { name: 'Go back' }).click();
      await expect(dialog).toHaveCount(0);
      expect(await sentMessages(page)).toEqual([]);
      expect(await readCompose(page, 0)).toEqual(before);
      expect(await isFocused(page, service.send(0))).toBe(true);
      await expect
        .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
        .toEqual({ 'upn warned': 1, 'nino warned': 1, 'upn went_back': 1, 'nino went_back': 1 });
    });

    test('Send anyway sends exactly once, unchanged', async ({ page, browserContext }) => {
      await open(page, service);
      await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
      const before = await readCompose(page, 0);
      const counts = await emailCounts(browserContext);
      await clickSend(page, service.send(0));
      await warning(page).getByRole('button', { name: 'Send anyway' }).click();
      await expect(warning(page)).toHaveCount(0);
      const sent = await sentMessages(page);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ compose: 0, ...before });
      await page.waitForTimeout(300);
      expect(await sentMessages(page)).toHaveLength(1);
      await expect
        .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
        .toEqual({
          'upn warned': 1,
          'nino warned': 1,
          'upn sent_anyway': 1,
          'nino sent_anyway': 1,
        });
    });

    test('only school recipients: no warning, sent once', async ({ page }) => {
      await open(page, service);
      await fillCompose(page, 0, { to: [INSIDE], subject: 'Transfer', body: PUPIL_DATA });
      await clickSend(page, service.send(0));
      await expect.poll(() => sentMessages(page)).toHaveLength(1);
      await expect(warning(page)).toHaveCount(0);
      expect((await sentMessages(page))[0]!.to).toEqual([INSIDE]);
      // The check ran (and how long it took is recorded for the report's figures).
      expect((await sendCheckTimings(page)).length).toBeGreaterThan(0);
    });

    test('Ctrl+Enter in the message and Enter on Send are intercepted', async ({ page }) => {
      await open(page, service);
      await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
      await page.locator(service.body(0)).click();
      await page.keyboard.press('Control+Enter');
      await expect(warning(page)).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(warning(page)).toHaveCount(0);
      expect(await sentMessages(page)).toEqual([]);

      await page.locator(service.send(0)).focus();
      await page.keyboard.press('Enter');
      await expect(warning(page)).toBeVisible();
      await warning(page).getByRole('button', { name: 'Go back' }).press('Enter');
      await expect(warning(page)).toHaveCount(0);

      await page.locator(service.send(0)).focus();
      await page.keyboard.press(' ');
      await expect(warning(page)).toBeVisible();
      await warning(page).getByRole('button', { name: 'Go back' }).click();
      await page.waitForTimeout(200);
      expect(await sentMessages(page)).toEqual([]);
    });

    test('Remove takes the outside recipient off; the rest is sent once', async ({
      page,
      browserContext,
    }) => {
      await open(page, service);
      await fillCompose(page, 0, { to: [INSIDE, OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
      const counts = await emailCounts(browserContext);
      await clickSend(page, service.send(0));
      const dialog = warning(page);
      await dialog.getByRole('button', { name: `Remove ${OUTSIDE} from this message` }).click();
      await expect(dialog.getByTestId('warning-resolved')).toBeVisible();
      expect((await readCompose(page, 0)).to).toEqual([INSIDE]);
      expect(await sentMessages(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => sentMessages(page)).toHaveLength(1);
      expect((await sentMessages(page))[0]!.to).toEqual([INSIDE]);
      await expect
        .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
        .toEqual({
          'upn warned': 1,
          'nino warned': 1,
          'upn removed_recipient': 1,
          'nino removed_recipient': 1,
        });
    });

    test('the second compose (inline reply) is watched too', async ({ page }) => {
      await open(page, service);
      await fillCompose(page, 0, { to: [INSIDE], subject: 'Other', body: 'Staff meeting at 4.' });
      await fillCompose(page, 1, { to: [OUTSIDE], subject: 'Re: Transfer', body: PUPIL_DATA });
      await clickSend(page, service.send(1));
      await expect(warning(page)).toBeVisible();
      await warning(page).getByRole('button', { name: 'Send anyway' }).click();
      await expect.poll(() => sentMessages(page)).toHaveLength(1);
      expect((await sentMessages(page))[0]).toMatchObject({ compose: 1, to: [OUTSIDE] });
    });

    test('a page whose recipient fields cannot be found: Send is not blocked, health is recorded', async ({
      page,
      browserContext,
    }) => {
      await open(page, service, '?broken=to');
      await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
      await clickSend(page, service.send(0));
      await expect.poll(() => sentMessages(page)).toHaveLength(1);
      await expect(warning(page)).toHaveCount(0);
      const serviceId = service.name.split(' ')[0]!.toLowerCase();
      await expect
        .poll(async () => Object.keys(await adapterHealth(browserContext)))
        .toContain(`${serviceId}: recipients_not_found`);
    });
  });
}

test.describe('send warning: policy and accessibility (Gmail)', () => {
  const gmail = SERVICES[0]!;
  test.beforeAll(({ sites }) => serve(sites));

  test('the dialog passes axe, traps focus, and Escape means Go back', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(await axeViolations(page)).toEqual([]);
    // Tab from the last control comes back to the first: focus never leaves the dialog.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    const inDialog = await page.evaluate(
      () => document.activeElement?.localName === 'steward-send-warning',
    );
    expect(inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await sentMessages(page)).toEqual([]);
    expect(await isFocused(page, gmail.send(0))).toBe(true);
  });

  test('the learned check: a disclosure no listed term covers warns and says which words weighed most', async ({
    page,
    browserContext,
  }, testInfo) => {
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    const body =
      'Ellie stayed behind after the lesson and told me her older cousin keeps turning up at the ' +
      "gate and she gets into his car, he buys her things and she won't say where they go.";
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Ellie', body });
    const counts = await emailCounts(browserContext);
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(
      "Wording that reads like a pupil's or colleague's personal or safeguarding information",
    );
    await expect(dialog).toContainText(
      "Steward's check, trained on school emails, weighed words such as",
    );
    await expect(dialog).toContainText('‘told me’');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('learned-warning.png') });
    await dialog.getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
    await expect
      .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
      .toEqual({ 'learned warned': 1, 'learned went_back': 1 });
  });

  test('a look-alike of the school domain is flagged loudly; many visible addresses suggest Bcc', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    const parents = Array.from({ length: 10 }, (_, i) => `parent${i}@example.com`);
    await fillCompose(page, 0, {
      to: ['office@stmarys-schooI.org.uk', ...parents],
      subject: 'Trip',
      body: 'Coach leaves at 9.',
    });
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    await expect(dialog).toContainText(
      'Not your school: this only looks like stmarys-school.org.uk',
    );
    await expect(dialog.getByTestId('warning-bcc')).toContainText('11 outside addresses');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
  });

  test('policy override "reason": Send anyway needs a reason', async ({ page, browserContext }) => {
    await applyPolicy(browserContext, { ...POLICY, compose: { override: 'reason' } });
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    await dialog.getByRole('button', { name: 'Send anyway' }).click();
    await expect(dialog).toContainText('Write a reason before sending.');
    const reason = dialog.getByRole('textbox', { name: /Why does this need to be sent/ });
    await expect(reason).toBeFocused();
    await expect(reason).toHaveAttribute('aria-invalid', 'true');
    expect(await sentMessages(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await reason.fill('The receiving school asked for it today; their secure portal is down.');
    await dialog.getByRole('button', { name: 'Send anyway' }).click();
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
  });

  test('school patterns: the worker injects the pattern engine into the page, and the pattern warns', async ({
    page,
    browserContext,
  }) => {
    // webmail.js does not carry re2js; with patterns in the policy the content script asks the
    // worker for content-scripts/pattern-engine.js before the policy is put in force.
    await applyPolicy(browserContext, {
      ...POLICY,
      compose: { customPatterns: [{ name: 'Staff payroll reference', pattern: 'STF-\\d{6}' }] },
    });
    await open(page, gmail);
    // Attack: the page plants an engine that finds nothing where Steward looks for one. The
    // page's world is not the content script's, so Steward's own engine still runs.
    await page.evaluate(() => {
      (globalThis as Record<symbol, unknown>)[Symbol.for('steward.dlp.patternEngine')] = {
        checkPattern: () => null,
        compilePattern: (p: { name: string }) => ({ name: p.name }),
        scanCustomPatterns: () => ({ detections: [], incomplete: [] }),
      };
    });
    const body = 'Hi, please update the record for STF-004512 before Friday. Thanks';
    // The subject names nothing the built-in checks weigh, so the control below shows the pattern
    // alone made the difference. (Until session 26 it was "Payroll"; the learned check's word
    // pieces now warn on that ten-word message on the one word: lib/dlp/README.md, h24-tune.)
    const subject = 'Staff record';
    await fillCompose(page, 0, { to: [OUTSIDE], subject, body });
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Information your school asked Steward to look out for');
    await expect(dialog).toContainText('ST•-••••12');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
    // Without patterns in the policy the same message goes straight out.
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject, body });
    await clickSend(page, gmail.send(0));
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    await expect(dialog).toHaveCount(0);
  });

  test('block mode: only Go back and the policy’s words', async ({ page, browserContext }) => {
    const words = 'Pupil data goes to other schools through S2S only. Ask the office.';
    await applyPolicy(browserContext, {
      ...POLICY,
      compose: { mode: 'block', blockMessage: words },
    });
    const counts = await emailCounts(browserContext);
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    const dialog = page.getByRole('dialog', { name: "This message can't be sent" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(words);
    await expect(dialog.getByRole('button')).toHaveCount(1);
    await expect(dialog.getByRole('button', { name: 'Go back' })).toBeFocused();
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Go back' }).click();
    // Ctrl+Enter cannot get round it either.
    await page.locator(gmail.body(0)).click();
    await page.keyboard.press('Control+Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    expect(await sentMessages(page)).toEqual([]);
    await expect
      .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
      .toEqual({ 'upn blocked': 2, 'nino blocked': 2 });
  });

  test('policy mode "off": no warning at all', async ({ page, browserContext }) => {
    await applyPolicy(browserContext, { ...POLICY, compose: { mode: 'off' } });
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    await expect(warning(page)).toHaveCount(0);
  });

  test('Outlook personal host (outlook.live.com) and typing: recipients typed, not chips', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, POLICY);
    const live: Service = { ...SERVICES[1]!, host: 'outlook.live.com' };
    await open(page, live);
    await fillCompose(page, 0, { subject: 'Transfer', body: PUPIL_DATA });
    // An address typed but not yet turned into a chip is still a recipient.
    await page.locator('[data-compose-index="0"] .well[aria-label="To"] input').fill(OUTSIDE);
    await clickSend(page, live.send(0));
    await expect(warning(page)).toContainText(OUTSIDE);
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
  });

  test('typing in a compose never waits on a scan', async ({ page, browserContext }) => {
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    // 2,000 key events through the page's real dispatch path, timed in the page: Steward's
    // capture listener sees every one of them and must not scan.
    const perKeyMs = await page.evaluate(() => {
      const editor = document.querySelector('[data-compose-index="0"] [g_editable]')!;
      const keys = 'Pupil progress notes for the governors meeting '.split('');
      const t0 = performance.now();
      for (let i = 0; i < 2000; i++) {
        const key = keys[i % keys.length]!;
        editor.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        editor.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true }));
      }
      return (performance.now() - t0) / 2000;
    });
    expect(await sendCheckTimings(page)).toEqual([]);
    console.log(
      `[send-warning] key event dispatch with Steward: ${(perKeyMs * 1000).toFixed(1)} µs/key`,
    );
    expect(perKeyMs).toBeLessThan(1);
  });
  test('mailbox.suggestPersonalLabel: personal recipients → the warning offers the subject label', async ({
    page,
    browserContext,
  }) => {
    await applyPolicy(browserContext, { ...POLICY, mailbox: { suggestPersonalLabel: true } });
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    const suggestion = warning(page).getByTestId('personal-label-suggestion');
    await expect(suggestion).toContainText('label it “PERSONAL” in the subject');
    await suggestion.getByRole('button', { name: 'Add “PERSONAL” to the subject' }).click();
    await expect(suggestion).toContainText('is now at the start of the subject');
    expect((await readCompose(page, 0)).subject).toBe('PERSONAL: Transfer');
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);

    // Off by default: the same send with the default mailbox policy offers nothing.
    await applyPolicy(browserContext, POLICY);
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    await clickSend(page, gmail.send(0));
    await expect(warning(page)).toBeVisible();
    await expect(warning(page).getByTestId('personal-label-suggestion')).toHaveCount(0);
    await warning(page).getByRole('button', { name: 'Go back' }).click();
  });
});

test.describe('the school’s disclaimer and secure route (Gmail)', () => {
  const gmail = SERVICES[0]!;
  const DISCLAIMER =
    "This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please tell St Mary's School and delete it.";
  const ROUTE = {
    name: 'Egress Protect',
    url: 'https://switch.egress.com/ui/',
    note: 'Sign in with your school account.',
  };
  const WITH_BOTH = { ...POLICY, compose: { disclaimer: DISCLAIMER, secureRoute: ROUTE } };
  const HARMLESS = 'Dear Mrs Jones,\nThe coach leaves at 9 from the front gate.\nMr Patel';
  const reminder = (page: Page) =>
    page.getByRole('dialog', { name: 'Add the school’s disclaimer?' });
  const occurrences = (text: string, part: string) => text.split(part).length - 1;

  test.beforeAll(async ({ sites, browserContext }) => {
    serve(sites);
    await applyPolicy(browserContext, WITH_BOTH);
  });

  test('harmless mail to outside without the disclaimer: a reminder; keyboard: Enter adds it and sends once', async ({
    page,
    browserContext,
  }) => {
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Trip', body: HARMLESS });
    const before = await readCompose(page, 0);
    const counts = await emailCounts(browserContext);
    await clickSend(page, gmail.send(0));
    const dialog = reminder(page);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(
      "This message is going outside St Mary's School without the school’s standard disclaimer.",
    );
    await expect(dialog).toContainText('The school standard disclaimer should always be used');
    await expect(dialog).toContainText(DISCLAIMER);
    // Nothing changed or sent while it is open.
    expect(await readCompose(page, 0)).toEqual(before);
    expect(await sentMessages(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    // Keyboard: focus starts on "Add it and send" and Tab stays in the dialog.
    await expect(dialog.getByRole('button', { name: 'Add it and send' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Send without it' })).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Add it and send' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    const [sent] = await sentMessages(page);
    expect(sent).toMatchObject({ compose: 0, to: [OUTSIDE], subject: 'Trip' });
    // The draft as written, then (after a blank line) the disclaimer, once.
    expect(sent!.body.startsWith(`${HARMLESS}\n`)).toBe(true);
    expect(sent!.body.trimEnd().endsWith(DISCLAIMER)).toBe(true);
    // Counted like a warning's outcomes: the outcome only, under the disclaimer detector.
    await expect
      .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
      .toEqual({ 'disclaimer reminded': 1, 'disclaimer disclaimer_added': 1 });
    expect(occurrences(sent!.body, DISCLAIMER)).toBe(1);
    await page.waitForTimeout(300);
    expect(await sentMessages(page)).toHaveLength(1);
  });

  test('"Send without it" sends once, unchanged; Go back sends nothing and changes nothing', async ({
    page,
    browserContext,
  }) => {
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Trip', body: HARMLESS });
    const before = await readCompose(page, 0);
    const counts = await emailCounts(browserContext);
    await clickSend(page, gmail.send(0));
    await reminder(page).getByRole('button', { name: 'Go back' }).click();
    await expect(reminder(page)).toHaveCount(0);
    expect(await sentMessages(page)).toEqual([]);
    expect(await readCompose(page, 0)).toEqual(before);
    expect(await isFocused(page, gmail.send(0))).toBe(true);

    await clickSend(page, gmail.send(0));
    // Escape as a person would press it: once the reminder is shown and has focus.
    await expect(reminder(page).getByRole('button', { name: 'Add it and send' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(reminder(page)).toHaveCount(0);
    expect(await sentMessages(page)).toEqual([]);

    await clickSend(page, gmail.send(0));
    await reminder(page).getByRole('button', { name: 'Send without it' }).click();
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    expect((await sentMessages(page))[0]).toMatchObject({ compose: 0, ...before });
    await expect
      .poll(async () => countsAdded(counts, await emailCounts(browserContext)))
      .toEqual({
        'disclaimer reminded': 3,
        'disclaimer went_back': 2,
        'disclaimer sent_without_disclaimer': 1,
      });
  });

  test('no reminder when the disclaimer is there (other case, re-wrapped) or all recipients are in school', async ({
    page,
  }) => {
    await open(page, gmail);
    const rewrapped = DISCLAIMER.toUpperCase().replace(/\. /g, '.\n');
    await fillCompose(page, 0, {
      to: [OUTSIDE],
      subject: 'Trip',
      body: `${HARMLESS}\n\n${rewrapped}`,
    });
    await clickSend(page, gmail.send(0));
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    await fillCompose(page, 1, { to: [INSIDE], subject: 'Trip', body: HARMLESS });
    await clickSend(page, gmail.send(1));
    await expect.poll(() => sentMessages(page)).toHaveLength(2);
    await expect(reminder(page)).toHaveCount(0);
    await expect(warning(page)).toHaveCount(0);
  });

  test('confidential data: the warning names the secure route with its link and the policy clause; the disclaimer is offered there', async ({
    page,
  }) => {
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    const before = await readCompose(page, 0);
    await clickSend(page, gmail.send(0));
    const dialog = warning(page);
    const route = dialog.getByTestId('secure-route');
    await expect(route).toContainText(
      "The secure way to send confidential information from St Mary's School:",
    );
    const link = route.getByRole('link', { name: 'Egress Protect' });
    await expect(link).toHaveAttribute('href', ROUTE.url);
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(route).toContainText(ROUTE.note);
    await expect(route).toContainText(
      'by other means of external communication which are known not to be secure',
    );
    // The reminder is not shown on top: the warning offers the disclaimer itself.
    await expect(reminder(page)).toHaveCount(0);
    const offer = dialog.getByTestId('disclaimer-offer');
    await expect(offer).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    // Nothing changes until the member of staff clicks.
    expect(await readCompose(page, 0)).toEqual(before);
    await offer.getByRole('button', { name: 'Add the disclaimer to the message' }).click();
    await expect(offer).toContainText('The disclaimer is now at the end of the message.');
    const added = (await readCompose(page, 0)).body;
    expect(added.startsWith(`${PUPIL_DATA}\n`)).toBe(true);
    expect(added.trimEnd().endsWith(DISCLAIMER)).toBe(true);
    await dialog.getByRole('button', { name: 'Send anyway' }).click();
    await expect.poll(() => sentMessages(page)).toHaveLength(1);
    const [sent] = await sentMessages(page);
    expect(occurrences(sent!.body, DISCLAIMER)).toBe(1);
    expect(sent!.body.startsWith(PUPIL_DATA)).toBe(true);
  });

  test('confidential data, Go back without adding: nothing sent, the draft unchanged', async ({
    page,
  }) => {
    await open(page, gmail);
    await fillCompose(page, 0, { to: [OUTSIDE], subject: 'Transfer', body: PUPIL_DATA });
    const before = await readCompose(page, 0);
    await clickSend(page, gmail.send(0));
    await expect(warning(page).getByTestId('secure-route')).toBeVisible();
    await warning(page).getByRole('button', { name: 'Go back' }).click();
    expect(await sentMessages(page)).toEqual([]);
    expect(await readCompose(page, 0)).toEqual(before);
  });
});
