import type { RunStore } from './run-store';

/**
 * The run store with at most `maxInFlight` of its statements on their way at once; the others
 * wait here, in order. Waiting here rather than in the driver's pool is the point: a statement
 * queued in the pool takes (or pipelines onto) a connection that the drain's next store statement
 * may need, so dispatching alongside a drain gets a fixed share of the pool instead
 * (`RUNS_CONNECTIONS_WHILE_DRAINING`, lib/store/open-store.ts).
 */
export function limitStatements(runs: RunStore, maxInFlight: number): RunStore {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (inFlight < maxInFlight) {
      inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // A finished statement hands its place straight to the next waiting one.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight -= 1;
  };
  const limited =
    <A extends unknown[], R>(statement: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await acquire();
      try {
        return await statement(...args);
      } finally {
        release();
      }
    };
  return {
    claim: limited((request) => runs.claim(request)),
    recordSuccess: limited((run, now) => runs.recordSuccess(run, now)),
    recordFailure: limited((run, now, error, retryAt) => runs.recordFailure(run, now, error, retryAt)),
    release: limited((run, now) => runs.release(run, now)),
    fileState: limited((fileId) => runs.fileState(fileId)),
    list: limited((filter) => runs.list(filter)),
    stats: limited((now) => runs.stats(now)),
    replay: limited((handler, selection, force, now) => runs.replay(handler, selection, force, now)),
  };
}
