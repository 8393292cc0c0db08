import { parseJson } from '../events/lossless-json';
import type { ApiFormat, NormalizedEvent, Source } from '../events/types';
import type { SqlClient } from './sql-client';
import { toStoreError } from './store-errors';

/** One stored event as read back for people and scripts. */
export interface StoredEvent extends NormalizedEvent {
  firstReceivedAt: Date;
  lastReceivedAt: Date;
  deliveryCount: number;
}

export interface ListFilter {
  type?: string;
  /** Only events first received at or after this instant. */
  since?: Date;
  limit: number;
}

export interface EventStats {
  total: number;
  /** Deliveries beyond the first, summed over all events: what deduplication absorbed. */
  duplicateDeliveries: number;
  /** When the newest event was first received; `null` for an empty store. */
  newestAt: Date | null;
  /** Event count per type and per source, largest first. */
  byType: Record<string, number>;
  bySource: Record<string, number>;
}

/**
 * Both drivers must return the same JS values, and postgres.js runs without type fetching, so
 * parameters go in as text and results come out as text, int or JSON text, converted here.
 */
export const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The columns of `vod_events AS <alias>` that `storedEventOf` reads. */
export const eventColumns = (alias: string) =>
  `${alias}.id, ${alias}.event_type, ${alias}.api_format, ${alias}.source, ${alias}.task_id, ${alias}.file_id, ${alias}.status,
       ${alias}.err_code, ${alias}.message, ${alias}.file_url,
       to_char(${alias}.first_received_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS first_received_at,
       to_char(${alias}.last_received_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS last_received_at,
       ${alias}.delivery_count, ${alias}.payload::text AS payload`;

const LIST_SQL = `
SELECT ${eventColumns('e')}
FROM vod_events AS e
WHERE ($1::text IS NULL OR e.event_type = $1::text)
  AND ($2::text IS NULL OR e.first_received_at >= $2::text::timestamptz)
ORDER BY e.first_received_at DESC, e.id
LIMIT $3::text::int`;

export interface EventRow {
  id: string;
  event_type: string;
  // The table's CHECK constraints hold these to the two closed sets.
  api_format: ApiFormat;
  source: Source;
  task_id: string | null;
  file_id: string | null;
  status: string | null;
  err_code: number | string | null;
  message: string | null;
  file_url: string | null;
  first_received_at: string;
  last_received_at: string;
  delivery_count: number;
  payload: string;
}

/** Stored events, newest first by first receipt. */
export async function listEvents(sql: SqlClient, filter: ListFilter): Promise<StoredEvent[]> {
  const rows = await sql
    .query<EventRow>(LIST_SQL, [filter.type ?? null, filter.since?.toISOString() ?? null, String(filter.limit)])
    .catch((error: unknown) => {
      throw toStoreError(error, 'listing events');
    });
  return rows.map((row) => storedEventOf(row));
}

/**
 * A row as a stored event. Code that acts on the payload (a rebuild, a handler, a forward) parses
 * it with `parseJson`, so a number beyond a double stays as VOD sent it; display keeps `JSON.parse`.
 */
export function storedEventOf(row: EventRow, parsePayload: (text: string) => unknown = JSON.parse): StoredEvent {
  return {
    id: row.id,
    eventType: row.event_type,
    apiFormat: row.api_format,
    source: row.source,
    taskId: row.task_id,
    fileId: row.file_id,
    status: row.status,
    errCode: row.err_code === null ? null : Number(row.err_code),
    message: row.message,
    fileUrl: row.file_url,
    firstReceivedAt: new Date(row.first_received_at),
    lastReceivedAt: new Date(row.last_received_at),
    deliveryCount: row.delivery_count,
    payload: parsePayload(row.payload),
  };
}

/**
 * A row as code that acts on the event sees it: as it first arrived (the delivery count and the
 * last arrival keep changing), its payload parsed losslessly.
 */
export function firstArrivalOf(row: EventRow): NormalizedEvent & { firstReceivedAt: Date } {
  const { lastReceivedAt: _last, deliveryCount: _count, ...event } = storedEventOf(row, parseJson);
  return event;
}

/**
 * One statement, so every figure comes from the same snapshot. `grouping()` tells the sets
 * apart: 1 = per type, 2 = per source, 3 = the whole table (present even when it is empty).
 */
const STATS_SQL = `
SELECT grouping(event_type, source)::int AS level, event_type, source, count(*)::int AS count,
       coalesce(sum(delivery_count - 1), 0)::int AS duplicates,
       to_char(max(first_received_at) AT TIME ZONE 'UTC', ${ISO_UTC}) AS newest
FROM vod_events
GROUP BY GROUPING SETS ((event_type), (source), ())
ORDER BY count DESC, event_type, source`;

interface StatsRow {
  level: 1 | 2 | 3;
  event_type: string | null;
  source: string | null;
  count: number;
  duplicates: number;
  newest: string | null;
}

export async function eventStats(sql: SqlClient): Promise<EventStats> {
  const rows = await sql.query<StatsRow>(STATS_SQL).catch((error: unknown) => {
    throw toStoreError(error, 'reading event statistics');
  });
  const whole = rows.find((row) => row.level === 3);
  return {
    total: whole?.count ?? 0,
    duplicateDeliveries: whole?.duplicates ?? 0,
    newestAt: whole?.newest ? new Date(whole.newest) : null,
    byType: Object.fromEntries(rows.filter((row) => row.level === 1).map((row) => [row.event_type, row.count])),
    bySource: Object.fromEntries(rows.filter((row) => row.level === 2).map((row) => [row.source, row.count])),
  };
}
