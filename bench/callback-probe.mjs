// @ts-check
// Runs inside a fresh Node process for bench/callback.mjs; prints its figures as JSON on stderr
// (stdout carries the handler's log lines and is discarded). Modes:
//   cold: `require` of the bundle, then one first request (connects and creates the table);
//   warm: handler latency over distinct events, and a bare INSERT through the same driver;
//         with SIGN_KEY set, each event is signed as VOD signs it (T = now + 600 s), so every
//         request also goes through the signature-pair check;
//   memory: peak RSS while the handler stores bodies of exactly the largest size it accepts.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { percentile } from './stats.mjs';

const require = createRequire(import.meta.url);
const [mode, bundle = '', samplesPath = ''] = process.argv.slice(2);
const template = JSON.parse(readFileSync(samplesPath, 'utf8')).pullComplete003Callback;
const SAMPLES = 2000;
/**
 * Requests (and baseline INSERTs) made before timing starts. Not 200: while its tables hold only a
 * few thousand rows PostgreSQL's own tail is 2–3× longer (tables and indexes growing from empty,
 * autoanalyze every few hundred rows, each invalidating the cached plans), which says nothing about
 * a store in use. Measured: the same statement's p99 fell from ~3 ms over its first 2,000 rows to
 * ~1.1 ms over the next, and rose again after a TRUNCATE.
 */
const WARMUP = 3000;

const SIGN_KEY = process.env.VOD_CALLBACK_SIGN_KEY;

/** As VOD signs a callback: T = now + 600 s, Sign = MD5(key + T). */
/** @param {Record<string, unknown>} content */
const signedIfKeyed = (content) => {
  if (!SIGN_KEY) return content;
  const T = Math.floor(Date.now() / 1000) + 600;
  return { ...content, Sign: createHash('md5').update(`${SIGN_KEY}${T}`).digest('hex'), T };
};

/** The API-gateway event of a POST of `body`. @param {string} body */
const post = (body) => ({
  httpMethod: 'POST',
  path: '/vod/callback',
  headers: { 'Content-Type': 'application/json' },
  body,
  isBase64Encoded: false,
});

/** The seed 003 callback, made a new event, about a new file and task (as a new upload is), by its ids. */
const eventFor = (/** @type {number | string} */ i) =>
  post(
    JSON.stringify(
      signedIfKeyed({
        ...template,
        PullCompleteEvent: {
          ...template.PullCompleteEvent,
          FileId: `bench-${process.pid}-${i}`,
          TaskId: `bench-${process.pid}-${i}-Pull`,
        },
      }),
    ),
  );

const ms = (/** @type {bigint} */ from) => Number(process.hrtime.bigint() - from) / 1e6;

/**
 * @param {number} count
 * @param {(i: number) => Promise<unknown>} run
 */
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

if (mode === 'cold') {
  const start = process.hrtime.bigint();
  const { main_handler } = require(bundle);
  const requireMs = ms(start);
  const first = process.hrtime.bigint();
  const result = await main_handler(eventFor(0), {});
  process.stderr.write(JSON.stringify({ requireMs, firstRequestMs: ms(first), status: result.statusCode }));
  process.exit(0);
}

if (mode === 'limit') {
  // The body limit in force, read from the 413 the handler gives a body over any allowed size
  // (in its own process: the 64 MB body would hide the memory figures).
  const { main_handler } = require(bundle);
  const refused = await main_handler(post('x'.repeat(64 * 1_048_576 + 1)), {});
  const limit = /more than the (\d+) allowed/.exec(JSON.parse(refused.body).reason);
  if (!limit) throw new Error(`limit probe: no limit in the answer ${refused.body}`);
  process.stderr.write(JSON.stringify({ maxBytes: Number(limit[1]) }));
  process.exit(0);
}

if (mode === 'memory') {
  const { main_handler } = require(bundle);
  for (let i = 0; i < 20; i++) await main_handler(eventFor(-1 - i), {});
  const maxBytes = Number(process.env.PROBE_MAX_BYTES);
  const baselineMb = process.resourceUsage().maxRSS / 1024;
  /** A body of exactly `maxBytes`: `fill(n)` makes n bytes of filler JSON inside a valid event. */
  const bodyOf = (/** @type {string} */ i, /** @type {(n: number) => string} */ fill) => {
    const base = JSON.stringify(
      signedIfKeyed({
        ...template,
        PullCompleteEvent: { ...template.PullCompleteEvent, FileId: `mem-${process.pid}-${i}` },
        Filler: '@',
      }),
    );
    return base.replace('"@"', fill(maxBytes - Buffer.byteLength(base) + 3));
  };
  // One long string (a big message), and the densest structure: many small objects.
  const shapes = {
    string: (/** @type {number} */ n) => `"${'a'.repeat(n - 2)}"`,
    objects: (/** @type {number} */ n) => {
      const item = '{"k":1},';
      const count = Math.floor((n - 2) / item.length);
      return `[${item.repeat(count).slice(0, -1)}${' '.repeat(n - 2 - count * item.length + 1)}]`;
    },
  };
  /** @type {Record<string, number>} */
  const peaks = {};
  let failures = 0;
  for (const [shape, fill] of Object.entries(shapes)) {
    for (let i = 0; i < 3; i++) {
      const body = bodyOf(`${shape}-${i}`, fill);
      if (Buffer.byteLength(body) !== maxBytes)
        throw new Error(`memory probe: built ${Buffer.byteLength(body)} bytes, wanted ${maxBytes}`);
      if ((await main_handler(post(body), {})).statusCode !== 200) failures++;
    }
    peaks[shape] = process.resourceUsage().maxRSS / 1024;
  }
  process.stderr.write(JSON.stringify({ maxBytes, baselineMb, peakMb: Math.max(...Object.values(peaks)), peaks, failures }));
  process.exit(0);
}

const { main_handler } = require(bundle);
let failures = 0;
const handler = await timeEach(SAMPLES, async (i) => {
  if ((await main_handler(eventFor(i), {})).statusCode !== 200) failures++;
});
// Baseline: one INSERT round trip of the same payload, same driver, same connection options.
const postgres = require('postgres');
const sql = postgres(process.env.DATABASE_URL ?? '', { max: 2, fetch_types: false, onnotice: () => {} });
await sql.unsafe('CREATE TABLE IF NOT EXISTS bench_baseline (id text PRIMARY KEY, payload jsonb NOT NULL)');
const payload = eventFor(0).body;
const baseline = await timeEach(SAMPLES, (i) =>
  sql.unsafe('INSERT INTO bench_baseline (id, payload) VALUES ($1, $2::text::jsonb)', [`${process.pid}-${i}`, payload], {
    prepare: true,
  }),
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
