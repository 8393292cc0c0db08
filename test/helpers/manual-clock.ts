import type { Clock } from '../../lib/clock';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

/** Virtual time: `sleep(ms)` moves the clock forward by `ms` and resolves at once. */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}
