import type { NormalizedEvent } from '../events/types';
import type { SqlClient } from './sql-client';
import { toStoreError } from './store-errors';

export interface UpsertResult {
  /** Events whose id was new. */
  inserted: number;
  /** Events already stored (earlier, or earlier in the same batch): their counts went up. */
  duplicates: number;
}

/**
 * One statement per batch. Repeats inside the batch are folded first (PostgreSQL refuses to
 * update one row twice in a statement), then new ids are inserted and known ids get
 * `delivery_count` raised by the number of deliveries and `last_received_at` moved forward.
 * `xmax = 0` is true exactly for rows this statement inserted.
 */
const UPSERT_SQL = `
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r(
    id text, event_type text, api_format text, source text, task_id text, file_id text,
    status text, err_code integer, message text, file_url text, deliveries integer, payload jsonb)
), written AS (
  INSERT INTO vod_events AS e (id, event_type, api_format, source, task_id, file_id, status, err_code,
                               message, file_url, first_received_at, last_received_at, delivery_count, payload)
  SELECT id, event_type, api_format, source, task_id, file_id, status, err_code,
         message, file_url, $2::text::timestamptz, $2::text::timestamptz, deliveries, payload
  FROM incoming
  ON CONFLICT (id) DO UPDATE SET
    delivery_count = e.delivery_count + excluded.delivery_count,
    last_received_at = greatest(e.last_received_at, excluded.last_received_at)
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted FROM written`;

function foldRepeats(events: readonly NormalizedEvent[]) {
  const rows = new Map<string, ReturnType<typeof toRow>>();
  for (const event of events) {
    const row = rows.get(event.id);
    if (row) row.deliveries += 1;
    else rows.set(event.id, toRow(event));
  }
  return [...rows.values()];
}

const toRow = (event: NormalizedEvent) => ({
  id: event.id,
  event_type: event.eventType,
  api_format: event.apiFormat,
  source: event.source,
  task_id: event.taskId,
  file_id: event.fileId,
  status: event.status,
  err_code: event.errCode,
  message: event.message,
  file_url: event.fileUrl,
  deliveries: 1,
  payload: event.payload,
});

export interface EventStore {
  /**
   * Stores a batch atomically: on success every event is durably stored (new, or counted as a
   * repeat delivery); on failure nothing is, and a `StoreError` says whether to retry.
   */
  upsert(events: readonly NormalizedEvent[], receivedAt: Date): Promise<UpsertResult>;
  close(): Promise<void>;
  readonly sql: SqlClient;
}

export function createEventStore(sql: SqlClient): EventStore {
  return {
    sql,
    async upsert(events, receivedAt) {
      if (events.length === 0) return { inserted: 0, duplicates: 0 };
      try {
        const [row] = await sql.query<{ inserted: number }>(UPSERT_SQL, [
          JSON.stringify(foldRepeats(events)),
          receivedAt.toISOString(),
        ]);
        const inserted = row?.inserted ?? 0;
        return { inserted, duplicates: events.length - inserted };
      } catch (error) {
        throw toStoreError(error, `storing ${events.length} event(s)`);
      }
    },
    close: () => sql.close(),
  };
}
