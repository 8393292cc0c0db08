// @ts-check
// Real services for benchmarks: an embedded PostgreSQL and the VOD emulator in its own process.
import { spawn } from 'node:child_process';
import { importTs } from './import-ts.mjs';

/** @typedef {typeof import('../test/helpers/postgres-server') & typeof import('../test/helpers/ports')} TestServers */

/** @type {Promise<TestServers> | undefined} */
let testServers;
/** The tests' embedded PostgreSQL start-up (and its process-hook workaround) and free-port finder. */
const loadTestServers = () =>
  (testServers ??= /** @type {Promise<TestServers>} */ (
    importTs('test-servers', "export * from './test/helpers/postgres-server'; export { freePort } from './test/helpers/ports';")
  ));

export const freePort = async () => (await loadTestServers()).freePort();

/** A PostgreSQL server for one benchmark, as the tests start it; `database()` gives a fresh empty database. */
export async function startPostgres() {
  const { startPostgresServer, createDatabase } = await loadTestServers();
  const server = await startPostgresServer();
  return {
    url: server.url,
    /** @param {string} prefix */
    database: (prefix) => createDatabase(server.url, prefix),
    async stop() {
      await server.stop();
      server.remove();
    },
  };
}

export const EMULATOR_CREDENTIALS = {
  TENCENTCLOUD_SECRETID: 'AKIDbench0000000000000000000000000000',
  TENCENTCLOUD_SECRETKEY: 'bench-secret-key',
};

/**
 * `vod-events emulator` as a separate process, so its work does not count against the code measured.
 *
 * @param {string[]} flags
 */
export async function startEmulatorProcess(flags) {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/vod-events.js', 'emulator', '--port', String(port), ...flags], {
    env: { ...process.env, ...EMULATOR_CREDENTIALS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((/** @type {(value?: unknown) => void} */ resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes(`${port}`)) resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** Queues v3 event contents for the default app, or for `subAppId`'s queue. @param {object[]} events @param {number} [subAppId] */
    async enqueue(events, subAppId) {
      for (let i = 0; i < events.length; i += 1000) {
        const slice = events.slice(i, i + 1000);
        const body = JSON.stringify(subAppId === undefined ? slice : { format: 'v3', events: slice, subAppId });
        const response = await fetch(`${url}/_emulator/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (!response.ok) throw new Error(`enqueue failed: ${response.status} ${await response.text()}`);
      }
    },
    async stats() {
      return (await fetch(`${url}/_emulator/stats`)).json();
    },
    stop() {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    },
  };
}
