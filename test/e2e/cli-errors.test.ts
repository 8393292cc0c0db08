import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cleanEnv, runCliToEnd } from '../helpers/cli-process';

let dir: string;
let cli: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  ({ dir, cli } = await buildCli());
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => busy.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI: a port in use', () => {
  // A command that left something running would never exit and time the test out.
  it.each([
    ['dev', ['dev', '--port']],
    ['serve', ['serve', '--port']],
    ['emulator', ['emulator', '--port']],
  ])(
    '%s: one line naming the port and the way out, everything stopped, exit 1',
    async (name, args) => {
      const run = await runCliToEnd(cli, [...args, String(busyPort)], { ...cleanEnv(), PGLITE_DIR: join(dir, 'pglite') });

      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n').at(-1)).toBe(
        `vod-events ${name}: port ${busyPort} is in use; use --port N or --port 0`,
      );
      expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    },
    60_000,
  );
});

describe('CLI: configuration errors exit 2', () => {
  it('drain without credentials: one line, no JSON log line, exit 2', async () => {
    const run = await runCliToEnd(cli, ['drain'], { ...cleanEnv(), PGLITE_DIR: join(dir, 'pglite') });

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^vod-events drain: configuration error: TENCENTCLOUD_SECRETID: VOD credentials are missing/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('drain with a bad VOD_MAX_QPS: the same kind of line and code', async () => {
    const run = await runCliToEnd(cli, ['drain'], { ...cleanEnv(), VOD_MAX_QPS: 'fast' });

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^vod-events drain: configuration error: VOD_MAX_QPS/);
  }, 60_000);
});
