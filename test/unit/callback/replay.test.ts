import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeadLetter } from '../../../lib/callback/dead-letter';
import { replay } from '../../../lib/callback/replay';
import { normalize } from '../../../lib/events/normalize';
import { createEventStore, type EventStore } from '../../../lib/store/event-store';
import { openEventStore } from '../../../lib/store/open-store';
import { openPostgres } from '../../../lib/store/postgres-client';
import seeds from '../../../samples/seed-events.json';
import { captureLog, SIGN_KEY, signed } from '../../helpers/callback-requests';
import { manualClock } from '../../helpers/manual-clock';

const clock = manualClock(Date.UTC(2026, 0, 2));
const arrived = new Date('2026-01-01T08:00:00.000Z');
let store: EventStore;

beforeAll(async () => {
  store = await openEventStore({ databaseUrl: undefined, pgliteDir: 'memory://' });
});
afterAll(() => store.close());

const deadLetterLine = (body: string) => {
  const log = captureLog();
  writeDeadLetter(log, { payload: body, reason: 'StoreError: down', receivedAt: arrived, requestId: 'r' });
  return log.lines[0]!;
};
const row = async (id: string) =>
  (await store.sql.query<Record<string, unknown>>('SELECT * FROM vod_events WHERE id = $1', [id]))[0];

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
    expect(await replay(lines, { store, clock })).toEqual({
      read: 8,
      stored: 3,
      duplicates: 0,
      skipped: [
        { line: 5, reason: 'a log line that is not a dead letter' },
        { line: 6, reason: expect.stringMatching(/^dead letter payload: body is not valid JSON: /) },
        { line: 7, reason: 'no JSON object on this line' },
        { line: 8, reason: 'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)' },
        { line: 9, reason: expect.stringMatching(/^not valid JSON: /) },
      ],
    });
  });

  it('stores a dead letter as a callback that first arrived when VOD sent it, without re-checking its expired Sign', async () => {
    const id = normalize(seeds.pullComplete003Callback, { source: 'callback' }).id;
    const stored = await row(id);
    expect(stored).toMatchObject({ source: 'callback', event_type: 'PullComplete', delivery_count: 1 });
    expect(new Date(stored!.first_received_at as string).toISOString()).toBe(arrived.toISOString());
  });

  it('stores a raw body as arriving now', async () => {
    const stored = await row(normalize(seeds.concatComplete002Callback, { source: 'callback' }).id);
    expect(new Date(stored!.first_received_at as string).toISOString()).toBe(new Date(clock.now()).toISOString());
  });

  it('is harmless the second time: same rows, counted as duplicates', async () => {
    const before = await store.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM vod_events');
    expect(await replay(lines, { store, clock })).toMatchObject({ read: 8, stored: 0, duplicates: 3 });
    expect(await store.sql.query('SELECT count(*)::int AS n FROM vod_events')).toEqual(before);
  });

  it('reads an async line source, as the CLI gives it', async () => {
    async function* source() {
      yield JSON.stringify({ EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['replay-async-1'] } });
    }
    expect(await replay(source(), { store, clock })).toEqual({ read: 1, stored: 1, duplicates: 0, skipped: [] });
  });

  it('stops at the first store failure and says where', async () => {
    // A store over a port nothing listens on: every write is refused.
    const unreachable = createEventStore(openPostgres('postgres://nobody:x@127.0.0.1:1/none'));
    try {
      const summary = await replay([JSON.stringify(seeds.concatComplete002Callback), 'junk'], { store: unreachable, clock });
      expect(summary).toMatchObject({ read: 1, stored: 0, duplicates: 0, skipped: [] });
      expect(summary.failed?.line).toBe(1);
      expect(summary.failed?.reason).toMatch(/^storing 1 event\(s\) failed, the store is unavailable: .*ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
  });
});
