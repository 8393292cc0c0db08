'use strict';

// Strict test double of Tencent Cloud for `serverless deploy`. Preloaded with
// NODE_OPTIONS="--require <this file>", it answers serverless-tencent-scf's calls to CAM, SCF, Tag
// and COS in-process, refuses what the real services refuse, records every call, and blocks every
// other network connection. test/e2e/package.test.ts deploys against it.
//
//   FAKE_TENCENT_STATE=/path/state.json   the account: read at start (missing file = an account
//                                         that has never deployed: no bucket, no role), written
//                                         at exit, so a second deploy sees what the first made
//   FAKE_TENCENT_RECORD=/path/record.json every call of this process, written at exit
//
// Every API 3.0 call is first checked against the official SDK's request model (parameter names,
// required ones, types; tencent-api-models.cjs), then against the documented rules below. Error
// codes marked "doc" are Tencent's documented ones; the others are the closest documented code
// for a refusal whose exact code could not be checked without an account.
//
// Only the serverless process is patched; other processes that inherit NODE_OPTIONS are left alone.

const path = require('path');
const fs = require('fs');
const net = require('net');
const { createRequire } = require('module');
const { createRequestChecker, withoutNulls } = require('./tencent-api-models.cjs');

const isServerless = /[\\/](serverless[\\/]bin|\.bin)[\\/](serverless|sls)(\.js)?$/.test(process.argv[1] || '');
if (isServerless) install();

const APP_ID = 1250000000;
const OWNER_UIN = '100000000001';
// The runtimes SCF offers for Node.js. Nodejs20.19 is the Node 20 one (Tencent's CloudBase tooling
// on SCF, public SCF deploy scripts); Nodejs20.15 exists in no Tencent source. Older ones as listed
// by CreateFunction (doc 583/18586) and the console.
const NODE_RUNTIMES = [
  'Nodejs6.10',
  'Nodejs8.9',
  'Nodejs10.15',
  'Nodejs12.16',
  'Nodejs14.18',
  'Nodejs16.13',
  'Nodejs18.15',
  'Nodejs20.19',
];
const OTHER_RUNTIMES = [
  'Python2.7',
  'Python3.6',
  'Python3.7',
  'Python3.9',
  'Python3.10',
  'Php5.2',
  'Php7.2',
  'Php7.4',
  'Php8.0',
  'Go1',
  'Java8',
  'Java11',
  'CustomRuntime',
];
const RUNTIMES = new Set([...NODE_RUNTIMES, ...OTHER_RUNTIMES]);
// CreateTrigger.Type (SDK scf_models.d.ts): "目前支持 cos 、cls 、 timer、 ckafka、http类型". The
// API gateway type is refused since 2024-07-01 (notice 583/107631).
const TRIGGER_TYPES = new Set(['cos', 'cls', 'timer', 'ckafka', 'http', 'cmq']);
// UpdateTriggerRequest.Type: "目前只支持timer、ckafka、http三种类型".
const UPDATABLE_TRIGGER_TYPES = new Set(['timer', 'ckafka', 'http']);
// Aliases and versions a trigger can point at: $LATEST, and the default alias $DEFAULT (583/36149).
const QUALIFIERS = new Set(['$LATEST', '$DEFAULT']);
// Policies every account has (CAM preset policies).
const PRESET_POLICIES = [{ PolicyName: 'QcloudAccessForScfRole', PolicyId: 1001 }];

const apiError = (code, message) => Object.assign(new Error(message), { code, requestId: 'fake-request' });
const fail = (code, message) => {
  throw apiError(code, message);
};

function emptyAccount() {
  return { buckets: {}, roles: {}, functions: {}, tags: {}, nextId: 1 };
}

