/**
 * Time to enforce (issues 10 and 14): from the moment Steward's service worker starts to the
 * moment its rules are in force, measured inside the worker (`performance.now()` counts from the
 * worker's own start), over 20 starts of each kind, with the built-in default policy:
 *
 *  - fresh install: a new profile, the extension installed at launch;
 *  - browser restart: the same profile launched again (the rules persisted; the worker reconciles
 *    and proves them with the marker rule);
 *
 * (A worker stopped and woken is not timed here: the rules stay in the browser while it sleeps. The
 * e2e specs bypass.spec.ts and enforcement-core.spec.ts stop workers through CDP and check healing.)
 *
 * "In force" is Steward's own proof: the marker rule (lib/enforcement-plan.ts) in the browser's
 * dynamic rules.
 *
 *   node --import tsx bench/startup.ts
 */
import { rmSync } from 'node:fs';
import type { WebWorker } from 'puppeteer-core';
import { MARKER_RULE_ID } from '../lib/enforcement-plan.ts';
import { chromiumMissing, launchSteward } from './chromium.ts';
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
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
