import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../lib/errors';
import { normalize } from '../../../lib/events/normalize';
import { createEventStore } from '../../../lib/store/event-store';
import { openEventStore } from '../../../lib/store/open-store';
import { migrate } from '../../../lib/store/schema';
import seeds from '../../../samples/seed-events.json';
import { drivers } from '../../helpers/drivers';
import { suiteStore } from '../../helpers/suite-store';
import { startPostgresServer, type PostgresServer } from '../../helpers/postgres-server';
import { openPglite } from '../../../tools/embedded-store/pglite-client';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

const uploads = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    normalize(
      {
        EventType: 'NewFileUpload',
        FileUploadEvent: { FileId: `file-${from + i}`, MediaBasicInfo: { MediaUrl: `http://x/${from + i}.mp4` } },
      },
      { source: 'pull', api: 'v3' },
    ),
  );

describe.each(drivers)('EventStore on $name', (driver) => {
  const db = suiteStore(driver);

  const row = async (id: string) =>
    (await db.sql.query<Record<string, unknown>>('SELECT * FROM vod_events WHERE id = $1', [id]))[0];

  it('inserts a batch and keeps every column of the contract', async () => {
    const events = seeds.pullEvents001.map((content) => normalize(content, { source: 'pull', api: 'v3' }));
    expect(await db.store.upsert(events, t0)).toEqual({ inserted: 4, duplicates: 0 });
    const edit = await row(events[3]!.id);
    expect(edit).toMatchObject({
      event_type: 'EditMediaComplete',
      api_format: 'v3',
      source: 'pull',
      task_id: '1256768367-procedurev2-1b0c3f17fad2f81a5327b57f1005e115t0',
      file_id: '15517827183909093239',
      status: 'FINISH',
      err_code: 0,
      delivery_count: 1,
      payload: events[3]!.payload,
    });
    expect(new Date(edit!.first_received_at as string).toISOString()).toBe(t0.toISOString());
  });

  it('counts a second delivery instead of writing a second row', async () => {
    const events = uploads(3, 100);
    expect(await db.store.upsert(events, t0)).toEqual({ inserted: 3, duplicates: 0 });
    expect(await db.store.upsert([events[0]!, ...uploads(1, 200)], t1)).toEqual({ inserted: 1, duplicates: 1 });
    const again = await row(events[0]!.id);
    expect(again).toMatchObject({ delivery_count: 2, source: 'pull' });
    expect(new Date(again!.first_received_at as string).toISOString()).toBe(t0.toISOString());
    expect(new Date(again!.last_received_at as string).toISOString()).toBe(t1.toISOString());
  });

  it('keeps the source of the first delivery when the same event comes by callback', async () => {
    const pulled = normalize(seeds.pullComplete003Pulled, { source: 'pull', api: 'v3' });
    const pushed = normalize(seeds.pullComplete003Callback, { source: 'callback' });
    await db.store.upsert([pulled], t0);
    expect(await db.store.upsert([pushed], t1)).toEqual({ inserted: 0, duplicates: 1 });
    expect(await row(pulled.id)).toMatchObject({ source: 'pull', delivery_count: 2 });
  });

  it('folds repeats inside one batch into one row with their count', async () => {
    const [event] = uploads(1, 300);
    expect(await db.store.upsert([event!, event!, event!], t0)).toEqual({ inserted: 1, duplicates: 2 });
    expect(await row(event!.id)).toMatchObject({ delivery_count: 3 });
  });

  it('stores payloads that plain PostgreSQL would refuse', async () => {
    const event = normalize(
      { EventType: 'X\u0000', X: { Message: '\ud800', deep: JSON.parse('['.repeat(500) + ']'.repeat(500)) } },
      { source: 'callback' },
    );
    expect(await db.store.upsert([event], t0)).toEqual({ inserted: 1, duplicates: 0 });
    expect(await row(event.id)).toMatchObject({ event_type: 'X\uFFFD', payload: event.payload });
  });

  it('keeps a 6,000-character task id out of the btree limit: column cut, payload whole', async () => {
    const taskId = 'T'.repeat(6000);
    const event = normalize(
      { EventType: 'PullComplete', PullCompleteEvent: { TaskId: taskId, FileId: 'f-long' } },
      { source: 'pull', api: 'v3' },
    );
    expect(await db.store.upsert([event, ...uploads(1, 400)], t0)).toEqual({ inserted: 2, duplicates: 0 });
    const stored = await row(event.id);
    expect((stored!.task_id as string).length).toBe(512);
    expect((stored!.payload as { PullCompleteEvent: { TaskId: string } }).PullCompleteEvent.TaskId).toBe(taskId);
  });

  it('stores an event PostgreSQL refuses as a degraded row, and the rest of its batch normally', async () => {
    // A real refusal from the server: a constraint this test adds to its own database.
    await db.sql.exec("ALTER TABLE vod_events ADD CONSTRAINT no_poison CHECK (task_id IS DISTINCT FROM 'poison')");
    try {
      const poison = normalize(
        { EventType: 'ProcedureStateChanged', ProcedureStateChangeEvent: { TaskId: 'poison', FileId: 'f-p' } },
        { source: 'pull', api: 'v3' },
      );
      const [good] = uploads(1, 500);
      expect(await db.store.upsert([good!, poison], t0)).toEqual({ inserted: 2, duplicates: 0 });
      expect(await row(good!.id)).toMatchObject({ file_id: 'file-500', delivery_count: 1 });
      const stored = await row(poison.id);
      expect(stored).toMatchObject({ event_type: 'ProcedureStateChanged', task_id: null, file_id: null });
      expect((stored!.payload as { unstorable: string }).unstorable).toMatch(/PostgreSQL rejected the data.*no_poison/);
      expect(JSON.parse((stored!.payload as { json: string }).json)).toEqual(poison.payload);
      // a redelivery counts on the same row
      expect(await db.store.upsert([poison], t1)).toEqual({ inserted: 0, duplicates: 1 });
    } finally {
      await db.sql.exec('ALTER TABLE vod_events DROP CONSTRAINT no_poison');
    }
  });

  it('writes exactly one row per event when several connections upsert the same events at once', async () => {
    const events = uploads(40, 1000);
    const writers = await Promise.all(Array.from({ length: 4 }, () => db.connect()));
    const results = await Promise.all(writers.map((client) => createEventStore(client).upsert(events, t0)));
    expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(40);
    expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(120);
    const [counts] = await db.sql.query<{ rows: number; deliveries: number }>(
      'SELECT count(*)::int AS rows, sum(delivery_count)::int AS deliveries FROM vod_events WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb))',
      [JSON.stringify(events.map((event) => event.id))],
    );
    expect(counts).toEqual({ rows: 40, deliveries: 160 });
    await Promise.all(writers.filter((client) => client !== db.sql).map((client) => client.close()));
  });

  it('migrates idempotently, also when several cold starts race', async () => {
    const clients = await Promise.all(Array.from({ length: 3 }, () => db.connect()));
    await Promise.all(clients.map((client) => migrate(client)));
    const [{ count }] = (await db.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM vod_events')) as [
      { count: number },
    ];
    expect(count).toBeGreaterThan(0);
    await Promise.all(clients.filter((client) => client !== db.sql).map((client) => client.close()));
  });
});

