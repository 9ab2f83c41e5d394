/**
 * Personal-use windows end to end (issue 11 part 1), in real Chromium with a real policy file,
 * judged by what the local site server received. The worker runs the e2e build's test clock
 * (platform/clock.ts: `wxt build --mode e2e-clock`), set to a few seconds before lunch on Monday
 * 11 January 2027; everything else is the product: the one-shot alarm at the boundary, the
 * reconcile, the DNR update, the block page.
 *
 * - a window opens at 12:15:00 and closes at 12:16:00 to the second, and the block page says
 *   "Personal use opens at 12:15" before it;
 * - a worker stopped before the boundary, with no alarm left to wake it, catches up at its next
 *   start;
 * - a category the school's signed rule list locks stays blocked inside the window.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { serialiseRuleList } from '../../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../../lib/rule-list/signature.ts';
import { axeViolations } from './support/axe.ts';
import {
  applyPolicy,
  EXTENSION_DIR,
  EXTENSION_ID,
  enforcement,
  expect,
  launchWithExtension,
  serviceWorkerOf,
  TEST_CLOCK_EXTENSION_DIR,
  test,
  WITHOUT_EXTENSION,
  writePolicy,
} from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;
/** Monday 11 January 2027, GMT (Europe/London = UTC in winter). */
const at = (time: string) => Date.parse(`2027-01-11T${time}Z`);
const OPENS = at('12:15:00');
const CLOSES = at('12:16:00');
/** How late after the boundary the first request may arrive (navigation and load included). */
const SLACK_MS = 3_000;

const POLICY = {
  schoolName: 'St Mary’s',
  timeZone: 'Europe/London',
  personalUse: {
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:15', to: '12:16' }],
    modes: { social: 'allow' },
  },
};

type Session = { e2eClock?: { setAt: number; time: number } };
type Chrome = {
  storage: { session: { get(k: string): Promise<Session>; set(v: Session): Promise<void> } };
  alarms: { clearAll(): Promise<boolean> };
};

/** Put the worker's clock at `time` (it runs on from there in real time). */
async function setClock(worker: Worker | null, time: number): Promise<void> {
  if (!worker) return;
  await worker.evaluate(async (t) => {
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    await chrome.storage.session.set({ e2eClock: { setAt: Date.now(), time: t } });
  }, time);
  // Setting the clock reconciles (test build only): wait until that reconcile is recorded.
  await expect
    .poll(async () => (await enforcement(worker))?.checkedAt ?? 0, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(time);
}

/** The worker's time now (the test clock). Without Steward, Monday's time as if it were set. */
async function clockOf(worker: Worker | null, fallback: () => number): Promise<number> {
  if (!worker) return fallback();
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: Chrome };
    const { e2eClock } = await chrome.storage.session.get('e2eClock');
    return Date.now() + (e2eClock ? e2eClock.time - e2eClock.setAt : 0);
  });
}

/** One visit: did the request reach the site, and the worker's time before and after. */
async function visit(page: Page, sites: SiteServer, host: string, clock: () => Promise<number>) {
  const before = sites.requestsTo(host).length;
  const startedAt = await clock();
  await page.goto(`https://${host}/`).catch(() => undefined);
  const endedAt = await clock();
  return { reached: sites.requestsTo(host).length > before, startedAt, endedAt };
}

/** Visit until the outcome flips to `reached`; returns that visit (or throws after `limitMs`). */
async function visitUntil(
  page: Page,
  sites: SiteServer,
  host: string,
  clock: () => Promise<number>,
  reached: boolean,
  limitMs: number,
) {
  const visits: Awaited<ReturnType<typeof visit>>[] = [];
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const v = await visit(page, sites, host, clock);
    visits.push(v);
    if (v.reached === reached) return { flipped: v, before: visits.slice(0, -1) };
    await page.waitForTimeout(200);
  }
  throw new Error(`${host} never became ${reached ? 'reachable' : 'blocked'}`);
}

async function launch(
  sites: SiteServer,
  policy: Record<string, unknown>,
  args: string[] = [],
  extensionDir = TEST_CLOCK_EXTENSION_DIR,
) {
  writePolicy(null);
  const launched = await launchWithExtension(sites, args, undefined, extensionDir);
  await applyPolicy(launched.context, policy);
  const worker = WITHOUT_EXTENSION ? null : await serviceWorkerOf(launched.context);
  return { ...launched, worker };
}

async function close(launched: { context: BrowserContext; userDataDir: string }) {
  await launched.context.close();
  rmSync(launched.userDataDir, { recursive: true, force: true });
  writePolicy(null);
}

test.describe.configure({ timeout: 240_000 });

