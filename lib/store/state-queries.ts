import { parseJson } from '../events/lossless-json';
import type { FileState, TaskState } from '../state';
import { eventColumns, ISO_UTC, storedEventOf, type EventRow, type StoredEvent } from './queries';
import type { SqlClient, SqlTransaction } from './sql-client';
import { stateProjection, type StateTables } from './state-projection';
import { toStoreError } from './store-errors';

/**
 * Reads of `vod_files`/`vod_tasks` and their rebuild from `vod_events` (docs/state.md). Rows come
 * out as one JSON text each, built in SQL from the readable columns, so both drivers give the
 * same values (postgres.js runs without type fetching).
 */

const at = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_UTC})`;

const FILE_JSON = `json_build_object('fileId', f.file_id, 'lifecycle', f.lifecycle, 'name', f.name, 'mediaUrl', f.media_url,
  'coverUrl', f.cover_url, 'duration', f.duration, 'size', f.size, 'outputs', f.outputs, 'reviewSuggestion', f.review_suggestion,
  'sessionContext', f.session_context, 'sourceContext', f.source_context, 'eventIds', f.event_ids,
  'firstEventAt', ${at('f.first_event_at')}, 'lastEventAt', ${at('f.last_event_at')})::text`;

const TASK_JSON = `json_build_object('taskId', t.task_id, 'kind', t.kind, 'status', t.status, 'errCode', t.err_code, 'message', t.message,
  'fileIds', t.file_ids, 'progress', t.progress, 'eventIds', t.event_ids,
  'firstEventAt', ${at('t.first_event_at')}, 'lastEventAt', ${at('t.last_event_at')})::text`;

const parsed = <T>(rows: { row: string }[]): T[] => rows.map((row) => JSON.parse(row.row) as T);

export interface FilesFilter {
  /** Only files in this lifecycle stage (`uploaded`, `processing`, `ready`, `failed`, `deleted`). */
  status?: string;
  /** Only files still `processing` whose newest event arrived at least this long before `now`. */
  stuckForMs?: number;
  now: Date;
  limit: number;
}

/** One file: its row, the tasks that name it, and the events about it, oldest first. */
export interface FileReport {
  file: FileState | null;
  tasks: TaskState[];
  events: StoredEvent[];
}

export interface RebuildResult {
  /** Events read from `vod_events` (each once). */
  events: number;
  files: number;
  tasks: number;
}

async function guarded<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error, doing);
  }
}

const FILES_SQL = `SELECT ${FILE_JSON} AS row FROM vod_files AS f
WHERE ($1::text IS NULL OR f.lifecycle = $1::text)
  AND ($2::text IS NULL OR (f.lifecycle = 'processing' AND f.last_event_at <= $3::text::timestamptz - $2::text::bigint * interval '1 millisecond'))
