// `npm run package` and `npm run deploy` end to end, with no network beyond what the machine has
// (the first run on a fresh clone installs deploy/ from its lockfile). Packaging must work offline
// and without credentials; the deploy runs against a strict in-process fake of Tencent Cloud
// (deploy/test/fake-tencent-cloud.cjs: requests checked against the official SDK models, SCF's and
// COS's documented refusals) that also refuses every outside connection. What was deployed is then
// run the way SCF runs it: each artifact unzipped into an empty folder, `main_handler` called with
// a function-URL event and a timer event, against real PostgreSQL and the VOD emulator.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../tools/emulator';
import seeds from '../../samples/seed-events.json';
import { createDatabase } from '../helpers/postgres-server';

const root = resolve(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'vod-events-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TABLE_VARIABLES = [
  'DATABASE_URL',
  'VOD_ENDPOINT',
  'VOD_API',
  'VOD_SUBAPP_ID',
  'VOD_MAX_QPS',
  'DRAIN_MODE',
  'DRAIN_CONCURRENCY',
  'DRAIN_MAX_BATCHES',
  'DRAIN_BUDGET_MS',
  'DRAIN_MAX_INFLIGHT_BYTES',
  'VOD_CALLBACK_SIGN_KEY',
  'CALLBACK_MAX_BODY_BYTES',
];
// What the "deploy environment" holds in these tests; everything else of the table is unset.
const DEPLOY_ENV = {
  DATABASE_URL: 'postgres://vod:secret@10.0.0.5:5432/vod',
  VOD_SUBAPP_ID: '1500000001',
  // VOD's SignKey: letters and digits, at most 32 (SDK ModifyEventConfigRequest.SignKey).
  VOD_CALLBACK_SIGN_KEY: 'SignKeyUnderTest2026',
};

