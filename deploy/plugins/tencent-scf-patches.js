// @ts-check
'use strict';

// Every method of serverless-tencent-scf's internals this project replaces, in one place. The
// replacements depend on that plugin's code, so they are written for one exact version: before
// anything is patched, the version and every method to be replaced are checked, and a difference
// stops the command with one line naming it (rather than patching something that is not there).
// Applied by whichever local plugin the framework constructs first; all are listed in
// serverless.yml before serverless-tencent-scf, so the patches are in place before its provider
// is constructed. Why each patch exists is told by the plugin that needs it:
//   tencent-offline-safe.js  — no telemetry, no "real-name authentication", no credentials for
//                              package/print;
//   tencent-scf-v3-compat.js — one artifact per function (own COS key, own upload), environment;
//   tencent-function-url.js  — the `http` (function URL) event.

const path = require('path');
const { functionArtifact } = require('./function-artifact');
const { EVENT_TYPE, QUALIFIER, deployedFunctionUrls, ensureFunctionUrl, triggerDescOf } = require('./function-url-triggers');
const { tencentModules } = require('./tencent-modules');

const PINNED_VERSION = '0.1.36';

// Commands that must work offline and without credentials.
const LOCAL_COMMANDS = new Set(['package', 'package function', 'print']);

/**
 * @typedef {object} Patch
 * @property {string} module a file of the plugin ("provider/tencentProvider") or, with `dependency`, a package it depends on
 * @property {boolean} [dependency]
 * @property {string} owner the property path from the module's exports to the object holding the method ("" for the exports)
 * @property {string} method
 * @property {(original: Function) => Function} replace
 * @property {(command: string) => boolean} [onlyFor] applied only for these commands (checked for all)
 */

// Set while serverless-tencent-scf's full `deploy` runs (not `deploy function`, not rollback).
let inFullDeploy = false;
// The plugin's own upload, which the per-function upload calls (the replacement skips a missing file).
/** @type {Function} */
let originalUpload;

