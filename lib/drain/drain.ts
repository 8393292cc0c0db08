import type { Clock } from '../clock';
import { DEFAULTS, type DrainMode } from '../config';
import { DrainError, HandleTooOld, isRetryableVodError, StoreError, VodApiError } from '../errors';
import { normalize } from '../events/normalize';
import type { NormalizedEvent } from '../events/types';
import type { Logger } from '../log';
import type { EventStore, UpsertResult } from '../store/event-store';
import { MAX_HANDLES_PER_CONFIRM, type PulledEvent, type VodQueueClient } from '../vod/queue-client';
import type { RateLimiter } from '../vod/rate-limiter';
import { withRetry, type RetryPolicy } from '../vod/retry';
import { byteGate, type ByteGate, type Reservation } from './byte-gate';
import { cutOff, drainDeadlines, HANDLE_MAX_AGE_MS, type Deadlines } from './deadlines';
import { idleLoops, type IdleLoops } from './idle-loops';
import { StopReason, type DrainResult } from './result';

export { StopReason, type DrainResult } from './result';

export interface DrainDeps {
  vod: VodQueueClient;
  store: EventStore;
  clock: Clock;
  log: Logger;
  /** One limiter per action, shared by every loop (VOD limits each action separately). */
  limiters: { pull: RateLimiter; confirm: RateLimiter };
}

export interface DrainLimits {
  /** `drain` (default) stops at the first empty poll; `follow` keeps long-polling until the budget ends. */
  mode?: DrainMode;
  concurrency: number;
  /**
   * Follow mode: loops that keep long-polling an idle queue (default 1); the others rest until a
   * pull comes back full. The bench sets it to `concurrency` to measure what resting saves.
   */
  idleLoops?: number;
  maxBatches: number;
  /** No pull starts after this many ms; everything else ends by the deadlines derived from it (`drainDeadlines`). */
  budgetMs: number;
  /** Bytes of pulled-but-unstored events held at once (`DRAIN_MAX_INFLIGHT_BYTES`). */
  maxInflightBytes?: number;
  /** Handles older than this are left for VOD to redeliver (it rejects them after 30 s). */
  handleMaxAgeMs?: number;
  retry?: RetryPolicy;
}

export const DEFAULT_MAX_INFLIGHT_BYTES = DEFAULTS.drainMaxInflightBytes;
/**
 * The most event bytes one upsert statement carries (one event at least). The driver holds
 * several copies of a statement's parameters while sending it: measured with 64 × 512 KB events,
 * 16 events per statement peaked ~60 MB higher than one event per statement.
 */
export const MAX_STATEMENT_BYTES = 1_048_576;
/**
 * Follow mode: an empty answer faster than this means the endpoint did not hold the long poll (VOD
 * holds it up to 5 s); the loop waits out the rest, so an idle queue costs at most one call per
 * second per polling loop, whatever the endpoint does.
 */
export const MIN_EMPTY_PULL_INTERVAL_MS = 1_000;
/** VOD hands out at most 16 events per pull: a full batch says more are waiting. */
const FULL_BATCH = MAX_HANDLES_PER_CONFIRM;
/** Store attempts per group of events; each is also cut off at the drain's end. */
const STORE_ATTEMPTS = 3;

/** One drain's shared state: its deadlines, the counts, and the first failure that stops every loop. */
interface Run {
  deps: DrainDeps;
  limits: DrainLimits & { mode: DrainMode; maxInflightBytes: number; handleMaxAgeMs: number };
  deadlines: Deadlines;
  gate: ByteGate;
  idle: IdleLoops;
  /** Aborted on the first failure: stops pulls and waits of every loop. */
  stop: AbortController;
  failure?: unknown;
  /** A pull found the queue empty: no loop starts another. */
  drained: boolean;
  reasons: StopReason[];
  totals: Omit<DrainResult, 'elapsedMs' | 'stopReason'>;
  /** Pull attempts: answered by VOD (events, empty, or an error code) or not answered at all. */
  pulls: { succeeded: number; answeredErrors: number; unanswered: number; lastError?: VodApiError };
}

interface StoredBatch {
  kind: 'stored';
  handles: string[];
  pulledAt: number;
}

/** Follow mode: the pull found the queue empty. */
interface EmptyPull {
  kind: 'empty';
  pulledAt: number;
}

/**
 * Empties VOD's queue: `concurrency` loops each run pullBatch → storeBatch → confirmBatch until
 * the queue is empty (in follow mode: not before the budget ends; idle loops rest but one), the
 * budget is spent or `maxBatches` pulls were made. Invariants: a handle is
 * confirmed only after its event is durably stored, and never when older than `handleMaxAgeMs`;
 * unknown or malformed events are stored and confirmed, so nothing blocks the queue; at most
 * `maxInflightBytes` of pulled events wait for the store (one batch always may). Every step ends
 * by the deadlines computed once from the clock. Rejects with `DrainError` (stopReason `failed`)
 * on a store failure, an auth or fatal API error, or when no pull ever got through; a run that
 * moved events succeeds even when some calls kept failing.
 */
