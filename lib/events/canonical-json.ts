import { LosslessNumber } from './lossless-json';

/** A piece of output text on the work stack, told apart from JSON values by its class. */
class Literal {
  constructor(readonly text: string) {}
}
const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');

/** Pieces collected before they are joined and handed on: keeps a large body's text from living as a million small strings. */
const CHUNK_PIECES = 4096;

/**
 * JSON text of `value`, written without recursion, so arbitrarily deep input cannot overflow the
 * stack (`JSON.stringify` does near 5,000 levels), and handed to `emit` in chunks. `canonical`
 * sorts object keys by UTF-16 code unit and drops `null`/`undefined` members at every depth
 * (array elements are kept, as their position is meaningful); otherwise members keep their order
 * and nulls, as `JSON.stringify` does. Exact numbers (`LosslessNumber`) are written as parsed.
 */
function writeJson(value: unknown, canonical: boolean, emit: (text: string) => void): void {
  let pieces: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal || item instanceof LosslessNumber) {
      pieces.push(item.text);
    } else if (Array.isArray(item)) {
      pieces.push('[');
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] === undefined ? null : item[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      const present = Object.keys(record).filter((key) => record[key] !== undefined && !(canonical && record[key] === null));
      const keys = canonical ? present.sort() : present;
      pieces.push('{');
      stack.push(CLOSE_OBJECT);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        stack.push(record[key]);
        stack.push(new Literal(JSON.stringify(key) + ':'));
        if (i > 0) stack.push(COMMA);
      }
    } else {
      // Scalars; non-JSON values (NaN, functions) fall back to what JSON.stringify makes of them.
      pieces.push(JSON.stringify(item) ?? 'null');
    }
    if (pieces.length >= CHUNK_PIECES) {
      emit(pieces.join(''));
      pieces = [];
    }
  }
  emit(pieces.join(''));
}

function collect(value: unknown, canonical: boolean): string {
  const chunks: string[] = [];
  writeJson(value, canonical, (text) => chunks.push(text));
  return chunks.join('');
}

/** JSON text with object keys sorted and null members dropped at every depth: what the dedupe key hashes. */
export const canonicalJson = (value: unknown): string => collect(value, true);

/** `canonicalJson(value)` fed to `sink` in chunks, never held whole (the dedupe key hashes it as it is written). */
export const writeCanonicalJson = (value: unknown, sink: (text: string) => void): void => writeJson(value, true, sink);

/** JSON text like `JSON.stringify(value)`, but for any depth. */
export const jsonText = (value: unknown): string => collect(value, false);

/** Nesting depth of a JSON value (a scalar is 0), computed without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object' || item instanceof LosslessNumber) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    for (const child of Object.values(item as object)) {
      if (child !== null && typeof child === 'object' && !(child instanceof LosslessNumber)) stack.push([child, level]);
    }
  }
  return deepest;
}
