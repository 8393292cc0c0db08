import { createHmac } from 'node:crypto';
import { vod } from 'tencentcloud-sdk-nodejs-vod';
import { describe, expect, it } from 'vitest';
import { signV2Params, signV2Request } from '../../../lib/vod/v2-signer';

const KEY = 'example-key';
const base = { Action: 'PullEvent', Nonce: '11886', Region: 'gz', SecretId: 'AKIDexample', Timestamp: '1700000000' };

describe('Function: signV2Params', () => {
  // Fixed vectors from the official API 2.0 SDK, qcloudapi-sdk 0.2.1 (npm; not a dependency: it
  // pulls in `request`), `new QcloudApi({ SecretId: 'AKIDexample', SecretKey: 'example-key',
  // serviceType: 'vod', Region: 'gz' }).generateQueryString({ Action: 'PullEvent', Timestamp:
  // 1700000000, Nonce: 11886, 'msgHandle.0': 'h+1/a=b' }, { method: 'GET', signatureMethod, … })`:
  // host vod.api.qcloud.com, path /v2/index.php; the SDK adds RequestClient itself.
  const sdkParams = { ...base, RequestClient: 'SDK_NODEJS_0.2.1', 'msgHandle.0': 'h+1/a=b' };
  it.each([
    ['HmacSHA1', {}, 'o6hW6F/gdneSajlImzTwDpusT/0='],
    ['HmacSHA256', { SignatureMethod: 'HmacSHA256' }, 'KF/G6LeNj8+TyY68cvmm8Znofyevpt6awIVOyC6yc6M='],
  ])('agrees with qcloudapi-sdk on a fixed %s vector', (_, method, expected) => {
    expect(signV2Params({ ...sdkParams, ...method }, KEY, 'GET', 'vod.api.qcloud.com', '/v2/index.php')).toBe(expected);
  });

  it('signs METHOD + host + path + "?" + the raw parameters sorted by name (HmacSHA1 by default)', () => {
    // Prepare
    const source =
      'GETvod.api.qcloud.com/v2/index.php?Action=PullEvent&Nonce=11886&Region=gz&SecretId=AKIDexample&Timestamp=1700000000&msgHandle.1=a b';

    // Act
    const signature = signV2Params(
      { ...base, 'msgHandle.1': 'a b', Signature: 'ignored' },
      KEY,
      'get',
      'vod.api.qcloud.com',
      '/v2/index.php',
    );

    // Assess
    expect(signature).toBe(createHmac('sha1', KEY).update(source).digest('base64'));
  });

  it.each(['HmacSHA1', 'HmacSHA256'])('matches the official SDK signing with %s', async (signMethod) => {
    // Prepare: the SDK's non-TC3 mode signs the same way as API 2.0, for its own endpoint and path "/".
    const client = new vod.v20180717.Client({
      credential: { secretId: 'AKIDexample', secretKey: KEY },
      region: 'ap-guangzhou',
      profile: { signMethod: signMethod as 'HmacSHA256' },
    });
    const formatRequestData = (
      client as unknown as { formatRequestData(action: string, params: object): Promise<Record<string, string>> }
    ).formatRequestData.bind(client);

    // Act
    const params = await formatRequestData('PullEvents', { SubAppId: 7 });
    const ours = signV2Params(
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
      KEY,
      'POST',
      'vod.tencentcloudapi.com',
      '/',
    );

    // Assess
    expect(ours).toBe(params.Signature);
  });

  it('refuses an unknown SignatureMethod', () => {
    expect(() => signV2Params({ ...base, SignatureMethod: 'MD5' }, KEY, 'GET', 'h', '/')).toThrow(/HmacSHA1 or HmacSHA256/);
  });
});

describe('Function: signV2Request', () => {
  it('adds the common parameters and an HmacSHA256 signature over all of them', () => {
    // Act
    const params = signV2Request(
      'PullEvent',
      { 'msgHandle.0': 'h' },
      { secretId: 'AKIDexample', secretKey: KEY, sessionToken: 'tok' },
      { method: 'GET', host: 'vod.api.qcloud.com', path: '/v2/index.php', nowSeconds: 1_700_000_000 },
    );

    // Assess
    expect(params).toMatchObject({
      Action: 'PullEvent',
      Region: 'gz',
      Timestamp: '1700000000',
      SecretId: 'AKIDexample',
      SignatureMethod: 'HmacSHA256',
      Token: 'tok',
      'msgHandle.0': 'h',
    });
    expect(params.Signature).toBe(signV2Params(params, KEY, 'GET', 'vod.api.qcloud.com', '/v2/index.php'));
  });
});
