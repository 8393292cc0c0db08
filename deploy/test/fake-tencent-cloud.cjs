'use strict';

// Test double for `serverless deploy`: preloaded with NODE_OPTIONS="--require <this file>", it
// answers serverless-tencent-scf's Tencent Cloud calls (CAM, SCF, Tag, COS) in-process and records
// them, and refuses every other network connection. It lets test/e2e/package.test.ts check what a
// deploy would send (artifacts, function configuration, triggers) without an account or network.
//
//   FAKE_TENCENT_RECORD=/path/record.json  where the record is written when the process exits
//
// Only the serverless process is patched; other processes that inherit NODE_OPTIONS are left alone.

const path = require('path');
const fs = require('fs');
const net = require('net');
const { createRequire } = require('module');

const isServerless = /[\\/](serverless[\\/]bin|\.bin)[\\/](serverless|sls)(\.js)?$/.test(process.argv[1] || '');
if (isServerless) install();

function install() {
  const record = { cos: [], calls: [], blockedConnections: [] };
  const recordFile = process.env.FAKE_TENCENT_RECORD;
  process.on('exit', () => {
    if (recordFile) fs.writeFileSync(recordFile, JSON.stringify(record, null, 2));
  });

  // Nothing leaves the machine: any socket to a non-local address fails like an offline host.
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
    const host = options.host || 'localhost';
    if (!options.path && !['localhost', '127.0.0.1', '::1'].includes(host)) {
      record.blockedConnections.push(`${host}:${options.port}`);
      process.nextTick(() => this.destroy(Object.assign(new Error(`fake-tencent-cloud: blocked connection to ${host}`), { code: 'ENOTFOUND' })));
      return this;
    }
    return originalConnect.apply(this, args);
  };

  const deployDir = path.resolve(__dirname, '..');
  const scfRequire = createRequire(createRequire(path.join(deployDir, 'package.json')).resolve('serverless-tencent-scf/index.js'));
  const AbstractClient = scfRequire('tencentcloud-sdk-nodejs/tencentcloud/common/abstract_client');
  const COS = scfRequire('cos-nodejs-sdk-v5');

  const functions = new Map();
  const apiError = (code, message) => Object.assign(new Error(message), { code, requestId: 'fake-request' });

  const answer = (action, params) => {
    switch (action) {
      case 'GetUserAppId':
        return { AppId: 1250000000, OwnerUin: '100000000001' };
      case 'ListPolicies':
        return { List: [{ PolicyName: 'QcloudAccessForScfRole', PolicyId: 1 }] };
      case 'CreateRole':
      case 'AttachRolePolicy':
      case 'ModifyResourceTags':
      case 'UpdateFunctionCode':
      case 'UpdateFunctionConfiguration':
      case 'DeleteTrigger':
        return {};
      case 'DescribeResourceTagsByResourceIds':
        return { Tags: [] };
      case 'ListFunctions':
        return { Functions: [...functions.values()].map((f) => ({ FunctionName: f.FunctionName })) };
      case 'GetFunction': {
        const fn = functions.get(params.FunctionName);
        if (!fn) throw apiError('ResourceNotFound.Function', 'function not found');
        return fn;
      }
      case 'CreateFunction':
        functions.set(params.FunctionName, {
          FunctionName: params.FunctionName,
          FunctionId: `lam-${functions.size + 1}`,
          Runtime: params.Runtime,
          Status: 'Active',
          Triggers: [],
        });
        return {};
      case 'CreateTrigger': {
        const desc =
          params.Type === 'apigw'
            ? JSON.stringify({
                ...JSON.parse(params.TriggerDesc),
                service: { serviceId: 'service-fake0001', subDomain: 'service-fake0001-1250000000.gz.apigw.tencentcs.com' },
              })
            : params.TriggerDesc;
        return { TriggerInfo: { TriggerName: params.TriggerName, Type: params.Type, TriggerDesc: desc } };
      }
      default:
        throw apiError('UnsupportedOperation', `fake-tencent-cloud does not implement ${action}`);
    }
  };

  AbstractClient.prototype.request = function request(action, req, resp, options, cb) {
    const callback = typeof options === 'function' ? options : cb;
    const params = JSON.parse(JSON.stringify(req));
    record.calls.push({ endpoint: this.endpoint, action, params });
    let data;
    try {
      data = { ...answer(action, params), RequestId: 'fake-request' };
    } catch (error) {
      process.nextTick(() => callback(error, null));
      return;
    }
    process.nextTick(() => callback(null, data));
  };

  const cosCall = (name, handler) => {
    COS.prototype[name] = function fakeCos(params, callback) {
      let result;
      try {
        result = handler(params);
      } catch (error) {
        process.nextTick(() => callback(error));
        return;
      }
      process.nextTick(() => callback(null, result));
    };
  };
  const buckets = new Set();
  cosCall('getService', () => ({ Buckets: [...buckets].map((Name) => ({ Name })) }));
  cosCall('putBucket', (params) => {
    buckets.add(params.Bucket);
    return {};
  });
  const upload = (params) => {
    const file = params.FilePath || (params.Body && params.Body.path);
    if (params.Body && typeof params.Body.destroy === 'function') params.Body.destroy();
    record.cos.push({
      Bucket: params.Bucket,
      Key: params.Key,
      file: file ? path.resolve(String(file)) : null,
      size: file ? fs.statSync(String(file)).size : Buffer.byteLength(String(params.Body || '')),
    });
    return { Location: `${params.Bucket}.cos.fake/${params.Key}` };
  };
  cosCall('putObject', upload);
  cosCall('sliceUploadFile', upload);
}
