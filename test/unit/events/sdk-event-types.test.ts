import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../../lib/events/normalize';
import { V3_BODY_FIELDS } from '../../../lib/events/v3-bodies';
import { httpForm, pulledForm, v3EventBatch, v3Examples } from '../../helpers/v3-event-factory';

/** The body fields of `EventContent` in the installed SDK, read from its declaration text. */
function sdkBodyFields(): string[] {
  const path = createRequire(import.meta.url).resolve(
    'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models.d.ts',
  );
  const block = /export interface EventContent \{([\s\S]*?)\n\}/.exec(readFileSync(path, 'utf8'))?.[1];
  if (block === undefined) throw new Error(`no EventContent interface in ${path}`);
  return [...block.matchAll(/^\s+(\w+)\??:/gm)]
    .map((match) => match[1]!)
    .filter((field) => field !== 'EventHandle' && field !== 'EventType');
}

const examples = v3Examples();

describe('v3 event types of the SDK', () => {
  it('V3_BODY_FIELDS covers every body field of EventContent in the installed SDK', () => {
    const covered = new Set<string>(Object.values(V3_BODY_FIELDS));
    expect(sdkBodyFields().filter((field) => !covered.has(field))).toEqual([]);
  });

  it.each(examples)('$eventType: pulled and HTTP forms normalize to the expected fields', (example) => {
    const byPull = normalize(pulledForm(example, `handle-${example.eventType}`), { source: 'pull', api: 'v3' });
    const byCallback = normalize(httpForm(example), { source: 'callback' });

    const checked = { eventType: example.eventType, apiFormat: 'v3', ...example.expected };
    expect(byPull).toMatchObject(checked);
    expect(byCallback).toMatchObject(checked);
    expect(byCallback.id).toBe(byPull.id);
  });
});

describe('v3 event factory', () => {
  it('pulled form carries the handle and every other body field as null', () => {
    const [example] = examples;
    const content = pulledForm(example!, 'h1');
    const envelope = ['EventHandle', 'EventType', example!.bodyField];
    const others = Object.entries(content).filter(([key]) => !envelope.includes(key));

    expect(content.EventHandle).toBe('h1');
    expect(others.length).toBe(sdkBodyFields().length - 1);
    expect(others.every(([, value]) => value === null)).toBe(true);
  });

  it('HTTP form has no null at any depth, though some bodies have nested nulls', () => {
    const hasNull = (value: unknown) => JSON.stringify(value).includes('null');

    expect(examples.filter((example) => hasNull(example.body)).length).toBeGreaterThan(2);
    expect(examples.filter((example) => hasNull(httpForm(example)))).toEqual([]);
  });

  it('a batch holds distinct events of every type, the same for the same seed', () => {
    const batch = v3EventBatch(500, 7);
    const ids = batch.map((content) => normalize(content, { source: 'pull', api: 'v3' }).id);

    expect(new Set(ids).size).toBe(500);
    expect(new Set(batch.map((content) => content.EventType))).toEqual(new Set(Object.keys(V3_BODY_FIELDS)));
    expect(batch.some((content) => 'EventHandle' in content)).toBe(false);
    expect(v3EventBatch(3, 7)).toEqual(batch.slice(0, 3));
  });
});
