/**
 * The red-team tier (issue 10): Steward attacked as a determined member of staff would attack it,
 * in the real browser, with real hostnames served by the local site server. Every attack is judged
 * by one thing only: whether the blocked site's server was reached (the site server records every
 * request, `sites.seen`). A page that merely *looks* blocked proves nothing.
 *
 *   edited block-page addresses   m=block→warn, category swap, host swap, `#https://com/`,
 *                                 a warned prefix's page pointed at a blocked path
 *   the block page used elsewhere framed by a web page; opened directly; a forged Continue message;
 *                                 Continue in one tab used in another; a warned prefix widened
 *   URL tricks                    case, trailing dot, full-width (IDN) letters, ports, userinfo
 *   the service worker            stopped in the middle of a policy update
 *   fresh installs                30 installs × six kinds of first policy with a page opened at
 *                                 once (none may be left without rules); installs whose worker is
 *                                 stopped 0.3, 1 and 3 s in (all must get their rules)
 *
 * The figures (installs left with no rules, time to rules in force) are printed, and quoted in the
 * README's red-team section. Without the extension every attack reaches its site, so every test
 * here fails (scripts/check-e2e-needs-extension.ts runs it so).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import type { UploadResult } from '../../lib/report/index.ts';
import { getJson, signIn, startServer } from '../server/harness.ts';
import {
  applyPolicy,
  EXTENSION_ID,
  enforcement,
  expect,
  launchWithExtension,
  serviceWorkerOf,
  test,
  WITHOUT_EXTENSION,
  writePolicy,
} from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';
import { serveWebmailFixtures } from './support/webmail.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;
const POPUP = `chrome-extension://${EXTENSION_ID}/popup.html`;
/** A page of Steward's that reads the rules but does not look after the worker. */
const NOT_REPAIRING_PAGE = `chrome-extension://${EXTENSION_ID}/download-stopped.html`;
/** Gmail at its real host, served from tests/fixtures/webmail/gmail.html. */
const GMAIL = 'https://mail.google.com/mail/u/0/#inbox';

/** Blocked outright (gambling, adult: built-in categories in block mode). */
const BLOCKED = 'www.bet365.com';
const ALSO_BLOCKED = 'www.pornhub.com';
/** Warned (social in warn mode). */
const WARNED = 'www.reddit.com';
/** An ordinary site that frames the block page. */
const HOSTILE = 'www.lesson-resources.example';

const POLICY = {
  schoolName: 'Red Team Academy',
  categories: { social: 'warn', streaming: 'warn' },
  // A school-blocked path on a host whose iPlayer prefix is only warned (streaming: warn).
  blockList: ['example.net', 'bbc.co.uk/school-blocked'],
  warnContinueMinutes: 15,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The attacks start from a browser where Steward is running with the policy in force. A brand-new
 * profile first applies its install-time rules; the policy is written after that, so that these
 * tests measure the block page and not the start-up (the fresh-install tests below measure that).
 */
async function policyInForce(context: BrowserContext): Promise<void> {
  if (!WITHOUT_EXTENSION) {
    const worker = await serviceWorkerOf(context);
    await timeUntil(async () => ((await enforcement(worker))?.appliedAt ?? null) !== null, 30_000);
  }
  await applyPolicy(context, POLICY);
}

/** Page requests to `host` the site server received since `mark` (an index into sites.seen). */
function reached(sites: SiteServer, mark: number, host: string): string[] {
  return sites.seen
    .slice(mark)
    .filter((r) => r.host === host && !r.path.startsWith('/favicon'))
    .map((r) => `${r.secure ? 'https' : 'http'}://${r.host}${r.path}`);
}

/** Open a URL as typed in the address bar; an error page (refused, aborted) is not a failure here. */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 15_000 }).catch(() => undefined);
}

/**
 * Press "Continue" if the page offers it (after giving the block page time to ask the service
 * worker), then let whatever it does happen. Returns whether it was offered.
 */
async function continueIfOffered(page: Page, frame?: string): Promise<boolean> {
  const root = frame ? page.frameLocator(frame) : page;
  const button = root.getByTestId('warn-continue');
  const offered = await button.waitFor({ state: 'visible', timeout: 2_500 }).then(
    () => true,
    () => false,
  );
  if (offered) {
    await button.click({ timeout: 2_000 }).catch(() => undefined);
    await sleep(1_000);
  }
  return offered;
}

/** The page the redirect rule made for `url`, with its address edited by hand. */
function editedBlockPage(search: string, target: string): string {
  return `${BLOCK_PAGE}?${search}#${target}`;
}

/**
 * Type an edited block-page address and press Enter, then reload (F5): an edit of the fragment
 * alone is a same-document navigation the page may not notice, and a reload makes it start over
 * from the edited address.
 */
async function openEdited(page: Page, url: string): Promise<void> {
  await visit(page, url);
  if (page.url().startsWith(BLOCK_PAGE)) await page.reload().catch(() => undefined);
}

/** A message sent from the block page's own console (DevTools), as a member of staff could. */
async function forgeFromBlockPage(page: Page, message: Record<string, unknown>): Promise<unknown> {
  if (!page.url().startsWith(BLOCK_PAGE)) return null;
  return page
    .evaluate(async (m) => {
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      };
      return chrome.runtime.sendMessage(m);
    }, message)
    .catch((e: unknown) => String(e));
}

/**
 * A message posted on the worker's direct line from the block page's console (lib/direct-line.ts):
 * to the worker of Steward's own registration, with a port for the answer.
 */
async function postOnDirectLine(page: Page, message: Record<string, unknown>): Promise<unknown> {
  if (!page.url().startsWith(BLOCK_PAGE)) return null;
  return page
    .evaluate(async (m) => {
      const worker = (await navigator.serviceWorker.getRegistration('/'))?.active;
      if (!worker) return 'no worker';
      const channel = new MessageChannel();
      const answer = new Promise((resolve) => {
        channel.port1.onmessage = (event) => resolve(event.data);
        setTimeout(() => resolve('no answer in 5 s'), 5_000);
      });
      worker.postMessage(m, [channel.port2]);
      return answer;
    }, message)
    .catch((e: unknown) => String(e));
}

