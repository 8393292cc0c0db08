import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { FileState } from '../state';
import type { HandlerInput } from './handler';
import type { HandlerRegistry, RegisteredHandler } from './registry';
import { nextAttemptAt, type RetrySchedule } from './retry-schedule';
import type { RunStore } from './run-store';
import type { RunsBell } from './runs-bell';
import type { ClaimedRun } from './runs-store';

/** A lease outlasts its attempt's timeout by this much: the time to record the outcome. */
export const LEASE_MARGIN_MS = 3_000;
/** VOD's `SessionId` takes at most 50 characters (SDK `ProcessMediaRequest.SessionId`). */
const VOD_SESSION_ID_CHARS = 50;
/** How much of a handler's error is kept on its run. */
const ERROR_CHARS = 2_000;

export interface DispatchDeps {
  runs: RunStore;
  registry: HandlerRegistry;
  clock: Clock;
  log: Logger;
  retry: RetrySchedule;
}

export interface DispatchLimits {
  /** No run starts after this; a run only starts when its handler's timeout fits in what is left (see `cutToBudget`). */
  budgetMs: number;
  /** Runs executing at once. */
  concurrency: number;
  /** Only the runs of these events (the callback's new event). */
  eventIds?: readonly string[];
  /**
   * Start any handler, cutting its attempt at the budget's end; a cut attempt is handed back
   * uncounted and due at once, for the timer to finish. For the callback, whose budget is short.
   */
  cutToBudget?: boolean;
  /**
   * Workers that find no due run wait for this bell and look again, instead of returning: follow
   * mode, where new runs keep being stored while the pull window is open. They return at `stop`.
   */
  newRuns?: RunsBell;
  /** No run is claimed once this aborts; runs already started finish. */
  stop?: AbortSignal;
}

export interface DispatchResult {
  runsSucceeded: number;
  runsFailed: number;
  runsDead: number;
  /** Attempts cut at the end of the callback's budget, handed back for the timer. */
  runsReleased: number;
  /** Why dispatching stopped early (the store failed); runs are then left for the next dispatcher. */
  error?: string;
}

export const emptyDispatchResult = (): DispatchResult => ({ runsSucceeded: 0, runsFailed: 0, runsDead: 0, runsReleased: 0 });

class AttemptTimeout extends Error {
  override name = 'AttemptTimeout';
}

/** `<event id>:<handler name>`, and its 50-character digest for VOD's `SessionId`. */
export function idempotencyKeys(eventId: string, handler: string): { idempotencyKey: string; vodSessionId: string } {
  const idempotencyKey = `${eventId}:${handler}`;
  return {
    idempotencyKey,
    vodSessionId: createHash('sha256').update(idempotencyKey).digest('hex').slice(0, VOD_SESSION_ID_CHARS),
  };
}

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${String(error)}`).slice(0, ERROR_CHARS);

/**
 * Runs due handler runs until none is due (with `newRuns`: until `stop`) or the budget is spent,
 * `concurrency` at a time; each worker claims one run, executes it under its timeout and records
 * the outcome, so a slow or failing handler holds up one worker, never the others. Never rejects: a store failure stops
 * the dispatch with `error` set, and the runs stay for the next dispatcher.
 */
export async function dispatchRuns(deps: DispatchDeps, limits: DispatchLimits): Promise<DispatchResult> {
  const { runs, registry, clock, log } = deps;
  const endsAt = clock.now() + limits.budgetMs;
  const result = emptyDispatchResult();
  if (registry.handlers.length === 0) return result;

  async function execute(run: ClaimedRun, handler: RegisteredHandler): Promise<void> {
    const maxAttempts = handler.maxAttempts ?? deps.retry.maxAttempts;
    if (run.attempt > maxAttempts) {
      // Only a run whose attempts all ended with the process (its lease ran out) gets here.
      await runs.recordFailure(
        run,
        new Date(clock.now()),
        `no attempt ended within its lease (${maxAttempts} attempts)`,
        undefined,
      );
      result.runsDead += 1;
      return;
    }
    const budgetLeft = endsAt - clock.now();
    const timeoutMs = limits.cutToBudget ? Math.max(1, Math.min(handler.timeoutMs, budgetLeft)) : handler.timeoutMs;
    const cutByBudget = timeoutMs < handler.timeoutMs;
    const controller = new AbortController();
    const fields = { handler: run.handler, eventId: run.eventId, attempt: run.attempt };
    let file: Promise<FileState | null> | undefined;
    const input: HandlerInput<unknown> = {
      event: run.event,
      payload: run.payload,
      file: () => (file ??= run.event.fileId === null ? Promise.resolve(null) : runs.fileState(run.event.fileId)),
      context: {
        ...idempotencyKeys(run.eventId, run.handler),
        attempt: run.attempt,
        signal: controller.signal,
        log: { log: (level, message, extra) => log.log(level, message, { ...fields, ...extra }) },
      },
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttemptTimeout(`the attempt did not end within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(() => handler.run(input)), timeout]);
      await runs.recordSuccess(run, new Date(clock.now()));
      result.runsSucceeded += 1;
    } catch (error) {
      controller.abort(error);
      const now = clock.now();
      if (error instanceof AttemptTimeout && cutByBudget) {
        await runs.release(run, new Date(now));
        result.runsReleased += 1;
        return;
      }
      const retryAt = nextAttemptAt({ ...deps.retry, maxAttempts }, run.attempt, now);
      await runs.recordFailure(run, new Date(now), describe(error), retryAt);
      if (retryAt) result.runsFailed += 1;
      else result.runsDead += 1;
      log.log(retryAt ? 'warn' : 'error', retryAt ? 'handler run failed' : 'handler run dead', {
        ...fields,
        error: describe(error),
        retryAt: retryAt?.toISOString(),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function worker(): Promise<void> {
    for (;;) {
      const left = endsAt - clock.now();
      const eligible = registry.handlers.filter((handler) => (limits.cutToBudget ? left > 0 : handler.timeoutMs <= left));
      if (eligible.length === 0 || result.error !== undefined || limits.stop?.aborted) return;
      // Taken before the claim: runs stored while it is on its way ring the bell, and are not missed.
      const ticket = limits.newRuns?.ticket() ?? 0;
      const run = await runs.claim({
        now: new Date(clock.now()),
        handlers: eligible.map((handler) => ({ name: handler.name, leaseMs: handler.timeoutMs + LEASE_MARGIN_MS })),
        eventIds: limits.eventIds,
        leaseToken: randomUUID(),
      });
      if (run) await execute(run, registry.byName(run.handler)!);
      else if (limits.newRuns === undefined) return;
      else await limits.newRuns.wait(ticket, AbortSignal.any([clock.timeout(left), ...(limits.stop ? [limits.stop] : [])]));
    }
  }

  const workers = Array.from({ length: Math.max(1, limits.concurrency) }, () =>
    worker().catch((error: unknown) => {
      result.error ??= describe(error);
    }),
  );
  await Promise.all(workers);
  if (result.error !== undefined) log.log('error', 'dispatching handler runs stopped', { error: result.error });
  return result;
}
