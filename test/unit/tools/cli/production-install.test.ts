import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// `npm install --omit=dev` installs `dependencies` only and still runs `prepare` (the build), after
// which `vod-events` runs the CLI bundle: whatever the build and the bundle load must be there.
const root = resolve(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('a production install (npm install --omit=dev) runs the CLI', () => {
  it('the build that `prepare` runs needs only dependencies', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/build.mjs');
    const imports = [...readFileSync(resolve(root, 'scripts/build.mjs'), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map(
      (match) => match[1]!,
    );
    const packages = imports.filter((specifier) => !specifier.startsWith('node:')).map(packageName);

    expect(packages).toContain('esbuild');
    for (const name of packages) expect(Object.keys(pkg.dependencies), name).toContain(name);
  });

  it('every package the CLI bundle loads at run time is a dependency', async () => {
    const result = await build({
      entryPoints: [resolve(root, 'tools/cli/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const external = Object.values(result.metafile.inputs).flatMap((input) =>
      input.imports.filter((entry) => entry.external && !entry.path.startsWith('node:')).map((entry) => packageName(entry.path)),
    );

    expect(external.length).toBeGreaterThan(0);
    for (const name of new Set(external)) expect(Object.keys(pkg.dependencies), name).toContain(name);
  });
});
