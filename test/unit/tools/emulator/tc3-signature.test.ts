import Sign from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign';
import { describe, expect, it } from 'vitest';
import { parseTc3Authorization, tc3Signature, verifyTc3, type Tc3Request } from '../../../../tools/emulator/tc3-signature';

const SECRET_ID = 'AKIDexample';
const SECRET_KEY = 'example-key';
const NOW_MS = 1_700_000_000_000;
const secretKeyOf = (id: string) => (id === SECRET_ID ? SECRET_KEY : undefined);

/** A request signed by the official SDK's `sign3`, as `doRequestWithSign3` builds it. */
function sdkSignedRequest({
  host = '127.0.0.1:9000',
  body = '{"SubAppId":1}',
  timestamp = NOW_MS / 1000,
  secretKey = SECRET_KEY,
} = {}): Tc3Request {
  const authorization = Sign.sign3({
    method: 'POST',
    url: `http://${host}/`,
    payload: Buffer.from(body),
    timestamp,
    service: host.split('.')[0]!,
    secretId: SECRET_ID,
    secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': 'application/json' },
  });
  return {
    method: 'POST',
    url: '/',
    headers: { authorization, host, 'content-type': 'application/json', 'x-tc-timestamp': String(timestamp) },
    body: Buffer.from(body),
  };
}

describe('Function: tc3Signature', () => {
  it('computes the same signature as the official SDK', () => {
    // Prepare
    const request = sdkSignedRequest({ host: 'vod.tencentcloudapi.com' });
    const sdkSignature = parseTc3Authorization(request.headers.authorization!)!.signature;

    // Act
    const ours = tc3Signature({
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'content-type': 'application/json', host: 'vod.tencentcloudapi.com' },
      payload: request.body,
      timestamp: NOW_MS / 1000,
      service: 'vod',
      secretKey: SECRET_KEY,
    });

    // Assess
    expect(ours).toBe(sdkSignature);
  });
});

describe('Function: verifyTc3', () => {
  it('accepts an SDK-signed request, whose host is signed without the port it sends', () => {
    expect(verifyTc3(sdkSignedRequest(), secretKeyOf, NOW_MS, 300_000)).toEqual({ ok: true, secretId: SECRET_ID });
  });

  it('accepts a request for the real host and service', () => {
    expect(verifyTc3(sdkSignedRequest({ host: 'vod.tencentcloudapi.com' }), secretKeyOf, NOW_MS, 300_000).ok).toBe(true);
  });

  it('rejects a body changed after signing', () => {
    const request = { ...sdkSignedRequest(), body: Buffer.from('{"SubAppId":2}') };
    expect(verifyTc3(request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: 'AuthFailure.SignatureFailure' });
  });

  it('rejects a wrong secret key', () => {
    expect(verifyTc3(sdkSignedRequest({ secretKey: 'other' }), secretKeyOf, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: 'AuthFailure.SignatureFailure',
    });
  });

  it('rejects an unknown secret id', () => {
    expect(verifyTc3(sdkSignedRequest(), () => undefined, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: 'AuthFailure.SecretIdNotFound',
    });
  });

  it.each([
    ['301 s old', NOW_MS / 1000 - 301],
    ['301 s ahead', NOW_MS / 1000 + 301],
  ])('rejects a timestamp %s', (_, timestamp) => {
    expect(verifyTc3(sdkSignedRequest({ timestamp }), secretKeyOf, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: 'AuthFailure.SignatureExpire',
    });
  });

  it('accepts a timestamp 299 s old', () => {
    expect(verifyTc3(sdkSignedRequest({ timestamp: NOW_MS / 1000 - 299 }), secretKeyOf, NOW_MS, 300_000).ok).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['of another scheme', 'HMAC-SHA256 Credential=x'],
    [
      'without the host among signed headers',
      `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2023-11-14/vod/tc3_request, SignedHeaders=content-type, Signature=${'0'.repeat(64)}`,
    ],
  ])('rejects an Authorization header %s', (_, authorization) => {
    const request = sdkSignedRequest();
    request.headers.authorization = authorization;
    expect(verifyTc3(request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({
      ok: false,
      code: 'AuthFailure.InvalidAuthorization',
    });
  });

  it('rejects a missing timestamp header', () => {
    const request = sdkSignedRequest();
    delete request.headers['x-tc-timestamp'];
    expect(verifyTc3(request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: 'MissingParameter' });
  });
});
