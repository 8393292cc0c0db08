// @ts-check
// Event latency and idle cost of the two drain modes, same run, same emulator (its long poll at
// VOD's real 5 s, 20 ms per call, 100 requests/s per action), each mode on its own queue (VOD
// sub-application) and its own database, fed the same events at the same moments:
// - steady arrivals at random times, ARRIVALS_PER_S on average, from 1 s to LOAD_END_S, plus two
//   bursts of 100 events; a quiet minute follows, with one event in it;
// - timer ticks every 60 s (0, 60, 120 s), each an invocation of the pull-events handler in a
//   long-lived worker process (one warm instance) with the function's timeout; invocations overlap
//   as SCF's do. Follow mode's quiet minute is its tick at 120 s (one event at 125 s); drain mode's
//   tick at 120 s still drains the load, so it gets one more tick at 140 s with one event at 135 s.
// Latency is enqueue (just before the emulator's control API is called) → the row's
// first_received_at (set when the batch's upsert is sent; it commits within milliseconds).
// A quiet hour's cost is 60 × the quiet minute's invocation: its duration (billed at BILLED_MB)
// and its VOD API calls. Nothing is time-scaled; the whole row pair takes about 3 minutes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { generateEvents } from './drain.mjs';
import { bundleWorker } from './import-ts.mjs';
import { EMULATOR_CREDENTIALS, startEmulatorProcess, startPostgres } from './services.mjs';
import { percentile } from './stats.mjs';

/** @typedef {{ subAppId: number, env: Record<string, string>, variant: string, ticks: number[], quietTickS: number, quietEventS: number, load: boolean }} ModeSetup */
/** @typedef {{ tick: number, durationMs: number, calls: Record<string, number> }} Invocation */
/** @typedef {{ latencies: number[], gbSecondsPerHour: number, callsPerHour: number, quiet: Invocation, maxRssMb: number }} Measured */

const EMULATOR_FLAGS = ['--long-poll-ms', '5000', '--latency-ms', '20', '--max-qps', '100'];
// serverless.yml: the function's timeout and memory in follow mode.
const TIMEOUT_MS = 72_000;
const BILLED_MB = 128;
const ARRIVALS_PER_S = 2;
const LOAD_END_S = 110;
const BURSTS = [
  { atS: 25, events: 100 },
  { atS: 85, events: 100 },
];
const QUIET_DRAIN_TICK_S = 140;
const SEED = 16;

/** @type {Record<string, ModeSetup>} */
const MODES = {
  drain: {
    subAppId: 1601,
    env: { DRAIN_MODE: 'drain' },
    variant: 'handler',
    ticks: [0, 60, 120, QUIET_DRAIN_TICK_S].map((s) => s * 1000),
    quietTickS: QUIET_DRAIN_TICK_S,
    quietEventS: QUIET_DRAIN_TICK_S - 5,
    load: true,
  },
  follow: {
    subAppId: 1602,
    env: { DRAIN_MODE: 'follow' },
    variant: 'handler',
    ticks: [0, 60, 120].map((s) => s * 1000),
    quietTickS: 120,
    quietEventS: 125,
    load: true,
  },
  // Follow mode with every loop polling while idle: what resting saves. Quiet minute only.
  followEveryLoop: {
    subAppId: 1603,
    env: { DRAIN_MODE: 'follow' },
    variant: 'every-loop',
    ticks: [120_000],
    quietTickS: 120,
    quietEventS: 125,
    load: false,
  },
};

/** Deterministic uniform [0, 1) (mulberry32). @param {number} seed */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrival times (ms) of the load: a Poisson process plus the bursts, then the quiet event. */
function schedule() {
  const next = random(SEED);
  /** @type {{ at: number, count: number }[]} */
  const arrivals = [];
  for (let at = 1000; ;) {
    at += (-Math.log(1 - next()) / ARRIVALS_PER_S) * 1000;
    if (at >= LOAD_END_S * 1000) break;
    arrivals.push({ at, count: 1 });
  }
  for (const burst of BURSTS) arrivals.push({ at: burst.atS * 1000, count: burst.events });
  return arrivals.sort((a, b) => a.at - b.at);
}