test.describe('red team: the block page cannot be talked into letting a blocked site through', () => {
  test.beforeAll(async ({ browserContext }) => {
    await policyInForce(browserContext);
  });

  test('m=block edited to m=warn, then Continue', async ({ page, sites }) => {
    const mark = sites.seen.length;
    await visit(page, `https://${BLOCKED}/`);
    await openEdited(page, editedBlockPage('c=gambling&m=warn', `https://${BLOCKED}/`));
    await continueIfOffered(page);
    await forgeFromBlockPage(page, {
      type: 'blockPage/continue',
      category: 'gambling',
      host: BLOCKED,
    });
    await visit(page, `https://${BLOCKED}/after-edit`);
    expect(reached(sites, mark, BLOCKED)).toEqual([]);
  });

  test('category swapped to a warned one (c=gambling → c=social&m=warn), then Continue', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await visit(page, `https://${BLOCKED}/`);
    await openEdited(page, editedBlockPage('c=social&m=warn', `https://${BLOCKED}/`));
    await continueIfOffered(page);
    await visit(page, `https://${BLOCKED}/after-swap`);
    expect(reached(sites, mark, BLOCKED)).toEqual([]);
  });

  test('a warning page whose host is changed to a blocked host, then Continue', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await visit(page, `https://${WARNED}/r/teachers`);
    await openEdited(page, editedBlockPage('c=social&m=warn', `https://${ALSO_BLOCKED}/`));
    await continueIfOffered(page);
    await forgeFromBlockPage(page, {
      type: 'blockPage/continue',
      category: 'social',
      host: ALSO_BLOCKED,
    });
    await visit(page, `https://${ALSO_BLOCKED}/after-host-swap`);
    expect(reached(sites, mark, ALSO_BLOCKED)).toEqual([]);
  });

  test('a warning page pointed at a public suffix (#https://com/), then Continue, then any .com', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await visit(page, `https://${WARNED}/`);
    await openEdited(page, editedBlockPage('c=social&m=warn', 'https://com/'));
    await continueIfOffered(page);
    await forgeFromBlockPage(page, { type: 'blockPage/continue', category: 'social', host: 'com' });
    await visit(page, `https://${BLOCKED}/after-suffix`);
    await visit(page, `https://${ALSO_BLOCKED}/after-suffix`);
    expect([...reached(sites, mark, BLOCKED), ...reached(sites, mark, ALSO_BLOCKED)]).toEqual([]);
  });

  test("a warned prefix's page pointed at a path the school blocks, then Continue", async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await visit(page, 'https://www.bbc.co.uk/iplayer');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=streaming&m=warn#`));
    await openEdited(
      page,
      editedBlockPage('c=streaming&m=warn', 'https://www.bbc.co.uk/school-blocked/lesson'),
    );
    await continueIfOffered(page);
    await visit(page, 'https://www.bbc.co.uk/school-blocked/after');
    expect(
      reached(sites, mark, 'www.bbc.co.uk').filter((u) => u.includes('/school-blocked')),
    ).toEqual([]);
  });

  test('Continue on a warned prefix opens that prefix, not the rest of the warned host', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await visit(page, 'https://www.bbc.co.uk/iplayer/episode/1');
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=streaming&m=warn#`));
    expect(await continueIfOffered(page)).toBe(true);
    // The member of staff chose to continue to iPlayer: that is allowed, and reaches it.
    await expect(page.locator('#path')).toHaveText('/iplayer/episode/1');
    // BBC Sounds is another warned prefix on the same host: it must warn again.
    await visit(page, 'https://www.bbc.co.uk/sounds');
    expect(reached(sites, mark, 'www.bbc.co.uk').filter((u) => u.includes('/sounds'))).toEqual([]);
  });
});

test.describe('red team: the block page used outside its own tab', () => {
  test.beforeAll(async ({ browserContext }) => {
    await policyInForce(browserContext);
  });

  test('a web page frames blocked.html and presses Continue inside the frame', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    const framed = editedBlockPage('c=social&m=warn', `https://${ALSO_BLOCKED}/`);
    await visit(page, `https://${HOSTILE}/?frame=${encodeURIComponent(framed)}`);
    if (WITHOUT_EXTENSION) await visit(page, `https://${ALSO_BLOCKED}/`);
    await continueIfOffered(page, '#frame');
    await sleep(500);
    await visit(page, `https://${ALSO_BLOCKED}/after-frame`);
    expect(reached(sites, mark, ALSO_BLOCKED)).toEqual([]);
    // The framing page itself is an ordinary site and loads.
    expect(reached(sites, mark, HOSTILE).length).toBeGreaterThan(0);
  });

  test('blocked.html opened directly with a blocked host, Continue pressed', async ({
    page,
    sites,
  }) => {
    const mark = sites.seen.length;
    await openEdited(page, editedBlockPage('c=social&m=warn', `https://${ALSO_BLOCKED}/direct`));
    await continueIfOffered(page);
    await forgeFromBlockPage(page, {
      type: 'blockPage/continue',
      category: 'social',
      host: ALSO_BLOCKED,
    });
    await visit(page, `https://${ALSO_BLOCKED}/after-direct`);
    expect(reached(sites, mark, ALSO_BLOCKED)).toEqual([]);
  });

  test('opening or framing blocked.html records no blocked or warned count', async ({
    browserContext,
    page,
    sites,
  }) => {
    // The worker counts a block page only for a navigation it saw its tab start (webNavigation),
    // so a block page opened directly or framed by a web page adds nothing.
    const admin = await browserContext.newPage();
    const held = async (): Promise<number> => {
      if (WITHOUT_EXTENSION) return 0;
      const state = (await admin.evaluate(async () => {
        const { chrome } = globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        };
        return chrome.runtime.sendMessage({ type: 'options/reportingState' });
      })) as { unsent: { count: number }; pending: { count: number }[] };
      return state.unsent.count + state.pending.reduce((n, b) => n + b.count, 0);
    };
    try {
      await visit(admin, POPUP);
      const before = await held();
      for (let i = 0; i < 3; i++) {
        await openEdited(page, editedBlockPage('c=gambling&m=block', `https://${BLOCKED}/${i}`));
        const framed = editedBlockPage('c=adult&m=block', `https://${ALSO_BLOCKED}/${i}`);
        await visit(page, `https://${HOSTILE}/?frame=${encodeURIComponent(framed)}`);
      }
      await sleep(1_000);
      expect(await held()).toBe(before);
      // …while a real blocked navigation is counted (and does not reach the site).
      const mark = sites.seen.length;
      await visit(page, `https://${BLOCKED}/real`);
      await expect.poll(held, { timeout: 5_000 }).toBe(before + 1);
      expect(reached(sites, mark, BLOCKED)).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  test("Continue and a count posted on the worker's direct line are refused; the warned site stays unreached", async ({
    page,
    sites,
  }) => {
    await visit(page, `https://${WARNED}/r/direct-line`);
    const target = `https://${WARNED}/r/direct-line`;
    const answers = [
      await postOnDirectLine(page, { type: 'blockPage/continue', url: target }),
      await postOnDirectLine(page, { type: 'blockPage/opened', url: target }),
    ];
    expect(answers).toEqual([
      { refused: 'not a message for the direct line' },
      { refused: 'not a message for the direct line' },
    ]);
    // The line answers what it may: the verdict, from the rules (warned, Continue to be asked).
    expect(await postOnDirectLine(page, { type: 'blockPage/verdict', url: target })).toMatchObject({
      answer: { outcome: 'warned' },
    });
    const mark = sites.seen.length;
    await visit(page, target);
    expect(reached(sites, mark, WARNED)).toEqual([]);
    await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=warn#`));
  });

  test('Continue in one tab does not open the warned site in another tab', async ({
    browserContext,
    sites,
  }) => {
    const first = await browserContext.newPage();
    const second = await browserContext.newPage();
    try {
      await visit(first, `https://${WARNED}/r/teachers`);
      expect(await continueIfOffered(first)).toBe(true);
      await expect(first.locator('#site')).toHaveText(`Site ${WARNED}`);
      const mark = sites.seen.length;
      await visit(second, `https://${WARNED}/r/other-tab`);
      expect(reached(sites, mark, WARNED)).toEqual([]);
      await expect(second).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=social&m=warn#`));
    } finally {
      await first.close();
      await second.close();
    }
  });
});

test.describe('red team: URL tricks on a blocked host', () => {
  test.beforeAll(async ({ browserContext }) => {
    await policyInForce(browserContext);
  });

  const TRICKS: [string, string][] = [
    ['upper case', 'https://WWW.BET365.COM/Case'],
    ['a trailing dot', 'https://www.bet365.com./dot'],
    ['no www', 'https://bet365.com/bare'],
    ['full-width letters (IDN)', 'https://ｗｗｗ．ｂｅｔ３６５．ｃｏｍ/fullwidth'],
    ['an explicit https port', 'https://www.bet365.com:443/port'],
    ['another https port', 'https://www.bet365.com:8443/port'],
    ['plain http on a port', 'http://www.bet365.com:8080/port'],
    ['userinfo that looks like the school', 'https://school.example@www.bet365.com/userinfo'],
    ['userinfo with a password', 'https://staff:letmein@www.bet365.com/userinfo'],
    ['an encoded path', 'https://www.bet365.com/%2e%2e/%62et'],
  ];

  test('none of them reaches the blocked site', async ({ page, sites }) => {
    const through: string[] = [];
    for (const [name, url] of TRICKS) {
      const mark = sites.seen.length;
      await visit(page, url);
      const hits = [...reached(sites, mark, BLOCKED), ...reached(sites, mark, 'bet365.com')];
      if (hits.length > 0) through.push(`${name}: ${url} → ${hits.join(', ')}`);
    }
    expect(through).toEqual([]);
  });
});

/** Dynamic rules in force, read from an extension page that sends no message (so it does not
 * wake a stopped service worker). */
async function dynamicRuleCount(observer: Page): Promise<number> {
  if (WITHOUT_EXTENSION) return 0;
  return observer.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { declarativeNetRequest: { getDynamicRules(): Promise<unknown[]> } };
    };
    return (await chrome.declarativeNetRequest.getDynamicRules()).length;
  });
}

