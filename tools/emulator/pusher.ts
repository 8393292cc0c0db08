import { callbackSign } from '../../lib/callback/verify';
import { systemClock } from '../../lib/clock';

export interface PushOptions {
  /** The app's callback URL. */
  url: string;
  /** VOD's callback key (`SignKey` of ModifyEventConfig); when set, `Sign` and `T` join the body. */
  signKey?: string;
  /** Per attempt, up to the response's status line. @defaultvalue 5000 */
  timeoutMs?: number;
  /** @defaultvalue 3 */
  attempts?: number;
  /** Lifetime of `T`. @defaultvalue 600 */
  ttlSeconds?: number;
  /** Milliseconds since the epoch. @defaultvalue systemClock.now */
  now?: () => number;
}

/** Per attempt: the HTTP status the receiver answered, or how the attempt failed. */
export type AttemptStatus = number | 'timeout' | 'network-error';

export interface PushResult {
  /** Some attempt got an HTTP answer, whatever its status. */
  delivered: boolean;
  attempts: number;
  statuses: AttemptStatus[];
}

/**
 * The body VOD sends when a callback key is set: the event plus `T`, the expiry as decimal Unix
 * seconds (an int64 number, per the SDK's `SignKey` doc), and `Sign` = lowercase hex MD5(key + T).
 */
export function signCallbackBody(
  content: Record<string, unknown>,
  signKey: string,
  nowMs: number,
  ttlSeconds: number,
): Record<string, unknown> {
  const T = Math.floor(nowMs / 1000) + ttlSeconds;
  return { ...content, Sign: callbackSign(signKey, T), T };
}

/**
 * POSTs one event as JSON the way VOD's normal callback does. VOD retries only when an attempt
 * times out or fails at the network level, up to 3 attempts in all; it ignores the status and the
 * body, so a 500 answer counts as delivered and is not retried (seeds/002: "点播后台会忽略 HTTP
 * 返回码与包体"; "如果回调超时，点播后台会重试两次"). VOD documents no pause between attempts: none
 * is made. Each attempt is signed afresh, so a late retry still carries an unexpired `T`.
 */
export async function pushEvent(content: Record<string, unknown>, options: PushOptions): Promise<PushResult> {
  const { url, signKey, timeoutMs = 5000, attempts = 3, ttlSeconds = 600, now = systemClock.now } = options;
  const statuses: AttemptStatus[] = [];
  while (statuses.length < attempts) {
    const body = signKey === undefined ? content : signCallbackBody(content, signKey, now(), ttlSeconds);
    const status = await postOnce(url, JSON.stringify(body), timeoutMs);
    statuses.push(status);
    if (typeof status === 'number') return { delivered: true, attempts: statuses.length, statuses };
  }
  return { delivered: false, attempts: statuses.length, statuses };
}

/** Pushes many events with at most `concurrency` calls in flight; results in input order. */
export async function pushEvents(
  contents: readonly Record<string, unknown>[],
  options: PushOptions,
  concurrency = 8,
): Promise<PushResult[]> {
  const results: PushResult[] = new Array(contents.length);
  let next = 0;
  const worker = async () => {
    while (next < contents.length) {
      const index = next++;
      results[index] = await pushEvent(contents[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, contents.length)) }, worker));
  return results;
}

async function postOnce(url: string, body: string, timeoutMs: number): Promise<AttemptStatus> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: timeout });
    // The answer's body is ignored, like VOD does; cancelling frees the connection.
    await response.body?.cancel();
    return response.status;
  } catch {
    return timeout.aborted ? 'timeout' : 'network-error';
  }
}
