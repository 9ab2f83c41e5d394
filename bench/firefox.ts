/**
 * The same figures in Firefox ESR (issue 14), where its DNR allows, with what it does not allow
 * said plainly. Steward is deployed as a school deploys it (tests/e2e-firefox/support.ts):
 * policies.json force-installs the Firefox package from a URL and configures it (3rdparty), the
 * browser is Debian's Firefox ESR, headless, driven by puppeteer-core over WebDriver BiDi.
 *
 * Firefox runs Steward's background as an event page, and WebDriver BiDi offers no way into it, so
 * everything is timed from an extension page (moz-extension://…/popup.html, opened in a tab),
 * where `browser.*` APIs are the same ones the background uses:
 *
 *  1. Firefox's DNR limits as the running browser reports them, and whether ONE rule with
 *     100,000 and 1,000,000 requestDomains is accepted;
 *  2. the bare apply of that one rule (`updateDynamicRules`, timed in the page; the rule handed
 *     to the page beforehand over BiDi, untimed), against Steward's own rule-list update of the same
 *     domains (a signed format-2 list from a loopback server, `ruleListUrl`/`ruleListPublicKey`
 *     in policies.json, the `options/refreshRuleList` message, which replies with Steward's own
 *     timings) → ratio. Each call has a time limit: a refusal or a time-out is printed, not thrown;
 *  3. time from launching Firefox to Steward's rules in force (the marker rule in
 *     getDynamicRules), restarting the same profile, p50/p95 over as many starts as fit in about
 *     three minutes;
 *  4. memory: Firefox exposes no heap figure to extensions (no performance.memory, no CDP), so the
 *     resident memory of Firefox's process tree (ps) with and without the 1M list in force.
 *
 * Needs Firefox ESR and root (system policy files, port 80); run it through scripts/isolated.sh on
 * a shared machine.
 *
 *   bash scripts/isolated.sh node --import tsx bench/firefox.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { directoryEntries, zipEntries } from '../cli/packaging/zip.ts';
import { MARKER_RULE_ID } from '../lib/enforcement-plan.ts';
import {
  RULE_LIST_FORMAT,
  type RuleListDocument,
  toCompiledRuleList,
} from '../lib/rule-list/document.ts';
import { generateRuleListKeyPair } from '../lib/rule-list/signature.ts';
import {
  buildFirefoxPackage,
  DEFAULT_GECKO_ID,
  firefoxMissing,
  firefoxPolicies,
  forward,
  installFirefoxPolicies,
  launchFirefox,
} from '../tests/e2e-firefox/support.ts';
import { bareRule } from './apply.ts';
import { chromiumRss, startFileServer } from './chromium.ts';
import { BENCH_CATEGORY } from './compile.ts';
import { domainSet, onePercentChanged } from './domain-sets.ts';
import { type Published, publishList, publishSmallChange } from './published-list.ts';
import { median, ms, n, record } from './summary.ts';

const AREA = 'firefox';
const SIZES = [100_000, 1_000_000] as const;
const LARGEST = SIZES[SIZES.length - 1];
const RUNS = 3;
/** Longer than this for one apply or update counts as "unreasonably long". */
const CALL_LIMIT_MS = 120_000;
const STARTUP_BUDGET_MS = 180_000;
const MB = 1024 * 1024;
const XPI_URL = 'http://deploy.school.example/steward.xpi';
/** A fixed moz-extension UUID (Firefox's `extensions.webextensions.uuids`), so pages can be opened. */
const UUID = '5e1f0c6a-2b7d-4c3e-9a51-7d0c2f4b8e10';
const POPUP = `moz-extension://${UUID}/popup.html`;
/** Blocked by Steward's default categories (gambling), before any request leaves. */
const BLOCKED_HOST = 'www.bet365.com';
const PREFS = { 'extensions.webextensions.uuids': JSON.stringify({ [DEFAULT_GECKO_ID]: UUID }) };

type RefreshReply = { outcome: string; message?: string; timings: Record<string, number> };
type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

