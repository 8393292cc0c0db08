import type { NormalizedEvent } from '../events/types';
import { fileState, projectEvents, type FileState } from '../state';
import type { SqlClient } from '../store/sql-client';
import { eventColumns, firstArrivalOf, type EventRow } from '../store/queries';
import { fileRow } from '../store/state-queries';

/**
 * The current state of one file: its `vod_files` row, merged in the statement that stored its
 * events. A database with STATE_PROJECTION=off has none: the state is then projected (lib/state)
 * from the file's stored events, which gives the same row.
 */
export async function readFileState(sql: SqlClient, fileId: string): Promise<FileState | null> {
  return (await fileRow(sql, fileId)) ?? projectedFileState(sql, fileId);
}

async function projectedFileState(sql: SqlClient, fileId: string): Promise<FileState | null> {
  const rows = await sql.query<EventRow>(`SELECT ${eventColumns('e')} FROM vod_events AS e WHERE e.file_id = $1`, [fileId]);
  const events = rows.map((row) => {
    const { firstReceivedAt, ...event } = firstArrivalOf(row);
    return { event: event satisfies NormalizedEvent, firstReceivedAt };
  });
  const facts = projectEvents(events).files.get(fileId);
  return facts ? fileState(facts) : null;
}
