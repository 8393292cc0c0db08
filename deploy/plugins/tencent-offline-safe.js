// @ts-check
'use strict';

// Keeps serverless-tencent-scf 0.1.36 from calling services that are not Tencent Cloud's APIs.
// Listed in serverless.yml BEFORE serverless-tencent-scf, so these patches are in place when that
// plugin's provider is constructed.
//
// 1. Telemetry. On every command (`package` included) the provider posts the service name,
//    command and OS to http://service-ocnymoks-1258344699.gz.apigw.tencentcs.com/release/dataReport
//    (serverless-tencent-tools, sdk/others/dataReport.js) through `request()` with no error
//    handler: offline, or now that the endpoint is gone, that is an uncaught error that kills the
//    command. `DataReport.prototype.report` becomes a no-op (tencent-scf-patches.js, as all the
//    replaced methods below).
// 2. "Real-name authentication". Before deploy/remove/rollback/info/invoke/logs/metrics the
//    provider asks the same third-party endpoint whether the account is verified
//    (sdk/account/getUserAuthInfo.js) and calls process.exit(-1) when it cannot get an answer.
//    That service no longer answers (see serverless/serverless PR 11658, which dropped the Tencent
//    integration from the framework). `TencentProvider.prototype.getUserAuth` now resolves true:
//    Tencent Cloud's own APIs still refuse an unverified account, so nothing is bypassed.
// 3. Credentials. An absolute provider.credentials path is mangled by the provider (made
//    relative to the working directory); it is handed over in a form that survives. Under
//    framework v3 the credentials the provider reads at start-up are wiped before any command
//    runs (see the initialize hook); they are read again. Without a usable credentials file the provider silently falls back to a QR-code
//    login through another third-party service (tencent-login, scfdev.tencentserverless.com),
//    which hangs a CI job. Commands that talk to Tencent Cloud now stop at once with a message
//    naming the file; `package` and `print` never read credentials (the provider would otherwise
//    call CAM GetUserAppId at start-up, a network call packaging does not need).

const os = require('os');
const path = require('path');
const { applyTencentPatches } = require('./tencent-scf-patches');

// Commands of serverless-tencent-scf that call Tencent Cloud (and so need credentials).
const REMOTE_COMMANDS = new Set([
  'deploy',
  'deploy function',
  'deploy list',
  'deploy list functions',
  'remove',
  'rollback',
  'info',
  'invoke',
  'logs',
  'metrics',
]);

/**
 * Absolute path of the credentials file (provider.credentials, default ~/credentials).
 *
 * @param {any} serverless the framework instance (Serverless Framework v3 ships no types)
 */
function credentialsPath(serverless) {
  const configured = String(serverless.service.provider.credentials || '~/credentials');
  const expanded =
    configured === '~' || configured.startsWith(`~${path.sep}`) || configured.startsWith('~/')
      ? path.join(os.homedir(), configured.slice(1))
      : configured;
  return path.resolve(serverless.serviceDir || process.cwd(), expanded);
}

class TencentOfflineSafe {
  /** @param {any} serverless @param {Record<string, any>} options */
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    const command = (serverless.pluginManager.cliCommands || []).join(' ');
    applyTencentPatches(serverless);
    // The provider rebuilds the path with split(sep)/join, which drops the leading "/" of an
    // absolute path (it then reads a path relative to the working directory). Hand it the file
    // relative to the working directory, which survives that.
    const file = credentialsPath(serverless);
    serverless.service.provider.credentials = path.relative(process.cwd(), file) || file;

    this.hooks = {
      initialize: async () => {
        if (!REMOTE_COMMANDS.has(command)) return;
        // The provider reads the file in its constructor into the shared CLI options object, but
        // framework v3 empties and refills that object once all plugins are loaded (it re-resolves
        // the CLI options against the plugins' schemas), so the credentials are gone by the time
        // a command runs and the provider would fall back to the QR-code login. Read them again.
        const provider = serverless.getProvider('tencent');
        if (provider && !this.options.credentials) await provider.getCredentials();
        const credentials = this.options.credentials;
        if (credentials && credentials.tencent_secret_id && credentials.tencent_secret_key) return;
        const ServerlessError = serverless.classes.Error;
        throw new ServerlessError(
          [
            `No Tencent Cloud credentials for "serverless ${command}".`,
            `Expected an INI file at ${file} (provider.credentials; set TENCENT_CREDENTIALS_FILE to use another path) containing:`,
            '  [default]',
            '  tencent_secret_id = AKID...',
            '  tencent_secret_key = ...',
            'See docs/deploy.md, "Credentials". (The QR-code login fallback of serverless-tencent-scf is disabled: it needs a third-party service.)',
          ].join('\n'),
          'TENCENT_CREDENTIALS_MISSING',
        );
      },
    };
  }
}

module.exports = TencentOfflineSafe;
