import type { NormalizedEvent } from '../events/types';
import { applyContribution, contributionOf, emptyState, type Facts } from '../state';
import type { Projection } from './projection';

/** Where the state goes: the live tables, or the fresh ones `rebuild-state` fills. */
export interface StateTables {
  files: string;
  tasks: string;
}

export const LIVE_STATE_TABLES: StateTables = { files: 'vod_files', tasks: 'vod_tasks' };

/**
 * The ranks of the write's events folded per file and per task, as one JSON array each, sorted
 * by id: the merge is associative, so folding here and merging once per row in SQL is the same
 * as merging event by event, and PostgreSQL refuses to update one row twice in a statement.
 * Times are not sent: they come from `stored.first_received_at`, the same instant a rebuild reads.
 */
function foldedRows(events: readonly NormalizedEvent[]): [files: string, tasks: string] {
  const state = emptyState();
  for (const event of events) applyContribution(state, contributionOf(event, new Date(0)));
  const rows = (facts: Map<string, Facts>) =>
    JSON.stringify(
      [...facts.values()]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ id, fields, eventIds }) => ({ id, ranks: fields, event_ids: eventIds })),
    );
  return [rows(state.files), rows(state.tasks)];
}

/**
 * One upsert per row, merged with `vod_state_merge` (migration 3): `ON CONFLICT DO UPDATE` locks
 * the row and merges with its latest committed version, so concurrent writers need no other lock,
 * and rows are written in id order (files, then tasks) so two writers cannot deadlock. A row
 * whose events were all stored before is skipped: it already holds their contribution.
 */
function upsertCte(name: string, table: string, key: string, param: number): string {
  return `${name} AS (
  INSERT INTO ${table} AS t (${key}, ranks, event_ids, first_event_at, last_event_at)
  SELECT c.id, c.ranks, c.event_ids, min(s.first_received_at), max(s.first_received_at)
  FROM jsonb_to_recordset($${param}::text::jsonb) AS c(id text, ranks jsonb, event_ids text[])
  JOIN stored AS s ON s.id = ANY (c.event_ids)
  GROUP BY c.id, c.ranks, c.event_ids
  HAVING bool_or(s.inserted)
  ORDER BY c.id COLLATE "C"
  ON CONFLICT (${key}) DO UPDATE SET
    ranks = vod_state_merge(t.ranks, excluded.ranks),
    event_ids = vod_state_union(t.event_ids, excluded.event_ids),
    first_event_at = least(t.first_event_at, excluded.first_event_at),
    last_event_at = greatest(t.last_event_at, excluded.last_event_at)
  RETURNING 1
)`;
}

/** `vod_files`/`vod_tasks` (or `tables`) merged in the statement that stores their events. */
export function stateProjection(tables: StateTables = LIVE_STATE_TABLES): Projection {
  return {
    name: 'state',
    paramCount: 2,
    params: (events) => foldedRows(events),
    ctes: (first) =>
      `${upsertCte('state_files', tables.files, 'file_id', first)},\n${upsertCte('state_tasks', tables.tasks, 'task_id', first + 1)}`,
  };
}
