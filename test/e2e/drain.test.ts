import { afterEach, describe, expect, it } from 'vitest';
import { DrainError } from '../../lib/errors';
import { dedupeKey } from '../../lib/events/dedupe-key';
import seeds from '../../samples/seed-events.json';
import { startDrainHarness, type DrainHarness } from '../helpers/drain-harness';
import { v3EventBatch } from '../helpers/v3-event-factory';

let harness: DrainHarness;
afterEach(async () => {
  await harness?.close();
});

describe('pull-events against the emulator and PostgreSQL', () => {
  it('drains 1,000 events exactly once and leaves the queue empty', async () => {
    harness = await startDrainHarness();
    const events = v3EventBatch(1000, 1);
    harness.emulator.enqueue(events);
    const result = await harness.invoke();
    expect(result).toMatchObject({
      pulled: 1000,
      inserted: 1000,
      duplicates: 0,
      confirmed: 1000,
      unconfirmed: 0,
      stopReason: 'drained',
      api: 'v3',
    });
    expect(result.batches).toBeGreaterThanOrEqual(1000 / 16);
    const rows = await harness.rows();
    expect(rows.map((row) => row.id).sort()).toEqual(events.map((event) => dedupeKey(event)).sort());
    expect(rows.every((row) => row.delivery_count === 1)).toBe(true);
    expect(harness.emulator.stats()).toMatchObject({ pending: 0, inflight: 0, confirmed: 1000 });
  });

  it('answers an empty queue with "drained" after one long poll, whatever the concurrency', async () => {
    harness = await startDrainHarness();
    // Until the first batch's size is known only one pull runs; its empty answer ends every loop.
    const result = await harness.invoke({ DRAIN_CONCURRENCY: '2' });
    expect(result).toMatchObject({ pulled: 0, inserted: 0, confirmed: 0, batches: 1, stopReason: 'drained' });
    expect(harness.emulator.stats().calls.PullEvents).toBe(1);
  });

  it.each(['empty-list', 'null'] as const)('also reads an empty EventSet answered as %s', async (emptyAnswer) => {
    harness = await startDrainHarness({ emptyAnswer });
    harness.emulator.enqueue(seeds.pullEvents001);
    const result = await harness.invoke({ DRAIN_CONCURRENCY: '1' });
    expect(result).toMatchObject({ pulled: 4, inserted: 4, confirmed: 4, stopReason: 'drained' });
  });

  it('stops after DRAIN_MAX_BATCHES pulls and leaves the rest queued', async () => {
    harness = await startDrainHarness();
    harness.emulator.enqueue(v3EventBatch(200, 2));
    const result = await harness.invoke({ DRAIN_MAX_BATCHES: '3', DRAIN_CONCURRENCY: '1' });
    expect(result).toMatchObject({ batches: 3, pulled: 48, inserted: 48, confirmed: 48, stopReason: 'max-batches' });
    expect(harness.emulator.stats()).toMatchObject({ pending: 152, inflight: 0 });
  });

  it('stops when the budget is spent', async () => {
    harness = await startDrainHarness({ faults: { PullEvents: { latencyMs: 150 } } });
    harness.emulator.enqueue(v3EventBatch(500, 3));
    const result = await harness.invoke({ DRAIN_BUDGET_MS: '500', DRAIN_CONCURRENCY: '1' });
    expect(result.stopReason).toBe('budget');
    expect(result.pulled).toBeGreaterThan(0);
    expect(result.pulled).toBeLessThan(500);
    expect(result.confirmed).toBe(result.pulled);
    // the next invocation picks up where this one stopped
    harness.emulator.setFaults({});
    const next = await harness.invoke();
    expect(next).toMatchObject({ inserted: 500 - result.inserted, stopReason: 'drained' });
  });

  it.each([
    ['v2', 'pullEvent002'],
    ['v2-legacy', 'pullVodEvent000'],
  ] as const)('drains the %s queue with signed 2017-API calls', async (api, seed) => {
    harness = await startDrainHarness();
    harness.emulator.enqueue(
      seeds[seed].map((item) => item.eventContent),
      { format: api },
    );
    const result = await harness.invoke({ VOD_API: api });
    expect(result).toMatchObject({ api, pulled: 2, inserted: 2, confirmed: 2, stopReason: 'drained' });
    expect((await harness.rows()).map((row) => row.event_type).sort()).toEqual(
      api === 'v2' ? ['ConcatComplete', 'NewFileUpload'] : ['concatfile', 'concatfile'],
    );
  });

  it('keeps SubAppId queues apart', async () => {
    harness = await startDrainHarness();
    harness.emulator.enqueue(v3EventBatch(5, 4), { subAppId: 1500000001 });
    harness.emulator.enqueue(v3EventBatch(7, 5));
    const result = await harness.invoke({ VOD_SUBAPP_ID: '1500000001' });
    expect(result).toMatchObject({ pulled: 5, inserted: 5 });
    expect(harness.emulator.stats().pending).toBe(7);
  });
});

