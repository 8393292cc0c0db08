import { createHmac, randomInt } from 'node:crypto';

/** `SignatureMethod` values of Tencent Cloud API 2.0; absent means HmacSHA1. */
export const V2SignatureMethod = { HmacSHA1: 'HmacSHA1', HmacSHA256: 'HmacSHA256' } as const;
export type V2SignatureMethod = (typeof V2SignatureMethod)[keyof typeof V2SignatureMethod];

const DIGESTS: Record<V2SignatureMethod, string> = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' };

export const isV2SignatureMethod = (value: string): value is V2SignatureMethod => Object.hasOwn(DIGESTS, value);

/**
 * The API 2.0 signature of a request's parameters: every parameter but `Signature`, sorted by name
 * (code-unit order), joined raw (not URL-encoded) as `k=v&…` behind `METHOD + host + path + '?'`,
 * HMAC'd with the secret key by `params.SignatureMethod`, base64. The client signs with it and the
 * emulator verifies with it; test/unit/vod/v2-signer.test.ts pins it to the official SDKs.
 *
 * @example signV2Params({ Action: 'PullEvent', … }, key, 'GET', 'vod.api.qcloud.com', '/v2/index.php')
 */
export function signV2Params(
  params: Record<string, string>,
  secretKey: string,
  method: string,
  host: string,
  path: string,
): string {
  const signatureMethod = params.SignatureMethod ?? V2SignatureMethod.HmacSHA1;
  if (!isV2SignatureMethod(signatureMethod))
    throw new RangeError(`SignatureMethod must be HmacSHA1 or HmacSHA256, got "${signatureMethod}"`);
  const query = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
  return createHmac(DIGESTS[signatureMethod], secretKey)
    .update(`${method.toUpperCase()}${host}${path}?${query}`, 'utf8')
    .digest('base64');
}

/** The common parameters of a signed 2017 API request (HmacSHA256), `Signature` included. */
export function signV2Request(
  action: string,
  extra: Record<string, string>,
  credentials: { secretId: string; secretKey: string; sessionToken?: string },
  request: { method: 'GET' | 'POST'; host: string; path: string; nowSeconds: number },
): Record<string, string> {
  const params: Record<string, string> = {
    ...extra,
    Action: action,
    Region: 'gz',
    Timestamp: String(request.nowSeconds),
    Nonce: String(randomInt(1, 2 ** 31 - 1)),
    SecretId: credentials.secretId,
    SignatureMethod: V2SignatureMethod.HmacSHA256,
    ...(credentials.sessionToken ? { Token: credentials.sessionToken } : {}),
  };
  params.Signature = signV2Params(params, credentials.secretKey, request.method, request.host, request.path);
  return params;
}
