// `vod-events send-test` against the callback function behind `vod-events serve`'s HTTP server,
// over real HTTP, storing in real PostgreSQL.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sendTestCommand } from '../../tools/cli/commands/send-test';
import { startCallbackServer } from '../../tools/cli/commands/serve';
import { UsageError } from '../../tools/cli/command';
import { loadConfig } from '../../lib/config';
import type { LocalGateway } from '../../tools/local-gateway/server';
import { createRuntime, type Runtime } from '../../lib/runtime';
import type { SqlClient } from '../../lib/store/sql-client';
import { openPostgres } from '../../lib/store/postgres-client';
import seeds from '../../samples/seed-events.json';
import { captureLog } from '../helpers/callback-requests';
import { captureIo } from '../helpers/cli-io';
import { createDatabase } from '../helpers/postgres-server';

const KEY = 'SendTestKey2026';
let runtime: Runtime;
let gateway: LocalGateway;
let sql: SqlClient;

beforeAll(async () => {
  const env = { DATABASE_URL: await createDatabase(inject('postgresUrl'), 'sendtest'), VOD_CALLBACK_SIGN_KEY: KEY };
  runtime = createRuntime(loadConfig(env), { log: captureLog() });
  gateway = await startCallbackServer(runtime, { port: 0, host: '127.0.0.1' });
  await runtime.store();
  sql = openPostgres(env.DATABASE_URL);
});
afterAll(async () => {
  await sql.close();
  await gateway.close();
  await runtime.close();
});

/** Runs the command, returning its exit code and what it printed. */
async function sendTest(values: Record<string, string>) {
  const { io, out, err } = captureIo();
  const code = await sendTestCommand.run({ values, positionals: [] }, io);
  return { code, output: `${out()}\n${err()}` };
}

describe('vod-events send-test', () => {
  it("posts the seed's PullComplete signed with the key: 200, stored, latency reported", async () => {
    const { code, output } = await sendTest({ url: gateway.url, key: KEY });
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`^POST ${gateway.url} \\(signed\\): 200 in \\d+ ms$`, 'm'));
    const rows = await sql.query(`select task_id, source from vod_events where event_type = 'PullComplete'`);
    expect(rows).toEqual([{ task_id: seeds.pullComplete003Callback.PullCompleteEvent.TaskId, source: 'callback' }]);
  });

  it('reports the refusal and exits 1 when the key is wrong', async () => {
    const { code, output } = await sendTest({ url: gateway.url, key: 'WrongKey' });
    expect(code).toBe(1);
    expect(output).toMatch(/: 401 in \d+ ms/);
  });

  it('exits 1 with the reason when nothing answers', async () => {
    const { code, output } = await sendTest({ url: 'http://127.0.0.1:9/vod/callback', key: KEY, 'timeout-ms': '2000' });
    expect(code).toBe(1);
    expect(output).toMatch(/^send-test: POST http:\/\/127\.0\.0\.1:9\/vod\/callback failed: /m);
  });

  it('refuses a missing or non-http --url', async () => {
    await expect(sendTestCommand.run({ values: {}, positionals: [] }, captureIo().io)).rejects.toThrow(UsageError);
    await expect(sendTestCommand.run({ values: { url: 'ftp://x' }, positionals: [] }, captureIo().io)).rejects.toThrow(
      /--url expects an http\(s\) URL/,
    );
  });
});
