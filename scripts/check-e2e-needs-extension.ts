/**
 * Proves the end-to-end suite tests Steward and not the test set-up: the specs below are run in the
 * same browser WITHOUT the extension, and every test that asserts something Steward does must then
 * fail. Tests that assert what must happen anyway (an ordinary site loads; the server refuses a bad
 * batch) are listed as expected to pass. Exits non-zero if any other test passes.
 *
 * With spec paths as arguments, only those listed specs are checked (one spec at a time on a
 * shared machine): `npx tsx scripts/check-e2e-needs-extension.ts tests/e2e/safe-search.spec.ts`.
 */
import { spawnSync } from 'node:child_process';

type Spec = { title: string; tests: { results: { status: string }[] }[] };
type Suite = { title: string; specs: Spec[]; suites?: Suite[] };

const SPECS: { file: string; passesWithoutSteward: RegExp }[] = [
  // An ordinary site loads with or without Steward.
  { file: 'tests/e2e/category-blocking.spec.ts', passesWithoutSteward: /^allows / },
  // (f) tests the admin server alone.
  { file: 'tests/e2e/reporting.spec.ts', passesWithoutSteward: /^\(f\) / },
  // A PDF downloads and an approved installer arrives, with or without Steward.
  {
    file: 'tests/e2e/downloads.spec.ts',
    passesWithoutSteward: /^(a PDF worksheet downloads|an approved source)/,
  },
  // With safe search turned off, requests arrive unchanged, as without Steward.
  { file: 'tests/e2e/safe-search.spec.ts', passesWithoutSteward: /^the policy can turn it off/ },
  // Every test needs Steward's events or counts at the server.
  { file: 'tests/e2e/report-detail.spec.ts', passesWithoutSteward: /(?!)/ },
  // The disclaimer reminder and its counts at the server exist only with Steward.
  { file: 'tests/e2e/disclaimer-report.spec.ts', passesWithoutSteward: /(?!)/ },
  // Every scenario needs the block page, the worker's queue or the list enforced.
  { file: 'tests/e2e/access-requests.spec.ts', passesWithoutSteward: /(?!)/ },
  // Every window test needs Steward's rules to block before the window (or a locked category).
  { file: 'tests/e2e/personal-use.spec.ts', passesWithoutSteward: /(?!)/ },
  // Every attack must reach its site without Steward: none may pass.
  { file: 'tests/e2e/bypass.spec.ts', passesWithoutSteward: /(?!)/ },
  // Every test needs Steward's block page, its rules or its worker's state.
  { file: 'tests/e2e/enforcement-core.spec.ts', passesWithoutSteward: /(?!)/ },
  { file: 'tests/e2e/rule-list.spec.ts', passesWithoutSteward: /(?!)/ },
  // Both tests need a blocked site unreached: the static default's, then the school's rules.
  { file: 'tests/e2e/built-in-default-ruleset.spec.ts', passesWithoutSteward: /(?!)/ },
  // The locked sites load without Steward, and there is no block page to forge messages from.
  { file: 'tests/e2e/locked-categories.spec.ts', passesWithoutSteward: /(?!)/ },
  // The blocked site must stay unreached while the pages look after the worker.
  { file: 'tests/e2e/worker-repair.spec.ts', passesWithoutSteward: /(?!)/ },
];

// `npx tsx scripts/check-e2e-needs-extension.ts rule-list locked` checks only the specs whose
// path has one of the given words (to check one spec after changing it); no words: every spec.
const only = process.argv.slice(2);
const unknown = only.filter((w) => !SPECS.some(({ file }) => file.includes(w)));
if (unknown.length > 0) {
  console.error(`Not in this script's list: ${unknown.join(', ')}`);
  process.exit(2);
}
const selected = SPECS.filter(
  ({ file }) => only.length === 0 || only.some((w) => file.includes(w)),
);

let wrong = 0;
const checkStarted = Date.now();
for (const { file, passesWithoutSteward } of selected) {
  const specStarted = Date.now();
  // Playwright's own limit (10 minutes a spec; the slowest takes about 4) still writes its report,
  // with the tests it stopped as not passed; the process limit is the last resort for a hang.
  const run = spawnSync(
    'npx',
    ['playwright', 'test', file, '--reporter=json', '--timeout=30000', '--global-timeout=600000'],
    {
      env: { ...process.env, STEWARD_E2E_WITHOUT_EXTENSION: '1' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 12 * 60_000,
    },
  );
  if (run.error !== undefined || run.signal !== null) {
    console.error(
      `${file} without the extension did not finish in 12 minutes (${run.error?.message ?? run.signal}).`,
    );
    wrong++;
    continue;
  }
  const report = JSON.parse(run.stdout) as { suites: Suite[] };
  const outcomes: { title: string; passed: boolean }[] = [];
  const walk = (suite: Suite) => {
    for (const spec of suite.specs) {
      const passed = spec.tests.every((t) => t.results.every((r) => r.status === 'passed'));
      outcomes.push({ title: spec.title, passed });
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);

  const mustFail = outcomes.filter((o) => !passesWithoutSteward.test(o.title));
  const wronglyPassed = mustFail.filter((o) => o.passed);
  const failed = outcomes.filter((o) => !o.passed).length;
  console.log(
    `${file} without the extension: ${failed} of ${outcomes.length} tests failed ` +
      `(${outcomes.length - mustFail.length} are expected to pass without Steward); ` +
      `${Math.round((Date.now() - specStarted) / 1000)} s.`,
  );
  if (mustFail.length === 0 || wronglyPassed.length > 0) {
    wrong++;
    console.error('  These passed without Steward, so they prove nothing:');
    for (const o of wronglyPassed) console.error(`  - ${o.title}`);
  }
}
if (wrong > 0) process.exit(1);
console.log(
  `OK: every test that checks Steward depends on the extension ` +
    `(${Math.round((Date.now() - checkStarted) / 1000)} s in all).`,
);
