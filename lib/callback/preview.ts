import { LosslessNumber } from '../events/lossless-json';

/** Longest piece of client input an answer or a log line repeats. */
export const PREVIEW_CHARS = 40;

/** `text` cut to `max` characters, marked when cut: answers and log lines stay small whatever was sent. */
export const clip = (text: string, max = 200): string =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

export const kind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/**
 * A JSON value as an error message may show it: a scalar as a short JSON prefix, an array or
 * object only by its kind. Never throws: `JSON.stringify` of a deep value overflows the stack
 * (a RangeError once turned a forged request into a dead letter).
 */
export function preview(value: unknown): string {
  if (value instanceof LosslessNumber) return clip(value.text, PREVIEW_CHARS);
  if (value !== null && typeof value === 'object') return kind(value);
  if (typeof value === 'string') return JSON.stringify(clip(value, PREVIEW_CHARS));
  return String(value);
}
