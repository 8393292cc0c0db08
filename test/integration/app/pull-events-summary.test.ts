import { afterEach, expect, it } from 'vitest';
import type { Handler, HandlerMap } from '../../../lib/react/handler';
import { captureLog } from '../../helpers/callback-requests';
import { startDrainHarness, type DrainHarness } from '../../helpers/drain-harness';
import { shiftedClock } from '../../helpers/handler-runs';
import { v3EventBatch } from '../../helpers/v3-event-factory';

const TWO_HOURS_S = 7_200;

let harness: DrainHarness;
afterEach(() => harness?.close());

const handlers: HandlerMap = {
  '*': [
    { name: 'succeeds', run: async () => {} },
    {
      name: 'fails',
      maxAttempts: 2,
      run: async () => {
        throw new Error('receiver down');
      },
    } satisfies Handler,
    // Its timeout is longer than any invocation's dispatch budget: its runs stay pending.
    { name: 'never-fits', timeoutMs: 24 * 3_600_000, run: async () => {} },
  ],
};

it('the timer summary line counts the runs the invocation dispatched, by outcome, and the age of the oldest unfinished run on the injected clock', async () => {
  harness = await startDrainHarness();
  const log = captureLog();
  const clock = shiftedClock();
  const invoke = async () => {
    const result = await harness.invoke({}, {}, { log, clock, handlers });
    const summaries = log.entries().filter((entry) => entry.message === 'pull-events finished');
    const summary = summaries.at(-1)!;
    // The returned result says the same as the line.
    expect(summary).toMatchObject({
      runsSucceeded: result.runsSucceeded,
      runsFailed: result.runsFailed,
      runsDead: result.runsDead,
      oldestPendingAgeS: result.oldestPendingAgeS,
    });
    return { summary, count: summaries.length };
  };
  const startedAt = Date.now();
  const secondsSinceStart = () => Math.ceil((Date.now() - startedAt) / 1000);
  harness.emulator.enqueue(v3EventBatch(3, 15));

  // Three new events: each gets one run per handler.
  const first = await invoke();
  expect(first.count).toBe(1);
  expect(first.summary).toMatchObject({ pulled: 3, inserted: 3, runsSucceeded: 3, runsFailed: 3, runsDead: 0 });
  expect(first.summary.oldestPendingAgeS).toBeGreaterThanOrEqual(0);
  expect(first.summary.oldestPendingAgeS).toBeLessThanOrEqual(secondsSinceStart());

  // Two hours later: the failed runs are due again and fail their last attempt; the pending runs are two hours old.
  clock.shift(TWO_HOURS_S * 1000);
  const second = await invoke();
  expect(second.count).toBe(2);
  expect(second.summary).toMatchObject({ pulled: 0, runsSucceeded: 0, runsFailed: 0, runsDead: 3 });
  expect(second.summary.oldestPendingAgeS).toBeGreaterThanOrEqual(TWO_HOURS_S);
  expect(second.summary.oldestPendingAgeS).toBeLessThanOrEqual(TWO_HOURS_S + secondsSinceStart());

  // What the store holds agrees.
  const store = await harness.runtimes[0]!.store();
  const runs = await store.runs.list({ limit: 100 });
  const byHandler = Object.fromEntries(
    ['succeeds', 'fails', 'never-fits'].map((name) => [
      name,
      runs.filter((run) => run.handler === name).map((run) => run.status),
    ]),
  );
  expect(byHandler).toEqual({
    succeeds: ['succeeded', 'succeeded', 'succeeded'],
    fails: ['dead', 'dead', 'dead'],
    'never-fits': ['pending', 'pending', 'pending'],
  });
});
