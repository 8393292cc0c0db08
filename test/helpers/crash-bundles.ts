import { resolve, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { buildCli } from './cli-process';

const root = resolve(__dirname, '../..');

/** Resolves the import of handlers/ (by functions/*\/index.ts and the CLI) to `replacement` instead. */
export function swapHandlers(replacement: string): Plugin {
  const handlers = join(root, 'handlers');
  return {
    name: 'swap-handlers',
    setup(plugin) {
      plugin.onResolve({ filter: /handlers$/ }, (args) =>
        resolve(args.resolveDir, args.path) === handlers ? { path: replacement } : undefined,
      );
    },
  };
}

export interface CrashBundles {
  /** A temporary directory holding everything below; remove it when done. */
  dir: string;
  /** The SCF bundles, `index.js` exporting `main_handler`. */
  pullEvents: string;
  callback: string;
  /** The `vod-events` CLI (its `dispatch` command). */
  cli: string;
  /** test/helpers/crash-timer-instance.ts and crash-callback-instance.ts, which load the SCF bundles. */
  timerInstance: string;
  callbackInstance: string;
}

/**
 * The two functions and the CLI bundled from their entry modules as `npm run build` bundles them
 * (scripts/build.mjs; not minified), except that handlers/index.ts is replaced by
 * test/helpers/crash-handlers.ts — the one module a user edits — and the processes that run the
 * function bundles as SCF instances would.
 */
export async function buildCrashBundles(): Promise<CrashBundles> {
  const swap = swapHandlers(join(root, 'test/helpers/crash-handlers.ts'));
  const { dir, cli } = await buildCli([swap]);
  const bundle = async (entry: string, outfile: string, options: BuildOptions) => {
    await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
      ...options,
    });
    return outfile;
  };
  // Function bundles carry every dependency, as on SCF; the instances load theirs from node_modules.
  const functionBundle = (name: string) => bundle(`functions/${name}/index.ts`, join(dir, name, 'index.js'), { plugins: [swap] });
  const instance = (name: string) => bundle(`test/helpers/${name}.ts`, join(dir, `${name}.js`), { packages: 'external' });
  const [pullEvents, callback, timerInstance, callbackInstance] = await Promise.all([
    functionBundle('pull-events'),
    functionBundle('callback'),
    instance('crash-timer-instance'),
    instance('crash-callback-instance'),
  ]);
  return { dir, pullEvents, callback, cli, timerInstance, callbackInstance };
}
