import { afterEach, expect, it } from 'vitest';
import type { HandlerMap } from '../../lib/react/handler';
import { captureLog } from '../helpers/callback-requests';
import { startDrainHarness, type DrainHarness } from '../helpers/drain-harness';
import { freezableHop } from '../helpers/freezable-hop';
import { v3EventBatch } from '../helpers/v3-event-factory';

/** What SCF reports left at the start: the drain gets 4 s of it (remaining − 10 s). */
const TIME_LIMIT_MS = 14_000;

let harness: DrainHarness | undefined;
let closeHop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeHop?.();
  await harness?.close();
});

it('answers with its summary inside the time limit when PostgreSQL stops answering in the middle of a handler run', async () => {
  harness = await startDrainHarness();
  const hop = await freezableHop(new URL(harness.databaseUrl));
  closeHop = hop.close;
  const throughHop = new URL(harness.databaseUrl);
  throughHop.hostname = '127.0.0.1';
  throughHop.port = String(hop.port);
  harness.emulator.enqueue(v3EventBatch(2, 16));
  // The run's own statements were answered; recording its outcome is the first that hangs.
  const handlers: HandlerMap = { '*': [{ name: 'partition', run: async () => hop.freeze() }] };
  const log = captureLog();
  const started = Date.now();
  const result = await harness.invoke(
    { DATABASE_URL: throughHop.toString() },
    { getRemainingTimeInMillis: () => TIME_LIMIT_MS - (Date.now() - started) },
    { log, handlers },
  );
  expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS);
  expect(result).toMatchObject({ inserted: 2, confirmed: 2, runsSucceeded: 0 });
  expect(result.dispatchError).toMatch(/handler runs did not finish before the invocation ends/);
  expect(log.entries().filter((entry) => entry.message === 'pull-events finished')).toHaveLength(1);
}, 40_000);
