import { LosslessNumber } from './lossless-json';

/** A piece of output text on the work stack, told apart from JSON values by its class. */
class Literal {
  constructor(readonly text: string) {}
}
const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');

/**
 * JSON text of `value`, written without recursion, so arbitrarily deep input cannot overflow the
 * stack (`JSON.stringify` does near 5,000 levels). `canonical` sorts object keys by UTF-16 code
 * unit and drops `null`/`undefined` members at every depth (array elements are kept, as their
 * position is meaningful); otherwise members keep their order and nulls, as `JSON.stringify` does.
 */
function writeJson(value: unknown, canonical: boolean): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal || item instanceof LosslessNumber) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      out.push('[');
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] === undefined ? null : item[i]);
        if (i > 0) stack.push(COMMA);
      }
    } else if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      const present = Object.keys(record).filter((key) => record[key] !== undefined && !(canonical && record[key] === null));
      const keys = canonical ? present.sort() : present;
      out.push('{');
      stack.push(CLOSE_OBJECT);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        stack.push(record[key]);
        stack.push(new Literal(JSON.stringify(key) + ':'));
        if (i > 0) stack.push(COMMA);
      }
    } else {
      // Scalars; non-JSON values (NaN, functions) fall back to what JSON.stringify makes of them.
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

/** JSON text with object keys sorted and null members dropped at every depth: what the dedupe key hashes. */
export const canonicalJson = (value: unknown): string => writeJson(value, true);

/** JSON text like `JSON.stringify(value)`, but for any depth. */
export const jsonText = (value: unknown): string => writeJson(value, false);

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
