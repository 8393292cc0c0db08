import type { SqlClient } from '../store/sql-client';
import { RUN_STATUSES, type RunStatus } from './runs-store';

/** One run as `vod-events runs` shows it. */
export interface RunRow {
  eventId: string;
  handler: string;
  status: RunStatus;
  attempts: number;
  eventType: string;
  fileId: string | null;
  createdAt: Date;
  /** When a pending/failed run may start; when a running one's lease ends. */
  dueAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
}

export interface RunFilter {
  handler?: string;
  status?: RunStatus;
  /** Runs created at or after this instant. */
  since?: Date;
  limit: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function listRuns(sql: SqlClient, filter: RunFilter): Promise<RunRow[]> {
  const rows = await sql.query<Record<string, string | number | null>>(
    `SELECT r.event_id, r.handler, r.status, r.attempts, e.event_type, e.file_id, ${ISO('r.created_at')} AS created_at,
       ${ISO('r.due_at')} AS due_at, ${ISO('r.finished_at')} AS finished_at, r.last_error
     FROM vod_handler_runs AS r JOIN vod_events AS e ON e.id = r.event_id
     WHERE ($1::text IS NULL OR r.handler = $1) AND ($2::text IS NULL OR r.status = $2)
       AND ($3::text IS NULL OR r.created_at >= $3::text::timestamptz)
     ORDER BY r.created_at DESC, r.seq DESC LIMIT $4::text::int`,
    [filter.handler ?? null, filter.status ?? null, filter.since?.toISOString() ?? null, String(filter.limit)],
  );
  return rows.map((row) => ({
    eventId: String(row.event_id),
    handler: String(row.handler),
    status: row.status as RunStatus,
    attempts: Number(row.attempts),
    eventType: String(row.event_type),
    fileId: row.file_id === null ? null : String(row.file_id),
    createdAt: new Date(String(row.created_at)),
    dueAt: new Date(String(row.due_at)),
    finishedAt: row.finished_at === null ? null : new Date(String(row.finished_at)),
    lastError: row.last_error === null ? null : String(row.last_error),
  }));
}

export interface RunStats {
  byStatus: Record<RunStatus, number>;
  /** Seconds since the oldest run not yet finished (pending, running or failed) was created; 0 when there is none. */
  oldestPendingAgeS: number;
}

export async function runStats(sql: SqlClient, now: Date): Promise<RunStats> {
  const rows = await sql.query<{ status: RunStatus; count: number | string }>(
    `SELECT status, count(*) AS count FROM vod_handler_runs GROUP BY status`,
  );
  const [oldest] = await sql.query<{ age: number | string | null }>(
    `SELECT extract(epoch FROM $1::text::timestamptz - min(created_at)) AS age
     FROM vod_handler_runs WHERE status IN ('pending', 'running', 'failed')`,
    [now.toISOString()],
  );
  const byStatus = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const row of rows) byStatus[row.status] = Number(row.count);
  return { byStatus, oldestPendingAgeS: Math.max(0, Math.round(Number(oldest?.age ?? 0))) };
}

export type ReplaySelection = { status: 'dead' | 'failed' } | { since: Date; until?: Date } | { eventId: string };

/**
 * Sets the selected runs of `handler` back to pending, due now, with their attempts reset.
 * A run that is `succeeded` is left alone unless `force`; one `running` is always left alone
 * (its attempt may still be under way). Resolves to the number of runs reset.
 */
export async function replayRuns(
  sql: SqlClient,
  handler: string,
  selection: ReplaySelection,
  force: boolean,
  now: Date,
): Promise<number> {
  const statuses =
    'status' in selection
      ? [selection.status]
      : force
        ? ['failed', 'dead', 'succeeded', 'pending']
        : ['failed', 'dead', 'pending'];
  const rows = await sql.query<{ event_id: string }>(
    `UPDATE vod_handler_runs SET status = 'pending', attempts = 0, due_at = $2::text::timestamptz, lease_token = NULL, finished_at = NULL
     WHERE handler = $1 AND status = ANY (string_to_array($3::text, ','))
       AND ($4::text IS NULL OR created_at >= $4::text::timestamptz)
       AND ($5::text IS NULL OR created_at < $5::text::timestamptz)
       AND ($6::text IS NULL OR event_id = $6)
     RETURNING event_id`,
    [
      handler,
      now.toISOString(),
      statuses.join(','),
      'since' in selection ? selection.since.toISOString() : null,
      'since' in selection ? (selection.until?.toISOString() ?? null) : null,
      'eventId' in selection ? selection.eventId : null,
    ],
  );
  return rows.length;
}