/** The SCF/CAM/Tag side: `answer(service, action, params)` as the API would, or throws its error. */
function createCloud(state, region) {
  const fn = (name) => state.functions[name] || fail('ResourceNotFound.Function', `function ${name} not found`); // doc 583/18586
  const cosObject = (code) => {
    const bucket = state.buckets[`${code.CosBucketName}-${APP_ID}`];
    const key = String(code.CosObjectName || '').replace(/^\//, '');
    if (!bucket || !bucket.objects[key]) {
      fail('ResourceNotFound.CosObject', `cos object ${code.CosBucketName}/${key} does not exist`);
    }
  };
  const checkSizes = (params) => {
    // doc 583/18586: memory 64 or 128-3072 MB in steps of 128; timeout 1-900 s.
    const memory = params.MemorySize;
    if (memory !== undefined && !(memory === 64 || (memory >= 128 && memory <= 3072 && memory % 128 === 0))) {
      fail('InvalidParameterValue.Memory', `MemorySize ${memory}: 64, or 128-3072 MB in steps of 128`); // doc 583/55008
    }
    if (params.Timeout !== undefined && !(Number.isInteger(params.Timeout) && params.Timeout >= 1 && params.Timeout <= 900)) {
      fail('InvalidParameterValue.Timeout', `Timeout ${params.Timeout}: 1-900 s`);
    }
  };
  const checkRole = (role) => {
    if (role !== undefined && !state.roles[role])
      fail('InvalidParameterValue.Role', `role ${role} does not exist in this account`);
  };
  const checkEnable = (enable) => {
    if (enable !== undefined && enable !== 'OPEN' && enable !== 'CLOSE') {
      fail('InvalidParameterValue.Enable', `Enable ${enable}: OPEN or CLOSE`); // doc 583/55008
    }
  };
  const checkQualifier = (qualifier) => {
    if (qualifier !== undefined && !QUALIFIERS.has(qualifier))
      fail('ResourceNotFound.Qualifier', `qualifier ${qualifier} does not exist`);
  };

  /** The stored TriggerDesc of a new or updated trigger, after checking the one sent. */
  function storedTriggerDesc(type, desc, qualifier, previous) {
    if (type === 'timer') {
      // SCF cron: 7 fields, second minute hour day month week year (583/9708).
      const fields = String(desc || '')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      if (fields.length !== 7)
        fail('InvalidParameterValue.TriggerDesc', `timer TriggerDesc "${desc}" is not a 7-field cron expression`);
      return JSON.stringify({ cron: fields.join(' ') });
    }
    if (type === 'http') {
      // Function URL (583/100227): {"AuthType":"NONE"|"CAM","NetConfig":{"EnableIntranet":bool,"EnableExtranet":bool}}.
      let parsed;
      try {
        parsed = JSON.parse(desc);
      } catch {
        fail('InvalidParameterValue.TriggerDesc', 'http TriggerDesc must be JSON');
      }
      const net = parsed && parsed.NetConfig;
      if (!parsed || !['NONE', 'CAM'].includes(parsed.AuthType))
        fail('InvalidParameterValue.TriggerDesc', 'http TriggerDesc.AuthType must be NONE or CAM');
      if (!net || typeof net.EnableIntranet !== 'boolean' || typeof net.EnableExtranet !== 'boolean') {
        fail('InvalidParameterValue.TriggerDesc', 'http TriggerDesc.NetConfig needs boolean EnableIntranet and EnableExtranet');
      }
      const unknown = Object.keys(parsed).filter((key) => !['AuthType', 'NetConfig'].includes(key));
      if (unknown.length > 0) fail('InvalidParameterValue.TriggerDesc', `http TriggerDesc: unknown ${unknown.join(', ')}`);
      if (!net.EnableIntranet && !net.EnableExtranet)
        fail('InvalidParameterValue.TriggerDesc', 'a function URL needs intranet or extranet access');
      const old = previous ? JSON.parse(previous).NetConfig : {};
      const id =
        (old.ExtranetUrl || old.IntranetUrl || '').match(/-(\w+)\./)?.[1] || `u${String(state.nextId++).padStart(9, '0')}`;
      return JSON.stringify({
        AuthType: parsed.AuthType,
        NetConfig: {
          EnableIntranet: net.EnableIntranet,
          EnableExtranet: net.EnableExtranet,
          // The URL's form is Tencent's to choose (it has changed once): clients must read it.
          ...(net.EnableExtranet ? { ExtranetUrl: `https://${APP_ID}-${id}.${region}.tencentscf.com` } : {}),
          ...(net.EnableIntranet ? { IntranetUrl: `https://${APP_ID}-${id}.${region}.internal.tencentscf.com` } : {}),
        },
        Qualifier: qualifier,
      });
    }
    return desc;
  }

  const findTrigger = (target, params) =>
    target.Triggers.find((trigger) => trigger.TriggerName === params.TriggerName && trigger.Type === params.Type);

  const handlers = {
    'cam.GetUserAppId': () => ({ AppId: APP_ID, OwnerUin: OWNER_UIN }),
    'cam.ListPolicies': (params) => {
      const custom = Object.values(state.policies || {});
      const all = [...PRESET_POLICIES, ...custom];
      const per = params.Rp || 20;
      const page = params.Page || 1;
      return { List: all.slice((page - 1) * per, page * per), TotalNum: all.length };
    },
    'cam.CreateRole': (params) => {
      if (state.roles[params.RoleName]) fail('InvalidParameter.RoleNameInUse', 'role name in use');
      try {
        JSON.parse(params.PolicyDocument);
      } catch {
        fail('InvalidParameter.PolicyDocumentError', 'PolicyDocument is not JSON');
      }
      state.roles[params.RoleName] = { policies: [] };
      return { RoleId: `46${state.nextId++}` };
    },
    'cam.AttachRolePolicy': (params) => {
      const role =
        state.roles[params.AttachRoleName] ||
        fail('InvalidParameter.RoleNotExist', `role ${params.AttachRoleName} does not exist`);
      if (!PRESET_POLICIES.some((policy) => policy.PolicyId === params.PolicyId))
        fail('InvalidParameter.PolicyIdNotExist', `policy ${params.PolicyId} does not exist`);
      if (!role.policies.includes(params.PolicyId)) role.policies.push(params.PolicyId);
      return {};
    },
    'scf.ListFunctions': () => ({
      Functions: Object.values(state.functions).map(({ FunctionName, FunctionId, Runtime, Status }) => ({
        FunctionName,
        FunctionId,
        Runtime,
        Status,
      })),
      TotalCount: Object.keys(state.functions).length,
    }),
    'scf.GetFunction': (params) => {
      const target = fn(params.FunctionName);
      return { ...target, Triggers: target.Triggers.map(({ TriggerDesc, ...trigger }) => ({ ...trigger, TriggerDesc })) };
    },
    'scf.CreateFunction': (params) => {
      // doc 583/18586: name of letters, digits, - and _, starting with a letter, not ending in - or _, 2-60 long.
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/.test(params.FunctionName))
        fail('InvalidParameter.FunctionName', `FunctionName ${params.FunctionName}`);
      if (state.functions[params.FunctionName]) fail('ResourceInUse.Function', `function ${params.FunctionName} already exists`);
      if (params.Runtime !== undefined && !RUNTIMES.has(params.Runtime)) {
        fail(
          'InvalidParameterValue.Runtime',
          `Runtime ${params.Runtime} is not a runtime SCF offers (Node.js: ${NODE_RUNTIMES.join(', ')})`,
        );
      }
      if (params.Handler !== undefined && !/^[A-Za-z][\w-]*\.[A-Za-z][\w-]*$/.test(params.Handler))
        fail('InvalidParameterValue.Handler', `Handler ${params.Handler}`);
      checkSizes(params);
      checkRole(params.Role);
      cosObject(params.Code);
      state.functions[params.FunctionName] = {
        FunctionName: params.FunctionName,
        FunctionId: `lam-${String(state.nextId++).padStart(8, '0')}`,
        Namespace: params.Namespace || 'default',
        Runtime: params.Runtime || 'Python2.7',
        Handler: params.Handler,
        MemorySize: params.MemorySize || 128,
        Timeout: params.Timeout || 3,
        Role: params.Role,
        Environment: params.Environment || { Variables: [] },
        VpcConfig: params.VpcConfig || { VpcId: '', SubnetId: '' },
        Description: params.Description || '',
        CodeObject: params.Code.CosObjectName,
        Status: 'Active',
        Triggers: [],
      };
      return {};
    },
    'scf.UpdateFunctionCode': (params) => {
      const target = fn(params.FunctionName);
      cosObject({ CosBucketName: params.CosBucketName, CosObjectName: params.CosObjectName });
      target.CodeObject = params.CosObjectName;
      if (params.Handler) target.Handler = params.Handler;
      return {};
    },
    'scf.UpdateFunctionConfiguration': (params) => {
      const target = fn(params.FunctionName);
      // SDK UpdateFunctionConfigurationRequest.Runtime: "创建时指定，目前不支持修改".
      if (params.Runtime !== undefined && params.Runtime !== target.Runtime) {
        fail('UnsupportedOperation.Runtime', `the runtime of ${params.FunctionName} is ${target.Runtime} and cannot be changed`);
      }
      checkSizes(params);
      checkRole(params.Role);
      for (const key of ['MemorySize', 'Timeout', 'Role', 'Environment', 'VpcConfig', 'Description']) {
        if (params[key] !== undefined) target[key] = params[key];
      }
      return {};
    },
    'scf.CreateTrigger': (params) => {
      const target = fn(params.FunctionName);
      if (params.Type === 'apigw') {
        fail(
          'UnsupportedOperation.Trigger',
          'API gateway triggers can no longer be created (since 2024-07-01, notice 583/107631); use a function URL (Type http)',
        );
      }
      if (!TRIGGER_TYPES.has(params.Type)) fail('InvalidParameterValue.Type', `trigger type ${params.Type} is not supported`);
      checkEnable(params.Enable);
      checkQualifier(params.Qualifier);
      const qualifier = params.Qualifier || '$LATEST';
      if (findTrigger(target, params))
        fail('ResourceInUse.Trigger', `trigger ${params.TriggerName} (${params.Type}) already exists`);
      if (
        params.Type === 'http' &&
        target.Triggers.some((trigger) => trigger.Type === 'http' && trigger.Qualifier === qualifier)
      ) {
        // One function URL per version or alias (583/100227).
        fail('ResourceInUse.Trigger', `${params.FunctionName} already has a function URL for ${qualifier}`);
      }
      const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
      const trigger = {
        Type: params.Type,
        TriggerName: params.TriggerName,
        TriggerDesc: storedTriggerDesc(params.Type, params.TriggerDesc, qualifier),
        Enable: params.Enable === 'OPEN' ? 1 : 0,
        Qualifier: qualifier,
        AddTime: now,
        ModTime: now,
        AvailableStatus: 'Available',
        // The URL shows in the trigger a moment after creation: the first read does not have it.
        ...(params.Type === 'http' ? { urlHiddenReads: 1 } : {}),
      };
      target.Triggers.push(trigger);
      return { TriggerInfo: visibleTrigger(trigger, false) };
    },
    'scf.UpdateTrigger': (params) => {
      const target = fn(params.FunctionName);
      if (!UPDATABLE_TRIGGER_TYPES.has(params.Type))
        fail('InvalidParameterValue.Type', `UpdateTrigger supports timer, ckafka and http, not ${params.Type}`);
      checkEnable(params.Enable);
      const trigger = findTrigger(target, params) || fail('ResourceNotFound.Trigger', `trigger ${params.TriggerName} not found`);
      if (params.TriggerDesc !== undefined)
        trigger.TriggerDesc = storedTriggerDesc(params.Type, params.TriggerDesc, trigger.Qualifier, trigger.TriggerDesc);
      if (params.Enable !== undefined) trigger.Enable = params.Enable === 'OPEN' ? 1 : 0;
      return {};
    },
    'scf.DeleteTrigger': (params) => {
      const target = fn(params.FunctionName);
      const trigger = findTrigger(target, params) || fail('ResourceNotFound.Trigger', `trigger ${params.TriggerName} not found`);
      target.Triggers.splice(target.Triggers.indexOf(trigger), 1);
      return {};
    },
    'scf.ListTriggers': (params) => {
      const target = fn(params.FunctionName);
      return { Triggers: target.Triggers.map((trigger) => visibleTrigger(trigger, true)), TotalCount: target.Triggers.length };
    },
    'tag.DescribeResourceTagsByResourceIds': (params) => ({
      Tags: params.ResourceIds.flatMap((id) => (state.tags[id] || []).map((tag) => ({ ResourceId: id, ...tag }))),
      TotalCount: 0,
    }),
    'tag.ModifyResourceTags': (params) => {
      const match = /^qcs::scf:([\w-]+)::lam\/(lam-\w+)$/.exec(params.Resource);
      if (!match || !Object.values(state.functions).some((target) => target.FunctionId === match[2])) {
        fail('InvalidParameterValue.ResourceDescriptionError', `resource ${params.Resource} does not exist`);
      }
      const kept = (state.tags[match[2]] || []).filter(
        (tag) =>
          !(params.DeleteTags || []).some((gone) => gone.TagKey === tag.TagKey) &&
          !(params.ReplaceTags || []).some((next) => next.TagKey === tag.TagKey),
      );
      state.tags[match[2]] = [...kept, ...(params.ReplaceTags || []).map(({ TagKey, TagValue }) => ({ TagKey, TagValue }))];
      return {};
    },
  };

  /** A trigger as the API shows it; a fresh function URL's address is missing from the first read. */
  function visibleTrigger(trigger, counts) {
    const { urlHiddenReads, ...shown } = trigger;
    if (urlHiddenReads > 0) {
      if (counts) trigger.urlHiddenReads -= 1;
      const desc = JSON.parse(trigger.TriggerDesc);
      delete desc.NetConfig.ExtranetUrl;
      delete desc.NetConfig.IntranetUrl;
      shown.TriggerDesc = JSON.stringify(desc);
    }
    return shown;
  }

  return function answer(service, action, params) {
    const handler = handlers[`${service}.${action}`];
    if (!handler) fail('UnsupportedOperation', `fake-tencent-cloud does not implement ${service}.${action}`);
    return handler(params);
  };
}

