import type { Clock } from '../clock';
import { normalize } from '../events/normalize';
import { Source } from '../events/types';
import type { Logger } from '../log';
import type { EventStore } from '../store/event-store';
import { writeDeadLetter } from './dead-letter';
import { parseEvent } from './parse';
import { verifySign } from './verify';

/** One HTTP request as the gateway delivered it. */
export interface CallbackRequest {
  method: string;
  path: string;
  /** Header names in lowercase. */
  headers: Record<string, string>;
  /** The body's raw bytes, exactly as sent. */
  body: Buffer;
  /** The gateway's request id, for log lines. */
  requestId?: string;
}

export interface CallbackResult {
  status: 200 | 400 | 401 | 405 | 413 | 503;
  headers: Record<string, string>;
  /** Small JSON: `{ok, id, duplicate}` or `{error, reason}`. */
  body: string;
}

export interface CallbackDeps {
  /** The store, opened on first use; a rejection means it is unavailable. */
  store: () => Promise<EventStore>;
  clock: Clock;
  log: Logger;
  /** Accepted callback keys (two while rotating); empty means callbacks are not authenticated. */
  signKeys: readonly string[];
  maxBodyBytes: number;
  /** Longest wait for the store before answering 503 with a dead letter. @defaultvalue 4000 */
  storeTimeoutMs?: number;
}

/**
 * Under VOD's 5 s callback timeout and the function's own: a stalled database (failover, a lost
 * connection) must still end in a 503 and a dead-letter line, not in SCF killing the invocation
 * with the body in nobody's hands.
 */
export const STORE_TIMEOUT_MS = 4_000;

/**
 * The callback's store statements give up on the server before `STORE_TIMEOUT_MS` gives up on
 * the client, so a write that waited on a lock is cancelled rather than landing after its 503:
 * the dead letter is then the event's only copy, and replaying it counts one delivery, not two.
 */
export const CALLBACK_STATEMENT_TIMEOUT_MS = 3_000;

/** Logged when a write finished after its 503: replaying that dead letter counts one delivery more. */
export const LATE_STORE_MESSAGE = 'callback stored after its 503 answer';

class StoreTimeout extends Error {
  override name = 'StoreTimeout';
}

/**
 * `work`, or a StoreTimeout after `ms`, when `work`'s signal aborts: its statement, still queued
 * for a connection or running, is cancelled. A running statement can still commit as the cancel
 * arrives; `onLate` then hears of it, so the extra delivery a replay will count is accounted for.
 */
async function within<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, onLate: (value: T) => void): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StoreTimeout(`the store did not answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const running = work(controller.signal);
  try {
    return await Promise.race([running, timeout]);
  } catch (error) {
    if (error instanceof StoreTimeout) running.then(onLate, () => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

type Rejected = 400 | 401 | 405 | 413;

const ERROR_CODES: Record<Rejected, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  405: 'method_not_allowed',
  413: 'payload_too_large',
};

const reply = (status: CallbackResult['status'], body: object, extra: Record<string, string> = {}): CallbackResult => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...extra },
  body: JSON.stringify(body),
});

function reject(status: Rejected, reason: string, request: CallbackRequest, log: Logger): CallbackResult {
  log.log('warn', 'callback rejected', { status, reason, requestId: request.requestId });
  return reply(status, { error: ERROR_CODES[status], reason }, status === 405 ? { Allow: 'POST' } : {});
}

const describeFailure = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${String(error)}`;

/**
 * One VOD HTTP callback → one stored event. Bad input gets a 4xx whose body says what was wrong;
 * a stored event (new or a repeat) gets 200, so VOD's retries are harmless. Never throws: when
 * the event cannot be stored, for whatever reason, the answer is 503 and the raw body goes to the
 * log as a dead letter, so nothing VOD sent is lost.
 */
export async function handleCallback(request: CallbackRequest, deps: CallbackDeps): Promise<CallbackResult> {
  const receivedAt = new Date(deps.clock.now());
  try {
    if (request.method.toUpperCase() !== 'POST') {
      return reject(405, `method ${request.method} is not allowed: VOD callbacks are POST requests`, request, deps.log);
    }
    if (request.body.length > deps.maxBodyBytes) {
      const reason = `body is ${request.body.length} bytes, more than the ${deps.maxBodyBytes} allowed (CALLBACK_MAX_BODY_BYTES)`;
      return reject(413, reason, request, deps.log);
    }
    const parsed = parseEvent(request.body, request.headers['content-type']);
    if (!parsed.ok) return reject(400, parsed.reason, request, deps.log);
    if (deps.signKeys.length > 0) {
      const check = verifySign(parsed.content, deps.signKeys, receivedAt.getTime());
      if (!check.ok) return reject(401, check.reason, request, deps.log);
    }
    const event = normalize(parsed.content, { source: Source.callback });
    const { inserted } = await within(
      deps.storeTimeoutMs ?? STORE_TIMEOUT_MS,
      async (signal) => (await deps.store()).upsert([event], receivedAt, signal),
      () => deps.log.log('warn', LATE_STORE_MESSAGE, { id: event.id, requestId: request.requestId }),
    );
    const duplicate = inserted === 0;
    deps.log.log('info', 'callback stored', { id: event.id, eventType: event.eventType, duplicate, requestId: request.requestId });
    return reply(200, { ok: true, id: event.id, duplicate });
  } catch (error) {
    writeDeadLetter(deps.log, {
      payload: request.body.toString('utf8'),
      reason: describeFailure(error),
      receivedAt,
      requestId: request.requestId,
    });
    return reply(503, { error: 'store_unavailable', reason: 'the event was not stored; it was logged for replay' });
  }
}
