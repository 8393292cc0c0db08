import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a TC3-HMAC-SHA256 signature covers (Tencent Cloud API 3.0, "签名方法 v3"). */
export interface Tc3Input {
  method: string;
  /** Canonical URI, `/` for VOD. */
  path: string;
  /** Query string without `?`; empty for POST. */
  query: string;
  /** Signed header names (lowercase) → value as sent. */
  headers: Record<string, string>;
  payload: Buffer | string;
  /** Unix seconds from `X-TC-Timestamp`; its UTC date is part of the credential scope. */
  timestamp: number;
  service: string;
  secretKey: string;
}

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type Tc3Verdict = { ok: true; secretId: string } | { ok: false; code: string; message: string };

const hmac = (key: Buffer | string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest();
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const utcDate = (timestamp: number) => new Date(timestamp * 1000).toISOString().slice(0, 10);

/** The hex signature of the published algorithm: canonical request → string to sign → derived key. */
export function tc3Signature(input: Tc3Input): string {
  const names = Object.keys(input.headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${input.headers[name]!.trim().toLowerCase()}\n`).join('');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path,
    input.query,
    canonicalHeaders,
    names.join(';'),
    sha256Hex(input.payload),
  ].join('\n');
  const date = utcDate(input.timestamp);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function parseTc3Authorization(header: string): Tc3Authorization | undefined {
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
}

export interface Tc3Request {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Verifies a request the way API 3.0 does: well-formed `Authorization`, `X-TC-Timestamp` within
 * `maxSkewMs` of `nowMs`, a known secret id, and the signature over the headers it names.
 * Two leniencies, both needed by the official Node SDK pointed at a loopback endpoint: the host is
 * accepted with or without its port (the SDK signs `hostname`, but sends `host:port`), and the
 * service is taken from the credential scope (the SDK derives it from the endpoint's first DNS
 * label, so `127.0.0.1:PORT` signs for service `127` where the real API insists on `vod`).
 */
export function verifyTc3(
  request: Tc3Request,
  secretKeyOf: (secretId: string) => string | undefined,
  nowMs: number,
  maxSkewMs: number,
): Tc3Verdict {
  const header = request.headers.authorization;
  const auth = header === undefined ? undefined : parseTc3Authorization(header);
  if (!auth) {
    return {
      ok: false,
      code: 'AuthFailure.InvalidAuthorization',
      message: 'The Authorization header is missing or is not "TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".',
    };
  }
  if (!auth.signedHeaders.includes('content-type') || !auth.signedHeaders.includes('host')) {
    return { ok: false, code: 'AuthFailure.InvalidAuthorization', message: 'SignedHeaders must include content-type and host.' };
  }
  const rawTimestamp = request.headers['x-tc-timestamp'];
  const timestamp = typeof rawTimestamp === 'string' && /^\d+$/.test(rawTimestamp) ? Number(rawTimestamp) : NaN;
  if (!Number.isSafeInteger(timestamp)) {
    return {
      ok: false,
      code: 'MissingParameter',
      message: 'The request is missing a valid X-TC-Timestamp header (Unix seconds).',
    };
  }
  if (Math.abs(nowMs - timestamp * 1000) > maxSkewMs) {
    return {
      ok: false,
      code: 'AuthFailure.SignatureExpire',
      message: `Signature expired: X-TC-Timestamp ${timestamp} is more than ${maxSkewMs / 1000} s from the server time ${Math.floor(nowMs / 1000)}.`,
    };
  }
  const secretKey = secretKeyOf(auth.secretId);
  if (secretKey === undefined) {
    return { ok: false, code: 'AuthFailure.SecretIdNotFound', message: `The SecretId ${auth.secretId} is not found.` };
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  const [path = '/', query = ''] = request.url.split(/\?(.*)/s);
  const hosts = new Set([headers.host!, headers.host!.replace(/:\d+$/, '')]);
  const expected = Buffer.from(auth.signature, 'hex');
  for (const host of hosts) {
    const signature = tc3Signature({
      method: request.method,
      path,
      query,
      headers: { ...headers, host },
      payload: request.body,
      timestamp,
      service: auth.service,
      secretKey,
    });
    if (timingSafeEqual(Buffer.from(signature, 'hex'), expected)) return { ok: true, secretId: auth.secretId };
  }
  return {
    ok: false,
    code: 'AuthFailure.SignatureFailure',
    message: 'The provided credentials could not be validated. Please check your signature is correct.',
  };
}
