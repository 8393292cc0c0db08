import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../../lib/errors';
import { openPglite } from '../../../../tools/embedded-store/pglite-client';
import { lockPathOf } from '../../../../tools/embedded-store/store-lock';
import { freePort } from '../../../helpers/ports';

let dir: string;
let dataDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vod-events-shared-'));
  dataDir = join(dir, 'pglite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const holderOf = () => JSON.parse(readFileSync(lockPathOf(dataDir), 'utf8')) as { pid: number; port?: number };

describe('the embedded store shared between openers', () => {
  it('the first opener holds the lock and serves; a second one joins through the socket and sees the same rows', async () => {
    const first = await openPglite(dataDir);
    const second = await openPglite(dataDir);
    try {
      await first.exec('CREATE TABLE t (n int)');
      await second.query('INSERT INTO t VALUES ($1), ($2)', [1, 2]);
      expect(await first.query('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
      expect(holderOf()).toMatchObject({ pid: process.pid, port: expect.any(Number) });
    } finally {
      await second.close();
      await first.close();
    }
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
  });

  it('a joiner whose holder stops fails that statement, then takes the store over', async () => {
    const holder = await openPglite(dataDir);
    const joiner = await openPglite(dataDir);
    await holder.exec('CREATE TABLE t (n int)');
    await holder.close();

    await expect(joiner.query('INSERT INTO t VALUES (1)')).rejects.toThrow();
    await joiner.query('INSERT INTO t VALUES (2)');
    expect(await joiner.query('SELECT n FROM t')).toEqual([{ n: 2 }]);
    expect(holderOf().pid).toBe(process.pid);
    await joiner.close();
  });

  it('takes over a lock whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      lockPathOf(dataDir),
      JSON.stringify({ pid: gone, command: 'vod-events.js dev', startedAt: '2026-01-01T00:00:00Z', host: '127.0.0.1', port: 1 }),
    );
    const store = await openPglite(dataDir);
    expect(await store.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await store.close();
  });

  it('fails at once, in one line naming the holder, when the live holder does not answer', async () => {
    const port = await freePort();
    writeFileSync(
      lockPathOf(dataDir),
      JSON.stringify({
        pid: process.ppid,
        command: 'vod-events.js serve',
        startedAt: '2026-01-01T00:00:00Z',
        host: '127.0.0.1',
        port,
      }),
    );
    const error = await openPglite(dataDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^the embedded store .*pglite is held by process ${process.ppid} \\(vod-events\\.js serve\\), which does not answer on 127\\.0\\.0\\.1:${port} .*; stop that process .*or set DATABASE_URL$`,
      ),
    );
    expect((error as Error).message).not.toContain('\n');
  });
});