const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export async function drainFollowBenchmark() {
  const worker = await bundleWorker('bench/drain-follow-worker.ts');
  const pg = await startPostgres();
  const emulator = await startEmulatorProcess(EMULATOR_FLAGS);
  try {
    const arrivals = schedule();
    const total = arrivals.reduce((sum, arrival) => sum + arrival.count, 0) + 1;
    // Each event carries its sequence number, so its row can be matched to its enqueue time.
    const events = (await generateEvents(total, SEED)).map((event, seq) => ({ ...event, BenchSeq: seq }));
    /** @type {Record<string, string>} */
    const databases = {};
    for (const mode of Object.keys(MODES)) databases[mode] = await pg.database(`follow_${mode.toLowerCase()}`);
    const startAt = Date.now() + 3_000;
    const workers = Object.fromEntries(
      Object.entries(MODES).map(([mode, setup]) => [
        mode,
        promisify(execFile)(
          process.execPath,
          [worker, String(startAt), JSON.stringify(setup.ticks), String(TIMEOUT_MS), setup.variant],
          {
            env: {
              ...process.env,
              ...EMULATOR_CREDENTIALS,
              ...setup.env,
              DATABASE_URL: databases[mode],
              VOD_ENDPOINT: emulator.url,
              VOD_SUBAPP_ID: String(setup.subAppId),
            },
            maxBuffer: 1 << 20,
          },
        ).then(({ stdout }) => /** @type {{ invocations: Invocation[], maxRssMb: number }} */ (JSON.parse(stdout))),
      ]),
    );
    /** @type {Record<string, number[]>} */
    const enqueuedAt = { drain: [], follow: [] };
    /** @param {{ BenchSeq: number }[]} batch @param {string[]} modes */
    const feed = async (batch, modes) => {
      for (const mode of modes) {
        const at = Date.now();
        for (const event of batch) if (enqueuedAt[mode]) enqueuedAt[mode][event.BenchSeq] = at;
        await emulator.enqueue(batch, MODES[mode]?.subAppId);
      }
    };
    let seq = 0;
    for (const arrival of arrivals) {
      await new Promise((resolve) => setTimeout(resolve, startAt + arrival.at - Date.now()));
      await feed(events.slice(seq, (seq += arrival.count)), ['drain', 'follow']);
    }
    const quiet = events.slice(seq);
    for (const atS of [...new Set(Object.values(MODES).map((setup) => setup.quietEventS))].sort((a, b) => a - b)) {
      await new Promise((resolve) => setTimeout(resolve, startAt + atS * 1000 - Date.now()));
      await feed(
        quiet,
        Object.keys(MODES).filter((mode) => MODES[mode]?.quietEventS === atS),
      );
    }

    const rows = [];
    /** @type {Record<string, Measured>} */
    const measured = {};
    for (const [mode, setup] of Object.entries(MODES)) {
      const run = await /** @type {Promise<{ invocations: Invocation[], maxRssMb: number }>} */ (workers[mode]);
      const sql = postgres(/** @type {string} */ (databases[mode]), { max: 1, onnotice: () => {} });
      const stored =
        await sql`SELECT (payload->>'BenchSeq')::int AS seq, extract(epoch FROM first_received_at) * 1000 AS at FROM vod_events`;
      await sql.end();
      if (stored.length !== (setup.load ? total : 1))
        throw new Error(`${mode} stored ${stored.length} events, expected ${setup.load ? total : 1}`);
      const quiet = run.invocations.find((one) => one.tick === setup.quietTickS * 1000);
      if (!quiet) throw new Error(`${mode}: no invocation at its quiet tick`);
      const quietCalls = Object.values(quiet.calls).reduce((sum, n) => sum + n, 0);
      measured[mode] = {
        latencies: setup.load
          ? stored.map((row) => Number(row.at) - (enqueuedAt[mode]?.[row.seq] ?? NaN)).sort((a, b) => a - b)
          : [],
        gbSecondsPerHour: (60 * quiet.durationMs * BILLED_MB) / 1024 / 1000,
        callsPerHour: 60 * quietCalls,
        quiet,
        maxRssMb: run.maxRssMb,
      };
    }
    /** @param {string} mode @param {string} label @param {string} target @param {string} met */
    const latencyRow = (mode, label, target, met) => {
      const { latencies, maxRssMb } = /** @type {Measured} */ (measured[mode]);
      return {
        benchmark: `${label}: enqueue → stored, ${latencies.length} events (2/s + 2 bursts of 100), ticks every 60 s, 5 s long poll`,
        value: `p50 ${seconds(percentile(latencies, 50))}, p99 ${seconds(percentile(latencies, 99))}, max ${seconds(latencies.at(-1) ?? NaN)}; peak RSS ${maxRssMb.toFixed(0)} MB`,
        ratio: (percentile(latencies, 99) / percentile(/** @type {Measured} */ (measured.drain).latencies, 99)).toFixed(3),
        target,
        met,
      };
    };
    /** @param {string} mode @param {string} label */
    const costRow = (mode, label) => {
      const { gbSecondsPerHour, callsPerHour, quiet } = /** @type {Measured} */ (measured[mode]);
      return {
        benchmark: `${label}: quiet hour (1 event/min), ${BILLED_MB} MB, ${TIMEOUT_MS / 1000} s timeout`,
        value: `${gbSecondsPerHour.toFixed(1)} GB-s, ${callsPerHour} API calls (per tick: ${seconds(quiet.durationMs)}, ${JSON.stringify(quiet.calls)})`,
        ratio: '',
        target: '',
        met: '',
      };
    };
    const follow = /** @type {Measured} */ (measured.follow);
    const followMet = percentile(follow.latencies, 99) <= 1000 && follow.maxRssMb <= BILLED_MB;
    rows.push(
      latencyRow('drain', 'DRAIN_MODE=drain (baseline)', '', ''),
      latencyRow('follow', 'DRAIN_MODE=follow', `p99 ≤ 1 s, RSS ≤ ${BILLED_MB} MB`, followMet ? 'yes' : 'NO'),
      costRow('drain', 'drain mode'),
      costRow('follow', 'follow mode, idle loops rest (default)'),
      costRow('followEveryLoop', 'follow mode, every loop polls (baseline for resting)'),
    );
    return rows;
  } finally {
    emulator.stop();
    await pg.stop();
  }
}
