import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScfHttpEvent } from '../../../../lib/callback/gateway-event';
import { startLocalGateway, type LocalGateway } from '../../../../tools/local-gateway/server';
import { captureLog } from '../../../helpers/callback-requests';

describe('local gateway', () => {
  const seen: ScfHttpEvent[] = [];
  const contexts: unknown[] = [];
  const log = captureLog();
  let gateway: LocalGateway;

  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      path: '/vod/callback',
      maxBodyBytes: 16,
      log,
      handler: async (event, context) => {
        seen.push(event);
        contexts.push(context);
        if (event.headers?.['X-Fail'] === 'yes') throw new Error('handler broke');
        return { statusCode: 202, headers: { 'X-Handled': 'yes' }, body: 'b2s=', isBase64Encoded: false };
      },
    });
  });
  afterAll(() => gateway.close());

  const last = () => seen[seen.length - 1]!;

  it('hands the function an SCF function-URL event (doc 583/96099), headers in the case they were sent', async () => {
    const response = await fetch(`${gateway.url}?a=1&b=2&b=3`, {
      method: 'POST',
      headers: { 'X-Api-Thing': 'v' },
      body: '{"x":1}',
    });
    expect([response.status, response.headers.get('x-handled'), await response.text()]).toEqual([202, 'yes', 'b2s=']);
    expect(last()).toEqual({
      httpMethod: 'POST',
      path: '/vod/callback',
      body: '{"x":1}',
      queryString: { a: '1', b: ['2', '3'] },
      headers: expect.objectContaining({ 'X-Api-Thing': 'v', 'x-scf-remote-addr': '127.0.0.1' }),
    });
    expect(contexts.at(-1)).toEqual({ request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('keeps at most one byte more than the limit of a large body', async () => {
    await fetch(gateway.url, { method: 'POST', body: 'y'.repeat(100_000) });
    expect(last().body).toBe('y'.repeat(17));
  });

  it('hands every path to the function, as a function URL does', async () => {
    await fetch(gateway.url.replace('/vod/callback', '/'), { method: 'POST', body: '{}' });
    expect(last().path).toBe('/');
  });

  it('answers 502 when the function throws', async () => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'X-Fail': 'yes' }, body: '{}' });
    expect([response.status, await response.json()]).toEqual([502, { error: 'bad_gateway', reason: 'invalid scf response' }]);
    expect(log.entries()).toEqual([{ level: 'error', message: 'local gateway: request failed', error: 'handler broke' }]);
  });
});
