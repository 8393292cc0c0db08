import type { Clock } from '../../../lib/clock';
import { drain, type DrainLimits } from '../../../lib/drain/drain';
import { StoreError, VodApiError, type VodErrorKind } from '../../../lib/errors';
import type { NormalizedEvent } from '../../../lib/events/types';
import type { Logger } from '../../../lib/log';
import type { EventStore } from '../../../lib/store/event-store';
import { ApiFormat } from '../../../lib/events/types';
import type { PulledEvent, VodQueueClient } from '../../../lib/vod/queue-client';
import { tokenBucket } from '../../../lib/vod/rate-limiter';
import { noAnswer } from '../../../lib/vod/transport-errors';
import { manualClock, type ManualClock } from '../../helpers/manual-clock';

/** What one PullEvents or ConfirmEvents call does, in script order; past the script, pulls find the queue empty and confirms succeed. */
export type Step =
  | { events: number; bytes?: number; latencyMs?: number }
  | { fail: VodErrorKind; code?: string; latencyMs?: number }
  /** No answer until the caller's signal gives up (a hang, or a network without a route). */
  | { hang: true }
  | { ok: true; latencyMs?: number };

export const apiError = (
  action: string,
  kind: VodErrorKind,
  code = kind === 'auth'
    ? 'AuthFailure.SignatureFailure'
    : kind === 'retryable'
      ? 'RequestLimitExceeded'
      : 'InvalidParameterValue',
) => new VodApiError({ action, code, kind, detail: `scripted ${code}` });

/** Waits on the clock until `signal` aborts, then fails the way the real clients do: no answer. */
async function hang(clock: Clock, action: string, signal: AbortSignal): Promise<never> {
  try {
    await clock.sleep(24 * 3600_000, signal);
  } catch (error) {
    throw noAnswer(action, error);
  }
  throw new Error('hang outlived a day');
}

export interface ScriptedQueue extends VodQueueClient {
  /** Handles handed out, in order. */
  handedOut: string[];
  /** Handles in ConfirmEvents calls that succeeded. */
  confirmed: string[];
  /** Every ConfirmEvents call's handles, answered or not. */
  confirmCalls: string[][];
  /** When each pull started (clock ms). */
  pullStarts: number[];
  /** Bytes handed out and not yet stored, at most, across the run (the store reports what it took). */
  peakUnstoredBytes: number;
  /** The store took this event: its bytes are no longer waiting. */
  stored(fileId: string): void;
}

/** A VOD queue that answers by script: the drain's view of PullEvents/ConfirmEvents, nothing more. */
export function scriptedQueue(clock: Clock, script: { pulls?: Step[]; confirms?: Step[] } = {}): ScriptedQueue {
  const pulls = [...(script.pulls ?? [])];
  const confirms = [...(script.confirms ?? [])];
  let next = 0;
  let unstoredBytes = 0;
  const sizes = new Map<string, number>();
  const queue: ScriptedQueue = {
    api: ApiFormat.v3,
    endpoint: 'https://vod.tencentcloudapi.com',
    handedOut: [],
    confirmed: [],
    confirmCalls: [],
    pullStarts: [],
    peakUnstoredBytes: 0,
    stored(fileId) {
      unstoredBytes -= sizes.get(fileId) ?? 0;
      sizes.delete(fileId);
    },
    async pull(signal) {
      queue.pullStarts.push(clock.now());
      const step = pulls.shift() ?? { events: 0 };
      if ('hang' in step) return hang(clock, 'PullEvents', signal);
      if (step.latencyMs)
        await clock.sleep(step.latencyMs, signal).catch((error) => {
          throw noAnswer('PullEvents', error);
        });
      if ('fail' in step) throw apiError('PullEvents', step.fail, step.code);
      if (!('events' in step)) return [];
      return Array.from({ length: step.events }, (): PulledEvent => {
        const n = ++next;
        const handle = `handle-${n}`;
        const padding = 'x'.repeat(step.bytes ?? 0);
        queue.handedOut.push(handle);
        const content = { EventType: 'NewFileUpload', EventHandle: handle, FileUploadEvent: { FileId: `file-${n}`, padding } };
        const size = JSON.stringify(content).length;
        sizes.set(`file-${n}`, size);
        unstoredBytes += size;
        queue.peakUnstoredBytes = Math.max(queue.peakUnstoredBytes, unstoredBytes);
        return { handle, content };
      });
    },
    async confirm(handles, signal) {
      queue.confirmCalls.push(handles);
      const step = confirms.shift() ?? { ok: true };
      if ('hang' in step) return hang(clock, 'ConfirmEvents', signal);
      if ('latencyMs' in step && step.latencyMs)
        await clock.sleep(step.latencyMs, signal).catch((error) => {
          throw noAnswer('ConfirmEvents', error);
        });
      if ('fail' in step) throw apiError('ConfirmEvents', step.fail, step.code);
      queue.confirmed.push(...handles);
    },
  };
  return queue;
}

