import { parseJson } from '../events/lossless-json';
import { clip, kind, preview } from './preview';

export type ParsedEvent = { ok: true; content: Record<string, unknown> } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What makes JSON a VOD callback: an object with a non-empty string `EventType` (v3, "3.0
 * format") or `eventType` (v2, `version: "4.0"`). Anything else is refused with a reason that
 * names the field and what was expected; the contents are left to `normalize`.
 */
export function asVodEvent(value: unknown): ParsedEvent {
  if (!isObject(value)) return { ok: false, reason: `expected a JSON object (a VOD event), got ${kind(value)}` };
  for (const field of ['EventType', 'eventType'] as const) {
    if (typeof value[field] === 'string' && value[field] !== '') return { ok: true, content: value };
  }
  for (const field of ['EventType', 'eventType'] as const) {
    if (field in value) return { ok: false, reason: `${field} must be a non-empty string, got ${preview(value[field])}` };
  }
  return { ok: false, reason: 'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)' };
}

/**
 * Raw bytes → a JSON object: UTF-8 (a BOM is skipped), then JSON (numbers kept exact, see
 * lossless-json.ts), then an object. Whether it is
 * a VOD event is decided later: after the signature check, any object VOD signed is stored.
 */
export function parseObject(body: Uint8Array, contentType?: string): ParsedEvent {
  if (body.length === 0) return { ok: false, reason: 'empty body: expected a VOD event as JSON' };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, reason: 'body is not UTF-8 text: expected a VOD event as JSON' };
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    const sent = contentType ? ` (sent as ${clip(contentType, 60)})` : '';
    return { ok: false, reason: `body is not valid JSON${sent}: ${clip((error as Error).message)}` };
  }
  return isObject(value)
    ? { ok: true, content: value }
    : { ok: false, reason: `expected a JSON object (a VOD event), got ${kind(value)}` };
}