/** @type {Patch[]} */
const PATCHES = [
  // tencent-offline-safe.js
  {
    module: 'serverless-tencent-tools',
    dependency: true,
    owner: 'Others.DataReport.DataReport.prototype',
    method: 'report',
    replace: () =>
      async function report() {
        return true;
      },
  },
  {
    module: 'provider/tencentProvider',
    owner: 'prototype',
    method: 'getUserAuth',
    replace: () =>
      async function getUserAuth() {
        return true;
      },
  },
  {
    module: 'provider/tencentProvider',
    owner: 'prototype',
    method: 'getCredentials',
    // The constructor calls this without awaiting it; for packaging it only costs a network call.
    replace: () => async function getCredentials() {},
    onlyFor: (command) => LOCAL_COMMANDS.has(command),
  },

  // tencent-scf-v3-compat.js
  {
    module: 'provider/tencentProvider',
    owner: 'prototype',
    method: 'getFuntionBucketKey',
    replace: (original) =>
      /** @this {any} @param {string} functionName @param {unknown} keyTime @param {unknown} serviceStr */
      function getFuntionBucketKey(functionName, keyTime, serviceStr) {
        const key = original.call(this, functionName, keyTime, serviceStr);
        // 'default' names the service-wide zip; keep its key as the plugin lists it (deploy list).
        return functionName === 'default' ? key : key.replace(/\.zip$/, `-${functionName}.zip`);
      },
  },
  {
    module: 'provider/tencentProvider',
    owner: 'prototype',
    method: 'getEnvironment',
    replace: () =>
      /** @this {any} @param {any} funcObject */
      function getEnvironment(funcObject) {
        const pick = (/** @type {any} */ holder) => (holder && holder.variables) || {};
        const merged = { ...pick(this.serverless.service.provider.environment), ...pick(funcObject.environment) };
        /** @type {Record<string, string>} */
        const variables = {};
        for (const [name, value] of Object.entries(merged)) {
          if (value === undefined || value === null || String(value).trim() === '') continue;
          variables[name] = String(value);
        }
        return Object.keys(variables).length === 0 ? null : { Variables: variables };
      },
  },
  {
    module: 'deploy/tencentDeploy',
    owner: 'prototype',
    method: 'deploy',
    replace: (original) =>
      /** @this {any} */
      async function deploy(/** @type {unknown[]} */ ...args) {
        inFullDeploy = true;
        try {
          return await original.apply(this, args);
        } finally {
          inFullDeploy = false;
        }
      },
  },
  {
    module: 'deploy/lib/deployFunction',
    owner: 'prototype',
    method: 'uploadPackage2Cos',
    replace: (original) => {
      originalUpload = original;
      /** @this {any} @param {string} bucket @param {string} key @param {string | undefined} filePath */
      return async function uploadPackage2Cos(bucket, key, filePath) {
        if (!filePath) {
          // The plugin creates the deploy bucket inside this upload, and writes the service
          // description into that bucket right after it: on an account that has never deployed,
          // the bucket must still be created here or that write fails with COS NoSuchBucket.
          await ensureDeployBucket(this, bucket);
          this.serverless.cli.log('No service-wide zip: every function is uploaded with its own artifact.');
          return { CosBucketName: bucket, CosObjectName: `/${key}` };
        }
        return original.call(this, bucket, key, filePath);
      };
    },
  },
  {
    module: 'deploy/lib/deployFunction',
    owner: 'prototype',
    method: 'deploy',
    replace: (original) =>
      /** @this {any} @param {unknown} ns @param {any} funcObject */
      async function deployFunction(ns, funcObject) {
        if (inFullDeploy) {
          const artifact = functionArtifact(this.serverless, funcObject.Name);
          const { Bucket, Key } = funcObject.Properties.CodeUri;
          this.serverless.cli.log(`Uploading ${path.relative(process.cwd(), artifact)} to cos[${Bucket}] ${Key}`);
          await originalUpload.call(this, Bucket, Key, artifact);
        }
        return original.call(this, ns, funcObject);
      },
  },

  // tencent-function-url.js
  {
    module: 'shared/validate',
    owner: '',
    method: 'validateEventsProperty',
    // The plugin's list of event types, plus `http`. Its other checks stay.
    replace: (original) =>
      /** @this {any} */
      function validateEventsProperty() {
        const { functions } = this.serverless.service;
        /** @type {Record<string, any>} */
        const stripped = {};
        for (const [name, fn] of Object.entries(functions || {})) {
          stripped[name] = {
            ...fn,
            events: (fn.events || []).filter((/** @type {any} */ event) => !event || !event[EVENT_TYPE]),
          };
        }
        return original.call({
          ...this,
          serverless: { ...this.serverless, service: { ...this.serverless.service, functions: stripped } },
        });
      },
  },
  {
    module: 'provider/tencentProvider',
    owner: 'prototype',
    method: 'getServiceResource',
    replace: (original) =>
      /** @this {any} */
      function getServiceResource(/** @type {unknown[]} */ ...args) {
        const resource = original.apply(this, args);
        for (const functionName of this.serverless.service.getAllFunctions()) {
          const events = this.serverless.service.getFunction(functionName).events || [];
          const target = resource.Resources.default[functionName];
          for (const event of events) {
            if (!event || !event[EVENT_TYPE]) continue;
            const { name, parameters } = event[EVENT_TYPE];
            target.Properties.Events = target.Properties.Events || [];
            target.Properties.Events.push({
              [name]: {
                Type: 'HTTP',
                Properties: {
                  Qualifier: parameters.qualifier || QUALIFIER,
                  TriggerDesc: triggerDescOf(parameters),
                  Enable: true,
                },
              },
            });
          }
        }
        return resource;
      },
  },
  {
    module: 'deploy/lib/deployTrigger',
    owner: 'prototype',
    method: 'create',
    replace: (original) =>
      /** @this {any} @param {unknown} ns @param {unknown} oldEvents @param {any} funcObject @param {unknown} successFunc @param {unknown} failedFunc */
      async function create(ns, oldEvents, funcObject, successFunc, failedFunc) {
        /** @type {any[]} */
        const events = funcObject.Properties.Events || [];
        const isUrl = (/** @type {any} */ entry) =>
          entry && Object.values(entry)[0] && String(Object.values(entry)[0].Type).toLowerCase() === EVENT_TYPE;
        const others = {
          ...funcObject,
          Properties: { ...funcObject.Properties, Events: events.filter((entry) => !isUrl(entry)) },
        };
        const results = await original.call(this, ns, oldEvents, others, successFunc, failedFunc);
        for (const entry of events.filter(isUrl)) {
          const [triggerName, trigger] = /** @type {[string, any]} */ (Object.entries(entry)[0]);
          await ensureFunctionUrl(this, funcObject, triggerName, trigger.Properties);
          deployedFunctionUrls.push({
            client: this.scfClient,
            name: funcObject.Name,
            functionName: funcObject.FuncName,
            triggerName,
          });
        }
        return results;
      },
  },
];

