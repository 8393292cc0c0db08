import { describe, expect, it } from 'vitest';
import {
  toCallbackRequest,
  toGatewayResult,
  type ScfApiGatewayEvent,
  type ScfFunctionUrlEvent,
} from '../../../lib/callback/gateway-event';
import { randomJson, seededRandom } from '../../helpers/random-json';

/** The function-URL event of SCF's documentation (583/96099): no isBase64Encoded, no requestContext. */
const functionUrl: ScfFunctionUrlEvent = {
  body: '{"EventType":"NewFileUpload"}',
  headers: {
    Accept: '*/*',
    'Content-Type': 'application/json',
    Host: '1250000000-abcdefgh12.ap-guangzhou.tencentscf.com',
    'X-Scf-Remote-Addr': '203.0.113.7',
  },
  httpMethod: 'POST',
  path: '/',
  queryString: {},
};

/** The API-gateway event of SCF's documentation ("触发器事件消息结构汇总"), with a VOD body. */
const documented: ScfApiGatewayEvent = {
  requestContext: {
    serviceId: 'service-f94sy04v',
    path: '/vod/callback',
    httpMethod: 'POST',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    identity: { secretId: 'abdcdxxxxxxxsdfs' },
    sourceIp: '10.0.2.14',
    stage: 'release',
  },
  headers: { 'Content-Type': 'application/json', Host: 'service-f94sy04v-1250000000.gz.apigw.tencentcs.com' },
  body: '{"EventType":"NewFileUpload"}',
  pathParameters: {},
  queryStringParameters: {},
  headerParameters: {},
  stageVariables: { stage: 'release' },
  path: '/vod/callback',
  queryString: {},
  httpMethod: 'POST',
};

describe('toCallbackRequest', () => {
  it('takes the documented function-URL event, header names in any case, client address kept', () => {
    expect(toCallbackRequest(functionUrl, { request_id: 'scf-req-1' })).toEqual({
      method: 'POST',
      path: '/',
      headers: {
        accept: '*/*',
        'content-type': 'application/json',
        host: '1250000000-abcdefgh12.ap-guangzhou.tencentscf.com',
        'x-scf-remote-addr': '203.0.113.7',
      },
      body: Buffer.from('{"EventType":"NewFileUpload"}'),
      requestId: 'scf-req-1',
    });
  });

  it('decodes base64 only when isBase64Encoded is exactly true', () => {
    const body = 'eyJhIjoxfQ==';
    for (const flag of ['true', 1, 'TRUE', {}, null]) {
      const request = toCallbackRequest({ ...functionUrl, body, isBase64Encoded: flag });
      expect(request.body.toString('utf8')).toBe(body);
    }
    expect(toCallbackRequest({ ...functionUrl, body, isBase64Encoded: true }).body.toString('utf8')).toBe('{"a":1}');
  });

  it('never throws on any JSON value in any field: mistyped parts become empty ones', () => {
    const odd: unknown[] = [null, true, 0, 12.5, 'text', [], ['POST'], [1, 2], {}, { a: 1 }, { toString: 'x' }];
    for (const value of odd) {
      for (const field of ['body', 'headers', 'httpMethod', 'path', 'queryString', 'isBase64Encoded', 'requestContext']) {
        const request = toCallbackRequest({ ...functionUrl, [field]: value }, value);
        expect(typeof request.method).toBe('string');
        expect(typeof request.path).toBe('string');
        expect(Buffer.isBuffer(request.body)).toBe(true);
      }
      expect(toCallbackRequest(value).method).toBe('');
    }
    expect(toCallbackRequest({ httpMethod: ['POST'], headers: ['x'], body: { EventType: 'x' } })).toEqual({
      method: '',
      path: '',
      headers: {},
      body: Buffer.alloc(0),
      requestId: undefined,
    });
    expect(toCallbackRequest({ headers: { 'Content-Type': 5, 'X-Ok': 'yes' } }).headers).toEqual({ 'x-ok': 'yes' });
    const random = seededRandom(18);
    const fields = ['body', 'headers', 'httpMethod', 'path', 'isBase64Encoded', 'requestContext'];
    for (let i = 0; i < 500; i++) {
      const event = Object.fromEntries(fields.map((field) => [field, randomJson(random, 3)]));
      expect(() => toCallbackRequest(event, randomJson(random, 2))).not.toThrow();
    }
  });

  it('takes method, path, body bytes and request id from the documented event', () => {
    expect(toCallbackRequest(documented)).toEqual({
      method: 'POST',
      path: '/vod/callback',
      headers: { 'content-type': 'application/json', host: 'service-f94sy04v-1250000000.gz.apigw.tencentcs.com' },
      body: Buffer.from('{"EventType":"NewFileUpload"}'),
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    });
  });

  it('lowercases header names whatever case they came in', () => {
    const request = toCallbackRequest({ ...documented, headers: { 'CONTENT-TYPE': 'text/plain', 'x-Mixed-Case': 'yes' } });
    expect(request.headers).toEqual({ 'content-type': 'text/plain', 'x-mixed-case': 'yes' });
  });

  it('decodes a base64 body to its exact bytes', () => {
    const bytes = Buffer.from('{"EventType":"NewFileUpload","FileUploadEvent":{"FileId":"动物"}}');
    const request = toCallbackRequest({ ...documented, body: bytes.toString('base64'), isBase64Encoded: true });
    expect(request.body.equals(bytes)).toBe(true);
  });

  it('turns missing parts into empty ones instead of failing', () => {
    expect(toCallbackRequest({}, { request_id: 'scf-req' })).toEqual({
      method: '',
      path: '',
      headers: {},
      body: Buffer.alloc(0),
      requestId: 'scf-req',
    });
    expect(toCallbackRequest({ headers: null, body: null, requestContext: { httpMethod: 'POST' } }).method).toBe('POST');
  });
});

describe('toGatewayResult', () => {
  it('is an integration response with a text body', () => {
    expect(toGatewayResult({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' })).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });
});
