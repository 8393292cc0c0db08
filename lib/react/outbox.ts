import type { Projection } from '../store/projection';
import type { HandlerRegistry } from './registry';

/**
 * The outbox, as a projection of the event store (lib/store/projection.ts): the statement that
 * stores new events also creates their handler runs, so an event and its runs commit together or
 * not at all. A repeat delivery (`inserted` false) adds nothing, and ON CONFLICT makes a second
 * writer of the same event harmless. A handler matches an event once (registry.ts folds its
 * types), so no (event, handler) pair repeats within a statement. Parameters: the written events'
 * types and FileIds, and the (handler, event type) pairs of `spec`, both JSON.
 */
export function outboxProjection(spec: string): Projection {
  return {
    name: 'outbox',
    paramCount: 2,
    params: (events) => [
      JSON.stringify(events.map((event) => ({ id: event.id, event_type: event.eventType, file_id: event.fileId }))),
      spec,
    ],
    ctes: (first) => `outbox_runs AS (
  INSERT INTO vod_handler_runs (event_id, handler, order_key, due_at, created_at)
  SELECT s.id, h.name, CASE WHEN h.by_file THEN ev.file_id END, s.first_received_at, s.first_received_at
  FROM stored AS s
  JOIN json_to_recordset($${first}::text::json) AS ev(id text, event_type text, file_id text) ON ev.id = s.id
  JOIN json_to_recordset($${first + 1}::text::json) AS h(name text, event_type text, by_file boolean)
    ON h.event_type = '*' OR h.event_type = ev.event_type
  WHERE s.inserted
  ON CONFLICT (event_id, handler) DO NOTHING
  RETURNING 1
)`,
  };
}

/** The (handler, event type) pairs the outbox matches on, as JSON; `undefined` when there are no handlers (no outbox at all). */
export function outboxSpec(registry: HandlerRegistry): string | undefined {
  const rows = registry.handlers.flatMap((handler) =>
    handler.eventTypes.map((eventType) => ({ name: handler.name, event_type: eventType, by_file: handler.orderByFile })),
  );
  return rows.length === 0 ? undefined : JSON.stringify(rows);
}
