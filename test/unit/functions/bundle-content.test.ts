// The function bundles carry only shipped code: nothing of tools/ (emulator, local gateway, CLI,
// embedded store). The lint rule stops a direct import; this catches one through any path.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');

describe.each(['callback', 'pull-events'])('the %s function bundle', (name) => {
  it('contains no module of tools/ and no embedded PGlite', async () => {
    const result = await build({
      entryPoints: [resolve(root, `functions/${name}/index.ts`)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith('lib/'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('tools/') || input.includes('@electric-sql/pglite'))).toEqual([]);
  });
});
