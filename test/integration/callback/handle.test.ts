import { describe, expect, it } from 'vitest';
import { handleCallback } from '../../../lib/callback/handle';
import { StoreError } from '../../../lib/errors';
import { normalize } from '../../../lib/events/normalize';
import { silentLogger } from '../../../lib/log';
import type { EventStore } from '../../../lib/store/event-store';
import { openEventStore } from '../../../lib/store/open-store';
import seeds from '../../../samples/seed-events.json';
import { callbackRequest, captureLog, NEXT_SIGN_KEY, SIGN_KEY, signed } from '../../helpers/callback-requests';
import { answerJson, callbackFixture } from '../../helpers/callback-fixture';
import { randomJson, seededRandom } from '../../helpers/random-json';
import { httpForm, pulledForm, v3Examples } from '../../helpers/v3-event-factory';

const fixture = callbackFixture(() => ({ log: silentLogger, signKeys: [], maxBodyBytes: 64 * 1024 }));
const { clock, deps } = fixture;
const row = async (id: unknown) =>
  (await fixture.sql.query<Record<string, unknown>>('SELECT * FROM vod_events WHERE id = $1', [id]))[0];

describe('handleCallback: storing', () => {
  it('stores the PullComplete callback of seed 003 with its fields', async () => {
    const result = await handleCallback(callbackRequest(seeds.pullComplete003Callback), deps());
    expect(result.status).toBe(200);
    expect(result.headers['Content-Type']).toBe('application/json; charset=utf-8');
    const body = answerJson(result);
    expect(body).toEqual({ ok: true, id: normalize(seeds.pullComplete003Pulled, { source: 'pull' }).id, duplicate: false });
    expect(await row(body.id)).toMatchObject({
      event_type: 'PullComplete',
      api_format: 'v3',
      source: 'callback',
      task_id: '125676836723-Pull-f5ac8127b3b6b85cdc13f237c6005d8',
      file_id: '14508071098244959037',
      status: 'FINISH',
      err_code: 0,
      delivery_count: 1,
      payload: seeds.pullComplete003Callback,
    });
  });

  it('stores the v2 (version 4.0) ConcatComplete callback of seed 002', async () => {
    const result = await handleCallback(callbackRequest(seeds.concatComplete002Callback), deps());
    expect(result.status).toBe(200);
    expect(await row(answerJson(result).id)).toMatchObject({
      event_type: 'ConcatComplete',
      api_format: 'v2',
      source: 'callback',
      task_id: 'concat-1edb7eb88a599d05abe451cfc541cfbd',
      file_id: '14508071098244931831',
      file_url: 'http://125xx.vod2.myqcloud.com/vod125xx/14508071098244931831/playlist.f6.m3u8',
    });
  });

  it('answers 200 to a repeat, marks it a duplicate and counts it', async () => {
    const request = callbackRequest(seeds.pullEvents001[2]);
    const first = answerJson(await handleCallback(request, deps()));
    const again = answerJson(await handleCallback(request, deps()));
    expect(again).toEqual({ ok: true, id: first.id, duplicate: true });
    expect(await row(first.id)).toMatchObject({ delivery_count: 2 });
  });

  it('gives every v3 event type in its HTTP form the key of its pulled form', async () => {
    for (const example of v3Examples()) {
      const result = await handleCallback(callbackRequest(httpForm(example)), deps());
      expect(result.status, example.eventType).toBe(200);
      const pulled = normalize(pulledForm(example, 'handle-1'), { source: 'pull', api: 'v3' });
      expect(answerJson(result).id, example.eventType).toBe(pulled.id);
      expect(await row(pulled.id), example.eventType).toMatchObject({
        event_type: example.eventType,
        source: 'callback',
        task_id: pulled.taskId,
        file_id: pulled.fileId,
        status: pulled.status,
        file_url: pulled.fileUrl,
      });
    }
  });

  it('logs one info line per stored callback', async () => {
    const log = captureLog();
    const result = await handleCallback(callbackRequest(seeds.pullEvents001[3], { requestId: 'req-1' }), deps({ log }));
    expect(log.entries()).toEqual([
      {
        level: 'info',
        message: 'callback stored',
        id: answerJson(result).id,
        eventType: 'EditMediaComplete',
        duplicate: false,
        requestId: 'req-1',
      },
    ]);
  });
});

