import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../../tools/cli/main';
import { captureIo } from '../../../helpers/cli-io';

// Issue 12, item 7 (replay part): clean one-line errors, and no silent success on a file of nothing.
const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI on an in-memory embedded store. */
async function run(...argv: string[]) {
  const { io, err } = captureIo({ PGLITE_DIR: 'memory://' });
  const code = await main(argv, io);
  return { code, err: err() };
}

describe('vod-events replay', () => {
  it('answers a directory with one line and exit 2, not an EISDIR stack', async () => {
    const { code, err } = await run('replay', dir);
    expect(code).toBe(2);
    expect(err).toBe(`vod-events replay: ${dir} is a directory: give the exported log file (or "-" for stdin)`);
  });

  it('exits non-zero when a non-empty file holds no line it recognises', async () => {
    const file = join(dir, 'nothing.log');
    writeFileSync(file, 'START RequestId: 1\nsome,csv,row\n{"level":"info","message":"callback stored"}\n');
    const { code, err } = await run('replay', file);
    expect(code).toBe(1);
    expect(err).toMatch(/no line of .* holds a dead letter or a VOD event/);
  });
});
