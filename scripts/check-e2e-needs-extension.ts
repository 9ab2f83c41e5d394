/**
 * Proves the end-to-end suite tests Steward and not the test set-up: the category-blocking spec
 * is run in the same browser WITHOUT the extension, and every test that asserts a block must
 * then fail. Exits non-zero if any of them passes.
 */
import { spawnSync } from 'node:child_process';

type Spec = { title: string; tests: { results: { status: string }[] }[] };
type Suite = { title: string; specs: Spec[]; suites?: Suite[] };

const run = spawnSync(
  'npx',
  [
    'playwright',
    'test',
    'tests/e2e/category-blocking.spec.ts',
    '--reporter=json',
    '--timeout=20000',
  ],
  {
    env: { ...process.env, STEWARD_E2E_WITHOUT_EXTENSION: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  },
);
const report = JSON.parse(run.stdout) as { suites: Suite[] };
const outcomes: { title: string; passed: boolean }[] = [];
const walk = (suite: Suite) => {
  for (const spec of suite.specs) {
    outcomes.push({
      title: spec.title,
      passed: spec.tests.every((t) => t.results.every((r) => r.status === 'passed')),
    });
  }
  for (const child of suite.suites ?? []) walk(child);
};
report.suites.forEach(walk);

const mustFail = outcomes.filter((o) => !o.title.startsWith('allows '));
const wronglyPassed = mustFail.filter((o) => o.passed);
const failed = outcomes.filter((o) => !o.passed).length;
console.log(
  `Without the extension: ${failed} of ${outcomes.length} category-blocking tests failed (the ${outcomes.length - mustFail.length} "allows …" tests are expected to pass).`,
);
if (wronglyPassed.length > 0 || run.status === 0 || mustFail.length === 0) {
  console.error('These tests passed without Steward, so they prove nothing:');
  for (const o of wronglyPassed) console.error(`  - ${o.title}`);
  process.exit(1);
}
console.log('OK: every blocking test depends on the extension.');
