import { describe, expect, it } from 'vitest';
import { jsonText } from '../../../lib/events/canonical-json';
import { canonicalDecimal, LosslessNumber, parseJson } from '../../../lib/events/lossless-json';

describe('parseJson', () => {
  it('writes every number a double holds exactly as JavaScript does, so both paths share keys', () => {
    for (const token of [
      '1',
      '1.0',
      '1.50',
      '100',
      '1e2',
      '-0',
      '0.1',
      '1e21',
      '1e-7',
      '0.000001',
      '1.5e300',
      '5e-324',
      '-1.25E+3',
    ]) {
      expect(canonicalDecimal(token), token).toBe(String(Number(token)));
      expect(parseJson(token)).toBe(Number(token));
    }
  });

  it('keeps integers beyond 2^53 and numbers beyond a double exactly, one spelling per value', () => {
    expect(parseJson('{"n":9007199254740993}')).toEqual({ n: new LosslessNumber('9007199254740993') });
    expect(parseJson('[1E+400, 10e399, -1e400]')).toEqual(
      ['1e+400', '1e+400', '-1e+400'].map((text) => new LosslessNumber(text)),
    );
    expect(jsonText(parseJson('{"a":[0.10000000000000000001,{"b":"x\\"y"}],"__proto__":1}'))).toBe(
      '{"a":[0.10000000000000000001,{"b":"x\\"y"}],"__proto__":1}',
    );
  });

  it('takes any depth JSON.parse takes, and refuses what it refuses', () => {
    const deep = '['.repeat(100_000) + '1e400' + ']'.repeat(100_000);
    let value = parseJson(deep);
    let depth = 0;
    while (Array.isArray(value)) [value, depth] = [value[0], depth + 1];
    expect(depth).toBe(100_000);
    expect(value).toEqual(new LosslessNumber('1e+400'));
    expect(() => parseJson('{"a":1e400,}')).toThrow(SyntaxError);
  });
});
