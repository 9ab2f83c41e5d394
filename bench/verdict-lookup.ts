/**
 * "Test a site" with a 1,000,000-domain rule list in force (issue 14, "nothing kept"): the
 * options page's `options/testUrl` message, timed from the extension page (message round trip,
 * the worker's look-up included), in Chromium with Steward's policy pointing at a signed
 * format-2 list served over loopback.
 *
 *  - first look-up after the update (the worker has just applied the list);
 *  - warm: 20 more look-ups, listed and unlisted hosts in turn (median and p95);
 *  - the service worker's JS heap after those look-ups (CDP, after a GC), beside its heap after
 *    the update, before any look-up;
 *  - cold: the first look-up after a browser restart (a new worker, nothing in its heap).
 *
 * Run it against another build with STEWARD_EXTENSION_DIR (and STEWARD_BENCH_LABEL to name it),
 * e.g. the build before the verdict index, for a before/after. Needs root (managed policy).
 *
 *   node --import tsx bench/verdict-lookup.ts
 */
import { loadavg } from 'node:os';
import type { Page } from 'puppeteer-core';
import {
  RULE_LIST_FORMAT,
  serialiseRuleList,
  toCompiledRuleList,
} from '../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../lib/rule-list/signature.ts';
import {
  BUILT_EXTENSION,
  chromiumMissing,
  EXTENSION_ID,
  launchSteward,
  startFileServer,
  waitForStartupApply,
  workerHeap,
  writeBenchPolicy,
} from './chromium.ts';
import { BENCH_CATEGORY } from './compile.ts';
import { domainSet } from './domain-sets.ts';
import { policyWritable, waitForVersion } from './rule-list-update.ts';
import { median, ms, n, record } from './summary.ts';

const SIZE = 1_000_000;
const WARM = 20;
const MB = 1024 * 1024;

type Verdict = { kind: string; verdict?: { outcome: string; source?: string } };

async function testSite(page: Page, url: string): Promise<{ ms: number; reply: Verdict }> {
  return page.evaluate(async (url) => {
    const runtime = (
      globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      }
    ).chrome.runtime;
    const start = performance.now();
    const reply = (await runtime.sendMessage({ type: 'options/testUrl', url })) as Verdict;
    return { ms: performance.now() - start, reply };
  }, url);
}

const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1] ?? Number.NaN;

export async function run(): Promise<void> {
  const missing = chromiumMissing() ?? policyWritable();
  if (missing) {
    console.log(`"Test a site" with a 1M-domain list: skipped (${missing})`);
    return;
  }
  const label = process.env.STEWARD_BENCH_LABEL ?? 'this build';
  const { domains } = domainSet(SIZE);
  const keys = await generateRuleListKeyPair();
  const files = await startFileServer();
  const document = await toCompiledRuleList({
    format: RULE_LIST_FORMAT,
    version: 1,
    issuedAt: new Date().toISOString(),
    categories: { [BENCH_CATEGORY]: { domains } },
  });
  const bytes = new TextEncoder().encode(serialiseRuleList(document));
  files.set('/list.json', bytes);
  files.set('/list.json.sig', await signRuleList(bytes, keys.privateKeyPem), 'text/plain');
  writeBenchPolicy({ ruleListUrl: `${files.origin}/list.json`, ruleListPublicKey: keys.publicKey });
  console.log(
    `"Test a site" with ${n(SIZE)} domains in force (${label}: ${BUILT_EXTENSION}; load average ${loadavg()[0]!.toFixed(2)})`,
  );
  const listed = (i: number) => `https://www.${domains[(i * 7_919) % domains.length]}/page`;
  const unlisted = (i: number) => `https://unlisted-${i}.example.org/`;
  let steward = await launchSteward({ keep: true });
  try {
    await waitForStartupApply(steward.worker);
    await waitForVersion(steward, 1);
    const heapAfterUpdate = await workerHeap(steward.workerCdp);
    const page = await steward.browser.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    const first = await testSite(page, listed(1));
    if (first.reply.verdict?.outcome !== 'blocked') {
      throw new Error(`"test a site" gave ${JSON.stringify(first.reply)} for a listed domain`);
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const { ms: took, reply } = await testSite(page, i % 2 ? unlisted(i) : listed(i + 2));
      const expected = i % 2 ? 'allowed' : 'blocked';
      if (reply.verdict?.outcome !== expected) throw new Error(`wrong verdict for look-up ${i}`);
      warm.push(took);
    }
    const heapAfterLookups = await workerHeap(steward.workerCdp);
    await steward.browser.close();

    // A browser restart: a new worker, the list's rules still in the browser.
    steward = await launchSteward({ profile: steward.scratch, keep: false });
    await waitForStartupApply(steward.worker);
    await new Promise((r) => setTimeout(r, 3_000));
    const page2 = await steward.browser.newPage();
    await page2.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    const cold = await testSite(page2, listed(3));
    if (cold.reply.verdict?.outcome !== 'blocked') throw new Error('wrong verdict after restart');

    const mb = (x: number) => `${(x / MB).toFixed(1)} MB`;
    console.log(`  first look-up after the update: ${ms(first.ms)} ms`);
    console.log(
      `  warm, ${WARM} look-ups: median ${ms(median(warm))} ms, p95 ${ms(p95(warm))} ms (${warm.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(`  cold, first look-up after a browser restart: ${ms(cold.ms)} ms`);
    console.log(
      `  service worker JS heap (after a GC): ${mb(heapAfterUpdate.used)} after the update, ${mb(heapAfterLookups.used)} after the look-ups`,
    );
    const rows: [string, string][] = [
      ['first look-up after the update', `${ms(first.ms)} ms`],
      ['warm look-up, median / p95', `${ms(median(warm))} / ${ms(p95(warm))} ms`],
      ['first look-up after a browser restart', `${ms(cold.ms)} ms`],
      ['worker JS heap after look-ups', mb(heapAfterLookups.used)],
    ];
    for (const [measure, value] of rows) {
      record({
        area: 'lookup',
        measure: `"test a site", ${n(SIZE)} domains: ${measure} (${label})`,
        value,
      });
    }
  } finally {
    await steward.close().catch(() => undefined);
    writeBenchPolicy(null);
    await files.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