async function ruleDomains(observer: Page): Promise<string[]> {
  if (WITHOUT_EXTENSION) return [];
  return observer.evaluate(async () => {
    type Rule = { condition: { requestDomains?: string[] } };
    const { chrome } = globalThis as unknown as {
      chrome: { declarativeNetRequest: { getDynamicRules(): Promise<Rule[]> } };
    };
    return (await chrome.declarativeNetRequest.getDynamicRules()).flatMap(
      (r) => r.condition.requestDomains ?? [],
    );
  });
}

/** Stop every service worker of the browser, as Chrome does to an idle one. */
async function stopWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Poll `read` until `done`, up to `timeoutMs`; returns the ms it took, or null. */
async function timeUntil(
  read: () => Promise<boolean>,
  timeoutMs: number,
  started = Date.now(),
): Promise<number | null> {
  while (Date.now() - started < timeoutMs) {
    if (await read().catch(() => false)) return Date.now() - started;
    await sleep(200);
  }
  return null;
}

// Without the extension nothing ever gets rules: fail fast there (check-e2e-needs-extension).
/** How long an install may take to put rules in force before it counts as "left with none". */
const RULES_DEADLINE_MS = WITHOUT_EXTENSION ? 2_000 : 15_000;
/** A stopped worker must be back, at the latest, when its own alarm wakes it. */
const STOPPED_DEADLINE_MS = WITHOUT_EXTENSION ? 2_000 : 80_000;

test.describe('red team: the service worker stopped mid-update', () => {
  test('a policy change cut off by a worker stop still comes into force', async ({
    browserContext,
    page,
    sites,
  }) => {
    test.setTimeout(4 * 60_000);
    await policyInForce(browserContext);
    const observer = await browserContext.newPage();
    await visit(observer, POPUP);
    const figures: string[] = [];
    // A long block list makes the update take long enough for a stop to land inside it.
    const bulk = Array.from({ length: 9_000 }, (_, n) => `bulk-${n}.example`);
    for (const [i, delay] of [0, 100, 300, 700].entries()) {
      const host = `stopped-mid-update-${i}.example`;
      writePolicy({ ...POLICY, blockList: [...POLICY.blockList, ...bulk.slice(i), host] });
      // "Reload policies", then stop the worker while it applies the change.
      const reload = await browserContext.newPage();
      await visit(reload, 'chrome://policy');
      await reload.locator('#reload-policies').click({ timeout: 20_000 });
      await sleep(delay);
      await stopWorkers(browserContext, reload);
      await reload.close();
      const took = await timeUntil(
        async () => (await ruleDomains(observer)).includes(host),
        STOPPED_DEADLINE_MS,
      );
      figures.push(
        `stopped ${delay} ms after the reload: ${took === null ? 'never' : `${took} ms`}`,
      );
      // Never without rules meanwhile, and afterwards the new host is blocked.
      expect(await dynamicRuleCount(observer)).toBeGreaterThan(0);
      const mark = sites.seen.length;
      await visit(page, `https://${host}/`);
      expect(reached(sites, mark, host), figures.join('; ')).toEqual([]);
    }
    console.log(`[red team] policy change with the worker stopped: ${figures.join('; ')}`);
    await observer.close();
    await applyPolicy(browserContext, POLICY);
  });
});

type FirstPolicy = { kind: string; policy: Record<string, unknown> | null };

