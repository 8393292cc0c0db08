'use strict';

// Function URLs for serverless-tencent-scf 0.1.36, which predates them. Listed in serverless.yml
// before serverless-tencent-scf.
//
// SCF stopped creating API-gateway triggers on 2024-07-01 (notice 583/107631); a plain HTTPS
// endpoint is now a function URL: CreateTrigger Type "http" with TriggerDesc
// {"AuthType":"NONE","NetConfig":{"EnableIntranet":false,"EnableExtranet":true}} (doc 583/100227;
// SDK scf_models.d.ts CreateTriggerRequest.Type: "创建函数 URL 请使用 http 类型"). The plugin knows
// only apigw/cos/cmq/timer/ckafka (shared/validate.js) and silently drops other events from what
// it deploys (provider getServiceResource), so this plugin:
//
// 1. accepts an `http` event in serverless.yml (validated by the schema below);
// 2. adds it to the resource description as an HTTP trigger (also in .serverless/scf-resources.json);
// 3. on deploy, creates the trigger on the first deploy and keeps it on a redeploy: the URL belongs
//    to the trigger, so deleting and recreating it (what the plugin does with a changed trigger)
//    would give VOD a dead address. A changed setting goes through UpdateTrigger instead;
// 4. after the deploy, reads the URL back from the trigger (TriggerDesc NetConfig.ExtranetUrl, via
//    ListTriggers; it can take a few seconds to appear, so the read is retried for a bounded time)
//    and prints it with the values VOD needs for PUSH mode. The URL is read, never built: its form
//    has changed once already.

const { tencentModules } = require('./tencent-modules');

const EVENT_TYPE = 'http';
// The only qualifier a function URL is given here: the default alias (doc 583/36149), so a later
// version or traffic split does not need a new URL.
const QUALIFIER = '$DEFAULT';
const URL_WAIT_MS = Number(process.env.SCF_FUNCTION_URL_WAIT_MS || 20000);
const URL_POLL_MS = 1000;

const EVENT_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,99}$' },
    parameters: {
      type: 'object',
      properties: {
        // CAM would need signed calls, which VOD cannot make; the function checks VOD's Sign/T.
        authType: { type: 'string', enum: ['NONE'] },
        enableExtranet: { type: 'boolean' },
        enableIntranet: { type: 'boolean' },
        qualifier: { type: 'string', enum: [QUALIFIER] },
      },
      required: ['authType', 'enableExtranet', 'enableIntranet'],
      additionalProperties: false,
    },
  },
  required: ['name', 'parameters'],
  additionalProperties: false,
};

/** The TriggerDesc of a function URL for an `http` event's parameters. */
function triggerDescOf(parameters) {
  return {
    AuthType: parameters.authType,
    NetConfig: { EnableIntranet: parameters.enableIntranet === true, EnableExtranet: parameters.enableExtranet === true },
  };
}

const parseDesc = (text) => {
  try {
    const desc = JSON.parse(text || '{}');
    return desc && typeof desc === 'object' ? desc : {};
  } catch {
    return {};
  }
};

/** Calls an SCF action through the plugin's own SDK client (so credentials, region and signing are its). */
function scfCall(client, action, params) {
  return new Promise((resolve, reject) => {
    const response = {
      deserialize(data) {
        Object.assign(this, data);
      },
    };
    client.request(action, params, response, (error, data) => (error ? reject(error) : resolve(data)));
  });
}

async function functionUrlTriggers(client, functionName) {
  const answer = await scfCall(client, 'ListTriggers', { FunctionName: functionName, Namespace: 'default', Limit: 100 });
  return (answer.Triggers || []).filter((trigger) => trigger.Type === EVENT_TYPE);
}

const extranetUrlOf = (trigger) => {
  const url = parseDesc(trigger && trigger.TriggerDesc).NetConfig?.ExtranetUrl;
  return typeof url === 'string' && url !== '' ? url : null;
};

/** Creates the function URL, or keeps the existing one (updated in place when its settings differ). */
async function ensureFunctionUrl(handler, funcObject, triggerName, properties) {
  const log = (message) => handler.serverless.cli.log(message);
  const functionName = funcObject.FuncName;
  const wanted = { ...properties.TriggerDesc };
  const existing = (await functionUrlTriggers(handler.scfClient, functionName)).find(
    (trigger) => trigger.TriggerName === triggerName && trigger.Qualifier === properties.Qualifier
  );
  const params = {
    FunctionName: functionName,
    TriggerName: triggerName,
    Type: EVENT_TYPE,
    Namespace: 'default',
    Qualifier: properties.Qualifier,
    TriggerDesc: JSON.stringify(wanted),
    Enable: properties.Enable === false ? 'CLOSE' : 'OPEN',
  };
  if (!existing) {
    await scfCall(handler.scfClient, 'CreateTrigger', params);
    log(`Created function URL trigger ${triggerName} for ${functionName} (${properties.Qualifier})`);
    return;
  }
  const current = parseDesc(existing.TriggerDesc);
  const same =
    current.AuthType === wanted.AuthType &&
    Boolean(current.NetConfig?.EnableIntranet) === wanted.NetConfig.EnableIntranet &&
    Boolean(current.NetConfig?.EnableExtranet) === wanted.NetConfig.EnableExtranet &&
    (existing.Enable === 1) === (params.Enable === 'OPEN');
  if (same) {
    log(`Function URL trigger ${triggerName} of ${functionName} unchanged: kept (same URL)`);
    return;
  }
  // UpdateTrigger changes the trigger in place (SDK: "触发器类型，目前只支持timer、ckafka、http").
  await scfCall(handler.scfClient, 'UpdateTrigger', params);
  log(`Updated function URL trigger ${triggerName} of ${functionName} in place (same URL)`);
}

