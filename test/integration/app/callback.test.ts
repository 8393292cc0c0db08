import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCallbackHandler, callbackHandlerFromEnv } from '../../../lib/app/callback';
import type { ScfApiGatewayEvent } from '../../../lib/callback/gateway-event';
import { loadConfig } from '../../../lib/config';
import { createRuntime, type Runtime } from '../../../lib/runtime';
import type { SqlClient } from '../../../lib/store/sql-client';
import seeds from '../../../samples/seed-events.json';
import { captureLog, SIGN_KEY, signed } from '../../helpers/callback-requests';
import { openPglite } from '../../../tools/embedded-store/pglite-client';

const post = (body: string, changes: ScfApiGatewayEvent = {}): ScfApiGatewayEvent => ({
  httpMethod: 'POST',
  path: '/vod/callback',
  headers: { 'Content-Type': 'application/json' },
  body,
  isBase64Encoded: false,
  ...changes,
});

describe('createCallbackHandler', () => {
  // Each test its own log and in-memory store, so no test sees another's rows or log lines.
  let log: ReturnType<typeof captureLog>;
  let runtime: Runtime;
  let sql: SqlClient | undefined;
  let handler: ReturnType<typeof createCallbackHandler>;
  beforeEach(() => {
    log = captureLog();
    runtime = createRuntime(loadConfig({ PGLITE_DIR: 'memory://' }), {
      log,
      openEmbedded: async (dir) => (sql = await openPglite(dir)),
    });
    handler = createCallbackHandler(runtime);
  });
  afterEach(() => runtime.close());

  it('answers an API-gateway event with an integration response', async () => {
    const result = await handler(post(JSON.stringify(seeds.pullComplete003Callback)), { request_id: 'r1' });
    expect(result).toMatchObject({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      isBase64Encoded: false,
    });
    expect(JSON.parse(result.body)).toMatchObject({ ok: true, duplicate: false });
    await runtime.store();
    const [row] = await sql!.query('SELECT event_type, source FROM vod_events');
    expect(row).toEqual({ event_type: 'PullComplete', source: 'callback' });
  });

  it('takes a base64 body with any header case', async () => {
    const body = Buffer.from(JSON.stringify(seeds.concatComplete002Callback)).toString('base64');
    const result = await handler(post(body, { isBase64Encoded: true, headers: { 'CONTENT-TYPE': 'application/json' } }));
    expect(result.statusCode).toBe(200);
  });

  it('answers a missing event or one without headers and body with a 4xx', async () => {
    expect((await handler(undefined as unknown as ScfApiGatewayEvent)).statusCode).toBe(405);
    const result = await handler({ httpMethod: 'POST' });
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).reason).toBe('empty body: expected a VOD event as JSON');
  });

  it('says once, when built, that callbacks are unauthenticated', () => {
    expect(log.entries().filter((entry) => entry.level === 'warn' && entry.message !== 'callback rejected')).toEqual([
      { level: 'warn', message: 'VOD_CALLBACK_SIGN_KEY is not set: callbacks are accepted without a signature' },
    ]);
  });

  it('checks signatures when VOD_CALLBACK_SIGN_KEY is set, and does not warn', async () => {
    const keyedLog = captureLog();
    const keyed = createRuntime(loadConfig({ PGLITE_DIR: 'memory://', VOD_CALLBACK_SIGN_KEY: SIGN_KEY }), {
      log: keyedLog,
      openEmbedded: openPglite,
    });
    const keyedHandler = createCallbackHandler(keyed);
    try {
      const unsigned = await keyedHandler(post(JSON.stringify(seeds.pullComplete003Callback)));
      const good = await keyedHandler(
        post(JSON.stringify(signed(seeds.pullComplete003Callback, SIGN_KEY, Date.now() + 600_000))),
      );
      expect([unsigned.statusCode, good.statusCode]).toEqual([401, 200]);
      expect(keyedLog.entries().map((entry) => entry.message)).toEqual(['callback rejected', 'callback stored']);
    } finally {
      await keyed.close();
    }
  });
});

describe('callbackHandlerFromEnv with a bad configuration', () => {
  let log: ReturnType<typeof captureLog>;
  let handler: ReturnType<typeof callbackHandlerFromEnv>;
  beforeEach(() => {
    log = captureLog();
    // No DATABASE_URL: refused on SCF, where the embedded store would lose data.
    handler = callbackHandlerFromEnv({ VOD_MAX_QPS: 'lots' }, log);
  });

  it('logs the configuration error once, naming the variables', () => {
    expect(log.entries()).toEqual([
      {
        level: 'error',
        message: 'configuration error: callbacks are answered 503 and dead-lettered until it is fixed',
        reason: 'VOD_MAX_QPS: expected a whole number from 1 to 1000, got "lots"',
      },
    ]);
  });

  it('answers a valid callback 503 and dead-letters it with the reason', async () => {
    const body = JSON.stringify(seeds.pullComplete003Callback);
    const result = await handler(post(body));
    expect(result.statusCode).toBe(503);
    expect(log.deadLetters()).toMatchObject([
      { payload: body, reason: 'ConfigError: VOD_MAX_QPS: expected a whole number from 1 to 1000, got "lots"' },
    ]);
  });

  it('still answers bad input with a 4xx, without a dead letter', async () => {
    expect((await handler(post('not json'))).statusCode).toBe(400);
    expect((await handler(post('{}', { httpMethod: 'GET' }))).statusCode).toBe(405);
    expect(log.deadLetters()).toEqual([]);
  });

  it('names DATABASE_URL when only it is missing', async () => {
    const missingUrlLog = captureLog();
    const missingUrl = callbackHandlerFromEnv({}, missingUrlLog);
    await missingUrl(post(JSON.stringify(seeds.concatComplete002Callback)));
    expect(missingUrlLog.deadLetters()[0]?.reason).toMatch(/^ConfigError: DATABASE_URL: required on SCF/);
  });
});