/**
 * Creates `<bucket>-<appid>` in the deploy region unless the account has it, as the plugin's own
 * upload does (GET Service, then PUT Bucket).
 *
 * @param {any} handler the plugin's DeployFunction
 * @param {string} bucket
 */
async function ensureDeployBucket(handler, bucket) {
  const { region } = handler.options;
  const fullName = `${bucket}-${handler.appid}`;
  const cos = handler.cosClient;
  /** @type {(method: string, params: object) => Promise<any>} */
  const call = (method, params) =>
    new Promise((resolve, reject) =>
      cos[method](params, (/** @type {unknown} */ error, /** @type {unknown} */ data) => (error ? reject(error) : resolve(data))),
    );
  const listing = await call('getService', { Region: region });
  if ((listing.Buckets || []).some((/** @type {{ Name: string }} */ item) => item.Name === fullName)) return;
  handler.serverless.cli.log(`Creating the deploy bucket cos[${fullName}] in ${region}`);
  await call('putBucket', { Bucket: fullName, Region: region });
}

/** @typedef {Pick<ReturnType<typeof tencentModules>, 'dir' | 'version' | 'load' | 'loadDependency'>} TencentModules */

/** @param {Patch} patch */
const patchName = (patch) => `${patch.module} ${[patch.owner, patch.method].filter(Boolean).join('.')}`;

/**
 * The object holding the patched method, or undefined when the module or a step of the path is missing.
 *
 * @param {TencentModules} modules
 * @param {Patch} patch
 * @returns {any}
 */
function ownerOf(modules, patch) {
  let owner;
  try {
    owner = patch.dependency ? modules.loadDependency(patch.module) : modules.load(patch.module);
  } catch {
    return undefined;
  }
  for (const step of patch.owner.split('.').filter(Boolean)) owner = owner == null ? undefined : owner[step];
  return owner;
}

/**
 * Why the patches cannot be applied to this copy of serverless-tencent-scf, as one line, or null.
 *
 * @param {TencentModules} modules
 * @returns {string | null}
 */
function patchProblem(modules) {
  const differences = [];
  if (modules.version !== PINNED_VERSION) differences.push(`version ${modules.version}`);
  const missing = PATCHES.filter((patch) => typeof ownerOf(modules, patch)?.[patch.method] !== 'function').map(patchName);
  if (missing.length > 0) differences.push(`no ${missing.join(', no ')}`);
  if (differences.length === 0) return null;
  return (
    `serverless-tencent-scf in ${modules.dir} differs from the ${PINNED_VERSION} that deploy/plugins/tencent-scf-patches.js patches ` +
    `(${differences.join('; ')}): run \`npm --prefix deploy ci\`, or port the patches to the new version`
  );
}

/** The plugin copies already patched, by their provider module (Node caches one per resolved file). */
const patchedCopies = new WeakSet();

/**
 * Checks, then applies every patch (once per copy of the plugin). Throws a ServerlessError with one line when
 * the installed plugin differs from the one the patches are written for.
 *
 * @param {any} serverless
 * @param {TencentModules} [modules] the plugin's modules; by default the copy the framework loads
 */
function applyTencentPatches(serverless, modules = tencentModules(serverless)) {
  const problem = patchProblem(modules);
  if (problem) throw new serverless.classes.Error(problem, 'SCF_PLUGIN_MISMATCH');
  const copy = /** @type {object} */ (modules.load('provider/tencentProvider'));
  if (patchedCopies.has(copy)) return;
  patchedCopies.add(copy);
  const command = (serverless.pluginManager.cliCommands || []).join(' ');
  for (const patch of PATCHES) {
    if (patch.onlyFor && !patch.onlyFor(command)) continue;
    const owner = ownerOf(modules, patch);
    owner[patch.method] = patch.replace(owner[patch.method]);
  }
}

module.exports = { PINNED_VERSION, PATCHES, patchProblem, applyTencentPatches };
