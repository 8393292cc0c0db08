// @ts-check
'use strict';

// Adapts serverless-tencent-scf 0.1.36 (written for Serverless Framework v1) to framework v3 and
// to this project's layout. Listed in serverless.yml before serverless-tencent-scf.
//
// 1. One artifact per function, index.js at its root. Each function names a bundle folder in
//    `custom.scfBundles` (scripts/build.mjs output) and `package.artifact: .serverless/<fn>.zip`;
//    this plugin zips the folder's files (flat, with the framework's own zip code, fixed
//    timestamps) just before the framework checks that the artifact exists.
// 2. The plugin's deploy uploads ONE service zip (`service.package.artifact`) and points every
//    function at the same COS object (getFuntionBucketKey ignores the function name). With
//    per-function artifacts that would crash (there is no service zip) or give both functions the
//    same code. Patched (tencent-scf-patches.js): each function gets its own COS key and its own zip is uploaded there
//    right before the function is created/updated. (`deploy function -f X` already uploads
//    `.serverless/X.zip`, and rollback reuses the objects a deploy uploaded: both unchanged.)
//    Skipping the service zip must not skip creating the deploy bucket, which the plugin does
//    inside that upload: a first deploy on a fresh account would then fail with NoSuchBucket.
// 3. Environment: the plugin merges function variables INTO the provider's object (they leak into
//    the next function) and sends empty values. Patched (tencent-scf-patches.js) to merge into a copy and to leave out
//    variables that are unset/empty in the deploy environment, so the function's defaults apply.
// 4. `--region`: framework v3 rejects CLI options no plugin declares, and the provider's region
//    option is only declared for AWS. Declared here for the commands the plugin implements.
// 5. Checks the framework does not: a timer cron must have SCF's 7 fields.
// 6. A validation schema for what serverless-tencent-scf actually reads (framework v3 otherwise
//    warns that the provider has none, and a typo goes unnoticed). No `apigw` event: SCF stopped
//    creating API-gateway triggers on 2024-07-01 (notice 583/107631); tencent-function-url.js
//    adds the `http` (function URL) event that replaces it.
// 7. Writes .serverless/scf-resources.json: the function/trigger description the plugin would
//    deploy (getServiceResource), environment values redacted. Offline review and tests read it.

const fs = require('fs');
const path = require('path');
const { functionArtifact } = require('./function-artifact');
const { applyTencentPatches } = require('./tencent-scf-patches');

const REGION_OPTION = { usage: 'Tencent Cloud region, e.g. ap-guangzhou', type: 'string' };

// What serverless-tencent-scf 0.1.36 reads (provider/tencentProvider.js). Not listed on purpose:
// `enableRoleAuth` (hard-wired on: `provider.enableRoleAuth || true`).
const str = { type: 'string' };
const bool = { type: 'boolean' };
const environment = {
  type: 'object',
  properties: { variables: { type: 'object', additionalProperties: { anyOf: [str, { type: 'number' }, bool] } } },
  additionalProperties: false,
};
const vpcConfig = { type: 'object', properties: { vpcId: str, subnetId: str }, additionalProperties: false };
const functionProperties = {
  handler: str,
  description: str,
  runtime: str,
  role: str,
  memorySize: { type: 'integer', minimum: 64, maximum: 3072 },
  timeout: { type: 'integer', minimum: 1, maximum: 900 },
  environment,
  vpcConfig,
};
/** @param {Record<string, object>} parameters @param {string[]} [required] */
const event = (parameters, required = []) => ({
  type: 'object',
  properties: {
    name: str,
    parameters: { type: 'object', properties: parameters, required, additionalProperties: false },
  },
  required: ['name', 'parameters'],
  additionalProperties: false,
});
const SCHEMA = {
  provider: {
    properties: {
      runtime: str,
      region: str,
      credentials: str,
      role: str,
      description: str,
      memorySize: functionProperties.memorySize,
      timeout: functionProperties.timeout,
      cosBucket: str,
      environment,
      vpcConfig,
    },
  },
  function: {
    properties: {
      ...functionProperties,
      package: {
        type: 'object',
        properties: {
          artifact: str,
          individually: bool,
          patterns: { type: 'array', items: str },
          include: { type: 'array', items: str },
          exclude: { type: 'array', items: str },
        },
        additionalProperties: false,
      },
    },
  },
  functionEvents: {
    timer: event({ cronExpression: str, enable: bool }, ['cronExpression']),
    cos: event({ bucket: str, events: str, filter: { type: 'object' }, enable: bool }),
    cmq: event({ name: str, enable: bool }),
    ckafka: event({ name: str, topic: str, maxMsgNum: { type: 'integer' }, offset: str, enable: bool }),
  },
};
const CUSTOM_SCHEMA = {
  properties: { scfBundles: { type: 'object', additionalProperties: { type: 'string' } } },
};

