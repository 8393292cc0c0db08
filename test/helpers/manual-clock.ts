import type { Clock } from '../../lib/clock';

export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due on the way. */
  advance(ms: number): void;
  /** Moves time to the next pending timer and fires it; `false` when none is pending. */
  runNext(): boolean;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

const timeoutError = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/**
 * Virtual time. By default `sleep(ms)` moves the clock forward by `ms` at once (firing the
 * timeouts due on the way, and stopping where its own signal aborts): one caller at a time, as
 * retry and rate-limit tests need. With `{ autoAdvance: false }` a sleep waits until someone
 * moves the clock (`advance`, `runNext`), so concurrent callers overlap in time as they would on
 * a real clock: a discrete-event simulation for the drain's loops.
 */
export function manualClock(start = Date.UTC(2026, 0, 1), options: { autoAdvance?: boolean } = {}): ManualClock {
  const autoAdvance = options.autoAdvance ?? true;
  let now = start;
  let sequence = 0;
  const sleeps: number[] = [];
  const timers: { at: number; order: number; fire: () => void }[] = [];

  const schedule = (at: number, fire: () => void) => {
    const timer = { at, order: sequence++, fire };
    timers.push(timer);
    return () => {
      const index = timers.indexOf(timer);
      if (index >= 0) timers.splice(index, 1);
    };
  };

  function fireNext(limit: number): boolean {
    timers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = timers[0];
    if (next === undefined || next.at > limit) return false;
    timers.shift();
    now = Math.max(now, next.at);
    next.fire();
    return true;
  }

  /** Moves to `target`, firing due timers in order; stops early when `signal` aborts. */
  function moveTo(target: number, signal?: AbortSignal) {
    while (!signal?.aborted && fireNext(target));
    if (!signal?.aborted) now = Math.max(now, target);
  }

  return {
    sleeps,
    now: () => now,
    advance(ms) {
      moveTo(now + ms);
    },
    runNext: () => fireNext(Infinity),
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      if (autoAdvance) {
        moveTo(now + ms, signal);
        if (signal?.aborted) throw signal.reason;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          cancel();
          reject(signal!.reason);
        };
        const cancel = schedule(now + ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    timeout(ms) {
      const controller = new AbortController();
      if (ms <= 0) controller.abort(timeoutError());
      else schedule(now + ms, () => controller.abort(timeoutError()));
      return controller.signal;
    },
  };
}