/** The parent's environment without anything that would change the deploy, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    ...TABLE_VARIABLES,
    'NODE_OPTIONS',
    'PULL_EVENTS_CRON',
    'SCF_VPC_ID',
    'SCF_SUBNET_ID',
    'SCF_ROLE',
    'VOD_CALLBACK_UNSIGNED',
    'TENCENT_REGION',
  ]) {
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

// One scenario, in order: package, then deploy, then invoke what the last deploy uploaded.
describe('package, deploy, invoke', { shuffle: false }, () => {
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
      if (run.status !== 0)
        throw new Error(`npm run package failed (${run.status}, ${run.error?.message ?? ''}):\n${run.output}`);
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
          [
            '-e',
            'const m = require(process.argv[1]); process.stdout.write(`\\nmain_handler=${typeof m.main_handler}\\n`)',
            join(dir, 'index.js'),
          ],
          {
            cwd: dir,
            encoding: 'utf8',
            env: {
              PATH: process.env.PATH,
              DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none',
              TENCENTCLOUD_SECRETID: 'AKIDtest',
              TENCENTCLOUD_SECRETKEY: 'test',
            },
          },
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

    it('configures both functions with handler index.main_handler on Nodejs20.19', () => {
      expect(serverlessYml).toMatch(/^frameworkVersion: '3'$/m);
      const handlers = [...serverlessYml.matchAll(/^\s+handler:\s*(\S+)\s*$/gm)].map((match) => match[1]);
      expect(handlers).toEqual(['index.main_handler', 'index.main_handler']);
      expect(
        Object.keys(resources)
          .filter((key) => key !== 'Type')
          .sort(),
      ).toEqual(['callback', 'pull-events']);
      for (const name of FUNCTIONS) {
        const Properties = props(name);
        expect(Properties.Handler).toBe('index.main_handler');
        expect(Properties.Runtime, "SCF's Node 20 runtime is Nodejs20.19 (Nodejs20.15 does not exist)").toBe('Nodejs20.19');
        expect(Properties.Role).toBe('SCF_QcsRole');
        expect(Properties.FunctionName).toBe(`vod-events-dev-${name}`);
        expect(Properties.Artifact).toBe(join('.serverless', `${name}.zip`));
      }
      // Each function has its own COS object (the plugin alone gives all of them one).
      expect(props('pull-events').CodeUri.Key).not.toBe(props('callback').CodeUri.Key);
      expect(props('pull-events').CodeUri.Key).toMatch(/-pull-events\.zip$/);
      expect(props('callback').CodeUri.Key).toMatch(/-callback\.zip$/);
    });

    it('gives pull-events a 72 s timeout (a 60 s tick + the drain margin + 2 s), 256 MB and an enabled 7-field timer', () => {
      const Properties = props('pull-events');
      expect(Properties.Timeout).toBe(72);
      expect(Properties.MemorySize).toBe(256);
      expect(Properties.Events).toHaveLength(1);
      const timer = trigger('pull-events', 'pull-events-timer');
      expect(timer.Type).toBe('Timer');
      expect(timer.Properties.CronExpression).toBe('0 */1 * * * * *');
      expect(timer.Properties.Enable).toBe(true);
    });

    it('gives callback a short timeout, 256 MB and a function URL (no auth, extranet only, $DEFAULT), no API gateway', () => {
      const Properties = props('callback');
      expect(Properties.Timeout).toBe(10);
      expect(Properties.MemorySize).toBe(256);
      expect(Properties.Events).toHaveLength(1);
      expect(trigger('callback', 'callback-url')).toEqual({
        Type: 'HTTP',
        Properties: {
          Qualifier: '$DEFAULT',
          TriggerDesc: { AuthType: 'NONE', NetConfig: { EnableIntranet: false, EnableExtranet: true } },
          Enable: true,
        },
      });
      expect(serverlessYml, 'SCF no longer creates API-gateway triggers (notice 583/107631)').not.toMatch(/^\s*-\s*apigw:/m);
    });

    it('exports main_handler as an async function from both built bundles', () => {
      for (const name of FUNCTIONS) {
        const probe = spawnSync(
          process.execPath,
          [
            '-e',
            'process.stdout.write(`\\nhandler=${require(process.argv[1]).main_handler.constructor.name}\\n`)',
            join(root, 'dist', name, 'index.js'),
          ],
          { encoding: 'utf8', env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none' } },
        );
        expect(probe.stdout, `dist/${name}/index.js main_handler (SCF waits only for async handlers, doc 583/67790)`).toMatch(
          /^handler=AsyncFunction$/m,
        );
      }
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

  interface FakeCall {
    service: string;
    action: string;
    params: Record<string, any>;
  }
  interface FakeRecord {
    calls: FakeCall[];
    cos: { Bucket: string; Key: string; file: string | null }[];
    refused: (FakeCall & { code: string; message: string })[];
    blockedConnections: string[];
  }

  const FAKE = join(root, 'deploy', 'test', 'fake-tencent-cloud.cjs');
  const credentialsFile = join(scratch, 'credentials');

  /** `npm run deploy` against the strict fake, on the account kept in `stateFile`. */
  function deployAgainstFake(stateFile: string, recordFile: string, extra: Record<string, string> = {}) {
    writeFileSync(credentialsFile, '[default]\ntencent_secret_id = AKIDfake\ntencent_secret_key = fake\n');
    const run = npmRun(
      ['deploy', '--', '--stage', 'prod', '--region', 'ap-shanghai'],
      {
        TENCENT_CREDENTIALS_FILE: credentialsFile,
        FAKE_TENCENT_STATE: stateFile,
        FAKE_TENCENT_RECORD: recordFile,
        NODE_OPTIONS: `--require ${FAKE}`,
        SCF_VPC_ID: 'vpc-test0001',
        SCF_SUBNET_ID: 'subnet-test0001',
        ...extra,
      },
      180_000,
    );
    const record: FakeRecord = JSON.parse(readFileSync(recordFile, 'utf8'));
    if (run.status !== 0) {
      const refused = record.refused.map((call) => `  ${call.service}.${call.action}: ${call.code} ${call.message}`).join('\n');
      throw new Error(
        `npm run deploy failed (${run.status}); Tencent Cloud (fake) refused:\n${refused || '  nothing'}\n${run.output.slice(-3000)}`,
      );
    }
    const calls = (action: string) => record.calls.filter((call) => call.action === action).map((call) => call.params);
    return { run, record, calls };
  }

  // Refusals the plugin asks for on purpose: "does this function exist yet?" and "create the role
  // unless it exists".
  const PROBES = new Set(['GetFunction ResourceNotFound.Function', 'CreateRole InvalidParameter.RoleNameInUse']);
  const unexpectedRefusals = (record: FakeRecord) =>
    record.refused
      .filter((call) => !PROBES.has(`${call.action} ${call.code}`))
      .map((call) => `${call.service}.${call.action}: ${call.code} ${call.message}`);

  const functionUrlIn = (output: string) =>
    /Function URL of callback \(vod-events-prod-callback\): (https:\/\/\S+)/.exec(output)?.[1];

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

    it.each([
      ['no DATABASE_URL', { DATABASE_URL: '' }, /^npm run deploy: DATABASE_URL is not set/m],
      [
        'a DATABASE_URL that is not PostgreSQL',
        { DATABASE_URL: 'mysql://u:p@db/vod' },
        /^npm run deploy: DATABASE_URL must be a postgres:\/\//m,
      ],
      [
        'no callback key',
        { VOD_CALLBACK_SIGN_KEY: '' },
        /^npm run deploy: VOD_CALLBACK_SIGN_KEY is not set.*VOD_CALLBACK_UNSIGNED=1/m,
      ],
      [
        'a key VOD would refuse',
        { VOD_CALLBACK_SIGN_KEY: 'has-dashes' },
        /^npm run deploy: VOD_CALLBACK_SIGN_KEY must be letters and digits/m,
      ],
    ])('refuses before any API call with %s', (_label, extra, message) => {
      const recordFile = join(scratch, `preflight-${Math.random()}.json`);
      const run = npmRun(['deploy'], { ...extra, NODE_OPTIONS: `--require ${FAKE}`, FAKE_TENCENT_RECORD: recordFile }, 60_000);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(message);
      expect(
        run.output
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('npm run deploy:')),
      ).toHaveLength(1);
      expect(() => readFileSync(recordFile)).toThrow();
    });

    describe('on an account that has never deployed, then again', () => {
      const state = join(scratch, 'fresh-account.json');
      let first: ReturnType<typeof deployAgainstFake>;
      let second: ReturnType<typeof deployAgainstFake>;
      beforeAll(() => {
        first = deployAgainstFake(state, join(scratch, 'fresh-1.json'));
        second = deployAgainstFake(state, join(scratch, 'fresh-2.json'));
      }, 400_000);

      it('creates the deploy bucket, uploads each function its own artifact and creates both functions on Nodejs20.19', () => {
        const { record, calls, run } = first;
        expect(record.blockedConnections).toEqual([]);
        expect(unexpectedRefusals(record)).toEqual([]);
        // The plugin asks for the role before each function: created by the first ask.
        expect(record.refused.filter((call) => call.action === 'CreateRole')).toHaveLength(calls('CreateRole').length - 1);
        expect(calls('putBucket')).toEqual([{ Bucket: 'sls-cloudfunction-ap-shanghai-1250000000', Region: 'ap-shanghai' }]);
        const zipUploads = record.cos.filter((upload) => upload.Key.endsWith('.zip'));
        expect(zipUploads.map((upload) => relative(root, upload.file!)).sort()).toEqual(
          [join('.serverless', 'callback.zip'), join('.serverless', 'pull-events.zip')].sort(),
        );
        const created = calls('CreateFunction');
        expect(created.map((params) => params.FunctionName).sort()).toEqual([
          'vod-events-prod-callback',
          'vod-events-prod-pull-events',
        ]);
        for (const params of created) {
          const name = params.FunctionName.replace('vod-events-prod-', '');
          const upload = zipUploads.find((candidate) => candidate.file!.endsWith(`${name}.zip`))!;
          expect(params.Code.CosObjectName).toBe(`/${upload.Key}`);
          expect(params.Handler).toBe('index.main_handler');
          expect(params.Runtime).toBe('Nodejs20.19');
          expect(params.VpcConfig).toEqual({ VpcId: 'vpc-test0001', SubnetId: 'subnet-test0001' });
          expect(
            Object.fromEntries(params.Environment.Variables.map((v: { Key: string; Value: string }) => [v.Key, v.Value])),
          ).toEqual(DEPLOY_ENV);
        }
        expect(run.output).toMatch(/Created function URL trigger callback-url/);
      });

      it('creates an enabled 7-field timer and a function URL, and prints the URL read back from the trigger', () => {
        const { calls, run } = first;
        const triggers = calls('CreateTrigger');
        expect(triggers.map((params) => params.Type).sort()).toEqual(['http', 'timer']);
        expect(triggers.find((params) => params.Type === 'timer')).toMatchObject({
          FunctionName: 'vod-events-prod-pull-events',
          Enable: 'OPEN',
          TriggerDesc: '0 */1 * * * * *',
        });
        const url = triggers.find((params) => params.Type === 'http')!;
        expect(url).toMatchObject({ FunctionName: 'vod-events-prod-callback', Qualifier: '$DEFAULT', Enable: 'OPEN' });
        expect(JSON.parse(url.TriggerDesc)).toEqual({
          AuthType: 'NONE',
          NetConfig: { EnableIntranet: false, EnableExtranet: true },
        });
        // The fake shows the URL only from the second read: the deploy waited for it.
        expect(calls('ListTriggers').length).toBeGreaterThanOrEqual(2);
        expect(functionUrlIn(run.output)).toMatch(/^https:\/\/1250000000-\w+\.ap-shanghai\.tencentscf\.com$/);
        expect(run.output).toContain(`--Mode PUSH --NotificationUrl '${functionUrlIn(run.output)}'`);
        expect(run.output).toContain('--SubAppId 1500000001');
      });

      it('keeps the function URL on a redeploy and updates code and configuration in place', () => {
        const { calls, run, record } = second;
        expect(unexpectedRefusals(record)).toEqual([]);
        expect(calls('putBucket')).toEqual([]);
        expect(calls('CreateFunction')).toEqual([]);
        expect(
          calls('UpdateFunctionCode')
            .map((params) => params.FunctionName)
            .sort(),
        ).toEqual(['vod-events-prod-callback', 'vod-events-prod-pull-events']);
        expect(calls('UpdateFunctionConfiguration')).toHaveLength(2);
        expect(calls('CreateTrigger').filter((params) => params.Type === 'http')).toEqual([]);
        expect(calls('DeleteTrigger').filter((params) => params.Type === 'http')).toEqual([]);
        expect(run.output).toMatch(/Function URL trigger callback-url of vod-events-prod-callback unchanged: kept/);
        expect(functionUrlIn(run.output)).toBe(functionUrlIn(first.run.output));
      });
    });

    it('deploys on an account that already has the bucket and the role', () => {
      const state = join(scratch, 'existing-account.json');
      writeFileSync(
        state,
        JSON.stringify({
          buckets: { 'sls-cloudfunction-ap-shanghai-1250000000': { Region: 'ap-shanghai', objects: {} } },
          roles: { SCF_QcsRole: { policies: [1001] } },
          functions: {},
          tags: {},
          nextId: 500,
        }),
      );
      const { calls, record } = deployAgainstFake(state, join(scratch, 'existing.json'));
      expect(calls('putBucket')).toEqual([]);
      expect(unexpectedRefusals(record)).toEqual([]);
      expect(record.refused.filter((call) => call.action === 'CreateRole')).toHaveLength(calls('CreateRole').length);
      expect(calls('CreateFunction')).toHaveLength(2);
    }, 200_000);
  });

  /** Runs `main_handler` of an unzipped artifact in a fresh Node process, as SCF loads it. */
  function invokeArtifact(
    dir: string,
    env: Record<string, string>,
    event: unknown,
    context: Record<string, unknown>,
  ): Promise<any> {
    const script = [
      'const { main_handler } = require(process.argv[1]);',
      'const context = JSON.parse(process.argv[3]);',
      'context.getRemainingTimeInMillis = () => 20000;',
      'main_handler(JSON.parse(process.argv[2]), context).then(',
      '  (result) => { process.stdout.write("\\nRESULT " + JSON.stringify(result) + "\\n"); process.exit(0); },',
      '  (error) => { process.stdout.write("\\nERROR " + error.message + "\\n"); process.exit(1); });',
    ].join('\n');
    return new Promise((resolvePromise, reject) => {
      const child = spawn(
        process.execPath,
        ['-e', script, join(dir, 'index.js'), JSON.stringify(event), JSON.stringify(context)],
        {
          cwd: dir,
          env: { PATH: process.env.PATH, ...env },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', reject);
      child.on('close', () => {
        const result = /^RESULT (.*)$/m.exec(output);
        if (result) resolvePromise(JSON.parse(result[1]!));
        else reject(new Error(`main_handler of ${dir} failed:\n${output}`));
      });
    });
  }

  describe('what was deployed, invoked the way SCF invokes it', () => {
    let emulator: RunningEmulator;
    let databaseUrl: string;
    let sql: postgres.Sql;
    const dirs: Record<string, string> = {};

    beforeAll(async () => {
      // The artifacts of the last deploy (the deploy tests above ran `npm run package` first).
      for (const name of FUNCTIONS) {
        const dir = mkdtempSync(join(scratch, `scf-${name}-`));
        for (const entry of readZip(join(root, '.serverless', `${name}.zip`))) writeFileSync(join(dir, entry.name), entry.data);
        dirs[name] = dir;
      }
      databaseUrl = await createDatabase(inject('postgresUrl'), 'deployed');
      sql = postgres(databaseUrl, { onnotice: () => {} });
      emulator = await startEmulator({ longPollMs: 200 });
    }, 60_000);
    afterAll(async () => {
      await emulator?.close();
      await sql?.end();
    });

    const functionEnv = () => {
      const [credential] = emulator.credentials;
      return {
        DATABASE_URL: databaseUrl,
        VOD_ENDPOINT: emulator.url,
        VOD_CALLBACK_SIGN_KEY: DEPLOY_ENV.VOD_CALLBACK_SIGN_KEY,
        // What SCF injects from the execution role.
        TENCENTCLOUD_SECRETID: credential!.secretId,
        TENCENTCLOUD_SECRETKEY: credential!.secretKey,
      };
    };

    it('callback: a function-URL event (doc 583/96099) with a signed VOD body is stored and answered 200', async () => {
      const T = Math.floor(Date.now() / 1000) + 600;
      const key = DEPLOY_ENV.VOD_CALLBACK_SIGN_KEY;
      const body = JSON.stringify({
        ...seeds.pullComplete003Callback,
        Sign: createHash('md5').update(`${key}${T}`).digest('hex'),
        T,
      });
      const event = {
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'VOD-Callback',
          'X-Scf-Remote-Addr': '203.0.113.7',
          Host: '1250000000-x.ap-shanghai.tencentscf.com',
        },
        httpMethod: 'POST',
        path: '/',
        queryString: {},
      };
      const answer = await invokeArtifact(dirs.callback!, functionEnv(), event, { request_id: 'scf-callback-1' });
      expect(answer).toMatchObject({ statusCode: 200 });
      const rows = await sql`select event_type, source, task_id from vod_events where event_type = 'PullComplete'`;
      expect(rows).toEqual([
        { event_type: 'PullComplete', source: 'callback', task_id: seeds.pullComplete003Callback.PullCompleteEvent.TaskId },
      ]);

      const forged = await invokeArtifact(
        dirs.callback!,
        functionEnv(),
        { ...event, body: body.replace(/"Sign":"\w+"/, '"Sign":"0"') },
        {},
      );
      expect(forged.statusCode).toBe(401);
    }, 60_000);

    it('pull-events: a timer event drains the queue into PostgreSQL', async () => {
      emulator.enqueue(seeds.pullEvents001);
      const event = {
        Type: 'Timer',
        TriggerName: 'pull-events-timer',
        Time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Message: '',
      };
      const result = await invokeArtifact(dirs['pull-events']!, functionEnv(), event, {
        request_id: 'scf-timer-1',
        time_limit_in_ms: 60000,
      });
      expect(result).toMatchObject({
        pulled: seeds.pullEvents001.length,
        inserted: seeds.pullEvents001.length,
        confirmed: seeds.pullEvents001.length,
      });
      const rows = await sql`select count(*)::int as count from vod_events where source = 'pull'`;
      expect(rows[0]?.count).toBe(seeds.pullEvents001.length);
      expect(emulator.stats()).toMatchObject({ pending: 0, inflight: 0 });
    }, 60_000);
  });
});
