import { randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock';
import type { ApiFormat } from '../../lib/events/types';

/** One queue per payload generation and SubAppId; `undefined` is the account's default app. */
export interface QueueKey {
  format: ApiFormat;
  subAppId: number | undefined;
}

export interface Delivery {
  handle: string;
  content: Record<string, unknown>;
}

export interface QueueCounts {
  pending: number;
  inflight: number;
  confirmed: number;
  /** Every hand-out of an event, redeliveries included. */
  delivered: number;
}

export interface ConfirmOutcome {
  confirmed: string[];
  /** Handles that are expired, unknown or from another queue; their events stay (or become) pending. */
  rejected: string[];
}

interface Entry {
  content: Record<string, unknown>;
}

interface Inflight {
  entry: Entry;
  expiresAt: number;
}

class SingleQueue {
  pending: Entry[] = [];
  readonly inflight = new Map<string, Inflight>();
  /** Kept so a confirm retried after a lost response succeeds again instead of failing. */
  readonly confirmedHandles = new Set<string>();
  delivered = 0;
  readonly waiters = new Set<() => void>();

  wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}

const keyOf = ({ format, subAppId }: QueueKey) => `${format}/${subAppId ?? 'default'}`;

/**
 * VOD's per-app event queues: pending events are handed out with a fresh handle each time; a handle
 * not confirmed within `handleTtlMs` (by the injected clock) expires and its event is pending again.
 * Expiry is applied lazily at every operation, so a manual clock drives it without timers.
 */
export class EventQueues {
  private queues = new Map<string, SingleQueue>();

  constructor(
    private readonly clock: Clock,
    private readonly handleTtlMs: number,
    private readonly newHandle: () => string = () => randomBytes(24).toString('base64url'),
  ) {}

  enqueue(key: QueueKey, contents: readonly Record<string, unknown>[]): void {
    const queue = this.queue(key);
    for (const content of contents) queue.pending.push({ content });
    if (contents.length > 0) queue.wake();
  }

  pull(key: QueueKey, max: number): Delivery[] {
    const queue = this.expire(key);
    const expiresAt = this.clock.now() + this.handleTtlMs;
    return queue.pending.splice(0, max).map((entry) => {
      const handle = this.newHandle();
      queue.inflight.set(handle, { entry, expiresAt });
      queue.delivered++;
      return { handle, content: entry.content };
    });
  }

  confirm(key: QueueKey, handles: readonly string[]): ConfirmOutcome {
    const queue = this.expire(key);
    const outcome: ConfirmOutcome = { confirmed: [], rejected: [] };
    for (const handle of handles) {
      if (queue.inflight.delete(handle)) queue.confirmedHandles.add(handle);
      if (queue.confirmedHandles.has(handle)) outcome.confirmed.push(handle);
      else outcome.rejected.push(handle);
    }
    return outcome;
  }

  pendingCount(key: QueueKey): number {
    return this.expire(key).pending.length;
  }

  /** Milliseconds (by the clock) until the next inflight handle of this queue expires, if any. */
  msUntilNextExpiry(key: QueueKey): number | undefined {
    const queue = this.queue(key);
    let next: number | undefined;
    for (const { expiresAt } of queue.inflight.values()) next = next === undefined ? expiresAt : Math.min(next, expiresAt);
    return next === undefined ? undefined : Math.max(0, next - this.clock.now());
  }

  /** Resolves when events are added to the queue, after `ms`, or when `signal` aborts. */
  waitForEvents(key: QueueKey, ms: number, signal: AbortSignal): Promise<void> {
    const queue = this.queue(key);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        queue.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      queue.waiters.add(done);
    });
  }

  counts(): QueueCounts {
    const totals: QueueCounts = { pending: 0, inflight: 0, confirmed: 0, delivered: 0 };
    for (const key of this.queues.keys()) {
      const queue = this.expireByName(key);
      totals.pending += queue.pending.length;
      totals.inflight += queue.inflight.size;
      totals.confirmed += queue.confirmedHandles.size;
      totals.delivered += queue.delivered;
    }
    return totals;
  }

  reset(): void {
    for (const queue of this.queues.values()) queue.wake();
    this.queues = new Map();
  }

  private queue(key: QueueKey): SingleQueue {
    const name = keyOf(key);
    let queue = this.queues.get(name);
    if (!queue) this.queues.set(name, (queue = new SingleQueue()));
    return queue;
  }

  private expire(key: QueueKey): SingleQueue {
    this.queue(key);
    return this.expireByName(keyOf(key));
  }

  private expireByName(name: string): SingleQueue {
    const queue = this.queues.get(name)!;
    const now = this.clock.now();
    const expired: Entry[] = [];
    for (const [handle, { entry, expiresAt }] of queue.inflight) {
      if (expiresAt > now) continue;
      queue.inflight.delete(handle);
      expired.push(entry);
    }
    if (expired.length > 0) {
      // Redelivered events go first: they are the oldest.
      queue.pending.unshift(...expired);
      queue.wake();
    }
    return queue;
  }
}