export type StoreStep = { ok: true; latencyMs?: number } | { fail: 'unavailable' | 'rejected' } | { hang: true };

export interface FakeStore extends EventStore {
  /** File ids of the events stored, in order. */
  fileIds: string[];
  calls: number;
}

const fileIdOf = (event: NormalizedEvent) => (event.payload as { FileUploadEvent: { FileId: string } }).FileUploadEvent.FileId;

const notRead = () => Promise.reject(new Error('the drain only writes'));
const onlyWrites = {
  listEvents: notRead,
  stats: notRead,
  listFiles: notRead,
  file: notRead,
  stateRows: notRead,
  rebuildState: notRead,
};

/**
 * A fake of our `EventStore` interface (the e2e tests run the real one on PostgreSQL): stores by
 * script, and a hang ignores the abort signal, as a frozen PostgreSQL does.
 */
export function fakeStore(clock: Clock, queue: ScriptedQueue, script: StoreStep[] = []): FakeStore {
  const steps = [...script];
  const seen = new Set<string>();
  const store: FakeStore = {
    fileIds: [],
    calls: 0,
    close: async () => {},
    deliver: () => Promise.reject(new Error('the drain stores through upsert; deliver is the callback path')),
    ...onlyWrites,
    async upsert(events, _receivedAt, signal) {
      store.calls++;
      const step = steps.shift() ?? { ok: true };
      if ('hang' in step) return new Promise(() => {});
      if ('fail' in step) throw new StoreError(`scripted ${step.fail}`, step.fail);
      if (step.latencyMs) await clock.sleep(step.latencyMs, signal);
      let inserted = 0;
      for (const event of events) {
        store.fileIds.push(fileIdOf(event));
        if (!seen.has(event.id)) inserted++;
        seen.add(event.id);
        queue.stored(fileIdOf(event));
      }
      return { inserted, duplicates: events.length - inserted };
    },
  };
  return store;
}

export interface Harness {
  clock: ManualClock;
  queue: ScriptedQueue;
  store: FakeStore;
  warnings: string[];
  run(limits?: Partial<DrainLimits>): ReturnType<typeof drain>;
}

/** The drain over a scripted queue, a fake store and the manual clock; retries without jitter. */
export function drainHarness(script: { pulls?: Step[]; confirms?: Step[]; store?: StoreStep[] } = {}): Harness {
  const clock = manualClock(0, { autoAdvance: false });
  const queue = scriptedQueue(clock, script);
  const store = fakeStore(clock, queue, script.store);
  const warnings: string[] = [];
  const log: Logger = { log: (level, message) => void (level === 'warn' && warnings.push(message)) };
  return {
    clock,
    queue,
    store,
    warnings,
    run: (limits = {}) =>
      settle(
        clock,
        drain(
          { vod: queue, store, clock, log, limiters: { pull: tokenBucket(1000, clock), confirm: tokenBucket(1000, clock) } },
          { concurrency: 1, maxBatches: 1000, budgetMs: 10_000, retry: { random: () => 1 }, ...limits },
        ),
      ),
  };
}

/**
 * Lets `work` finish in virtual time: whenever every task is waiting (nothing left in the
 * microtask and immediate queues), time jumps to the next timer. A fake that never answers (a
 * frozen store) ends only through the drain's own deadlines.
 */
export async function settle<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let done = false;
  work.then(
    () => (done = true),
    () => (done = true),
  );
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done) return work;
    if (!clock.runNext()) throw new Error('settle: every task waits and no timer is pending');
  }
}
