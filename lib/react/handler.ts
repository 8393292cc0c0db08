import type { EventContent } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';
import type { V3_BODY_FIELDS } from '../events/v3-bodies';
import type { NormalizedEvent } from '../events/types';
import type { FileState } from '../state';
import type { Logger } from '../log';

/** Every v3 event type the official SDK documents (`EventContent.EventType`). */
export type EventType = keyof typeof V3_BODY_FIELDS;

/**
 * The content of a v3 event of type `T` as VOD sent it, typed with the SDK's `EventContent`: its
 * body field (`ProcedureStateChangeEvent` for `ProcedureStateChanged`, …) is there, the others are
 * absent or null. v2 and v2-legacy events keep their own shapes (see `apiFormat`).
 */
export type V3Payload<T extends EventType> = Omit<EventContent, 'EventType' | 'EventHandle'> & { EventType: T } & Required<
    Pick<EventContent, (typeof V3_BODY_FIELDS)[T]>
  >;

/**
 * The stored event a run is for (one row of `vod_events`): the normalized event without its
 * payload (handlers get that typed, apart), and when it was first received. `id` is the dedupe id,
 * the same for every delivery of this content, by pull or by callback.
 */
export type HandledEvent = Omit<NormalizedEvent, 'payload'> & { firstReceivedAt: Date };

export interface HandlerContext {
  /**
   * `<event id>:<handler name>`: the same on every attempt of this run, and different for every
   * other (event, handler). Pass it to whatever the handler changes, so a retry after a crash is
   * recognised there (an idempotency key, a unique column, a message id).
   */
  idempotencyKey: string;
  /**
   * The idempotency key shortened to what VOD takes as `SessionId` (50 characters; SDK
   * `ProcessMediaRequest.SessionId`: "用于去重的识别码，如果三天内曾有过相同的识别码的请求，则本次的请求会返回错误。最长 50 个字符").
   * VOD refuses a second request with the same SessionId within 3 days: a retried run that
   * already started the processing gets that error, which the handler treats as done.
   */
  vodSessionId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborts when the run's timeout is reached; pass it to `fetch` and the like. */
  signal: AbortSignal;
  log: Logger;
}

/** What a handler receives; `file()` reads the current state of the event's file (null when the event has no FileId). */
export interface HandlerInput<P> {
  event: HandledEvent;
  payload: P;
  file(): Promise<FileState | null>;
  context: HandlerContext;
}

export interface Handler<P = unknown> {
  /** Stable and unique: runs are recorded under it, and it is half of the idempotency key. Renaming a handler starts it afresh. */
  name: string;
  /** `'file'`: the runs of one FileId execute one at a time, in arrival order; a failing one holds back only the later runs of that file. */
  orderBy?: 'file';
  /** Per-attempt limit; an attempt still running then counts as failed. @defaultvalue 10000 */
  timeoutMs?: number;
  /** Attempts before the run is `dead`; default `RUNS_MAX_ATTEMPTS`. */
  maxAttempts?: number;
  /** Resolves when done; throws (or times out) to be retried at the next backoff time. */
  run(input: HandlerInput<P>): Promise<void>;
}

/**
 * What `handlers/index.ts` exports as default: handlers per v3 event type, typed with that type's
 * payload, and `'*'` for handlers of every event (any type and generation, payload `unknown`).
 */
export type HandlerMap = { [T in EventType]?: Handler<V3Payload<T>>[] } & { '*'?: Handler<unknown>[] } & {
  [eventType: string]: Handler<never>[] | undefined;
};

/** Typing helper for `handlers/index.ts`: returns its argument. */
export const defineHandlers = (handlers: HandlerMap): HandlerMap => handlers;
