import type { ApiFormat } from '../events/types';

/** One event as the queue handed it out: the handle to confirm it and its content. */
export interface PulledEvent {
  handle: string;
  content: unknown;
}

/**
 * VOD's reliable-notification queue, whatever API generation serves it. Errors are `VodApiError`, classified
 * by the client into a `kind` the caller switches on.
 */
export interface VodQueueClient {
  readonly api: ApiFormat;
  /** Where the calls go, for messages. */
  readonly endpoint: string;
  /** One long poll. An empty array means the queue is empty ("no event" answers included). */
  pull(signal: AbortSignal): Promise<PulledEvent[]>;
  /** Confirms at most 16 handles. */
  confirm(handles: string[], signal: AbortSignal): Promise<void>;
}

/** VOD's own limit for one ConfirmEvents call, and the most events one PullEvents returns. */
export const MAX_HANDLES_PER_CONFIRM = 16;

/** VOD recommends a 10 s client timeout for its 5 s long poll. */
export const CLIENT_TIMEOUT_MS = 10_000;
