import { afterEach, describe, expect, it } from 'vitest';
import { createPullEventsHandler } from '../../lib/app/pull-events';
import { systemClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import { DrainError, VodApiError } from '../../lib/errors';
import { silentLogger } from '../../lib/log';
import { createRuntime } from '../../lib/runtime';
import { createVodQueueClient } from '../../lib/vod/create-client';
import { freePort } from '../helpers/ports';
import { startDrainHarness, type DrainHarness } from '../helpers/drain-harness';
import { v3EventBatch } from '../helpers/v3-event-factory';

let harness: DrainHarness;
afterEach(async () => {
  await harness?.close();
});

/** An SCF context whose limit runs on real time from now. */
const scfContext = (limitMs: number) => {
  const endsAt = Date.now() + limitMs;
  return { getRemainingTimeInMillis: () => endsAt - Date.now() };
};
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('resolved'),
    (error: unknown) => error as DrainError,
  );

describe('pull-events inside its SCF time limit', () => {
  it('rejects naming the network when VOD never answers, before the limit, whatever DRAIN_BUDGET_MS says', async () => {
    harness = await startDrainHarness({ hangMs: 60_000, faults: { PullEvents: { hangRate: 1 } } });
    harness.emulator.enqueue(v3EventBatch(5, 40));
    const started = Date.now();
    const failure = await failureOf(harness.invoke({ DRAIN_BUDGET_MS: '30000' }, scfContext(12_000)));
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(failure).toBeInstanceOf(DrainError);
    expect(failure.message).toMatch(/^VOD never answered in .*no route to the VOD endpoint/);
    expect(failure.result).toMatchObject({ pulled: 0, stopReason: 'failed' });
  }, 30_000);

  it('succeeds with its counts when VOD rate-limits calls but events move', async () => {
    harness = await startDrainHarness({ maxQps: 4 });
    harness.emulator.enqueue(v3EventBatch(200, 41));
    const result = await harness.invoke({ DRAIN_BUDGET_MS: '3000', VOD_MAX_QPS: '100' });
    expect(result.pulled).toBeGreaterThan(0);
    expect(result.retries).toBeGreaterThan(0);
    expect(['budget', 'drained']).toContain(result.stopReason);
    expect(result.confirmed + result.unconfirmed + result.confirmUnknown).toBe(result.pulled);
  }, 30_000);
});

describe('pull-events messages', () => {
  it('says which handles a refused mixed confirm concerns, without blaming VOD_SUBAPP_ID', async () => {
    harness = await startDrainHarness();
    harness.emulator.enqueue(v3EventBatch(2, 42));
    const [credential] = harness.emulator.credentials;
    const config = loadConfig({
      VOD_ENDPOINT: harness.emulator.url,
      TENCENTCLOUD_SECRETID: credential!.secretId,
      TENCENTCLOUD_SECRETKEY: credential!.secretKey,
    });
    const vod = createVodQueueClient(config, systemClock);
    const events = await vod.pull(new AbortController().signal);
    const error = await vod.confirm([events[0]!.handle, 'no-such-handle'], new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodApiError);
    expect(error).toMatchObject({ kind: 'fatal', code: 'InvalidParameterValue' });
    expect((error as Error).message).toMatch(/handle older than 30 s/);
    expect((error as Error).message).not.toMatch(/VOD_SUBAPP_ID/);
  });

  it('gives the v2 auth failure (4100) a fix-it hint', async () => {
    harness = await startDrainHarness();
    const failure = await failureOf(harness.invoke({ VOD_API: 'v2', TENCENTCLOUD_SECRETKEY: 'wrong' }));
    expect(failure.message).toMatch(/PullEvent failed with 4100: .*\(check TENCENTCLOUD_SECRETID\/TENCENTCLOUD_SECRETKEY/);
  });

  it('does not retry a v2 clock-skew answer, and says the clock is off', async () => {
    harness = await startDrainHarness();
    const [credential] = harness.emulator.credentials;
    const env = {
      DATABASE_URL: harness.databaseUrl,
      VOD_ENDPOINT: harness.emulator.url,
      VOD_API: 'v2',
      TENCENTCLOUD_SECRETID: credential!.secretId,
      TENCENTCLOUD_SECRETKEY: credential!.secretKey,
      DRAIN_BUDGET_MS: '5000',
    };
    const skewed = { ...systemClock, now: () => Date.now() - 10 * 60_000 };
    const runtime = createRuntime(loadConfig(env), { log: silentLogger, clock: skewed });
    harness.runtimes.push(runtime);
    const failure = await failureOf(createPullEventsHandler(runtime)({}));
    expect(failure.message).toMatch(/PullEvent failed with 4[25]00: .*clock is off/);
    expect(failure.result).toMatchObject({ retries: 0, stopReason: 'failed' });
    expect(harness.emulator.stats().calls.PullEvent).toBe(1);
  });

  it('names PostgreSQL being down at cold start as a connection failure', async () => {
    harness = await startDrainHarness();
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`;
    const failure = await failureOf(harness.invoke({ DATABASE_URL: url }));
    expect(failure.message).toMatch(
      /^connecting to PostgreSQL \(DATABASE_URL\) failed, the store is unavailable: .*ECONNREFUSED/,
    );
  });
});
