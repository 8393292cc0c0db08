// @ts-check
// Drain throughput against the emulator (20 ms added latency per call, ≤ 16 events per pull,
// 100 requests/s per action) and a local PostgreSQL, next to a naive sequential loop measured
// in the same run; the drain's peak RSS for 20,000 events, and for 64 events of 512 KB each at
// the default concurrency (bounded by DRAIN_MAX_INFLIGHT_BYTES, not by the queue).
import { execFileSync } from 'node:child_process';
import { bundleWorker, importTs } from './import-ts.mjs';
import { EMULATOR_CREDENTIALS, startEmulatorProcess, startPostgres } from './services.mjs';

const EVENTS = 5_000;
const RSS_EVENTS = 20_000;
const LARGE_EVENTS = 64;
const LARGE_EVENT_BYTES = 512 * 1024;
// The emulator answers an empty queue after 100 ms instead of VOD's 5 s, so the final empty
// poll that ends every drain does not swamp the figure; both loops get the same emulator.
const EMULATOR_FLAGS = ['--latency-ms', '20', '--max-qps', '100', '--long-poll-ms', '100'];

/** @param {number} count @param {number} seed */
export async function generateEvents(count, seed) {
  const { v3EventBatch } = /** @type {typeof import('../test/helpers/v3-event-factory')} */ (
    await importTs('events', "export { v3EventBatch } from './test/helpers/v3-event-factory';")
  );
  return v3EventBatch(count, seed);
}

/**
 * Events padded to `bytes` inside their body, as a large transcode or AI-review result would be.
 *
 * @param {Record<string, any>[]} events
 * @param {number} bytes
 */
function padded(events, bytes) {
  return events.map((event) => {
    // The one body field that is set: the others are null in the pulled form, and not every body's
    // name ends in "Event" (ExtractBlindWatermarkComplete).
    const body = Object.keys(event).find((key) => event[key] !== null && typeof event[key] === 'object');
    if (body === undefined) throw new Error(`no event body in ${JSON.stringify(event).slice(0, 200)}`);
    const size = JSON.stringify(event).length;
    return { ...event, [body]: { ...event[body], Padding: 'x'.repeat(Math.max(0, bytes - size)) } };
  });
}

/**
 * @param {string} worker
 * @param {string} mode
 * @param {Record<string, string>} env
 * @returns {{ stored: number, elapsedMs: number, drainMs: number, runsSucceeded: number, maxRssMb: number }}
 */
function runWorker(worker, mode, env) {
  const output = execFileSync(process.execPath, [worker, mode], {
    env: { ...process.env, ...EMULATOR_CREDENTIALS, ...env },
    cwd: process.cwd(),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output);
}

export async function drainBenchmark() {
  const worker = await bundleWorker('bench/drain-worker.ts');
  const pg = await startPostgres();
  const emulator = await startEmulatorProcess(EMULATOR_FLAGS);
  try {
    /** @param {string} mode @param {number} count @param {number} seed @param {number} [eventBytes] @param {Record<string, string>} [env] */
    const measure = async (mode, count, seed, eventBytes, env = {}) => {
      const events = await generateEvents(count, seed);
      await emulator.enqueue(eventBytes ? padded(events, eventBytes) : events);
      const run = runWorker(worker, mode, {
        DATABASE_URL: await pg.database(mode),
        VOD_ENDPOINT: emulator.url,
        DRAIN_MAX_BATCHES: '100000',
        DRAIN_BUDGET_MS: '600000',
        ...env,
      });
      if (run.stored !== count) throw new Error(`${mode} stored ${run.stored} of ${count} events`);
      return { ...run, eventsPerSecond: (count / run.elapsedMs) * 1000 };
    };
    const naive = await measure('naive', EVENTS, 1);
    // The three same-run drains get the same events (seed 2), each into a fresh database: with
    // different seeds the mix of event sizes and types differed, a few percent on its own.
    const drained = await measure('drain', EVENTS, 2);
    // The same drain without the state tables' upserts in its statements (STATE_PROJECTION=off).
    const drainedOff = await measure('drain', EVENTS, 2, undefined, { STATE_PROJECTION: 'off' });
    // The same drain with a no-op handler: every statement also writes the events' runs (the
    // outbox), and the invocation dispatches them once the drain is done.
    const dispatching = await measure('drain', EVENTS, 2, undefined, { BENCH_HANDLER: 'noop' });
    if (dispatching.runsSucceeded !== EVENTS) throw new Error(`dispatch ran ${dispatching.runsSucceeded} of ${EVENTS} runs`);
    const dispatchingDrainRate = (EVENTS / dispatching.drainMs) * 1000;
    const large = await measure('drain', RSS_EVENTS, 3);
    const big = await measure('drain', LARGE_EVENTS, 4, LARGE_EVENT_BYTES);
    const ratio = drained.eventsPerSecond / naive.eventsPerSecond;
    return [
      {
        benchmark: `drain ${EVENTS} events (4 loops, 90 QPS)`,
        value: `${drained.eventsPerSecond.toFixed(0)} events/s`,
        ratio: ratio.toFixed(2),
        target: '≥ 1300 events/s, ≥ 3.5× naive',
        met: drained.eventsPerSecond >= 1300 && ratio >= 3.5 ? 'yes' : 'NO',
      },
      {
        benchmark: `drain ${EVENTS} events, state projection off (same run)`,
        value: `${drainedOff.eventsPerSecond.toFixed(0)} events/s`,
        ratio: (drainedOff.eventsPerSecond / naive.eventsPerSecond).toFixed(2),
        target: '',
        met: '',
      },
      {
        benchmark: `drain ${EVENTS} events, dispatch on: no-op handler, runs written with the events (same run)`,
        value: `${dispatchingDrainRate.toFixed(0)} events/s, ${(dispatching.drainMs / drained.drainMs).toFixed(2)}× the drain's time with dispatch off; ${dispatching.eventsPerSecond.toFixed(0)}/s incl. dispatching the ${EVENTS} runs`,
        ratio: (dispatchingDrainRate / naive.eventsPerSecond).toFixed(2),
        target: '≥ 1300 events/s',
        met: dispatchingDrainRate >= 1300 ? 'yes' : 'NO',
      },
      {
        benchmark: `naive loop ${EVENTS} events (baseline)`,
        value: `${naive.eventsPerSecond.toFixed(0)} events/s`,
        ratio: '1.00',
        target: '',
        met: '',
      },
      {
        benchmark: `drain peak RSS, ${RSS_EVENTS} events`,
        value: `${large.maxRssMb.toFixed(0)} MB (${large.eventsPerSecond.toFixed(0)} events/s)`,
        ratio: '',
        target: '≤ 150 MB',
        met: large.maxRssMb <= 150 ? 'yes' : 'NO',
      },
      {
        benchmark: `peak RSS with ${LARGE_EVENTS} × ${LARGE_EVENT_BYTES / 1024} KB events at default concurrency`,
        value: `${big.maxRssMb.toFixed(0)} MB`,
        ratio: '',
        target: '≤ 200 MB',
        met: big.maxRssMb <= 200 ? 'yes' : 'NO',
      },
    ];
  } finally {
    emulator.stop();
    await pg.stop();
  }
}
