import { afterEach, describe, expect, it } from 'vitest';
import { RECHECK_MS } from '../../../lib/app/dispatch-while-following';
import { defineHandlers, type Handler } from '../../../lib/react/handler';
import { captureLog } from '../../helpers/callback-requests';
import { startDrainHarness, type DrainHarness } from '../../helpers/drain-harness';
import { v3EventBatch } from '../../helpers/v3-event-factory';

let harness: DrainHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records, per event, when its run started and how long after the event was stored. */
function startRecorder() {
  const starts = new Map<string, { at: number; afterStoredMs: number }>();
  const handler: Handler<unknown> = {
    name: 'record-start',
    timeoutMs: 1_000,
    async run({ event }) {
      const at = Date.now();
      starts.set(event.id, { at, afterStoredMs: at - event.firstReceivedAt.getTime() });
    },
  };
  return { starts, handlers: defineHandlers({ '*': [handler] }) };
}

// Real time: the emulator's long poll and PostgreSQL run on it, so the runtime keeps the system clock.
describe('pull-events in follow mode runs handlers while its pull window is open (emulator, PostgreSQL)', () => {
  it('starts the runs of events stored early in the window, and of events arriving later, before the window ends; every event is confirmed', async () => {
    harness = await startDrainHarness({ longPollMs: 1_000 });
    const windowMs = 4_000;
    // Shorter than the recheck: a run of the later batch that starts within it was woken by the drain's write.
    expect(windowMs).toBeLessThan(RECHECK_MS);
    const recorder = startRecorder();
    const log = captureLog();
    harness.emulator.enqueue(v3EventBatch(20, 51));
    const invokedAt = Date.now();
    const invocation = harness.invoke(
      { DRAIN_MODE: 'follow', DRAIN_BUDGET_MS: String(windowMs) },
      {},
      { handlers: recorder.handlers, log },
    );
    await sleep(1_500);
    harness.emulator.enqueue(v3EventBatch(5, 52));
    const result = await invocation;

    const rows = await harness.rows();
    expect(rows).toHaveLength(25);
    expect(result).toMatchObject({ pulled: 25, inserted: 25, confirmed: 25, unconfirmed: 0, confirmUnknown: 0 });
    expect(harness.emulator.stats()).toMatchObject({ confirmed: 25, inflight: 0, pending: 0 });
    // Every run started while the window was open, promptly after its event was stored.
    expect([...recorder.starts.keys()].sort()).toEqual(rows.map((row) => row.id));
    const starts = [...recorder.starts.values()];
    expect(Math.max(...starts.map((start) => start.at))).toBeLessThan(invokedAt + windowMs);
    expect(Math.max(...starts.map((start) => start.afterStoredMs))).toBeLessThan(1_000);
    // The summary counts the runs of the whole invocation.
    expect(result).toMatchObject({ runsSucceeded: 25, runsFailed: 0, runsDead: 0, oldestPendingAgeS: 0 });
    expect(log.entries().find((entry) => entry.message === 'pull-events finished')).toMatchObject({
      confirmed: 25,
      runsSucceeded: 25,
      oldestPendingAgeS: 0,
    });
  });

  it('in drain mode still runs them after the drain', async () => {
    harness = await startDrainHarness({ longPollMs: 1_000 });
    const recorder = startRecorder();
    harness.emulator.enqueue(v3EventBatch(10, 53));
    const result = await harness.invoke({ DRAIN_MODE: 'drain' }, {}, { handlers: recorder.handlers });
    expect(result).toMatchObject({ pulled: 10, confirmed: 10, runsSucceeded: 10, stopReason: 'drained' });
    // The drain ends with one empty long poll (1 s here) that every run waited for.
    expect(Math.min(...[...recorder.starts.values()].map((start) => start.afterStoredMs))).toBeGreaterThanOrEqual(900);
  });
});