describe('pull-events under faults', () => {
  it('retries pull errors and rate limiting, storing every event once', async () => {
    harness = await startDrainHarness({
      seed: 3,
      faults: {
        PullEvents: { errorRate: 0.3, errorCode: 'InternalError' },
        ConfirmEvents: { errorRate: 0.2, errorCode: 'RequestLimitExceeded' },
      },
    });
    harness.emulator.enqueue(v3EventBatch(300, 6));
    const result = await harness.invoke();
    expect(result.retries).toBeGreaterThan(0);
    expect(result.stopReason).toBe('drained');
    expect(result.inserted).toBe(300);
    expect(harness.emulator.stats()).toMatchObject({ pending: 0, inflight: 0, confirmed: 300 });
  });

  it('survives pulls that hang past the client timeout', async () => {
    harness = await startDrainHarness({ seed: 5, hangMs: 60_000, faults: { PullEvents: { hangRate: 0.1 } } });
    harness.emulator.enqueue(v3EventBatch(64, 7));
    // A hung pull is cut off by the drain's hard deadline (budget + grace) at the latest.
    const result = await harness.invoke({ DRAIN_BUDGET_MS: '2000', DRAIN_CONCURRENCY: '4' });
    expect(result.inserted + result.duplicates).toBe(result.pulled);
    expect(result.confirmed).toBe(result.pulled);
    const rows = await harness.rows();
    expect(rows.length).toBe(result.inserted);
  }, 60_000);

  it('lets lost confirms come back: delivery_count rises, rows stay unique', async () => {
    harness = await startDrainHarness({ seed: 9, handleTtlMs: 300, faults: { ConfirmEvents: { lostConfirmRate: 0.5 } } });
    const events = v3EventBatch(64, 8);
    harness.emulator.enqueue(events);
    const first = await harness.invoke();
    expect(first.inserted).toBe(64);
    expect(harness.emulator.stats().faults.lostConfirm).toBeGreaterThan(0);
    harness.emulator.setFaults({});
    await new Promise((resolve) => setTimeout(resolve, 400)); // let the lost handles expire
    const second = await harness.invoke();
    expect(second.inserted).toBe(0);
    // Lost handles expire while the first drain still runs too, so either invocation may absorb them.
    const duplicates = first.duplicates + second.duplicates;
    expect(duplicates).toBeGreaterThan(0);
    const rows = await harness.rows();
    expect(rows).toHaveLength(64);
    expect(rows.reduce((sum, row) => sum + row.delivery_count, 0)).toBe(64 + duplicates);
    expect(harness.emulator.stats()).toMatchObject({ pending: 0, inflight: 0 });
  });

  it('fails fast with a readable message on a wrong key', async () => {
    harness = await startDrainHarness();
    harness.emulator.enqueue(v3EventBatch(3, 9));
    const failure = await harness.invoke({ TENCENTCLOUD_SECRETKEY: 'wrong' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DrainError);
    expect((failure as DrainError).message).toMatch(
      /PullEvents failed with AuthFailure\.SignatureFailure.*TENCENTCLOUD_SECRETID\/TENCENTCLOUD_SECRETKEY/,
    );
    expect((failure as DrainError).result).toMatchObject({ pulled: 0, confirmed: 0 });
    expect(harness.emulator.stats()).toMatchObject({ pending: 3 });
  });

  it('runs three invocations at once over one queue: every event stored exactly once', async () => {
    harness = await startDrainHarness();
    const events = v3EventBatch(600, 10);
    harness.emulator.enqueue(events);
    const results = await Promise.all([harness.invoke(), harness.invoke(), harness.invoke()]);
    expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(600);
    const rows = await harness.rows();
    expect(rows).toHaveLength(600);
    expect(rows.every((row) => row.delivery_count === 1)).toBe(true);
    expect(harness.emulator.stats()).toMatchObject({ pending: 0, inflight: 0, confirmed: 600 });
  });
});
