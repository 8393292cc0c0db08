import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../lib/cli/main';

describe('vod-events dev --once', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vod-events-dev-'));
    for (const name of ['DATABASE_URL', 'VOD_ENDPOINT', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'VOD_CALLBACK_SIGN_KEY', 'VOD_API']) delete process.env[name];
    process.env.PGLITE_DIR = join(dir, 'pglite');
  });
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const runOnce = async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args.join(' ')));
    const code = await main(['dev', '--once', '--port', '0']);
    vi.restoreAllMocks();
    return { code, output: printed.join('\n') };
  };
  const deliveriesOf = (output: string, type: string) =>
    output
      .split('\n')
      .filter((line) => line.includes(` ${type} `))
      .map((line) => Number(line.trim().split(/\s+/).at(-1)));

  it('drains the seed events, takes the pushed callbacks, prints the table and exits 0', async () => {
    const { code, output } = await runOnce();
    expect(code).toBe(0);
    expect(output).toMatch(/drain: pulled 5, new 5, duplicates 0, confirmed 5 \(drained/);
    expect(output).toMatch(/callbacks pushed: 2/);
    for (const type of ['NewFileUpload', 'ProcedureStateChanged', 'EditMediaComplete', 'PullComplete', 'ConcatComplete']) {
      expect(output).toContain(` ${type} `);
    }
    // The PullComplete pulled from the queue and the one pushed by callback are one event.
    expect(deliveriesOf(output, 'PullComplete')).toEqual([2]);
    expect(deliveriesOf(output, 'ProcedureStateChanged')).toEqual([1, 1]);
  });

  it('keeps the embedded store between runs: a second run counts deliveries, adds no rows', async () => {
    await runOnce();
    const { code, output } = await runOnce();
    expect(code).toBe(0);
    expect(output).toMatch(/drain: pulled 5, new 0, duplicates 5/);
    expect(deliveriesOf(output, 'PullComplete')).toEqual([4]);
    expect(deliveriesOf(output, 'ConcatComplete')).toEqual([2]);
  });

  it('rejects a bad flag with the command help', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    expect(await main(['dev', '--interval-ms', '10'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--interval-ms expects a whole number from 500 to 3600000, got "10"/);
  });
});