class TencentScfV3Compat {
  /** @param {any} serverless the framework instance (Serverless Framework v3 ships no types) @param {Record<string, any>} options */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    applyTencentPatches(serverless);
    serverless.configSchemaHandler.defineProvider('tencent', SCHEMA);
    serverless.configSchemaHandler.defineCustomProperties(CUSTOM_SCHEMA);

    const withRegion = { options: { region: { ...REGION_OPTION, shortcut: 'r' } } };
    this.commands = {
      package: { ...withRegion },
      deploy: {
        ...withRegion,
        commands: { function: { ...withRegion }, list: { ...withRegion, commands: { functions: { ...withRegion } } } },
      },
      remove: { ...withRegion },
      rollback: { ...withRegion },
      info: { ...withRegion },
      invoke: { ...withRegion },
      logs: { ...withRegion },
      metrics: { ...withRegion },
    };

    this.hooks = {
      'before:package:createDeploymentArtifacts': () => {
        this.checkTimers();
        return this.zipAll();
      },
      'before:package:function:package': () => this.zipFunction(this.options.function),
      'after:package:finalize': () => this.writeResourceSummary(),
    };
  }

  bundles() {
    return (this.serverless.service.custom && this.serverless.service.custom.scfBundles) || {};
  }

  async zipAll() {
    for (const functionName of this.serverless.service.getAllFunctions()) {
      if (this.bundles()[functionName]) await this.zipFunction(functionName);
    }
  }

  /**
   * Zips the files of the function's bundle folder into .serverless/<fn>.zip, flat.
   *
   * @param {string} functionName
   */
  async zipFunction(functionName) {
    const ServerlessError = this.serverless.classes.Error;
    const folder = this.bundles()[functionName];
    if (!folder) return;
    const serviceDir = this.serverless.serviceDir;
    const expected = path.join('.serverless', `${functionName}.zip`);
    const functionObject = this.serverless.service.getFunction(functionName);
    const configured = functionObject.package && functionObject.package.artifact;
    if (!configured || path.normalize(configured) !== expected) {
      // serverless-tencent-scf's `deploy function` reads exactly this path.
      throw new ServerlessError(
        `Function "${functionName}": set package.artifact to ${expected} (custom.scfBundles zips ${folder} there)`,
        'SCF_ARTIFACT_PATH',
      );
    }
    const dir = path.resolve(serviceDir, folder);
    const files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => path.join(dir, entry.name))
      : [];
    if (!files.some((file) => path.basename(file) === 'index.js')) {
      throw new ServerlessError(
        `No ${path.join(folder, 'index.js')} for function "${functionName}": run \`npm run build\` (or \`npm run package\`, which builds first)`,
        'SCF_BUNDLE_MISSING',
      );
    }
    const packager = this.serverless.pluginManager.plugins.find(
      (/** @type {any} */ plugin) => typeof plugin.zipFiles === 'function',
    );
    if (!packager) throw new ServerlessError('The framework package plugin (zipFiles) was not found', 'SCF_NO_PACKAGER');
    const zipPath = await packager.zipFiles(files, `${functionName}.zip`, dir);
    const size = fs.statSync(zipPath).size;
    this.serverless.cli.log(
      `Packaged ${functionName}: ${path.relative(serviceDir, zipPath)} (${files.map((f) => path.basename(f)).join(', ')}; ${(size / 1024).toFixed(1)} KB)`,
    );
    return zipPath;
  }

  checkTimers() {
    const ServerlessError = this.serverless.classes.Error;
    for (const functionName of this.serverless.service.getAllFunctions()) {
      for (const event of this.serverless.service.getFunction(functionName).events || []) {
        if (!event || !event.timer) continue;
        const cron = String((event.timer.parameters && event.timer.parameters.cronExpression) || '').trim();
        const fields = cron.split(/\s+/).filter(Boolean);
        if (fields.length !== 7) {
          throw new ServerlessError(
            `Function "${functionName}", timer "${event.timer.name}": cronExpression "${cron}" has ${fields.length} fields; ` +
              'SCF needs 7: second minute hour day month week year, e.g. "0 */1 * * * * *"',
            'SCF_CRON_FIELDS',
          );
        }
      }
    }
  }

  writeResourceSummary() {
    const provider = this.serverless.getProvider('tencent');
    if (!provider || typeof provider.getServiceResource !== 'function') return;
    const resource = provider.getServiceResource();
    for (const [name, fn] of Object.entries(resource.Resources.default)) {
      if (name === 'Type') continue;
      const env = fn.Properties.Environment;
      if (env && env.Variables) {
        for (const key of Object.keys(env.Variables)) env.Variables[key] = '***';
      }
      fn.Properties.FunctionName = provider.getFunctionName(name);
      fn.Properties.Artifact = path.relative(this.serverless.serviceDir, functionArtifact(this.serverless, name));
    }
    const file = path.join(this.serverless.serviceDir, '.serverless', 'scf-resources.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(resource, null, 2)}\n`);
    this.serverless.cli.log(
      `Wrote ${path.relative(this.serverless.serviceDir, file)} (what deploy would create; environment values redacted)`,
    );
  }
}

module.exports = TencentScfV3Compat;
