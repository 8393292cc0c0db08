import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPullEventsHandler } from '../../lib/app/pull-events';
import { loadConfig } from '../../lib/config';
import { drain } from '../../lib/drain/drain';
import { startEmulator, type RunningEmulator } from '../../tools/emulator';
import { DrainError, StoreError } from '../../lib/errors';
import { silentLogger } from '../../lib/log';
import { systemClock } from '../../lib/clock';
import { createRuntime } from '../../lib/runtime';
import { createVodQueueClient } from '../../lib/vod/create-client';
import { tokenBucket } from '../../lib/vod/rate-limiter';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';
import { v3EventBatch } from '../helpers/v3-event-factory';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pull-events when the store misbehaves', () => {
  let server: PostgresServer;
  let emulator: RunningEmulator;
  // A database per test on the one server: a test counts only the rows it stored.
  let databaseUrl: string;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  beforeEach(async () => {
    databaseUrl = await createDatabase(server.url);
  });
  afterAll(async () => {
    await server.stop();
    server.remove();
  });

  const envFor = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: databaseUrl,
    VOD_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRETID: emulator.credentials[0]!.secretId,
    TENCENTCLOUD_SECRETKEY: emulator.credentials[0]!.secretKey,
    DRAIN_BUDGET_MS: '15000',
    ...extra,
  });
  const count = async () => {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`SELECT count(*)::int AS rows, coalesce(sum(delivery_count), 0)::int AS deliveries FROM vod_events`;
      return row as { rows: number; deliveries: number };
    } finally {
      await sql.end();
    }
  };

  it('rejects when PostgreSQL goes down mid-drain, confirms nothing unstored, and the next invocation finishes the job', async () => {
    emulator = await startEmulator({ longPollMs: 200, handleTtlMs: 1500, faults: { PullEvents: { latencyMs: 40 } } });
    emulator.enqueue(v3EventBatch(800, 21));
    const runtime = createRuntime(loadConfig(envFor({ DRAIN_CONCURRENCY: '2' })), { log: silentLogger });
    const handle = createPullEventsHandler(runtime);
    await runtime.store(); // table exists before the outage
    const running = handle({}).catch((error: unknown) => error);
    await sleep(300);
    await server.stop();
    const failure = await running;
    expect(failure).toBeInstanceOf(DrainError);
    expect((failure as DrainError).cause).toBeInstanceOf(StoreError);
    expect((failure as DrainError).message).toMatch(/storing pulled events failed; every unstored event was left unconfirmed/);
    await runtime.close();

    await server.restart();
    const stored = await count();
    // Nothing confirmed that is not stored.
    expect(emulator.stats().confirmed).toBeLessThanOrEqual(stored.rows);
    expect(stored.rows).toBe((failure as DrainError).result.inserted);

    await sleep(1600); // the unconfirmed handles expire and their events are pending again
    const next = createRuntime(loadConfig(envFor()), { log: silentLogger });
    const result = await createPullEventsHandler(next)({});
    await next.close();
    expect(result.stopReason).toBe('drained');
    expect((await count()).rows).toBe(800);
    expect(emulator.stats()).toMatchObject({ pending: 0, inflight: 0 });
    await emulator.close();
  }, 60_000);

  it("reads the VOD credentials per invocation, as SCF renews an execution role's keys", async () => {
    emulator = await startEmulator({ longPollMs: 100 });
    emulator.enqueue(v3EventBatch(3, 23));
    const runtime = createRuntime(loadConfig(envFor()), { log: silentLogger });
    const [good] = emulator.credentials;
    let current = { secretId: good!.secretId, secretKey: 'expired-key', sessionToken: undefined };
    const handle = createPullEventsHandler(runtime, () => current);
    await expect(handle({})).rejects.toThrow(/AuthFailure\.SignatureFailure/);
    current = { ...current, secretKey: good!.secretKey };
    expect(await handle({})).toMatchObject({ pulled: 3, confirmed: 3 });
    await runtime.close();
    await emulator.close();
  }, 30_000);

  it('ends inside the SCF limit with its summary when another session locks the table', async () => {
    emulator = await startEmulator({ longPollMs: 100 });
    emulator.enqueue(v3EventBatch(64, 24));
    const runtime = createRuntime(loadConfig(envFor({ DRAIN_BUDGET_MS: '60000' })), { log: silentLogger });
    await runtime.store();
    const blocker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const released = holdTableLock(blocker, 14_500);
    await released.locked;
    const started = Date.now();
    const endsAt = started + 14_000;
    const failure = await createPullEventsHandler(runtime)({}, { getRemainingTimeInMillis: () => endsAt - Date.now() }).catch(
      (error: unknown) => error,
    );
    // Every blocked statement used to wait its full 15 s statement_timeout.
    expect(Date.now() - started).toBeLessThan(14_000);
    expect(failure).toBeInstanceOf(DrainError);
    expect((failure as DrainError).result).toMatchObject({ inserted: 0, confirmed: 0, stopReason: 'failed' });
    expect(emulator.stats().confirmed).toBe(0);
    await released.done;
    await blocker.end();
    await runtime.close();
    await emulator.close();
  }, 40_000);

  it('never confirms a handle older than the confirm window when the store is slow; VOD redelivers it', async () => {
    emulator = await startEmulator({ longPollMs: 100 });
    emulator.enqueue(v3EventBatch(10, 22));
    const runtime = createRuntime(loadConfig(envFor()), { log: silentLogger });
    const store = await runtime.store();
    // Another session holds the table: every upsert waits until it lets go.
    const blocker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const released = holdTableLock(blocker, 1_500);
    await released.locked;
    const limiters = { pull: tokenBucket(50, systemClock), confirm: tokenBucket(50, systemClock) };
    const vod = createVodQueueClient(runtime.config, systemClock);
    const result = await drain(
      { vod, store, clock: systemClock, log: silentLogger, limiters },
      { concurrency: 1, maxBatches: 1, budgetMs: 5000, handleMaxAgeMs: 400 },
    );
    await released.done;
    await blocker.end();
    expect(result).toMatchObject({ pulled: 10, inserted: 10, confirmed: 0, unconfirmed: 10 });
    expect(emulator.stats()).toMatchObject({ inflight: 10, confirmed: 0 });
    await runtime.close();
    await emulator.close();
  }, 30_000);
});

/**
 * Holds an exclusive lock on vod_events from another session for `ms`; `locked` resolves once the
 * lock is held (a fixed sleep raced the lock on a busy machine, and the drain got in first).
 */
function holdTableLock(blocker: postgres.Sql, ms: number) {
  let held!: () => void;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const done = blocker.begin(async (tx) => {
    await tx`LOCK TABLE vod_events IN EXCLUSIVE MODE`;
    held();
    await sleep(ms);
  });
  return { locked, done };
}
