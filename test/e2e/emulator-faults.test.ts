import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../tools/emulator';
import { control, manualClock, sdkClient, sdkError, startTestEmulator } from '../helpers/emulator';

let emulator: RunningEmulator;
afterEach(() => emulator?.close());

const oneEvent = [{ EventType: 'NewFileUpload', FileUploadEvent: { FileId: '1' } }];

describe('Emulator: fault injection', () => {
  it('adds latency to the chosen action', async () => {
    emulator = await startTestEmulator({ faults: { PullEvents: { latencyMs: 400 } } });
    emulator.enqueue(oneEvent);

    const started = performance.now();
    const pulled = await sdkClient(emulator).PullEvents({});
    const elapsed = performance.now() - started;

    expect(pulled.EventSet).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(emulator.stats().faults).toEqual({ latency: 1, error: 0, hang: 0, lostConfirm: 0 });
  });

  it('answers the chosen error code and hands nothing out', async () => {
    emulator = await startTestEmulator({ faults: { '*': { errorRate: 1, errorCode: 'FailedOperation' } } });
    emulator.enqueue(oneEvent);

    const error = await sdkError(sdkClient(emulator).PullEvents({}));

    expect(error).toMatchObject({ code: 'FailedOperation', message: expect.stringContaining('Injected fault') });
    expect(emulator.stats()).toMatchObject({ pending: 1, delivered: 0, faults: { error: 1 }, errors: { FailedOperation: 1 } });
  });

  it('hangs past the client timeout without handing the event out', async () => {
    emulator = await startTestEmulator({ faults: { PullEvents: { hangRate: 1 } } });
    emulator.enqueue(oneEvent);

    const error = await sdkError(sdkClient(emulator, { reqTimeoutSeconds: 1 }).PullEvents({}));

    // A network-level failure: the SDK's exception carries no API code.
    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/timeout/i);
    expect(emulator.stats()).toMatchObject({ pending: 1, delivered: 0, faults: { hang: 1 } });
  });

  it('drops a hung connection after hangMs when the client waits longer', async () => {
    emulator = await startTestEmulator({ hangMs: 200, faults: { PullEvents: { hangRate: 1 } } });

    const error = await sdkError(sdkClient(emulator, { reqTimeoutSeconds: 30 }).PullEvents({}));

    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/socket hang up|ECONNRESET/i);
  });

  it('reports a lost confirm as success, then redelivers the event when its handle expires', async () => {
    // Prepare
    const { clock, advance } = manualClock();
    emulator = await startTestEmulator({ clock, longPollMs: 0, faults: { ConfirmEvents: { lostConfirmRate: 1 } } });
    emulator.enqueue(oneEvent);
    const client = sdkClient(emulator);
    const [event] = (await client.PullEvents({})).EventSet!;

    // Act
    const confirmed = await client.ConfirmEvents({ EventHandles: [event!.EventHandle!] });
    const statsAfterConfirm = emulator.stats();
    advance(30_000);
    const again = await client.PullEvents({});

    // Assess
    expect(confirmed.RequestId).toEqual(expect.any(String));
    expect(statsAfterConfirm).toMatchObject({ inflight: 1, confirmed: 0, faults: { lostConfirm: 1 } });
    expect(again.EventSet![0]!.FileUploadEvent).toEqual(oneEvent[0]!.FileUploadEvent);
  });

  it('replays the same outcomes from the same seed', async () => {
    // Prepare
    const outcomes = async (seed: number) => {
      const instance = await startTestEmulator({
        seed,
        longPollMs: 0,
        emptyAnswer: 'empty-list',
        faults: { '*': { errorRate: 0.5 } },
      });
      const client = sdkClient(instance);
      const codes: string[] = [];
      for (let i = 0; i < 20; i++)
        codes.push(
          await client.PullEvents({}).then(
            () => 'ok',
            (error: { code: string }) => error.code,
          ),
        );
      await instance.close();
      return codes;
    };

    // Act
    const [first, second, other] = [await outcomes(42), await outcomes(42), await outcomes(43)];

    // Assess
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'InternalError']));
  });

  it('takes a new fault plan at runtime through the control API, and refuses a bad one naming the field', async () => {
    emulator = await startTestEmulator({ longPollMs: 0 });
    const client = sdkClient(emulator);

    const set = await control(emulator, 'POST', 'faults', { PullEvents: { errorRate: 1, errorCode: 'InternalError' } });
    const failing = await sdkError(client.PullEvents({}));
    const bad = await control(emulator, 'POST', 'faults', { PullEvents: { errorRate: 7 } });
    const current = await control(emulator, 'GET', 'faults');
    await control(emulator, 'POST', 'faults', {});
    const healed = await sdkError(client.PullEvents({}));

    expect(set).toEqual({ status: 200, body: { PullEvents: { errorRate: 1, errorCode: 'InternalError' } } });
    expect(failing.code).toBe('InternalError');
    expect(bad).toEqual({ status: 400, body: { error: 'PullEvents.errorRate: expected a number from 0 to 1' } });
    expect(current.body).toEqual({ PullEvents: { errorRate: 1, errorCode: 'InternalError' } });
    expect(healed.code).toBe('ResourceNotFound');
  });

  it('refuses a bad plan given to setFaults or at start', async () => {
    emulator = await startTestEmulator();
    expect(() => emulator.setFaults({ '*': { hangRate: -1 } })).toThrow('faults: *.hangRate: expected a number from 0 to 1');
    await expect(startTestEmulator({ faults: { '*': { latencyMs: 1.5 } } })).rejects.toThrow(/latencyMs/);
  });
});
