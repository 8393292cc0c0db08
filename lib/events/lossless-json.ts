/**
 * A JSON number a double cannot hold as written (an integer beyond 2^53, ±1e400, more digits than
 * a double keeps). `text` is its canonical decimal, written as JavaScript writes numbers, so two
 * spellings of one value (`1E+400`, `10e399`) are one key. Numbers a double holds exactly stay
 * plain numbers, so the pull path (the SDK's `JSON.parse`) and the callback path agree on them.
 */
export class LosslessNumber {
  constructor(readonly text: string) {}
}

/** A JSON number token as JavaScript's Number::toString would write its exact decimal value. */
export function canonicalDecimal(token: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(token);
  if (!match) return token;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = whole + fraction;
  let point = whole.length + Number(exponent);
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading).replace(/0+$/, '');
  point -= leading;
  if (digits === '') return '0';
  const k = digits.length;
  let text: string;
  if (k <= point && point <= 21) text = digits + '0'.repeat(point - k);
  else if (0 < point && point <= 21) text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  else if (-6 < point && point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else {
    const e = point - 1;
    text = `${digits[0]}${k > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  return sign + text;
}

/** Whether a double holds the token's value as written (up to JavaScript's shortest round-trip form). */
function isExact(token: string): boolean {
  // Up to 15 significant digits, no fraction, no exponent: always exact; the usual case.
  if (token.length <= 15 && !/[.eE]/.test(token)) return true;
  const value = Number(token);
  return Number.isFinite(value) && canonicalDecimal(token) === String(value);
}

const isNumberStart = (code: number) => code === 45 || (code >= 48 && code <= 57);
const isNumberPart = (code: number) => isNumberStart(code) || code === 43 || code === 46 || code === 69 || code === 101;
const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;

/** Index just past the string literal starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let close = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
}

function numberEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && isNumberPart(text.charCodeAt(end))) end++;
  return end;
}

/** Whether valid JSON text holds a number a double cannot hold as written. */
function hasInexactNumber(text: string): boolean {
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code === 34) i = stringEnd(text, i);
    else if (isNumberStart(code)) {
      const end = numberEnd(text, i);
      if (!isExact(text.slice(i, end))) return true;
      i = end;
    } else i++;
  }
  return false;
}

function setMember(object: Record<string, unknown>, key: string, value: unknown): void {
  // As JSON.parse: "__proto__" is a member, not the prototype.
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

type Frame = { container: unknown[] } | { container: Record<string, unknown>; key: string | undefined };

/** Valid JSON text → value, numbers kept exact; iterative, so any depth JSON.parse takes is taken. */
function parseExact(text: string): unknown {
  const stack: Frame[] = [];
  let result: unknown;
  let i = 0;
  const skipSpace = () => {
    while (isSpace(text.charCodeAt(i))) i++;
  };
  const put = (value: unknown) => {
    const top = stack[stack.length - 1];
    if (!top) result = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else setMember(top.container, (top as { key: string }).key, value);
  };
  for (;;) {
    skipSpace();
    const top = stack[stack.length - 1];
    let closed = false;
    if (top && !Array.isArray(top.container) && (top as { key?: string }).key === undefined) {
      if (text[i] === '}') {
        closed = true;
      } else {
        const end = stringEnd(text, i);
        (top as { key?: string }).key = JSON.parse(text.slice(i, end)) as string;
        i = end;
        skipSpace();
        i++; // ':'
        continue;
      }
    }
    if (!closed) {
      const code = text.charCodeAt(i);
      if (code === 123 /* { */) {
        const object: Record<string, unknown> = {};
        put(object);
        stack.push({ container: object, key: undefined });
        i++;
        continue;
      }
      if (code === 91 /* [ */) {
        const array: unknown[] = [];
        put(array);
        stack.push({ container: array });
        i++;
        skipSpace();
        if (text[i] !== ']') continue;
        closed = true;
      } else if (code === 34) {
        const end = stringEnd(text, i);
        put(JSON.parse(text.slice(i, end)));
        i = end;
      } else if (isNumberStart(code)) {
        const end = numberEnd(text, i);
        const token = text.slice(i, end);
        put(isExact(token) ? Number(token) : new LosslessNumber(canonicalDecimal(token)));
        i = end;
      } else {
        const word = text.startsWith('true', i) ? 'true' : text.startsWith('false', i) ? 'false' : 'null';
        put(word === 'true' ? true : word === 'false' ? false : null);
        i += word.length;
      }
    }
    // After a value (or a closing bracket): close containers until one expects more.
    for (;;) {
      if (closed) {
        stack.pop();
        i++;
      }
      const current = stack[stack.length - 1];
      if (!current) return result;
      skipSpace();
      const next = text[i];
      if (next === ',') {
        i++;
        if (!Array.isArray(current.container)) (current as { key?: string }).key = undefined;
        break;
      }
      closed = next === ']' || next === '}';
      if (!closed) return result; // unreachable for valid JSON
    }
  }
}

/**
 * `JSON.parse`, but numbers a double cannot hold as written come out as `LosslessNumber`s.
 * `JSON.parse` runs first: it decides what is valid JSON (and words the error), and is the whole
 * work for the usual body, whose numbers are all exact; the exact parse runs only when needed.
 */
export function parseJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return hasInexactNumber(text) ? parseExact(text) : value;
}
