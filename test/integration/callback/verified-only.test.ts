import { describe, expect, it } from 'vitest';
import { callbackHandlerFromEnv } from '../../../lib/app/callback';
import type { ScfApiGatewayEvent } from '../../../lib/callback/gateway-event';
import { handleCallback, type CallbackRequest } from '../../../lib/callback/handle';
import { replay } from '../../../lib/callback/replay';
import { PAIR_SHARING_MS } from '../../../lib/callback/verify';
import { normalize } from '../../../lib/events/normalize';
import seeds from '../../../samples/seed-events.json';
import { callbackRequest, captureLog, SIGN_KEY, signed } from '../../helpers/callback-requests';
import { answerJson, callbackFixture } from '../../helpers/callback-fixture';
import { nestedJson } from '../../helpers/chaos-hostile-requests';

// Issue 11: only verified content reaches the store, by any path (dead letters and replay included).
const fixture = callbackFixture(() => ({ log: captureLog(), signKeys: [SIGN_KEY], maxBodyBytes: 4 * 1024 * 1024 }));
const { clock, deps } = fixture;
const rowCount = async () => (await fixture.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM vod_events'))[0]!.n;
const ahead = () => clock.now() + 600_000;
const forged = { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['forged-by-issue-11'] } };

describe('defect 1: anything that throws before the signature is proven is a 401, never a dead letter', () => {
  it('answers a zero Sign with a 5,000-deep T with 401, no dead letter, no row, and replay has nothing to store', async () => {
    const log = captureLog();
    const body = JSON.stringify({ ...forged, Sign: '0'.repeat(32), T: '__T__' }).replace('"__T__"', nestedJson(5_000, 'array'));
    const before = await rowCount();
    const result = await handleCallback(callbackRequest(body), deps({ log }));
    expect(result.status).toBe(401);
    expect(log.deadLetters()).toEqual([]);
    expect(await rowCount()).toBe(before);
    expect((await replay(log.lines, { store: fixture.store, clock })).stored).toBe(0);
  });

  it('answers a request whose method is not a string with 405, not 503', async () => {
    const log = captureLog();
    const request = { ...callbackRequest(signed(forged, SIGN_KEY, ahead())), method: 42 } as unknown as CallbackRequest;
    const result = await handleCallback(request, deps({ log }));
    expect(result.status).toBe(405);
    expect(log.deadLetters()).toEqual([]);
  });

  it('answers 401 when reading the request itself throws, whatever the adapter built', async () => {
    const log = captureLog();
    const exploding = {
      method: 'POST',
      path: '/',
      headers: null,
      get body(): Buffer {
        throw new RangeError('adapter bug');
      },
    };
    const result = await handleCallback(exploding as unknown as CallbackRequest, deps({ log }));
    expect(result.status).toBe(401);
    expect(log.deadLetters()).toEqual([]);
  });
});

describe('defect 2: a bad unrelated variable does not switch signing off', () => {
  const env = {
    DATABASE_URL: 'postgres://vod:pw@127.0.0.1:1/vod',
    VOD_CALLBACK_SIGN_KEY: SIGN_KEY,
    CALLBACK_MAX_BODY_BYTES: '1MB',
  };
  const post = (body: string): ScfApiGatewayEvent => ({ httpMethod: 'POST', path: '/', headers: {}, body });

  it('refuses an unsigned forged body with 401 and logs no dead letter', async () => {
    const log = captureLog();
    const result = await callbackHandlerFromEnv(env, log)(post(JSON.stringify(forged)));
    expect(result.statusCode).toBe(401);
    expect(log.deadLetters()).toEqual([]);
  });

  it('dead-letters a correctly signed body as verified', async () => {
    const log = captureLog();
    const result = await callbackHandlerFromEnv(env, log)(post(JSON.stringify(signed(forged, SIGN_KEY, Date.now() + 600_000))));
    expect(result.statusCode).toBe(503);
    expect(log.deadLetters()).toMatchObject([{ verified: true }]);
  });

  it('marks dead letters unverified when the key variable itself cannot be read, and replay refuses them without the flag', async () => {
    const log = captureLog();
    const handler = callbackHandlerFromEnv({ ...env, VOD_CALLBACK_SIGN_KEY: 'a,b,c' }, log);
    const result = await handler(post(JSON.stringify(forged)));
    expect(result.statusCode).toBe(503);
    expect(log.deadLetters()).toMatchObject([{ verified: false }]);
    const before = await rowCount();
    const summary = await replay(log.lines, { store: fixture.store, clock });
    expect(summary.stored).toBe(0);
    expect(summary.skipped.map((s) => s.reason)).toContainEqual(expect.stringMatching(/not verified.*--accept-unverified/));
    expect(await rowCount()).toBe(before);
    expect((await replay(log.lines, { store: fixture.store, clock, acceptUnverified: true })).stored).toBe(1);
  });
});

