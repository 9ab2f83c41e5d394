import { defineConfig } from 'vitest/config';

// The Firefox end-to-end test (scripts/test-firefox.sh): one file, real Firefox ESR, ports 80
// and 443 and system policy files, so it runs alone and never in the unit suite.
export default defineConfig({
  test: {
    include: ['tests/e2e-firefox/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
