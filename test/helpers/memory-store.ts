import { openEventStore, type OpenedStore } from '../../lib/store/open-store';
import type { SqlClient } from '../../lib/store/sql-client';
import { openPglite } from '../../tools/embedded-store/pglite-client';

/** A fresh in-memory PGlite store, migrated, and its own client to look at the tables with. */
export async function memoryStore(): Promise<{ store: OpenedStore; sql: SqlClient }> {
  const sql = await openPglite('memory://');
  const store = await openEventStore({ databaseUrl: undefined, pgliteDir: 'memory://', openEmbedded: async () => sql });
  return { store, sql };
}
