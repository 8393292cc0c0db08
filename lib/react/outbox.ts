import type { HandlerRegistry } from './registry';

/**
 * The outbox: a CTE that creates the handler runs of the events a statement newly inserted, so
 * an event and its runs commit together or not at all. `stored` names a CTE returning `id`,
 * `event_type`, `file_id` and `inserted` of each row written; `now` and `spec` are parameters
 * (text): the receive time and `outboxSpec()`'s JSON. A repeat delivery (inserted = false) adds
 * nothing, and ON CONFLICT makes a second writer of the same event harmless. A handler matches an
 * event once (registry.ts folds its types), so no pair repeats within a statement.
 */
export function outboxCte(stored: string, now: string, spec: string): string {
  return `runs AS (
  INSERT INTO vod_handler_runs (event_id, handler, order_key, due_at, created_at)
  SELECT s.id, h.name, CASE WHEN h.by_file THEN s.file_id END, ${now}::text::timestamptz, ${now}::text::timestamptz
  FROM ${stored} AS s
  JOIN json_to_recordset(${spec}::text::json) AS h(name text, event_type text, by_file boolean)
    ON h.event_type = '*' OR h.event_type = s.event_type
  WHERE s.inserted
  ON CONFLICT (event_id, handler) DO NOTHING
)`;
}

/** The (handler, event type) pairs the outbox matches on, as JSON; `undefined` when there are no handlers (no outbox at all). */
export function outboxSpec(registry: HandlerRegistry): string | undefined {
  const rows = registry.handlers.flatMap((handler) =>
    handler.eventTypes.map((eventType) => ({ name: handler.name, event_type: eventType, by_file: handler.orderByFile })),
  );
  return rows.length === 0 ? undefined : JSON.stringify(rows);
}