describe('EventStore when PostgreSQL goes down', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    await server.stop().catch(() => {});
    server.remove();
  });

  it('fails with StoreError "unavailable", stores nothing of the batch, and works again after a restart', async () => {
    const store = await openEventStore({ databaseUrl: server.url, pgliteDir: '' });
    await store.upsert(uploads(2, 0), t0);
    await server.stop();
    const failure = await store.upsert(uploads(5, 10), t0).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).kind).toBe('unavailable');
    expect((failure as StoreError).message).toMatch(/storing 5 event\(s\) failed, the store is unavailable/);
    await server.restart();
    expect((await store.stats()).total).toBe(2);
    expect(await store.upsert(uploads(5, 10), t1)).toEqual({ inserted: 5, duplicates: 0 });
    await store.close();
  });

  it('fails to open with StoreError when nothing listens', async () => {
    // Not the server above, stopped: in shuffled order the restart test may run after this one.
    const failure = await openEventStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', pgliteDir: '' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).kind).toBe('unavailable');
  });
});

describe('EventStore on a closed PGlite', () => {
  it('fails with StoreError instead of a silent success', async () => {
    const store = await openEventStore({ databaseUrl: undefined, pgliteDir: 'memory://', openEmbedded: openPglite });
    await store.close();
    const failure = await store.upsert(uploads(1), t0).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
  });
});
