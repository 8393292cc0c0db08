import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildCli, cleanEnv, runCli } from '../helpers/cli-process';
import { swapHandlers } from '../helpers/crash-bundles';
import { createDatabase } from '../helpers/postgres-server';

let built: { dir: string; cli: string };

beforeAll(async () => {
  built = await buildCli([swapHandlers(resolve(__dirname, '../helpers/lingering-handlers.ts'))]);
});

afterAll(() => rmSync(built.dir, { recursive: true, force: true }));

it('ends `dispatch` once its summary is out, though a handler module keeps a timer (its own pool) alive', async () => {
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'cliexit');
  const proc = runCli(built.cli, ['dispatch', '--budget-ms', '2000'], { ...cleanEnv(), DATABASE_URL: databaseUrl });
  const ended = await Promise.race([proc.exit, new Promise((done) => setTimeout(() => done('still running'), 20_000))]);
  if (ended === 'still running') proc.child.kill('SIGKILL');
  expect(ended).toBe(0);
  expect(JSON.parse(proc.stdout())).toMatchObject({ runsSucceeded: 0, runsFailed: 0 });
}, 30_000);