export async function drain(deps: DrainDeps, limits: DrainLimits): Promise<DrainResult> {
  const run: Run = {
    deps,
    limits: { mode: 'drain', maxInflightBytes: DEFAULT_MAX_INFLIGHT_BYTES, handleMaxAgeMs: HANDLE_MAX_AGE_MS, ...limits },
    deadlines: drainDeadlines(deps.clock, limits.budgetMs, limits.handleMaxAgeMs),
    gate: byteGate(limits.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES),
    // At least one loop keeps polling, or nobody would pull until the window ends.
    idle: idleLoops(limits.concurrency, Math.max(1, limits.idleLoops ?? 1)),
    stop: new AbortController(),
    drained: false,
    reasons: [],
    totals: { pulled: 0, inserted: 0, duplicates: 0, confirmed: 0, unconfirmed: 0, confirmUnknown: 0, batches: 0, retries: 0 },
    pulls: { succeeded: 0, answeredErrors: 0, unanswered: 0 },
  };
  await Promise.all(Array.from({ length: limits.concurrency }, () => loop(run)));
  const failure = run.failure ?? nothingGotThrough(run);
  const result: DrainResult = {
    ...run.totals,
    elapsedMs: deps.clock.now() - run.deadlines.startedAt,
    stopReason: failure === undefined ? pickStopReason(run.reasons) : StopReason.failed,
  };
  if (failure !== undefined) throw new DrainError({ message: failureMessage(run, failure), result, cause: failure });
  return result;
}

async function loop(run: Run): Promise<void> {
  // The previous batch's confirm runs while the next pull waits on VOD, so a batch costs one API
  // latency instead of two; at most one confirm per loop is in flight. `confirmBatch` never rejects.
  let confirming: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const outcome = await pullAndStore(run);
      if (outcome === undefined) return;
      if (outcome.kind === 'empty') {
        await waitAfterEmptyPull(run, outcome.pulledAt);
        continue;
      }
      await confirming;
      confirming = confirmBatch(run, outcome);
    }
  } finally {
    run.idle.leave();
    await confirming;
  }
}

/** Why no pull may start now, if one may not. */
function reasonToStop(run: Run): StopReason | 'failed' | undefined {
  if (run.failure !== undefined) return 'failed';
  if (run.drained) return StopReason.drained;
  if (run.totals.batches >= run.limits.maxBatches) return StopReason.maxBatches;
  if (run.deps.clock.now() >= run.deadlines.lastPull) return StopReason.budget;
  return undefined;
}

/**
 * Follow mode, after an empty pull: rest while enough other loops poll, else pull again at once —
 * unless the endpoint answered "empty" without holding the poll (see MIN_EMPTY_PULL_INTERVAL_MS).
 */
async function waitAfterEmptyPull(run: Run, pulledAt: number): Promise<void> {
  const { clock } = run.deps;
  const until = AbortSignal.any([run.stop.signal, run.deadlines.signalAt(run.deadlines.lastPull)]);
  if (await run.idle.rest(until)) return;
  const early = pulledAt + MIN_EMPTY_PULL_INTERVAL_MS - clock.now();
  if (early > 0) await clock.sleep(early, until).catch(() => {});
}

/** One batch pulled and stored; `undefined` when this loop is done. Events go out of scope here, before the confirm. */
async function pullAndStore(run: Run): Promise<StoredBatch | EmptyPull | undefined> {
  const { clock } = run.deps;
  let stop = reasonToStop(run);
  let reservation: Reservation | undefined;
  if (stop === undefined) {
    const waitUntil = AbortSignal.any([run.stop.signal, run.deadlines.signalAt(run.deadlines.lastPull)]);
    reservation = await run.gate.reserve(waitUntil).catch(() => undefined);
    stop = reasonToStop(run) ?? (reservation === undefined ? StopReason.budget : undefined);
  }
  if (stop !== undefined) {
    reservation?.release();
    if (stop !== 'failed') run.reasons.push(stop);
    return undefined;
  }
  try {
    run.totals.batches++;
    // The handle's 30 s may start as soon as the request is sent: count age from here.
    const pulledAt = clock.now();
    const events = await pullBatch(run);
    if (events === undefined) return undefined;
    if (events.length === 0) {
      if (run.limits.mode === 'follow') return { kind: 'empty', pulledAt };
      run.drained = true;
      run.reasons.push(StopReason.drained);
      return undefined;
    }
    if (events.length >= FULL_BATCH) run.idle.wake();
    const sizes = events.map((event) => jsonSize(event.content));
    reservation!.settle(sizes.reduce((sum, size) => sum + size, 0));
    run.totals.pulled += events.length;
    if (!(await storeBatch(run, events, sizes))) {
      run.totals.unconfirmed += events.length;
      return undefined;
    }
    const handles = events.map((event) => event.handle).filter((handle) => handle !== '');
    run.totals.unconfirmed += events.length - handles.length;
    return { kind: 'stored', handles, pulledAt };
  } finally {
    reservation!.release();
  }
}

