import { parseJson } from '../events/lossless-json';
import type { ApiFormat, NormalizedEvent, Source } from '../events/types';
import type { HandledEvent } from './handler';

/** The columns of one `vod_events` row as the react queries select them (times as ISO text, payload as JSON text). */
export interface StoredEventRow {
  id: string;
  event_type: string;
  api_format: ApiFormat;
  source: Source;
  task_id: string | null;
  file_id: string | null;
  status: string | null;
  err_code: number | string | null;
  message: string | null;
  file_url: string | null;
  first_received_at: string;
  payload: string;
}

/** `vod_events`' columns in that shape; `alias` is the table's alias in the query. */
export const storedEventColumns = (alias: string) =>
  `${alias}.id, ${alias}.event_type, ${alias}.api_format, ${alias}.source, ${alias}.task_id, ${alias}.file_id, ${alias}.status,
  ${alias}.err_code, ${alias}.message, ${alias}.file_url,
  to_char(${alias}.first_received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_received_at,
  ${alias}.payload::text AS payload`;

/**
 * The event of a row, and its payload parsed losslessly: a number beyond a double reaches a
 * handler (and a forwarded body) as VOD sent it.
 */
export function eventOfRow(row: StoredEventRow): { event: HandledEvent & Pick<NormalizedEvent, 'payload'> } {
  return {
    event: {
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
      payload: parseJson(row.payload),
    },
  };
}
