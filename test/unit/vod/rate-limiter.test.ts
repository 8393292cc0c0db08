import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../lib/vod/rate-limiter';
import { manualClock } from '../../helpers/manual-clock';

describe('tokenBucket', () => {
  it('lets a burst of a tenth of the rate through, then paces at the rate', async () => {
    const clock = manualClock(0);
    const limiter = tokenBucket(90, clock);
    const grantedAt: number[] = [];
    for (let i = 0; i < 99; i++) {
      await limiter.acquire();
      grantedAt.push(clock.now());
    }
    expect(grantedAt.slice(0, 9)).toEqual(Array(9).fill(0));
    // 9 from the burst, 90 more over the next second
    expect(grantedAt[98]).toBeGreaterThanOrEqual(990);
    expect(grantedAt[98]).toBeLessThanOrEqual(1010);
  });

  it('never grants more than 1.1 × the rate in any one-second window', async () => {
    const clock = manualClock(0);
    const limiter = tokenBucket(100, clock);
    const grantedAt: number[] = [];
    for (let i = 0; i < 500; i++) {
      await limiter.acquire();
      grantedAt.push(clock.now());
      if (i % 7 === 0) clock.advance(3); // callers doing work between requests
    }
    for (const start of grantedAt) {
      const inWindow = grantedAt.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(110);
    }
  });

  it('refills while idle, up to the burst size only', async () => {
    const clock = manualClock(0);
    const limiter = tokenBucket(10, clock);
    await limiter.acquire();
    clock.advance(60_000);
    await limiter.acquire();
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now() - before).toBe(100);
  });
});