describe('handleCallback: refusing bad input', () => {
  it('answers 405 with Allow: POST to other methods', async () => {
    const result = await handleCallback(callbackRequest(seeds.pullComplete003Callback, { method: 'GET' }), deps());
    expect(result.status).toBe(405);
    expect(result.headers.Allow).toBe('POST');
    expect(answerJson(result)).toEqual({
      error: 'method_not_allowed',
      reason: 'method GET is not allowed: VOD callbacks are POST requests',
    });
  });

  it('answers 413 to a body over the limit before looking at it', async () => {
    const result = await handleCallback(callbackRequest('x'.repeat(1025)), deps({ maxBodyBytes: 1024 }));
    expect(result.status).toBe(413);
    expect(answerJson(result)).toEqual({
      error: 'payload_too_large',
      reason: 'body is 1025 bytes, more than the 1024 allowed (CALLBACK_MAX_BODY_BYTES)',
    });
  });

  it.each([
    ['an empty body', '', 'empty body: expected a VOD event as JSON'],
    ['an array', '[1]', 'expected a JSON object (a VOD event), got an array'],
    ['a string', '"NewFileUpload"', 'expected a JSON object (a VOD event), got a string'],
    ['null', 'null', 'expected a JSON object (a VOD event), got null'],
    [
      'an object without event type',
      '{"FileId":"1"}',
      'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)',
    ],
    ['a numeric EventType', '{"EventType":5}', 'EventType must be a non-empty string, got 5'],
    ['an empty eventType', '{"version":"4.0","eventType":""}', 'eventType must be a non-empty string, got ""'],
    [
      'a v2-legacy body (never sent by HTTP)',
      '{"status":0,"task":"transcode","data":{}}',
      'not a VOD event: expected a non-empty string EventType (v3) or eventType (v2, version 4.0)',
    ],
  ])('answers 400 to %s, saying why', async (_, body, reason) => {
    const result = await handleCallback(callbackRequest(body), deps());
    expect(result.status).toBe(400);
    expect(answerJson(result)).toEqual({ error: 'bad_request', reason });
  });

  it('answers 400 to malformed JSON, naming the content type it came as', async () => {
    const result = await handleCallback(callbackRequest('{"EventType":', { headers: { 'content-type': 'text/plain' } }), deps());
    expect(result.status).toBe(400);
    expect(answerJson(result).reason).toMatch(/^body is not valid JSON \(sent as text\/plain\): /);
  });

  it('answers 400 to bytes that are not UTF-8', async () => {
    const result = await handleCallback(callbackRequest(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), deps());
    expect(answerJson(result)).toEqual({ error: 'bad_request', reason: 'body is not UTF-8 text: expected a VOD event as JSON' });
  });

  it('logs each refusal with its status and reason', async () => {
    const log = captureLog();
    await handleCallback(callbackRequest('[]', { requestId: 'req-2' }), deps({ log }));
    expect(log.entries()).toEqual([
      {
        level: 'warn',
        message: 'callback rejected',
        status: 400,
        reason: 'expected a JSON object (a VOD event), got an array',
        requestId: 'req-2',
      },
    ]);
  });
});

describe('handleCallback: signatures', () => {
  const keyed = deps({ signKeys: [SIGN_KEY] });
  const content = seeds.pullEvents001[1]!;

  it('stores a callback signed with the key, under the key of the unsigned event', async () => {
    const result = await handleCallback(callbackRequest(signed(content, SIGN_KEY, clock.now() + 600_000)), keyed);
    expect(result.status).toBe(200);
    expect(answerJson(result).id).toBe(normalize(content, { source: 'pull' }).id);
  });

  it('stores a callback signed with the second key while rotating', async () => {
    const result = await handleCallback(
      callbackRequest(signed(content, NEXT_SIGN_KEY, clock.now() + 600_000)),
      deps({ signKeys: [SIGN_KEY, NEXT_SIGN_KEY] }),
    );
    expect(result.status).toBe(200);
  });

  it.each([
    ['unsigned', () => content, 'missing Sign field: expected MD5(key + T) in the JSON body'],
    [
      'signed with another key',
      () => signed(content, 'OtherKey', clock.now() + 600_000),
      'Sign does not match MD5(key + T) for any configured key',
    ],
    ['expired', () => signed(content, SIGN_KEY, clock.now() - 60_000), 'expired: T is 60 s in the past'],
    [
      'expiring too far ahead',
      () => signed(content, SIGN_KEY, clock.now() + 3600_000),
      'T is more than 900 s in the future, which VOD never sends',
    ],
  ])('answers 401 to a callback %s, and stores nothing', async (_, make, reason) => {
    const before = await fixture.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM vod_events');
    const result = await handleCallback(callbackRequest(make()), keyed);
    expect(result.status).toBe(401);
    expect(answerJson(result)).toEqual({ error: 'unauthorized', reason });
    expect(await fixture.sql.query('SELECT count(*)::int AS n FROM vod_events')).toEqual(before);
  });

  it('refuses a captured callback replayed after its T expired', async () => {
    const request = callbackRequest(signed(seeds.pullEvents001[0]!, SIGN_KEY, clock.now() + 600_000));
    expect((await handleCallback(request, keyed)).status).toBe(200);
    clock.advance(11 * 60_000);
    const replayed = await handleCallback(request, keyed);
    expect(replayed.status).toBe(401);
    expect(answerJson(replayed).reason).toBe('expired: T is 60 s in the past');
  });
});

