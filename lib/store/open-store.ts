import { ConfigError } from '../errors';
import { createEventStore, type EventStore } from './event-store';
import { openPostgres } from './postgres-client';
import { migrate } from './schema';
import { stateProjection } from './state-projection';
import { outboxProjection } from '../react/outbox';
import { createRunStore, type RunStore } from '../react/run-store';
import type { SqlClient } from './sql-client';
import { isConnectionFailure, toStoreError } from './store-errors';

export interface StoreLocation {
  databaseUrl: string | undefined;
  pgliteDir: string;
  /** PostgreSQL only (PGlite runs in-process and is never stuck behind another session). */
  statementTimeoutMs?: number;
  /** The drain's loops each store through their own connection (see `poolSize`). */
  drainConcurrency?: number;
  /** Opens the embedded store in `pgliteDir` when there is no `databaseUrl`; only local tools have one. */
  openEmbedded?: OpenEmbedded;
  /** Whether writes merge the state tables too (see `EventStoreOptions.projections`). @defaultvalue true */
  stateProjection?: boolean;
  /** `outboxSpec()` of the handler registry: new events get their handler runs in the statement that stores them. */
  outbox?: string;
}

/**
 * Opens the embedded PGlite store of a local run. The functions never get one: the embedded store
 * and its process sharing live in tools/, and an SCF instance would lose its data anyway.
 */
export type OpenEmbedded = (dir: string) => Promise<SqlClient>;

/**
 * Connections of the pool kept for handler-run statements while a follow-mode drain runs (its
 * dispatch is limited to this many statements at once, lib/react/limit-statements.ts). Each drain
 * loop sends its store statements one after another, so with one connection per loop plus these,
 * no store statement waits behind a claim: the driver queues (or pipelines) a statement only when
 * every connection is busy. (PGlite, local runs only, is one connection whatever this says.) A share of the pool rather than waiting for idle moments: the
 * drain's stores come whenever VOD answers, so there is no moment to know is idle, and a claim
 * that started just before a store would still delay it. Connections open on first use, so the
 * extra one costs nothing where nothing dispatches during a drain.
 */
export const RUNS_CONNECTIONS_WHILE_DRAINING = 1;

/** One connection per drain loop plus the handler runs' share; never fewer than the driver's default of 2. */
const poolSize = (drainConcurrency: number) => Math.max(2, drainConcurrency + RUNS_CONNECTIONS_WHILE_DRAINING);

/** The driver for a location: PostgreSQL when a URL is given, else the embedded store, where the caller has one. */
async function openSqlClient(location: StoreLocation): Promise<SqlClient> {
  if (location.databaseUrl) {
    return openPostgres(location.databaseUrl, {
      statementTimeoutMs: location.statementTimeoutMs,
      max: poolSize(location.drainConcurrency ?? 0),
    });
  }
  if (!location.openEmbedded) throw databaseUrlRequired();
  return location.openEmbedded(location.pgliteDir);
}

/** Opens the store and makes sure its tables exist (and recreates them should one be dropped); failures come out as `StoreError`. */
/** The store as the functions use it: events and their projections, and the handler runs. */
export type OpenedStore = EventStore & { readonly runs: RunStore };

export async function openEventStore(location: StoreLocation): Promise<OpenedStore> {
  const sql = await openSqlClient(location).catch((error: unknown) => {
    throw toStoreError(error, 'opening the store');
  });
  try {
    await migrate(sql);
  } catch (error) {
    await sql.close().catch(() => {});
    // The driver connects on the first statement: a server that is down fails here, not at open.
    throw toStoreError(
      error,
      isConnectionFailure(error) ? 'connecting to PostgreSQL (DATABASE_URL)' : 'creating the vod_events table',
    );
  }
  const events = createEventStore(sql, {
    recreateSchema: () => migrate(sql, { reapply: true }),
    projections: [
      ...(location.stateProjection === false ? [] : [stateProjection()]),
      ...(location.outbox === undefined ? [] : [outboxProjection(location.outbox)]),
    ],
  });
  return { ...events, runs: createRunStore(sql) };
}

export const databaseUrlRequired = () =>
  new ConfigError([
    {
      variable: 'DATABASE_URL',
      problem:
        'required on SCF (postgres://user:password@host:5432/db); the embedded PGlite store is only for local runs of the vod-events CLI',
    },
  ]);
