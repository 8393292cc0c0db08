// @ts-check
// Bundles the two SCF functions and the CLI with esbuild, then prints each bundle's size.
/** @import { BuildOptions } from 'esbuild' */
import { build } from 'esbuild';
import { existsSync, statSync, writeFileSync, mkdirSync } from 'node:fs';

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
for (const { outfile } of bundles) {
  console.log(`${outfile.padEnd(28)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
