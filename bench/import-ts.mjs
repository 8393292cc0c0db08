// @ts-check
// The benchmarks are plain Node scripts; the project's TypeScript helpers reach them bundled.
import { build } from 'esbuild';
import { basename, join } from 'node:path';

/** Bundled inside the project so the bundles' bare imports resolve from its node_modules. */
export const OUT_DIR = '.tmp/bench';

/**
 * Loads `source` (TypeScript that re-exports project modules, paths relative to the project root)
 * through esbuild, packages left external, as `.tmp/bench/<name>.mjs`.
 *
 * @param {string} name
 * @param {string} source
 * @returns {Promise<unknown>} the module namespace; callers name its type with a JSDoc cast
 */
export async function importTs(name, source) {
  const outfile = join(process.cwd(), OUT_DIR, `${name}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return import(outfile);
}

/**
 * A TypeScript worker bundled to one ESM file, run in its own process so its peak RSS is its own.
 *
 * @param {string} entry path from the project root, e.g. `bench/drain-worker.ts`
 * @returns {Promise<string>} the bundle's path
 */
export async function bundleWorker(entry) {
  const outfile = join(OUT_DIR, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@electric-sql/pglite'],
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}
