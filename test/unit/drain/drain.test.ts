import { describe, expect, it } from 'vitest';
import { PULL_GRACE_MS, WRITE_GRACE_MS } from '../../../lib/drain/deadlines';
import { DrainError, StoreError } from '../../../lib/errors';
import { drainHarness, type Step, type StoreStep } from './fakes';

const BUDGET_MS = 10_000;
const END_MS = BUDGET_MS + PULL_GRACE_MS + WRITE_GRACE_MS;
const times = <T extends Step | StoreStep>(n: number, step: T): T[] => Array.from({ length: n }, () => step);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the drain resolved'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(DrainError);
      return error as DrainError;
    },
  );

describe('drain: what is confirmed', () => {
  it('confirms exactly the handles it stored, and none after a store failure', async () => {
    const h = drainHarness({
      pulls: [{ events: 16 }, { events: 16 }],
      store: [{ ok: true }, ...times(3, { fail: 'unavailable' } as const)],
    });
    const failure = await failureOf(h.run());
    expect(failure.cause).toBeInstanceOf(StoreError);
    expect(failure.message).toMatch(/^storing pulled events failed; every unstored event was left unconfirmed/);
    expect(failure.result).toMatchObject({ pulled: 32, inserted: 16, confirmed: 16, unconfirmed: 16, stopReason: 'failed' });
    expect(h.queue.confirmed).toEqual(h.queue.handedOut.slice(0, 16));
  });

  it('never confirms a handle older than the age limit: VOD redelivers it', async () => {
    const h = drainHarness({ pulls: [{ events: 16 }], store: [{ ok: true, latencyMs: 26_000 }] });
    const result = await h.run({ budgetMs: 60_000 });
    expect(result).toMatchObject({ pulled: 16, inserted: 16, confirmed: 0, unconfirmed: 16, confirmUnknown: 0 });
    expect(h.queue.confirmCalls).toEqual([]);
  });

  it('counts a confirm VOD refused for a mixed call as unknown, and a refused single handle as unconfirmed', async () => {
    const h = drainHarness({ pulls: [{ events: 17 }], confirms: [{ fail: 'fatal' }, { fail: 'fatal' }] });
    const result = await h.run();
    // The ConfirmEvents doc does not say whether the valid handles of a refused call were taken.
    expect(result).toMatchObject({ confirmed: 0, confirmUnknown: 16, unconfirmed: 1, stopReason: 'drained' });
    expect(h.warnings).toContain('stored events may be unconfirmed; VOD will redeliver any it did not take');
  });
});

