import { inject } from 'vitest';
import { openPglite } from '../../tools/embedded-store/pglite-client';
import { openPostgres } from '../../lib/store/postgres-client';
import type { SqlClient } from '../../lib/store/sql-client';
import { createDatabase } from './postgres-server';

/** A way to reach one fresh, empty database through either driver. */
export interface TestDriver {
  name: 'postgres' | 'pglite';
  /** A fresh empty database; `connect` opens further connections to that same database. */
  fresh(): Promise<{ connect(): Promise<SqlClient> }>;
}

export const drivers: TestDriver[] = [
  {
    name: 'postgres',
    async fresh() {
      const url = await createDatabase(inject('postgresUrl'));
      return { connect: async () => openPostgres(url) };
    },
  },
  {
    name: 'pglite',
    async fresh() {
      // PGlite is one in-process connection: every "connection" is the same instance.
      const client = await openPglite('memory://');
      return { connect: async () => client };
    },
  },
];
