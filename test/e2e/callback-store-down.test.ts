import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../lib/callback/replay';
import { startCallbackServer } from '../../tools/cli/commands/serve';
import { systemClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import type { LocalGateway } from '../../tools/local-gateway/server';
import { createRuntime, type Runtime } from '../../lib/runtime';
import { openEventStore } from '../../lib/store/open-store';
import type { EventStore } from '../../lib/store/event-store';
import { withoutEnvelope } from '../../lib/events/dedupe-key';
import seeds from '../../samples/seed-events.json';
import { captureLog, type CapturedLog } from '../helpers/callback-requests';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';

let server: PostgresServer;
let databaseUrl: string;
let log: CapturedLog;
let runtime: Runtime;
let gateway: LocalGateway;

beforeAll(async () => {
  server = await startPostgresServer();
  databaseUrl = await createDatabase(server.url);
  log = captureLog();
  runtime = createRuntime(loadConfig({ DATABASE_URL: databaseUrl }), { log });
  gateway = await startCallbackServer(runtime, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await gateway.close();
  await runtime.close();
  await server.stop();
  server.remove();
});

const post = async (body: string) => {
  const response = await fetch(gateway.url, { method: 'POST', body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};
const countsByType = async (store: EventStore) =>
  (await store.listEvents({ limit: 1000 }))
    .map((event) => ({ event_type: event.eventType, delivery_count: event.deliveryCount }))
    .sort((a, b) => (a.event_type < b.event_type ? -1 : 1));

// The three tests are the steps of one outage (up, down, back and replayed), so they run in order.
describe('callback with the database down', { shuffle: false }, () => {
  const upload = JSON.stringify(seeds.pullEvents001[1]);
  const concat = JSON.stringify(seeds.concatComplete002Callback);
  const pullComplete = JSON.stringify(seeds.pullComplete003Callback);

  it('stores while the database is up', async () => {
    expect(await post(pullComplete)).toMatchObject({ status: 200, json: { duplicate: false } });
  });

  it('answers 503 and dead-letters each raw body while it is down', async () => {
    await server.stop();
    const answers = [await post(upload), await post(concat)];
    expect(answers).toEqual([
      { status: 503, json: { error: 'store_unavailable', reason: 'the event was not stored; it was logged for replay' } },
      { status: 503, json: { error: 'store_unavailable', reason: 'the event was not stored; it was logged for replay' } },
    ]);
    const letters = log.deadLetters();
    // The event as stored would hold it: delivery fields (the pulled form's EventHandle) left out.
    expect(letters.map((letter) => letter.payload)).toEqual([JSON.stringify(withoutEnvelope(seeds.pullEvents001[1])), concat]);
    // No key is configured: nothing was verified, and the letters say so.
    expect(letters.map((letter) => letter.verified)).toEqual([false, false]);
    expect(letters.every((letter) => letter.level === 'error' && /the store is unavailable/.test(String(letter.reason)))).toBe(
      true,
    );
  });

  it('stores again once the database is back, and replaying the dead letters restores their events', async () => {
    await server.restart();
    expect(await post(pullComplete)).toMatchObject({ status: 200, json: { duplicate: true } });

    const store = await openEventStore({ databaseUrl, pgliteDir: '' });
    try {
      // Prepare: every log line, as an operator would export them, not only the dead letters.
      // Unsigned callbacks (no key configured): the operator accepts unverified lines explicitly.
      const summary = await replay(log.lines, { store, clock: systemClock, acceptUnverified: true });
      expect(summary).toMatchObject({ stored: 2, duplicates: 0 });
      expect(summary.read).toBe(log.lines.length);
      expect(summary.skipped).toHaveLength(log.lines.length - 2);
      expect(await countsByType(store)).toEqual([
        { event_type: 'ConcatComplete', delivery_count: 1 },
        { event_type: 'NewFileUpload', delivery_count: 1 },
        { event_type: 'PullComplete', delivery_count: 2 },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('callback with the database down at cold start', () => {
  it('answers 503 until the database is reachable, then stores', async () => {
    // A database of its own: the outage steps count every row of theirs, whichever describe runs first.
    const coldUrl = await createDatabase(server.url);
    await server.stop();
    const coldLog = captureLog();
    const cold = createRuntime(loadConfig({ DATABASE_URL: coldUrl }), { log: coldLog });
    const coldGateway = await startCallbackServer(cold, { port: 0, host: '127.0.0.1' });
    try {
      const body = JSON.stringify(seeds.pullEvents001[3]);
      const first = await fetch(coldGateway.url, { method: 'POST', body });
      expect(first.status).toBe(503);
      expect(coldLog.deadLetters()).toMatchObject([
        {
          payload: JSON.stringify(withoutEnvelope(seeds.pullEvents001[3])),
          reason: expect.stringMatching(/the store is unavailable/),
        },
      ]);
      await server.restart();
      const second = await fetch(coldGateway.url, { method: 'POST', body });
      expect([second.status, ((await second.json()) as { duplicate: boolean }).duplicate]).toEqual([200, false]);
    } finally {
      await coldGateway.close();
      await cold.close();
    }
  });
});
