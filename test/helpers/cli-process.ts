import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = resolve(__dirname, '../..');

/**
 * The CLI as `npm run build` bundles it, written to a temporary directory instead of dist/; its
 * packages load through `NODE_PATH` (see `cleanEnv`).
 */
export async function buildCli(plugins: Plugin[] = []): Promise<{ dir: string; cli: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vod-events-cli-'));
  const cli = join(dir, 'cli.js');
  await build({
    entryPoints: [join(root, 'tools/cli/index.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    plugins,
    logLevel: 'silent',
  });
  return { dir, cli };
}

/** The environment a newcomer's shell might have, minus anything pointing at a store or a VOD. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(TENCENTCLOUD_|VOD_|DATABASE_URL$|PGLITE_DIR$|DRAIN_)/.test(name)) env[name] = value;
  }
  return { ...env, NODE_PATH: join(root, 'node_modules') };
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
  /** Once the process has exited and all it wrote has been read: the signal that ended it (`null` when it exited by itself). */
  closed: Promise<NodeJS.Signals | null>;
}

export function runCli(cli: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): CliProcess {
  const child = spawn(process.execPath, [...nodeArgs, cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const closed = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_, signal) => done(signal)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit, closed };
}

/** Runs a command to its end. */
export async function runCliToEnd(cli: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []) {
  const proc = runCli(cli, args, env, nodeArgs);
  const code = await proc.exit;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
