import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { StoreError } from '../errors';
import { jsonText } from '../events/canonical-json';
import { withoutEnvelope } from '../events/dedupe-key';
import { normalize } from '../events/normalize';
import { Source } from '../events/types';
import type { Logger } from '../log';
import type { Delivery, EventStore } from '../store/event-store';
import { writeDeadLetter, writeQuarantined } from './dead-letter';
import { asVodEvent, parseObject } from './parse';
import { clip, preview, PREVIEW_CHARS } from './preview';
import { PAIR_SHARING_MS, signatureExpiry, signaturePairKey, verifySign } from './verify';

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
  /**
   * Set when a key is configured but cannot be read (a malformed `VOD_CALLBACK_SIGN_KEY`):
   * nothing can be verified, so nothing is stored; each event goes to the log as an unverified
   * dead letter, which replay refuses unless the operator says otherwise.
   */
  signKeyProblem?: string;
  maxBodyBytes: number;
  /** Longest wait for the store before answering 503 with a dead letter. @defaultvalue 4000 */
  storeTimeoutMs?: number;
  /** Called after a store timeout or a connection-level failure, so the next request opens a fresh store (hung sockets never recover). */
  discardStore?: () => void;
  /**
   * Called with a newly stored event before the 200 is sent (the handler runs of lib/app/callback.ts);
   * it keeps to its own small budget and never rejects. Not called for a repeat.
   */
  afterStore?: (event: { id: string; eventType: string }, receivedAt: Date) => Promise<void>;
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

/** Reasons are built from short previews already; the cut is the guarantee that no answer or log line echoes a large input. */
const MAX_REASON_CHARS = 300;

/** The request id for log lines, whatever the adapter put there (reading it must not throw either). */
function requestIdOf(request: CallbackRequest): string | undefined {
  try {
    return typeof request.requestId === 'string' ? clip(request.requestId, 100) : undefined;
  } catch {
    return undefined;
  }
}

function reject(
  status: Rejected,
  reason: string,
  request: CallbackRequest,
  log: Logger,
  fields: Record<string, unknown> = {},
): CallbackResult {
  const short = clip(reason, MAX_REASON_CHARS);
  log.log('warn', 'callback rejected', { status, reason: short, requestId: requestIdOf(request), ...fields });
  return reply(status, { error: ERROR_CODES[status], reason: short }, status === 405 ? { Allow: 'POST' } : {});
}

