import { afterEach, describe, expect, it } from 'vitest';
import { vod } from 'tencentcloud-sdk-nodejs-vod';
import type { RunningEmulator } from '../../tools/emulator';
import { manualClock, sdkClient, sdkError, startTestEmulator, TEST_CREDENTIAL } from '../helpers/emulator';

/** Shaped like seeds/001 and seeds/003: nulls, nesting, non-ASCII text. */
const SEED_EVENTS = [
  {
    EventType: 'NewFileUpload',
    FileUploadEvent: {
      FileId: '5285890784273533167',
      MediaBasicInfo: { Name: 'small2', ClassName: '其他', TagSet: [], SourceInfo: { SourceType: 'Upload', SourceContext: '' } },
      ProcedureTaskId: '',
    },
    ProcedureStateChangeEvent: null,
    FileDeleteEvent: null,
  },
  {
    EventType: 'PullComplete',
    PullCompleteEvent: {
      TaskId: '125676836723-Pull-f5ac8127b3b6b85cdc13f237c6005d8',
      Status: 'FINISH',
      ErrCode: 0,
      Message: 'SUCCESS',
      FileUrl: 'http://x/y.mp4',
    },
  },
];

let emulator: RunningEmulator;
afterEach(() => emulator?.close());

const withoutHandle = ({ EventHandle: _, ...content }: Record<string, unknown>) => content;
const fileIds = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: `f${i}` } }));

