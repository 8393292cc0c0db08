import type { NormalizedEvent } from '../events/types';
import { fileState, projectEvents, type FileState } from '../state';
import type { SqlClient } from '../store/sql-client';
import { eventColumns, storedEventOf, type EventRow } from '../store/queries';
import { parseJson } from '../events/lossless-json';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface FileRow {
  lifecycle: string | null;
  name: string | null;
  media_url: string | null;
  cover_url: string | null;
  duration: number | string | null;
  size: number | string | null;
  outputs: string;
  review_suggestion: string | null;
  session_context: string | null;
  source_context: string | null;
  event_ids: string;
  first_event_at: string;
  last_event_at: string;
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

/**
 * The current state of one file: its `vod_files` row, merged in the statement that stored its
 * events. A database with STATE_PROJECTION=off has none: the state is then projected (lib/state)
 * from the file's stored events, which gives the same row.
 */
export async function readFileState(sql: SqlClient, fileId: string): Promise<FileState | null> {
  const [row] = await sql.query<FileRow>(
    `SELECT lifecycle, name, media_url, cover_url, duration, size, outputs::text AS outputs, review_suggestion, session_context,
       source_context, to_json(event_ids)::text AS event_ids, ${ISO('first_event_at')} AS first_event_at, ${ISO('last_event_at')} AS last_event_at
     FROM vod_files WHERE file_id = $1`,
    [fileId],
  );
  if (!row) return projectedFileState(sql, fileId);
  return {
    fileId,
    lifecycle: row.lifecycle as FileState['lifecycle'],
    name: row.name,
    mediaUrl: row.media_url,
    coverUrl: row.cover_url,
    duration: numberOrNull(row.duration),
    size: numberOrNull(row.size),
    outputs: JSON.parse(row.outputs) as FileState['outputs'],
    reviewSuggestion: row.review_suggestion,
    sessionContext: row.session_context,
    sourceContext: row.source_context,
    eventIds: JSON.parse(row.event_ids) as string[],
    firstEventAt: row.first_event_at,
    lastEventAt: row.last_event_at,
  };
}

async function projectedFileState(sql: SqlClient, fileId: string): Promise<FileState | null> {
  const rows = await sql.query<EventRow>(`SELECT ${eventColumns('e')} FROM vod_events AS e WHERE e.file_id = $1`, [fileId]);
  const events = rows.map((row) => {
    const { firstReceivedAt, lastReceivedAt: _last, deliveryCount: _count, ...event } = storedEventOf(row, parseJson);
    return { event: event satisfies NormalizedEvent, firstReceivedAt };
  });
  const facts = projectEvents(events).files.get(fileId);
  return facts ? fileState(facts) : null;
}
