import { describe, expect, it } from 'vitest';
import { withRetry } from '../../../lib/vod/retry';
import { manualClock } from '../../helpers/manual-clock';

class Flaky extends Error {
  constructor(readonly retryable: boolean) {
    super(retryable ? 'try again' : 'give up');
  }
}
const isRetryable = (error: unknown) => error instanceof Flaky && error.retryable;
const failTimes = (times: number, retryable = true) => {
  let calls = 0;
  return async () => {
    calls++;
    if (calls <= times) throw new Flaky(retryable);
    return calls;
  };
};

describe('withRetry', () => {
  it('retries retryable errors with capped exponential backoff and full jitter', async () => {
    const clock = manualClock();
    const result = await withRetry(failTimes(5), {
      clock,
      isRetryable,
      baseMs: 100,
      capMs: 1000,
      maxAttempts: 10,
      deadline: Infinity,
      random: () => 0.5,
    });
    expect(result).toBe(6);
    // half of min(cap, base * 2^n): 50, 100, 200, 400, then capped at 500
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('does not retry a fatal error', async () => {
    const clock = manualClock();
    await expect(
      withRetry(failTimes(1, false), { clock, isRetryable, baseMs: 100, capMs: 1000, maxAttempts: 10, deadline: Infinity }),
    ).rejects.toThrow('give up');
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after maxAttempts', async () => {
    const clock = manualClock();
    await expect(
      withRetry(failTimes(10), {
        clock,
        isRetryable,
        baseMs: 10,
        capMs: 10,
        maxAttempts: 3,
        deadline: Infinity,
        random: () => 1,
      }),
    ).rejects.toThrow('try again');
    expect(clock.sleeps).toEqual([10, 10]);
  });

  it('never starts a retry past the deadline', async () => {
    const clock = manualClock(0);
    await expect(
      withRetry(failTimes(10), {
        clock,
        isRetryable,
        baseMs: 400,
        capMs: 400,
        maxAttempts: 100,
        deadline: 1000,
        random: () => 1,
      }),
    ).rejects.toThrow('try again');
    expect(clock.sleeps).toEqual([400, 400]);
    expect(clock.now()).toBe(800);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = manualClock();
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      withRetry(failTimes(3), {
        clock,
        isRetryable,
        baseMs: 10,
        capMs: 10,
        maxAttempts: 5,
        deadline: Infinity,
        signal: controller.signal,
      }),
    ).rejects.toThrow('try again');
  });
});
