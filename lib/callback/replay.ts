import type { Clock } from '../clock';
import { normalize } from '../events/normalize';
import { Source } from '../events/types';
import type { EventStore } from '../store/event-store';
import { isLogLine, readDeadLetter } from './dead-letter';
import { asVodEvent, parseEvent, type ParsedEvent } from './parse';

export interface ReplaySummary {
  /** Non-blank lines read. */
  read: number;
  /** Events that were new to the store. */
  stored: number;
  /** Events the store already had (their delivery count went up). */
  duplicates: number;
  /** Lines that hold no storable event, by 1-based line number. */
  skipped: { line: number; reason: string }[];
  /** Set when the store failed: replay stopped at this line and nothing after it was tried. */
  failed?: { line: number; reason: string };
}

/**
 * The event a line holds: the payload of a dead-letter log line, or the line itself as a raw
 * callback body. Text before the first `{` is ignored, so lines copied from a log viewer with a
 * timestamp or request-id prefix still replay.
 */
function eventOfLine(line: string): ParsedEvent & { receivedAt?: Date } {
  const start = line.indexOf('{');
  if (start < 0) return { ok: false, reason: 'no JSON object on this line' };
  let value: unknown;
  try {
    value = JSON.parse(line.slice(start));
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
  const letter = readDeadLetter(value);
  if (!letter) return isLogLine(value) ? { ok: false, reason: 'a log line that is not a dead letter' } : asVodEvent(value);
  const parsed = parseEvent(Buffer.from(letter.payload, 'utf8'));
  return parsed.ok ? { ...parsed, receivedAt: letter.receivedAt } : { ok: false, reason: `dead letter payload: ${parsed.reason}` };
}

/**
 * Stores the events of dead-letter lines or raw callback bodies, one per line, as callbacks.
 * Signatures are not checked again: a dead letter comes from our own log, written after the
 * check (or when a broken configuration made checking impossible), and raw bodies are whatever
 * the operator chose to store.
 * Idempotent like every write to the store, so a replay can be repeated or resumed after a
 * failure; a dead letter keeps its original arrival time as `first_received_at`.
 */
export async function replay(
  lines: Iterable<string> | AsyncIterable<string>,
  deps: { store: EventStore; clock: Clock },
): Promise<ReplaySummary> {
  const summary: ReplaySummary = { read: 0, stored: 0, duplicates: 0, skipped: [] };
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    summary.read += 1;
    const parsed = eventOfLine(line);
    if (!parsed.ok) {
      summary.skipped.push({ line: number, reason: parsed.reason });
      continue;
    }
    const event = normalize(parsed.content, { source: Source.callback });
    try {
      const { inserted } = await deps.store.upsert([event], parsed.receivedAt ?? new Date(deps.clock.now()));
      if (inserted === 1) summary.stored += 1;
      else summary.duplicates += 1;
    } catch (error) {
      summary.failed = { line: number, reason: (error as Error).message };
      break;
    }
  }
  return summary;
}
