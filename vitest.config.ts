import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { builtInCategoriesPlugin } from './rules/vite-plugin.ts';

export default defineConfig({
  // The built-in category lists, as the extension build gets them (platform tests import them).
  plugins: [WxtVitest(), builtInCategoriesPlugin()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Server suites start real processes and databases; keep them from fighting for 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
