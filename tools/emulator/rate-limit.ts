import type { Clock } from '../../lib/clock';

/** Token bucket per action, `maxQps` tokens that refill continuously by the injected clock. */
export class ActionRateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxQps: number,
  ) {}

  /** Takes one token for `action`; `false` means the call exceeds the limit. */
  take(action: string): boolean {
    const now = this.clock.now();
    const bucket = this.buckets.get(action) ?? { tokens: this.maxQps, at: now };
    bucket.tokens = Math.min(this.maxQps, bucket.tokens + ((now - bucket.at) / 1000) * this.maxQps);
    bucket.at = now;
    this.buckets.set(action, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets = new Map();
  }
}
