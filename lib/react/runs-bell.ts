import type { Clock } from '../clock';

/**
 * Tells dispatch workers that found no due run when to look again: when new runs were stored,
 * or after `recheckMs` (retries and lost leases fall due with time, not with a write).
 */
export interface RunsBell {
  /** Changes each time `ring` is called. Take it before a claim, so a ring during the claim is not missed. */
  ticket(): number;
  /** Resolves at once when the bell rang since `ticket` was taken, else at the next ring, after `recheckMs`, or when `signal` aborts. */
  wait(ticket: number, signal: AbortSignal): Promise<void>;
  /** New runs may have been stored: every waiting worker looks again. */
  ring(): void;
}

export function runsBell(clock: Clock, recheckMs: number): RunsBell {
  let rings = 0;
  let ringing = new AbortController();
  return {
    ticket: () => rings,
    async wait(ticket, signal) {
      if (ticket !== rings || signal.aborted) return;
      await clock.sleep(recheckMs, AbortSignal.any([signal, ringing.signal])).catch(() => {});
    },
    ring() {
      rings += 1;
      ringing.abort();
      ringing = new AbortController();
    },
  };
}
