import { localRuntime } from '../local-runtime';
import { createCallbackHandler } from '../../../lib/app/callback';
import { CALLBACK_PATH } from '../../../lib/callback/gateway-event';
import { CALLBACK_STATEMENT_TIMEOUT_MS } from '../../../lib/callback/handle';
import { loadConfig } from '../../../lib/config';
import { startLocalGateway, type LocalGateway } from '../../local-gateway/server';
import type { Runtime } from '../../../lib/runtime';
import { defineCommand, numberFlag, untilStopped, writeLine } from '../command';

export const DEFAULT_SERVE_PORT = 9000;

/** The callback function behind a local gateway on `POST /vod/callback`; `dev` and tests start it too. */
export function startCallbackServer(runtime: Runtime, listen: { port: number; host: string }): Promise<LocalGateway> {
  return startLocalGateway({
    ...listen,
    path: CALLBACK_PATH,
    handler: createCallbackHandler(runtime),
    maxBodyBytes: runtime.config.callbackMaxBodyBytes,
    log: runtime.log,
  });
}

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the callback function behind a local API-gateway-like HTTP server',
  help: [
    'Usage: vod-events serve [--port P] [--host H]',
    '',
    `Answers POST ${CALLBACK_PATH} with the callback function (404 for other paths) until stopped.`,
    'Stores in DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite).',
    'VOD_CALLBACK_SIGN_KEY and CALLBACK_MAX_BODY_BYTES apply as on SCF.',
    '',
    `  --port P   port to listen on (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)`,
    '  --host H   address to listen on (default 127.0.0.1)',
  ].join('\n'),
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run({ values }, { env, stderr }) {
    const port = numberFlag(values, 'port', { min: 0, max: 65_535 }, DEFAULT_SERVE_PORT);
    const host = values.host ?? '127.0.0.1';
    const runtime = localRuntime(loadConfig(env), { statementTimeoutMs: CALLBACK_STATEMENT_TIMEOUT_MS });
    try {
      const gateway = await startCallbackServer(runtime, { port, host });
      const store = runtime.config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${runtime.config.pgliteDir}`;
      writeLine(stderr, `vod-events serve: POST ${gateway.url}  store: ${store}  (Ctrl-C stops)`);
      await untilStopped();
      await gateway.close();
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