/** The slice of Firefox's `browser` the page calls. */
type PageBrowser = {
  declarativeNetRequest: Record<string, unknown> & {
    getDynamicRules(filter?: { ruleIds: number[] }): Promise<{ id: number }[]>;
    updateDynamicRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
  };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
};

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Run `work`, giving up after `limitMs`; a rejection or the time-out comes back as words. */
async function within<T>(limitMs: number, work: () => Promise<T>): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, why: `no answer within ${limitMs / 1000} s` }),
      limitMs,
    );
  });
  try {
    return await Promise.race([
      work().then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: unknown): Outcome<T> => ({
          ok: false,
          why: (error instanceof Error ? error.message : String(error)).split('\n')[0]!,
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Open Steward's popup in a tab. WebDriver BiDi refuses to navigate to a moz-extension page, so
 * the tab visits a site Steward blocks by default (gambling) until Steward's block page (an
 * extension page) comes up, which also means Steward's rules are in force; that page then opens
 * the popup itself. Resolves with the time the block page was first seen.
 */
async function openExtensionPage(
  browser: Browser,
  limitMs = 90_000,
): Promise<{ page: Page; blockedAt: number }> {
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const end = performance.now() + limitMs;
  const href = () => page.evaluate(() => globalThis.location.href).catch(() => '');
  let blockedAt = 0;
  for (let i = 0; !blockedAt; i++) {
    if (performance.now() > end) {
      throw new Error(`Steward's block page did not come up within ${limitMs / 1000} s`);
    }
    await page
      .goto(`http://${BLOCKED_HOST}/probe-${i}`, { waitUntil: 'domcontentloaded', timeout: 300 })
      .catch(() => undefined);
    if ((await href()).startsWith(`moz-extension://${UUID}/`)) blockedAt = performance.now();
  }
  await page.evaluate((url) => globalThis.location.assign(url), POPUP).catch(() => undefined);
  for (;;) {
    const ready = await page
      .evaluate((url) => {
        const b = (globalThis as unknown as { browser?: PageBrowser }).browser;
        return (
          globalThis.location.href === url &&
          document.readyState === 'complete' &&
          typeof b?.declarativeNetRequest?.getDynamicRules === 'function'
        );
      }, POPUP)
      .catch(() => false);
    if (ready) return { page, blockedAt };
    if (performance.now() > end) throw new Error(`${POPUP} did not open`);
    await sleep(50);
  }
}

async function markerInForce(page: Page): Promise<boolean> {
  return page
    .evaluate(async (id) => {
      const b = (globalThis as unknown as { browser: PageBrowser }).browser;
      return (await b.declarativeNetRequest.getDynamicRules({ ruleIds: [id] })).length === 1;
    }, MARKER_RULE_ID)
    .catch(() => false);
}

async function ruleListVersion(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    const b = (globalThis as unknown as { browser: PageBrowser }).browser;
    const { enforcement } = await b.storage.local.get('enforcement');
    return (
      (enforcement as { ruleListVersion?: number | null } | undefined)?.ruleListVersion ?? null
    );
  });
}

async function clearDynamicRules(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const dnr = (globalThis as unknown as { browser: PageBrowser }).browser.declarativeNetRequest;
    const existing = await dnr.getDynamicRules();
    await dnr.updateDynamicRules({ removeRuleIds: existing.map((r) => r.id) });
  });
}

async function dynamicRuleCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const dnr = (globalThis as unknown as { browser: PageBrowser }).browser.declarativeNetRequest;
    return (await dnr.getDynamicRules()).length;
  });
}