describe('Emulator: v3 API through the official SDK', () => {
  it('delivers events unchanged, each with a handle, and never again once confirmed', async () => {
    // Prepare
    emulator = await startTestEmulator({ longPollMs: 100 });
    emulator.enqueue(SEED_EVENTS);
    const client = sdkClient(emulator);

    // Act
    const pulled = await client.PullEvents({});
    const handles = pulled.EventSet!.map((event) => event.EventHandle!);
    const confirmed = await client.ConfirmEvents({ EventHandles: handles });
    const after = await sdkError(client.PullEvents({}));

    // Assess
    expect(pulled.EventSet!.map((event) => withoutHandle(event as Record<string, unknown>))).toEqual(SEED_EVENTS);
    expect(handles.every((handle) => typeof handle === 'string' && handle.length > 0)).toBe(true);
    expect(typeof pulled.RequestId).toBe('string');
    expect(confirmed).toEqual({ RequestId: expect.any(String) });
    expect(after).toMatchObject({ code: 'ResourceNotFound', message: 'no event' });
    expect(emulator.stats()).toMatchObject({
      pending: 0,
      inflight: 0,
      confirmed: 2,
      delivered: 2,
      calls: { PullEvents: 2, ConfirmEvents: 1 },
    });
  });

  it('hands out at most 16 events per pull', async () => {
    emulator = await startTestEmulator();
    emulator.enqueue(fileIds(20));
    const client = sdkClient(emulator);

    const first = await client.PullEvents({});
    const second = await client.PullEvents({});

    expect(first.EventSet).toHaveLength(16);
    expect(second.EventSet).toHaveLength(4);
  });

  it('rejects a wrong secret key with AuthFailure.SignatureFailure', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator, { credential: { ...TEST_CREDENTIAL, secretKey: 'wrong' } });

    const error = await sdkError(client.PullEvents({}));

    expect(error.code).toBe('AuthFailure.SignatureFailure');
    expect(error.requestId).not.toBe('');
  });

  it('rejects an unknown secret id with AuthFailure.SecretIdNotFound', async () => {
    emulator = await startTestEmulator();
    const error = await sdkError(sdkClient(emulator, { credential: { secretId: 'AKIDunknown', secretKey: 'x' } }).PullEvents({}));
    expect(error.code).toBe('AuthFailure.SecretIdNotFound');
  });

  it('requires the session token of temporary credentials (X-TC-Token)', async () => {
    const temporary = { secretId: 'AKIDtemporary', secretKey: 'temporary-key', token: 'session-token' };
    emulator = await startTestEmulator({ credentials: [temporary], longPollMs: 0, emptyAnswer: 'empty-list' });

    const withToken = await sdkClient(emulator, { credential: temporary }).PullEvents({});
    const withoutToken = await sdkError(sdkClient(emulator, { credential: { ...temporary, token: undefined } }).PullEvents({}));

    expect(withToken.EventSet).toEqual([]);
    expect(withoutToken.code).toBe('AuthFailure.TokenFailure');
  });

  it('rejects a request timestamped more than 5 minutes from its clock with AuthFailure.SignatureExpire', async () => {
    emulator = await startTestEmulator({ clock: manualClock(Date.now() + 301_000).clock });
    const error = await sdkError(sdkClient(emulator).PullEvents({}));
    expect(error.code).toBe('AuthFailure.SignatureExpire');
  });

  it('answers GET requests and non-TC3 signing with UnsupportedOperation', async () => {
    emulator = await startTestEmulator();
    const endpoint = new URL(emulator.url).host;
    const get = new vod.v20180717.Client({
      credential: TEST_CREDENTIAL,
      region: '',
      profile: { httpProfile: { endpoint, protocol: 'http://', reqMethod: 'GET' } },
    });
    const hmac = new vod.v20180717.Client({
      credential: TEST_CREDENTIAL,
      region: '',
      profile: { signMethod: 'HmacSHA256', httpProfile: { endpoint, protocol: 'http://' } },
    });

    expect((await sdkError(get.PullEvents({}))).code).toBe('UnsupportedOperation');
    expect((await sdkError(hmac.PullEvents({}))).code).toBe('UnsupportedOperation');
  });

  it('counts the pending events of a queue in DescribeEventsState', async () => {
    emulator = await startTestEmulator();
    emulator.enqueue(fileIds(3));
    emulator.enqueue(fileIds(2), { subAppId: 9 });
    const client = sdkClient(emulator);
    await client.PullEvents({ SubAppId: 9 });

    expect((await client.DescribeEventsState({})).CountOfEventsToPull).toBe(3);
    expect((await client.DescribeEventsState({ SubAppId: 9 })).CountOfEventsToPull).toBe(0);
  });

  it('answers InvalidAction for an action it does not serve and UnknownParameter for a stray parameter', async () => {
    emulator = await startTestEmulator();
    const client = sdkClient(emulator);

    expect((await sdkError(client.request('DescribeMediaInfos', {}))).code).toBe('InvalidAction');
    expect((await sdkError(client.PullEvents({ Foo: 1 } as never))).code).toBe('UnknownParameter');
  });

  describe.each([
    ['resource-not-found', undefined],
    ['empty-list', []],
    ['null', null],
  ] as const)('an empty long poll with emptyAnswer %s', (emptyAnswer, eventSet) => {
    it(
      eventSet === undefined ? 'throws ResourceNotFound "no event" from the SDK' : `answers EventSet ${JSON.stringify(eventSet)}`,
      async () => {
        emulator = await startTestEmulator({ longPollMs: 50, emptyAnswer });
        const client = sdkClient(emulator);

        if (eventSet === undefined) {
          // The SDK throws TencentCloudSDKHttpException: an Error whose `code` is the API's.
          const error: unknown = await client.PullEvents({}).catch((thrown: unknown) => thrown);
          expect(error).toBeInstanceOf(Error);
          expect(error).toMatchObject({ code: 'ResourceNotFound', message: 'no event', requestId: expect.any(String) });
        } else {
          expect(await client.PullEvents({})).toEqual({ EventSet: eventSet, RequestId: expect.any(String) });
        }
      },
    );
  });

  it('holds an empty pull for the long-poll time and returns early when an event arrives', async () => {
    // Prepare
    emulator = await startTestEmulator({ longPollMs: 4000 });
    const client = sdkClient(emulator);
    const shortEmulator = await startTestEmulator({ longPollMs: 400 });

    // Act
    const started = performance.now();
    const pulling = client.PullEvents({});
    setTimeout(() => emulator.enqueue(fileIds(1)), 200);
    const pulled = await pulling;
    const earlyMs = performance.now() - started;
    const emptyStarted = performance.now();
    const empty = await sdkError(sdkClient(shortEmulator).PullEvents({}));
    const emptyMs = performance.now() - emptyStarted;
    await shortEmulator.close();

    // Assess: generous bounds, the machine may be loaded.
    expect(pulled.EventSet).toHaveLength(1);
    expect(earlyMs).toBeLessThan(3000);
    expect(empty.code).toBe('ResourceNotFound');
    expect(emptyMs).toBeGreaterThanOrEqual(350);
  });

  it('redelivers an event whose handle expired, and rejects the expired handle', async () => {
    // Prepare
    const { clock, advance } = manualClock();
    emulator = await startTestEmulator({ clock, longPollMs: 0 });
    emulator.enqueue(SEED_EVENTS.slice(0, 1));
    const client = sdkClient(emulator);
    const [first] = (await client.PullEvents({})).EventSet!;

    // Act
    advance(29_000);
    const beforeExpiry = await sdkError(client.PullEvents({}));
    advance(1_000);
    const [again] = (await client.PullEvents({})).EventSet!;
    const stale = await sdkError(client.ConfirmEvents({ EventHandles: [first!.EventHandle!] }));
    await client.ConfirmEvents({ EventHandles: [again!.EventHandle!] });

    // Assess
    expect(beforeExpiry.code).toBe('ResourceNotFound');
    expect(withoutHandle(again as Record<string, unknown>)).toEqual(SEED_EVENTS[0]);
    expect(again!.EventHandle).not.toBe(first!.EventHandle);
    expect(stale.code).toBe('InvalidParameterValue');
    expect(stale.message).toContain(first!.EventHandle);
    expect(emulator.stats()).toMatchObject({ pending: 0, inflight: 0, confirmed: 1, delivered: 2 });
  });

  it('refuses more than 16 handles per confirm and confirms none of them', async () => {
    emulator = await startTestEmulator();
    emulator.enqueue(fileIds(17));
    const client = sdkClient(emulator);
    const handles = [...(await client.PullEvents({})).EventSet!, ...(await client.PullEvents({})).EventSet!].map(
      (event) => event.EventHandle!,
    );

    const error = await sdkError(client.ConfirmEvents({ EventHandles: handles }));

    expect(handles).toHaveLength(17);
    expect(error.code).toBe('InvalidParameterValue');
    expect(emulator.stats()).toMatchObject({ inflight: 17, confirmed: 0 });
  });

  it('confirms the valid handles of a partly invalid list and names the invalid ones in InvalidParameterValue', async () => {
    emulator = await startTestEmulator();
    emulator.enqueue(fileIds(2));
    const client = sdkClient(emulator);
    const handles = (await client.PullEvents({})).EventSet!.map((event) => event.EventHandle!);

    const error = await sdkError(client.ConfirmEvents({ EventHandles: [handles[0]!, 'bogus-handle', handles[1]!] }));
    const retry = await client.ConfirmEvents({ EventHandles: handles });

    expect(error.code).toBe('InvalidParameterValue');
    expect(error.message).toContain('bogus-handle');
    expect(retry.RequestId).toEqual(expect.any(String));
    expect(emulator.stats()).toMatchObject({ inflight: 0, confirmed: 2 });
  });

  it('keeps SubAppId queues apart', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    emulator.enqueue(fileIds(1), { subAppId: 1500000001 });
    const client = sdkClient(emulator);

    const main = await sdkError(client.PullEvents({}));
    const sub = await client.PullEvents({ SubAppId: 1500000001 });
    const crossConfirm = await sdkError(client.ConfirmEvents({ EventHandles: [sub.EventSet![0]!.EventHandle!] }));

    expect(main.code).toBe('ResourceNotFound');
    expect(sub.EventSet).toHaveLength(1);
    expect(crossConfirm.code).toBe('InvalidParameterValue');
  });

  it('answers RequestLimitExceeded past the per-action rate limit', async () => {
    // Prepare: a still clock, so no token refills during the test.
    emulator = await startTestEmulator({ clock: manualClock().clock, maxQps: 3, longPollMs: 0, emptyAnswer: 'empty-list' });
    const client = sdkClient(emulator);

    // Act
    const pulls = [];
    for (let i = 0; i < 5; i++)
      pulls.push(
        await client.PullEvents({}).then(
          () => 'ok',
          (error: { code: string }) => error.code,
        ),
      );
    const confirm = await sdkError(client.ConfirmEvents({ EventHandles: ['x'] }));

    // Assess
    expect(pulls).toEqual(['ok', 'ok', 'ok', 'RequestLimitExceeded', 'RequestLimitExceeded']);
    expect(confirm.code).toBe('InvalidParameterValue');
    expect(emulator.stats().errors).toMatchObject({ RequestLimitExceeded: 2 });
  });
});
