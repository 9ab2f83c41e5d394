/**
 * The overlay plan in Node (lib/overlay.ts `planOverlay`): the 1,000,000-domain bench list in
 * force, a new version with 1% changed (5,000 removed, 5,000 new), planned the way the worker plans
 * it (compile of the new list, then the overlay for the changed domains). Median of 5. For
 * profiling: `node --cpu-prof --import tsx bench/overlay-plan.ts`.
 *
 *   node --import tsx bench/overlay-plan.ts
 */
import { compileRules } from '../lib/compiler.ts';
import { planOverlay } from '../lib/overlay.ts';
import { DEFAULT_POLICY } from '../lib/policy.ts';
import { compileCategories } from '../lib/rule-list/compiled.ts';
import { BENCH_CATEGORY } from './compile.ts';
import { domainSet } from './domain-sets.ts';
import { median, ms, record } from './summary.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const SIZE = 1_000_000;

export async function run(): Promise<void> {
  const full = domainSet(SIZE).domains;
  const removed = Math.round((full.length * 0.01) / 2);
  const kept = full.filter((_, j) => j % 200 !== 0 || j / 200 >= removed);
  const added = Array.from({ length: removed }, (_, j) => `new${j}.overlay-bench.example`);
  const cover = [...full.filter((_, j) => j % 200 === 0 && j / 200 < removed), ...added];
  const compiled = await compileCategories({ [BENCH_CATEGORY]: [...kept, ...added] });
  const compile = compileRules({
    policy: DEFAULT_POLICY,
    categoryLists: { [BENCH_CATEGORY]: { domains: [], urlPrefixes: [] } },
    compiledCategories: compiled,
    blockPageUrl: 'chrome-extension://bench/blocked.html',
    target: 'chrome',
  });
  if (!compile.ok) throw new Error(compile.errors.join('; '));
  const times: number[] = [];
  let domains = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const overlay = planOverlay({
      cover,
      rules: compile.rules,
      sortedParts: compile.sortedParts,
      categoryLists: { [BENCH_CATEGORY]: { domains: [] } },
      compiledCategories: compiled,
      lockedCategories: [],
    });
    times.push(performance.now() - started);
    if (!overlay.ok) throw new Error(overlay.reason);
    domains = overlay.domains;
  }
  console.log(
    `Overlay plan in Node, 1% of a ${SIZE.toLocaleString('en-GB')}-domain category changed (${cover.length} domains, ${domains} in the overlay): ${ms(median(times))} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
  record({
    area: 'update',
    measure: 'overlay plan in Node, 1% of 1M changed',
    value: `${ms(median(times))} ms`,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
