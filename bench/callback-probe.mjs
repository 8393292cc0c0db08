// Runs inside a fresh Node process for bench/callback.mjs; prints its figures as JSON on stderr
// (stdout carries the handler's log lines and is discarded). Modes:
//   cold: `require` of the bundle, then one first request (connects and creates the table);
//   warm: handler latency over distinct events, and a bare INSERT through the same driver.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const [mode, bundle, samplesPath] = process.argv.slice(2);
const template = JSON.parse(readFileSync(samplesPath, 'utf8')).pullComplete003Callback;
const SAMPLES = 2000;
const WARMUP = 200;

/** The seed 003 callback, made a new event by its file id. */
const eventFor = (i) => {
  const body = JSON.stringify({ ...template, PullCompleteEvent: { ...template.PullCompleteEvent, FileId: `bench-${process.pid}-${i}` } });
  return { httpMethod: 'POST', path: '/vod/callback', headers: { 'Content-Type': 'application/json' }, body, isBase64Encoded: false };
};

const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

async function timeEach(count, run) {
  for (let i = 0; i < WARMUP; i++) await run(-1 - i);
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(ms(start));
  }
  return times.sort((a, b) => a - b);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

if (mode === 'cold') {
  const start = process.hrtime.bigint();
  const { main_handler } = require(bundle);
  const requireMs = ms(start);
  const first = process.hrtime.bigint();
  const result = await main_handler(eventFor(0), {});
  process.stderr.write(JSON.stringify({ requireMs, firstRequestMs: ms(first), status: result.statusCode }));
  process.exit(0);
}

const { main_handler } = require(bundle);
let failures = 0;
const handler = await timeEach(SAMPLES, async (i) => {
  if ((await main_handler(eventFor(i), {})).statusCode !== 200) failures++;
});
// Baseline: one INSERT round trip of the same payload, same driver, same connection options.
const postgres = require('postgres');
const sql = postgres(process.env.DATABASE_URL, { max: 2, fetch_types: false, onnotice: () => {} });
await sql.unsafe('CREATE TABLE IF NOT EXISTS bench_baseline (id text PRIMARY KEY, payload jsonb NOT NULL)');
const payload = eventFor(0).body;
const baseline = await timeEach(SAMPLES, (i) =>
  sql.unsafe('INSERT INTO bench_baseline (id, payload) VALUES ($1, $2::text::jsonb)', [`${process.pid}-${i}`, payload]),
);
await sql.end();
process.stderr.write(
  JSON.stringify({
    failures,
    handler: { p50: percentile(handler, 50), p99: percentile(handler, 99) },
    baseline: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
  }),
);
process.exit(0);
