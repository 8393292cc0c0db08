import { StoreError } from '../errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import type { SqlClient } from './sql-client';

/** Any fixed number: it only has to be the same for every process migrating this database. */
const MIGRATION_LOCK_ID = 0x766f6465; // "vode"

const VERSION_TABLE = 'vod_schema_migrations';

/** Raised inside the migration script when another process has already moved the database past this code. */
const TOO_NEW_MARKER = 'vod-events schema too new';

function tooNew(version: number): StoreError {
  return new StoreError(
    `the database's vod-events schema is at version ${version}, newer than this code's ${LATEST_VERSION}: ` +
      'deploy the vod-events version that migrated it (or a later one), or point DATABASE_URL at another database',
    'unavailable',
  );
}

/** The version a database records; 0 when it has no version table (new, or from before versioning). */
async function recordedVersion(sql: SqlClient): Promise<number> {
  const [table] = await sql.query<{ present: boolean }>(`SELECT to_regclass('${VERSION_TABLE}') IS NOT NULL AS present`);
  if (!table?.present) return 0;
  const [row] = await sql.query<{ version: number | string | null }>(`SELECT max(version) AS version FROM ${VERSION_TABLE}`);
  return Number(row?.version ?? 0);
}

const quoted = (text: string) => `$vod_migration$${text}$vod_migration$`;

/** A migration that runs only when its version is not recorded (or always, when reapplying), then records it. */
function guarded(migration: Migration, reapply: boolean): string {
  const statements = migration.sql
    // A statement ends with `;` at a line's end before an unindented line: inside function bodies,
    // which are indented, a line may end with `;`.
    .split(/;[ \t]*\n(?:[ \t]*\n)*(?=\S)/)
    .map((statement) => statement.trim().replace(/;$/, ''))
    .filter(Boolean);
  const condition = reapply ? 'true' : `NOT EXISTS (SELECT 1 FROM ${VERSION_TABLE} WHERE version = ${migration.version})`;
  return `DO $vod_guard$ BEGIN
  IF ${condition} THEN
${statements.map((statement) => `    EXECUTE ${quoted(statement)};`).join('\n')}
    INSERT INTO ${VERSION_TABLE} (version, name) VALUES (${migration.version}, ${quoted(migration.name)}) ON CONFLICT (version) DO NOTHING;
  END IF;
END $vod_guard$;`;
}

/**
 * The whole migration as one script, which is one implicit transaction: the advisory lock is held
 * until it ends, so a second cold start racing this one waits and then finds every version
 * recorded (bare `CREATE TABLE IF NOT EXISTS` can still fail on a race in pg_type). The version is
 * checked again under the lock, as another process may have moved it meanwhile.
 */
export function migrationScript(pending: readonly Migration[], reapply = false): string {
  return `SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID});
CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
DO $vod_guard$ DECLARE recorded integer;
BEGIN
  SELECT max(version) INTO recorded FROM ${VERSION_TABLE};
  IF recorded > ${LATEST_VERSION} THEN
    RAISE EXCEPTION '${TOO_NEW_MARKER}: %', recorded;
  END IF;
END $vod_guard$;
${pending.map((migration) => guarded(migration, reapply)).join('\n')}`;
}

export interface MigrateOptions {
  /**
   * Run every migration again, recorded or not. For a table someone dropped: its version is still
   * recorded, but its (idempotent) migration must create it again.
   */
  reapply?: boolean;
}

/**
 * Brings the database to `LATEST_VERSION`. A database already there costs two catalogue reads and
 * no DDL: `CREATE INDEX IF NOT EXISTS` takes a lock on the table even when the index exists, so
 * running the script at every cold start would queue behind (and block) writers. A database at a
 * newer version than this code is refused with one line.
 */
export async function migrate(sql: SqlClient, options: MigrateOptions = {}): Promise<void> {
  const version = await recordedVersion(sql);
  if (version > LATEST_VERSION) throw tooNew(version);
  if (version === LATEST_VERSION && !options.reapply) return;
  const pending = options.reapply ? MIGRATIONS : MIGRATIONS.filter((migration) => migration.version > version);
  try {
    await sql.exec(migrationScript(pending, options.reapply));
  } catch (error) {
    const match = new RegExp(`${TOO_NEW_MARKER}: (\\d+)`).exec(error instanceof Error ? error.message : '');
    if (match) throw tooNew(Number(match[1]));
    throw error;
  }
}
