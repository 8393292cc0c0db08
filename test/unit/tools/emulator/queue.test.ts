import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../lib/clock';
import { EventQueues, type QueueKey } from '../../../../tools/emulator/queue';

const manualClock = (start = 1_700_000_000_000) => {
  let now = start;
  const clock: Clock = { now: () => now, sleep: async () => {}, timeout: () => new AbortController().signal };
  return { clock, advance: (ms: number) => (now += ms) };
};
const main: QueueKey = { format: 'v3', subAppId: undefined };
const events = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ EventType: 'NewFileUpload', FileUploadEvent: { FileId: String(i) } }));

describe('Class: EventQueues', () => {
  it('hands out at most `max` events, oldest first, each with a distinct handle', () => {
    // Prepare
    const queues = new EventQueues(manualClock().clock, 30_000);
    queues.enqueue(main, events(20));

    // Act
    const first = queues.pull(main, 16);
    const second = queues.pull(main, 16);

    // Assess
    expect(first.map((d) => (d.content.FileUploadEvent as { FileId: string }).FileId)).toEqual(
      events(16).map((e) => e.FileUploadEvent.FileId),
    );
    expect(second).toHaveLength(4);
    expect(new Set([...first, ...second].map((d) => d.handle)).size).toBe(20);
    expect(queues.counts()).toEqual({ pending: 0, inflight: 20, confirmed: 0, delivered: 20 });
  });

  it('redelivers an unconfirmed event with a new handle once its handle expires, and rejects the old handle', () => {
    // Prepare
    const { clock, advance } = manualClock();
    const queues = new EventQueues(clock, 30_000);
    queues.enqueue(main, events(1));
    const [first] = queues.pull(main, 16);

    // Act
    advance(29_999);
    const tooEarly = queues.pull(main, 16);
    advance(1);
    const [again] = queues.pull(main, 16);
    const stale = queues.confirm(main, [first!.handle]);
    const fresh = queues.confirm(main, [again!.handle]);

    // Assess
    expect(tooEarly).toEqual([]);
    expect(again!.content).toEqual(first!.content);
    expect(again!.handle).not.toBe(first!.handle);
    expect(stale).toEqual({ confirmed: [], rejected: [first!.handle] });
    expect(fresh).toEqual({ confirmed: [again!.handle], rejected: [] });
    expect(queues.counts()).toEqual({ pending: 0, inflight: 0, confirmed: 1, delivered: 2 });
  });

  it('makes an expired event pending again at confirm time, not only at pull time', () => {
    const { clock, advance } = manualClock();
    const queues = new EventQueues(clock, 1000);
    queues.enqueue(main, events(1));
    const [delivery] = queues.pull(main, 16);
    advance(1000);

    expect(queues.confirm(main, [delivery!.handle]).rejected).toEqual([delivery!.handle]);
    expect(queues.counts()).toMatchObject({ pending: 1, inflight: 0 });
  });

  it('never hands out a confirmed event again, and confirms a handle twice without error', () => {
    const { clock, advance } = manualClock();
    const queues = new EventQueues(clock, 1000);
    queues.enqueue(main, events(1));
    const [delivery] = queues.pull(main, 16);

    queues.confirm(main, [delivery!.handle]);
    advance(10_000);

    expect(queues.pull(main, 16)).toEqual([]);
    expect(queues.confirm(main, [delivery!.handle])).toEqual({ confirmed: [delivery!.handle], rejected: [] });
    expect(queues.counts().confirmed).toBe(1);
  });

  it('confirms the valid handles of a partly invalid list and names the others', () => {
    const queues = new EventQueues(manualClock().clock, 1000);
    queues.enqueue(main, events(2));
    const [a, b] = queues.pull(main, 16);

    expect(queues.confirm(main, [a!.handle, 'nope', b!.handle])).toEqual({
      confirmed: [a!.handle, b!.handle],
      rejected: ['nope'],
    });
  });

  it('keeps SubAppIds and payload generations apart', () => {
    // Prepare
    const queues = new EventQueues(manualClock().clock, 1000);
    const sub: QueueKey = { format: 'v3', subAppId: 42 };
    const legacy: QueueKey = { format: 'v2-legacy', subAppId: undefined };
    queues.enqueue(sub, events(1));
    queues.enqueue(legacy, [{ status: 0, task: 'concatfile' }]);

    // Act
    const fromMain = queues.pull(main, 16);
    const [fromSub] = queues.pull(sub, 16);
    const [fromLegacy] = queues.pull(legacy, 16);
    const crossConfirm = queues.confirm(main, [fromSub!.handle]);

    // Assess
    expect(fromMain).toEqual([]);
    expect(fromSub!.content).toEqual(events(1)[0]);
    expect(fromLegacy!.content).toEqual({ status: 0, task: 'concatfile' });
    expect(crossConfirm.rejected).toEqual([fromSub!.handle]);
  });

  it('wakes a waiter when events arrive', async () => {
    const queues = new EventQueues(manualClock().clock, 1000);
    const waiting = queues.waitForEvents(main, 60_000, new AbortController().signal);

    queues.enqueue(main, events(1));

    await expect(waiting).resolves.toBeUndefined();
    expect(queues.pull(main, 16)).toHaveLength(1);
  });
});