test('a lunchtime window opens at 12:15 and closes at 12:16, to the second', async ({ sites }) => {
  const launched = await launch(sites, POLICY);
  try {
    const { context } = launched;
    let worker = launched.worker;
    const realStart = Date.now();
    const clock = async () => {
      worker = WITHOUT_EXTENSION ? null : await serviceWorkerOf(context);
      return clockOf(worker, () => at('12:14:00') + (Date.now() - realStart));
    };
    await setClock(worker, at('12:14:00'));
    const page = await context.newPage();

    // Before lunch: blocked, and the block page (from the worker's verdict) says when it opens.
    expect((await visit(page, sites, 'www.facebook.com', clock)).reached).toBe(false);
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=block#`));
    await expect(page.getByTestId('personal-use-opens')).toHaveText(
      'Personal use opens at 12:15: you can visit this site then.',
    );
    expect(await axeViolations(page)).toEqual([]);
    // The page's address decides nothing: a gambling site dressed up as social gets no promise.
    await page.goto('about:blank'); // a new document, not a fragment change of this one
    await page.goto(`${BLOCK_PAGE}?c=social&m=block#https://www.bet365.com/`);
    await expect(page.getByTestId('blocked-host')).toHaveText('www.bet365.com');
    await expect(page.getByTestId('personal-use-opens')).toHaveCount(0);
    // The popup: no window now, the next one today.
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(page.getByTestId('personal-use')).toContainText(
      'It is not personal-use time now.',
    );
    await expect(page.getByTestId('personal-use')).toContainText('Next: today at 12:15 to 12:16.');
    expect(await axeViolations(page)).toEqual([]);
    // A category the window does not open says nothing about personal use.
    await page.goto('https://www.bet365.com/');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}`));
    await expect(page.getByTestId('blocked-category')).toBeVisible();
    await expect(page.getByTestId('personal-use-opens')).toHaveCount(0);

    // The window opens at the minute: no request before 12:15:00, the first within seconds.
    const opening = await visitUntil(page, sites, 'www.facebook.com', clock, true, 100_000);
    expect(opening.flipped.endedAt).toBeGreaterThanOrEqual(OPENS);
    expect(opening.flipped.startedAt).toBeLessThan(OPENS + SLACK_MS);
    for (const v of opening.before) expect(v.reached).toBe(false);
    console.log(
      `opened: first request between ${opening.flipped.startedAt - OPENS} and ${opening.flipped.endedAt - OPENS} ms after 12:15:00`,
    );
    // Gambling stays blocked inside the window.
    expect((await visit(page, sites, 'www.bet365.com', clock)).reached).toBe(false);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('personal-use')).toContainText(
      'Personal-use time now, until 12:16.',
    );
    await expect(popup.getByTestId('personal-use')).toContainText(
      'Next: tomorrow at 12:15 to 12:16.',
    );
    await popup.close();

    // It closes at the minute (the clock moved on to 12:15:45 to save waiting).
    await setClock(worker, at('12:15:45'));
    expect((await visit(page, sites, 'www.facebook.com', clock)).reached).toBe(true);
    const closing = await visitUntil(page, sites, 'www.facebook.com', clock, false, 60_000);
    expect(closing.flipped.endedAt).toBeGreaterThanOrEqual(CLOSES);
    expect(closing.flipped.startedAt).toBeLessThan(CLOSES + SLACK_MS);
    // A visit that still reached the site started before the switch could land (the reconcile
    // and the DNR update take a moment after the alarm): never later than the slack.
    for (const v of closing.before) expect(v.startedAt).toBeLessThan(CLOSES + SLACK_MS);
    console.log(
      `closed: first blocked visit between ${closing.flipped.startedAt - CLOSES} and ${closing.flipped.endedAt - CLOSES} ms after 12:16:00`,
    );
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=block#`));
    // Tomorrow's lunch is next.
    await expect(page.getByTestId('personal-use-opens')).toHaveText(
      'Personal use opens tomorrow at 12:15: you can visit this site then.',
    );
  } finally {
    await close(launched);
  }
});

