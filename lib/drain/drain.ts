import type { Clock } from '../clock';
import { StoreError, VodEventsError } from '../errors';
import { normalize } from '../events/normalize';
import type { Logger } from '../log';
import type { EventStore, UpsertResult } from '../store/event-store';
import { MAX_HANDLES_PER_CONFIRM, type PulledEvent, type VodQueueClient } from '../vod/queue-client';
import type { RateLimiter } from '../vod/rate-limiter';
import { withRetry, type RetryPolicy } from '../vod/retry';
import { VodApiError } from '../vod/vod-api-error';

export const StopReason = { drained: 'drained', budget: 'budget', maxBatches: 'max-batches' } as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export interface DrainDeps {
  vod: VodQueueClient;
  store: EventStore;
  clock: Clock;
  log: Logger;
  /** One limiter per action, shared by every loop (VOD limits each action separately). */
  limiters: { pull: RateLimiter; confirm: RateLimiter };
}

export interface DrainLimits {
  concurrency: number;
  maxBatches: number;
  /** No pull starts after this many ms; pulls still running are cut off `PULL_GRACE_MS` later. */
  budgetMs: number;
  /** Handles older than this are left for VOD to redeliver (it rejects them after 30 s). */
  handleMaxAgeMs?: number;
  retry?: Partial<Pick<RetryPolicy, 'baseMs' | 'capMs' | 'maxAttempts' | 'random'>>;
}

export interface DrainResult {
  pulled: number;
  inserted: number;
  duplicates: number;
  confirmed: number;
  /** Stored but not confirmed (handle too old, confirm failed): VOD redelivers them, the store counts them as duplicates. */
  unconfirmed: number;
  batches: number;
  retries: number;
  elapsedMs: number;
  stopReason: StopReason;
}

