import type { Clock } from '../../lib/clock';

export interface ManualClock extends Clock {
  /** Moves time forward, firing every timeout that falls due on the way. */
  advance(ms: number): void;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

const timeoutError = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Virtual time: `sleep(ms)` moves the clock forward by `ms` and resolves at once, unless its
 * signal aborts on the way (a `timeout` falling due counts), in which case time stops there and
 * the sleep rejects. A fake that "hangs" sleeps on its signal, so hangs end when a deadline fires.
 */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  const timers: { at: number; controller: AbortController }[] = [];

  /** Moves to `target`, firing due timers in order; stops early when `signal` aborts. */
  function moveTo(target: number, signal?: AbortSignal) {
    for (;;) {
      if (signal?.aborted) return;
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (next === undefined || next.at > target) break;
      timers.shift();
      now = Math.max(now, next.at);
      next.controller.abort(timeoutError());
    }
    now = Math.max(now, target);
  }

  return {
    sleeps,
    now: () => now,
    advance(ms) {
      moveTo(now + ms);
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      moveTo(now + ms, signal);
      if (signal?.aborted) throw signal.reason;
    },
    timeout(ms) {
      const controller = new AbortController();
      if (ms <= 0) controller.abort(timeoutError());
      else timers.push({ at: now + ms, controller });
      return controller.signal;
    },
  };
}
