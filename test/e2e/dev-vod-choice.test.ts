import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cleanEnv, runCliToEnd } from '../helpers/cli-process';

const guard = ['--require', resolve(__dirname, '../helpers/loopback-only.cjs')];
let dir: string;
let cli: string;
beforeAll(async () => ({ dir, cli } = await buildCli()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vod-events dev and the real VOD', () => {
  // The standard Tencent variables a developer has exported for other tools.
  const withTencentKeys = () => ({
    ...cleanEnv(),
    PGLITE_DIR: join(dir, 'pglite'),
    TENCENTCLOUD_SECRETID: 'AKIDreal0000000000',
    TENCENTCLOUD_SECRETKEY: 'real-secret-key',
    DRAIN_BUDGET_MS: '2000',
  });

  it('without --real-vod never contacts a non-loopback host, even with TENCENTCLOUD_SECRETID/SECRETKEY set', async () => {
    const run = await runCliToEnd(cli, ['dev', '--once', '--port', '0'], withTencentKeys(), guard);

    expect(run.stderr).not.toContain('NON-LOOPBACK');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^vod-events dev — VOD: local emulator http:\/\/127\.0\.0\.1:\d+ \(not the real VOD/);
    expect(run.stdout).toMatch(/drain: pulled 5, new 5/);
  }, 60_000);

  it('with --real-vod drains the VOD of the environment and says so first', async () => {
    const run = await runCliToEnd(cli, ['dev', '--once', '--port', '0', '--real-vod'], withTencentKeys(), guard);

    expect(run.stderr).toContain('NON-LOOPBACK vod.tencentcloudapi.com:443');
    expect(run.stdout).toMatch(/^vod-events dev — VOD: REAL VOD at https:\/\/vod\.tencentcloudapi\.com/);
    expect(run.code).toBe(1); // The guard refused the connection, so the drain failed.
  }, 60_000);

  it('--real-vod without credentials is a configuration error: one line, exit 2, nothing started', async () => {
    const { TENCENTCLOUD_SECRETID: _id, TENCENTCLOUD_SECRETKEY: _key, ...env } = withTencentKeys();
    const run = await runCliToEnd(cli, ['dev', '--once', '--port', '0', '--real-vod'], env, guard);

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^vod-events dev: configuration error: TENCENTCLOUD_SECRETID: VOD credentials are missing/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  }, 60_000);
});
