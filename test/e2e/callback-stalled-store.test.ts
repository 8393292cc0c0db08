import { inject, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { handleCallback, LATE_STORE_MESSAGE } from '../../lib/callback/handle';
import { systemClock } from '../../lib/clock';
import { openEventStore } from '../../lib/store/open-store';
import seeds from '../../samples/seed-events.json';
import { captureLog } from '../helpers/callback-requests';
import { createDatabase } from '../helpers/postgres-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('callback when the store stalls', () => {
  it('answers 503 with a dead letter once its store deadline passes, instead of hanging until SCF kills it', async () => {
    const databaseUrl = await createDatabase(inject('postgresUrl'), 'stall');
    const store = await openEventStore({ databaseUrl, pgliteDir: '' });
    const log = captureLog();
    // Another session holds the table, as a stuck failover would: the upsert cannot finish.
    const blocker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const held = blocker.begin(async (tx) => {
      await tx`LOCK TABLE vod_events IN ACCESS EXCLUSIVE MODE`;
      locked();
      await sleep(1500);
    });
    // Not a fixed pause: on a loaded machine the lock could come after the callback's statement.
    await lockTaken;
    const body = Buffer.from(JSON.stringify(seeds.pullComplete003Callback));
    const result = await handleCallback(
      { method: 'POST', path: '/vod/callback', headers: { 'content-type': 'application/json' }, body },
      { store: async () => store, clock: systemClock, log, signKeys: [], maxBodyBytes: 1 << 20, storeTimeoutMs: 300 },
    );
    expect(result.status).toBe(503);
    const deadLetters = log.deadLetters();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ payload: body.toString('utf8') });
    expect(String(deadLetters[0]!.reason)).toMatch(/StoreTimeout: the store did not answer within 300 ms/);
    await held;
    // The statement was cancelled, not left to land behind its 503: the dead letter is the only copy.
    expect((await store.stats()).total).toBe(0);
    expect(log.entries().filter((entry) => entry.message === LATE_STORE_MESSAGE)).toEqual([]);
    await blocker.end();
    await store.close();
  });
});
