import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { dedupeKey } from '../../../lib/events/dedupe-key';
import { canonicalJson } from '../../../lib/events/canonical-json';
import { normalize } from '../../../lib/events/normalize';
import { randomJson, seededRandom } from '../../helpers/random-json';

/** The same JSON value with object keys in a random order and random `null` members added. */
function shuffleAndPad(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleAndPad(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries: [string, unknown][] = Object.entries(value).map(([key, child]) => [key, shuffleAndPad(child, random)]);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  if (random() < 0.5) entries.push([`padding${Math.floor(random() * 1000)}`, null]);
  return Object.fromEntries(entries);
}

describe('dedupeKey', () => {
  it('is the SHA-256 hex of the canonical JSON (fixed vector)', () => {
    const content = { b: 1, a: { d: null, c: [null, 'x'] }, EventHandle: 'h', T: '1', Sign: 's' };
    expect(canonicalJson({ b: 1, a: { d: null, c: [null, 'x'] } })).toBe('{"a":{"c":[null,"x"]},"b":1}');
    expect(dedupeKey(content)).toBe(createHash('sha256').update('{"a":{"c":[null,"x"]},"b":1}').digest('hex'));
  });

  it('sorts keys by code unit, not locale or case', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, é: 4, _: 5 })).toBe('{"B":2,"_":5,"a":3,"b":1,"é":4}');
  });

  it('ignores every envelope field of pulls and signed callbacks', () => {
    const event = { EventType: 'NewFileUpload', FileUploadEvent: { FileId: '1' } };
    const key = dedupeKey(event);
    expect(dedupeKey({ ...event, EventHandle: 'abc' })).toBe(key);
    expect(dedupeKey({ ...event, msgHandle: 'abc' })).toBe(key);
    expect(dedupeKey({ ...event, Sign: 'f00', T: '1700000000' })).toBe(key);
    expect(dedupeKey({ ...event, sign: 'f00', t: '1700000000' })).toBe(key);
  });

  it('still tells different events apart', () => {
    expect(dedupeKey({ EventType: 'A', X: { TaskId: '1' } })).not.toBe(dedupeKey({ EventType: 'A', X: { TaskId: '2' } }));
    expect(dedupeKey({ a: [1, 2] })).not.toBe(dedupeKey({ a: [2, 1] }));
    expect(dedupeKey({ a: [null] })).not.toBe(dedupeKey({ a: [] }));
  });

  it('never changes with key order or null members (500 random documents)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const value = randomJson(random, 5);
      expect(dedupeKey(shuffleAndPad(value, random))).toBe(dedupeKey(value));
    }
  });
});

describe('normalize never throws', () => {
  it('on 2,000 random JSON values', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 2000; i++) {
      const value = randomJson(random, 6);
      const event = normalize(value, { source: 'callback' });
      expect(event.id).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('on nesting 200,000 levels deep, keeping it storable as text', () => {
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
    const event = normalize({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'f', Extra: deep } }, { source: 'pull' });
    expect(event.fileId).toBe('f');
    expect(event.payload).toMatchObject({ reason: 'nested deeper than 64 levels' });
    expect((event.payload as { unparsedJson: string }).unparsedJson.length).toBeGreaterThan(400_000);
  });

  it('on strings PostgreSQL cannot hold, replacing NUL and lone surrogates', () => {
    const event = normalize(
      { EventType: 'A\u0000B', X: { Message: 'bad \ud800 end', '\u0000key': 'v' } },
      { source: 'callback' },
    );
    expect(event.eventType).toBe('A\uFFFDB');
    expect(event.message).toBe('bad \uFFFD end');
    expect(event.payload).toEqual({ EventType: 'A\uFFFDB', X: { Message: 'bad \uFFFD end', '\uFFFDkey': 'v' } });
  });
});
