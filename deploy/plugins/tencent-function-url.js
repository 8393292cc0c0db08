// @ts-check
'use strict';

// Function URLs for serverless-tencent-scf 0.1.36, which predates them. Listed in serverless.yml
// before serverless-tencent-scf.
//
// SCF stopped creating API-gateway triggers on 2024-07-01 (notice 583/107631); a plain HTTPS
// endpoint is now a function URL: CreateTrigger Type "http" with TriggerDesc
// {"AuthType":"NONE","NetConfig":{"EnableIntranet":false,"EnableExtranet":true}} (doc 583/100227;
// SDK scf_models.d.ts CreateTriggerRequest.Type: "创建函数 URL 请使用 http 类型"). The plugin knows
// only apigw/cos/cmq/timer/ckafka (shared/validate.js) and silently drops other events from what
// it deploys (provider getServiceResource), so this plugin (its replaced methods in
// tencent-scf-patches.js, its SCF calls in function-url-triggers.js):
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

const { EVENT_TYPE, QUALIFIER, URL_WAIT_MS, deployedFunctionUrls, readFunctionUrl } = require('./function-url-triggers');
const { applyTencentPatches } = require('./tencent-scf-patches');

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

/**
 * Says why an `apigw` event is refused, before the schema's bare "unsupported function event".
 *
 * @param {any} serverless the framework instance (Serverless Framework v3 ships no types)
 */
function refuseApiGateway(serverless) {
  for (const [name, fn] of Object.entries(serverless.service.functions || {})) {
    if (!((fn && fn.events) || []).some((/** @type {any} */ event) => event && event.apigw)) continue;
    throw new serverless.classes.Error(
      `Function "${name}" declares an apigw event: SCF no longer creates API-gateway triggers (since 2024-07-01, ` +
        'notice 583/107631). Use an http (function URL) event instead; see docs/deploy.md.',
      'SCF_APIGW_RETIRED',
    );
  }
}

class TencentFunctionUrl {
  /** @param {any} serverless */
  constructor(serverless) {
    this.serverless = serverless;
    refuseApiGateway(serverless);
    applyTencentPatches(serverless);
    serverless.configSchemaHandler.defineFunctionEvent('tencent', EVENT_TYPE, EVENT_SCHEMA);
    this.hooks = {
      'after:deploy:deploy': () => this.printFunctionUrls(),
    };
  }

  async printFunctionUrls() {
    const ServerlessError = this.serverless.classes.Error;
    const lines = [];
    for (const { client, name, functionName, triggerName } of deployedFunctionUrls.splice(0)) {
      const url = await readFunctionUrl(client, functionName, triggerName);
      if (!url) {
        throw new ServerlessError(
          `The function URL of ${functionName} (trigger ${triggerName}) did not appear within ${URL_WAIT_MS / 1000} s. ` +
            'Read it later in the SCF console (函数管理 → 函数 URL) or with ListTriggers; set SCF_FUNCTION_URL_WAIT_MS to wait longer.',
          'SCF_FUNCTION_URL_MISSING',
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
        `Check it: npx vod-events send-test --url '${url}' --key "$VOD_CALLBACK_SIGN_KEY"`,
      );
    }
    if (lines.length > 0) this.serverless.cli.log(lines.join('\n'));
  }
}

module.exports = TencentFunctionUrl;
