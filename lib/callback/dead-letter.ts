import type { Logger } from '../log';

/**
 * A callback that could not be stored is written to the log as one JSON line carrying the raw
 * body, so `vod-events replay` can store it later. These two functions are the whole format.
 */
export interface DeadLetter {
  /** The request body exactly as received, as text. */
  payload: string;
  /** Why it was not stored. */
  reason: string;
  receivedAt: Date;
  requestId?: string;
}

export function writeDeadLetter(log: Logger, letter: DeadLetter): void {
  log.log('error', 'callback not stored; replay this line with `vod-events replay`', {
    deadLetter: true,
    ...letter,
    receivedAt: letter.receivedAt.toISOString(),
  });
}

/** The payload and original arrival time of a parsed dead-letter line; undefined for any other value. */
export function readDeadLetter(value: unknown): { payload: string; receivedAt: Date | undefined } | undefined {
  const line = value as { deadLetter?: unknown; payload?: unknown; receivedAt?: unknown } | null;
  if (line === null || typeof line !== 'object' || line.deadLetter !== true || typeof line.payload !== 'string') {
    return undefined;
  }
  const receivedAt = typeof line.receivedAt === 'string' ? new Date(line.receivedAt) : undefined;
  return { payload: line.payload, receivedAt: receivedAt && !Number.isNaN(receivedAt.getTime()) ? receivedAt : undefined };
}

/**
 * Whether a parsed line was written by our `Logger` (`level` and `message` strings, which no VOD
 * body has at its top level). Replay must not mistake the "callback stored" line, which carries
 * an `eventType`, for a v2 event.
 */
export function isLogLine(value: unknown): boolean {
  const line = value as { level?: unknown; message?: unknown } | null;
  return line !== null && typeof line === 'object' && typeof line.level === 'string' && typeof line.message === 'string';
}