/**
 * One PullEvents, retried while the pull window is open. `undefined` when the loop must stop:
 * another loop failed, a retryable error outlasted the window (the run decides at its end whether
 * that is a failure), or VOD refused the call (the run fails).
 */
async function pullBatch(run: Run): Promise<PulledEvent[] | undefined> {
  const { vod, clock, limiters } = run.deps;
  try {
    const events = await withRetry(
      async () => {
        await limiters.pull.acquire(run.stop.signal);
        try {
          return await vod.pull(AbortSignal.any([run.stop.signal, run.deadlines.signalAt(run.deadlines.pullCutOff)]));
        } catch (error) {
          if (error instanceof VodApiError && !run.stop.signal.aborted) {
            run.pulls.lastError = error;
            if (error.unanswered) run.pulls.unanswered++;
            else run.pulls.answeredErrors++;
          }
          throw error;
        }
      },
      {
        clock,
        isRetryable: isRetryableVodError,
        deadline: run.deadlines.lastPull,
        signal: run.stop.signal,
        onRetry: onRetry(run, 'pull'),
        ...run.limits.retry,
      },
    );
    run.pulls.succeeded++;
    return events;
  } catch (error) {
    // Cut off by another loop's failure: its events stay with VOD.
    if (run.stop.signal.aborted) return undefined;
    if (isRetryableVodError(error)) {
      run.reasons.push(StopReason.budget);
      return undefined;
    }
    fail(run, error);
    return undefined;
  }
}

/**
 * Normalizes and stores a batch, in statements of at most `MAX_STATEMENT_BYTES` (one event at
 * least), so a batch of large events never becomes one huge statement. Each statement carries the drain's end
 * as its deadline. `false` when the batch could not be stored (the run fails).
 */
async function storeBatch(run: Run, events: PulledEvent[], sizes: number[]): Promise<boolean> {
  const { clock, log, vod } = run.deps;
  try {
    for (const group of groupsBySize(events, sizes, Math.min(MAX_STATEMENT_BYTES, run.limits.maxInflightBytes))) {
      const normalized = group.map((event) => normalize(event.content, { source: 'pull', api: vod.api }));
      const stored = await withRetry(() => upsertBefore(run, normalized, run.deadlines.end), {
        clock,
        isRetryable: (error) => error instanceof StoreError && error.kind === 'unavailable',
        deadline: run.deadlines.end,
        signal: run.stop.signal,
        onRetry: onRetry(run, 'store'),
        ...run.limits.retry,
        maxAttempts: STORE_ATTEMPTS,
      });
      run.totals.inserted += stored.inserted;
      run.totals.duplicates += stored.duplicates;
      // Written as soon as a group is durable: when SCF kills an invocation at its timeout, the
      // summary line never comes, and these lines are what says how much it stored.
      log.log('debug', 'batch stored', { pulled: group.length, inserted: stored.inserted, duplicates: stored.duplicates });
    }
    return true;
  } catch (error) {
    fail(run, error);
    return false;
  }
}

function upsertBefore(run: Run, events: NormalizedEvent[], deadline: number): Promise<UpsertResult> {
  const { store, clock } = run.deps;
  const signal = run.deadlines.signalAt(deadline);
  const leftMs = deadline - clock.now();
  return cutOff(
    store.upsert(events, new Date(clock.now()), signal),
    signal,
    () =>
      new StoreError(
        `the store did not answer within the ${Math.max(0, leftMs)} ms left before the invocation's deadline`,
        'unavailable',
      ),
  );
}

/**
 * About the length of `JSON.stringify(value)`, without building the string: a batch of large events
 * would otherwise leave another copy of itself for the garbage collector.
 */
export function jsonSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object' || depth > 100) return 8;
  let size = 2;
  if (Array.isArray(value)) for (const item of value) size += jsonSize(item, depth + 1) + 1;
  else for (const [key, item] of Object.entries(value)) size += key.length + 4 + jsonSize(item, depth + 1);
  return size;
}

