import { createHmac } from 'node:crypto';
import { vod } from 'tencentcloud-sdk-nodejs-vod';
import { describe, expect, it } from 'vitest';
import { signV2Params, verifyV2Params, V2Code } from '../../../../tools/emulator/v2-signature';

const KEY = 'example-key';
const NOW_MS = 1_700_000_000_000;
const base = { Action: 'PullEvent', Nonce: '11886', Region: 'gz', SecretId: 'AKIDexample', Timestamp: String(NOW_MS / 1000) };
const request = { method: 'GET', hosts: ['vod.api.qcloud.com'], path: '/v2/index.php' };
const secretKeyOf = (id: string) => (id === 'AKIDexample' ? KEY : undefined);

describe('Function: signV2Params', () => {
  it('signs METHOD + host + path + "?" + the raw parameters sorted by name (HmacSHA1 by default)', () => {
    // Prepare
    const source = 'GETvod.api.qcloud.com/v2/index.php?Action=PullEvent&Nonce=11886&Region=gz&SecretId=AKIDexample&Timestamp=1700000000&msgHandle.1=a b';

    // Act
    const signature = signV2Params({ ...base, 'msgHandle.1': 'a b', Signature: 'ignored' }, KEY, 'get', 'vod.api.qcloud.com', '/v2/index.php');

    // Assess
    expect(signature).toBe(createHmac('sha1', KEY).update(source).digest('base64'));
  });

  it('uses SHA-256 when SignatureMethod says HmacSHA256', () => {
    const params = { ...base, SignatureMethod: 'HmacSHA256' };
    const source = 'POSTvod.api.qcloud.com/v2/index.php?Action=PullEvent&Nonce=11886&Region=gz&SecretId=AKIDexample&SignatureMethod=HmacSHA256&Timestamp=1700000000';
    expect(signV2Params(params, KEY, 'POST', 'vod.api.qcloud.com', '/v2/index.php')).toBe(createHmac('sha256', KEY).update(source).digest('base64'));
  });

  it.each(['HmacSHA1', 'HmacSHA256'])('matches the official SDK signing with %s', async (signMethod) => {
    // Prepare: the SDK's non-TC3 mode signs the same way as API 2.0, for its own endpoint and path "/".
    const client = new vod.v20180717.Client({ credential: { secretId: 'AKIDexample', secretKey: KEY }, region: 'ap-guangzhou', profile: { signMethod: signMethod as 'HmacSHA256' } });
    const formatRequestData = (client as unknown as { formatRequestData(action: string, params: object): Promise<Record<string, string>> }).formatRequestData.bind(client);

    // Act
    const params = await formatRequestData('PullEvents', { SubAppId: 7 });
    const ours = signV2Params(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), KEY, 'POST', 'vod.tencentcloudapi.com', '/');

    // Assess
    expect(ours).toBe(params.Signature);
  });

  it('refuses an unknown SignatureMethod', () => {
    expect(() => signV2Params({ ...base, SignatureMethod: 'MD5' }, KEY, 'GET', 'h', '/')).toThrow(/HmacSHA1 or HmacSHA256/);
  });
});

describe('Function: verifyV2Params', () => {
  const signed = (params: Record<string, string>, key = KEY) => ({ ...params, Signature: signV2Params(params, key, 'GET', 'vod.api.qcloud.com', '/v2/index.php') });

  it.each(['HmacSHA1', 'HmacSHA256'])('accepts a %s signature', (SignatureMethod) => {
    expect(verifyV2Params(signed({ ...base, SignatureMethod }), request, secretKeyOf, NOW_MS, 300_000)).toEqual({ ok: true });
  });

  it('rejects a signature made with another key', () => {
    expect(verifyV2Params(signed(base, 'other'), request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: V2Code.authFailure });
  });

  it('rejects a parameter changed after signing', () => {
    expect(verifyV2Params({ ...signed(base), Nonce: '1' }, request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: V2Code.authFailure });
  });

  it('rejects an unknown SecretId', () => {
    expect(verifyV2Params(signed(base), request, () => undefined, NOW_MS, 300_000)).toMatchObject({ ok: false, code: V2Code.authFailure, message: expect.stringMatching(/not found/) });
  });

  it('rejects a timestamp outside the window', () => {
    const old = signed({ ...base, Timestamp: String(NOW_MS / 1000 - 301) });
    expect(verifyV2Params(old, request, secretKeyOf, NOW_MS, 300_000)).toMatchObject({ ok: false, code: V2Code.replayOrExpired });
  });

  it('names missing common parameters', () => {
    const { Nonce: _, ...withoutNonce } = base;
    expect(verifyV2Params(withoutNonce, request, secretKeyOf, NOW_MS, 300_000)).toEqual({ ok: false, code: V2Code.invalidParameter, message: 'missing parameter Nonce, Signature' });
  });
});
