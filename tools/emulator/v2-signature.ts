import { timingSafeEqual } from 'node:crypto';
import { isV2SignatureMethod, signV2Params, V2SignatureMethod } from '../../lib/vod/v2-signer';

/** v2 error codes from the API 2.0 common error table (not in the VOD seeds). */
export const V2Code = {
  invalidParameter: 4000,
  authFailure: 4100,
  quotaExceeded: 4400,
  replayOrExpired: 4500,
  unsupported: 4600,
  internalError: 6000,
} as const;

export type V2Verdict = { ok: true } | { ok: false; code: number; message: string };

const REQUIRED = ['Action', 'Timestamp', 'Nonce', 'SecretId', 'Signature'] as const;

/**
 * Verifies an API 2.0 request: required common parameters, `Timestamp` within `maxSkewMs`, a known
 * `SecretId`, and the signature. `hosts` lists the host names a client may have signed for (the
 * one it dialled, with or without port, and VOD's real `vod.api.qcloud.com`).
 */
export function verifyV2Params(
  params: Record<string, string>,
  request: { method: string; hosts: readonly string[]; path: string },
  secretKeyOf: (secretId: string) => string | undefined,
  nowMs: number,
  maxSkewMs: number,
): V2Verdict {
  const missing = REQUIRED.filter((name) => params[name] === undefined || params[name] === '');
  if (missing.length > 0) return { ok: false, code: V2Code.invalidParameter, message: `missing parameter ${missing.join(', ')}` };
  const method = params.SignatureMethod ?? V2SignatureMethod.HmacSHA1;
  if (!isV2SignatureMethod(method))
    return {
      ok: false,
      code: V2Code.invalidParameter,
      message: `SignatureMethod must be HmacSHA1 or HmacSHA256, got "${method}"`,
    };
  const timestamp = /^\d+$/.test(params.Timestamp!) ? Number(params.Timestamp) : NaN;
  if (!Number.isSafeInteger(timestamp) || Math.abs(nowMs - timestamp * 1000) > maxSkewMs) {
    return {
      ok: false,
      code: V2Code.replayOrExpired,
      message: `Timestamp "${params.Timestamp}" is not within ${maxSkewMs / 1000} s of the server time ${Math.floor(nowMs / 1000)}`,
    };
  }
  const secretKey = secretKeyOf(params.SecretId!);
  if (secretKey === undefined) return { ok: false, code: V2Code.authFailure, message: `SecretId ${params.SecretId} not found` };
  const given = Buffer.from(params.Signature!, 'base64');
  for (const host of request.hosts) {
    const expected = Buffer.from(signV2Params(params, secretKey, request.method, host, request.path), 'base64');
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true };
  }
  return { ok: false, code: V2Code.authFailure, message: 'signature verification failed' };
}
