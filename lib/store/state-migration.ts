/**
 * Migration 3: the state tables `vod_files` and `vod_tasks` (docs/state.md). A row stores the
 * merged facts (`ranks`, the jsonb form of `Facts.fields`); every readable column is generated
 * from `ranks` by an IMMUTABLE function that mirrors lib/state/rows.ts, so the columns can never
 * disagree with the ranks they come from.
 *
 * The migration runner ends a statement at a `;` that ends a line before an unindented line.
 * Functions that read a table function (`jsonb_each`) are PL/pgSQL, whose plans are cached per
 * session; a non-inlinable SQL function would be planned again in every statement that calls it.
 */
export const STATE_MIGRATION_SQL = `
CREATE OR REPLACE FUNCTION vod_state_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$ BEGIN RETURN (
  SELECT coalesce(jsonb_object_agg(name, entry), '{}'::jsonb) FROM (
    SELECT DISTINCT ON (name) name, entry
    FROM (SELECT * FROM jsonb_each(coalesce(a, '{}'::jsonb)) UNION ALL SELECT * FROM jsonb_each(coalesce(b, '{}'::jsonb))) AS e(name, entry)
    ORDER BY name, (entry->>'rank')::numeric DESC, entry->>'key' COLLATE "C" DESC
  ) AS winners
); END $f$;
CREATE OR REPLACE FUNCTION vod_state_union(a text[], b text[]) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$ BEGIN RETURN (
  SELECT coalesce(array_agg(id ORDER BY id COLLATE "C"), '{}') FROM (SELECT DISTINCT id FROM unnest(a || b) AS u(id)) AS ids
); END $f$;
CREATE OR REPLACE FUNCTION vod_state_text(ranks jsonb, field text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN jsonb_typeof(ranks->field->'value') = 'string' THEN ranks->field->>'value' END
$f$;
CREATE OR REPLACE FUNCTION vod_state_number(ranks jsonb, field text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN jsonb_typeof(ranks->field->'value') = 'number' THEN (ranks->field->>'value')::double precision END
$f$;
CREATE OR REPLACE FUNCTION vod_state_outputs(ranks jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$ BEGIN RETURN (
  SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'definition', definition, 'format', format, 'url', url)
    ORDER BY CASE format WHEN 'HLS' THEN 0 WHEN 'DASH' THEN 1 ELSE 2 END, definition, kind COLLATE "C"), '[]'::jsonb)
  FROM (
    SELECT split_part(substr(name, 8), ':', 1) AS kind, split_part(substr(name, 8), ':', 2)::numeric AS definition,
           entry->'value'->>'format' AS format, entry->'value'->>'url' AS url
    FROM jsonb_each(ranks) AS e(name, entry)
    WHERE name LIKE 'output:%' AND name NOT LIKE '%:*' AND jsonb_typeof(entry->'value') = 'object'
      AND ranks->('output:' || split_part(substr(name, 8), ':', 1) || ':*')->'value' IS DISTINCT FROM 'null'::jsonb
  ) AS live
); END $f$;
CREATE OR REPLACE FUNCTION vod_state_file_ids(ranks jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $f$ BEGIN RETURN (
  SELECT coalesce(array_agg(substr(name, 6) ORDER BY name COLLATE "C"), '{}') FROM jsonb_object_keys(ranks) AS k(name) WHERE name LIKE 'file:%'
); END $f$;
CREATE TABLE IF NOT EXISTS vod_files (
  file_id           text PRIMARY KEY,
  ranks             jsonb NOT NULL,
  event_ids         text[] NOT NULL,
  first_event_at    timestamptz NOT NULL,
  last_event_at     timestamptz NOT NULL,
  lifecycle         text GENERATED ALWAYS AS (vod_state_text(ranks, 'lifecycle')) STORED,
  name              text GENERATED ALWAYS AS (vod_state_text(ranks, 'name')) STORED,
  media_url         text GENERATED ALWAYS AS (vod_state_text(ranks, 'media_url')) STORED,
  cover_url         text GENERATED ALWAYS AS (vod_state_text(ranks, 'cover_url')) STORED,
  duration          double precision GENERATED ALWAYS AS (vod_state_number(ranks, 'duration')) STORED,
  size              bigint GENERATED ALWAYS AS (CASE WHEN ranks->'size'->>'value' ~ '^-?[0-9]{1,18}$' THEN (ranks->'size'->>'value')::bigint END) STORED,
  outputs           jsonb GENERATED ALWAYS AS (vod_state_outputs(ranks)) STORED,
  review_suggestion text GENERATED ALWAYS AS (vod_state_text(ranks, 'review_suggestion')) STORED,
  session_context   text GENERATED ALWAYS AS (vod_state_text(ranks, 'session_context')) STORED,
  source_context    text GENERATED ALWAYS AS (vod_state_text(ranks, 'source_context')) STORED
);
CREATE INDEX IF NOT EXISTS vod_files_lifecycle ON vod_files (lifecycle, last_event_at);
CREATE TABLE IF NOT EXISTS vod_tasks (
  task_id        text PRIMARY KEY,
  ranks          jsonb NOT NULL,
  event_ids      text[] NOT NULL,
  first_event_at timestamptz NOT NULL,
  last_event_at  timestamptz NOT NULL,
  kind           text GENERATED ALWAYS AS (vod_state_text(ranks, 'kind')) STORED,
  status         text GENERATED ALWAYS AS (ranks->'outcome'->'value'->>'status') STORED,
  err_code       integer GENERATED ALWAYS AS (CASE WHEN ranks->'outcome'->'value'->>'errCode' ~ '^-?[0-9]{1,9}$' THEN (ranks->'outcome'->'value'->>'errCode')::integer END) STORED,
  message        text GENERATED ALWAYS AS (ranks->'outcome'->'value'->>'message') STORED,
  progress       double precision GENERATED ALWAYS AS (vod_state_number(ranks, 'progress')) STORED,
  file_ids       text[] GENERATED ALWAYS AS (vod_state_file_ids(ranks)) STORED
);
CREATE INDEX IF NOT EXISTS vod_tasks_file_ids ON vod_tasks USING gin (file_ids);`;