test('a worker stopped before the window opens, with no alarm to wake it, catches up at its next start', async ({
  sites,
}) => {
  const launched = await launch(sites, POLICY);
  try {
    const { context } = launched;
    const worker = launched.worker;
    await setClock(worker, at('12:14:50'));
    const page = await context.newPage();
    const realStart = Date.now();
    const clock = async () =>
      clockOf(
        WITHOUT_EXTENSION ? null : await serviceWorkerOf(context),
        () => at('12:14:50') + (Date.now() - realStart),
      );
    expect((await visit(page, sites, 'www.facebook.com', clock)).reached).toBe(false);

    if (worker) {
      // Nothing may wake it: no boundary alarm, no minute alarm; a mark to tell a fresh start.
      await worker.evaluate(async () => {
        const g = globalThis as unknown as { chrome: Chrome; sleptHere?: boolean };
        g.sleptHere = true;
        await g.chrome.alarms.clearAll();
      });
      const blank = await context.newPage();
      const cdp = await context.newCDPSession(blank);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await blank.close();
    }
    // Asleep across 12:15: wait until the worker's clock reads 12:15:05.
    await page.waitForTimeout(
      Math.max(0, at('12:15:05') - at('12:14:50') - (Date.now() - realStart)),
    );

    // The next navigation wakes it (the block page asks the worker); its start reconciles, and
    // lunch is in force from then on.
    const caughtUp = await visitUntil(page, sites, 'www.facebook.com', clock, true, 30_000);
    expect(caughtUp.flipped.startedAt).toBeGreaterThanOrEqual(OPENS);
    if (!WITHOUT_EXTENSION) {
      const fresh = await serviceWorkerOf(context);
      expect(
        await fresh.evaluate(() => (globalThis as { sleptHere?: boolean }).sleptHere ?? false),
        'the worker that caught up is a new start',
      ).toBe(false);
      expect((await enforcement(fresh))?.categories.social).toBe('allow');
    }
  } finally {
    await close(launched);
  }
});

test('a category the signed rule list locks stays blocked inside the window', async ({ sites }) => {
  const LIST_HOST = 'rules.stmarys-school.org.uk';
  const keys = await generateRuleListKeyPair();
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version: 3,
    issuedAt: new Date().toISOString(),
    categories: {
      extremism: { domains: ['locked-example.org.uk'], locked: true },
    },
  });
  const body = Buffer.from(text);
  const sig = await signRuleList(new Uint8Array(body), keys.privateKeyPem);
  const stop = sites.handle((req, res) => {
    if (req.headers.host?.split(':')[0] !== LIST_HOST) return false;
    if (req.url === '/steward/list.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else if (req.url === '/steward/list.json.sig') res.writeHead(200).end(sig);
    else res.writeHead(404).end();
    return true;
  });
  const policy = {
    ...POLICY,
    ruleListUrl: `https://${LIST_HOST}/steward/list.json`,
    ruleListPublicKey: keys.publicKey,
    // The school even allow-lists it and opens it in the window: the lock still holds.
    allowList: ['locked-example.org.uk'],
    personalUse: { ...POLICY.personalUse, modes: { social: 'allow', extremism: 'allow' } },
  };
  const launched = await launch(sites, policy, ['--ignore-certificate-errors']);
  try {
    const { context, worker } = launched;
    if (worker) {
      await expect
        .poll(async () => (await enforcement(worker))?.origins?.extremism?.locked ?? false, {
          timeout: 30_000,
        })
        .toBe(true);
    }
    await setClock(worker, at('12:15:10'));
    const realStart = Date.now();
    const clock = async () =>
      clockOf(
        WITHOUT_EXTENSION ? null : await serviceWorkerOf(context),
        () => at('12:15:10') + (Date.now() - realStart),
      );
    const page = await context.newPage();
    // The window is open: social reaches its site...
    expect((await visit(page, sites, 'www.facebook.com', clock)).reached).toBe(true);
    // ...the locked category does not, and its block page promises no opening time.
    expect((await visit(page, sites, 'www.locked-example.org.uk', clock)).reached).toBe(false);
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=extremism&m=block#`));
    await expect(page.getByTestId('personal-use-opens')).toHaveCount(0);
    if (worker) expect((await enforcement(worker))?.categories.extremism).toBe('block');
  } finally {
    stop();
    await close(launched);
  }
});

test('the product has no clock to move: the test clock written into its storage opens nothing', async ({
  sites,
}) => {
  // A one-minute window three hours from now (real time, in London): not open during this test.
  const hhmm = (t: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(t);
  const from = Date.now() + 3 * 3_600_000;
  const policy = {
    ...POLICY,
    personalUse: {
      windows: [
        {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          from: hhmm(from),
          to: hhmm(from + 60_000),
        },
      ],
      modes: { social: 'allow' },
    },
  };
  const launched = await launch(sites, policy, [], EXTENSION_DIR);
  try {
    const { context, worker } = launched;
    if (worker) {
      // The strongest write there is (from the worker itself): the product never reads it.
      await worker.evaluate(async (t) => {
        const { chrome } = globalThis as unknown as { chrome: Chrome };
        await chrome.storage.session.set({ e2eClock: { setAt: Date.now(), time: t } });
      }, from + 10_000);
    }
    const page = await context.newPage();
    const realClock = async () => Date.now();
    for (let i = 0; i < 3; i++) {
      expect((await visit(page, sites, 'www.facebook.com', realClock)).reached).toBe(false);
      await page.waitForTimeout(1_000);
    }
    if (worker) {
      const state = await enforcement(await serviceWorkerOf(context));
      expect(state?.categories.social).toBe('block');
      expect(state?.personalUse?.nextBoundary).toBeGreaterThan(Date.now());
    }
  } finally {
    await close(launched);
  }
});
