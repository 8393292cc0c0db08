import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { StoreError } from '../../../lib/errors';
import { LATEST_VERSION, MIGRATIONS } from '../../../lib/store/migrations';
import { migrate, migrationScript } from '../../../lib/store/schema';
import { openPostgres } from '../../../lib/store/postgres-client';
import type { SqlClient } from '../../../lib/store/sql-client';
import { drivers } from '../../helpers/drivers';
import { createDatabase } from '../../helpers/postgres-server';

const versions = async (sql: SqlClient) =>
  (await sql.query<{ version: number }>('SELECT version FROM vod_schema_migrations ORDER BY version')).map((row) => row.version);

const tables = async (sql: SqlClient) =>
  (
    await sql.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name',
    )
  ).map((row) => row.name);

describe.each(drivers)('schema migrations on $name', (driver) => {
  it('creates every table on an empty database and records each version once', async () => {
    const sql = await (await driver.fresh()).connect();
    await migrate(sql);
    expect(await versions(sql)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await tables(sql)).toEqual(expect.arrayContaining(['vod_events', 'vod_callback_deliveries', 'vod_schema_migrations']));
    await migrate(sql);
    expect(await versions(sql)).toEqual(MIGRATIONS.map((migration) => migration.version));
    await sql.close();
  });

  it('recreates a dropped table when asked to reapply, although its version is recorded', async () => {
    const sql = await (await driver.fresh()).connect();
    await migrate(sql);
    await sql.exec('DROP TABLE vod_callback_deliveries');
    await migrate(sql);
    expect(await tables(sql)).not.toContain('vod_callback_deliveries');
    await migrate(sql, { reapply: true });
    expect(await tables(sql)).toContain('vod_callback_deliveries');
    await sql.close();
  });

  it('adopts a database from before versioning (tables present, no version table)', async () => {
    const sql = await (await driver.fresh()).connect();
    await sql.exec(MIGRATIONS[0]!.sql);
    await sql.query(
      "INSERT INTO vod_events (id, event_type, api_format, source, first_received_at, last_received_at, payload) VALUES ('kept', 'X', 'v3', 'pull', now(), now(), '{}')",
    );
    await migrate(sql);
    expect(await versions(sql)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await sql.query('SELECT id FROM vod_events')).toEqual([{ id: 'kept' }]);
    await sql.close();
  });

  it('applies only what is missing, in order', async () => {
    const sql = await (await driver.fresh()).connect();
    await sql.exec(migrationScript(MIGRATIONS.slice(0, 1)));
    expect(await versions(sql)).toEqual([1]);
    expect(await tables(sql)).not.toContain('vod_callback_deliveries');
    await migrate(sql);
    expect(await versions(sql)).toEqual(MIGRATIONS.map((migration) => migration.version));
    await sql.close();
  });

  it('keeps the state columns of a version-4 database and from then on sets them on every write (migration 5)', async () => {
    const sql = await (await driver.fresh()).connect();
    await sql.exec(migrationScript(MIGRATIONS.filter((migration) => migration.version <= 4)));
    const ranks = (lifecycle: string) => JSON.stringify({ lifecycle: { key: 'e1', rank: 10, value: lifecycle } });
    await sql.query(
      "INSERT INTO vod_files (file_id, ranks, event_ids, first_event_at, last_event_at) VALUES ('f1', $1::text::jsonb, '{e1}', now(), now())",
      [ranks('uploaded')],
    );
    await sql.query(
      "INSERT INTO vod_tasks (task_id, ranks, event_ids, first_event_at, last_event_at) VALUES ('t1', $1::text::jsonb, '{e1}', now(), now())",
      [JSON.stringify({ 'file:f1': { key: 'e1', rank: 0, value: true }, kind: { key: 'e1', rank: 0, value: 'Procedure' } })],
    );
    await migrate(sql);
    const generated = await sql.query(
      "SELECT attname FROM pg_attribute WHERE attrelid IN ('vod_files'::regclass, 'vod_tasks'::regclass) AND attgenerated <> ''",
    );
    expect(generated).toEqual([]);
    expect(await sql.query("SELECT reloptions::text AS options FROM pg_class WHERE relname = 'vod_tasks_file_ids'")).toEqual([
      { options: '{fastupdate=off}' },
    ]);
    expect(await sql.query("SELECT lifecycle FROM vod_files WHERE file_id = 'f1'")).toEqual([{ lifecycle: 'uploaded' }]);
    expect(await sql.query("SELECT kind, array_to_json(file_ids)::text AS file_ids FROM vod_tasks WHERE task_id = 't1'")).toEqual(
      [{ kind: 'Procedure', file_ids: '["f1"]' }],
    );
    await sql.query("UPDATE vod_files SET ranks = $1::text::jsonb WHERE file_id = 'f1'", [ranks('ready')]);
    // A column written by hand is put back to what `ranks` says.
    await sql.query("UPDATE vod_files SET lifecycle = 'bogus' WHERE file_id = 'f1'");
    expect(await sql.query("SELECT lifecycle FROM vod_files WHERE file_id = 'f1'")).toEqual([{ lifecycle: 'ready' }]);
    // Reapplied after the table was dropped: recreated (generated by migration 3), converted again.
    await sql.exec('DROP TABLE vod_files');
    await migrate(sql, { reapply: true });
    await migrate(sql, { reapply: true });
    await sql.query(
      "INSERT INTO vod_files (file_id, ranks, event_ids, first_event_at, last_event_at) VALUES ('f2', $1::text::jsonb, '{e2}', now(), now())",
      [ranks('deleted')],
    );
    expect(await sql.query("SELECT lifecycle FROM vod_files WHERE file_id = 'f2'")).toEqual([{ lifecycle: 'deleted' }]);
    expect(
      await sql.query("SELECT attname FROM pg_attribute WHERE attrelid = 'vod_files'::regclass AND attgenerated <> ''"),
    ).toEqual([]);
    await sql.close();
  });

  it('refuses a database migrated by newer code, with one line naming both versions', async () => {
    const sql = await (await driver.fresh()).connect();
    await migrate(sql);
    await sql.query("INSERT INTO vod_schema_migrations (version, name) VALUES ($1, 'from the future')", [LATEST_VERSION + 1]);
    const failure = await migrate(sql).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toMatch(
      new RegExp(`schema is at version ${LATEST_VERSION + 1}, newer than this code's ${LATEST_VERSION}`),
    );
    expect((failure as Error).message).not.toContain('\n');
    await sql.close();
  });
});

