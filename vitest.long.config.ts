import { defineConfig } from 'vitest/config';

// Long target: many-seed sweeps (test/long/), run by .ci/run after the default target.
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
