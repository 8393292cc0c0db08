// `vod-events send-test` against the callback function behind `vod-events serve`'s HTTP server,
// over real HTTP, storing in real PostgreSQL.
import { describe, expect, it } from 'vitest';
import { sendTestCommand } from '../../tools/cli/commands/send-test';
import { UsageError } from '../../tools/cli/command';
import seeds from '../../samples/seed-events.json';
import { captureIo } from '../helpers/cli-io';
import { servedCallback } from '../helpers/served-callback';

const KEY = 'SendTestKey2026';
const served = servedCallback({ VOD_CALLBACK_SIGN_KEY: KEY }, 'sendtest');

/** Runs the command, returning its exit code and what it printed. */
async function sendTest(values: Record<string, string>) {
  const { io, out, err } = captureIo();
  const code = await sendTestCommand.run({ values, positionals: [] }, io);
  return { code, output: `${out()}\n${err()}` };
}

describe('vod-events send-test', () => {
  it("posts the seed's PullComplete signed with the key: 200, stored, latency reported", async () => {
    const { code, output } = await sendTest({ url: served.url, key: KEY });
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`^POST ${served.url} \\(signed\\): 200 in \\d+ ms$`, 'm'));
    const rows = await served.sql.query(`select task_id, source from vod_events where event_type = 'PullComplete'`);
    expect(rows).toEqual([{ task_id: seeds.pullComplete003Callback.PullCompleteEvent.TaskId, source: 'callback' }]);
  });

  it('reports the refusal and exits 1 when the key is wrong', async () => {
    const { code, output } = await sendTest({ url: served.url, key: 'WrongKey' });
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
