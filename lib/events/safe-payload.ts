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

/**
 * The key cleaned as by `safeText`, unless another member already has that name (`"a\u0000"` and
 * `"a\uFFFD"` both clean to `"a\uFFFD"`): then JSON's escape of it (`a\\u0000`, as text), and a
 * counter if even that is taken, so cleaning never merges two members.
 */
function distinctKey(key: string, taken: ReadonlyMap<string, unknown>): string {
  const cleaned = safeText(key);
  if (!taken.has(cleaned)) return cleaned;
  const escaped = JSON.stringify(key).slice(1, -1);
  let candidate = escaped;
  for (let n = 2; taken.has(candidate); n++) candidate = `${escaped}#${n}`;
  return candidate;
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value instanceof LosslessNumber) return value;
  if (value !== null && typeof value === 'object') {
    const members = new Map<string, unknown>();
    for (const [key, child] of Object.entries(value)) members.set(distinctKey(key, members), safeValue(child));
    // fromEntries defines own properties, so a "__proto__" member stays a member.
    return Object.fromEntries(members);
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
