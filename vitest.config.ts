import { defineConfig } from 'vitest/config';

// Default target: every test/**/*.test.ts except the long sweeps of test/long/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/long/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
