import { defineConfig } from '@playwright/test';

// One worker: every spec shares one browser with the built extension and one site server, and
// policy lives in one system folder, so specs must not run side by side.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: /.*\.spec\.ts$/,
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  // Without the extension (scripts/check-e2e-needs-extension.ts) the blocking assertions are
  // expected to fail; a short wait keeps that proof quick.
  expect: { timeout: process.env.STEWARD_E2E_WITHOUT_EXTENSION === '1' ? 2_000 : 10_000 },
  reporter: [['list']],
  retries: 0,
  use: { trace: 'off' },
});
