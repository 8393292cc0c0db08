import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIAL } from '../../tools/emulator';
import { buildCli, cleanEnv, runCli, waitFor } from '../helpers/cli-process';
import { sdkClient } from '../helpers/emulator';

let dir: string;
let cli: string;

beforeAll(async () => {
  ({ dir, cli } = await buildCli());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => runCli(cli, args, { ...cleanEnv(), ...env });

describe('CLI: vod-events emulator', () => {
  it('serves the events of --events FILE with the printed local key pair until SIGTERM', async () => {
    // Prepare
    const events = [{ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'cli-1' } }];
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(events));
    const proc = run(['emulator', '--port', '0', '--events', file, '--long-poll-ms', '100']);
    await waitFor(() => /listening on (http:\S+)/.test(proc.stdout()), 'the listening line');
    const url = /listening on (http:\S+)/.exec(proc.stdout())![1]!;

    // Act
    const pulled = await sdkClient({ url }, { credential: LOCAL_CREDENTIAL }).PullEvents({});
    proc.child.kill('SIGTERM');
    const code = await proc.exit;

    // Assess
    expect(pulled.EventSet!.map(({ EventHandle: _, ...content }) => content)).toEqual(events);
    expect(proc.stdout()).toContain(`TENCENTCLOUD_SECRETID=${LOCAL_CREDENTIAL.secretId}`);
    expect(proc.stdout()).toContain('queued 1 events');
    expect(proc.stdout()).toMatch(/stopped \(SIGTERM\); final stats \{"pending":0,"inflight":1/);
    expect(code).toBe(0);
  });

  it('exits 2 naming a bad flag', async () => {
    const proc = run(['emulator', '--port', '0', '--hang-rate', '1.5']);
    expect(await proc.exit).toBe(2);
    expect(proc.stderr()).toContain('--hang-rate expects a number from 0 to 1, got "1.5"');
  });

  it('exits 2 naming the missing credential variable', async () => {
    const proc = run(['emulator', '--port', '0'], { TENCENTCLOUD_SECRETID: 'AKIDonly' });
    expect(await proc.exit).toBe(2);
    expect(proc.stderr()).toContain('configuration error: TENCENTCLOUD_SECRETKEY');
  });
});