/** Six kinds of first policy a new staff profile can meet. */
const FIRST_POLICIES: FirstPolicy[] = [
  { kind: 'valid', policy: { categories: { social: 'warn' }, blockList: ['example.net'] } },
  // Chromium drops a value its managed_schema refuses before Steward sees it.
  { kind: 'dropped by the schema', policy: { warnContinueMinutes: 'ten', categories: 'block' } },
  { kind: 'unknown keys', policy: { colour: 'purple', categories: { gambling: 'block' } } },
  {
    kind: 'over the limits',
    policy: { blockList: Array.from({ length: 10_001 }, (_, i) => `site-${i}.example`) },
  },
  // Passes Chromium's schema (a string in a list), refused by Steward's own check.
  {
    kind: 'invalid mailbox',
    policy: { mailbox: { restrictMicrosoftTenants: { tenantIds: ['not-a-tenant-id'] } } },
  },
  { kind: 'none', policy: null },
];

/**
 * An install left with no rules of its own: print what Chromium says of Steward's service worker
 * (registered? running? its last error?) and what rules the browser holds, so the next person sees
 * why. Seen twice in fresh-clone runs (an install stopped 0.3 s in: "no registration for Steward",
 * the static default ruleset on), never in a run of its own. Session 19 stopped 12 fresh installs
 * 0.3 s in and followed Chromium's worker states (CDP `ServiceWorker.workerVersionUpdated`): in 8
 * the stop landed while the worker was still starting (new), Chromium started it again and rules
 * came 1.2-1.7 s in; in 4 it landed after activation and the worker came back at once. None lost
 * its registration, so the loss is a stop landing inside the short install step itself: Chromium
 * then drops the registration of an unpacked extension until the browser starts again, and
 * nothing of Steward's runs to retry (the built-in default stays in force meanwhile). Session 20
 * ran this spec's stopped-install test 45 times in a row on a loaded machine: one run lost the
 * registration (about 2% of runs, each of which stops one install 0.3 s in), and a script that
 * stopped every worker every 5-20 ms through the first 1.5 s of 14 installs lost it once. CDP's
 * `ServiceWorker.unregister` does not remove an extension's registration, so no test can cause
 * the loss at will.
 *
 * Session 24 added a repair that needs no worker (lib/worker-repair.ts): the block page, popup and
 * options page look for their origin's registration and register the worker's script again if it
 * is missing at two looks 5 s apart (at most once in 15 minutes). The observer below is the popup,
 * so a lost install now meets it; the test prints whether a page registered the worker again.
 * Session 38 saw it bring the rules back in the real loss: the "stopped every few ms" test below
 * causes the loss in most runs, and every lost install got its rules from the repair.
 * `runtime.reload()` was tried instead and rejected: in this Chromium a reload of the unpacked
 * build unloaded Steward and did not load it again in about 10 of 12 tries.
 */
async function recordWorkerState(context: BrowserContext, kind: string): Promise<void> {
  const page = await context.newPage();
  try {
    await visit(page, 'chrome://serviceworker-internals/');
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered lines separate the fields.
    const text = await page.locator('body').innerText({ timeout: 5_000 });
    const ours = text
      .split(/\n(?=Scope:)/)
      .filter((block) => block.includes(EXTENSION_ID))
      .join('\n---\n');
    console.log(
      `[red team] ${kind}: no rules; chrome://serviceworker-internals says:\n${ours || '(no registration for Steward)'}`,
    );
    await visit(page, POPUP);
    const rulesets = await page.evaluate(async () => {
      type Dnr = { getEnabledRulesets(): Promise<string[]> };
      const { chrome } = globalThis as unknown as { chrome: { declarativeNetRequest: Dnr } };
      return chrome.declarativeNetRequest.getEnabledRulesets();
    });
    console.log(`[red team] ${kind}: static rulesets on: ${rulesets.join(', ') || 'none'}`);
  } catch (error) {
    console.log(`[red team] ${kind}: could not record the worker's state: ${String(error)}`);
  } finally {
    await page.close();
  }
}

/** Whether chrome://serviceworker-internals lists a worker of Steward's (opens no Steward page). */
async function stewardRegistered(context: BrowserContext): Promise<boolean> {
  let page: Page | undefined;
  try {
    page = await context.newPage();
    await visit(page, 'chrome://serviceworker-internals/');
    // The list fills in after the page's load.
    await sleep(500);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered lines separate the fields.
    const text = await page.locator('body').innerText({ timeout: 5_000 });
    return text.includes(EXTENSION_ID);
  } catch {
    return false;
  } finally {
    await page?.close().catch(() => undefined);
  }
}

type InstallResult = {
  kind: string;
  msToRules: number | null;
  reachedAfterRules: string[];
  /** Whether Chromium listed Steward's worker once the stops were over (before any of its pages). */
  registeredAfterStops?: boolean;
  /** Whether a page of Steward's registered the worker again (lib/worker-repair.ts). */
  repaired?: boolean;
  /** Which page did, from its stored record. */
  repairedFrom?: string;
  /**
   * Whether Chromium itself exited (or stopped answering for 10 s) under the storm of stops, so
   * the profile was opened again (as staff reopen a browser that crashed while it started) and
   * held to the same checks.
   */
  reopenedAfterCrash?: boolean;
  /** 'block page' first: whether that block page explained the block once the rules were in force. */
  blockPageShown?: boolean;
  /** Whether that block page asked staff to restart the browser (only the direct line answered). */
  restartAsked?: boolean;
  /** Whether a message from that block page then got no answer in 5 s (the browser's messaging stuck). */
  messagingStuck?: boolean;
  /** Whether the options page's "Test a site" then answered for the blocked site. */
  testSiteAnswered?: boolean;
  /** Whether the popup then asked staff to restart the browser. */
  popupAsksRestart?: boolean;
  /** `reportTo`: whether the browser, restarted by staff, then delivered a report. */
  reportedAfterRestart?: boolean;
  /** 'webmail' first: whether Gmail's page then knew the school's account as the school's. */
  mailboxKnewSchool?: boolean;
  /** 'webmail' first: whether a Send to outside then met the school's disclaimer reminder. */
  sendUsedSchoolPolicy?: boolean;
};

/** Where a fresh install reports (the real admin server), and the group that tells it apart. */
type ReportTo = { url: string; token: string; group: string };

/**
 * The admin's "Send counts now" from a page of Steward's, until a batch is delivered (the worker
 * of a browser just started may still be applying its policy): whether one was, within 30 s.
 */
async function reportNow(page: Page): Promise<boolean> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const result = await page
      .evaluate(async () => {
        type Runtime = { sendMessage(m: unknown): Promise<unknown> };
        const { chrome } = globalThis as unknown as { chrome: { runtime: Runtime } };
        return chrome.runtime.sendMessage({ type: 'options/sendReportsNow' });
      })
      .catch(() => null);
    if ((result as UploadResult | null)?.delivered.length) return true;
    await sleep(1_000);
  }
  return false;
}

/**
 * Whether the browser's messaging to the worker is stuck, asked from a page of Steward's
 * independently of what is tested: an unknown message gets a refusal at once from a reachable
 * worker, nothing in 5 s when stuck.
 */