function install() {
  const stateFile = process.env.FAKE_TENCENT_STATE;
  const recordFile = process.env.FAKE_TENCENT_RECORD;
  const state = stateFile && fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : emptyAccount();
  const record = { calls: [], cos: [], refused: [], blockedConnections: [] };
  process.on('exit', () => {
    if (stateFile) fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
    if (recordFile) fs.writeFileSync(recordFile, JSON.stringify(record, null, 2));
  });

  // Nothing leaves the machine: any socket to a non-local address fails like an offline host.
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
    const host = options.host || 'localhost';
    if (!options.path && !['localhost', '127.0.0.1', '::1'].includes(host)) {
      record.blockedConnections.push(`${host}:${options.port}`);
      process.nextTick(() =>
        this.destroy(Object.assign(new Error(`fake-tencent-cloud: blocked connection to ${host}`), { code: 'ENOTFOUND' })),
      );
      return this;
    }
    return originalConnect.apply(this, args);
  };

  const deployDir = path.resolve(__dirname, '..');
  const scfRequire = createRequire(
    createRequire(path.join(deployDir, 'package.json')).resolve('serverless-tencent-scf/index.js'),
  );
  const AbstractClient = scfRequire('tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client');
  const COS = scfRequire('cos-nodejs-sdk-v5');
  const check = createRequestChecker();
  const clouds = new Map();
  const cloudFor = (region) => {
    if (!clouds.has(region)) clouds.set(region, createCloud(state, region));
    return clouds.get(region);
  };

  const refuse = (entry, error) => {
    record.refused.push({ ...entry, code: error.code, message: error.message });
    return error;
  };

  AbstractClient.prototype.request = function request(action, req, resp, options, cb) {
    const callback = typeof options === 'function' ? options : cb;
    const service = String(this.endpoint).split('.')[0];
    // What the SDK would put on the wire: no null members (mergeData), Region as the common parameter.
    const params = withoutNulls(JSON.parse(JSON.stringify(req || {})));
    const entry = { service, action, region: this.region, params };
    record.calls.push(entry);
    let data;
    try {
      if (params.Region !== undefined && params.Region !== this.region)
        fail('InvalidParameter', `Region ${params.Region} differs from the client's ${this.region}`);
      const problem = check(service, action, params);
      if (problem) throw apiError(problem.code, problem.message);
      const { Region, ...own } = params;
      data = { ...cloudFor(this.region)(service, action, own), RequestId: 'fake-request' };
    } catch (error) {
      process.nextTick(() => callback(refuse(entry, error), null));
      return;
    }
    process.nextTick(() => {
      resp.deserialize(data);
      callback(null, resp);
    });
  };

  // COS, checked against cos-nodejs-sdk-v5's index.d.ts (BucketParams: Bucket and Region required;
  // ObjectParams: Key too) and COS's documented errors (doc 436/7730: NoSuchBucket 404,
  // BucketAlreadyExists 409, InvalidBucketName 400).
  const cosError = (statusCode, code, message) =>
    Object.assign(new Error(message), { statusCode, code, error: { Code: code, Message: message } });
  const bucketOf = (params, create) => {
    if (typeof params.Bucket !== 'string' || typeof params.Region !== 'string')
      throw cosError(400, 'InvalidArgument', 'Bucket and Region are required');
    const match = /^([a-z0-9][a-z0-9-]*)-(\d+)$/.exec(params.Bucket);
    if (!match || match[1].length > 50 || Number(match[2]) !== APP_ID)
      throw cosError(400, 'InvalidBucketName', `bucket name ${params.Bucket}`);
    const bucket = state.buckets[params.Bucket];
    if (create) {
      if (bucket) throw cosError(409, 'BucketAlreadyExists', `bucket ${params.Bucket} already exists`);
      return (state.buckets[params.Bucket] = { Region: params.Region, objects: {} });
    }
    if (!bucket || bucket.Region !== params.Region) throw cosError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    return bucket;
  };
  const upload = (params) => {
    const bucket = bucketOf(params, false);
    if (typeof params.Key !== 'string' || params.Key === '') throw cosError(400, 'InvalidArgument', 'Key is required');
    const file = params.FilePath || (params.Body && params.Body.path);
    if (params.Body && typeof params.Body.destroy === 'function') params.Body.destroy();
    const size = file ? fs.statSync(String(file)).size : Buffer.byteLength(String(params.Body || ''));
    bucket.objects[params.Key] = size;
    record.cos.push({ Bucket: params.Bucket, Key: params.Key, file: file ? path.resolve(String(file)) : null, size });
    return { Location: `${params.Bucket}.cos.${params.Region}.myqcloud.com/${params.Key}` };
  };
  const cosHandlers = {
    getService: (params) => ({
      Buckets: Object.entries(state.buckets)
        .filter(([, bucket]) => !params.Region || bucket.Region === params.Region)
        .map(([Name, bucket]) => ({ Name, Location: bucket.Region })),
    }),
    putBucket: (params) => {
      bucketOf(params, true);
      return { Location: `${params.Bucket}.cos.${params.Region}.myqcloud.com` };
    },
    putObject: upload,
    sliceUploadFile: upload,
  };
  for (const [method, handler] of Object.entries(cosHandlers)) {
    COS.prototype[method] = function fakeCos(params, callback) {
      const entry = {
        service: 'cos',
        action: method,
        region: params.Region,
        params: { ...params, Body: params.Body === undefined ? undefined : '<body>' },
      };
      record.calls.push(entry);
      let result;
      try {
        result = handler(params);
      } catch (error) {
        process.nextTick(() => callback(refuse(entry, error)));
        return;
      }
      process.nextTick(() => callback(null, result));
    };
  }
}

module.exports = { emptyAccount, APP_ID };
