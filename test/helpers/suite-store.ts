import { afterAll, beforeAll } from 'vitest';
import { createEventStore, type EventStore } from '../../lib/store/event-store';
import { migrate } from '../../lib/store/schema';
import type { SqlClient } from '../../lib/store/sql-client';
import type { TestDriver } from './drivers';

/** One fresh, migrated database that all the tests of a suite share. */
export interface SuiteStore {
  /** The suite's first connection, to look at the tables with. */
  readonly sql: SqlClient;
  /** The event store over `sql`. */
  readonly store: EventStore;
  /** Opens a further connection to the same database (on PGlite, the same one again). */
  connect(): Promise<SqlClient>;
}

/**
 * Registers the hooks of the enclosing suite that open a fresh database on `driver`, migrate it
 * and put a store over it before its tests, and close it after them. Its members are there from
 * the suite's beforeAll on: read them inside tests, never while the suite is being declared.
 */
export function suiteStore(driver: TestDriver): SuiteStore {
  let opened: { sql: SqlClient; store: EventStore; connect: () => Promise<SqlClient> } | undefined;
  const get = () => {
    if (!opened) throw new Error('the suite store opens in beforeAll: read it inside a test');
    return opened;
  };
  beforeAll(async () => {
    const { connect } = await driver.fresh();
    const sql = await connect();
    await migrate(sql);
    opened = { sql, store: createEventStore(sql), connect };
  });
  afterAll(() => opened?.sql.close());
  return {
    get sql() {
      return get().sql;
    },
    get store() {
      return get().store;
    },
    connect: () => get().connect(),
  };
}
