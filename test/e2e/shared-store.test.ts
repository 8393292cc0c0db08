import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIAL } from '../../tools/emulator';
import { openEventStore } from '../../lib/store/open-store';
import { buildCli, cleanEnv, runCli, runCliToEnd, waitFor } from '../helpers/cli-process';
import { uploadEvent } from '../../tools/dev/sample-events';
import { openPglite } from '../../tools/embedded-store/pglite-client';

let dir: string;
let cli: string;
beforeAll(async () => ({ dir, cli } = await buildCli()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two processes on the embedded store', () => {
  it('list and drain in a second terminal while dev runs: every confirmed event is stored, none lost', async () => {
    // Prepare: `npm start` in the first terminal (one round, then a long wait).
    const env = { ...cleanEnv(), PGLITE_DIR: join(dir, 'pglite') };
    const dev = runCli(cli, ['dev', '--port', '0', '--interval-ms', '3600000'], env);
    await waitFor(() => /callbacks pushed: 2/.test(dev.stdout()), 'the first round of dev');
    const emulatorUrl = /local emulator (http:\S+)/.exec(dev.stdout())![1]!;
    const queued = [1001, 1002, 1003].map((serial) => uploadEvent(serial, new Date()));
    await fetch(`${emulatorUrl}/_emulator/events`, { method: 'POST', body: JSON.stringify(queued) });

    // Act: the second terminal.
    const second = {
      ...env,
      VOD_ENDPOINT: emulatorUrl,
      TENCENTCLOUD_SECRETID: LOCAL_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRETKEY: LOCAL_CREDENTIAL.secretKey,
    };
    const drain = await runCliToEnd(cli, ['drain'], second);
    const list = await runCliToEnd(cli, ['list', '--json', '--limit', '1000'], env);
    const emulatorStats = (await (await fetch(`${emulatorUrl}/_emulator/stats`)).json()) as { confirmed: number };
    dev.child.kill('SIGTERM');
    const devCode = await dev.exit;

    // Assess: after the first process stopped, the store holds what both saw.
    expect(drain.code, drain.stderr).toBe(0);
    expect(JSON.parse(drain.stdout)).toMatchObject({ inserted: 3, confirmed: 3 });
    expect(list.code, list.stderr).toBe(0);
    expect(devCode).toBe(0);
    const store = await openEventStore({ databaseUrl: undefined, pgliteDir: env.PGLITE_DIR, openEmbedded: openPglite });
    try {
      const { bySource } = await store.stats();
      // Seed: 5 queued events (the PullComplete also arrives by callback), 1 callback-only event (ConcatComplete).
      expect(bySource.pull).toBe(emulatorStats.confirmed);
      expect(emulatorStats.confirmed).toBe(5 + 3);
      expect(bySource.callback).toBe(1);
      expect((JSON.parse(list.stdout) as unknown[]).length).toBe(5 + 3 + 1);
    } finally {
      await store.close();
    }
  }, 90_000);
});
