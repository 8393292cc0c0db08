import { LosslessNumber } from './lossless-json';
import { safeText } from './safe-payload';

/** Readers that turn whatever sits in a payload field into a column value, or `null`. */
export type Json = Record<string, unknown>;

export const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof LosslessNumber)
    ? (value as Json)
    : undefined;

/**
 * Longest text kept in an extracted column. `event_type`, `task_id` and `file_id` are indexed and
 * a btree entry holds at most 2,704 bytes: 512 characters are at most 2,048 bytes of UTF-8. The
 * whole value stays in `payload`.
 */
export const MAX_COLUMN_CHARS = 512;

/** Text for a column: cleaned for PostgreSQL and cut to `MAX_COLUMN_CHARS` (re-cleaned, as the cut may split a surrogate pair). */
export const columnText = (text: string): string =>
  text.length > MAX_COLUMN_CHARS ? safeText(text.slice(0, MAX_COLUMN_CHARS)) : safeText(text);

/** Non-empty strings, and numbers (VOD ids are sometimes numeric in old payloads), exact ones as written. */
export function asText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : columnText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof LosslessNumber) return value.text;
  return null;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Integers that fit the `integer` column, also from decimal strings ("0", "-1"). */
export function asInt(value: unknown): number | null {
  const number = typeof value === 'string' && /^\s*-?\d{1,10}\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= INT32_MIN && number <= INT32_MAX ? number : null;
}

export const firstOf = <T>(...values: (T | null)[]): T | null => values.find((value) => value !== null) ?? null;

export const firstElement = (value: unknown): unknown => (Array.isArray(value) ? value[0] : undefined);

/**
 * The object of a field VOD sends either as one object or as a list of them: the 2017 API's
 * `data.fileInfo` is a list in most events and one object in `ClipComplete` (`{fileId, fileUrl,
 * fileType, …}`; legacy ClipComplete callback, cloud.tencent.com/document/product/266/10157, and
 * its 3.0 twin `ClipCompleteEvent.FileInfo`, 266/33960).
 */
export const objectOrFirst = (value: unknown): Json | undefined => asObject(value) ?? asObject(firstElement(value));

/** The value at a dotted path (`FileInfoSet.0.Output.FileId`); `undefined` where any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** The first of `paths` that holds a value `read` accepts. */
export function firstAt<T>(root: unknown, paths: readonly string[], read: (value: unknown) => T | null): T | null {
  for (const path of paths) {
    const value = read(valueAt(root, path));
    if (value !== null) return value;
  }
  return null;
}
