// @ts-check
// Bundles the two SCF functions and the CLI with esbuild, then prints each bundle's size.
/** @import { BuildOptions } from 'esbuild' */
import { build } from 'esbuild';
import { existsSync, statSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Loads handlers/index.ts the way the functions will and checks every handler (name, run,
 * options), so a handler module that throws at load or is malformed fails the build, not every
 * invocation in production.
 */
async function checkHandlers() {
  const dir = mkdtempSync(join(tmpdir(), 'vod-events-handlers-'));
  const outfile = join(dir, 'check.cjs');
  try {
    await build({
      stdin: {
        contents: `import handlers from './handlers'; import { createRegistry } from './lib/react/registry';
module.exports = createRegistry(handlers).handlers.map((handler) => handler.name);`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'silent',
    });
    return createRequire(import.meta.url)(outfile);
  } catch (error) {
    console.error(`handlers/ cannot be loaded: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const handlerNames = await checkHandlers();

// SCF runtime Nodejs20.19 (serverless.yml). Function bundles carry every dependency (SCF Node
// runtimes >= 14.18 ship none); nothing of tools/ (the embedded store among them) is reachable from
// functions/ (lint rule; test/unit/functions/bundle-content.test.ts).
/** @type {(name: string) => BuildOptions & { outfile: string }} */
const functionBundle = (name) => ({
  entryPoints: [`functions/${name}/index.ts`],
  outfile: `dist/${name}/index.js`,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // Class names survive minification, so error names in the logs (and `constructor.name`) stay readable.
  keepNames: true,
  format: 'cjs',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

/** @type {(BuildOptions & { outfile: string })[]} */
const bundles = [
  ...['pull-events', 'callback'].filter((name) => existsSync(`functions/${name}/index.ts`)).map(functionBundle),
  {
    entryPoints: ['tools/cli/index.ts'],
    outfile: 'dist/cli/index.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // The CLI runs inside the installed project, so its dependencies load from node_modules.
    packages: 'external',
    logLevel: 'warning',
  },
];

await Promise.all(bundles.map((options) => build(options)));
mkdirSync('dist', { recursive: true });
// The package has no "type" field, but say it outright: these bundles are CommonJS.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
console.log(`handlers: ${handlerNames.length === 0 ? '(none)' : handlerNames.join(', ')}`);
for (const { outfile } of bundles) {
  console.log(`${outfile.padEnd(28)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