describe('handleCallback: store failures', () => {
  const content = { EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'dead-letter-1' } };

  it('answers 503 and dead-letters the raw body when the store cannot be opened', async () => {
    const log = captureLog();
    const unreachable = () => openEventStore({ databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none', pgliteDir: '' });
    const request = callbackRequest(content, { requestId: 'req-3' });
    const result = await handleCallback(request, deps({ store: unreachable, log }));
    expect(result.status).toBe(503);
    expect(answerJson(result)).toEqual({
      error: 'store_unavailable',
      reason: 'the event was not stored; it was logged for replay',
    });
    const [letter, ...others] = log.entries();
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      level: 'error',
      deadLetter: true,
      payload: request.body.toString('utf8'),
      receivedAt: new Date(clock.now()).toISOString(),
      requestId: 'req-3',
    });
    expect(letter!.reason).toMatch(/^StoreError: .* failed, the store is unavailable: .*ECONNREFUSED/);
  });

  it('answers 503 and dead-letters on an unexpected error too', async () => {
    const log = captureLog();
    const broken = { ...fixture.store, upsert: () => Promise.reject(new TypeError('boom')) } as EventStore;
    const result = await handleCallback(callbackRequest(content), deps({ store: async () => broken, log }));
    expect(result.status).toBe(503);
    expect(log.deadLetters()).toMatchObject([{ reason: 'TypeError: boom', payload: JSON.stringify(content) }]);
  });

  it('says in the dead letter when PostgreSQL rejected the data', async () => {
    const log = captureLog();
    const rejecting = {
      ...fixture.store,
      upsert: () => Promise.reject(new StoreError('storing 1 event(s) failed, PostgreSQL rejected the data', 'rejected')),
    } as EventStore;
    const result = await handleCallback(callbackRequest(content), deps({ store: async () => rejecting, log }));
    expect(result.status).toBe(503);
    expect(log.deadLetters()).toMatchObject([{ reason: 'StoreError: storing 1 event(s) failed, PostgreSQL rejected the data' }]);
  });
});

describe('handleCallback: fuzzing', () => {
  const random = seededRandom(20260101);
  const bodies = Array.from({ length: 1000 }, (_, i) => {
    if (i % 4 === 3) return Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    const text = JSON.stringify(randomJson(random, 5)) ?? '';
    // Every fifth body is cut short, the way a dropped connection would leave it.
    return Buffer.from(i % 5 === 0 ? text.slice(0, Math.floor(random() * text.length)) : text);
  });

  it('answers 1,000 random bodies with a 4xx when a key is set, never a 5xx, never throwing', async () => {
    const statuses = new Map<number, number>();
    for (const body of bodies) {
      const result = await handleCallback(callbackRequest(body), deps({ signKeys: [SIGN_KEY] }));
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
      expect(answerJson(result)).toHaveProperty('reason');
    }
    expect([...statuses.values()].reduce((a, b) => a + b)).toBe(1000);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('stores or refuses every random body without a key, never a 5xx', async () => {
    const statuses = new Set<number>();
    for (const body of bodies) statuses.add((await handleCallback(callbackRequest(body), deps())).status);
    expect([...statuses].sort()).toEqual([200, 400]);
  });
});
