import { describe, expect, it } from 'vitest';
import { pushEvent, pushEvents } from '../../tools/emulator/pusher';
import { normalize } from '../../lib/events/normalize';
import seeds from '../../samples/seed-events.json';
import { SIGN_KEY, signed } from '../helpers/callback-requests';
import { servedCallback } from '../helpers/served-callback';
import { httpForm, v3Examples } from '../helpers/v3-event-factory';

const served = servedCallback({ VOD_CALLBACK_SIGN_KEY: SIGN_KEY, CALLBACK_MAX_BODY_BYTES: '4096' });

/** What VOD sends: the event signed with the key, expiring in 10 minutes. */
const vodBody = (content: object) => JSON.stringify(signed(content, SIGN_KEY, Date.now() + 600_000));
const post = async (body: string | Uint8Array, url = served.url) => {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
};
const row = async (id: unknown) =>
  (await served.sql.query<Record<string, unknown>>('SELECT * FROM vod_events WHERE id = $1', [id]))[0];

describe('callback function behind the local gateway, on PostgreSQL', () => {
  it('stores the callback examples of the seed documents', async () => {
    const pullComplete = await post(vodBody(seeds.pullComplete003Callback));
    const concat = await post(vodBody(seeds.concatComplete002Callback));
    expect([pullComplete.status, concat.status]).toEqual([200, 200]);
    expect(await row(pullComplete.json.id)).toMatchObject({
      event_type: 'PullComplete',
      api_format: 'v3',
      source: 'callback',
      delivery_count: 1,
    });
    expect(await row(concat.json.id)).toMatchObject({
      event_type: 'ConcatComplete',
      api_format: 'v2',
      task_id: 'concat-1edb7eb88a599d05abe451cfc541cfbd',
    });
  });

  it('makes one row of 50 concurrent identical callbacks, with delivery_count 50', async () => {
    const body = vodBody({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'concurrent-1' } });
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((answer) => answer.json.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.json.id)).size).toBe(1);
    expect(await row(answers[0]!.json.id)).toMatchObject({ delivery_count: 50 });
    expect(await served.sql.query("SELECT count(*)::int AS n FROM vod_events WHERE file_id = 'concurrent-1'")).toEqual([
      { n: 1 },
    ]);
  });

  it('counts VOD retries of one event in one row, each signed anew', async () => {
    const content = { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['retried-1'] } };
    const ids = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await post(JSON.stringify(signed(content, SIGN_KEY, Date.now() + 600_000 + attempt * 1000)));
      expect(answer.status).toBe(200);
      ids.push(answer.json.id);
    }
    expect(new Set(ids).size).toBe(1);
    expect(await row(ids[0])).toMatchObject({ delivery_count: 3, file_id: 'retried-1' });
  });

  it('answers 401 to an unsigned callback', async () => {
    const answer = await post(JSON.stringify(seeds.pullComplete003Callback));
    expect(answer).toMatchObject({
      status: 401,
      json: { error: 'unauthorized', reason: 'missing Sign field: expected MD5(key + T) in the JSON body' },
    });
  });

  it('answers 405 with Allow to a GET, and takes a callback on any path (a function URL has no routes)', async () => {
    const get = await fetch(served.url);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    // Its own event: the seed example is another test's, which counts its deliveries.
    const body = vodBody({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: 'any-path-1' } });
    const elsewhere = await post(body, served.url.replace('/vod/callback', '/'));
    expect(elsewhere).toMatchObject({ status: 200, json: { ok: true } });
  });

  it('answers 413 to a body over CALLBACK_MAX_BODY_BYTES', async () => {
    const answer = await post(JSON.stringify({ EventType: 'NewFileUpload', pad: 'x'.repeat(100_000) }));
    expect(answer.status).toBe(413);
    expect(answer.json.reason).toMatch(/^body is \d+ bytes, more than the 4096 allowed/);
  });

  it('answers 400 to a body that is not UTF-8 (a function-URL event carries the body as text, no base64 flag)', async () => {
    const answer = await post(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]));
    expect(answer).toMatchObject({ status: 400, json: { error: 'bad_request' } });
  });

  it('stores every v3 event type pushed the way VOD pushes it, signed by the emulator', async () => {
    const examples = v3Examples();
    const results = await pushEvents(examples.map(httpForm), {
      url: served.url,
      signKey: SIGN_KEY,
      timeoutMs: 5000,
      attempts: 3,
    });
    expect(results.map((result) => result.statuses)).toEqual(examples.map(() => [200]));
    const ids = examples.map((example) => normalize(httpForm(example), { source: 'callback' }).id);
    const rows = await served.sql.query<{ id: string; event_type: string; source: string }>(
      'SELECT id, event_type, source FROM vod_events WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb))',
      [JSON.stringify(ids)],
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    expect(ids.map((id) => stored.get(id)?.event_type)).toEqual(examples.map((example) => example.eventType));
    expect(rows.every((row) => row.source === 'callback')).toBe(true);
  });

  it('answers the pusher 401 when it signs with another key', async () => {
    const result = await pushEvent(seeds.pullComplete003Callback, {
      url: served.url,
      signKey: 'OtherKey',
      timeoutMs: 5000,
      attempts: 3,
    });
    expect(result).toEqual({ delivered: true, attempts: 1, statuses: [401] });
  });

  it('passes the header case the client sent, so the reason names the content type', async () => {
    const response = await fetch(served.url, {
      method: 'POST',
      headers: { 'CONTENT-TYPE': 'text/plain' },
      body: '{"EventType":',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/^body is not valid JSON \(sent as text\/plain\): /);
  });
});
