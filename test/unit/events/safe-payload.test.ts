import { describe, expect, it } from 'vitest';
import { safePayload } from '../../../lib/events/safe-payload';

describe('safePayload', () => {
  it('keeps two keys that clean to the same text apart instead of merging them', () => {
    const payload = safePayload(JSON.parse('{"a\\u0000":1,"a\\uFFFD":2}')) as Record<string, number>;
    expect(Object.keys(payload)).toHaveLength(2);
    expect(Object.values(payload).sort()).toEqual([1, 2]);
    expect(payload).toEqual({ 'a\uFFFD': 1, 'a\uFFFD#2': 2 } satisfies Record<string, number>);
  });
});
