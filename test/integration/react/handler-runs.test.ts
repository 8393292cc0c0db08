import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../lib/log';
import { dispatchRuns, type DispatchLimits } from '../../../lib/react/dispatch';
import type { Handler, HandlerMap } from '../../../lib/react/handler';
import { outboxProjection, outboxSpec } from '../../../lib/react/outbox';
import { createRegistry, type HandlerRegistry } from '../../../lib/react/registry';
import { replayRuns, runStats } from '../../../lib/react/run-queries';
import { createEventStore, type EventStore } from '../../../lib/store/event-store';
import { stateProjection } from '../../../lib/store/state-projection';
import { migrate } from '../../../lib/store/schema';
import type { SqlClient } from '../../../lib/store/sql-client';
import { normalize } from '../../../lib/events/normalize';
import { drivers } from '../../helpers/drivers';
import { procedureEvents, shiftedClock } from '../../helpers/handler-runs';
import { createRunStore } from '../../../lib/react/run-store';

const handler = (name: string, run: Handler['run'], options: Partial<Handler> = {}): Handler => ({ name, run, ...options });
const ok = async () => {};

describe.each(drivers)('handler runs on $name', (driver) => {
  let sql: SqlClient;
  let connect: () => Promise<SqlClient>;
  let clock: ReturnType<typeof shiftedClock>;

  beforeEach(async () => {
    ({ connect } = await driver.fresh());
    sql = await connect();
    await migrate(sql);
    clock = shiftedClock();
  });
  afterEach(() => sql.close());

  const storeFor = (registry: HandlerRegistry): EventStore =>
    createEventStore(sql, { projections: [stateProjection(), outboxProjection(outboxSpec(registry)!)] });
  const dispatch = (registry: HandlerRegistry, limits: Partial<DispatchLimits> = {}, on = sql) =>
    dispatchRuns(
      { runs: createRunStore(on), registry, clock, log: silentLogger, retry: { maxAttempts: 3, baseMs: 1_000 } },
      { budgetMs: 30_000, concurrency: 4, ...limits },
    );
  const runs = () =>
    sql.query<{ event_id: string; handler: string; status: string; attempts: number }>(
      'SELECT event_id, handler, status, attempts FROM vod_handler_runs ORDER BY seq',
    );

  it('creates one pending run per new event and matching handler, in the statement that stores the event; a repeat adds none', async () => {
    const map: HandlerMap = { ProcedureStateChanged: [handler('on-procedure', ok)], '*': [handler('audit', ok)] };
    const store = storeFor(createRegistry(map));
    const upload = normalize({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'f' } }, { source: 'callback' });
    const [procedure] = procedureEvents(1, 1);
    await store.upsert([procedure!, upload], new Date());
    await store.upsert([procedure!], new Date());
    await store.deliver(upload, { key: 'k', expiresAt: undefined, repeatCounts: true, sharedForMs: 0 }, new Date());
    const rows = await runs();
    expect(
      rows.map((row) => `${row.event_id === upload.id ? 'upload' : 'procedure'}:${row.handler}:${row.status}`).sort(),
    ).toEqual(['procedure:audit:pending', 'procedure:on-procedure:pending', 'upload:audit:pending']);
  });

  it('says which event types have handlers, as the outbox matches them (the callback claims only for those)', async () => {
    const typed = createRegistry({ ProcedureStateChanged: [handler('on-procedure', ok)] });
    expect([typed.handles('ProcedureStateChanged'), typed.handles('PullComplete')]).toEqual([true, false]);
    expect(createRegistry({ '*': [handler('audit', ok)] }).handles('PullComplete')).toBe(true);
    const store = storeFor(typed);
    await store.upsert(
      [normalize({ EventType: 'PullComplete', PullCompleteEvent: { FileId: 'p' } }, { source: 'pull' })],
      new Date(),
    );
    expect(await runs()).toEqual([]);
  });

  it('the callback path (deliver) writes the runs of a new event too', async () => {
    const store = storeFor(createRegistry({ '*': [handler('audit', ok)] }));
    const [event] = procedureEvents(1, 1);
    await store.deliver(event!, { key: 'k1', expiresAt: undefined, repeatCounts: true, sharedForMs: 0 }, new Date());
    expect(await runs()).toEqual([expect.objectContaining({ event_id: event!.id, handler: 'audit', status: 'pending' })]);
  });

  it('runs each run once: a succeeded run is never started again', async () => {
    let calls = 0;
    const registry = createRegistry({ '*': [handler('count', async () => void (calls += 1))] });
    await storeFor(registry).upsert(procedureEvents(20, 3), new Date());
    expect(await dispatch(registry)).toMatchObject({ runsSucceeded: 20, runsFailed: 0 });
    clock.shift(10 * 86_400_000);
    expect(await dispatch(registry)).toMatchObject({ runsSucceeded: 0 });
    expect(calls).toBe(20);
    expect(new Set((await runs()).map((row) => row.status))).toEqual(new Set(['succeeded']));
  });

  it('retries a failed run at its backoff time and marks it dead after maxAttempts; replay needs --force only for succeeded runs', async () => {
    const registry = createRegistry({ '*': [handler('always-fails', async () => Promise.reject(new Error('receiver down')))] });
    const [event] = procedureEvents(1, 1);
    await storeFor(registry).upsert([event!], new Date());
    expect(await dispatch(registry)).toMatchObject({ runsFailed: 1 });
    expect(await dispatch(registry)).toMatchObject({ runsFailed: 0, runsDead: 0 }); // not due yet
    clock.shift(1_200);
    expect(await dispatch(registry)).toMatchObject({ runsFailed: 1 });
    clock.shift(2_400);
    expect(await dispatch(registry)).toMatchObject({ runsDead: 1 });
    const [dead] = await sql.query<{ status: string; last_error: string }>('SELECT status, last_error FROM vod_handler_runs');
    expect(dead).toEqual({ status: 'dead', last_error: 'Error: receiver down' });

    expect(await replayRuns(sql, 'always-fails', { status: 'dead' }, false, new Date(clock.now()))).toBe(1);
    expect(await runs()).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
    await sql.query(`UPDATE vod_handler_runs SET status = 'succeeded'`);
    expect(await replayRuns(sql, 'always-fails', { eventId: event!.id }, false, new Date(clock.now()))).toBe(0);
    expect(await replayRuns(sql, 'always-fails', { eventId: event!.id }, true, new Date(clock.now()))).toBe(1);
  });

  it('runs again, after its lease, a run whose process died mid-handler', async () => {
    const registry = createRegistry({ '*': [handler('h', ok, { timeoutMs: 1_000 })] });
    const [event] = procedureEvents(1, 1);
    await storeFor(registry).upsert([event!], new Date());
    // A dispatcher that claimed the run and died: the row is running, with a lease.
    await sql.query(
      `UPDATE vod_handler_runs SET status = 'running', attempts = 1, lease_token = 'dead-process', due_at = $1::text::timestamptz`,
      [new Date(clock.now() + 4_000).toISOString()],
    );
    expect(await dispatch(registry)).toMatchObject({ runsSucceeded: 0 });
    clock.shift(4_001);
    expect(await dispatch(registry)).toMatchObject({ runsSucceeded: 1 });
    expect(await runs()).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 2 })]);
  });

  it("gives a handler its file's current state, from vod_files", async () => {
    const states: unknown[] = [];
    const registry = createRegistry({
      ProcedureStateChanged: [handler('state', async ({ file }) => void states.push(await file()))],
    });
    const upload = normalize(
      { EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'file-0', MediaBasicInfo: { Name: 'cat.mp4' } } },
      { source: 'pull' },
    );
    await storeFor(registry).upsert([upload, ...procedureEvents(1, 1)], new Date());
    await dispatch(registry);
    expect(states).toEqual([
      expect.objectContaining({
        fileId: 'file-0',
        name: 'cat.mp4',
        lifecycle: 'ready',
        eventIds: expect.arrayContaining([upload.id]),
      }),
    ]);
  });

  it('a slow handler times out without holding back the others', async () => {
    const registry = createRegistry({
      '*': [handler('slow', () => new Promise(() => {}), { timeoutMs: 200 }), handler('fast', ok)],
    });
    await storeFor(registry).upsert(procedureEvents(10, 10), new Date());
    const result = await dispatch(registry, { concurrency: 2 });
    // Each slow run fails at least once (more when its 1 s retry comes due while the dispatch still runs).
    expect(result.runsSucceeded).toBe(10);
    expect(result.runsFailed).toBeGreaterThanOrEqual(10);
    const rows = await runs();
    expect(rows.filter((row) => row.handler === 'fast').every((row) => row.status === 'succeeded')).toBe(true);
  });

  it('the callback mode hands back, uncounted, an attempt its budget cut', async () => {
    const registry = createRegistry({
      '*': [handler('slow', () => new Promise((resolve) => setTimeout(resolve, 2_000)), { timeoutMs: 5_000 })],
    });
    const [event] = procedureEvents(1, 1);
    await storeFor(registry).upsert([event!], new Date());
    expect(await dispatch(registry, { budgetMs: 100, cutToBudget: true, eventIds: [event!.id] })).toMatchObject({
      runsReleased: 1,
    });
    expect(await runs()).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
  });

  it("orderBy 'file': overlapping dispatchers run each file's runs one at a time in arrival order; a failing run holds back only its file", async () => {
    const seen = new Map<string, number[]>();
    let running = new Set<string>();
    let overlap = false;
    let failuresLeft = 2;
    const ordered = handler(
      'ordered',
      async ({ event, payload }) => {
        const file = event.fileId!;
        if (running.has(file)) overlap = true;
        running.add(file);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        running.delete(file);
        const task = Number(
          (payload as { ProcedureStateChangeEvent: { TaskId: string } }).ProcedureStateChangeEvent.TaskId.slice(5),
        );
        if (file === 'file-0' && task === 20 && failuresLeft-- > 0) throw new Error('flaky');
        seen.set(file, [...(seen.get(file) ?? []), task]);
      },
      { orderBy: 'file' },
    );
    const registry = createRegistry({ '*': [ordered] });
    const store = storeFor(registry);
    // One event per file per statement: events stored by one statement count as arriving together (ordered by id).
    for (let batch = 0; batch < 40; batch++) await store.upsert(procedureEvents(4, 4, batch * 4), new Date());
    const connections = await Promise.all([connect(), connect(), connect()]);
    try {
      // Three dispatchers at once, each with 4 workers; file-0 fails at its 6th run (task 20) twice, then succeeds (maxAttempts 3).
      await Promise.all(connections.map((connection) => dispatch(registry, {}, connection)));
      expect(seen.get('file-0')).toEqual([0, 4, 8, 12, 16]);
      expect(seen.get('file-1')).toHaveLength(40);
      for (let retry = 0; retry < 4 && (seen.get('file-0')?.length ?? 0) < 40; retry++) {
        clock.shift(10_000);
        await Promise.all(connections.map((connection) => dispatch(registry, {}, connection)));
      }
    } finally {
      if (driver.name === 'postgres') await Promise.all(connections.map((connection) => connection.close()));
    }
    running = new Set();
    expect(overlap).toBe(false);
    for (let file = 0; file < 4; file++) {
      expect(seen.get(`file-${file}`)).toEqual(Array.from({ length: 40 }, (_, i) => file + 4 * i));
    }
    expect((await runStats(sql, new Date(clock.now()))).byStatus).toMatchObject({ succeeded: 160, pending: 0, failed: 0 });
  });
});