/** Every MAX_ and GUARANTEED_ constant the running Firefox puts on declarativeNetRequest. */
async function dnrLimits(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const dnr = (globalThis as unknown as { browser: PageBrowser }).browser.declarativeNetRequest;
    const names = new Set([
      'MAX_NUMBER_OF_DYNAMIC_RULES',
      'MAX_NUMBER_OF_SESSION_RULES',
      'MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES',
      'MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES',
      'MAX_NUMBER_OF_UNSAFE_SESSION_RULES',
      'MAX_NUMBER_OF_REGEX_RULES',
      'MAX_NUMBER_OF_STATIC_RULESETS',
      'MAX_NUMBER_OF_ENABLED_STATIC_RULESETS',
      'GUARANTEED_MINIMUM_STATIC_RULES',
    ]);
    for (const key in dnr) if (/^(MAX|GUARANTEED)_/.test(key)) names.add(key);
    const out: Record<string, number> = {};
    for (const name of names) {
      const value = dnr[name];
      if (typeof value === 'number') out[name] = value;
    }
    return out;
  });
}

/** Time one bare `updateDynamicRules` of the rules already fetched into the page, in ms. */
async function timeBareApply(page: Page, key: string): Promise<number> {
  return page.evaluate(async (key) => {
    const g = globalThis as unknown as {
      browser: PageBrowser;
      benchRules: Record<string, { id: number }[]>;
    };
    const addRules = g.benchRules[key]!;
    const start = performance.now();
    await g.browser.declarativeNetRequest.updateDynamicRules({
      removeRuleIds: addRules.map((r) => r.id),
      addRules,
    });
    return performance.now() - start;
  }, key);
}

async function refresh(page: Page): Promise<{ reply: RefreshReply; roundTripMs: number }> {
  return page.evaluate(async () => {
    const b = (globalThis as unknown as { browser: PageBrowser }).browser;
    const start = performance.now();
    const reply = (await b.runtime.sendMessage({
      type: 'options/refreshRuleList',
    })) as RefreshReply;
    return { reply, roundTripMs: performance.now() - start };
  });
}

function firefoxRss(browser: Browser): string {
  const pid = browser.process()?.pid;
  if (!pid) return 'unknown (no process id)';
  const rss = chromiumRss(pid);
  return `${(rss.allKb / 1024).toFixed(0)} MB in ${rss.processes} processes (parent ${(rss.browserKb / 1024).toFixed(0)} MB)`;
}

/**
 * As in Chromium (bench/rule-list-update.ts): from the 1M list in force, a version in which 1% of
 * the category changed, published with its signed change document, so Steward lays it over the
 * dynamic rules as session rules without downloading the full list first. Firefox counts session rules in the same 5,000 as dynamic ones (lib/overlay.ts
 * `overlayFits`). Steward's update ÷ the bare apply of the full list.
 */
