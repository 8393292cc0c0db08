import { safeText } from '../events/safe-payload';
import { NO_FIELDS, type NormalizedEvent } from '../events/types';
import type { SqlClient } from './sql-client';
import { StoreError } from '../errors';
import { toStoreError } from './store-errors';

export interface UpsertResult {
  /** Events whose id was new. */
  inserted: number;
  /** Events already stored (earlier, or earlier in the same batch): their counts went up. */
  duplicates: number;
}

/** Columns of one incoming row, in the order of its placeholders, with the cast each needs. */
const ROW_COLUMNS = [
  ['id', 'text'],
  ['event_type', 'text'],
  ['api_format', 'text'],
  ['source', 'text'],
  ['task_id', 'text'],
  ['file_id', 'text'],
  ['status', 'text'],
  ['err_code', 'integer'],
  ['message', 'text'],
  ['file_url', 'text'],
  ['delivery_count', 'integer'],
  ['payload', 'jsonb'],
] as const;

/** PostgreSQL allows 65,535 parameters in one statement; pulls bring 16 events, callbacks 1. */
export const MAX_EVENTS_PER_UPSERT = Math.floor((65_535 - 1) / ROW_COLUMNS.length);

/**
 * One statement per batch: new ids are inserted, known ids get `delivery_count` raised by the
 * number of deliveries and `last_received_at` moved forward. `xmax = 0` is true exactly for rows
 * this statement inserted. Every value travels as text and is cast in SQL ($1 is the receive
 * time), so both drivers send the same thing. A VALUES list is about 1.7× faster than unpacking
 * one jsonb array server-side (measured at 50 concurrent single-event upserts).
 */
function upsertSql(rows: number): string {
  const width = ROW_COLUMNS.length;
  const values = Array.from({ length: rows }, (_, row) => {
    const cells = ROW_COLUMNS.map(([, type], column) => {
      const placeholder = `$${2 + row * width + column}`;
      return type === 'text' ? placeholder : `${placeholder}::text::${type}`;
    });
    return `(${cells.join(', ')}, $1::text::timestamptz, $1::text::timestamptz)`;
  });
  return `INSERT INTO vod_events AS e (${ROW_COLUMNS.map(([name]) => name).join(', ')}, first_received_at, last_received_at)
VALUES ${values.join(',\n       ')}
ON CONFLICT (id) DO UPDATE SET
  delivery_count = e.delivery_count + excluded.delivery_count,
  last_received_at = greatest(e.last_received_at, excluded.last_received_at)
RETURNING (xmax = 0) AS inserted`;
}

const statements = new Map<number, string>();
const upsertSqlFor = (rows: number) => {
  let text = statements.get(rows);
  if (text === undefined) statements.set(rows, (text = upsertSql(rows)));
  return text;
};

const text = (value: string | number | null): string | null => (value === null ? null : String(value));

/** One row's parameters; repeats inside the batch are folded first, as PostgreSQL refuses to update one row twice in a statement. */
function rowParams(events: readonly NormalizedEvent[]): (string | null)[] {
  const rows = new Map<string, { event: NormalizedEvent; deliveries: number }>();
  for (const event of events) {
    const row = rows.get(event.id);
    if (row) row.deliveries += 1;
    else rows.set(event.id, { event, deliveries: 1 });
  }
  return [...rows.values()].flatMap(({ event, deliveries }) => [
    event.id,
    event.eventType,
    event.apiFormat,
    event.source,
    event.taskId,
    event.fileId,
    event.status,
    text(event.errCode),
    event.message,
    event.fileUrl,
    String(deliveries),
    JSON.stringify(event.payload),
  ]);
}

export interface EventStore {
  /**
   * Stores a batch: on success every event is durably stored (new, or counted as a repeat
   * delivery). When PostgreSQL refuses the batch's data, each event is stored on its own, and one
   * it still refuses is stored degraded (see `degraded`), so bad data never blocks a queue. Any
   * other failure is a `StoreError` of kind `unavailable`, and the caller must not treat the
   * batch as stored.
   */
  upsert(events: readonly NormalizedEvent[], receivedAt: Date, signal?: AbortSignal): Promise<UpsertResult>;
  close(): Promise<void>;
  readonly sql: SqlClient;
}

/**
 * An event PostgreSQL refused, as a row it accepts: no extracted columns, and the payload as one
 * JSON string with the refusal's reason. Its id is unchanged, so redeliveries still count on it.
 */
export function degraded(event: NormalizedEvent, reason: string): NormalizedEvent {
  return {
    ...event,
    ...NO_FIELDS,
    // Re-cleaned: the cut may split a surrogate pair.
    eventType: safeText(event.eventType.slice(0, 64)),
    payload: { unstorable: reason, json: JSON.stringify(event.payload) },
  };
}

const add = (a: UpsertResult, b: UpsertResult): UpsertResult => ({
  inserted: a.inserted + b.inserted,
  duplicates: a.duplicates + b.duplicates,
});

export function createEventStore(sql: SqlClient): EventStore {
  async function write(events: readonly NormalizedEvent[], receivedAt: Date, signal?: AbortSignal): Promise<UpsertResult> {
    const params = rowParams(events);
    try {
      const rows = await sql.query<{ inserted: boolean }>(
        upsertSqlFor(params.length / ROW_COLUMNS.length),
        [receivedAt.toISOString(), ...params],
        signal,
      );
      const inserted = rows.filter((row) => row.inserted).length;
      return { inserted, duplicates: events.length - inserted };
    } catch (error) {
      throw toStoreError(error, `storing ${events.length} event(s)`);
    }
  }

  async function writeAlone(event: NormalizedEvent, receivedAt: Date, signal?: AbortSignal): Promise<UpsertResult> {
    try {
      return await write([event], receivedAt, signal);
    } catch (error) {
      if (!(error instanceof StoreError && error.kind === 'rejected')) throw error;
      return write([degraded(event, error.message)], receivedAt, signal);
    }
  }

  return {
    sql,
    async upsert(events, receivedAt, signal) {
      if (events.length === 0) return { inserted: 0, duplicates: 0 };
      if (events.length > MAX_EVENTS_PER_UPSERT) {
        throw new RangeError(`one upsert takes at most ${MAX_EVENTS_PER_UPSERT} events, got ${events.length}`);
      }
      try {
        return await write(events, receivedAt, signal);
      } catch (error) {
        if (!(error instanceof StoreError && error.kind === 'rejected')) throw error;
        let total: UpsertResult = { inserted: 0, duplicates: 0 };
        for (const event of events) total = add(total, await writeAlone(event, receivedAt, signal));
        return total;
      }
    },
    close: () => sql.close(),
  };
}
