import type { SqlClient } from '../store/sql-client';
import type { HandledEvent } from './handler';
import { eventColumns, firstArrivalOf, type EventRow } from '../store/queries';

export const RunStatus = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  dead: 'dead',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
export const RUN_STATUSES: readonly RunStatus[] = Object.values(RunStatus);

/** A run this dispatcher holds the lease of, with its event. */
export interface ClaimedRun {
  eventId: string;
  handler: string;
  /** This attempt's number (1 on the first). */
  attempt: number;
  leaseToken: string;
  event: HandledEvent;
  payload: unknown;
}

export interface ClaimRequest {
  now: Date;
  /** Handlers that may be claimed, each with the lease its attempt gets. */
  handlers: readonly { name: string; leaseMs: number }[];
  /** Only runs of these events (the callback's new event); all when absent. */
  eventIds?: readonly string[];
  leaseToken: string;
}

/**
 * Takes one due run: pending or failed and due, or running with its lease over (its process died
 * or froze). A run whose handler orders by file waits while an earlier run of that file and
 * handler is not yet `succeeded` or `dead`. SKIP LOCKED: overlapping dispatchers never take the
 * same run, and never wait for each other. Only a status of `succeeded`/`dead` lets the next run
 * of a file go, and a dispatcher's snapshot can only be behind on those, never ahead: it may
 * miss a run that just became free, never take one that is still held back.
 */
const CLAIM_SQL = `
WITH h AS (
  SELECT * FROM json_to_recordset($2::text::json) AS h(name text, lease_ms integer)
), due AS (
  SELECT r.event_id, r.handler FROM vod_handler_runs AS r JOIN h ON h.name = r.handler
  WHERE r.status IN ('pending', 'running', 'failed') AND r.due_at <= $1::text::timestamptz
    AND ($3::text IS NULL OR r.event_id = ANY (string_to_array($3::text, ',')))
    AND (r.order_key IS NULL OR NOT EXISTS (
      SELECT 1 FROM vod_handler_runs AS p
      WHERE p.handler = r.handler AND p.order_key = r.order_key AND p.seq < r.seq
        AND p.status IN ('pending', 'running', 'failed')))
  ORDER BY r.due_at, r.seq
  LIMIT 1
  FOR UPDATE OF r SKIP LOCKED
)
UPDATE vod_handler_runs AS r
SET status = 'running', attempts = r.attempts + 1, lease_token = $4::text, started_at = $1::text::timestamptz,
    due_at = $1::text::timestamptz + h.lease_ms * interval '1 millisecond'
FROM due, h, vod_events AS e
WHERE r.event_id = due.event_id AND r.handler = due.handler AND h.name = r.handler AND e.id = r.event_id
RETURNING r.handler, r.attempts, ${eventColumns('e')}`;

type ClaimRow = EventRow & { handler: string; attempts: number | string };

export async function claimRun(sql: SqlClient, request: ClaimRequest): Promise<ClaimedRun | undefined> {
  const leases = JSON.stringify(request.handlers.map(({ name, leaseMs }) => ({ name, lease_ms: leaseMs })));
  const [row] = await sql.query<ClaimRow>(CLAIM_SQL, [
    request.now.toISOString(),
    leases,
    request.eventIds?.join(',') ?? null,
    request.leaseToken,
  ]);
  if (!row) return undefined;
  const { payload, ...handled } = firstArrivalOf(row);
  return {
    eventId: row.id,
    handler: row.handler,
    attempt: Number(row.attempts),
    leaseToken: request.leaseToken,
    event: handled,
    payload,
  };
}

/**
 * Records success, whoever holds the lease now: the handler's body did complete, so the run must
 * never start again. A run already `succeeded` stays as it was.
 */
export async function recordSuccess(sql: SqlClient, run: ClaimedRun, now: Date): Promise<void> {
  await sql.query(
    `UPDATE vod_handler_runs SET status = 'succeeded', finished_at = $3::text::timestamptz, lease_token = NULL, last_error = NULL
     WHERE event_id = $1 AND handler = $2 AND status <> 'succeeded'`,
    [run.eventId, run.handler, now.toISOString()],
  );
}

/**
 * Records a failed attempt: `failed` until `retryAt`, or `dead` when `retryAt` is undefined. Only
 * while this attempt still holds the lease: a late failure must not undo a newer attempt's state.
 */
export async function recordFailure(
  sql: SqlClient,
  run: ClaimedRun,
  now: Date,
  error: string,
  retryAt: Date | undefined,
): Promise<void> {
  await sql.query(
    `UPDATE vod_handler_runs SET status = $4, due_at = coalesce($5::text::timestamptz, due_at), last_error = $6,
       finished_at = $3::text::timestamptz, lease_token = NULL
     WHERE event_id = $1 AND handler = $2 AND status = 'running' AND lease_token = $7`,
    [
      run.eventId,
      run.handler,
      now.toISOString(),
      retryAt ? 'failed' : 'dead',
      retryAt?.toISOString() ?? null,
      error,
      run.leaseToken,
    ],
  );
}

/** Hands an attempt back uncounted, due now: the callback ran out of its budget before the handler ended. */
export async function releaseRun(sql: SqlClient, run: ClaimedRun, now: Date): Promise<void> {
  await sql.query(
    `UPDATE vod_handler_runs SET status = CASE WHEN attempts > 1 THEN 'failed' ELSE 'pending' END, attempts = attempts - 1,
       due_at = $3::text::timestamptz, lease_token = NULL
     WHERE event_id = $1 AND handler = $2 AND status = 'running' AND lease_token = $4`,
    [run.eventId, run.handler, now.toISOString(), run.leaseToken],
  );
}
