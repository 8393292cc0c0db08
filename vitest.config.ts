import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the servers under test fight for CPU.
    maxWorkers: 2,
    // Shuffled, so a test that depends on another's leftovers fails here, not after someone reorders
    // the file; with a fixed seed, so CI runs one reproducible order. Try others with
    // `npx vitest run --sequence.seed=N` when you add fixtures.
    sequence: { shuffle: true, seed: 20261130 },
  },
});
