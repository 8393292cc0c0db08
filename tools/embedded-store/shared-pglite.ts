import { PGlite } from '@electric-sql/pglite';
import { StoreError } from '../../lib/errors';
import { pgliteSqlClient } from './pglite-sql-client';
import { startPgliteWireServer } from './pglite-wire-server';
import { openPostgres } from '../../lib/store/postgres-client';
import type { SqlClient } from '../../lib/store/sql-client';
import {
  currentCommand,
  isAlive,
  lockPathOf,
  readClaim,
  releaseClaim,
  removeStaleClaim,
  tryClaim,
  updateClaim,
  type StoreHolder,
} from './store-lock';

/** How long to wait for a holder that has claimed the store but is still opening it. */
const OPENING_WAIT_MS = 20_000;
const POLL_MS = 100;

/** Lock files this process holds, so a second open in the same process joins instead of calling the lock stale. */
const heldHere = new Set<string>();
process.once('exit', () => {
  for (const lockPath of heldHere) releaseClaim(lockPath);
});

const describe = (dataDir: string, holder: StoreHolder) =>
  `the embedded store ${dataDir} is held by process ${holder.pid} (${holder.command})`;

/** This process opens the store and serves it to the others on a loopback port named in the lock. */
async function becomeHolder(dataDir: string, lockPath: string, claim: StoreHolder): Promise<SqlClient> {
  heldHere.add(lockPath);
  try {
    const db = await PGlite.create(dataDir);
    const server = await startPgliteWireServer(db);
    updateClaim(lockPath, { ...claim, host: server.host, port: server.port });
    const local = pgliteSqlClient(db);
    return {
      ...local,
      async close() {
        await server.close();
        await local.close();
        releaseClaim(lockPath);
        heldHere.delete(lockPath);
      },
    };
  } catch (error) {
    releaseClaim(lockPath);
    heldHere.delete(lockPath);
    throw error;
  }
}

async function joinHolder(dataDir: string, holder: StoreHolder & { port: number }): Promise<SqlClient> {
  const client = openPostgres(`postgres://postgres@${holder.host ?? '127.0.0.1'}:${holder.port}/postgres`, { max: 2 });
  try {
    await client.query('SELECT 1');
    return client;
  } catch (error) {
    await client.close().catch(() => {});
    throw new StoreError(
      `${describe(dataDir, holder)}, which does not answer on ${holder.host}:${holder.port} (${(error as Error).message}); ` +
        `stop that process (or delete ${lockPathOf(dataDir)} if it is not vod-events), or set DATABASE_URL`,
      'unavailable',
      { cause: error },
    );
  }
}

/**
 * Opens the embedded store in `dataDir` without ever opening it twice (PGlite is single-process;
 * two opens of one directory corrupt it and lose writes, electric-sql/pglite#323). The first
 * process claims `<dataDir>.lock` (pid, command, address), opens PGlite and serves it over the
 * PostgreSQL wire protocol; later processes read the lock and connect through that port with the
 * ordinary driver. A lock whose pid is gone is stale and taken over.
 */
async function resolveStore(dataDir: string): Promise<SqlClient> {
  const lockPath = lockPathOf(dataDir);
  const deadline = Date.now() + OPENING_WAIT_MS;
  let lastSeen: StoreHolder | undefined;
  for (;;) {
    const claim: StoreHolder = { pid: process.pid, command: currentCommand(), startedAt: new Date().toISOString() };
    if (tryClaim(lockPath, claim)) return becomeHolder(dataDir, lockPath, claim);
    const seen = readClaim(lockPath);
    const holder = seen?.holder;
    const mine = holder?.pid === process.pid && heldHere.has(lockPath);
    if (seen && holder && !mine && (holder.pid === process.pid || !isAlive(holder.pid))) {
      removeStaleClaim(lockPath, seen.raw);
      continue;
    }
    if (holder?.port !== undefined) return joinHolder(dataDir, holder as StoreHolder & { port: number });
    lastSeen = holder ?? lastSeen;
    if (Date.now() > deadline) {
      const who = lastSeen ? describe(dataDir, lastSeen) : `the embedded store ${dataDir} is locked (${lockPath})`;
      throw new StoreError(
        `${who} and was not ready within ${OPENING_WAIT_MS / 1000} s; stop that process or set DATABASE_URL`,
        'unavailable',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A connection error from the driver: the holder went away, so the next statement looks again. */
const CONNECTION_LOST = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * The shared store as one client. A process that joined another's store keeps working when that
 * process stops: the statement in flight fails (nothing is confirmed or answered 200 for it), and
 * the next one finds the store again, taking it over if nobody else has.
 */
export async function openSharedPglite(dataDir: string): Promise<SqlClient> {
  let current: Promise<SqlClient> | undefined = resolveStore(dataDir);
  await current;
  const client = () =>
    (current ??= resolveStore(dataDir).catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
  async function use<T>(work: (sql: SqlClient) => Promise<T>): Promise<T> {
    const sql = await client();
    try {
      return await work(sql);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (sql.driver === 'postgres' && typeof code === 'string' && CONNECTION_LOST.has(code) && current) {
        current = undefined;
        void sql.close().catch(() => {});
      }
      throw error;
    }
  }
  return {
    driver: 'pglite',
    query: (text, params, signal) => use((sql) => sql.query(text, params, signal)),
    exec: (script) => use((sql) => sql.exec(script)),
    transaction: (work) => use((sql) => sql.transaction(work)),
    async close() {
      const sql = await current?.catch(() => undefined);
      current = undefined;
      await sql?.close();
    },
  };
}