/** The drain could not finish safely; `result` says what was done before it stopped. */
export class DrainError extends VodEventsError {
  constructor(
    message: string,
    readonly result: DrainResult,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A 5 s long poll plus a second of slack: how long after the budget a running pull may take. */
export const PULL_GRACE_MS = 6_000;
/** After the pull grace, the time left for retrying a store or a confirm. */
export const WRITE_GRACE_MS = 3_000;
export const HANDLE_MAX_AGE_MS = 25_000;

const isRetryableApiError = (error: unknown) => error instanceof VodApiError && error.retryable;
const isUnavailableStore = (error: unknown) => error instanceof StoreError && error.kind === 'unavailable';
const isAuthFailure = (error: unknown) =>
  error instanceof VodApiError && !error.retryable && /^(AuthFailure|UnauthorizedOperation|41\d\d$)/.test(error.code ?? '');

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * Empties VOD's queue: `concurrency` loops each pull → normalize → store the batch in one upsert →
 * confirm the stored handles, until the queue is empty, the budget is spent or `maxBatches` pulls
 * were made. Invariants: a handle is confirmed only after its event is durably stored, and never
 * when older than `handleMaxAgeMs`; unknown or malformed events are stored as `Unknown` and
 * confirmed, so nothing blocks the queue. A store failure or a fatal API error stops every loop
 * and rejects with `DrainError`, leaving all unstored events unconfirmed.
 */
export async function drain(deps: DrainDeps, limits: DrainLimits): Promise<DrainResult> {
  const { vod, store, clock, log, limiters } = deps;
  const handleMaxAgeMs = limits.handleMaxAgeMs ?? HANDLE_MAX_AGE_MS;
  const startedAt = clock.now();
  const deadline = startedAt + limits.budgetMs;
  const hardDeadline = deadline + PULL_GRACE_MS;
  // No store or confirm retry starts after this: the invocation must end inside SAFETY_MARGIN_MS.
  const lastRetry = hardDeadline + WRITE_GRACE_MS;
  const retryDeadline = (pulledAt: number) => Math.min(pulledAt + handleMaxAgeMs, lastRetry);
  const retry = { baseMs: 100, capMs: 2_000, maxAttempts: 8, ...limits.retry };
  const stopPulls = new AbortController();
  const totals = { pulled: 0, inserted: 0, duplicates: 0, confirmed: 0, unconfirmed: 0, batches: 0, retries: 0 };
  const reasons: StopReason[] = [];
  let failure: unknown;

  const fail = (error: unknown) => {
    failure ??= error;
    stopPulls.abort(error);
  };
  const onRetry = (action: string) => (error: unknown, delayMs: number) => {
    totals.retries++;
    log.log('warn', `${action} failed, retrying`, { error: (error as Error).message, delayMs });
  };

  async function pull(): Promise<PulledEvent[]> {
    return withRetry(
      async () => {
        await limiters.pull.acquire(stopPulls.signal);
        const cutOff = AbortSignal.timeout(Math.max(1, hardDeadline - clock.now()));
        return vod.pull(AbortSignal.any([stopPulls.signal, cutOff]));
      },
      isRetryableApiError,
      { ...retry, deadline },
      clock,
      stopPulls.signal,
      onRetry('pull'),
    );
  }

  async function storeBatch(events: PulledEvent[], pulledAt: number): Promise<UpsertResult> {
    const normalized = events.map((event) => normalize(event.content, { source: 'pull', api: vod.api }));
    return withRetry(
      () => store.upsert(normalized, new Date(clock.now())),
      isUnavailableStore,
      { ...retry, maxAttempts: 3, deadline: retryDeadline(pulledAt) },
      clock,
      undefined,
      onRetry('store'),
    );
  }

  async function confirm(handles: string[], pulledAt: number): Promise<void> {
    const fresh = () => clock.now() - pulledAt < handleMaxAgeMs;
    for (const chunk of chunks(handles, MAX_HANDLES_PER_CONFIRM)) {
      try {
        await withRetry(
          async () => {
            await limiters.confirm.acquire();
            if (!fresh()) throw new HandleTooOld();
            await vod.confirm(chunk, AbortSignal.timeout(Math.max(1, pulledAt + handleMaxAgeMs - clock.now())));
          },
          isRetryableApiError,
          { ...retry, deadline: retryDeadline(pulledAt) },
          clock,
          undefined,
          onRetry('confirm'),
        );
        totals.confirmed += chunk.length;
      } catch (error) {
        totals.unconfirmed += chunk.length;
        if (isAuthFailure(error)) return fail(error);
        // The events are stored; VOD hands them out again and the store counts the repeat.
        log.log('warn', 'stored events left unconfirmed; VOD will redeliver them', {
          handles: chunk.length,
          error: (error as Error).message,
        });
      }
    }
  }

  async function loop(): Promise<void> {
    // The previous batch's confirm runs while the next pull waits on VOD, so a batch costs one
    // API latency instead of two; at most one confirm per loop is in flight. `confirm` never rejects.
    let confirming: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        if (failure !== undefined) return;
        if (totals.batches >= limits.maxBatches) return void reasons.push(StopReason.maxBatches);
        if (clock.now() >= deadline) return void reasons.push(StopReason.budget);
        totals.batches++;
        // The handle's 30 s may start as soon as the request is sent: count age from here.
        const pulledAt = clock.now();
        let events: PulledEvent[];
        try {
          events = await pull();
        } catch (error) {
          // A pull cut off by another loop's failure leaves its events with VOD.
          if (stopPulls.signal.aborted) return;
          // Still failing when the budget ran out (a hang cut off at the hard deadline included).
          if (isRetryableApiError(error) && clock.now() >= deadline) return void reasons.push(StopReason.budget);
          return fail(error);
        }
        if (events.length === 0) return void reasons.push(StopReason.drained);
        totals.pulled += events.length;
        let stored: UpsertResult;
        try {
          stored = await storeBatch(events, pulledAt);
        } catch (error) {
          totals.unconfirmed += events.length;
          return fail(error);
        }
        totals.inserted += stored.inserted;
        totals.duplicates += stored.duplicates;
        // Written as soon as a batch is durable: when SCF kills an invocation at its timeout, the
        // summary line never comes, and these lines are what says how much it stored.
        log.log('debug', 'batch stored', { pulled: events.length, inserted: stored.inserted, duplicates: stored.duplicates });
        const handles = events.map((event) => event.handle).filter((handle) => handle !== '');
        totals.unconfirmed += events.length - handles.length;
        await confirming;
        confirming = confirm(handles, pulledAt);
      }
    } finally {
      await confirming;
    }
  }

  await Promise.all(Array.from({ length: limits.concurrency }, loop));
  const result: DrainResult = { ...totals, elapsedMs: clock.now() - startedAt, stopReason: pickStopReason(reasons) };
  if (failure !== undefined) {
    const what =
      failure instanceof StoreError
        ? 'storing pulled events failed'
        : isRetryableApiError(failure)
          ? 'the VOD API kept failing after retries'
          : 'the VOD API refused the drain';
    throw new DrainError(
      `${what}; every unstored event was left unconfirmed for VOD to redeliver: ${(failure as Error).message}`,
      result,
      { cause: failure },
    );
  }
  return result;
}

class HandleTooOld extends VodEventsError {
  constructor() {
    super('handle older than the confirm window; left for VOD to redeliver');
  }
}

/** The loops stop for different reasons; report the one that says work may remain. */
function pickStopReason(reasons: StopReason[]): StopReason {
  if (reasons.includes(StopReason.maxBatches)) return StopReason.maxBatches;
  if (reasons.includes(StopReason.budget)) return StopReason.budget;
  return StopReason.drained;
}
