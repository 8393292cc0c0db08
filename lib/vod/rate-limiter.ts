import type { Clock } from '../clock';

export interface RateLimiter {
  /** Resolves when one request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/**
 * A token bucket refilled at `perSecond`. The burst is a tenth of the rate, so no one-second
 * window ever holds more than 1.1 × `perSecond` requests (VOD counts per second: 90/s with a
 * burst of 9 stays under its 100/s).
 */
export function tokenBucket(perSecond: number, clock: Clock): RateLimiter {
  const capacity = Math.max(1, Math.floor(perSecond / 10));
  let tokens = capacity;
  let refilledAt = clock.now();
  return {
    async acquire(signal) {
      for (;;) {
        const now = clock.now();
        tokens = Math.min(capacity, tokens + ((now - refilledAt) * perSecond) / 1000);
        refilledAt = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await clock.sleep(Math.ceil(((1 - tokens) * 1000) / perSecond), signal);
      }
    },
  };
}
