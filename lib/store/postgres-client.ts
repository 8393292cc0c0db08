import postgres from 'postgres';
import type { SqlClient, SqlTransaction } from './sql-client';

export interface PostgresOptions {
  /** Connections in the pool. SCF runs one invocation per instance, so a couple suffice. */
  max?: number;
  /** Server-side cap on one statement, lock waits included. @defaultvalue 15000 */
  statementTimeoutMs?: number;
}

/**
 * Statements with parameters run as named prepared statements, once per connection. `unsafe`
 * otherwise sends each one unnamed, which costs a Describe round trip before every execution (the
 * driver must learn the parameter types first) and a fresh plan every time: a callback's one
 * statement took two round trips and ~0.4 ms of planning. A pooler that cannot keep prepared
 * statements (PgBouncer in transaction mode before 1.21) is served by `?prepare=false` in
 * DATABASE_URL, which the driver reads and which wins over this.
 */
const prepared = (params: unknown[]) => ({ prepare: params.length > 0 });

/**
 * A pooled client for a PostgreSQL server, meant to live at module scope and be reused by warm
 * invocations. Idle connections close after 20 s so a frozen SCF instance does not come back to
 * sockets the server or a NAT has long dropped; type fetching is off to save a round trip at
 * cold start (the store sends and reads only text, integers and JSON text).
 */
export function openPostgres(url: string, options: PostgresOptions = {}): SqlClient {
  const sql = postgres(url, {
    max: options.max ?? 2,
    idle_timeout: 20,
    connect_timeout: 5,
    max_lifetime: 600,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'vod-events', statement_timeout: options.statementTimeoutMs ?? 15_000 },
    // The driver's default waits 3^n/100 s (up to 20 s) before each reconnect while the server is
    // down, and queued queries wait with it: a callback would answer its 503 (and write its dead
    // letter) only after SCF's timeout, and a drain would stall after the server is back. Capped at 0.5 s.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  });
  return {
    driver: 'postgres',
    async query<Row>(text: string, params: unknown[] = [], signal?: AbortSignal) {
      signal?.throwIfAborted();
      const pending = sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], prepared(params));
      // The cancel answers with its own promise; the query's rejection is what the caller sees.
      const cancel = () => void Promise.resolve(pending.cancel()).catch(() => {});
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        return (await pending) as unknown as Row[];
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
    },
    exec: async (script) => {
      await sql.unsafe(script).simple();
    },
    transaction: async <T>(work: (tx: SqlTransaction) => Promise<T>) =>
      (await sql.begin((tx) =>
        work({
          query: async <Row>(text: string, params: unknown[] = []) =>
            (await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[], prepared(params))) as unknown as Row[],
        }),
      )) as T,
    close: () => sql.end({ timeout: 5 }),
  };
}
