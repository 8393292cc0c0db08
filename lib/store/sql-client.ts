/** Statements on one connection, inside a transaction (see `SqlClient.transaction`). */
export interface SqlTransaction {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

/** The little of a PostgreSQL driver the store needs; `postgres` and PGlite both sit behind it. */
export interface SqlClient {
  /**
   * One statement with `$n` parameters; resolves to its rows. An abort cancels it: a queued
   * statement is never sent, a running one is cancelled on the server (PGlite ignores the signal).
   */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[], signal?: AbortSignal): Promise<Row[]>;
  /** Several statements without parameters, sent as one script (one implicit transaction). */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** `postgres` or `pglite`, for logs and figures. */
  readonly driver: 'postgres' | 'pglite';
}
