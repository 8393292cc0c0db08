import { createHash } from 'node:crypto';
import type { Logger } from '../log';

/**
 * A callback that could not be stored is written to the log as one JSON line carrying its event,
 * so `vod-events replay` can store it later. These functions are the whole format.
 */
export interface DeadLetter {
  /** The event content as JSON text, without `Sign`/`T`: a log reader must get no pair to post again. */
  payload: string;
  /** Why it was not stored. */
  reason: string;
  receivedAt: Date;
  /**
   * When the content passed the signature check; absent when it was not checked (no key
   * configured, or the key could not be read). Replay refuses unverified lines unless told to.
   */
  verifiedAt?: Date;
  /** Names this delivery, so replaying the line again adds nothing. */
  deliveryId: string;
  requestId?: string;
}

/** What `readDeadLetter` finds in a line. */
export interface ReadLetter {
  payload: string;
  receivedAt: Date | undefined;
  verified: boolean;
  deliveryId: string;
  /** The line is a body refused as a suspected forgery, kept so an operator can judge it. */
  quarantined: boolean;
}

const fields = (letter: DeadLetter) => ({
  payload: letter.payload,
  reason: letter.reason,
  receivedAt: letter.receivedAt.toISOString(),
  verified: letter.verifiedAt !== undefined,
  ...(letter.verifiedAt ? { verifiedAt: letter.verifiedAt.toISOString() } : {}),
  deliveryId: letter.deliveryId,
  requestId: letter.requestId,
});

export function writeDeadLetter(log: Logger, letter: DeadLetter): void {
  log.log('error', 'callback not stored; replay this line with `vod-events replay`', { deadLetter: true, ...fields(letter) });
}

/**
 * A body whose valid `Sign`/`T` pair already came with another event: refused (401), not stored,
 * and kept here unverified. VOD's `T` has one-second resolution, so two real events sent in the
 * same second carry the same pair; an operator who judges them genuine replays the line with
 * `--accept-unverified`.
 */
export function writeQuarantined(log: Logger, letter: Omit<DeadLetter, 'verifiedAt'> & { pairEventId: string }): void {
  const { pairEventId, ...rest } = letter;
  log.log('warn', 'callback refused: suspected forgery, its signature pair already came with another event', {
    quarantined: true,
    pairEventId,
    ...fields(rest),
  });
}

const validDate = (value: unknown): Date | undefined => {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
};

/** The contents of a parsed dead-letter or quarantine line; undefined for any other value. */
export function readDeadLetter(value: unknown): ReadLetter | undefined {
  const line = value as Record<string, unknown> | null;
  if (line === null || typeof line !== 'object' || typeof line.payload !== 'string') return undefined;
  const quarantined = line.quarantined === true;
  if (line.deadLetter !== true && !quarantined) return undefined;
  const receivedAt = validDate(line.receivedAt);
  // Lines written before delivery ids existed: named by what they hold.
  const deliveryId =
    typeof line.deliveryId === 'string' && line.deliveryId !== ''
      ? line.deliveryId
      : `dead-letter:${createHash('sha256')
          .update(`${line.payload}\n${String(line.receivedAt)}\n${String(line.requestId)}`)
          .digest('hex')}`;
  return { payload: line.payload, receivedAt, verified: !quarantined && line.verified === true, deliveryId, quarantined };
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
