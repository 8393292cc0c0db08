import type { Delivery, EventQueues, QueueKey } from './queue';

/**
 * Pulls up to `max` events, holding the request up to `waitMs` (real time) while the queue is
 * empty, and returning as soon as an event arrives or an inflight handle expires. When `signal`
 * aborts (the client went away) it stops waiting and takes nothing, so no event is handed to a
 * caller that can no longer receive it.
 */
export async function pullWithLongPoll(
  queues: EventQueues,
  key: QueueKey,
  max: number,
  waitMs: number,
  signal: AbortSignal,
): Promise<Delivery[]> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    if (signal.aborted) return [];
    const deliveries = queues.pull(key, max);
    const left = deadline - performance.now();
    if (deliveries.length > 0 || left <= 0) return deliveries;
    // Expiry follows the injected clock, which may be a manual one: while handles are out, look again at least every 100 ms.
    const untilExpiry = queues.msUntilNextExpiry(key);
    const wait = untilExpiry === undefined ? left : Math.min(left, untilExpiry, 100);
    await queues.waitForEvents(key, Math.max(1, wait), signal);
  }
}
