// One SCF instance of the callback function, for the crash test: loads the callback bundle named
// by FUNCTION_BUNDLE and serves its main_handler on 127.0.0.1:PORT behind the local gateway, which
// hands it function-URL events as SCF does. Writes `listening` to stderr once it accepts requests;
// the function's JSON log lines go to stdout.
import { createRequire } from 'node:module';
import type { main_handler } from '../../functions/callback';
import { CALLBACK_PATH } from '../../lib/callback/gateway-event';
import { DEFAULTS } from '../../lib/config';
import { jsonLineLogger } from '../../lib/log';
import { startLocalGateway } from '../../tools/local-gateway/server';

const { FUNCTION_BUNDLE, PORT } = process.env;
const bundle = createRequire(__filename)(FUNCTION_BUNDLE!) as { main_handler: typeof main_handler };

void startLocalGateway({
  port: Number(PORT),
  host: '127.0.0.1',
  path: CALLBACK_PATH,
  handler: bundle.main_handler,
  maxBodyBytes: DEFAULTS.callbackMaxBodyBytes,
  log: jsonLineLogger(),
}).then(() => process.stderr.write('listening\n'));
