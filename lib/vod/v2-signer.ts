import { createHmac, randomInt } from 'node:crypto';

export type V2SignatureMethod = 'HmacSHA1' | 'HmacSHA256';

/**
 * The 2017 (API 2.0) signature: `METHOD + host + path + '?' + k=v&…` with keys sorted and values
 * NOT url-encoded, HMAC'd with the secret key and base64-encoded.
 */
export function v2Signature(
  params: Record<string, string>,
  secretKey: string,
  request: { method: 'GET' | 'POST'; host: string; path: string; signatureMethod: V2SignatureMethod },
): string {
  const query = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  const source = `${request.method}${request.host}${request.path}?${query}`;
  const algorithm = request.signatureMethod === 'HmacSHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, secretKey).update(source).digest('base64');
}

/** The common parameters of a signed 2017 API request, `Signature` included. */
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
    SignatureMethod: 'HmacSHA256',
    ...(credentials.sessionToken ? { Token: credentials.sessionToken } : {}),
  };
  params.Signature = v2Signature(params, credentials.secretKey, { ...request, signatureMethod: 'HmacSHA256' });
  return params;
}
