import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../../lib/events/types';
import { fileState, mergeFacts, projectEvents, taskState, type Facts, type RankedFields } from '../../../lib/state';
import { createEventStore } from '../../../lib/store/event-store';
import { drivers } from '../../helpers/drivers';
import { suiteStore } from '../../helpers/suite-store';
import { eventsOfFile } from '../../unit/state/histories';
import { chosenEvents, deliveryPaths, TWO_FILES_EVENTS } from '../../helpers/delivery-history';

const byId = <T extends { fileId?: string; taskId?: string }>(rows: T[]) =>
  [...rows].sort((a, b) => ((a.fileId ?? a.taskId)! < (b.fileId ?? b.taskId)! ? -1 : 1));

/** Ranks and keys from small sets, so equal ranks (the key tiebreak) and equal keys are common. */
const ranked = <T>(value: fc.Arbitrary<T>) =>
  fc.record({ rank: fc.constantFrom(0, 10, 20, 40, 50, 20030), key: fc.constantFrom('0a', '0b', 'a0', 'ff'), value });
const text = fc.string({ maxLength: 6 });
const output = fc.option(fc.record({ format: fc.constantFrom('HLS', 'DASH', 'mp4'), url: fc.webUrl() }));
/** Fields with the values the projection gives them (lib/state), each present or not. */
const fields = fc.record(
  {
    lifecycle: ranked(fc.constantFrom('uploaded', 'processing', 'ready', 'deleted')),
    name: ranked(text),
    media_url: ranked(text),
    duration: ranked(fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((d) => Math.abs(d) + 0)),
    size: ranked(fc.integer({ min: 0, max: 2 ** 40 })),
    kind: ranked(text),
    outcome: ranked(
      fc.record({
        status: fc.constantFrom('WAITING', 'FINISH', 'FAIL'),
        errCode: fc.option(fc.integer({ min: -5, max: 70000 })),
        message: fc.option(text),
      }),
    ),
    progress: ranked(fc.integer({ min: 0, max: 100 })),
    'output:transcode:100030': ranked(output),
    'output:transcode:20': ranked(output),
    'output:adaptive:12': ranked(output),
    'output:transcode:*': ranked(fc.constant(null)),
    'file:528589': ranked(fc.constant(true)),
    'file:52858a': ranked(fc.constant(true)),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RankedFields>;
/** One event gives one value per field: where both sides have the same (rank, key), the value is the same too. */
const consistent = ([a, b]: [RankedFields, RankedFields]): [RankedFields, RankedFields] => [
  a,
  Object.fromEntries(
    Object.entries(b).map(([name, entry]) => {
      const other = a[name];
      return [name, other && other.rank === entry.rank && other.key === entry.key ? other : entry];
    }),
  ),
];
const facts = (id: string, fieldsOf: RankedFields): Facts => ({
  id,
  fields: fieldsOf,
  eventIds: ['e'],
  firstEventAt: '2026-01-01T00:00:00.000Z',
  lastEventAt: '2026-01-01T00:00:00.000Z',
});

/** A store history: distinct events (their first arrival), delivered shuffled, repeated, in batches or one by one through the callback statement. */
const history = chosenEvents.chain((chosen) =>
  fc.record({
    chosen: fc.constant(chosen),
    deliveries: fc.shuffledSubarray([...chosen, ...chosen, ...chosen], {
      minLength: chosen.length * 3,
      maxLength: chosen.length * 3,
    }),
    paths: deliveryPaths(chosen.length * 3),
    batch: fc.integer({ min: 1, max: 6 }),
  }),
);

describe.each(drivers)('state tables on $name', (driver) => {
  const db = suiteStore(driver);

  it('vod_state_merge equals mergeFields, and the generated columns equal fileState/taskState', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fields, fields).map(consistent), { minLength: 1, maxLength: 40 }), async (pairs) => {
        const merged = await db.sql.query<{ merged: string }>(
          `SELECT vod_state_merge(p->0, p->1)::text AS merged FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS x(p, n) ORDER BY n`,
          [JSON.stringify(pairs)],
        );
        const expected = pairs.map(([a, b]) => mergeFacts(facts('x', a), facts('x', b)).fields);
        expect(merged.map((row) => JSON.parse(row.merged) as RankedFields)).toEqual(expected);

        await db.sql.exec('TRUNCATE vod_files, vod_tasks');
        const rows = expected.map((ranks, n) => ({ id: `id-${String(n).padStart(3, '0')}`, ranks, event_ids: ['e'] }));
        const insert = (table: string, key: string) =>
          db.sql.query(
            `INSERT INTO ${table} (${key}, ranks, event_ids, first_event_at, last_event_at)
             SELECT id, ranks, event_ids, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM jsonb_to_recordset($1::text::jsonb) AS c(id text, ranks jsonb, event_ids text[])`,
            [JSON.stringify(rows)],
          );
        await insert('vod_files', 'file_id');
        await insert('vod_tasks', 'task_id');
        const { files, tasks } = await db.store.stateRows();
        expect(files).toEqual(rows.map((row) => fileState(facts(row.id, row.ranks))));
        expect(tasks).toEqual(rows.map((row) => taskState(facts(row.id, row.ranks))));
      }),
      { numRuns: 15 },
    );
  });

  it('rows stored through the real store, in any order, with duplicates and batches, equal the projection and rebuild-state', async () => {
    await fc.assert(
      fc.asyncProperty(history, async ({ chosen, deliveries, paths, batch }) => {
        await db.sql.exec('TRUNCATE vod_events, vod_callback_deliveries, vod_files, vod_tasks');
        // Each event arrives first at its own instant; later deliveries come later.
        const arrival = new Map(chosen.map((index, n) => [index, new Date(Date.UTC(2026, 0, 1) + n * 1000)]));
        const pending: NormalizedEvent[] = [];
        const flush = async (at: Date) => {
          if (pending.length > 0) await db.store.upsert(pending.splice(0), at);
        };
        let clock = Date.UTC(2026, 0, 2);
        for (const [k, index] of deliveries.entries()) {
          const event = TWO_FILES_EVENTS[index]!(paths[k]!);
          const at = new Date(arrival.has(index) ? arrival.get(index)!.getTime() : clock++);
          arrival.delete(index);
          if (paths[k] === 'callback') {
            await flush(at);
            await db.store.deliver(event, { key: `k${k}`, expiresAt: undefined, repeatCounts: true, sharedForMs: 0 }, at);
          } else {
            pending.push(event);
            if (pending.length >= batch) await flush(at);
          }
        }
        await flush(new Date(clock));

        const stored = await db.store.listEvents({ limit: 10_000 });
        const projected = projectEvents(stored.map((event) => ({ event, firstReceivedAt: event.firstReceivedAt })));
        const expected = {
          files: byId([...projected.files.values()].map(fileState)),
          tasks: byId([...projected.tasks.values()].map(taskState)),
        };
        const live = await db.store.stateRows();
        expect({ files: byId(live.files), tasks: byId(live.tasks) }).toEqual(expected);

        await db.store.rebuildState();
        const rebuilt = await db.store.stateRows();
        expect(rebuilt).toEqual(live);
        await db.store.rebuildState();
        expect(await db.store.stateRows()).toEqual(rebuilt);
      }),
      { numRuns: 12 },
    );
  });

  it('rebuild-state run while writers store events misses none of them', async () => {
    await db.sql.exec('TRUNCATE vod_events, vod_callback_deliveries, vod_files, vod_tasks');
    const writerSql = await db.connect();
    const writer = createEventStore(writerSql);
    const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000);
    // Files 0-29 before the rebuild starts (several pages to scan); files 30-59 while it runs.
    for (let n = 0; n < 30; n++)
      await writer.upsert(
        eventsOfFile(n).map((make) => make('pull')),
        at(n),
      );
    const writing = (async () => {
      for (let n = 30; n < 60; n++)
        await writer.upsert(
          eventsOfFile(n).map((make) => make(n % 2 ? 'pull' : 'callback')),
          at(n),
        );
    })();
    await Promise.all([db.store.rebuildState(), writing]);
    const stored = await db.store.listEvents({ limit: 10_000 });
    const projected = projectEvents(stored.map((event) => ({ event, firstReceivedAt: event.firstReceivedAt })));
    const live = await db.store.stateRows();
    expect(byId(live.files)).toEqual(byId([...projected.files.values()].map(fileState)));
    expect(byId(live.tasks)).toEqual(byId([...projected.tasks.values()].map(taskState)));
    if (writerSql !== db.sql) await writerSql.close();
  });

  it('rebuild-state removes rows no event supports (an older precedence) and fills a table from before the feature', async () => {
    await db.sql.exec('TRUNCATE vod_events, vod_callback_deliveries, vod_files, vod_tasks');
    const events = TWO_FILES_EVENTS.slice(0, 6).map((make) => make('pull'));
    await createEventStore(db.sql, { projections: [] }).upsert(events, new Date(Date.UTC(2026, 0, 1)));
    expect((await db.store.stateRows()).files).toEqual([]);
    await db.sql.query(
      `INSERT INTO vod_files (file_id, ranks, event_ids, first_event_at, last_event_at) VALUES ('stale', '{}', '{}', now(), now())`,
    );
    const result = await db.store.rebuildState();
    const { files, tasks } = await db.store.stateRows();
    expect(result).toEqual({ events: 6, files: files.length, tasks: tasks.length });
    expect(files.map((file) => file.fileId)).not.toContain('stale');
    expect(files.length).toBeGreaterThan(0);
  });
});