/** The URL of the function's function-URL trigger, waiting up to `URL_WAIT_MS` for it to appear. */
async function readFunctionUrl(client, functionName, triggerName) {
  const deadline = Date.now() + URL_WAIT_MS;
  for (;;) {
    const trigger = (await functionUrlTriggers(client, functionName)).find((candidate) => candidate.TriggerName === triggerName);
    const url = extranetUrlOf(trigger);
    if (url || Date.now() + URL_POLL_MS > deadline) return url;
    await new Promise((resolve) => setTimeout(resolve, URL_POLL_MS));
  }
}

let patched = false;
// Function URLs handled during this deploy, to read back and print once every function is deployed.
const deployed = [];

function patchTencentPlugin(serverless) {
  if (patched) return;
  patched = true;
  const modules = tencentModules(serverless);
  const validate = modules.load('shared/validate');
  const TencentProvider = modules.load('provider/tencentProvider');
  const DeployTrigger = modules.load('deploy/lib/deployTrigger');

  // The plugin's list of event types, plus `http`. Its other checks stay.
  const originalValidateEvents = validate.validateEventsProperty;
  validate.validateEventsProperty = function validateEventsProperty() {
    const { functions } = this.serverless.service;
    const stripped = {};
    for (const [name, fn] of Object.entries(functions || {})) {
      stripped[name] = { ...fn, events: (fn.events || []).filter((event) => !event || !event[EVENT_TYPE]) };
    }
    return originalValidateEvents.call({ ...this, serverless: { ...this.serverless, service: { ...this.serverless.service, functions: stripped } } });
  };

  const originalServiceResource = TencentProvider.prototype.getServiceResource;
  TencentProvider.prototype.getServiceResource = function getServiceResource() {
    const resource = originalServiceResource.apply(this, arguments);
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
            Properties: { Qualifier: parameters.qualifier || QUALIFIER, TriggerDesc: triggerDescOf(parameters), Enable: true },
          },
        });
      }
    }
    return resource;
  };

  const originalCreate = DeployTrigger.prototype.create;
  DeployTrigger.prototype.create = async function create(ns, oldEvents, funcObject, successFunc, failedFunc) {
    const events = funcObject.Properties.Events || [];
    const isUrl = (entry) => entry && Object.values(entry)[0] && String(Object.values(entry)[0].Type).toLowerCase() === EVENT_TYPE;
    const others = { ...funcObject, Properties: { ...funcObject.Properties, Events: events.filter((entry) => !isUrl(entry)) } };
    const results = await originalCreate.call(this, ns, oldEvents, others, successFunc, failedFunc);
    for (const entry of events.filter(isUrl)) {
      const [triggerName, trigger] = Object.entries(entry)[0];
      await ensureFunctionUrl(this, funcObject, triggerName, trigger.Properties);
      deployed.push({ client: this.scfClient, name: funcObject.Name, functionName: funcObject.FuncName, triggerName });
    }
    return results;
  };
}

/** Says why an `apigw` event is refused, before the schema's bare "unsupported function event". */
function refuseApiGateway(serverless) {
  for (const [name, fn] of Object.entries(serverless.service.functions || {})) {
    if (!(fn && fn.events || []).some((event) => event && event.apigw)) continue;
    throw new serverless.classes.Error(
      `Function "${name}" declares an apigw event: SCF no longer creates API-gateway triggers (since 2024-07-01, ` +
        'notice 583/107631). Use an http (function URL) event instead; see docs/deploy.md.',
      'SCF_APIGW_RETIRED'
    );
  }
}

class TencentFunctionUrl {
  constructor(serverless) {
    this.serverless = serverless;
    refuseApiGateway(serverless);
    patchTencentPlugin(serverless);
    serverless.configSchemaHandler.defineFunctionEvent('tencent', EVENT_TYPE, EVENT_SCHEMA);
    this.hooks = {
      'after:deploy:deploy': () => this.printFunctionUrls(),
    };
  }

  async printFunctionUrls() {
    const ServerlessError = this.serverless.classes.Error;
    const lines = [];
    for (const { client, name, functionName, triggerName } of deployed.splice(0)) {
      const url = await readFunctionUrl(client, functionName, triggerName);
      if (!url) {
        throw new ServerlessError(
          `The function URL of ${functionName} (trigger ${triggerName}) did not appear within ${URL_WAIT_MS / 1000} s. ` +
            'Read it later in the SCF console (函数管理 → 函数 URL) or with ListTriggers; set SCF_FUNCTION_URL_WAIT_MS to wait longer.',
          'SCF_FUNCTION_URL_MISSING'
        );
      }
      const region = this.serverless.getProvider('tencent').getRegion();
      lines.push(
        `Function URL of ${name} (${functionName}): ${url}`,
        '',
        'Give it to VOD for PUSH mode (normal HTTP callbacks, 3.0 format), with the API (region of your VOD app):',
        `  tccli vod ModifyEventConfig --region ${region} --Mode PUSH --NotificationUrl '${url}' \\`,
        `    --SignKey "$VOD_CALLBACK_SIGN_KEY" --UploadMediaCompleteEventSwitch ON --DeleteMediaCompleteEventSwitch ON${process.env.VOD_SUBAPP_ID ? ` --SubAppId ${process.env.VOD_SUBAPP_ID}` : ''}`,
        '  or in the VOD console: 回调设置 → 回调模式 普通回调, 回调 URL the address above, 回调密钥 = VOD_CALLBACK_SIGN_KEY.',
        `Check it: npx vod-events send-test --url '${url}' --key "$VOD_CALLBACK_SIGN_KEY"`
      );
    }
    if (lines.length > 0) this.serverless.cli.log(lines.join('\n'));
  }
}

module.exports = TencentFunctionUrl;
