import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from './sql-client';

/**
 * The embedded store for local runs: real PostgreSQL compiled to WebAssembly, in-process, one
 * connection. `dataDir` is a folder, or `memory://` for a store that lives only as long as the process.
 */
export async function openPglite(dataDir: string): Promise<SqlClient> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  return {
    driver: 'pglite',
    query: async <Row>(text: string, params: unknown[] = []) => (await db.query<Row>(text, params)).rows,
    exec: async (script) => {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}
