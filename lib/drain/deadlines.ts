import type { Clock } from '../clock';

/** VOD holds an empty long poll up to 5 s; one more second for the answer to arrive. */
export const PULL_GRACE_MS = 6_000;
/** After the pull grace, the time for storing the last batches and confirming them. */
export const WRITE_GRACE_MS = 3_000;
/** Time left after the drain for the summary line and the function's return. */
export const SUMMARY_MARGIN_MS = 1_000;
/** Room after the budget: a pull cut off at its grace, the last writes, the summary. */
export const SAFETY_MARGIN_MS = PULL_GRACE_MS + WRITE_GRACE_MS + SUMMARY_MARGIN_MS;
/** VOD rejects a confirm of a handle older than 30 s (ConfirmEvents doc); stop 5 s short of it. */
export const HANDLE_MAX_AGE_MS = 25_000;

/**
 * Every time limit of one drain, computed once from the clock: pulls start until `lastPull`, a
 * pull still running is cut off at `pullCutOff`, and every store statement and confirm attempt is
 * cut off at `end`, by which the drain has returned.
 */
export interface Deadlines {
  startedAt: number;
  lastPull: number;
  pullCutOff: number;
  end: number;
  /** The moment a confirm of a handle pulled at `pulledAt` must be done (its age limit, or `end`). */
  confirmBy(pulledAt: number): number;
  /** A signal on the drain's clock that aborts at `at`. */
  signalAt(at: number): AbortSignal;
}

export function drainDeadlines(clock: Clock, budgetMs: number, handleMaxAgeMs = HANDLE_MAX_AGE_MS): Deadlines {
  const startedAt = clock.now();
  const lastPull = startedAt + budgetMs;
  const pullCutOff = lastPull + PULL_GRACE_MS;
  const end = pullCutOff + WRITE_GRACE_MS;
  return {
    startedAt,
    lastPull,
    pullCutOff,
    end,
    confirmBy: (pulledAt) => Math.min(pulledAt + handleMaxAgeMs, end),
    signalAt: (at) => clock.timeout(at - clock.now()),
  };
}

/**
 * `work`, or a rejection with `onCut()` as soon as `signal` aborts, whether or not `work` heeds
 * the signal: a frozen PostgreSQL never answers the driver's cancel request either.
 */
export function cutOff<T>(work: Promise<T>, signal: AbortSignal, onCut: () => Error): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(onCut());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      work.catch(() => {});
      reject(onCut());
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