describe('schema migrations racing on PostgreSQL', () => {
  it('takes no lock on a current database: a warm start never waits behind a migration or a writer', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const sql = openPostgres(url);
    await migrate(sql);
    // Another session mid-migration (the advisory lock) and mid-write (a table lock that
    // CREATE INDEX IF NOT EXISTS would queue behind, even for an index that exists).
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const done = holder.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${0x766f6465})`;
      await tx`LOCK TABLE vod_events IN ROW EXCLUSIVE MODE`;
      held();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    try {
      // It would wait as long as the other session holds either lock.
      const waited = new Promise((resolve) => setTimeout(() => resolve('blocked behind a lock'), 5_000));
      expect(await Promise.race([migrate(sql).then(() => 'done'), waited])).toBe('done');
    } finally {
      release();
    }
    await done;
    await holder.end();
    await sql.close();
  });

  it('lets several cold starts migrate one empty database at once', async () => {
    const { connect } = await drivers[0]!.fresh();
    const clients = await Promise.all(Array.from({ length: 4 }, () => connect()));
    await Promise.all(clients.map((client) => migrate(client)));
    expect(await versions(clients[0]!)).toEqual(MIGRATIONS.map((migration) => migration.version));
    await Promise.all(clients.map((client) => client.close()));
  });

  it('refuses newer code found only under the lock (another process migrated meanwhile)', async () => {
    const { connect } = await drivers[0]!.fresh();
    const sql = await connect();
    await migrate(sql);
    await sql.query("INSERT INTO vod_schema_migrations (version, name) VALUES ($1, 'from the future')", [LATEST_VERSION + 1]);
    // The script alone, as a process that read the old version before the other one moved it.
    const failure = await sql.exec(migrationScript(MIGRATIONS)).catch((error: unknown) => error);
    expect((failure as Error).message).toContain('vod-events schema too new');
    await sql.close();
  });
});