function messagingStuckFrom(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        type Runtime = { sendMessage(m: unknown): Promise<unknown> };
        const { chrome } = globalThis as unknown as { chrome: { runtime: Runtime } };
        chrome.runtime.sendMessage({ type: 'red-team/anyone-there' }).then(
          () => resolve(false),
          () => resolve(false),
        );
        setTimeout(() => resolve(true), 5_000);
      }),
  );
}

/** Chromium's "Reload policies", as an admin pushing a policy while the browser starts. */
async function reloadPolicies(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    await visit(page, 'chrome://policy');
    await page.locator('#reload-policies').click({ timeout: 20_000 });
  } finally {
    await page.close();
  }
}

/**
 * Ends whatever is left of a browser on this profile. When Playwright loses the browser, its
 * processes may linger (a main process that stopped answering, children left behind) and still
 * hold the profile, and a browser opened on a held profile hands over to the old one instead of
 * starting. A crash leaves nothing running, so this makes the reopening what staff would see.
 */
async function endBrowserOf(userDataDir: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const left = spawnSync('pkill', ['-KILL', '-f', '--', `--user-data-dir=${userDataDir}`]);
    if (left.status === 1) return; // nothing matched: no process left on the profile
    await sleep(100);
  }
  throw new Error(`Chromium on ${userDataDir} could not be ended`);
}

/** The browser's first tab sent to a site at once, as staff do (not awaited). */
async function openAtOnce(context: BrowserContext, host: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  void page.goto(`https://${host}/early`, { waitUntil: 'commit' }).catch(() => undefined);
  return page;
}

/**
 * One new staff profile: the first policy is in place before the browser starts, a page is opened
 * at once (as staff do), optionally the worker is stopped `stopAfterMs` in. Then: how long until
 * rules are in force, and does a blocked site stay unreached once they are.
 */
