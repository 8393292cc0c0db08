import { parseJson } from '../events/lossless-json';
import type { ApiFormat, NormalizedEvent, Source } from '../events/types';
import { fileState, projectEvents, type FileState } from '../state';
import type { SqlClient } from '../store/sql-client';

interface EventRow {
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

/** The current state of one file: the projection (lib/state) of every stored event of that FileId. */
export async function readFileState(sql: SqlClient, fileId: string): Promise<FileState | null> {
  const rows = await sql.query<EventRow>(
    `SELECT id, event_type, api_format, source, task_id, file_id, status, err_code, message, file_url,
       to_char(first_received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_received_at, payload::text AS payload
     FROM vod_events WHERE file_id = $1`,
    [fileId],
  );
  const events = rows.map((row) => ({
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
      payload: parseJson(row.payload),
    } satisfies NormalizedEvent,
    firstReceivedAt: new Date(row.first_received_at),
  }));
  const facts = projectEvents(events).files.get(fileId);
  return facts ? fileState(facts) : null;
}
