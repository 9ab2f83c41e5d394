/**
 * Time to enforce (issues 10 and 14): from the moment Steward's service worker starts to the
 * moment its rules are in force, measured inside the worker (`performance.now()` counts from the
 * worker's own start), over 20 starts of each kind, with the built-in default policy:
 *
 *  - fresh install: a new profile, the extension installed at launch;
 *  - browser restart: the same profile launched again (the rules persisted; the worker reconciles
 *    and proves them with the marker rule);
 *  - wake after a killed worker: the worker stopped through CDP (`ServiceWorker.stopAllWorkers`, as
 *    the browser does to an idle or misbehaving worker), then woken by an extension page's message;
 *    timed from that message (so the worker's own start is included) to the end of the reconcile
 *    every start runs, since the rules stayed in the browser while it was stopped. The e2e specs
 *    bypass.spec.ts and enforcement-core.spec.ts check the healing of rules lost meanwhile.
 *
 * "In force" is Steward's own proof: the marker rule (lib/enforcement-plan.ts) in the browser's
 * dynamic rules.
 *
 *   node --import tsx bench/startup.ts   (BENCH_STARTUP_RUNS=N for fewer starts while trying it)
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { WebWorker } from 'puppeteer-core';
import { MARKER_RULE_ID } from '../lib/enforcement-plan.ts';
import {
  BUILT_EXTENSION,
  CHROMIUM,
  chromiumMissing,
  EXTENSION_ID,
  ensureBuilt,
  launchSteward,
} from './chromium.ts';
import { ms, record } from './summary.ts';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 20);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Milliseconds from the worker's start until the marker rule is in the browser. */
async function untilRulesInForce(worker: WebWorker): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await worker.evaluate(async (markerId) => {
        const dnr = (
          globalThis as unknown as {
            chrome: {
              declarativeNetRequest: {
                getDynamicRules(f: { ruleIds: number[] }): Promise<unknown[]>;
              };
            };
          }
        ).chrome.declarativeNetRequest;
        for (;;) {
          if ((await dnr.getDynamicRules({ ruleIds: [markerId] })).length === 1) {
            return performance.now();
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      }, MARKER_RULE_ID);
    } catch (error) {
      // A worker that has only just started may not have its extension bindings yet.
      if (attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * A killed worker woken, `runs` times: the worker stopped through CDP (as the browser stops an idle
 * one), then woken by one message from an extension page; timed from that message (so the worker's
 * own start is included) to the end of the reconcile every start runs (its record of what is in
 * force is written last). Driven by Playwright: a worker stopped under Puppeteer's auto-attach was
 * never started again.
 */
async function killAndWake(runs: number): Promise<number[]> {
  ensureBuilt();
  const scratch = mkdtempSync(path.join(tmpdir(), 'steward-wake-'));
  const extensionDir = path.join(scratch, 'extension');
  cpSync(BUILT_EXTENSION, extensionDir, { recursive: true });
  const context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  try {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Let the previous start finish (its reconcile, the options page's own questions).
      await page.waitForTimeout(1_000);
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
      await page.waitForTimeout(300);
      const ms = await page.evaluate(async () => {
        const { chrome } = globalThis as unknown as {
          chrome: {
            runtime: { sendMessage(m: unknown): Promise<unknown> };
            storage: { local: { get(k: string): Promise<Record<string, unknown>> } };
          };
        };
        const woke = Date.now();
        void chrome.runtime.sendMessage({ type: 'options/reportingState' }).catch(() => undefined);
        while (Date.now() - woke < 20_000) {
          const { enforcement } = await chrome.storage.local.get('enforcement');
          const checkedAt = (enforcement as { checkedAt?: number } | undefined)?.checkedAt ?? 0;
          if (checkedAt >= woke) return Date.now() - woke;
          await new Promise((r) => setTimeout(r, 5));
        }
        return null;
      });
      if (ms === null) throw new Error('the woken worker did not reconcile within 20 s');
      times.push(ms);
    }
    return times;
  } finally {
    await context.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function report(kind: string, values: number[]): void {
  const p50 = percentile(values, 50);
  const p95 = percentile(values, 95);
  console.log(
    `  ${kind.padEnd(44)} p50 ${ms(p50).padStart(6)} ms   p95 ${ms(p95).padStart(6)} ms   (${values.length} starts; max ${ms(Math.max(...values))} ms)`,
  );
  record({
    area: 'startup',
    measure: `worker start → rules in force, ${kind}`,
    value: `p50 ${ms(p50)} ms, p95 ${ms(p95)} ms`,
  });
}

export async function run(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`Time to enforce: skipped (${missing})`);
    return;
  }
  console.log(
    `Time to enforce in Chromium (headless; built-in default policy; ${RUNS} starts of each kind; measured in the worker from its own start)`,
  );

  const fresh: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const steward = await launchSteward();
    try {
      fresh.push(await untilRulesInForce(steward.worker));
    } finally {
      await steward.close();
    }
  }
  report('fresh install', fresh);

  const restarts: number[] = [];
  const first = await launchSteward({ keep: true });
  const profile = first.scratch;
  try {
    await untilRulesInForce(first.worker);
    await first.close();
    for (let i = 0; i < RUNS; i++) {
      const steward = await launchSteward({ profile, keep: true });
      try {
        restarts.push(await untilRulesInForce(steward.worker));
      } finally {
        await steward.close();
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  report('browser restart (rules kept, reconciled)', restarts);

  const wakes = await killAndWake(RUNS);
  report('wake after a killed worker (from the waking message)', wakes);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
