/**
 * Time to enforce (issues 10 and 14): from the moment Steward's service worker starts to the
 * moment its rules are in force, measured inside the worker (`performance.now()` counts from the
 * worker's own start), over 20 starts of each kind, with the built-in default policy:
 *
 *  - fresh install: a new profile, the extension installed at launch;
 *  - browser restart: the same profile launched again (the rules persisted; the worker reconciles
 *    and proves them with the marker rule);
 *  - a stopped worker woken: the worker stopped through CDP, woken by opening the popup; time to
 *    its reconcile finishing.
 *
 * "In force" is Steward's own proof: the marker rule (lib/enforcement-plan.ts) in the browser's
 * dynamic rules, and for the woken worker the enforcement state checked after the worker started.
 *
 *   node --import tsx bench/startup.ts
 */
import { rmSync } from 'node:fs';
import type { WebWorker } from 'puppeteer-core';
import { MARKER_RULE_ID } from '../lib/enforcement-plan.ts';
import { chromiumMissing, EXTENSION_ID, launchSteward } from './chromium.ts';
import { ms, record } from './summary.ts';

const RUNS = 20;

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

/** Milliseconds from the worker's start until its reconcile has checked the state. */
async function untilReconciled(worker: WebWorker): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await worker.evaluate(async () => {
        const storage = (
          globalThis as unknown as {
            chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
          }
        ).chrome.storage.local;
        const started = performance.timeOrigin;
        for (;;) {
          const { enforcement } = await storage.get('enforcement');
          const checkedAt = (enforcement as { checkedAt?: number } | undefined)?.checkedAt ?? 0;
          if (checkedAt >= started) return performance.now();
          await new Promise((r) => setTimeout(r, 10));
        }
      });
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
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

  const woken: number[] = [];
  const steward = await launchSteward();
  try {
    await untilRulesInForce(steward.worker);
    const page = await steward.browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    for (let i = 0; i < RUNS; i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      const next = steward.browser.waitForTarget(
        (t) =>
          t.type() === 'service_worker' &&
          t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
        { timeout: 20_000 },
      );
      await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      const worker = await (await next).worker();
      if (!worker) throw new Error('no worker after waking');
      woken.push(await untilReconciled(worker));
      await page.goto('about:blank');
    }
  } finally {
    await steward.close();
  }
  report('stopped worker woken (reconcile done)', woken);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
