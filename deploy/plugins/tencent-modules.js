// @ts-check
'use strict';

// Loads serverless-tencent-scf's own modules from where the framework found that plugin, so a
// patch lands on the very objects the plugin uses (Node caches a module per resolved file).
// The framework looks for a plugin in the service directory first, then next to itself
// (lib/classes/plugin-manager.js, requireServicePlugin); this does the same.

const path = require('path');
const { createRequire } = require('module');

const PLUGIN = 'serverless-tencent-scf';

/** @param {any} serverless the framework instance (Serverless Framework v3 ships no types) */
function resolvePluginDir(serverless) {
  const bases = [
    path.join(serverless.serviceDir || serverless.config.servicePath || process.cwd(), 'noop.js'),
    path.join(serverless.config.serverlessPath, 'classes', 'plugin-manager.js'),
    __filename,
  ];
  for (const base of bases) {
    try {
      return path.dirname(createRequire(base).resolve(`${PLUGIN}/package.json`));
    } catch {
      // try the next place
    }
  }
  throw new Error(`${PLUGIN} is not installed: run \`npm --prefix deploy ci\``);
}

/**
 * `load(relativePath)` requires a file of serverless-tencent-scf; `loadDependency(name)` one of its dependencies.
 *
 * @param {any} serverless
 * @returns {{ dir: string, version: string, load(relativePath: string): any, loadDependency(name: string): any }}
 */
function tencentModules(serverless) {
  const dir = resolvePluginDir(serverless);
  const pluginRequire = createRequire(path.join(dir, 'index.js'));
  const version = pluginRequire('./package.json').version;
  return {
    dir,
    version,
    load: (relativePath) => pluginRequire(`./${relativePath}`),
    loadDependency: (name) => pluginRequire(name),
  };
}

module.exports = { tencentModules };
