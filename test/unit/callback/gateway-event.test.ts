import { describe, expect, it } from 'vitest';
import { toCallbackRequest, toGatewayResult, type ScfApiGatewayEvent } from '../../../lib/callback/gateway-event';

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
