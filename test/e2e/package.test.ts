// `npm run package` and `npm run deploy` end to end, with no network beyond what the machine has
// (the first run on a fresh clone installs deploy/ from its lockfile). Packaging must work offline
// and without credentials; the deploy runs against an in-process fake of Tencent Cloud
// (deploy/test/fake-tencent-cloud.cjs) that also refuses every outside connection.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'vod-events-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TABLE_VARIABLES = [
  'DATABASE_URL',
  'VOD_ENDPOINT',
  'VOD_API',
  'VOD_SUBAPP_ID',
  'VOD_MAX_QPS',
  'DRAIN_CONCURRENCY',
  'DRAIN_MAX_BATCHES',
  'DRAIN_BUDGET_MS',
  'VOD_CALLBACK_SIGN_KEY',
  'CALLBACK_MAX_BODY_BYTES',
];
// What the "deploy environment" holds in these tests; everything else of the table is unset.
const DEPLOY_ENV = {
  DATABASE_URL: 'postgres://vod:secret@10.0.0.5:5432/vod',
  VOD_SUBAPP_ID: '1500000001',
  VOD_CALLBACK_SIGN_KEY: 'sign-key-under-test',
};

/** The parent's environment without anything that would change the deploy, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...TABLE_VARIABLES, 'NODE_OPTIONS', 'PULL_EVENTS_CRON', 'SCF_VPC_ID', 'SCF_SUBNET_ID', 'SCF_ROLE', 'APIGW_SERVICE_ID', 'TENCENT_REGION']) {
    delete env[name];
  }
  return {
    ...env,
    ...DEPLOY_ENV,
    // Present in the shell, must never reach the functions (SCF injects them from the role).
    TENCENTCLOUD_SECRETID: 'AKID-must-not-be-deployed',
    TENCENTCLOUD_SECRETKEY: 'must-not-be-deployed',
    TENCENT_CREDENTIALS_FILE: join(scratch, 'no-such-credentials'),
    ...extra,
  };
}

function npmRun(args: string[], extra: Record<string, string> = {}, timeout = 240_000) {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', ...args], {
    cwd: root,
    env: childEnv(extra),
    encoding: 'utf8',
    timeout,
    shell: process.platform === 'win32',
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`, error: result.error };
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Reads a zip through its central directory (no `unzip` needed). */
function readZip(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file}: not a zip`);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressedSize);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

interface ScfFunction {
  Type: string;
  Properties: {
    CodeUri: { Bucket: string; Key: string };
    Handler: string;
    Runtime: string;
    Timeout: number;
    MemorySize: number;
    Role: string;
    FunctionName: string;
    Artifact: string;
    Environment?: { Variables: Record<string, string> };
    VpcConfig?: { VpcId: string; SubnetId: string };
    Events: Record<string, { Type: string; Properties: Record<string, unknown> }>[];
  };
}

const FUNCTIONS = ['pull-events', 'callback'] as const;

/** `value`, or a failed assertion naming what was missing. */
function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}

describe('npm run package (offline, no credentials)', () => {
  let run: ReturnType<typeof npmRun>;
  const zips = new Map<string, ZipEntry[]>();
  const zipSizes = new Map<string, number>();
  let resources: Record<string, ScfFunction>;
  const props = (name: string) => present(resources[name], `function ${name}`).Properties;
  const trigger = (name: string, triggerName: string) =>
    present(props(name).Events[0]?.[triggerName], `trigger ${triggerName} of ${name}`);
  let serverlessYml: string;

  beforeAll(() => {
    run = npmRun(['package']);
    if (run.status !== 0) throw new Error(`npm run package failed (${run.status}, ${run.error?.message ?? ''}):\n${run.output}`);
    for (const name of FUNCTIONS) {
      const file = join(root, '.serverless', `${name}.zip`);
      zips.set(name, readZip(file));
      zipSizes.set(name, readFileSync(file).length);
    }
    const summary = JSON.parse(readFileSync(join(root, '.serverless', 'scf-resources.json'), 'utf8'));
    resources = summary.Resources.default;
    serverlessYml = readFileSync(join(root, 'serverless.yml'), 'utf8');
  }, 300_000);

  it('makes one zip per function holding exactly the bundle, index.js at the root', () => {
    for (const name of FUNCTIONS) {
      const entries = zips.get(name)!;
      expect(entries.map((entry) => entry.name).sort()).toEqual(['index.js', 'index.js.map']);
      const built = readFileSync(join(root, 'dist', name, 'index.js'));
      expect(entries.find((entry) => entry.name === 'index.js')!.data.equals(built)).toBe(true);
    }
    expect(run.output).toMatch(/Packaged pull-events: \.serverless\/pull-events\.zip/);
    expect(run.output).toMatch(/Packaged callback: \.serverless\/callback\.zip/);
  });

  it('each artifact loads on its own, outside the repository, and exports main_handler', () => {
    for (const name of FUNCTIONS) {
      const dir = join(scratch, `unzipped-${name}`);
      mkdirSync(dir, { recursive: true });
      for (const entry of zips.get(name)!) writeFileSync(join(dir, entry.name), entry.data);
      // No node_modules anywhere above `dir`: SCF's Node runtimes from 14.18 ship no libraries.
      const probe = spawnSync(
        process.execPath,
        ['-e', 'const m = require(process.argv[1]); process.stdout.write(`\\nmain_handler=${typeof m.main_handler}\\n`)', join(dir, 'index.js')],
        {
          cwd: dir,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none',
            TENCENTCLOUD_SECRETID: 'AKIDtest',
            TENCENTCLOUD_SECRETKEY: 'test',
          },
        }
      );
      expect(probe.stderr).not.toMatch(/Cannot find module/);
      expect(probe.stdout).toMatch(/^main_handler=function$/m);
    }
  });

  it('keeps the callback artifact free of PGlite and the Tencent Cloud SDK', () => {
    const entries = zips.get('callback')!;
    expect(entries.some((entry) => /node_modules|\.wasm$|\.data$/.test(entry.name))).toBe(false);
    const map = JSON.parse(entries.find((entry) => entry.name === 'index.js.map')!.data.toString('utf8'));
    const sources: string[] = map.sources;
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => /@electric-sql[\\/]pglite|tencentcloud-sdk/.test(source))).toEqual([]);
    expect(zipSizes.get('callback')!).toBeLessThan(zipSizes.get('pull-events')!);
  });

  it('configures both functions with handler index.main_handler on Nodejs20.15', () => {
    expect(serverlessYml).toMatch(/^frameworkVersion: '3'$/m);
    const handlers = [...serverlessYml.matchAll(/^\s+handler:\s*(\S+)\s*$/gm)].map((match) => match[1]);
    expect(handlers).toEqual(['index.main_handler', 'index.main_handler']);
    expect(Object.keys(resources).filter((key) => key !== 'Type').sort()).toEqual(['callback', 'pull-events']);
    for (const name of FUNCTIONS) {
      const Properties = props(name);
      expect(Properties.Handler).toBe('index.main_handler');
      expect(Properties.Runtime).toBe('Nodejs20.15');
      expect(Properties.Role).toBe('SCF_QcsRole');
      expect(Properties.FunctionName).toBe(`vod-events-dev-${name}`);
      expect(Properties.Artifact).toBe(join('.serverless', `${name}.zip`));
    }
    // Each function has its own COS object (the plugin alone gives all of them one).
    expect(props('pull-events').CodeUri.Key).not.toBe(props('callback').CodeUri.Key);
    expect(props('pull-events').CodeUri.Key).toMatch(/-pull-events\.zip$/);
    expect(props('callback').CodeUri.Key).toMatch(/-callback\.zip$/);
  });

  it('gives pull-events a 60 s timeout, 256 MB and an enabled 7-field timer', () => {
    const Properties = props('pull-events');
    expect(Properties.Timeout).toBe(60);
    expect(Properties.MemorySize).toBe(256);
    expect(Properties.Events).toHaveLength(1);
    const timer = trigger('pull-events', 'pull-events-timer');
    expect(timer.Type).toBe('Timer');
    expect(timer.Properties.CronExpression).toBe('0 */1 * * * * *');
    expect(String(timer.Properties.CronExpression).split(/\s+/)).toHaveLength(7);
    expect(timer.Properties.Enable).toBe(true);
  });

  it('gives callback a short timeout, 128 MB and a POST /vod/callback gateway trigger with integrated response', () => {
    const Properties = props('callback');
    expect(Properties.Timeout).toBe(10);
    expect(Properties.MemorySize).toBe(128);
    expect(Properties.Events).toHaveLength(1);
    const gateway = trigger('callback', 'callback-apigw');
    expect(gateway.Type).toBe('APIGW');
    expect(gateway.Properties).toMatchObject({
      HttpMethod: 'POST',
      Path: '/vod/callback',
      IntegratedResponse: true,
      StageName: 'release',
      Enable: true,
    });
    expect(gateway.Properties.ServiceTimeout).toBeGreaterThan(Properties.Timeout);
  });

  it('passes the set variables of the environment table, leaves unset ones out and never TENCENTCLOUD_*', () => {
    for (const name of FUNCTIONS) {
      const variables = present(props(name).Environment, `environment of ${name}`).Variables;
      expect(Object.keys(variables).sort()).toEqual(Object.keys(DEPLOY_ENV).sort());
      // The summary never holds the values themselves.
      expect(Object.values(variables)).toEqual(['***', '***', '***']);
      expect(props(name).VpcConfig).toBeUndefined();
    }
    for (const name of TABLE_VARIABLES) expect(serverlessYml).toContain(`${name}: \${env:${name}, ''}`);
    expect(serverlessYml).not.toMatch(/TENCENTCLOUD_\w+:/);
  });
});

describe('npm run deploy', () => {
  it('fails at once with a clear message when no credentials file exists', () => {
    const missing = join(scratch, 'no-such-credentials');
    const run = npmRun(['deploy', '--', '--stage', 'prod'], { TENCENT_CREDENTIALS_FILE: missing }, 120_000);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('No Tencent Cloud credentials for "serverless deploy"');
    expect(run.output).toContain(missing);
    expect(run.output).toContain('tencent_secret_id');
    expect(run.output).not.toMatch(/Creating function/);
  }, 150_000);

  it('uploads each function its own artifact and creates functions and triggers as configured', () => {
    const credentials = join(scratch, 'credentials');
    writeFileSync(credentials, '[default]\ntencent_secret_id = AKIDfake\ntencent_secret_key = fake\n');
    const recordFile = join(scratch, 'fake-cloud.json');
    const run = npmRun(
      ['deploy', '--', '--stage', 'prod', '--region', 'ap-shanghai'],
      {
        TENCENT_CREDENTIALS_FILE: credentials,
        FAKE_TENCENT_RECORD: recordFile,
        NODE_OPTIONS: `--require ${join(root, 'deploy', 'test', 'fake-tencent-cloud.cjs')}`,
        SCF_VPC_ID: 'vpc-test0001',
        SCF_SUBNET_ID: 'subnet-test0001',
      },
      180_000
    );
    if (run.status !== 0) throw new Error(`npm run deploy failed (${run.status}):\n${run.output}`);
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));

    // Nothing but the (faked) Tencent Cloud APIs: no telemetry, no "real-name" check, no QR login.
    expect(record.blockedConnections).toEqual([]);

    const zipUploads = record.cos.filter((upload: { Key: string }) => upload.Key.endsWith('.zip'));
    expect(zipUploads.map((upload: { file: string }) => relative(root, upload.file)).sort()).toEqual(
      [join('.serverless', 'callback.zip'), join('.serverless', 'pull-events.zip')].sort()
    );
    const calls = (action: string) =>
      record.calls.filter((call: { action: string }) => call.action === action).map((call: { params: any }) => call.params);

    const created = calls('CreateFunction');
    expect(created.map((params: any) => params.FunctionName).sort()).toEqual(['vod-events-prod-callback', 'vod-events-prod-pull-events']);
    for (const params of created) {
      const name = params.FunctionName.replace('vod-events-prod-', '');
      const upload = zipUploads.find((candidate: { file: string }) => candidate.file.endsWith(`${name}.zip`));
      expect(params.Code.CosObjectName).toBe(`/${upload.Key}`);
      expect(params.Handler).toBe('index.main_handler');
      expect(params.Runtime).toBe('Nodejs20.15');
      expect(params.Role).toBe('SCF_QcsRole');
      expect(params.VpcConfig).toEqual({ VpcId: 'vpc-test0001', SubnetId: 'subnet-test0001' });
      expect(Object.fromEntries(params.Environment.Variables.map((v: { Key: string; Value: string }) => [v.Key, v.Value]))).toEqual(DEPLOY_ENV);
      expect(params.Timeout).toBe(name === 'pull-events' ? 60 : 10);
      expect(params.MemorySize).toBe(name === 'pull-events' ? 256 : 128);
    }
    expect(calls('GetUserAppId').length).toBeGreaterThan(0);

    const triggers = calls('CreateTrigger');
    const timer = triggers.find((params: any) => params.Type === 'timer');
    expect(timer).toMatchObject({ FunctionName: 'vod-events-prod-pull-events', Enable: 'OPEN', TriggerDesc: '0 */1 * * * * *', Region: 'ap-shanghai' });
    const gateway = triggers.find((params: any) => params.Type === 'apigw');
    expect(gateway).toMatchObject({ FunctionName: 'vod-events-prod-callback', Enable: 'OPEN' });
    const desc = JSON.parse(gateway.TriggerDesc);
    expect(desc.api.requestConfig).toEqual({ method: 'POST', path: '/vod/callback' });
    expect(desc.api.isIntegratedResponse).toBe('TRUE');
    expect(desc.release.environmentName).toBe('release');
  }, 200_000);
});
