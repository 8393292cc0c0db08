'use strict';

// Request checks for the fake of Tencent Cloud, read from the official SDK's own model files
// (tencentcloud-sdk-nodejs 4.x, installed in deploy/ as `tencentcloud-sdk-models`): for each action,
// `<Action>Request` in <service>_models.d.ts names every parameter, whether it is required, and
// its type. Reading the .d.ts where the SDK ships it (instead of a copy) keeps the check as new
// as the pinned SDK: bump the pin and the fake follows.
//
// Tencent Cloud API 3.0 answers a request that breaks its model with a common error (API 3.0
// "公共错误码"): UnknownParameter for a name it does not define, MissingParameter for a required
// one left out, InvalidParameter for a value of the wrong type.

const fs = require('fs');
const path = require('path');

const MODEL_FILES = {
  scf: 'scf/v20180416/scf_models.d.ts',
  cam: 'cam/v20190116/cam_models.d.ts',
  tag: 'tag/v20180813/tag_models.d.ts',
};
// Parameters every API 3.0 action takes besides its own (the old SDK the plugin uses also puts
// `Region` into the request body, where it merges with the common parameter of that name).
const COMMON = new Set(['Region']);

/** `{ Name: { fields: { Field: { type, optional } } } | null }` for every model of a .d.ts file. */
function parseModels(text) {
  const models = {};
  for (const match of text.matchAll(/^export type (\w+) = null;$/gm)) models[match[1]] = { fields: {} };
  for (const match of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const fields = {};
    for (const field of match[2].matchAll(/^ {4}(\w+)(\??): ([^;]+);$/gm)) {
      fields[field[1]] = { type: field[3].trim(), optional: field[2] === '?' };
    }
    models[match[1]] = { fields };
  }
  return models;
}

function loadModels() {
  const root = path.join(path.dirname(require.resolve('tencentcloud-sdk-models/package.json')), 'tencentcloud', 'services');
  const services = {};
  for (const [service, file] of Object.entries(MODEL_FILES)) {
    services[service] = parseModels(fs.readFileSync(path.join(root, file), 'utf8'));
  }
  return services;
}

const error = (code, message) => ({ code, message });

/** Problems of `value` against a .d.ts type: the first one, or null. */
function checkType(models, type, value, where) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return error('InvalidParameter', `${where} must be an array`);
    for (let i = 0; i < value.length; i++) {
      const problem = checkType(models, array[1], value[i], `${where}.${i}`);
      if (problem) return problem;
    }
    return null;
  }
  if (type === 'string') return typeof value === 'string' ? null : error('InvalidParameter', `${where} must be a string`);
  if (type === 'number' || type === 'number | bigint') {
    return typeof value === 'number' && Number.isFinite(value) ? null : error('InvalidParameter', `${where} must be a number`);
  }
  if (type === 'boolean') return typeof value === 'boolean' ? null : error('InvalidParameter', `${where} must be a boolean`);
  const model = models[type];
  if (!model) return error('InvalidParameter', `${where}: the fake does not know type ${type}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return error('InvalidParameter', `${where} must be an object (${type})`);
  }
  return checkFields(models, model, value, `${where}.`);
}

function checkFields(models, model, value, prefix, common = new Set()) {
  for (const name of Object.keys(value)) {
    if (!model.fields[name] && !common.has(name)) {
      return error('UnknownParameter', `The parameter \`${prefix}${name}\` is not recognized`);
    }
  }
  for (const [name, field] of Object.entries(model.fields)) {
    if (value[name] === undefined) {
      if (!field.optional) return error('MissingParameter', `The request is missing a required parameter \`${prefix}${name}\``);
      continue;
    }
    const problem = checkType(models, field.type, value[name], `${prefix}${name}`);
    if (problem) return problem;
  }
  return null;
}

/** Drops null members at every depth: the SDK's mergeData never sends them. */
function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, member] of Object.entries(value)) if (member !== null && member !== undefined) out[key] = withoutNulls(member);
  return out;
}

/** A checker: `check(service, action, params)` → null or `{code, message}` as the API would answer. */
function createRequestChecker() {
  const services = loadModels();
  return function check(service, action, params) {
    const models = services[service];
    const model = models && models[`${action}Request`];
    if (!model) return error('InvalidAction', `The action ${action} of ${service} does not exist`);
    return checkFields(models, model, params, '', COMMON);
  };
}

module.exports = { createRequestChecker, withoutNulls };
