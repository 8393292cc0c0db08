/**
 * The schema, as an ordered list of migrations. A database records the ones it has in
 * `vod_schema_migrations`; `migrate()` applies the missing ones in order. Append new migrations at
 * the end and never edit one that has shipped: databases out there have already run it.
 *
 * Each `sql` is idempotent (`IF NOT EXISTS`), because databases from before this list have the
 * objects of the first two without a version row, and because a dropped table is recreated by
 * running every migration again (`migrate(sql, { reapply: true })`).
 */
import { STATE_COLUMNS_MIGRATION_SQL } from './state-columns-migration';
import { STATE_MIGRATION_SQL } from './state-migration';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'vod_events',
    sql: `
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
CREATE INDEX IF NOT EXISTS vod_events_file_id ON vod_events (file_id) WHERE file_id IS NOT NULL;`,
  },
  {
    // Which signature pair or replayed dead letter came with which event (see `Delivery` in event-store.ts).
    version: 2,
    name: 'vod_callback_deliveries',
    sql: `
CREATE TABLE IF NOT EXISTS vod_callback_deliveries (
  delivery_key  text NOT NULL,
  event_id      text NOT NULL,
  expires_at    timestamptz NOT NULL,
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (delivery_key, event_id)
);
CREATE INDEX IF NOT EXISTS vod_callback_deliveries_expires_at ON vod_callback_deliveries (expires_at);`,
  },
  {
    // The current state per file and per task, merged in the events' statements (docs/state.md).
    version: 3,
    name: 'vod_files, vod_tasks',
    sql: STATE_MIGRATION_SQL,
  },
  {
    // One run per (event, matching handler), written with the event (lib/react/outbox.ts). `due_at`
    // is when a pending or failed run may start, and for a running one when its lease ends.
    // `order_key` is the FileId for handlers with orderBy 'file'; `seq` is the arrival order.
    version: 4,
    name: 'vod_handler_runs',
    sql: `
CREATE TABLE IF NOT EXISTS vod_handler_runs (
  event_id    text NOT NULL,
  handler     text NOT NULL,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'dead')),
  order_key   text,
  attempts    integer NOT NULL DEFAULT 0,
  due_at      timestamptz NOT NULL,
  lease_token text,
  created_at  timestamptz NOT NULL,
  started_at  timestamptz,
  finished_at timestamptz,
  last_error  text,
  PRIMARY KEY (event_id, handler)
);
CREATE INDEX IF NOT EXISTS vod_handler_runs_due ON vod_handler_runs (due_at) WHERE status IN ('pending', 'running', 'failed');
CREATE INDEX IF NOT EXISTS vod_handler_runs_order ON vod_handler_runs (handler, order_key, seq) WHERE order_key IS NOT NULL AND status IN ('pending', 'running', 'failed');
CREATE INDEX IF NOT EXISTS vod_handler_runs_handler ON vod_handler_runs (handler, status, created_at);`,
  },
  {
    // The state tables' readable columns set by a trigger instead of generated (see the file).
    version: 5,
    name: 'vod_files, vod_tasks columns by trigger',
    sql: STATE_COLUMNS_MIGRATION_SQL,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);
