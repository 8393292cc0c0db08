import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../tools/cli/main';

// Issue 12, item 7 (replay part): clean one-line errors, and no silent success on a file of nothing.
const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

async function run(...argv: string[]) {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = await main(argv);
    return { code, err: error.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('vod-events replay', () => {
  it('answers a directory with one line and exit 2, not an EISDIR stack', async () => {
    const { code, err } = await run('replay', dir);
    expect(code).toBe(2);
    expect(err).toBe(`vod-events replay: ${dir} is a directory: give the exported log file (or "-" for stdin)`);
  });

  it('exits non-zero when a non-empty file holds no line it recognises', async () => {
    vi.stubEnv('PGLITE_DIR', 'memory://');
    vi.stubEnv('DATABASE_URL', '');
    const file = join(dir, 'nothing.log');
    writeFileSync(file, 'START RequestId: 1\nsome,csv,row\n{"level":"info","message":"callback stored"}\n');
    const { code, err } = await run('replay', file);
    expect(code).toBe(1);
    expect(err).toMatch(/no line of .* holds a dead letter or a VOD event/);
  });
});
