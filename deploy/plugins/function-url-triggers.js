// @ts-check
'use strict';

// Function URL triggers through serverless-tencent-scf's own SCF client: what
// tencent-scf-patches.js does on deploy and tencent-function-url.js prints after it (see there).

const EVENT_TYPE = 'http';
// The only qualifier a function URL is given here: the default alias (doc 583/36149), so a later
// version or traffic split does not need a new URL.
const QUALIFIER = '$DEFAULT';
const URL_WAIT_MS = Number(process.env.SCF_FUNCTION_URL_WAIT_MS || 20000);
const URL_POLL_MS = 1000;

/**
 * Function URLs handled during this deploy, to read back and print once every function is deployed.
 *
 * @type {{ client: any, name: string, functionName: string, triggerName: string }[]}
 */
const deployedFunctionUrls = [];

/**
 * The TriggerDesc of a function URL for an `http` event's parameters.
 *
 * @param {{ authType: string, enableIntranet?: boolean, enableExtranet?: boolean }} parameters
 */
function triggerDescOf(parameters) {
  return {
    AuthType: parameters.authType,
    NetConfig: { EnableIntranet: parameters.enableIntranet === true, EnableExtranet: parameters.enableExtranet === true },
  };
}

/**
 * @param {string | undefined} text
 * @returns {any}
 */
const parseDesc = (text) => {
  try {
    const desc = JSON.parse(text || '{}');
    return desc && typeof desc === 'object' ? desc : {};
  } catch {
    return {};
  }
};

/**
 * Calls an SCF action through the plugin's own SDK client (so credentials, region and signing are its).
 *
 * @param {any} client
 * @param {string} action
 * @param {object} params
 * @returns {Promise<any>}
 */
function scfCall(client, action, params) {
  return new Promise((resolve, reject) => {
    const response = {
      /** @param {object} data */
      deserialize(data) {
        Object.assign(this, data);
      },
    };
    client.request(action, params, response, (/** @type {unknown} */ error, /** @type {unknown} */ data) =>
      error ? reject(error) : resolve(data),
    );
  });
}

/**
 * @param {any} client
 * @param {string} functionName
 * @returns {Promise<any[]>}
 */
async function functionUrlTriggers(client, functionName) {
  const answer = await scfCall(client, 'ListTriggers', { FunctionName: functionName, Namespace: 'default', Limit: 100 });
  return (answer.Triggers || []).filter((/** @type {any} */ trigger) => trigger.Type === EVENT_TYPE);
}

/**
 * @param {any} trigger
 * @returns {string | null}
 */
const extranetUrlOf = (trigger) => {
  const url = parseDesc(trigger && trigger.TriggerDesc).NetConfig?.ExtranetUrl;
  return typeof url === 'string' && url !== '' ? url : null;
};

/**
 * Creates the function URL, or keeps the existing one (updated in place when its settings differ).
 *
 * @param {any} handler the plugin's DeployTrigger (scfClient, serverless)
 * @param {any} funcObject
 * @param {string} triggerName
 * @param {{ Qualifier: string, TriggerDesc: ReturnType<typeof triggerDescOf>, Enable?: boolean }} properties
 */
async function ensureFunctionUrl(handler, funcObject, triggerName, properties) {
  const log = (/** @type {string} */ message) => handler.serverless.cli.log(message);
  const functionName = funcObject.FuncName;
  const wanted = { ...properties.TriggerDesc };
  const existing = (await functionUrlTriggers(handler.scfClient, functionName)).find(
    (trigger) => trigger.TriggerName === triggerName && trigger.Qualifier === properties.Qualifier,
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

/**
 * The URL of the function's function-URL trigger, waiting up to `URL_WAIT_MS` for it to appear.
 *
 * @param {any} client
 * @param {string} functionName
 * @param {string} triggerName
 */
async function readFunctionUrl(client, functionName, triggerName) {
  const deadline = Date.now() + URL_WAIT_MS;
  for (;;) {
    const trigger = (await functionUrlTriggers(client, functionName)).find((candidate) => candidate.TriggerName === triggerName);
    const url = extranetUrlOf(trigger);
    if (url || Date.now() + URL_POLL_MS > deadline) return url;
    await new Promise((resolve) => setTimeout(resolve, URL_POLL_MS));
  }
}

module.exports = { EVENT_TYPE, QUALIFIER, URL_WAIT_MS, deployedFunctionUrls, triggerDescOf, ensureFunctionUrl, readFunctionUrl };
