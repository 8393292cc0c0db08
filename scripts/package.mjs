// @ts-check
// `npm run package` — build the bundles, then `serverless package`: one zip per function in
//                     .serverless/ (index.js at the root), plus .serverless/scf-resources.json.
//                     Works offline and without Tencent Cloud credentials.
// `npm run deploy [-- --stage prod] [-- --region ap-shanghai]` — build, then `serverless deploy`;
//                     every argument after `--` goes to serverless unchanged.
//
// The deploy tooling (Serverless Framework v3 + serverless-tencent-scf) is its own npm package in
// deploy/, installed from its lockfile on first use.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deployDir = join(root, 'deploy');
const args = process.argv.slice(2);
const deploy = args.includes('--deploy');
const passThrough = args.filter((arg) => arg !== '--deploy');

/**
 * Runs a command in the repository root with the terminal attached; exits with its code if it fails.
 * @param {string} command
 * @param {string[]} commandArgs
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) {
    console.error(`${command} ${commandArgs.join(' ')}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** @type {(file: string) => any} */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** True when deploy/node_modules holds exactly the versions deploy/package.json pins. */
function deployToolingInstalled() {
  const pins = readJson(join(deployDir, 'package.json')).devDependencies;
  return Object.entries(pins).every(([name, pin]) => {
    const manifest = join(deployDir, 'node_modules', name, 'package.json');
    // An alias ("npm:package@1.2.3") installs that package's manifest under the alias's name.
    const version = pin.replace(/^npm:.+@/, '');
    return existsSync(manifest) && readJson(manifest).version === version;
  });
}

/**
 * The deploy environment mistakes that a deploy would otherwise carry to a live, public function
 * URL: the first one found, as one line naming the variable, or null. Checked before any API call.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | null}
 */
function preflightProblem(env) {
  const url = (env.DATABASE_URL ?? '').trim();
  if (url === '') {
    return 'DATABASE_URL is not set: the functions need a PostgreSQL URL (postgres://user:password@host:5432/db); SCF has no disk for the embedded store.';
  }
  if (!/^postgres(ql)?:\/\/[^/]/.test(url)) {
    return `DATABASE_URL must be a postgres:// (or postgresql://) URL, got "${url.split(':')[0]}:…".`;
  }
  const keys = (env.VOD_CALLBACK_SIGN_KEY ?? '').trim();
  // VOD's SignKey: letters and digits, at most 32 (SDK ModifyEventConfigRequest.SignKey); two
  // keys separated by a comma while one is rotated.
  if (keys !== '' && !keys.split(',').every((key) => /^[A-Za-z0-9]{1,32}$/.test(key.trim()))) {
    return 'VOD_CALLBACK_SIGN_KEY must be letters and digits, at most 32 (two keys: separated by a comma), as VOD accepts for SignKey.';
  }
  if (keys === '' && env.VOD_CALLBACK_UNSIGNED !== '1') {
    return "VOD_CALLBACK_SIGN_KEY is not set: the function URL is public and would store anyone's body. Set the key you give VOD (ModifyEventConfig SignKey), or VOD_CALLBACK_UNSIGNED=1 to deploy an unsigned callback on purpose.";
  }
  return null;
}

// 0. Deploy only: refuse a deployment that cannot work or would be open to anyone.
if (deploy) {
  const problem = preflightProblem(process.env);
  if (problem) {
    console.error(`npm run deploy: ${problem}`);
    process.exit(1);
  }
}

// 1. Bundles: dist/pull-events/index.js, dist/callback/index.js.
run(process.execPath, [join(root, 'scripts', 'build.mjs')]);

// 2. Deploy tooling, from deploy/package-lock.json. Its install scripts only print notices.
if (!deployToolingInstalled()) {
  console.log('Installing the deploy tooling (deploy/package-lock.json)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['ci', '--prefix', deployDir, '--ignore-scripts', '--no-audit', '--no-fund'], {
    shell: process.platform === 'win32',
  });
}

// 3. serverless package | deploy, from the repository root (the framework finds serverless.yml
//    in the working directory; serverless-tencent-scf resolves from deploy/node_modules, next to
//    the framework). Stale artifacts go first so nothing old can be deployed or inspected.
rmSync(join(root, '.serverless'), { recursive: true, force: true });
const serverlessBin = join(deployDir, 'node_modules', 'serverless', 'bin', 'serverless.js');
run(process.execPath, [serverlessBin, deploy ? 'deploy' : 'package', ...passThrough], {
  env: {
    ...process.env,
    // Framework v3: no usage telemetry, no notifications (update/deprecation checks),
    // never hand over to the retired "Serverless Tencent CLI" on machines set to China time.
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_GEO_LOCATION: 'no-cn',
    // serverless-tencent-scf's own calls home are switched off by deploy/plugins/tencent-offline-safe.js.
  },
});
