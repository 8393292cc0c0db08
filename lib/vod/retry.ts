import type { Clock } from '../clock';

export interface RetryPolicy {
  /** First backoff ceiling; doubles per attempt up to `capMs`. */
  baseMs: number;
  capMs: number;
  maxAttempts: number;
  /** No retry may start after this moment (epoch ms on the policy's clock). */
  deadline: number;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, fails with an error `isRetryable` rejects, runs out of
 * attempts, or the next try would start past the deadline. Waits use "full jitter"
 * (uniform in [0, min(cap, base·2^n)]) so concurrent loops do not retry in lockstep.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy,
  clock: Clock,
  signal?: AbortSignal,
  onRetry?: (error: unknown, delayMs: number) => void,
): Promise<T> {
  const random = policy.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n + 1);
    } catch (error) {
      const delay = Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** n));
      const outOfTries = n + 1 >= policy.maxAttempts || clock.now() + delay >= policy.deadline;
      if (!isRetryable(error) || outOfTries || signal?.aborted) throw error;
      onRetry?.(error, delay);
      await clock.sleep(delay, signal);
    }
  }
}