async function freshInstall(
  sites: SiteServer,
  first: FirstPolicy,
  options: {
    stopAfterMs?: number;
    /** Stop the worker every 5-20 ms for this long from launch, as a storm of crashes would. */
    stopRepeatedlyForMs?: number;
    deadlineMs: number;
    policyArrivesLate?: boolean;
    /**
     * The first page after the stops: the popup (which repairs a lost registration and shows the
     * rules), or Gmail, as staff open it first thing, with the rules then read from a page of
     * Steward's that repairs nothing (the download-stopped page). 'block page': the first tab stays
     * on the block page it opened at once (which looks after the worker itself), the rules are read
     * from the download-stopped page, and the block page must then explain the block.
     */
    firstPage?: 'popup' | 'webmail' | 'block page';
    /**
     * With 'block page': the policy also reports to this server, and once the block page has been
     * judged, staff restart the browser (as the block page asks) and a report is sent at once.
     */
    reportTo?: ReportTo;
    /** More of the school's policy, added to the first policy. */
    policyExtra?: Record<string, unknown>;
  },
): Promise<InstallResult> {
  const firstPolicy = first.policy
    ? {
        ...first.policy,
        ...options.policyExtra,
        ...(options.reportTo
          ? {
              reportUrl: options.reportTo.url,
              reportToken: options.reportTo.token,
              reportGroup: options.reportTo.group,
            }
          : {}),
      }
    : first.policy;
  writePolicy(options.policyArrivesLate ? null : firstPolicy);
  const launched = await launchWithExtension(sites);
  const { userDataDir } = launched;
  let context = launched.context;
  let browserExited = false;
  context.on('close', () => {
    browserExited = true;
  });
  let started = Date.now();
  try {
    const firstTab = () => openAtOnce(context, BLOCKED);
    let page = await firstTab();
    if (options.policyArrivesLate) {
      writePolicy(firstPolicy);
      await reloadPolicies(context);
    }
    if (options.stopAfterMs !== undefined) {
      // "n s after install": from the moment the new worker is running.
      if (!WITHOUT_EXTENSION) await serviceWorkerOf(context).catch(() => undefined);
      await sleep(options.stopAfterMs);
      await stopWorkers(context, page);
    }
    let registeredAfterStops: boolean | undefined;
    let browserHung = false;
    if (options.stopRepeatedlyForMs !== undefined) {
      // A browser that stops answering DevTools for 10 s under the storm is treated as one that
      // exited: staff would end it and open it again (a stop takes milliseconds when it answers).
      const answers = <T>(call: Promise<T>) =>
        Promise.race([
          call.then(
            () => true,
            () => true,
          ),
          sleep(10_000).then(() => false),
        ]);
      const cdp = await context.newCDPSession(page);
      try {
        browserHung = !(await answers(cdp.send('ServiceWorker.enable')));
        while (!browserHung && Date.now() - started < options.stopRepeatedlyForMs) {
          browserHung = !(await answers(cdp.send('ServiceWorker.stopAllWorkers')));
          await sleep(5 + Math.random() * 15);
        }
      } finally {
        await answers(cdp.detach());
      }
      if (!browserHung) registeredAfterStops = await stewardRegistered(context);
    }
    let reopenedAfterCrash: boolean | undefined;
    if (browserExited || browserHung) {
      // Seen once in a CI run (session 38's landing): Chromium itself exited under the storm.
      // Staff would open the browser again on the same profile; Steward must then be in force.
      // The clock starts again at the reopening.
      console.log(
        `[red team] Chromium ${browserHung ? 'stopped answering' : 'exited'} under the storm of stops; reopening the profile`,
      );
      reopenedAfterCrash = true;
      await endBrowserOf(userDataDir);
      context = (await launchWithExtension(sites, [], userDataDir)).context;
      started = Date.now();
      page = await firstTab();
      // Whether the reopened browser lists Steward's worker (a lost registration outlives a restart).
      registeredAfterStops = await stewardRegistered(context);
    }
    // Staff leave the block page for Gmail in the same tab, before its first look (3 s in).
    if (options.firstPage === 'webmail') await visit(page, GMAIL);
    const observer = await context.newPage();
    const onlyStaffPages = options.firstPage === 'webmail' || options.firstPage === 'block page';
    await visit(observer, onlyStaffPages ? NOT_REPAIRING_PAGE : POPUP);
    const msToRules = await timeUntil(
      async () => (await dynamicRuleCount(observer)) > 0,
      options.deadlineMs,
      started,
    );
    if (msToRules === null && !WITHOUT_EXTENSION) await recordWorkerState(context, first.kind);
    // Gmail, open since before the rules: once they are in force its mailbox check must know the
    // school's account as the school's (the policy's orgDomains), whether or not the browser still
    // delivers the worker its messages (after a repair it does not: lib/webmail-policy.ts).
    let mailboxKnewSchool: boolean | undefined;
    let webmailMessagingStuck: boolean | undefined;
    let sendUsedSchoolPolicy: boolean | undefined;
    if (options.firstPage === 'webmail' && msToRules !== null) {
      mailboxKnewSchool = await page
        .locator('html[data-steward-mailbox="work"]')
        .waitFor({ state: 'attached', timeout: 15_000 })
        .then(
          () => true,
          () => false,
        );
      if (!WITHOUT_EXTENSION) webmailMessagingStuck = await messagingStuckFrom(observer);
      // A Send to outside without the disclaimer: the school's compose policy (its disclaimer),
      // not the default, must decide (lib/webmail-policy.ts). Nothing is sent: staff go back.
      sendUsedSchoolPolicy = await page
        .evaluate(() => {
          type Fixture = { set(i: number, c: Record<string, unknown>): void };
          (window as unknown as { __fixture: Fixture }).__fixture.set(0, {
            to: ['parent@example.com'],
            subject: 'Trip',
            body: 'The coach leaves at 9.',
          });
        })
        .then(async () => {
          const send = page.locator('[data-compose-index="0"] [data-tooltip^="Send"]');
          await send.evaluate((el) => el.scrollIntoView({ block: 'center' }));
          await send.click();
          return page
            .getByRole('dialog', { name: 'Add the school’s disclaimer?' })
            .waitFor({ timeout: 10_000 });
        })
        .then(
          () => true,
          () => false,
        );
    }
    // The block page the first tab opened at once, during the storm: once the rules are in force
    // it must explain the block, whatever happened to the worker's registration meanwhile.
    let blockPageShown: boolean | undefined;
    let restartAsked: boolean | undefined;
    let messagingStuck: boolean | undefined;
    let testSiteAnswered: boolean | undefined;
    let popupAsksRestart: boolean | undefined;
    if (options.firstPage === 'block page' && page.url().startsWith(BLOCK_PAGE)) {
      blockPageShown = await page
        .getByTestId('blocked-host')
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (blockPageShown) {
        // Whether the browser's messaging is stuck, asked independently of the block page: an
        // unknown message gets a refusal at once from a reachable worker, nothing when stuck.
        messagingStuck = await messagingStuckFrom(page);
        // The page asks for a restart 10 s after the direct line answered, if still unheard.
        restartAsked = await page
          .getByTestId('restart-browser')
          .waitFor({ timeout: 15_000 })
          .then(
            () => true,
            () => false,
          );
      }
      // The options page's "Test a site" must answer too (it asks on the direct line as well).
      const options = await context.newPage();
      await visit(options, `chrome-extension://${EXTENSION_ID}/options.html`);
      await options.getByLabel('Web address').fill(`https://${BLOCKED}/`);
      await options.getByLabel('Web address').press('Enter');
      testSiteAnswered = await options
        .getByTestId('test-url-result')
        .filter({ hasText: 'Blocked by' })
        .waitFor({ timeout: 15_000 })
        .then(
          () => true,
          () => false,
        );
      await options.close();
      // The popup asks for the restart too, from the worker's own finding (its start checks that it
      // hears its own storage change; platform/worker-hearing.ts), exactly when messaging is stuck.
      const popup = await context.newPage();
      await visit(popup, POPUP);
      popupAsksRestart = await popup
        .getByTestId('restart-browser')
        .waitFor({ timeout: messagingStuck ? 20_000 : 2_000 })
        .then(
          () => true,
          () => false,
        );
      await popup.close();
    }
    let repaired: boolean | undefined;
    let repairedFrom: string | undefined;
    const stopped = options.stopAfterMs !== undefined || options.stopRepeatedlyForMs !== undefined;
    if (stopped && !WITHOUT_EXTENSION) {
      // lib/worker-repair.ts: whether a page (here the popup) found the registration lost.
      const repair = await observer
        .evaluate(async () => {
          type Local = { get(key: string): Promise<Record<string, unknown>> };
          const { chrome } = globalThis as unknown as { chrome: { storage: { local: Local } } };
          return JSON.stringify(
            (await chrome.storage.local.get('workerRepair')).workerRepair ?? null,
          );
        })
        .catch((e: unknown) => `unreadable (${String(e)})`);
      repaired = repair.startsWith('{');
      if (repaired) repairedFrom = (JSON.parse(repair) as { from?: string }).from;
      if (options.stopAfterMs !== undefined) {
        console.log(
          `[red team] stopped at ${options.stopAfterMs} ms: worker registered again by a page: ${repair}`,
        );
      }
    }
    const mark = sites.seen.length;
    await visit(page, `https://${BLOCKED}/after-rules`);
    let reportedAfterRestart: boolean | undefined;
    if (options.reportTo && blockPageShown && !WITHOUT_EXTENSION) {
      // Staff restart the browser as asked; the next report tells the school it was needed.
      await context.close();
      context = (await launchWithExtension(sites, [], userDataDir)).context;
      const popup = await context.newPage();
      await visit(popup, POPUP);
      reportedAfterRestart = await reportNow(popup);
    }
    return {
      kind: first.kind,
      msToRules,
      reachedAfterRules: reached(sites, mark, BLOCKED),
      ...(registeredAfterStops === undefined ? {} : { registeredAfterStops }),
      ...(repaired === undefined ? {} : { repaired }),
      ...(repairedFrom === undefined ? {} : { repairedFrom }),
      ...(reopenedAfterCrash === undefined ? {} : { reopenedAfterCrash }),
      ...(blockPageShown === undefined ? {} : { blockPageShown }),
      ...(restartAsked === undefined ? {} : { restartAsked }),
      ...(messagingStuck === undefined ? {} : { messagingStuck }),
      ...(testSiteAnswered === undefined ? {} : { testSiteAnswered }),
      ...(popupAsksRestart === undefined ? {} : { popupAsksRestart }),
      ...(reportedAfterRestart === undefined ? {} : { reportedAfterRestart }),
      ...(mailboxKnewSchool === undefined ? {} : { mailboxKnewSchool }),
      ...(sendUsedSchoolPolicy === undefined ? {} : { sendUsedSchoolPolicy }),
      ...(webmailMessagingStuck === undefined ? {} : { messagingStuck: webmailMessagingStuck }),
    };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

function describeTimes(results: InstallResult[]): string {
  const times = results
    .map((r) => r.msToRules)
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  if (times.length === 0) return 'none got rules';
  const median = times[Math.floor(times.length / 2)];
  return `time to rules in force: median ${median} ms, slowest ${times[times.length - 1]} ms`;
}

test.describe('red team: fresh installs', () => {
  test.afterAll(() => writePolicy(null));

  test('30 fresh installs, six kinds of first policy, a page opened at once: none left without rules', async ({
    sites,
  }) => {
    test.setTimeout(8 * 60_000);
    const results: InstallResult[] = [];
    for (let i = 0; i < 30; i++) {
      const first = FIRST_POLICIES[i % FIRST_POLICIES.length]!;
      results.push(await freshInstall(sites, first, { deadlineMs: RULES_DEADLINE_MS }));
      if (WITHOUT_EXTENSION) break;
    }
    const none = results.filter((r) => r.msToRules === null);
    const leaked = results.filter((r) => r.reachedAfterRules.length > 0);
    console.log(
      `[red team] ${results.length} fresh installs: ${none.length} left with no rules ` +
        `(${none.map((r) => r.kind).join(', ') || '—'}); ${describeTimes(results)}`,
    );
    for (const first of FIRST_POLICIES) {
      const mine = results.filter((r) => r.kind === first.kind);
      console.log(`[red team]   ${first.kind}: ${describeTimes(mine)}`);
    }
    expect(none.map((r) => r.kind)).toEqual([]);
    expect(leaked.map((r) => `${r.kind}: ${r.reachedAfterRules.join(', ')}`)).toEqual([]);
  });

  test('fresh installs whose policy arrives while they start (Reload policies at once) get rules', async ({
    sites,
  }) => {
    test.setTimeout(4 * 60_000);
    const results: InstallResult[] = [];
    for (let i = 0; i < 5; i++) {
      results.push(
        await freshInstall(sites, FIRST_POLICIES[0]!, {
          deadlineMs: RULES_DEADLINE_MS,
          policyArrivesLate: true,
        }),
      );
      if (WITHOUT_EXTENSION) break;
    }
    const none = results.filter((r) => r.msToRules === null).length;
    console.log(
      `[red team] ${results.length} fresh installs whose policy arrived during start-up: ` +
        `${none} left with no rules; ${describeTimes(results)}`,
    );
    expect(none).toBe(0);
    expect(results.flatMap((r) => r.reachedAfterRules)).toEqual([]);
  });

  /**
   * Session 38: a storm of stops (every 5-20 ms through an install's first 1.5 s) loses the
   * worker's registration far more often than one stop does: 4 of 44 installs in a throwaway run,
   * each repaired by the popup (lib/worker-repair.ts) with rules in force 10.5-10.8 s after launch.
   * So the repair is seen working on the real loss, which no test could cause at will before. The
   * test holds every install to rules in force and the blocked site unreached after them, lost
   * registration or not, and prints how many were lost and repaired (a run may lose none).
   *
   * In one CI run (session 38's landing, on another machine) Chromium itself exited under the
   * storm, and the test failed opening its next page. Such an install is now reopened on the same
   * profile, as staff would reopen a browser that crashed while it started, and held to the same
   * checks from the reopening; the line printed counts them. Not seen here in 48 installs.
   */
  test('fresh installs whose worker is stopped every few ms through their first 1.5 s all get their rules', async ({
    sites,
  }) => {
    test.setTimeout(8 * 60_000);
    const results: InstallResult[] = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await freshInstall(sites, FIRST_POLICIES[0]!, {
          stopRepeatedlyForMs: 1_500,
          deadlineMs: WITHOUT_EXTENSION ? RULES_DEADLINE_MS : 30_000,
        }),
      );
      if (WITHOUT_EXTENSION) break;
    }
    const lost = results.filter((r) => r.registeredAfterStops === false);
    console.log(
      `[red team] ${results.length} fresh installs stopped every 5-20 ms for 1.5 s: ` +
        `${lost.length} lost the worker's registration, ${results.filter((r) => r.repaired).length} ` +
        `registered again by the popup (rules after ${lost.map((r) => r.msToRules ?? 'never').join(', ') || '—'} ms); ` +
        `${results.filter((r) => r.reopenedAfterCrash).length} where Chromium itself exited or stopped answering and was reopened; ` +
        describeTimes(results),
    );
    expect(results.filter((r) => r.msToRules === null).length).toBe(0);
    expect(results.flatMap((r) => r.reachedAfterRules)).toEqual([]);
  });

  /**
   * A lost registration and no page of Steward's opened: staff open Gmail first thing. Its content
   * scripts get no answer and frame the hidden worker-check page, which registers the worker again
   * (webmail/worker-check-frame.ts). The loss is caused the only way known, the storm of stops
   * above; the tab then leaves the block page for Gmail before the block page's first look.
   * Installs are tried until one loses its registration, at most ten (one of the first three did
   * in each of six runs in session 40). Every install, lost or not, must get its rules with only
   * Gmail and a page of Steward's that repairs nothing opened, and the blocked site must stay
   * unreached after them.
   */
  test('a lost registration is repaired by the first webmail page staff open', async ({
    sites,
  }) => {
    test.setTimeout(8 * 60_000);
    const stopServing = serveWebmailFixtures(sites);
    const results: InstallResult[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const result = await freshInstall(sites, FIRST_POLICIES[0]!, {
          stopRepeatedlyForMs: 1_500,
          deadlineMs: WITHOUT_EXTENSION ? RULES_DEADLINE_MS : 45_000,
          firstPage: 'webmail',
          // The Gmail fixture is signed in to teacher@stmarys-school.org.uk.
          policyExtra: {
            orgDomains: ['stmarys-school.org.uk'],
            compose: { disclaimer: 'This email is confidential to St Mary’s School.' },
          },
        });
        results.push(result);
        if (result.registeredAfterStops === false || result.msToRules === null) break;
      }
    } finally {
      stopServing();
    }
    const lost = results.find((r) => r.registeredAfterStops === false);
    console.log(
      `[red team] lost registration, Gmail first: ${results.length} installs tried; ` +
        (lost
          ? `registration lost, registered again by the ${lost.repairedFrom ?? 'no page'}, rules after ${lost.msToRules ?? 'never'} ms, messaging ${lost.messagingStuck ? 'stuck' : 'not stuck'}`
          : 'none lost its registration') +
        `; Gmail knew the school's account in ${results.filter((r) => r.mailboxKnewSchool).length} of ${results.length}` +
        `, its Send met the school's disclaimer in ${results.filter((r) => r.sendUsedSchoolPolicy).length}`,
    );
    expect(results.filter((r) => r.msToRules === null).length).toBe(0);
    expect(results.flatMap((r) => r.reachedAfterRules)).toEqual([]);
    // Every Gmail page knew the school's account once the rules were in force, the one whose
    // worker the browser no longer delivers messages to included (lib/webmail-policy.ts).
    expect(results.filter((r) => r.mailboxKnewSchool !== true)).toEqual([]);
    expect(results.filter((r) => r.sendUsedSchoolPolicy !== true)).toEqual([]);
    test.skip(
      lost === undefined,
      'no install of ten lost its registration: the repair was not needed',
    );
    expect(lost?.repairedFrom).toBe('webmail page');
    // The repaired worker hears no message from the browser (seen every time), so that Gmail page
    // knew the school's account from the policy the worker applied, read directly.
    expect(lost?.messagingStuck).toBe(true);
    expect(lost?.mailboxKnewSchool).toBe(true);
    expect(lost?.sendUsedSchoolPolicy).toBe(true);
  });

  /**
   * A block page open while the registration was lost. Seen in session 41 (Debian's Chromium 156):
   * once a page has registered the worker again, the worker puts the rules in force but the
   * browser delivers it no extension message or event for the rest of that browser session, so
   * that block page stayed blank for good (as did a new one). Steward's pages now also ask on the
   * worker's direct line (lib/direct-line.ts). The same storm; the first tab stays on the block
   * page it opened at once, which registers the worker again itself; no other page of Steward's
   * that repairs is opened. Installs are tried until one loses its registration, at most ten.
   * Every block page must explain the block within 10 s of the rules being in force, and the
   * options page's "Test a site" must then answer.
   */
  test('a block page open while the registration was lost explains the block once it is repaired', async ({
    sites,
  }) => {
    test.setTimeout(10 * 60_000);
    // The school's admin server: each install reports under its own group, and after its restart
    // says whether it needed one (status.workerRecovery, lib/worker-recovery.ts).
    const token = 'red-team-report-token';
    const password = 'red team admin passphrase';
    const server = await startServer({
      STEWARD_REPORT_TOKENS: token,
      STEWARD_ADMIN_PASSWORD: password,
    });
    const reportUrl = `${server.url.replace('127.0.0.1', 'localhost')}/v1/reports`;
    const results: InstallResult[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const result = await freshInstall(sites, FIRST_POLICIES[0]!, {
          stopRepeatedlyForMs: 1_500,
          deadlineMs: WITHOUT_EXTENSION ? RULES_DEADLINE_MS : 45_000,
          firstPage: 'block page',
          reportTo: { url: reportUrl, token, group: `Install ${i + 1}` },
        });
        results.push(result);
        // A lost registration with the block page open (the first tab's navigation may not have
        // got as far as the block page under the storm).
        const lostWithBlockPage =
          result.registeredAfterStops === false && result.blockPageShown !== undefined;
        if (lostWithBlockPage || result.msToRules === null) break;
      }
      const lost = results.find(
        (r) => r.registeredAfterStops === false && r.blockPageShown !== undefined,
      );
      console.log(
        `[red team] lost registration, block page open: ${results.length} installs tried; ` +
          (lost
            ? `registration lost, registered again by the ${lost.repairedFrom ?? 'no page'}, rules after ${lost.msToRules ?? 'never'} ms, block page ${lost.blockPageShown ? 'explained the block' : lost.blockPageShown === false ? 'stayed blank' : 'not open'}; ` +
              `messaging stuck in ${results.filter((r) => r.messagingStuck).length} of ${results.length}, restart asked in ${results.filter((r) => r.restartAsked).length}`
            : 'none lost its registration'),
      );
      expect(results.filter((r) => r.msToRules === null).length).toBe(0);
      expect(results.flatMap((r) => r.reachedAfterRules)).toEqual([]);
      expect(results.filter((r) => r.blockPageShown === false).length).toBe(0);
      test.skip(
        lost === undefined,
        'no install of ten lost its registration: the direct line was not needed',
      );
      expect(lost?.repairedFrom).toBe('block page');
      expect(lost?.blockPageShown).toBe(true);
      // Staff are asked to restart the browser (which brings its messaging back) exactly where the
      // browser's messaging is stuck: after the repair (seen every time). An install that kept its
      // registration but whose worker answered the browser's messaging only after 3 s (seen: the
      // direct line answered first there) must not ask it.
      expect(lost?.messagingStuck).toBe(true);
      expect(results.filter((r) => r.restartAsked !== r.messagingStuck)).toEqual([]);
      expect(
        results.filter((r) => r.blockPageShown && r.popupAsksRestart !== r.messagingStuck),
      ).toEqual([]);
      expect(results.filter((r) => r.testSiteAnswered === false).length).toBe(0);
      // After the restart each browser reported, and the school learnt exactly which needed it:
      // the lost install one restart and one repair; every other none.
      expect(results.filter((r) => r.blockPageShown && !r.reportedAfterRestart)).toEqual([]);
      const { cookie } = await signIn(server.url, password);
      const { json } = await getJson(server.url, '/api/installations', cookie);
      type Reported = {
        group: string | null;
        restartsNeeded: number;
        registrationsRepaired: number;
      };
      const reported = json.installations as Reported[];
      const told = results.map((r, i) => {
        const row = reported.find((x) => x.group === `Install ${i + 1}`);
        return {
          install: i + 1,
          stuck: r.messagingStuck ?? false,
          restartsNeeded: row?.restartsNeeded ?? null,
          repaired: row?.registrationsRepaired ?? null,
        };
      });
      console.log(
        `[red team] what the school was told after the restarts: ${JSON.stringify(told)}`,
      );
      expect(told.filter((t) => t.restartsNeeded !== (t.stuck ? 1 : 0))).toEqual([]);
      expect(told.find((t) => t.install === results.indexOf(lost!) + 1)?.repaired).toBe(1);
      const health = await getJson(server.url, '/api/health', cookie);
      const listed = (health.json.problems as { group: string | null; problems: string[] }[])
        .filter((p) => p.problems.includes('needed_restart'))
        .map((p) => p.group);
      expect(listed).toEqual(told.filter((t) => t.stuck).map((t) => `Install ${t.install}`));
    } finally {
      await server.stop();
    }
  });

  test('fresh installs whose worker is stopped 0.3, 1 and 3 s in all get their rules', async ({
    sites,
  }) => {
    test.setTimeout(6 * 60_000);
    const figures: string[] = [];
    const results: InstallResult[] = [];
    for (const stopAfterMs of [300, 1_000, 3_000]) {
      const result = await freshInstall(sites, FIRST_POLICIES[0]!, {
        stopAfterMs,
        deadlineMs: STOPPED_DEADLINE_MS,
      });
      results.push(result);
      figures.push(
        `stopped at ${stopAfterMs} ms: ${result.msToRules === null ? `no rules after ${STOPPED_DEADLINE_MS / 1000} s` : `rules after ${result.msToRules} ms`}`,
      );
    }
    console.log(`[red team] fresh installs with the worker stopped: ${figures.join('; ')}`);
    expect(results.filter((r) => r.msToRules === null).length, figures.join('; ')).toBe(0);
    expect(results.flatMap((r) => r.reachedAfterRules)).toEqual([]);
  });
});