async function measureOneCategoryChange(
  page: Page,
  full: string[],
  publish: (domains: string[], withChanges?: boolean) => Promise<number>,
  bareMs: number,
): Promise<void> {
  const totals: number[] = [];
  const parts: Record<string, number[]> = {};
  let overlay: { rules: number; domains: number; fromChangeDocument: boolean } | null = null;
  let dynamicBefore = 0;
  let dynamicAfter = 0;
  for (let i = 0; i < RUNS; i++) {
    // The full list in force, no overlay (untimed).
    await publish(full);
    const base = await within(CALL_LIMIT_MS, () => refresh(page));
    if (!base.ok || base.value.reply?.outcome !== 'updated') {
      console.log('  1% change: skipped (the full list did not go in again)');
      return;
    }
    dynamicBefore = await dynamicRuleCount(page);
    await publish(onePercentChanged(full, i), true);
    const updated = await within(CALL_LIMIT_MS, () => refresh(page));
    if (!updated.ok || updated.value.reply?.outcome !== 'updated') {
      const why = updated.ok ? updated.value.reply?.message : updated.why;
      console.log(`  1% change: Steward's update failed: ${why ?? 'no reply'}`);
      return;
    }
    const { reply, roundTripMs } = updated.value;
    totals.push(reply.timings.totalMs ?? roundTripMs);
    for (const [k, v] of Object.entries(reply.timings)) {
      if (typeof v === 'number' && k !== 'totalMs') parts[k] = [...(parts[k] ?? []), v];
    }
    // What this update did, read before the full list that follows replaces the record.
    overlay = await page.evaluate(async () => {
      const b = (globalThis as unknown as { browser: PageBrowser }).browser;
      const { enforcement } = await b.storage.local.get('enforcement');
      const state = enforcement as
        | {
            overlay?: { rules: number; domains: number };
            lastUpdate?: { fromChangeDocument?: boolean };
          }
        | undefined;
      return state?.overlay
        ? { ...state.overlay, fromChangeDocument: state.lastUpdate?.fromChangeDocument === true }
        : null;
    });
    dynamicAfter = await dynamicRuleCount(page);
    // The full list follows in the background (untimed): join it, so the next run starts quiet.
    await within(CALL_LIMIT_MS, () => refresh(page));
  }
  const total = median(totals);
  const ratio = total / bareMs;
  const breakdown = Object.entries(parts)
    .map(([k, v]) => `${k.replace(/Ms$/, '')} ${ms(median(v))}`)
    .join(', ');
  const how = overlay
    ? `overlay of ${n(overlay.rules)} session rules naming ${n(overlay.domains)} domains, ${overlay.fromChangeDocument ? 'from the change document' : 'from the FULL list (the change document was not used)'}; dynamic rules ${dynamicBefore} before, ${dynamicAfter} after`
    : 'NO overlay: Steward fell back to a full dynamic update';
  console.log(
    `  1% of the ${n(full.length)}-domain category changed: Steward ${ms(total)} ms (${breakdown}) vs bare apply of the full list ${ms(bareMs)} ms → ratio ${ratio.toFixed(2)}; ${how}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}`,
  );
  console.log(`    runs: Steward ${totals.map((x) => x.toFixed(0)).join(', ')} ms`);
  record({
    area: AREA,
    measure: `Firefox ESR: rule-list update where 1% of one ${n(full.length)}-domain category changed (overlay), end to end / bare apply of the full list`,
    value: `${ms(total)} / ${ms(bareMs)} ms = ${ratio.toFixed(2)}${overlay ? '' : ' (no overlay)'}`,
  });
}

