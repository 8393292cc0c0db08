import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the reliability proof under combined faults (test/chaos). Its files are
// named *.chaos.ts so the default `vitest run` (test/**/*.test.ts) leaves them out.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    // Builds dist/ first: the suite runs `bin/vod-events.js drain` as a child process.
    globalSetup: ['test/chaos/global-setup.ts'],
    // The whole suite has a hard bound; the scenario itself stops its timer loop well before it.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