describe('drain: failures', () => {
  it('stops every loop on an auth failure, cutting off their pulls', async () => {
    const h = drainHarness({
      pulls: [
        { events: 1, latencyMs: 100 },
        { fail: 'auth', latencyMs: 100 },
        { events: 16, latencyMs: 5_000 },
        { events: 16, latencyMs: 5_000 },
        ...times(20, { events: 16, latencyMs: 1_000 }),
      ],
    });
    const failure = await failureOf(h.run({ concurrency: 4 }));
    expect(failure.message).toMatch(/^the VOD API refused the drain; .*AuthFailure\.SignatureFailure/);
    expect(failure.result).toMatchObject({ pulled: 1, confirmed: 1, stopReason: 'failed' });
    expect(failure.result.elapsedMs).toBeLessThan(5_000);
    expect(h.queue.pullStarts.length).toBeLessThanOrEqual(5);
  });

  it('stops every loop on an auth failure of a confirm', async () => {
    const h = drainHarness({ pulls: times(20, { events: 16, latencyMs: 100 }), confirms: [{ fail: 'auth' }] });
    const failure = await failureOf(h.run({ concurrency: 2 }));
    expect(failure.result.stopReason).toBe('failed');
    expect(h.queue.pullStarts.length).toBeLessThan(20);
    // The other loop's confirm may have been in flight already; none starts after the failure.
    expect(h.queue.confirmCalls.length).toBeLessThanOrEqual(2);
  });

  it("rejects at the drain's end, not later, when the store never answers (a frozen PostgreSQL)", async () => {
    const h = drainHarness({ pulls: [{ events: 16 }], store: [{ hang: true }] });
    const failure = await failureOf(h.run({ budgetMs: BUDGET_MS }));
    expect(failure.message).toMatch(/the store did not answer within the \d+ ms left before the invocation's deadline/);
    expect(failure.result).toMatchObject({ pulled: 16, inserted: 0, confirmed: 0, unconfirmed: 16, stopReason: 'failed' });
    expect(failure.result.elapsedMs).toBeLessThanOrEqual(END_MS);
    expect(h.queue.confirmCalls).toEqual([]);
  });

  it('cuts every confirm attempt at its deadline when VOD hangs, and says the outcome is unknown', async () => {
    const h = drainHarness({ pulls: [{ events: 16 }], confirms: times(50, { hang: true } as const) });
    const result = await h.run({ budgetMs: BUDGET_MS });
    expect(result).toMatchObject({ pulled: 16, inserted: 16, confirmed: 0, confirmUnknown: 16, unconfirmed: 0 });
    expect(result.elapsedMs).toBeLessThanOrEqual(END_MS);
  });

  it('rejects naming the network when VOD never answered a pull for the whole budget', async () => {
    const h = drainHarness({ pulls: times(100, { hang: true } as const) });
    const failure = await failureOf(h.run({ budgetMs: BUDGET_MS, concurrency: 4 }));
    expect(failure.message).toMatch(
      /^VOD never answered in [\d.]+ s \(\d+ pulls timed out, hung or could not connect to https:\/\/vod\.tencentcloudapi\.com\): most likely the function's network has no route to the VOD endpoint/,
    );
    expect(failure.result).toMatchObject({ pulled: 0, stopReason: 'failed' });
    expect(failure.result.elapsedMs).toBeLessThanOrEqual(END_MS);
  });

  it('rejects when VOD kept answering errors for the whole budget and nothing got through', async () => {
    const h = drainHarness({ pulls: times(1000, { fail: 'retryable', code: 'InternalError' } as const) });
    const failure = await failureOf(h.run({ budgetMs: BUDGET_MS }));
    expect(failure.message).toMatch(
      /^the VOD API kept failing for the whole budget \(\d+ pulls, none got through\).*InternalError/,
    );
    expect(failure.result.stopReason).toBe('failed');
  });

  it('succeeds with its counts when some calls were rate-limited but events moved', async () => {
    const h = drainHarness({
      pulls: [{ events: 16 }, ...times(1000, { fail: 'retryable', code: 'RequestLimitExceeded' } as const)],
    });
    const result = await h.run({ budgetMs: BUDGET_MS });
    expect(result).toMatchObject({ pulled: 16, inserted: 16, confirmed: 16, stopReason: 'budget' });
    expect(result.retries).toBeGreaterThan(0);
  });
});

describe('drain: time and memory bounds', () => {
  it('starts no pull after the budget', async () => {
    const h = drainHarness({ pulls: times(100, { events: 1, latencyMs: 1_000 }) });
    const result = await h.run({ budgetMs: 5_000 });
    expect(result.stopReason).toBe('budget');
    expect(result.batches).toBe(5);
    expect(Math.max(...h.queue.pullStarts)).toBeLessThan(5_000);
  });

  it('keeps at most maxInflightBytes of pulled events waiting for the store', async () => {
    const maxInflightBytes = 1_500_000;
    const h = drainHarness({
      pulls: times(8, { events: 16, bytes: 64 * 1024 }),
      store: times(8, { ok: true, latencyMs: 200 } as const),
    });
    const result = await h.run({ concurrency: 4, maxInflightBytes });
    expect(result).toMatchObject({ pulled: 128, inserted: 128, confirmed: 128, stopReason: 'drained' });
    // One batch is ~1.05 MB: two would not fit, so the four loops took turns.
    expect(h.queue.peakUnstoredBytes).toBeGreaterThan(1_000_000);
    expect(h.queue.peakUnstoredBytes).toBeLessThanOrEqual(maxInflightBytes);
  });

  it('stores and confirms an event larger than the bound, in its own statement', async () => {
    const h = drainHarness({ pulls: [{ events: 2, bytes: 300_000 }] });
    const result = await h.run({ maxInflightBytes: 65_536 });
    expect(result).toMatchObject({ pulled: 2, inserted: 2, confirmed: 2 });
    expect(h.store.calls).toBe(2);
  });
});

describe('drain: stopReason', () => {
  it.each([
    ['drained', { pulls: [{ events: 3 }] }, {}],
    ['budget', { pulls: times(100, { events: 1, latencyMs: 1_000 }) }, { budgetMs: 3_000 }],
    ['max-batches', { pulls: times(10, { events: 16 }) }, { maxBatches: 2 }],
  ] as const)('%s', async (reason, script, limits) => {
    const result = await drainHarness(script as never).run(limits);
    expect(result.stopReason).toBe(reason);
  });

  it('failed, on every DrainError', async () => {
    const failure = await failureOf(drainHarness({ pulls: [{ fail: 'fatal', code: 'InvalidParameterValue.SubAppId' }] }).run());
    expect(failure.result.stopReason).toBe('failed');
  });
});
