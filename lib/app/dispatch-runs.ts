import { dispatchRuns, type DispatchDeps, type DispatchResult } from '../react/dispatch';
import type { RunStore } from '../react/run-store';
import type { Runtime } from '../runtime';
import type { OpenedStore } from '../store/open-store';

/** What the timer's summary line adds about handler runs, for log-based alarms. */
export interface RunsSummary {
  runsSucceeded: number;
  runsFailed: number;
  runsDead: number;
  /** Age of the oldest run not yet succeeded or dead; -1 when it could not be read. */
  oldestPendingAgeS: number;
  dispatchError?: string;
}

/** Room kept after dispatching for the backlog query and the summary line. */
export const AFTER_DISPATCH_MS = 1_500;

/** What a dispatcher of this runtime needs, over `runs` (the store's, or a share of it). */
export const dispatchDeps = (runtime: Runtime, runs: RunStore): DispatchDeps => ({
  runs,
  registry: runtime.registry,
  clock: runtime.clock,
  log: runtime.log,
  retry: { maxAttempts: runtime.config.runsMaxAttempts, baseMs: runtime.config.runsRetryBaseMs },
});

/** The counts of runs dispatched earlier in the invocation (follow mode: during the drain) added to `summary`. */
export function withEarlierRuns(summary: RunsSummary, earlier: DispatchResult): RunsSummary {
  const dispatchError = summary.dispatchError ?? earlier.error;
  return {
    ...summary,
    runsSucceeded: summary.runsSucceeded + earlier.runsSucceeded,
    runsFailed: summary.runsFailed + earlier.runsFailed,
    runsDead: summary.runsDead + earlier.runsDead,
    ...(dispatchError === undefined ? {} : { dispatchError }),
  };
}

/**
 * Runs due handler runs for up to `budgetMs` (nothing when it is too short), then reads the age
 * of the oldest unfinished run. Never rejects: the events are stored and confirmed by now, and a
 * dispatch that fails leaves its runs for the next invocation.
 */
export async function dispatchDueRuns(runtime: Runtime, store: OpenedStore, budgetMs: number): Promise<RunsSummary> {
  const { registry, clock, config } = runtime;
  const result: DispatchResult = await dispatchRuns(dispatchDeps(runtime, store.runs), {
    budgetMs: Math.max(0, budgetMs - AFTER_DISPATCH_MS),
    concurrency: config.dispatchConcurrency,
  });
  const oldestPendingAgeS =
    registry.handlers.length === 0
      ? 0
      : await store.runs.stats(new Date(clock.now())).then(
          (stats) => stats.oldestPendingAgeS,
          () => -1,
        );
  const { runsSucceeded, runsFailed, runsDead, error } = result;
  return { runsSucceeded, runsFailed, runsDead, oldestPendingAgeS, ...(error === undefined ? {} : { dispatchError: error }) };
}
