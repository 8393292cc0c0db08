import { drain, type DrainResult } from '../drain/drain';
import { drainBudgetMs } from '../drain/budget';
import { cutOff, SAFETY_MARGIN_MS, SUMMARY_MARGIN_MS } from '../drain/deadlines';
import { emptyResult } from '../drain/result';
import type { Credentials } from '../config';
import { DrainError, StoreError } from '../errors';
import type { Runtime } from '../runtime';
import { createVodQueueClient } from '../vod/create-client';
import { tokenBucket } from '../vod/rate-limiter';
import { dispatchDueRuns, withEarlierRuns, type RunsSummary } from './dispatch-runs';
import { dispatchWhileFollowing } from './dispatch-while-following';
import { DEFAULT_REMAINING_MS } from '../drain/budget';
import type { DispatchResult } from '../react/dispatch';

/** What SCF hands a timer-triggered function; a manual invoke may send `{}`. */
export interface ScfTimerEvent {
  Type?: 'Timer';
  TriggerName?: string;
  Time?: string;
  Message?: string;
}

/** The parts of SCF's Node.js context the drain reads; older runtimes only have `time_limit_in_ms`. */
export interface ScfContext {
  getRemainingTimeInMillis?: () => number;
  time_limit_in_ms?: number;
  request_id?: string;
}

export type PullEventsResult = DrainResult & RunsSummary & { api: string; trigger: string | null };

/** The moment SCF ends this invocation on the runtime's clock, when the context says. */
function invocationEnd(context: ScfContext | undefined, now: number): number | undefined {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : context?.time_limit_in_ms;
  return typeof remaining === 'number' && Number.isFinite(remaining) ? now + remaining : undefined;
}

/**
 * The timer function: drains the queue (DRAIN_MODE=follow: keeps long-polling until the pull
 * window ends), runs the due handler runs (after the drain; in follow mode from its start too)
 * and resolves to its summary, logged as one JSON line.
 * Rejects when events could not be stored (none of them confirmed), VOD refused the credentials,
 * or no pull got through, so SCF marks the invocation failed and retries it. Every invocation
 * ends inside its SCF time limit: opening the store and the drain both run against the time
 * the context reports. Rate limiters live as long as the instance, so overlapping warm
 * invocations in one instance share them; the VOD client is made per invocation from
 * `credentials()` (default: the configuration's), as an execution role's keys expire.
 */
export function createPullEventsHandler(runtime: Runtime, credentials: () => Credentials = () => runtime.config.credentials) {
  const { config, clock, log } = runtime;
  const limiters = { pull: tokenBucket(config.maxQps, clock), confirm: tokenBucket(config.maxQps, clock) };

  async function openStore(endsAt: number | undefined) {
    if (endsAt === undefined) return runtime.store();
    const leftMs = endsAt - SUMMARY_MARGIN_MS - clock.now();
    return cutOff(
      runtime.store(),
      clock.timeout(leftMs),
      () =>
        new StoreError(
          `opening the store did not finish within the ${leftMs} ms the invocation had left (is PostgreSQL reachable and answering?)`,
          'unavailable',
        ),
    );
  }

  return async function handle(event: ScfTimerEvent | null | undefined, context?: ScfContext): Promise<PullEventsResult> {
    const trigger = event?.TriggerName ?? null;
    const base = { api: config.vodApi, trigger, requestId: context?.request_id };
    const endsAt = invocationEnd(context, clock.now());
    // Handler-run statements carry no deadline of their own, so a PostgreSQL that stops answering
    // would hold dispatching (and the summary line, and the rejection SCF must see) until SCF kills
    // the invocation: dispatching is cut off where the summary's margin begins.
    const byDispatchEnd = <T>(work: Promise<T>, cut: (reason: string) => T): Promise<T> =>
      endsAt === undefined
        ? work
        : cutOff(
            work,
            clock.timeout(endsAt - SUMMARY_MARGIN_MS - clock.now()),
            () =>
              new StoreError('handler runs did not finish before the invocation ends (is PostgreSQL answering?)', 'unavailable'),
          ).catch((error: unknown) => cut((error as Error).message));
    try {
      const vod = createVodQueueClient({ ...config, credentials: credentials() }, clock);
      const store = await openStore(endsAt);
      const budgetMs = drainBudgetMs(config.drainBudgetMs, endsAt === undefined ? undefined : endsAt - clock.now());
      if (budgetMs <= 0) {
        throw new DrainError({
          message: `the function's time limit leaves no room for one pull: ${endsAt! - clock.now()} ms left, one long poll plus the last writes and the summary need ${SAFETY_MARGIN_MS} ms; set the function's timeout to 30 s or more`,
          result: emptyResult('failed'),
        });
      }
      // Follow mode: runs are dispatched while the window is open, on their own share of the pool
      // (dispatch-while-following.ts). Drain mode: its drain takes seconds, so runs wait for it.
      const following =
        config.drainMode === 'follow' && runtime.registry.handlers.length > 0
          ? dispatchWhileFollowing(
              runtime,
              store,
              (endsAt ?? clock.now() + budgetMs + SAFETY_MARGIN_MS) - SUMMARY_MARGIN_MS - clock.now(),
            )
          : undefined;
      let duringDrain: DispatchResult | undefined;
      let result: DrainResult;
      try {
        result = await drain(
          { vod, store: following?.store ?? store, clock, log, limiters },
          {
            mode: config.drainMode,
            concurrency: config.drainConcurrency,
            maxBatches: config.drainMaxBatches,
            maxInflightBytes: config.drainMaxInflightBytes,
            budgetMs,
          },
        );
      } finally {
        // Nothing may run on after the function answers: SCF freezes the instance.
        duringDrain =
          following &&
          (await byDispatchEnd(following.finish(), (error) => ({
            runsSucceeded: 0,
            runsFailed: 0,
            runsDead: 0,
            runsReleased: 0,
            error,
          })));
      }
      // After the drain: its stores and confirms are done, so handler runs never delay a confirm.
      const after = await byDispatchEnd(
        dispatchDueRuns(runtime, store, (endsAt ?? clock.now() + DEFAULT_REMAINING_MS) - SUMMARY_MARGIN_MS - clock.now()),
        (dispatchError) => ({ runsSucceeded: 0, runsFailed: 0, runsDead: 0, oldestPendingAgeS: -1, dispatchError }),
      );
      const runs = duringDrain === undefined ? after : withEarlierRuns(after, duringDrain);
      log.log('info', 'pull-events finished', { ...base, ...result, ...runs });
      return { ...result, ...runs, api: config.vodApi, trigger };
    } catch (error) {
      const partial = error instanceof DrainError ? error.result : { stopReason: 'failed' };
      log.log('error', 'pull-events failed', { ...base, ...partial, error: (error as Error).message });
      throw error;
    }
  };
}
