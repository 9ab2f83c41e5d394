import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server suites start real processes and databases; keep them from fighting for 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
