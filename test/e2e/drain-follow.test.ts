import { afterEach, describe, expect, it } from 'vitest';
import { createPullEventsHandler } from '../../lib/app/pull-events';
import { loadConfig } from '../../lib/config';
import { SAFETY_MARGIN_MS } from '../../lib/drain/deadlines';
import { silentLogger } from '../../lib/log';
import { createRuntime } from '../../lib/runtime';
import { startDrainHarness, type DrainHarness } from '../helpers/drain-harness';
import { v3EventBatch } from '../helpers/v3-event-factory';

let harness: DrainHarness;
let stopFeeding: (() => void) | undefined;
afterEach(async () => {
  stopFeeding?.();
  await harness?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SCF context whose limit runs on real time from now. */
const scfContext = (limitMs: number) => {
  const endsAt = Date.now() + limitMs;
  return { getRemainingTimeInMillis: () => endsAt - Date.now() };
};

describe('pull-events in follow mode (emulator, PostgreSQL)', () => {
  it('returns inside its SCF time limit, everything it pulled stored and confirmed, while events keep arriving', async () => {
    harness = await startDrainHarness({ longPollMs: 5_000 });
    // 5 events every 100 ms, for longer than the invocation may last.
    let feeding = true;
    stopFeeding = () => (feeding = false);
    const feeder = (async () => {
      for (let seed = 0; feeding; seed++) {
        harness.emulator.enqueue(v3EventBatch(5, 1_000 + seed));
        await sleep(100);
      }
    })();
    const limitMs = SAFETY_MARGIN_MS + 4_000;
    const started = Date.now();
    const result = await harness.invoke({ DRAIN_MODE: 'follow', DRAIN_BUDGET_MS: '60000' }, scfContext(limitMs));
    const elapsedMs = Date.now() - started;
    stopFeeding();
    await feeder;
    // The pull window is the remaining time less the margin (4 s), not the configured 60 s.
    expect(elapsedMs).toBeLessThan(limitMs);
    expect(result.stopReason).toBe('budget');
    expect(result.pulled).toBeGreaterThan(50);
    expect(result).toMatchObject({ inserted: result.pulled, confirmed: result.pulled, unconfirmed: 0, confirmUnknown: 0 });
    expect(await harness.rows()).toHaveLength(result.pulled);
    const stats = harness.emulator.stats();
    expect(stats.inflight).toBe(0);
    expect(stats.confirmed).toBe(result.pulled);
  }, 30_000);

  it('overlapping invocations of one instance share its rate limiters: VOD never answers RequestLimitExceeded', async () => {
    const maxQps = 10;
    harness = await startDrainHarness({ maxQps, longPollMs: 200 });
    harness.emulator.enqueue(v3EventBatch(3_000, 77));
    const [credential] = harness.emulator.credentials;
    const runtime = createRuntime(
      loadConfig({
        DATABASE_URL: harness.databaseUrl,
        VOD_ENDPOINT: harness.emulator.url,
        TENCENTCLOUD_SECRETID: credential!.secretId,
        TENCENTCLOUD_SECRETKEY: credential!.secretKey,
        DRAIN_MODE: 'follow',
        DRAIN_BUDGET_MS: '3000',
        // The emulator's per-action limit less the bucket's 10 % burst.
        VOD_MAX_QPS: String(maxQps - 1),
      }),
      { log: silentLogger },
    );
    harness.runtimes.push(runtime);
    const handle = createPullEventsHandler(runtime);
    // The next timer tick arrives while the first invocation is still pulling.
    const first = handle({ Type: 'Timer', TriggerName: 'test' });
    await sleep(1_500);
    const second = handle({ Type: 'Timer', TriggerName: 'test' });
    const results = await Promise.all([first, second]);
    expect(results.every((result) => result.pulled > 0)).toBe(true);
    expect(results.reduce((sum, result) => sum + result.retries, 0)).toBe(0);
    expect(harness.emulator.stats().errors.RequestLimitExceeded ?? 0).toBe(0);
  }, 30_000);
});
