import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the servers under test fight for CPU.
    maxWorkers: 2,
    // A test that depends on another's leftovers fails here, not after someone reorders the file.
    sequence: { shuffle: true },
  },
});
