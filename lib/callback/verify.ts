import { createHash, timingSafeEqual } from 'node:crypto';
import { preview } from './preview';

/** How far in the past `T` may be: VOD's clock and ours are never exactly in step. */
export const CLOCK_SKEW_MS = 30_000;
/** VOD sets `T` to now + 10 min; anything much later is not a VOD expiry. */
export const MAX_EXPIRY_AHEAD_MS = 15 * 60_000;

export type SignCheck = { ok: true } | { ok: false; reason: string };

/** `Sign` as VOD computes it: lowercase hex MD5 of the key followed by the decimal `T`. */
export function callbackSign(key: string, t: string | number): string {
  return createHash('md5').update(`${key}${t}`).digest('hex');
}

const field = (content: Record<string, unknown>, name: 'Sign' | 'T') => content[name] ?? content[name.toLowerCase()];

/** The decimal text of `T` (VOD documents it as int64; some senders quote it), or undefined. */
function decimalT(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return value;
  return undefined;
}

/**
 * Checks the `Sign`/`T` fields VOD puts in a callback body when a callback key is set
 * (lowercase `sign`/`t` also accepted). `T` is an expiry: it may be up to `CLOCK_SKEW_MS` in the
 * past and at most `MAX_EXPIRY_AHEAD_MS` ahead of `nowMs`. Any of `keys` may have signed it
 * (rotation). Digests are compared in constant time, and every key is always tried, so neither
 * timing nor early exit tells an attacker how close a guess was or which key exists.
 */
export function verifySign(content: Record<string, unknown>, keys: readonly string[], nowMs: number): SignCheck {
  const sign = field(content, 'Sign');
  const rawT = field(content, 'T');
  if (sign === undefined) return { ok: false, reason: 'missing Sign field: expected MD5(key + T) in the JSON body' };
  if (rawT === undefined)
    return { ok: false, reason: 'missing T field: expected the decimal Unix-seconds expiry in the JSON body' };
  const t = decimalT(rawT);
  if (t === undefined) return { ok: false, reason: `T must be a decimal Unix time in seconds, got ${preview(rawT)}` };
  if (typeof sign !== 'string' || !/^[0-9a-fA-F]{32}$/.test(sign)) {
    return { ok: false, reason: 'Sign must be 32 hex digits (an MD5 digest)' };
  }
  const expiresMs = Number(t) * 1000;
  if (expiresMs < nowMs - CLOCK_SKEW_MS) {
    return { ok: false, reason: `expired: T is ${Math.round((nowMs - expiresMs) / 1000)} s in the past` };
  }
  if (expiresMs > nowMs + MAX_EXPIRY_AHEAD_MS) {
    return { ok: false, reason: `T is more than ${MAX_EXPIRY_AHEAD_MS / 1000} s in the future, which VOD never sends` };
  }
  const given = Buffer.from(sign, 'hex');
  let matched = false;
  for (const key of keys) {
    matched = timingSafeEqual(given, Buffer.from(callbackSign(key, t), 'hex')) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'Sign does not match MD5(key + T) for any configured key' };
}

/**
 * How long after a pair is first seen other events may still come with it. `T` has one-second
 * resolution, so every event VOD sends in the same second under one key carries the same pair
 * (the emulator's pusher, which signs as VOD does, shows it at any rate above one event a second);
 * they all arrive within VOD's 5 s timeout. A body that brings a known pair later is refused as a
 * suspected forgery: a pair read from a log, a proxy or a plain-HTTP hop is used later than that.
 */
export const PAIR_SHARING_MS = 10_000;

/**
 * The delivery key of a verified callback's `Sign`/`T` pair. VOD signs only `T`, so the pair would
 * authenticate any body until `T` expires; the store remembers it with the events it came with.
 * A digest, not the pair: the table must hold nothing that can be posted again.
 */
export function signaturePairKey(content: Record<string, unknown>): string {
  const sign = String(field(content, 'Sign')).toLowerCase();
  const t = decimalT(field(content, 'T'));
  return `pair:${createHash('sha256').update(`${sign}:${t}`).digest('hex')}`;
}

/** When a verified callback's `T` stops being accepted: the pair need not be remembered longer. */
export function signatureExpiry(content: Record<string, unknown>): Date {
  return new Date(Number(decimalT(field(content, 'T'))) * 1000 + CLOCK_SKEW_MS);
}
