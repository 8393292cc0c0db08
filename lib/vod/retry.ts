import type { Clock } from '../clock';

export interface RetryOptions {
  clock: Clock;
  /** Which errors are worth another try. */
  isRetryable: (error: unknown) => boolean;
  /** No retry may start after this moment (epoch ms on `clock`). */
  deadline: number;
  /** First backoff ceiling; doubles per attempt up to `capMs`. @defaultvalue 100 */
  baseMs?: number;
  /** @defaultvalue 2000 */
  capMs?: number;
  /** @defaultvalue Infinity: the deadline alone ends the retries */
  maxAttempts?: number;
  /** [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** Stops the waiting between attempts. */
  signal?: AbortSignal;
  onRetry?: (error: unknown, delayMs: number) => void;
}

export type RetryPolicy = Pick<RetryOptions, 'baseMs' | 'capMs' | 'maxAttempts' | 'random'>;

/**
 * Runs `attempt` until it succeeds, fails with an error `isRetryable` rejects, runs out of
 * attempts, or the next try would start past the deadline. Waits use "full jitter"
 * (uniform in [0, min(cap, base·2^n)]) so concurrent loops do not retry in lockstep.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const {
    clock,
    isRetryable,
    deadline,
    baseMs = 100,
    capMs = 2_000,
    maxAttempts = Infinity,
    random = Math.random,
    signal,
  } = options;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n + 1);
    } catch (error) {
      const delay = Math.floor(random() * Math.min(capMs, baseMs * 2 ** n));
      const outOfTries = n + 1 >= maxAttempts || clock.now() + delay >= deadline;
      if (!isRetryable(error) || outOfTries || signal?.aborted) throw error;
      options.onRetry?.(error, delay);
      await clock.sleep(delay, signal);
    }
  }
}
