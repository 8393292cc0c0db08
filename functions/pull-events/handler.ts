import { drain, DrainError, type DrainResult } from '../../lib/drain/drain';
import { drainBudgetMs } from '../../lib/drain/budget';
import type { Credentials } from '../../lib/config';
import type { Runtime } from '../../lib/runtime';
import { createVodQueueClient } from '../../lib/vod/create-client';
import { tokenBucket } from '../../lib/vod/rate-limiter';

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

export type PullEventsResult = DrainResult & { api: string; trigger: string | null };

const remainingMs = (context: ScfContext | undefined) =>
  typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : context?.time_limit_in_ms;

/**
 * The timer function: drains the queue and resolves to its summary, logged as one JSON line.
 * Rejects when events could not be stored (none of them confirmed), so SCF marks the invocation
 * failed and retries it. Rate limiters live as long as the instance, so overlapping warm
 * invocations in one instance share them; the VOD client is made per invocation from
 * `credentials()` (default: the configuration's), as an execution role's keys expire.
 */
export function createPullEventsHandler(runtime: Runtime, credentials: () => Credentials = () => runtime.config.credentials) {
  const { config, clock, log } = runtime;
  const limiters = { pull: tokenBucket(config.maxQps, clock), confirm: tokenBucket(config.maxQps, clock) };

  return async function handle(event: ScfTimerEvent | null | undefined, context?: ScfContext): Promise<PullEventsResult> {
    const trigger = event?.TriggerName ?? null;
    const base = { api: config.vodApi, trigger, requestId: context?.request_id };
    try {
      const vod = createVodQueueClient({ ...config, credentials: credentials() }, clock);
      const store = await runtime.store();
      const result = await drain(
        { vod, store, clock, log, limiters },
        {
          concurrency: config.drainConcurrency,
          maxBatches: config.drainMaxBatches,
          budgetMs: drainBudgetMs(config.drainBudgetMs, remainingMs(context)),
        },
      );
      log.log('info', 'pull-events finished', { ...base, ...result });
      return { ...result, api: config.vodApi, trigger };
    } catch (error) {
      const partial = error instanceof DrainError ? error.result : undefined;
      log.log('error', 'pull-events failed', { ...base, ...partial, error: (error as Error).message });
      throw error;
    }
  };
}
