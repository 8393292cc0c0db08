import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIAL } from '../../tools/emulator';
import { sdkClient } from '../helpers/emulator';

const root = resolve(__dirname, '../..');
let dir: string;
let cli: string;

beforeAll(async () => {
  // The CLI as `npm run build` bundles it, written to a temporary directory instead of dist/.
  dir = mkdtempSync(join(tmpdir(), 'vod-events-cli-'));
  cli = join(dir, 'cli.js');
  await build({ entryPoints: [join(root, 'tools/cli/index.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exit: Promise<number | null> } {
  const { TENCENTCLOUD_SECRETID: _id, TENCENTCLOUD_SECRETKEY: _key, ...rest } = process.env;
  const child = spawn(process.execPath, [cli, ...args], { env: { ...rest, NODE_PATH: join(root, 'node_modules'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => ({ stdout, stderr }), exit };
}

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((done) => setTimeout(done, 50));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

describe('CLI: vod-events emulator', () => {
  it('serves the events of --events FILE with the printed local key pair until SIGTERM', async () => {
    // Prepare
    const events = [{ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'cli-1' } }];
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(events));
    const proc = run(['emulator', '--port', '0', '--events', file, '--long-poll-ms', '100']);
    await waitFor(() => /listening on (http:\S+)/.test(proc.output().stdout), 'the listening line');
    const url = /listening on (http:\S+)/.exec(proc.output().stdout)![1]!;

    // Act
    const pulled = await sdkClient({ url }, { credential: LOCAL_CREDENTIAL }).PullEvents({});
    proc.child.kill('SIGTERM');
    const code = await proc.exit;

    // Assess
    expect(pulled.EventSet!.map(({ EventHandle: _, ...content }) => content)).toEqual(events);
    expect(proc.output().stdout).toContain(`TENCENTCLOUD_SECRETID=${LOCAL_CREDENTIAL.secretId}`);
    expect(proc.output().stdout).toContain('queued 1 events');
    expect(proc.output().stdout).toMatch(/stopped \(SIGTERM\); final stats \{"pending":0,"inflight":1/);
    expect(code).toBe(0);
  });

  it('exits 2 naming a bad flag', async () => {
    const proc = run(['emulator', '--port', '0', '--hang-rate', '1.5']);
    expect(await proc.exit).toBe(2);
    expect(proc.output().stderr).toContain('--hang-rate expects a number from 0 to 1, got "1.5"');
  });

  it('exits 2 naming the missing credential variable', async () => {
    const proc = run(['emulator', '--port', '0'], { TENCENTCLOUD_SECRETID: 'AKIDonly' });
    expect(await proc.exit).toBe(2);
    expect(proc.output().stderr).toContain('configuration error: TENCENTCLOUD_SECRETKEY');
  });
});
