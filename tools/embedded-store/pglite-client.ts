import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { openSharedPglite } from './shared-pglite';
import { pgliteSqlClient } from './pglite-sql-client';
import type { SqlClient } from '../../lib/store/sql-client';

/**
 * The embedded store for local runs: real PostgreSQL compiled to WebAssembly. `dataDir` is a
 * folder, shared safely with other local processes (see `openSharedPglite`), or `memory://` for a
 * store that lives only as long as the process.
 */
export async function openPglite(dataDir: string): Promise<SqlClient> {
  if (dataDir.startsWith('memory://')) return pgliteSqlClient(await PGlite.create(dataDir));
  mkdirSync(dataDir, { recursive: true });
  return openSharedPglite(dataDir);
}
