import { createHmac } from 'node:crypto';

/** Standard Webhooks secrets are `whsec_` + base64 of the key bytes (https://www.standardwebhooks.com, "Signature scheme"). */
const SECRET_PREFIX = 'whsec_';

/** The key bytes of a `whsec_…` secret, or `undefined` when the text is not one. */
export function webhookKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const base64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const key = Buffer.from(base64, 'base64');
  // Below 24 bytes (192 bits) the spec calls a key too short.
  return key.length >= 24 && key.length <= 64 ? key : undefined;
}

/**
 * The three Standard Webhooks headers for one delivery: the signature is
 * `v1,` + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), the timestamp whole seconds.
 */
export function webhookHeaders(key: Buffer, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
