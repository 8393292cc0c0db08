import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { normalize } from '../events/normalize';
import { Source } from '../events/types';
import type { Delivery, EventStore } from '../store/event-store';
import { isLogLine, readDeadLetter, type ReadLetter } from './dead-letter';
import { findLetterInExport } from './log-export';
import { asVodEvent, parseObject } from './parse';
import { clip } from './preview';

export interface ReplaySummary {
  /** Non-blank lines read. */
  read: number;
  /** Events that were new to the store. */
  stored: number;
  /** Events the store already had (their delivery count went up). */
  duplicates: number;
  /** Lines replayed before: nothing was added. */
  alreadyReplayed: number;
  /** Lines that hold no storable event, or one that was refused, by 1-based line number. */
  skipped: { line: number; reason: string }[];
  /** Lines that held an event (a dead letter, a quarantined body or a raw body), stored or not. */
  recognised: number;
  /** Of those, lines refused because their content was never verified (see `acceptUnverified`). */
  unverified: number;
  /** Set when the store failed: replay stopped at this line and nothing after it was tried. */
  failed?: { line: number; reason: string };
}

export interface ReplayOptions {
  store: EventStore;
  clock: Clock;
  /** Store lines whose content was never verified: dead letters written without a readable key, quarantined bodies, raw bodies. */
  acceptUnverified?: boolean;
}

type LineEvent =
  | { ok: true; content: Record<string, unknown>; receivedAt?: Date; verified: boolean; deliveryKey: string }
  | { ok: false; reason: string; recognised: boolean };

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

function fromLetter(letter: ReadLetter): LineEvent {
  const parsed = parseObject(Buffer.from(letter.payload, 'utf8'));
  if (!parsed.ok) return { ok: false, reason: `dead letter payload: ${parsed.reason}`, recognised: true };
  return {
    ok: true,
    content: parsed.content,
    receivedAt: letter.receivedAt,
    verified: letter.verified,
    deliveryKey: letter.deliveryId,
  };
}

/**
 * The event a line holds: a dead-letter (or quarantine) log line as the function wrote it, as a
 * CLS export wraps it (see log-export.ts), or a raw callback body. Text before the first `{` is
 * ignored, so lines copied from a log viewer with a timestamp or request-id prefix still replay.
 */
function eventOfLine(line: string): LineEvent {
  const start = line.indexOf('{');
  let value: unknown;
  let jsonError: string | undefined;
  if (start >= 0) {
    try {
      value = JSON.parse(line.slice(start));
    } catch (error) {
      jsonError = `not valid JSON: ${clip((error as Error).message)}`;
    }
  }
  const letter = (value !== undefined ? readDeadLetter(value) : undefined) ?? findLetterInExport(line, value);
  if (letter) return fromLetter(letter);
  if (start < 0) return { ok: false, reason: 'no JSON object on this line', recognised: false };
  if (jsonError) return { ok: false, reason: jsonError, recognised: false };
  if (isLogLine(value)) return { ok: false, reason: 'a log line that is not a dead letter', recognised: false };
  const event = asVodEvent(value);
  if (!event.ok) return { ...event, recognised: false };
  // A raw body proves nothing about where it came from; the same line replayed again is one delivery.
  return { ok: true, content: event.content, verified: false, deliveryKey: `raw:${digest(line.slice(start))}` };
}

/**
 * Stores the events of dead-letter lines (or raw callback bodies, one per line) as callbacks.
 * Only verified content is stored unless `acceptUnverified`: a dead letter records whether its
 * signature was checked. Each line is one delivery, named by its delivery id: replaying a file
 * again, or resuming after a failure, adds nothing; a dead letter keeps its original arrival time.
 */
export async function replay(lines: Iterable<string> | AsyncIterable<string>, options: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = {
    read: 0,
    stored: 0,
    duplicates: 0,
    alreadyReplayed: 0,
    skipped: [],
    recognised: 0,
    unverified: 0,
  };
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    summary.read += 1;
    const parsed = eventOfLine(line);
    if (!parsed.ok) {
      if (parsed.recognised) summary.recognised += 1;
      summary.skipped.push({ line: number, reason: parsed.reason });
      continue;
    }
    summary.recognised += 1;
    if (!parsed.verified && !options.acceptUnverified) {
      summary.unverified += 1;
      summary.skipped.push({
        line: number,
        reason: 'not verified (no signature was checked): pass --accept-unverified to store it',
      });
      continue;
    }
    const event = normalize(parsed.content, { source: Source.callback });
    const delivery: Delivery = { key: parsed.deliveryKey, expiresAt: undefined, repeatCounts: false, sharedForMs: 0 };
    try {
      const result = await options.store.deliver(event, delivery, parsed.receivedAt ?? new Date(options.clock.now()));
      if (result.outcome === 'inserted') summary.stored += 1;
      else if (result.outcome === 'duplicate') summary.duplicates += 1;
      else if (result.outcome === 'seen') summary.alreadyReplayed += 1;
      else if (result.outcome === 'key-taken')
        summary.skipped.push({ line: number, reason: `its signature pair came with another event (${result.eventId})` });
    } catch (error) {
      summary.failed = { line: number, reason: (error as Error).message };
      break;
    }
  }
  return summary;
}
