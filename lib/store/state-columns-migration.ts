/**
 * Migration 5: the readable columns of `vod_files`/`vod_tasks` become plain columns that a
 * BEFORE INSERT OR UPDATE trigger sets from the row's `ranks`, with the same expressions migration
 * 3 generated them with. Why: PostgreSQL plans a stored generated column's expression again in
 * every statement that writes the table (it is not part of the prepared plan), which cost the
 * callback's one statement ~0.25 ms per state table (≈ 40 % of its server time); a PL/pgSQL
 * trigger's expressions are planned once per session. The guarantee is unchanged: every write,
 * a direct `UPDATE` of a column included, recomputes every column from `ranks`.
 *
 * The GIN index on `vod_tasks.file_ids` stops using its pending list (`fastupdate`): with it, an
 * insert is cheap until the list passes `gin_pending_list_limit` (4 MB), and then the one insert
 * that crosses it merges the whole list — a callback answering in hundreds of milliseconds, every
 * few ten thousand tasks. A task has one or two file ids, so a direct index insert costs little.
 *
 * `DROP EXPRESSION` exists from PostgreSQL 13 on: an older server is refused with one line naming
 * the version (PostgreSQL 12 has been out of support since November 2024).
 *
 * `DROP EXPRESSION IF EXISTS` keeps the columns' values and is a no-op when reapplied to a table
 * this migration already converted; a table migration 3 recreates (after someone dropped it) is
 * converted again.
 */
const dropExpressions = (table: string, columns: readonly string[]) =>
  `ALTER TABLE ${table} ${columns.map((column) => `ALTER COLUMN ${column} DROP EXPRESSION IF EXISTS`).join(', ')}`;

const columnsTrigger = (table: string, assignments: string) => `CREATE OR REPLACE FUNCTION ${table}_columns() RETURNS trigger
LANGUAGE plpgsql AS $f$ BEGIN
${assignments}
  RETURN NEW; END $f$;
DROP TRIGGER IF EXISTS ${table}_columns ON ${table};
CREATE TRIGGER ${table}_columns BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_columns();`;

export const STATE_COLUMNS_MIGRATION_SQL = `
DO $v$ BEGIN IF current_setting('server_version_num')::int < 130000 THEN RAISE EXCEPTION 'vod-events needs PostgreSQL 13 or later (this server is %)', current_setting('server_version'); END IF; END $v$;
${dropExpressions('vod_files', ['lifecycle', 'name', 'media_url', 'cover_url', 'duration', 'size', 'outputs', 'review_suggestion', 'session_context', 'source_context'])};
${columnsTrigger(
  'vod_files',
  `  NEW.lifecycle := vod_state_text(NEW.ranks, 'lifecycle');
  NEW.name := vod_state_text(NEW.ranks, 'name');
  NEW.media_url := vod_state_text(NEW.ranks, 'media_url');
  NEW.cover_url := vod_state_text(NEW.ranks, 'cover_url');
  NEW.duration := vod_state_number(NEW.ranks, 'duration');
  NEW.size := CASE WHEN NEW.ranks->'size'->>'value' ~ '^-?[0-9]{1,18}$' THEN (NEW.ranks->'size'->>'value')::bigint END;
  NEW.outputs := vod_state_outputs(NEW.ranks);
  NEW.review_suggestion := vod_state_text(NEW.ranks, 'review_suggestion');
  NEW.session_context := vod_state_text(NEW.ranks, 'session_context');
  NEW.source_context := vod_state_text(NEW.ranks, 'source_context');`,
)}
${dropExpressions('vod_tasks', ['kind', 'status', 'err_code', 'message', 'progress', 'file_ids'])};
${columnsTrigger(
  'vod_tasks',
  `  NEW.kind := vod_state_text(NEW.ranks, 'kind');
  NEW.status := NEW.ranks->'outcome'->'value'->>'status';
  NEW.err_code := CASE WHEN NEW.ranks->'outcome'->'value'->>'errCode' ~ '^-?[0-9]{1,9}$' THEN (NEW.ranks->'outcome'->'value'->>'errCode')::integer END;
  NEW.message := NEW.ranks->'outcome'->'value'->>'message';
  NEW.progress := vod_state_number(NEW.ranks, 'progress');
  NEW.file_ids := vod_state_file_ids(NEW.ranks);`,
)}
ALTER INDEX vod_tasks_file_ids SET (fastupdate = off);`;