export async function run(): Promise<void> {
  const missing = firefoxMissing();
  if (missing) {
    console.log(`Firefox ESR: skipped (${missing})`);
    record({ area: AREA, measure: 'Firefox ESR figures', value: `skipped: ${missing}` });
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'steward-firefox-bench-'));
  const profile = path.join(work, 'profile');
  mkdirSync(profile);
  const files = await startFileServer();
  let forwarder: Server | null = null;
  let restorePolicies = () => {};
  let browser: Browser | null = null;
  try {
    console.log('  building the Firefox package …');
    const xpi = zipEntries(directoryEntries(buildFirefoxPackage(path.join(work, 'build'))));
    files.set('/steward.xpi', xpi, 'application/x-xpinstall');
    forwarder = await forward(80, Number(new URL(files.origin).port));

    const keys = await generateRuleListKeyPair();
    let version = 0;
    let lastPublished: Published | null = null;
    /**
     * The domains as the next version; as a small change since the last one when asked (its signed
     * change document beside it, so Steward lays it over the rules in force as session rules).
     */
    const publish = async (domains: string[], asSmallChange = false) => {
      version++;
      const plain: RuleListDocument = {
        format: RULE_LIST_FORMAT,
        version,
        issuedAt: new Date().toISOString(),
        categories: { [BENCH_CATEGORY]: { domains } },
      };
      lastPublished =
        asSmallChange && lastPublished
          ? await publishSmallChange(files, keys.privateKeyPem, lastPublished, plain)
          : await publishList(files, keys.privateKeyPem, await toCompiledRuleList(plain));
      return lastPublished.bytes.byteLength;
    };
    const policyWith = (config: Record<string, unknown>) => {
      restorePolicies();
      restorePolicies = installFirefoxPolicies(firefoxPolicies(config, XPI_URL));
    };

    // A small list first: Steward fetches it at install, so the message path is warm and proven.
    await publish(domainSet(10_000).domains);
    policyWith({
      ruleListUrl: `${files.origin}/list.json`,
      ruleListPublicKey: keys.publicKey,
    });
    const launched = performance.now();
    browser = await launchFirefox({ profile, prefs: PREFS });
    const { page } = await openExtensionPage(browser);
    for (let i = 0; i < 600 && (await ruleListVersion(page)) !== version; i++) await sleep(100);
    if ((await ruleListVersion(page)) !== version) {
      throw new Error(`Steward did not apply rule list version ${version} within 60 s`);
    }
    console.log(
      `Firefox ESR (${await browser.version()}, headless; Steward force-installed by policies.json; timed from ${POPUP})`,
    );
    console.log(
      `  first start, policy install → first rule list in force: ${ms(performance.now() - launched)} ms`,
    );

    // 1. Limits.
    const limits = await dnrLimits(page);
    console.log('  DNR limits the running Firefox reports:');
    for (const [name, value] of Object.entries(limits)) console.log(`    ${name} = ${n(value)}`);
    record({
      area: AREA,
      measure: 'Firefox ESR DNR limits (as the browser reports them)',
      value: Object.entries(limits)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(', '),
    });
    const rssSmall = firefoxRss(browser);
    console.log(`  memory, Firefox process tree (ps RSS), 10k list in force: ${rssSmall}`);
    record({ area: AREA, measure: 'Firefox ESR RSS, 10k-domain list in force', value: rssSmall });

    // 2. Bare apply of one rule vs Steward's update, per size.
    for (const size of SIZES) {
      const set = domainSet(size);
      await page.evaluate(
        (key, rules) => {
          const g = globalThis as unknown as { benchRules?: Record<string, unknown[]> };
          g.benchRules = { [key]: rules };
        },
        `bare-${size}`,
        [bareRule(set.domains)],
      );
      const bare: number[] = [];
      const steward: number[] = [];
      const roundTrips: number[] = [];
      const parts: Record<string, number[]> = {};
      let refused: string | null = null;
      let stewardRefused: string | null = null;
      let listBytes = 0;
      for (let i = 0; i < RUNS && !refused; i++) {
        await clearDynamicRules(page);
        const applied = await within(CALL_LIMIT_MS, () => timeBareApply(page, `bare-${size}`));
        if (applied.ok) bare.push(applied.value);
        else refused = applied.why;
        if (!applied.ok && /no answer/.test(applied.why)) break;
        await clearDynamicRules(page);
        if (stewardRefused) continue;
        listBytes = await publish(set.domains);
        const updated = await within(CALL_LIMIT_MS, () => refresh(page));
        if (!updated.ok) stewardRefused = updated.why;
        else if (updated.value.reply?.outcome !== 'updated') {
          stewardRefused = `${updated.value.reply?.outcome ?? 'no reply'}: ${updated.value.reply?.message ?? ''}`;
        } else {
          const { reply, roundTripMs } = updated.value;
          steward.push(reply.timings.totalMs ?? roundTripMs);
          roundTrips.push(roundTripMs);
          for (const [k, v] of Object.entries(reply.timings)) {
            if (typeof v === 'number' && k !== 'totalMs') parts[k] = [...(parts[k] ?? []), v];
          }
        }
      }
      const accepted = refused === null;
      console.log(
        `  one rule with ${n(size)} requestDomains: ${accepted ? 'accepted' : `NOT accepted (${refused})`}`,
      );
      record({
        area: AREA,
        measure: `Firefox ESR: one DNR rule with ${n(size)} requestDomains`,
        value: accepted ? 'accepted' : `not accepted: ${refused}`,
      });
      const rules = steward.length > 0 ? await dynamicRuleCount(page) : 0;
      const breakdown = Object.entries(parts)
        .map(([k, v]) => `${k.replace(/Ms$/, '')} ${ms(median(v))}`)
        .join(', ');
      const stewardText = stewardRefused
        ? `Steward's update failed: ${stewardRefused}`
        : `Steward ${ms(median(steward))} ms (${breakdown}; ${rules} dynamic rules; message round trip ${ms(median(roundTrips))})`;
      const bareText = bare.length > 0 ? `bare apply ${ms(median(bare))} ms` : 'no bare apply';
      const ratio =
        !stewardRefused && bare.length > 0 ? median(steward) / median(bare) : Number.NaN;
      console.log(
        `  ${n(size)} domains, compiled list (format 2, ${(listBytes / MB).toFixed(1)} MB, ${set.shortSource}): ${stewardText} vs ${bareText}${Number.isNaN(ratio) ? '' : ` → ratio ${ratio.toFixed(2)}`}`,
      );
      console.log(
        `    runs: Steward ${steward.map((x) => x.toFixed(0)).join(', ') || '-'} ms; bare ${bare.map((x) => x.toFixed(0)).join(', ') || '-'} ms`,
      );
      record({
        area: AREA,
        measure: `Firefox ESR: rule-list update ${n(size)} domains (format 2), end to end / bare apply`,
        value: Number.isNaN(ratio)
          ? `${stewardText}; ${bareText}`
          : `${ms(median(steward))} / ${ms(median(bare))} ms = ${ratio.toFixed(2)}`,
      });
      await page.evaluate(() => {
        (globalThis as unknown as { benchRules?: unknown }).benchRules = undefined;
      });
      if (size === LARGEST && bare.length > 0 && !stewardRefused) {
        await measureOneCategoryChange(page, set.domains, publish, median(bare));
      }
    }

    // 4. Memory with the largest list Steward applied still in force.
    if ((await ruleListVersion(page)) === version) {
      const rss = firefoxRss(browser);
      console.log(`  memory, Firefox process tree (ps RSS), 1M list in force: ${rss}`);
      record({ area: AREA, measure: 'Firefox ESR RSS, 1M-domain list in force', value: rss });
    }
    await browser.close();
    browser = null;

    // 3. Restarts of the same profile, with the school's policy but no rule list (as the
    // Chromium startup bench: the built-in categories), after one untimed start that settles it.
    policyWith({});
    const starts: number[] = [];
    const browserUp: number[] = [];
    const budgetEnd = Date.now() + STARTUP_BUDGET_MS;
    for (let i = 0; Date.now() < budgetEnd; i++) {
      const t0 = performance.now();
      browser = await launchFirefox({ profile, prefs: PREFS });
      const up = performance.now() - t0;
      const { page: tab, blockedAt } = await openExtensionPage(browser);
      // The block page proved the rules were in force; the marker proves they are Steward's whole set.
      if (!(await markerInForce(tab))) throw new Error('block page up but no marker rule');
      const inForce = blockedAt - t0;
      if (i === 0) {
        // Settle: let Steward re-apply for the new policy before the timed starts.
        await sleep(3_000);
      } else {
        starts.push(inForce);
        browserUp.push(up);
      }
      await browser.close();
      browser = null;
    }
    if (starts.length > 0) {
      const p50 = percentile(starts, 50);
      const p95 = percentile(starts, 95);
      console.log(
        `  restart of the same profile, launch → Steward's block page up (marker rule present): p50 ${ms(p50)} ms, p95 ${ms(p95)} ms (${starts.length} starts; max ${ms(Math.max(...starts))} ms; of which Firefox up and answering WebDriver: p50 ${ms(percentile(browserUp, 50))} ms)`,
      );
      record({
        area: AREA,
        measure: `Firefox ESR: browser launch → rules in force (block page up, marker rule present), restart, p50 / p95 of ${starts.length}`,
        value: `${ms(p50)} / ${ms(p95)} ms (Firefox itself up: p50 ${ms(percentile(browserUp, 50))} ms)`,
      });
    }
  } finally {
    await browser?.close().catch(() => undefined);
    restorePolicies();
    forwarder?.close();
    await files.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
