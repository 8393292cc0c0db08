import { canonicalJson, jsonDepth } from './canonical-json';
import { LosslessNumber } from './lossless-json';

/** Far deeper than any VOD event (they nest < 10 levels), far shallower than PostgreSQL's stack. */
export const MAX_PAYLOAD_DEPTH = 64;

/**
 * PostgreSQL text and jsonb cannot hold U+0000 or unpaired surrogates; without this a hostile or
 * corrupt string would make the whole batch fail as if the database were down.
 */
export function safeText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value instanceof LosslessNumber) return value;
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" member stays a member.
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [safeText(key), safeValue(child)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/**
 * The content made storable as jsonb: strings cleaned as by `safeText`; content nested deeper
 * than `MAX_PAYLOAD_DEPTH` is kept as its canonical JSON text inside a marker object, so it is
 * still stored (and replayable) instead of failing the insert.
 */
export function safePayload(content: unknown): unknown {
  if (jsonDepth(content) > MAX_PAYLOAD_DEPTH) {
    return { unparsedJson: safeText(canonicalJson(content)), reason: `nested deeper than ${MAX_PAYLOAD_DEPTH} levels` };
  }
  return safeValue(content);
}
