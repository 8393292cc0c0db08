import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScfApiGatewayEvent } from '../../../../lib/callback/gateway-event';
import { startLocalGateway, type LocalGateway } from '../../../../tools/local-gateway/server';
import { captureLog } from '../../../helpers/callback-requests';

describe('local gateway', () => {
  const seen: ScfApiGatewayEvent[] = [];
  const log = captureLog();
  let gateway: LocalGateway;

  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      path: '/vod/callback',
      maxBodyBytes: 16,
      log,
      handler: async (event) => {
        seen.push(event);
        if (event.headers?.['X-Fail'] === 'yes') throw new Error('handler broke');
        return { statusCode: 202, headers: { 'X-Handled': 'yes' }, body: 'b2s=', isBase64Encoded: false };
      },
    });
  });
  afterAll(() => gateway.close());

  const last = () => seen[seen.length - 1]!;

  it('hands the function an SCF API-gateway event, headers in the case they were sent', async () => {
    const response = await fetch(`${gateway.url}?a=1&b=2&b=3`, {
      method: 'POST',
      headers: { 'X-Api-Thing': 'v' },
      body: '{"x":1}',
    });
    expect([response.status, response.headers.get('x-handled'), await response.text()]).toEqual([202, 'yes', 'b2s=']);
    expect(last()).toMatchObject({
      httpMethod: 'POST',
      path: '/vod/callback',
      body: '{"x":1}',
      isBase64Encoded: false,
      queryString: { a: '1', b: ['2', '3'] },
      queryStringParameters: { a: '1', b: '3' },
      requestContext: { path: '/vod/callback', httpMethod: 'POST', stage: 'release', sourceIp: '127.0.0.1' },
    });
    expect(last().headers).toMatchObject({ 'X-Api-Thing': 'v' });
    expect(last().requestContext?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a body that is not UTF-8 as base64', async () => {
    await fetch(gateway.url, { method: 'POST', body: new Uint8Array([0xff, 0x00, 0xfe]) });
    expect(last()).toMatchObject({ body: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'), isBase64Encoded: true });
  });

  it('keeps at most one byte more than the limit of a large body', async () => {
    await fetch(gateway.url, { method: 'POST', body: 'y'.repeat(100_000) });
    expect(last().body).toBe('y'.repeat(17));
  });

  it('answers 404 off its path without calling the function', async () => {
    const before = seen.length;
    const response = await fetch(gateway.url.replace('/vod/callback', '/vod'), { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(seen.length).toBe(before);
  });

  it('answers 502 when the function throws, as API gateway does', async () => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'X-Fail': 'yes' }, body: '{}' });
    expect([response.status, await response.json()]).toEqual([502, { error: 'bad_gateway', reason: 'invalid scf response' }]);
    expect(log.entries()).toEqual([{ level: 'error', message: 'local gateway: request failed', error: 'handler broke' }]);
  });
});
