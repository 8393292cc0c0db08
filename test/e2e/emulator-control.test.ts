import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../tools/emulator';
import { control, sdkClient, startTestEmulator, v2Call } from '../helpers/emulator';

let emulator: RunningEmulator;
afterEach(() => emulator?.close());

const event = { EventType: 'FileDeleted', FileDeleteEvent: { FileIdSet: ['1'] } };

describe('Emulator: control API', () => {
  it('queues an array of v3 contents, dropping any EventHandle', async () => {
    emulator = await startTestEmulator();

    const answer = await control(emulator, 'POST', 'events', [{ EventHandle: 'copied-from-a-pull', ...event }, event]);
    const pulled = await sdkClient(emulator).PullEvents({});

    expect(answer).toEqual({ status: 200, body: { enqueued: 2 } });
    expect(pulled.EventSet!.map(({ EventHandle: _, ...content }) => content)).toEqual([event, event]);
    expect(pulled.EventSet![0]!.EventHandle).not.toBe('copied-from-a-pull');
  });

  it('queues v2 and v2-legacy contents for a SubAppId', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    const legacy = { status: 0, message: '', task: 'concatfile', data: { vod_task_id: 'X' } };

    await control(emulator, 'POST', 'events', { format: 'v2-legacy', subAppId: 7, events: [legacy] });

    expect(await v2Call(emulator, 'PullVodEvent')).toMatchObject({ code: 4000 });
    expect(await v2Call(emulator, 'PullVodEvent', { SubAppId: '7' })).toMatchObject({
      code: 0,
      eventList: [{ eventContent: legacy }],
    });
  });

  it.each([
    ['not JSON', '{', 'body is not valid JSON'],
    [
      'an object without events',
      { format: 'v3' },
      'expected an array of v3 event contents, or {"format": "v3"|"v2"|"v2-legacy", "events": [...], "subAppId"?: n}',
    ],
    ['a non-object event', [event, 3], 'events[1] must be a JSON object'],
    ['an unknown format', { format: 'v4', events: [] }, 'format must be one of v3 | v2 | v2-legacy, got "v4"'],
    ['a bad subAppId', { subAppId: -1, events: [] }, 'subAppId must be a positive integer, got -1'],
  ])('refuses %s with 400', async (_, body, error) => {
    emulator = await startTestEmulator();
    const response = await fetch(`${emulator.url}/_emulator/events`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 400, body: { error } });
    expect(emulator.stats().pending).toBe(0);
  });

  it('reports stats and resets queues and counters', async () => {
    // Prepare
    emulator = await startTestEmulator({ faults: { ConfirmEvents: { latencyMs: 1 } } });
    emulator.enqueue([event, event, event]);
    const client = sdkClient(emulator);
    const [first] = (await client.PullEvents({})).EventSet!;
    await client.ConfirmEvents({ EventHandles: [first!.EventHandle!] });

    // Act
    const before = await control(emulator, 'GET', 'stats');
    const reset = await control(emulator, 'POST', 'reset');

    // Assess
    expect(before.body).toEqual({
      pending: 0,
      inflight: 2,
      confirmed: 1,
      delivered: 3,
      calls: { PullEvents: 1, ConfirmEvents: 1 },
      errors: {},
      faults: { latency: 1, error: 0, hang: 0, lostConfirm: 0 },
    });
    expect(reset.body).toEqual({
      pending: 0,
      inflight: 0,
      confirmed: 0,
      delivered: 0,
      calls: {},
      errors: {},
      faults: { latency: 0, error: 0, hang: 0, lostConfirm: 0 },
    });
  });

  it('answers 404 naming the endpoints for an unknown path', async () => {
    emulator = await startTestEmulator();
    const answer = await control(emulator, 'GET', 'nope');
    expect(answer.status).toBe(404);
    expect(answer.body.error).toContain('POST events');
  });
});
