/**
 * Personal-use window switch (issue 11 part 1): what a window opening costs with a 1,000,000-domain
 * rule-list category in force, beside a full apply of the same rules. The planner
 * (lib/enforcement-plan.ts) is run in Node exactly as the worker runs it, on the same inputs as
 * the `update` bench: a format-2 rule list (compiled by the publisher) whose `proxy` category holds
 * the 1M domains, and the shipped social and streaming lists. The window opens social (allow) and
 * streaming (warn); proxy does not change.
 *
 * Measured: the plan's wall time (median of 3 after a warm-up, CPU time beside it) and the size of
 * the DNR update it hands the browser (rules and domains sent, rule ids removed). The browser's
 * own `updateDynamicRules` time for the full apply is the `apply` and `update` benches' figure; for
 * the window switch the update holds a handful of small rules.
 *
 *   node --import tsx bench/personal-use.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CategoryList } from '../lib/compiler.ts';
import {
  type DnrUpdate,
  type EnforcementPlan,
  MARKER_RULE_ID,
  markerHash,
  type PlanInput,
  planEnforcement,
  type RuleListContribution,
} from '../lib/enforcement-plan.ts';
import { INITIAL_STATE } from '../lib/enforcement-state.ts';
import { compileCategories } from '../lib/rule-list/compiled.ts';
import { domainSet, repoRoot } from './domain-sets.ts';
import { median, ms, n, record } from './summary.ts';

const RUNS = 3;
const SIZE = 1_000_000;

function shippedList(id: string): CategoryList {
  const text = readFileSync(path.join(repoRoot, 'rules', `${id}.txt`), 'utf8');
  const domains = text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().toLowerCase())
    .filter((l) => l && !l.includes('/'));
  return { domains: [...new Set(domains)], urlPrefixes: [] };
}

const POLICY = {
  timeZone: 'Europe/London',
  personalUse: {
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:15', to: '13:15' }],
    modes: { social: 'allow', streaming: 'warn' },
  },
};
// Wednesday 2 December 2026 (GMT): before lunch, and the minute lunch opens.
const MORNING = Date.parse('2026-12-02T12:14:00Z');
const OPENS = Date.parse('2026-12-02T12:15:00Z');

function sizeOf(update: DnrUpdate | null) {
  const rules = update?.addRules ?? [];
  let domains = 0;
  for (const r of rules) {
    const c = r.condition as { requestDomains?: string[] };
    domains += c.requestDomains?.length ?? 0;
  }
  return { rules: rules.length, domains, removed: update?.removeRuleIds.length ?? 0 };
}

async function timed(fn: () => Promise<EnforcementPlan>) {
  let last = await fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(wall), cpu: median(cpu), all: wall, plan: last };
}

export async function run(): Promise<void> {
  const set = domainSet(SIZE);
  const compiled = await compileCategories({ proxy: set.domains });
  const contribution: RuleListContribution = {
    version: 1,
    fingerprint: 'bench-list-1',
    lists: { proxy: { domains: [], urlPrefixes: [] } },
    compiled,
    labels: {},
    clauses: {},
    allowList: [],
    blockList: [],
  };
  const builtIn = {
    lists: { social: shippedList('social'), streaming: shippedList('streaming') },
    clauses: {},
    fingerprint: 'bench-built-in',
  };
  const base: PlanInput = {
    previous: INITIAL_STATE,
    lastGoodPolicy: null,
    managed: POLICY,
    builtIn,
    ruleListFor: async () => contribution,
    markerInBrowser: null,
    blockPageUrl: 'chrome-extension://steward/blocked.html',
    target: 'chrome',
    now: MORNING,
    sha256: async (text) => createHash('sha256').update(text).digest('hex'),
  };

  const full = await timed(() => planEnforcement(base));
  const inForce = full.plan;
  const marker = markerHash(
    inForce.update?.addRules.find((r) => r.id === MARKER_RULE_ID) as Parameters<
      typeof markerHash
    >[0],
  );
  const afterFull = {
    ...base,
    previous: inForce.state,
    lastGoodPolicy: inForce.effectivePolicy,
    markerInBrowser: marker,
  };
  const unchanged = await timed(() => planEnforcement({ ...afterFull, now: MORNING + 30_000 }));
  const window = await timed(() => planEnforcement({ ...afterFull, now: OPENS }));
  // What the publisher compiled (real lists lose the subdomains their parents cover) must be in
  // force, but for the few names the browser's compiler drops beside the built-in lists (with real
  // lists from ../shared: 62 of 937,150).
  const compiledDomains = compiled.proxy!.groups.reduce((sum, g) => sum + g.domains.length, 0);
  const proxyInForce = inForce.state.summary?.domainsByCategory.proxy ?? 0;
  if (proxyInForce < compiledDomains * 0.999) {
    throw new Error(
      `the 1M category is not in force: ${proxyInForce} of ${compiledDomains} compiled`,
    );
  }
  if (window.plan.action !== 'apply' || unchanged.plan.action !== 'unchanged') {
    throw new Error(`unexpected actions: ${window.plan.action}, ${unchanged.plan.action}`);
  }

  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const line = (what: string, t: Awaited<ReturnType<typeof timed>>) => {
    const s = sizeOf(t.plan.update);
    console.log(
      `${what}: plan ${ms(t.median)} ms (CPU ${ms(t.cpu)} ms; runs ${t.all.map((x) => x.toFixed(0)).join(', ')} ms); update: ${n(s.rules)} rules, ${n(s.domains)} domains, ${n(s.removed)} ids removed`,
    );
    return s;
  };
  console.log(`${set.source}; ${n(SIZE)} domains in the proxy category (format 2)`);
  const fullSize = line('full apply (fresh install)', full);
  line('minute reconcile, nothing due', unchanged);
  const switchSize = line('window opens (social allow, streaming warn)', window);
  console.log(
    `window switch: ${n(window.plan.state.lastUpdate?.sent ?? 0)} policy rules sent, ${n(window.plan.state.lastUpdate?.kept ?? 0)} kept in the browser (load average ${load} on ${os.cpus().length} cores)`,
  );
  record({
    area: 'personal-use',
    measure: 'window switch with 1M domains in force: plan time; update size',
    value: `${ms(window.median)} ms; ${n(switchSize.rules)} rules, ${n(switchSize.domains)} domains (full apply: ${ms(full.median)} ms; ${n(fullSize.rules)} rules, ${n(fullSize.domains)} domains); load ${load}`,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
