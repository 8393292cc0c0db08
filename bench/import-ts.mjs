// @ts-check
// The benchmarks are plain Node scripts; the project's TypeScript helpers reach them bundled.
import { build } from 'esbuild';
import { join } from 'node:path';

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
  await build({ stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' }, outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  return import(outfile);
}
