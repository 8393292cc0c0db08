export type ParsedEvent = { ok: true; content: Record<string, unknown> } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** A scalar as JSON; an array or object only by its kind, as it may be too deep for `JSON.stringify` (a RangeError became a 503). */
const shown = (value: unknown): string => (value !== null && typeof value === 'object' ? describe(value) : (JSON.stringify(value) ?? 'undefined'));

/**
 * What makes JSON a VOD callback: an object with a non-empty string `EventType` (v3, "3.0
 * format") or `eventType` (v2, `version: "4.0"`). Anything else is refused with a reason that
 * names the field and what was expected; the contents are left to `normalize`.
 */
export function asVodEvent(value: unknown): ParsedEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object (a VOD event), got ${describe(value)}` };
  }
  const content = value as Record<string, unknown>;
  for (const field of ['EventType', 'eventType'] as const) {
    if (typeof content[field] === 'string' && content[field] !== '') return { ok: true, content };
  }
  for (const field of ['EventType', 'eventType'] as const) {
    if (field in content) {
      return { ok: false, reason: `${field} must be a non-empty string, got ${shown(content[field])}` };
    }
  }
  return { ok: false, reason: 'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)' };
}

/** Raw bytes → VOD event: UTF-8 (a BOM is skipped), then JSON, then `asVodEvent`. */
export function parseEvent(body: Uint8Array, contentType?: string): ParsedEvent {
  if (body.length === 0) return { ok: false, reason: 'empty body: expected a VOD event as JSON' };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, reason: 'body is not UTF-8 text: expected a VOD event as JSON' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const sent = contentType ? ` (sent as ${contentType})` : '';
    return { ok: false, reason: `body is not valid JSON${sent}: ${(error as Error).message}` };
  }
  return asVodEvent(value);
}
