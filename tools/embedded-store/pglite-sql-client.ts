import type { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '../../lib/store/sql-client';

/** One in-process PGlite behind the store's driver interface. */
export function pgliteSqlClient(db: PGlite): SqlClient {
  return {
    driver: 'pglite',
    query: async <Row>(text: string, params: unknown[] = []) => (await db.query<Row>(text, params)).rows,
    exec: async (script) => {
      await db.exec(script);
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({ query: async <Row>(text: string, params: unknown[] = []) => (await tx.query<Row>(text, params)).rows }),
      ),
    close: () => db.close(),
  };
}
