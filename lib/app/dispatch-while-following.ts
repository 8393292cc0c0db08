import { dispatchRuns, type DispatchResult } from '../react/dispatch';
import { limitStatements } from '../react/limit-statements';
import { runsBell } from '../react/runs-bell';
import type { Runtime } from '../runtime';
import type { EventStore } from '../store/event-store';
import { RUNS_CONNECTIONS_WHILE_DRAINING, type OpenedStore } from '../store/open-store';
import { AFTER_DISPATCH_MS, dispatchDeps } from './dispatch-runs';

/**
 * How often idle workers look for runs that fell due with time rather than with a write: retries,
 * runs whose lease ran out, runs the callback handed back. One claim statement per look; new
 * events' runs do not wait for it (the drain's writes ring the bell).
 */
export const RECHECK_MS = 5_000;

export interface DispatchWhileFollowing {
  /** The store to give the drain: the same store, but a write that stored new events with handlers wakes the workers. */
  store: EventStore;
  /** Stops claiming, waits for the runs already started (each ends within its timeout), and returns their counts. */
  finish(): Promise<DispatchResult>;
}

/**
 * Follow mode: a pull window lasts about a minute, and SCF freezes the instance once it returns,
 * so runs dispatched only after the drain would wait for the whole window (and since the 10 s
 * left after it hold the last long poll and the summary, a handler with the default 10 s timeout
 * would never start). Instead, `DISPATCH_CONCURRENCY` workers run due runs from the start of the drain, and
 * idle ones wake as soon as the drain stores new events. The drain is never held up: its store
 * statements keep one connection per loop, the workers' statements go one at a time over the
 * pool's extra connection (`RUNS_CONNECTIONS_WHILE_DRAINING`), and confirms are VOD calls that
 * need no connection. A run starts only when its timeout ends inside `budgetMs` (less the room
 * the summary needs), so the invocation still ends inside its SCF time limit.
 */
export function dispatchWhileFollowing(runtime: Runtime, store: OpenedStore, budgetMs: number): DispatchWhileFollowing {
  const { registry, clock, config } = runtime;
  const bell = runsBell(clock, RECHECK_MS);
  const stop = new AbortController();
  const dispatching = dispatchRuns(dispatchDeps(runtime, limitStatements(store.runs, RUNS_CONNECTIONS_WHILE_DRAINING)), {
    budgetMs: Math.max(0, budgetMs - AFTER_DISPATCH_MS),
    concurrency: config.dispatchConcurrency,
    newRuns: bell,
    stop: stop.signal,
  });
  return {
    store: {
      ...store,
      async upsert(events, receivedAt, signal) {
        const stored = await store.upsert(events, receivedAt, signal);
        // The outbox wrote runs only for types with handlers: no claim for a batch that has none.
        if (stored.inserted > 0 && events.some((event) => registry.handles(event.eventType))) bell.ring();
        return stored;
      },
    },
    async finish() {
      stop.abort();
      return dispatching;
    },
  };
}