describe('defect 3: dead letters carry no reusable Sign/T pair', () => {
  it('strips Sign and T from the logged body and records that and when it was verified', async () => {
    const log = captureLog();
    const down = () => Promise.reject(new Error('store down'));
    const content = signed(seeds.pullComplete003Callback, SIGN_KEY, ahead());
    const result = await handleCallback(callbackRequest(content), deps({ log, store: down }));
    expect(result.status).toBe(503);
    const [letter] = log.deadLetters();
    const payload = JSON.parse(String(letter!.payload)) as Record<string, unknown>;
    expect(payload).toEqual(seeds.pullComplete003Callback);
    expect(letter!.verified).toBe(true);
    expect(letter!.verifiedAt).toBe(new Date(clock.now()).toISOString());
    expect(log.lines.join('\n')).not.toContain(String(content.Sign));
  });
});

describe('defect 9: error bodies and log lines echo only a short prefix of the input', () => {
  it('answers a 1 MB T with a short 401 and a short log line', async () => {
    const log = captureLog();
    const result = await handleCallback(
      callbackRequest({ ...forged, Sign: '0'.repeat(32), T: 'x'.repeat(1 << 20) }),
      deps({ log }),
    );
    expect(result.status).toBe(401);
    expect(result.body.length).toBeLessThan(512);
    expect(Math.max(...log.lines.map((line) => line.length))).toBeLessThan(1024);
  });
});

describe('defect 11: a verified object of no known shape is stored, as Unknown', () => {
  it('answers 200 and stores it', async () => {
    const content = { Something: { New: 'from VOD' } };
    const result = await handleCallback(callbackRequest(signed(content, SIGN_KEY, ahead())), deps());
    expect(result.status).toBe(200);
    const [row] = await fixture.sql.query<{ event_type: string }>('SELECT event_type FROM vod_events WHERE id = $1', [
      answerJson(result).id,
    ]);
    expect(row).toEqual({ event_type: 'Unknown' });
  });

  it('still refuses an unsigned one with 401, and answers 400 to JSON that is not an object', async () => {
    expect((await handleCallback(callbackRequest({ Something: 1 }), deps())).status).toBe(401);
    expect((await handleCallback(callbackRequest([1, 2]), deps())).status).toBe(400);
  });
});

