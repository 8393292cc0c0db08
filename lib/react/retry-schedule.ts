/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 6 * 3600 * 1000;

export interface RetrySchedule {
  maxAttempts: number;
  baseMs: number;
}

/**
 * When attempt `attempt` (1-based) failed, the next one is due `baseMs · 2^(attempt-1)` later,
 * capped at 6 h, plus up to 10% jitter so runs that failed together (a receiver that was down)
 * do not all come back in the same second; `undefined` once `maxAttempts` are spent (dead).
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  attempt: number,
  now: number,
  random: () => number = Math.random,
): Date | undefined {
  if (attempt >= schedule.maxAttempts) return undefined;
  const delay = Math.min(schedule.baseMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
  return new Date(now + delay * (1 + random() / 10));
}
