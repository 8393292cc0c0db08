import { expect, inject, it } from 'vitest';
import { openPostgres } from '../../../lib/store/postgres-client';
import { createDatabase } from '../../helpers/postgres-server';

const preparedOnConnection = async (url: string) => {
  const sql = openPostgres(url, { max: 1 });
  try {
    for (let i = 0; i < 3; i++) await sql.query('SELECT $1::text AS value', [String(i)]);
    await sql.transaction((tx) => tx.query('SELECT $1::int + 1 AS value', ['1']));
    const rows = await sql.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement');
    return rows.map((row) => row.statement).filter((statement) => statement.includes('$1'));
  } finally {
    await sql.close();
  }
};

it('prepares statements with parameters once per connection (one round trip, a cached plan)', async () => {
  const url = await createDatabase(inject('postgresUrl'));
  expect(await preparedOnConnection(url)).toEqual(['SELECT $1::int + 1 AS value', 'SELECT $1::text AS value']);
});

it('leaves them unnamed when DATABASE_URL says prepare=false (a pooler in transaction mode)', async () => {
  const url = await createDatabase(inject('postgresUrl'));
  expect(await preparedOnConnection(`${url}?prepare=false`)).toEqual([]);
});
