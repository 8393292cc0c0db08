import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig } from '../../lib/config';
import { createRuntime, type Runtime } from '../../lib/runtime';
import { openPostgres } from '../../lib/store/postgres-client';
import type { SqlClient } from '../../lib/store/sql-client';
import { startCallbackServer } from '../../tools/cli/commands/serve';
import type { LocalGateway } from '../../tools/local-gateway/server';
import { captureLog } from './callback-requests';
import { createDatabase } from './postgres-server';

/** The callback function served over real HTTP by `vod-events serve`'s server, storing in real PostgreSQL. */
export interface ServedCallback {
  /** Where the server takes callbacks. */
  readonly url: string;
  /** A client of its own on the function's database, to look at the tables. */
  readonly sql: SqlClient;
}

/**
 * Registers the file's hooks that serve the callback function on a fresh database of the test
 * server (`databasePrefix` names it) before its tests and stop it after them. `env` is the
 * configuration besides DATABASE_URL. The store is opened before the tests, so the tables exist
 * when a test first looks at them.
 */
export function servedCallback(env: Record<string, string>, databasePrefix?: string): ServedCallback {
  let served: { runtime: Runtime; gateway: LocalGateway; sql: SqlClient } | undefined;
  const get = () => {
    if (!served) throw new Error('the callback is served from beforeAll on: read it inside a test');
    return served;
  };
  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresUrl'), databasePrefix);
    const runtime = createRuntime(loadConfig({ DATABASE_URL: databaseUrl, ...env }), { log: captureLog() });
    const gateway = await startCallbackServer(runtime, { port: 0, host: '127.0.0.1' });
    await runtime.store();
    served = { runtime, gateway, sql: openPostgres(databaseUrl) };
  });
  afterAll(async () => {
    if (!served) return;
    await served.sql.close();
    await served.gateway.close();
    await served.runtime.close();
  });
  return {
    get url() {
      return get().gateway.url;
    },
    get sql() {
      return get().sql;
    },
  };
}
