import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Patch {
  module: string;
  dependency?: boolean;
  owner: string;
  method: string;
}
interface FakeModules {
  dir: string;
  version: string;
  load(file: string): unknown;
  loadDependency(name: string): unknown;
}
// CommonJS run by the Serverless Framework, so loaded the way the framework loads it.
const patches = createRequire(import.meta.url)('../../../../deploy/plugins/tencent-scf-patches.js') as {
  PINNED_VERSION: string;
  PATCHES: Patch[];
  patchProblem(modules: FakeModules): string | null;
  applyTencentPatches(serverless: unknown, modules: FakeModules): void;
};

const DIR = '/deploy/node_modules/serverless-tencent-scf';

/** A stand-in for serverless-tencent-scf with every method the patches replace, as no-op functions. */
function pluginWith(version: string, without: string[] = []) {
  const files = new Map<string, Record<string, unknown>>();
  for (const patch of patches.PATCHES) {
    const key = `${patch.dependency ? 'dependency:' : ''}${patch.module}`;
    if (!files.has(key)) files.set(key, {});
    let owner = files.get(key)!;
    for (const step of patch.owner.split('.').filter(Boolean)) owner = (owner[step] ??= {}) as Record<string, unknown>;
    if (!without.includes(patch.method)) owner[patch.method] = function original() {};
  }
  const load = (key: string) => {
    const exports = files.get(key);
    if (!exports) throw new Error(`Cannot find module '${key}'`);
    return exports;
  };
  return {
    dir: DIR,
    version,
    load: (file: string) => load(file),
    loadDependency: (name: string) => load(`dependency:${name}`),
    files,
  };
}

class ServerlessError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
const serverless = (command: string[]) => ({ classes: { Error: ServerlessError }, pluginManager: { cliCommands: command } });

describe('Module: deploy/plugins/tencent-scf-patches.js', () => {
  it('is written for serverless-tencent-scf 0.1.36, the version deploy/package.json pins', () => {
    const pinned = createRequire(import.meta.url)('../../../../deploy/package.json').devDependencies['serverless-tencent-scf'];
    expect(patches.PINNED_VERSION).toBe(pinned);
  });

  it('finds nothing to object to in the pinned version with every replaced method', () => {
    expect(patches.patchProblem(pluginWith('0.1.36'))).toBeNull();
  });

  it('names another version in one line', () => {
    expect(patches.patchProblem(pluginWith('0.1.37'))).toBe(
      `serverless-tencent-scf in ${DIR} differs from the 0.1.36 that deploy/plugins/tencent-scf-patches.js patches (version 0.1.37): run \`npm --prefix deploy ci\`, or port the patches to the new version`,
    );
  });

  it('names every missing method in one line', () => {
    const problem = patches.patchProblem(pluginWith('0.1.36', ['getUserAuth', 'validateEventsProperty']));
    expect(problem).toContain('(no provider/tencentProvider prototype.getUserAuth, no shared/validate validateEventsProperty)');
    expect(problem).not.toContain('\n');
  });

  it('names a missing module file like a missing method', () => {
    const plugin = pluginWith('0.1.36');
    plugin.files.delete('deploy/lib/deployTrigger');
    expect(patches.patchProblem(plugin)).toContain('(no deploy/lib/deployTrigger prototype.create)');
  });

  it('stops the command with that line as a ServerlessError before patching anything', () => {
    // Prepare
    const plugin = pluginWith('0.1.37', ['report']);
    const provider = plugin.files.get('provider/tencentProvider') as { prototype: Record<string, unknown> };
    const before = provider.prototype.getUserAuth;

    // Act
    const apply = () => patches.applyTencentPatches(serverless(['package']), plugin);

    // Assess
    expect(apply).toThrow(ServerlessError);
    expect(apply).toThrow(
      /^serverless-tencent-scf in \S+ differs from the 0\.1\.36 .*\(version 0\.1\.37; no serverless-tencent-tools Others\.DataReport\.DataReport\.prototype\.report\): run/,
    );
    expect(provider.prototype.getUserAuth).toBe(before);
  });

  it('replaces every method of the pinned version (getCredentials only where no credentials are needed)', () => {
    // Prepare
    const plugin = pluginWith('0.1.36');
    const originals = patches.PATCHES.map((patch) => {
      let owner = plugin.files.get(`${patch.dependency ? 'dependency:' : ''}${patch.module}`) as Record<string, unknown>;
      for (const step of patch.owner.split('.').filter(Boolean)) owner = owner[step] as Record<string, unknown>;
      return { patch, owner, original: owner[patch.method] };
    });

    // Act
    patches.applyTencentPatches(serverless(['deploy']), plugin);

    // Assess
    const unchanged = originals
      .filter(({ patch, owner, original }) => owner[patch.method] === original)
      .map(({ patch }) => patch.method);
    expect(unchanged).toEqual(['getCredentials']);
  });
});