function* groupsBySize<T>(items: T[], sizes: number[], maxBytes: number): Generator<T[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < items.length; i++) {
    if (i > start && bytes + sizes[i]! > maxBytes) {
      yield items.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += sizes[i]!;
  }
  yield items.slice(start);
}

/**
 * Confirms a stored batch, 16 handles per call, each attempt cut off when its handles reach their
 * age limit or the drain its end. Never rejects: an auth error fails the run, anything else leaves
 * the handles for VOD to redeliver and is counted as `unconfirmed` or, when VOD's answer does not
 * tell, `confirmUnknown`.
 */
async function confirmBatch(run: Run, batch: StoredBatch): Promise<void> {
  const { vod, clock, limiters, log } = run.deps;
  const confirmBy = run.deadlines.confirmBy(batch.pulledAt);
  const expiresAt = batch.pulledAt + run.limits.handleMaxAgeMs;
  for (let i = 0; i < batch.handles.length; i += MAX_HANDLES_PER_CONFIRM) {
    const chunk = batch.handles.slice(i, i + MAX_HANDLES_PER_CONFIRM);
    // Set once an attempt may have reached VOD without an answer: from then on nothing is certain.
    let maybeTaken = false;
    try {
      await withRetry(
        async () => {
          await limiters.confirm.acquire(run.deadlines.signalAt(confirmBy));
          const now = clock.now();
          if (now >= expiresAt) throw new HandleTooOld({ ageMs: now - batch.pulledAt, maxAgeMs: run.limits.handleMaxAgeMs });
          try {
            await vod.confirm(chunk, run.deadlines.signalAt(confirmBy));
          } catch (error) {
            if (error instanceof VodApiError && error.unanswered) maybeTaken = true;
            throw error;
          }
        },
        { clock, isRetryable: isRetryableVodError, deadline: confirmBy, onRetry: onRetry(run, 'confirm'), ...run.limits.retry },
      );
      run.totals.confirmed += chunk.length;
    } catch (error) {
      // VOD refusing a call of several handles does not say which it took (the doc is silent).
      const unknown =
        maybeTaken || (error instanceof VodApiError && !error.unanswered && error.kind === 'fatal' && chunk.length > 1);
      if (unknown) run.totals.confirmUnknown += chunk.length;
      else run.totals.unconfirmed += chunk.length;
      if (error instanceof VodApiError && error.kind === 'auth') fail(run, error);
      // The events are stored; VOD hands out again whatever it did not take, and the store counts the repeat.
      log.log(
        'warn',
        unknown
          ? 'stored events may be unconfirmed; VOD will redeliver any it did not take'
          : 'stored events left unconfirmed; VOD will redeliver them',
        {
          handles: chunk.length,
          error: (error as Error).message,
        },
      );
    }
  }
}

function fail(run: Run, error: unknown): void {
  run.failure ??= error;
  run.stop.abort(error);
}

function onRetry(run: Run, step: string) {
  return (error: unknown, delayMs: number) => {
    run.totals.retries++;
    run.deps.log.log('warn', `${step} failed, retrying`, { error: (error as Error).message, delayMs });
  };
}

/** Progress is not failure; but a run in which no pull ever got through did nothing and must say so. */
function nothingGotThrough(run: Run): VodApiError | undefined {
  return run.pulls.succeeded === 0 ? run.pulls.lastError : undefined;
}

function failureMessage(run: Run, failure: unknown): string {
  const left = 'every unstored event was left unconfirmed for VOD to redeliver';
  const detail = (failure as Error).message;
  if (failure instanceof StoreError) return `storing pulled events failed; ${left}: ${detail}`;
  if (isRetryableVodError(failure)) {
    const seconds = ((run.deps.clock.now() - run.deadlines.startedAt) / 1000).toFixed(1);
    const attempts = run.pulls.unanswered + run.pulls.answeredErrors;
    if (run.pulls.answeredErrors === 0) {
      return (
        `VOD never answered in ${seconds} s (${attempts} pulls timed out, hung or could not connect to ${run.deps.vod.endpoint}): ` +
        `most likely the function's network has no route to the VOD endpoint (a function in a VPC needs a NAT gateway or public network access), ` +
        `or VOD_ENDPOINT is wrong; last error: ${detail}`
      );
    }
    return `the VOD API kept failing for the whole budget (${attempts} pulls, none got through); ${left}: ${detail}`;
  }
  return `the VOD API refused the drain; ${left}: ${detail}`;
}

/** The loops stop for different reasons; report the one that says work may remain. */
function pickStopReason(reasons: StopReason[]): StopReason {
  if (reasons.includes(StopReason.maxBatches)) return StopReason.maxBatches;
  if (reasons.includes(StopReason.budget)) return StopReason.budget;
  return StopReason.drained;
}
