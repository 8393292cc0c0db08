import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../../lib/events/normalize';
import { createEventStore, type EventStore } from '../../../lib/store/event-store';
import { eventStats, listEvents } from '../../../lib/store/queries';
import { migrate } from '../../../lib/store/schema';
import type { SqlClient } from '../../../lib/store/sql-client';
import { drivers } from '../../helpers/drivers';
import { httpForm, pulledForm, v3Examples } from '../../helpers/v3-event-factory';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute, 0, 123));

const [upload, procedure, deleted] = v3Examples();

describe.each(drivers)('store queries on $name', (driver) => {
  let sql: SqlClient;
  let store: EventStore;

  beforeAll(async () => {
    sql = await (await driver.fresh()).connect();
    await migrate(sql);
    store = createEventStore(sql);
  });
  afterAll(() => sql.close());

  it('reports an empty store as zeros', async () => {
    // A database of its own: in shuffled order the suite below may already have stored events in `sql`.
    const empty = await (await driver.fresh()).connect();
    try {
      await migrate(empty);
      expect(await eventStats(empty)).toEqual({
        total: 0,
        duplicateDeliveries: 0,
        newestAt: null,
        byType: {},
        bySource: {},
      });
      expect(await listEvents(empty, { limit: 10 })).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  describe('with events stored', () => {
    beforeAll(async () => {
      // Upload at minute 1 (pulled, then its callback twice), procedure at 2, deletion at 3.
      await store.upsert([normalize(pulledForm(upload!, 'h1'), { source: 'pull', api: 'v3' })], at(1));
      await store.upsert([normalize(pulledForm(procedure!, 'h2'), { source: 'pull', api: 'v3' })], at(2));
      await store.upsert([normalize(httpForm(upload!), { source: 'callback' })], at(4));
      await store.upsert([normalize(httpForm(upload!), { source: 'callback' })], at(5));
      await store.upsert([normalize(httpForm(deleted!), { source: 'callback' })], at(3));
    });

    it('lists newest first with every column read back', async () => {
      const events = await listEvents(sql, { limit: 10 });

      expect(events.map((event) => event.eventType)).toEqual(['FileDeleted', 'ProcedureStateChanged', 'NewFileUpload']);
      expect(events[2]).toMatchObject({
        ...upload!.expected,
        apiFormat: 'v3',
        source: 'pull',
        firstReceivedAt: at(1),
        lastReceivedAt: at(5),
        deliveryCount: 3,
      });
      expect(events[2]!.payload).toMatchObject({
        EventType: 'NewFileUpload',
        FileUploadEvent: { FileId: upload!.expected.fileId },
      });
      expect(events[1]!.errCode).toBe(0);
    });

    it('filters by type and by time, and honours the limit', async () => {
      expect((await listEvents(sql, { type: 'NewFileUpload', limit: 10 })).map((event) => event.eventType)).toEqual([
        'NewFileUpload',
      ]);
      expect((await listEvents(sql, { since: at(2), limit: 10 })).map((event) => event.eventType)).toEqual([
        'FileDeleted',
        'ProcedureStateChanged',
      ]);
      expect((await listEvents(sql, { limit: 1 })).map((event) => event.eventType)).toEqual(['FileDeleted']);
      expect(await listEvents(sql, { type: "x' OR 1=1 --", limit: 10 })).toEqual([]);
    });

    it('counts events by type and source, and the duplicate deliveries', async () => {
      expect(await eventStats(sql)).toEqual({
        total: 3,
        duplicateDeliveries: 2,
        newestAt: at(3),
        byType: { FileDeleted: 1, NewFileUpload: 1, ProcedureStateChanged: 1 },
        bySource: { pull: 2, callback: 1 },
      });
    });
  });
});