describe('a signature pair belongs to the events it came with', () => {
  it("refuses the same Sign/T with another body once the pair is older than VOD's same-second sharing (401, suspected forgery), and accepts VOD retries", async () => {
    const log = captureLog();
    const t = ahead() + 1000;
    const first = signed({ EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['pair-1'] } }, SIGN_KEY, t);
    const sameSecond = { ...first, FileDeleteEvent: { FileIdSet: ['pair-2'] } };
    const forgedLater = { ...first, FileDeleteEvent: { FileIdSet: ['pair-forged'] } };
    expect((await handleCallback(callbackRequest(first), deps({ log }))).status).toBe(200);
    // VOD signs every event of one second with the same T, hence the same pair.
    expect((await handleCallback(callbackRequest(sameSecond), deps({ log }))).status).toBe(200);
    clock.advance(PAIR_SHARING_MS + 1000);
    const retry = await handleCallback(callbackRequest(sameSecond), deps({ log }));
    expect(retry.status).toBe(200);
    expect(answerJson(retry).duplicate).toBe(true);
    const before = await rowCount();
    const reuse = await handleCallback(callbackRequest(forgedLater), deps({ log }));
    expect(reuse.status).toBe(401);
    expect(await rowCount()).toBe(before);
    expect(log.entries().some((entry) => /suspected forgery/.test(String(entry.message)))).toBe(true);
    expect(log.deadLetters()).toEqual([]);
    // Kept for an operator's judgement, without its pair, and refused by replay unless told otherwise.
    const quarantined = log.entries().find((entry) => entry.quarantined === true)!;
    expect(quarantined).toMatchObject({ verified: false });
    expect(String(quarantined.payload)).not.toContain(String(first.Sign));
    expect((await replay(log.lines, { store: fixture.store, clock })).stored).toBe(0);
  });
});

describe('defect 6: replaying the same dead-letter line again adds nothing', () => {
  it('keeps delivery_count at one over three replays', async () => {
    const log = captureLog();
    const content = { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['replayed-thrice'] } };
    await handleCallback(
      callbackRequest(signed(content, SIGN_KEY, ahead())),
      deps({ log, store: () => Promise.reject(new Error('down')) }),
    );
    expect(log.deadLetters()).toHaveLength(1);
    for (let i = 0; i < 3; i++) await replay(log.lines, { store: fixture.store, clock });
    const id = normalize(content, { source: 'callback' }).id;
    const [row] = await fixture.sql.query<{ delivery_count: number }>('SELECT delivery_count FROM vod_events WHERE id = $1', [
      id,
    ]);
    expect(row).toEqual({ delivery_count: 1 });
  });
});

describe('defect 7: numbers keep their precision in the dedupe key and the stored payload', () => {
  const body = (fileSize: string) =>
    `{"EventType":"NewFileUpload","FileUploadEvent":{"FileId":"big-int","Size":${fileSize}},"T":"__T__","Sign":"__S__"}`;
  const signedText = (text: string) => {
    const { Sign, T } = signed({}, SIGN_KEY, ahead());
    return text.replace('"__T__"', String(T)).replace('__S__', String(Sign));
  };
  const payloadText = async (id: unknown) =>
    (await fixture.sql.query<{ payload: string }>('SELECT payload::text AS payload FROM vod_events WHERE id = $1', [id]))[0]!
      .payload;

  it('stores two bodies that differ only in an integer above 2^53 as two rows, each with the integer sent', async () => {
    const a = await handleCallback(callbackRequest(signedText(body('9007199254740993'))), deps());
    // The same double as 9007199254740993: JSON.parse alone made these one row.
    const b = await handleCallback(callbackRequest(signedText(body('9007199254740992'))), deps());
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(answerJson(a).id).not.toBe(answerJson(b).id);
    expect(await payloadText(answerJson(a).id)).toContain('9007199254740993');
    expect(await payloadText(answerJson(b).id)).toContain('9007199254740992');
  });

  it('stores ±1e400 as the numbers sent, not null', async () => {
    const result = await handleCallback(callbackRequest(signedText(body('[1e400, -1E+400, 0.1, 1.50, 2]'))), deps());
    expect(result.status).toBe(200);
    expect(await payloadText(answerJson(result).id)).toMatch(
      /"Size": \[1e\+?400, -1e\+?400, 0\.1, 1\.5, 2\]|"Size": \[1(0{400}), -1(0{400}), 0\.1, 1\.5, 2\]/i,
    );
  });

  it('gives numbers a double holds exactly the key JSON.parse gives them, so pull and callback still meet', async () => {
    const text = signedText(body('[1.50, 100, 1e2, -0, 0.30000000000000004]'));
    const result = await handleCallback(callbackRequest(text), deps());
    expect(answerJson(result).id).toBe(normalize(JSON.parse(text), { source: 'callback' }).id);
  });
});
