import { describe, expect, it } from 'vitest';
import { MIN_EMPTY_PULL_INTERVAL_MS } from '../../../lib/drain/drain';
import { PULL_GRACE_MS, WRITE_GRACE_MS } from '../../../lib/drain/deadlines';
import { drainHarness, type Step, type StoreStep } from './fakes';

const LONG_POLL_MS = 5_000;
const times = <T extends Step | StoreStep>(n: number, step: T): T[] => Array.from({ length: n }, () => step);
const emptyLongPoll: Step = { events: 0, latencyMs: LONG_POLL_MS };

describe('follow mode', () => {
  it('ends inside its budget, confirms finished, although events keep arriving', async () => {
    const budgetMs = 10_000;
    const h = drainHarness({
      pulls: times(10_000, { events: 3, latencyMs: 50 }),
      store: times(10_000, { ok: true, latencyMs: 20 } as const),
    });
    const result = await h.run({ mode: 'follow', concurrency: 4, budgetMs });
    expect(result.stopReason).toBe('budget');
    expect(Math.max(...h.queue.pullStarts)).toBeLessThan(budgetMs);
    expect(result.elapsedMs).toBeLessThanOrEqual(budgetMs + PULL_GRACE_MS + WRITE_GRACE_MS);
    expect(result.pulled).toBeGreaterThan(100);
    // Every stored batch's confirm finished before the drain returned.
    expect(result).toMatchObject({ inserted: result.pulled, confirmed: result.pulled, unconfirmed: 0, confirmUnknown: 0 });
    expect(h.queue.confirmed).toEqual(h.queue.handedOut);
  });

  it('keeps long-polling past an empty queue and stores what arrives later; drain mode stops at the first empty poll', async () => {
    const script = {
      pulls: [{ events: 2 }, ...times(5, emptyLongPoll), { events: 1, latencyMs: 3_000 }, ...times(100, emptyLongPoll)],
    };
    const drained = await drainHarness(script).run({ budgetMs: 60_000 });
    expect(drained).toMatchObject({ pulled: 2, stopReason: 'drained' });
    const followed = await drainHarness(script).run({ mode: 'follow', budgetMs: 60_000 });
    expect(followed).toMatchObject({ pulled: 3, confirmed: 3, stopReason: 'budget' });
  });

  it('holds one long poll at a time on an idle queue; without resting, every loop polls', async () => {
    // The first batch tells the byte gate how large batches are, so it admits every loop from then on.
    const script = () => ({ pulls: [{ events: 1 }, ...times(200, emptyLongPoll)] });
    const resting = drainHarness(script());
    await resting.run({ mode: 'follow', concurrency: 4, budgetMs: 60_000 });
    const everyLoop = drainHarness(script());
    await everyLoop.run({ mode: 'follow', concurrency: 4, idleLoops: 4, budgetMs: 60_000 });
    // One poll per 5 s for a minute, plus the three loops' first empty polls before they rest.
    expect(resting.queue.pullStarts.length).toBeLessThanOrEqual(60_000 / LONG_POLL_MS + 4);
    expect(everyLoop.queue.pullStarts.length).toBeGreaterThanOrEqual((4 * 60_000) / LONG_POLL_MS);
  });

  it('wakes the resting loops when a pull comes back full', async () => {
    const h = drainHarness({
      pulls: [{ events: 1 }, ...times(6, emptyLongPoll), { events: 16, latencyMs: 1_000 }, ...times(200, emptyLongPoll)],
    });
    await h.run({ mode: 'follow', concurrency: 4, budgetMs: 60_000 });
    const fullAt = h.queue.pullStarts[7]! + 1_000;
    // The loop that got the batch pulls again after storing it; the three resting ones pull at once.
    expect(h.queue.pullStarts.filter((at) => at === fullAt).length).toBe(4);
  });

  it("ends when its polling loop ends (here: DRAIN_MAX_BATCHES), not when the resting loops' window would", async () => {
    const h = drainHarness({ pulls: [{ events: 1 }, ...times(200, emptyLongPoll)] });
    const result = await h.run({ mode: 'follow', concurrency: 4, maxBatches: 8, budgetMs: 60_000 });
    expect(result.stopReason).toBe('max-batches');
    expect(result.elapsedMs).toBeLessThanOrEqual(h.queue.pullStarts.at(-1)! + LONG_POLL_MS);
    expect(result.elapsedMs).toBeLessThan(60_000);
  });

  it('pulls at most once a second from an endpoint that answers "empty" without holding the poll', async () => {
    const h = drainHarness({ pulls: [] });
    await h.run({ mode: 'follow', budgetMs: 10_000 });
    expect(h.queue.pullStarts.length).toBeLessThanOrEqual(10_000 / MIN_EMPTY_PULL_INTERVAL_MS + 1);
  });
});
