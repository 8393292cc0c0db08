import { afterEach, describe, expect, it } from 'vitest';
import { V2_HOST, type RunningEmulator } from '../../tools/emulator';
import { sdkClient, sdkError, startTestEmulator, TEST_CREDENTIAL, v2Call } from '../helpers/emulator';

/** seeds/002 and seeds/000 contents. */
const V2_EVENT = {
  version: '4.0',
  eventType: 'NewFileUpload',
  data: {
    fileId: '14508071098244959037',
    fileUrl: 'http://251000330.vod2.myqcloud.com/vod251000330/14508071098244959037/f0.flv',
  },
};
const LEGACY_EVENT = { status: 0, message: '', task: 'concatfile', data: { vod_task_id: 'XXXX' } };

let emulator: RunningEmulator;
afterEach(() => emulator?.close());

describe('Emulator: v2 API', () => {
  it('serves PullEvent/ConfirmEvent signed with HmacSHA1 over GET', async () => {
    // Prepare
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue([V2_EVENT], { format: 'v2' });

    // Act
    const pulled = await v2Call(emulator, 'PullEvent', {}, { signatureMethod: 'HmacSHA1' });
    const [entry] = pulled.eventList as { msgHandle: string; eventContent: unknown }[];
    const confirmed = await v2Call(
      emulator,
      'ConfirmEvent',
      { 'msgHandle.1': entry!.msgHandle },
      { signatureMethod: 'HmacSHA1' },
    );
    const empty = await v2Call(emulator, 'PullEvent');

    // Assess
    expect(pulled).toEqual({ code: 0, message: '', eventList: [{ msgHandle: expect.any(String), eventContent: V2_EVENT }] });
    expect(confirmed).toEqual({ code: 0, message: '' });
    expect(empty).toEqual({ code: 4000, message: 'no event' });
    expect(emulator.stats()).toMatchObject({ confirmed: 1, calls: { PullEvent: 2, ConfirmEvent: 1 } });
  });

  it('serves PullVodEvent/ConfirmVodEvent signed with HmacSHA256 over POST', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue([LEGACY_EVENT, LEGACY_EVENT], { format: 'v2-legacy' });

    const pulled = await v2Call(emulator, 'PullVodEvent', {}, { method: 'POST', signatureMethod: 'HmacSHA256' });
    const handles = (pulled.eventList as { msgHandle: string }[]).map((entry) => entry.msgHandle);
    const confirmed = await v2Call(
      emulator,
      'ConfirmVodEvent',
      { 'msgHandle.1': handles[0]!, 'msgHandle.2': handles[1]! },
      { method: 'POST', signatureMethod: 'HmacSHA256' },
    );

    expect(pulled).toMatchObject({ code: 0, eventList: [{ eventContent: LEGACY_EVENT }, { eventContent: LEGACY_EVENT }] });
    expect(confirmed).toEqual({ code: 0, message: '' });
    expect(emulator.stats()).toMatchObject({ pending: 0, inflight: 0, confirmed: 2 });
  });

  it('keeps the v2, v2-legacy and v3 queues apart', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue([V2_EVENT], { format: 'v2' });

    expect(await v2Call(emulator, 'PullVodEvent')).toEqual({ code: 4000, message: 'no event' });
    expect((await sdkError(sdkClient(emulator).PullEvents({}))).code).toBe('ResourceNotFound');
    expect(await v2Call(emulator, 'PullEvent')).toMatchObject({ code: 0, eventList: [{ eventContent: V2_EVENT }] });
  });

  it.each(['HmacSHA1', 'HmacSHA256'] as const)('rejects a bad %s signature with code 4100', async (signatureMethod) => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue([V2_EVENT], { format: 'v2' });

    const answer = await v2Call(
      emulator,
      'PullEvent',
      {},
      { signatureMethod, credential: { ...TEST_CREDENTIAL, secretKey: 'wrong' } },
    );

    expect(answer).toEqual({ code: 4100, message: 'signature verification failed' });
    expect(emulator.stats()).toMatchObject({ pending: 1, delivered: 0 });
  });

  it("accepts a signature made for VOD's real host", async () => {
    emulator = await startTestEmulator({ longPollMs: 0, emptyAnswer: 'empty-list' });
    expect(await v2Call(emulator, 'PullEvent', {}, { signedHost: V2_HOST })).toEqual({ code: 0, message: '', eventList: [] });
  });

  it('rejects a timestamp more than 5 minutes old with code 4500', async () => {
    emulator = await startTestEmulator();
    const answer = await v2Call(emulator, 'PullEvent', {}, { timestamp: Math.floor(Date.now() / 1000) - 400 });
    expect(answer.code).toBe(4500);
  });

  it('refuses more than 16 msgHandles, an unknown action, and names expired handles', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue([V2_EVENT], { format: 'v2' });
    const [entry] = (await v2Call(emulator, 'PullEvent')).eventList as { msgHandle: string }[];
    const seventeen = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`msgHandle.${i + 1}`, `h${i}`]));

    const tooMany = await v2Call(emulator, 'ConfirmEvent', seventeen);
    const unknown = await v2Call(emulator, 'DescribeTaskList');
    const partly = await v2Call(emulator, 'ConfirmEvent', { 'msgHandle.1': 'stale', 'msgHandle.2': entry!.msgHandle });

    expect(tooMany).toEqual({ code: 4000, message: 'msgHandle.N holds 17 handles; 1 to 16 are allowed' });
    expect(unknown).toMatchObject({ code: 4000, message: expect.stringContaining('DescribeTaskList') });
    expect(partly).toMatchObject({ code: 4000, message: expect.stringContaining('stale') });
    expect(emulator.stats()).toMatchObject({ confirmed: 1 });
  });

  it('answers an injected error with code 6000 and a rate-limited call with 4400', async () => {
    emulator = await startTestEmulator({ longPollMs: 0, maxQps: 1, faults: { PullEvent: { errorRate: 1 } } });

    const first = await v2Call(emulator, 'PullEvent');
    const second = await v2Call(emulator, 'PullEvent');

    expect(first).toEqual({ code: 6000, message: 'injected fault: InternalError' });
    expect(second.code).toBe(4400);
  });
});
