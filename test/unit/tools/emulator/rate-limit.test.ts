import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../lib/clock';
import { ActionRateLimiter } from '../../../../tools/emulator/rate-limit';

describe('Class: ActionRateLimiter', () => {
  it('allows maxQps calls per action per second, refilling with the clock', () => {
    // Prepare
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async () => {}, timeout: () => new AbortController().signal };
    const limiter = new ActionRateLimiter(clock, 100);

    // Act
    const burst = Array.from({ length: 101 }, () => limiter.take('PullEvents'));
    const otherAction = limiter.take('ConfirmEvents');
    now += 10;
    const afterTenMs = [limiter.take('PullEvents'), limiter.take('PullEvents')];

    // Assess
    expect(burst.filter(Boolean)).toHaveLength(100);
    expect(burst[100]).toBe(false);
    expect(otherAction).toBe(true);
    expect(afterTenMs).toEqual([true, false]);
  });
});
