import type { SqlClient } from './sql-client';

/** Any fixed number: it only has to be the same for every process migrating this database. */
const MIGRATION_LOCK_ID = 0x766f6465; // "vode"

/**
 * Creates `vod_events`, `vod_callback_deliveries` (which signature pair or replayed dead letter
 * came with which event: see `Delivery` in event-store.ts) and their indexes if missing. Idempotent, and safe when two cold starts race:
 * the transaction-scoped advisory lock makes the second wait and then find everything in place
 * (bare `CREATE TABLE IF NOT EXISTS` can still fail on a race in pg_type).
 */
export const SCHEMA_SQL = `
SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID});
CREATE TABLE IF NOT EXISTS vod_events (
  id                text PRIMARY KEY,
  event_type        text NOT NULL,
  api_format        text NOT NULL CHECK (api_format IN ('v3', 'v2', 'v2-legacy')),
  source            text NOT NULL CHECK (source IN ('pull', 'callback')),
  task_id           text,
  file_id           text,
  status            text,
  err_code          integer,
  message           text,
  file_url          text,
  first_received_at timestamptz NOT NULL,
  last_received_at  timestamptz NOT NULL,
  delivery_count    integer NOT NULL DEFAULT 1,
  payload           jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS vod_events_first_received_at ON vod_events (first_received_at);
CREATE INDEX IF NOT EXISTS vod_events_event_type ON vod_events (event_type, first_received_at);
CREATE INDEX IF NOT EXISTS vod_events_task_id ON vod_events (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS vod_events_file_id ON vod_events (file_id) WHERE file_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS vod_callback_deliveries (
  delivery_key  text NOT NULL,
  event_id      text NOT NULL,
  expires_at    timestamptz NOT NULL,
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (delivery_key, event_id)
);
CREATE INDEX IF NOT EXISTS vod_callback_deliveries_expires_at ON vod_callback_deliveries (expires_at);
`;

/** Every object `SCHEMA_SQL` creates; when all exist, the DDL (and its table lock) is skipped. */
const SCHEMA_OBJECTS = [
  'vod_events',
  'vod_events_first_received_at',
  'vod_events_event_type',
  'vod_events_task_id',
  'vod_events_file_id',
  'vod_callback_deliveries',
  'vod_callback_deliveries_expires_at',
];
const SCHEMA_PRESENT_SQL = `SELECT ${SCHEMA_OBJECTS.map((name) => `to_regclass('${name}') IS NOT NULL`).join(' AND ')} AS present`;

/**
 * Creates what is missing. Checked first because `CREATE INDEX IF NOT EXISTS` takes a lock on the
 * table even when the index exists, so every cold start would queue behind (and block) writers.
 */
export async function migrate(sql: SqlClient): Promise<void> {
  const [row] = await sql.query<{ present: boolean }>(SCHEMA_PRESENT_SQL);
  if (row?.present) return;
  // One script is one implicit transaction, so the advisory lock is held until it ends.
  await sql.exec(SCHEMA_SQL);
}