const describeFailure = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${typeof error}`;

/** A content allowed past the door: verified when a key is set (with the pair it came with), else as sent. */
type Admitted = { content: Record<string, unknown>; verifiedAt?: Date; pair?: Delivery };

const contentType = (request: CallbackRequest): string | undefined => {
  const value = (request.headers ?? {})['content-type'];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Framing, then the signature: total, whatever the request holds. Anything that fails or throws
 * before the signature is proven is refused (401 when a key is configured), never dead-lettered:
 * only verified content may reach the store, by any path.
 */
function admit(request: CallbackRequest, deps: CallbackDeps, receivedAt: Date): Admitted | CallbackResult {
  const keyed = deps.signKeys.length > 0;
  try {
    const method = typeof request.method === 'string' ? request.method : '';
    if (method.toUpperCase() !== 'POST') {
      const shown = typeof request.method === 'string' ? clip(request.method, PREVIEW_CHARS) : preview(request.method);
      return reject(405, `method ${shown} is not allowed: VOD callbacks are POST requests`, request, deps.log);
    }
    if (request.body.length > deps.maxBodyBytes) {
      const reason = `body is ${request.body.length} bytes, more than the ${deps.maxBodyBytes} allowed (CALLBACK_MAX_BODY_BYTES)`;
      return reject(413, reason, request, deps.log);
    }
    const parsed = parseObject(request.body, contentType(request));
    if (!parsed.ok) return reject(400, parsed.reason, request, deps.log);
    if (keyed) {
      const check = verifySign(parsed.content, deps.signKeys, receivedAt.getTime());
      if (!check.ok) return reject(401, check.reason, request, deps.log);
      // Verified: any object VOD signed is stored, as `Unknown` when it has no known shape.
      const pair = {
        key: signaturePairKey(parsed.content),
        expiresAt: signatureExpiry(parsed.content),
        repeatCounts: true,
        sharedForMs: PAIR_SHARING_MS,
      };
      return { content: parsed.content, verifiedAt: receivedAt, pair };
    }
    const event = asVodEvent(parsed.content);
    return event.ok ? { content: event.content } : reject(400, event.reason, request, deps.log);
  } catch (error) {
    const status = keyed || deps.signKeyProblem ? 401 : 400;
    return reject(status, `the request could not be read: ${describeFailure(error)}`, request, deps.log);
  }
}

/** Failures after which the pool is not trusted: a timeout (hung sockets) or a lost connection. */
const poisonsStore = (error: unknown) =>
  error instanceof StoreTimeout || (error instanceof StoreError && error.kind === 'unavailable');

/**
 * One VOD HTTP callback → one stored event. Bad input gets a 4xx whose body says what was wrong;
 * a stored event (new or a repeat) gets 200, so VOD's retries are harmless. Never throws. When a
 * verified event cannot be stored, for whatever reason, the answer is 503 and the event goes to
 * the log as a dead letter (without its `Sign`/`T`), so nothing VOD sent is lost.
 */
export async function handleCallback(request: CallbackRequest, deps: CallbackDeps): Promise<CallbackResult> {
  const receivedAt = new Date(deps.clock.now());
  const admitted = admit(request, deps, receivedAt);
  if ('status' in admitted) return admitted;
  const { content, pair, verifiedAt } = admitted;
  try {
    if (deps.signKeyProblem)
      throw new Error(`not verified, so not stored: the callback key cannot be read (${deps.signKeyProblem})`);
    const event = normalize(content, { source: Source.callback });
    const outcome = await within(
      deps.storeTimeoutMs ?? STORE_TIMEOUT_MS,
      async (signal) => {
        const store = await deps.store();
        if (pair) return store.deliver(event, pair, receivedAt, signal);
        const { inserted } = await store.upsert([event], receivedAt, signal);
        return { outcome: inserted === 1 ? ('inserted' as const) : ('duplicate' as const) };
      },
      () => deps.log.log('warn', LATE_STORE_MESSAGE, { id: event.id, requestId: requestIdOf(request) }),
    );
    if (outcome.outcome === 'key-taken') {
      writeQuarantined(deps.log, {
        payload: jsonText(withoutEnvelope(content)),
        reason: `its Sign/T pair came with another event more than ${PAIR_SHARING_MS / 1000} s earlier`,
        receivedAt,
        deliveryId: `quarantined:${randomUUID()}`,
        requestId: requestIdOf(request),
        pairEventId: outcome.eventId,
      });
      return reject(401, 'this Sign/T pair already came with another event: suspected forgery', request, deps.log, {
        id: event.id,
      });
    }
    const duplicate = outcome.outcome !== 'inserted';
    deps.log.log('info', 'callback stored', {
      id: event.id,
      eventType: event.eventType,
      duplicate,
      requestId: requestIdOf(request),
    });
    if (!duplicate) await deps.afterStore?.(event, receivedAt).catch(() => {});
    return reply(200, { ok: true, id: event.id, duplicate });
  } catch (error) {
    if (poisonsStore(error)) deps.discardStore?.();
    writeDeadLetter(deps.log, {
      payload: jsonText(withoutEnvelope(content)),
      reason: clip(describeFailure(error), 1000),
      receivedAt,
      verifiedAt,
      deliveryId: `dead-letter:${randomUUID()}`,
      requestId: requestIdOf(request),
    });
    return reply(503, { error: 'store_unavailable', reason: 'the event was not stored; it was logged for replay' });
  }
}
