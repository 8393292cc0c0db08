import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../lib/react/registry';
import { createPullEventsHandler } from '../../../lib/app/pull-events';
import { loadConfig } from '../../../lib/config';
import { drainBudgetMs } from '../../../lib/drain/budget';
import { SAFETY_MARGIN_MS } from '../../../lib/drain/deadlines';
import { DrainError } from '../../../lib/errors';
import type { Runtime } from '../../../lib/runtime';
import { fakeStore, scriptedQueue } from '../drain/fakes';
import { manualClock } from '../../helpers/manual-clock';

describe('the pull window', () => {
  it('is the smaller of DRAIN_BUDGET_MS and the remaining time less the safety margin', () => {
    expect(drainBudgetMs(30_000, 20_000)).toBe(20_000 - SAFETY_MARGIN_MS);
    expect(drainBudgetMs(5_000, 60_000)).toBe(5_000);
    expect(drainBudgetMs(undefined, 60_000)).toBe(60_000 - SAFETY_MARGIN_MS);
    // A shell run has no limit: the configured budget as given.
    expect(drainBudgetMs(600_000, undefined)).toBe(600_000);
  });

  it.each([1_000, 3_000])('has no room for a pull when only %i ms remain', (remaining) => {
    expect(drainBudgetMs(undefined, remaining)).toBeLessThanOrEqual(0);
  });
});

describe('pull-events with a short SCF time limit', () => {
  it.each([
    ['getRemainingTimeInMillis', { getRemainingTimeInMillis: () => 3_000 }],
    ['time_limit_in_ms', { time_limit_in_ms: 3_000 }],
  ])('rejects at once, without pulling, naming the timeout to set (%s)', async (_, context) => {
    const clock = manualClock(0);
    const queue = scriptedQueue(clock);
    const lines: Record<string, unknown>[] = [];
    const runtime: Runtime = {
      config: loadConfig({
        DATABASE_URL: 'postgres://u@localhost/db',
        TENCENTCLOUD_SECRETID: 'id',
        TENCENTCLOUD_SECRETKEY: 'key',
      }),
      clock,
      log: { log: (level, message, fields) => void lines.push({ level, message, ...fields }) },
      registry: createRegistry(undefined),
      store: async () => ({ ...fakeStore(clock, queue), runs: undefined as never }),
      close: async () => {},
      discardStore: () => {},
    };
    const failure = await createPullEventsHandler(runtime)({}, context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DrainError);
    expect((failure as DrainError).message).toMatch(
      /no room for one pull: 3000 ms left.*set the function's timeout to 30 s or more/,
    );
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'pull-events failed', stopReason: 'failed', pulled: 0 }),
    ]);
    expect(clock.now()).toBe(0);
  });
});
