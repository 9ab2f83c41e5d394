import { defineConfig } from '@playwright/test';

// Minimal config for running the Roundcube specs on their own:
//   npx playwright test tests/e2e/roundcube-smoke.spec.ts \
//     --config tests/e2e/support/roundcube.playwright.config.ts
// One worker: each spec file starts its own dovecot/php/SMTP sink in beforeAll, and on two
// cores parallel Roundcube instances only make each other slower.
export default defineConfig({
  testDir: '..',
  testMatch: /roundcube.*\.spec\.ts$/,
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  retries: 0,
  use: { trace: 'off' },
});
