import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDeadLetter } from '../../../lib/callback/dead-letter';
import { replay } from '../../../lib/callback/replay';
import { normalize } from '../../../lib/events/normalize';
import { createEventStore, type EventStore } from '../../../lib/store/event-store';
import type { SqlClient } from '../../../lib/store/sql-client';
import { openPostgres } from '../../../lib/store/postgres-client';
import seeds from '../../../samples/seed-events.json';
import { captureLog, SIGN_KEY, signed } from '../../helpers/callback-requests';
import { manualClock } from '../../helpers/manual-clock';
import { memoryStore } from '../../helpers/memory-store';

const clock = manualClock(Date.UTC(2026, 0, 2));
const arrived = new Date('2026-01-01T08:00:00.000Z');
let store: EventStore;
/** The store's own client, kept to look at the tables. */
let sql: SqlClient;

// Each test its own empty store: replay's counts depend on what the store already holds.
beforeEach(async () => {
  ({ store, sql } = await memoryStore());
});
afterEach(() => store.close());

const deadLetterLine = (body: string) => {
  const log = captureLog();
  writeDeadLetter(log, {
    payload: body,
    reason: 'StoreError: down',
    receivedAt: arrived,
    verifiedAt: arrived,
    deliveryId: `dead-letter:${body.length}-${body.slice(-40)}`,
    requestId: 'r',
  });
  return log.lines[0]!;
};
const row = async (id: string) => (await sql.query<Record<string, unknown>>('SELECT * FROM vod_events WHERE id = $1', [id]))[0];

describe('replay', () => {
  const pullComplete = JSON.stringify(signed(seeds.pullComplete003Callback, SIGN_KEY, 0));
  const lines = [
    deadLetterLine(pullComplete),
    '',
    JSON.stringify(seeds.concatComplete002Callback),
    `2026-01-01T08:00:01.000Z\tc6af9ac6\t${deadLetterLine(JSON.stringify(seeds.pullEvents001[0]))}`,
    JSON.stringify({ level: 'info', message: 'callback stored', id: 'x', eventType: 'NewFileUpload', duplicate: false }),
    deadLetterLine('{"EventType":'),
    'START RequestId: c6af9ac6',
    '{"FileId": "1"}',
    '{"EventType": "NewFileUpload"',
  ];

  it('stores dead letters and raw bodies, and lists every other line with its reason', async () => {
    expect(await replay(lines, { store, clock, acceptUnverified: true })).toEqual({
      read: 8,
      stored: 3,
      duplicates: 0,
      alreadyReplayed: 0,
      recognised: 4,
      unverified: 0,
      skipped: [
        { line: 5, reason: 'a log line that is not a dead letter' },
        { line: 6, reason: expect.stringMatching(/^dead letter payload: body is not valid JSON: /) },
        { line: 7, reason: 'no JSON object on this line' },
        { line: 8, reason: 'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)' },
        { line: 9, reason: expect.stringMatching(/^not valid JSON: /) },
      ],
    });
  });

  const replayOnce = () => replay(lines, { store, clock, acceptUnverified: true });

  it('stores a dead letter as a callback that first arrived when VOD sent it, without re-checking its expired Sign', async () => {
    await replayOnce();
    const id = normalize(seeds.pullComplete003Callback, { source: 'callback' }).id;
    const stored = await row(id);
    expect(stored).toMatchObject({ source: 'callback', event_type: 'PullComplete', delivery_count: 1 });
    expect(new Date(stored!.first_received_at as string).toISOString()).toBe(arrived.toISOString());
  });

  it('stores a raw body as arriving now', async () => {
    await replayOnce();
    const stored = await row(normalize(seeds.concatComplete002Callback, { source: 'callback' }).id);
    expect(new Date(stored!.first_received_at as string).toISOString()).toBe(new Date(clock.now()).toISOString());
  });

  it('is harmless the second time: same rows, same delivery counts', async () => {
    await replayOnce();
    const figures = 'SELECT count(*)::int AS n, sum(delivery_count)::int AS deliveries FROM vod_events';
    const before = await sql.query(figures);
    expect(await replayOnce()).toMatchObject({
      read: 8,
      stored: 0,
      duplicates: 0,
      alreadyReplayed: 3,
    });
    expect(await sql.query(figures)).toEqual(before);
  });

  it('refuses raw bodies, which prove nothing about their origin, unless told to accept unverified lines', async () => {
    const raw = JSON.stringify({ EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['raw-unverified'] } });
    expect(await replay([raw], { store, clock })).toMatchObject({ read: 1, stored: 0, recognised: 1, unverified: 1 });
  });

  it('reads an async line source, as the CLI gives it', async () => {
    async function* source() {
      yield JSON.stringify({ EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['replay-async-1'] } });
    }
    expect(await replay(source(), { store, clock, acceptUnverified: true })).toMatchObject({
      read: 1,
      stored: 1,
      duplicates: 0,
      skipped: [],
    });
  });

  it('stops at the first store failure and says where', async () => {
    // A store over a port nothing listens on: every write is refused.
    const unreachable = createEventStore(openPostgres('postgres://nobody:x@127.0.0.1:1/none'));
    try {
      const summary = await replay([JSON.stringify(seeds.concatComplete002Callback), 'junk'], {
        store: unreachable,
        clock,
        acceptUnverified: true,
      });
      expect(summary).toMatchObject({ read: 1, stored: 0, duplicates: 0, skipped: [] });
      expect(summary.failed?.line).toBe(1);
      expect(summary.failed?.reason).toMatch(/^storing 1 event\(s\) failed, the store is unavailable: .*ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
  });
});

describe('replay of CLS exports of the function log', () => {
  // SCF puts each stdout line in the SCF_Message field (583/60336); CLS exports JSON lines or CSV (614/42798).
  const content = { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['exported-1'] } };
  const letter = deadLetterLine(JSON.stringify(content));

  it('finds a dead letter wrapped in a field of a JSON export line', async () => {
    const exported = JSON.stringify({
      SCF_FunctionName: 'callback',
      SCF_RequestId: 'r',
      SCF_Message: letter,
      SCF_LogTime: 1767225600000,
    });
    expect(await replay([exported], { store, clock })).toMatchObject({ read: 1, stored: 1, recognised: 1, skipped: [] });
  });

  it('finds a dead letter in a quoted field of a CSV export, header row skipped', async () => {
    const csv = (text: string) => `"${text.replaceAll('"', '""')}"`;
    const other = deadLetterLine(JSON.stringify({ ...content, FileDeleteEvent: { FileIdSet: ['exported-2'] } }));
    const lines = ['SCF_FunctionName,SCF_Message,SCF_RequestId', `callback,${csv(other)},r2`];
    expect(await replay(lines, { store, clock })).toMatchObject({
      read: 2,
      stored: 1,
      recognised: 1,
      skipped: [{ line: 1, reason: 'no JSON object on this line' }],
    });
  });
});