ORDER BY f.last_event_at DESC, f.file_id
LIMIT $4::text::int`;

export function listFiles(sql: SqlClient, filter: FilesFilter): Promise<FileState[]> {
  const params = [
    filter.status ?? null,
    filter.stuckForMs === undefined ? null : String(filter.stuckForMs),
    filter.now.toISOString(),
    String(filter.limit),
  ];
  return guarded('listing files', async () => parsed<FileState>(await sql.query(FILES_SQL, params)));
}

/** One file's `vod_files` row; `null` when it has none. */
export function fileRow(sql: SqlClient, fileId: string): Promise<FileState | null> {
  return guarded(`reading file ${fileId}`, async () => {
    const [file] = parsed<FileState>(
      await sql.query(`SELECT ${FILE_JSON} AS row FROM vod_files AS f WHERE f.file_id = $1`, [fileId]),
    );
    return file ?? null;
  });
}

export async function fileReport(sql: SqlClient, fileId: string): Promise<FileReport> {
  const file = await fileRow(sql, fileId);
  return guarded(`reading file ${fileId}`, async () => {
    const tasks = parsed<TaskState>(
      await sql.query(
        `SELECT ${TASK_JSON} AS row FROM vod_tasks AS t WHERE t.file_ids @> ARRAY[$1::text] ORDER BY t.first_event_at, t.task_id`,
        [fileId],
      ),
    );
    const rows = await sql.query<EventRow>(
      `SELECT ${eventColumns('e')} FROM vod_events AS e
       WHERE e.file_id = $1 OR e.id = ANY (coalesce((SELECT event_ids FROM vod_files WHERE file_id = $1), '{}'))
       ORDER BY e.first_received_at, e.id`,
      [fileId],
    );
    return { file, tasks, events: rows.map((row) => storedEventOf(row)) };
  });
}

/** Every row of both tables, in id order: what tests and the chaos suite compare with a rebuild. */
export async function stateRows(sql: SqlClient): Promise<{ files: FileState[]; tasks: TaskState[] }> {
  return guarded('reading the state tables', async () => ({
    files: parsed<FileState>(await sql.query(`SELECT ${FILE_JSON} AS row FROM vod_files AS f ORDER BY f.file_id COLLATE "C"`)),
    tasks: parsed<TaskState>(await sql.query(`SELECT ${TASK_JSON} AS row FROM vod_tasks AS t ORDER BY t.task_id COLLATE "C"`)),
  }));
}

const REBUILD_TABLES: StateTables = { files: 'vod_files_rebuild', tasks: 'vod_tasks_rebuild' };
const REBUILD_BATCH = 500;
const rebuildProjection = stateProjection(REBUILD_TABLES);

/** The batch's events as `stored`, each counted new, and recorded as folded in `vod_events_rebuilt`. */
const APPLY_SQL = `WITH stored AS (
  SELECT e.id, e.first_received_at, true AS inserted FROM vod_events AS e WHERE e.id = ANY (string_to_array($1, ','))
), rebuilt AS (
  INSERT INTO vod_events_rebuilt (id) SELECT id FROM stored ON CONFLICT DO NOTHING
),
${rebuildProjection.ctes(2)}
SELECT count(*)::int AS count FROM stored`;

/** Folds every event `select` returns ($1: the id after which to continue) into the rebuild tables, a batch at a time. */
async function foldEvents(tx: SqlTransaction, select: string): Promise<number> {
  let after = '';
  let total = 0;
  for (;;) {
    const rows = await tx.query<EventRow>(select, [after, String(REBUILD_BATCH)]);
    if (rows.length === 0) return total;
    // Parsed as the functions parse what they receive, so numbers a double cannot hold contribute as they did live.
    const events = rows.map((row) => storedEventOf(row, parseJson));
    await tx.query(APPLY_SQL, [events.map((event) => event.id).join(','), ...rebuildProjection.params(events)]);
    total += events.length;
    after = rows[rows.length - 1]!.id;
  }
}

// Keyset pages in the primary key's own order, so each page is an index range.
const SCAN_SQL = `SELECT ${eventColumns('e')} FROM vod_events AS e WHERE e.id > $1 ORDER BY e.id LIMIT $2::text::int`;
const MISSED_SQL = `SELECT ${eventColumns('e')} FROM vod_events AS e
WHERE e.id > $1 AND NOT EXISTS (SELECT 1 FROM vod_events_rebuilt AS r WHERE r.id = e.id)
ORDER BY e.id LIMIT $2::text::int`;

/**
 * Recomputes `vod_files`/`vod_tasks` from `vod_events`, in one transaction, while the functions
 * keep writing: (1) every event is folded into fresh temporary tables, in batches, without
 * blocking anyone; (2) `vod_events` and the state tables are locked against writes (reads go on;
 * a writer's statement waits), and the events committed meanwhile — those not yet folded — are
 * folded too; (3) the state tables are replaced by the fresh ones. Writers wait only for (2)
 * and (3); the old rows never survive, so a precedence change takes effect. Running it again gives
 * the same tables: the state is a function of the set of events.
 */
export function rebuildState(sql: SqlClient): Promise<RebuildResult> {
  return guarded('rebuilding vod_files and vod_tasks', () =>
    sql.transaction(async (tx) => {
      for (const statement of [
        'SET LOCAL statement_timeout = 0',
        'CREATE TEMP TABLE vod_files_rebuild (LIKE vod_files INCLUDING INDEXES) ON COMMIT DROP',
        'CREATE TEMP TABLE vod_tasks_rebuild (LIKE vod_tasks INCLUDING INDEXES) ON COMMIT DROP',
        'CREATE TEMP TABLE vod_events_rebuilt (id text PRIMARY KEY) ON COMMIT DROP',
      ]) {
        await tx.query(statement);
      }
      let events = await foldEvents(tx, SCAN_SQL);
      await tx.query('LOCK TABLE vod_events, vod_files, vod_tasks IN EXCLUSIVE MODE');
      events += await foldEvents(tx, MISSED_SQL);
      // DELETE, not TRUNCATE: TRUNCATE takes an ACCESS EXCLUSIVE lock until commit, which would stop
      // readers (`files`, a handler's file(), the app's own SELECTs); DELETE leaves them their snapshot.
      await tx.query('DELETE FROM vod_files');
      await tx.query('DELETE FROM vod_tasks');
      const columns = 'ranks, event_ids, first_event_at, last_event_at';
      const [files] = await tx.query<{ n: number }>(
        `WITH copied AS (INSERT INTO vod_files (file_id, ${columns}) SELECT file_id, ${columns} FROM vod_files_rebuild RETURNING 1) SELECT count(*)::int AS n FROM copied`,
      );
      const [tasks] = await tx.query<{ n: number }>(
        `WITH copied AS (INSERT INTO vod_tasks (task_id, ${columns}) SELECT task_id, ${columns} FROM vod_tasks_rebuild RETURNING 1) SELECT count(*)::int AS n FROM copied`,
      );
      return { events, files: files?.n ?? 0, tasks: tasks?.n ?? 0 };
    }),
  );
}
