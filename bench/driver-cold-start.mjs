// @ts-check
// Cold-start cost of the PostgreSQL driver inside a function bundle: each driver is bundled the
// way scripts/build.mjs bundles a function, then `require`d in fresh Node processes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.mjs';

const RUNS = 15;
const dir = mkdtempSync(join(tmpdir(), 'vod-events-bench-'));
const drivers = { postgres: "module.exports = require('postgres');", pg: "module.exports = require('pg');" };

/** @param {string} name @param {string} source */
async function measure(name, source) {
  const entry = join(dir, `${name}-entry.js`);
  const outfile = join(dir, `${name}.js`);
  writeFileSync(entry, source);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20.15',
    format: 'cjs',
    minify: true,
    external: ['pg-native'],
    logLevel: 'error',
    absWorkingDir: process.cwd(),
    nodePaths: [join(process.cwd(), 'node_modules')],
  });
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const times = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })));
  return { name, kb: statSync(outfile).size / 1024, ms: median(times) };
}

export async function driverColdStart() {
  const rows = [];
  for (const [name, source] of Object.entries(drivers)) rows.push(await measure(name, source));
  const baseline = rows.find((row) => row.name === 'pg');
  if (!baseline) throw new Error('driver cold start: no pg baseline');
  return rows.map((row) => ({
    benchmark: `driver require: ${row.name}${row.name === 'postgres' ? ' (chosen)' : ' (baseline)'}`,
    value: `${row.ms.toFixed(1)} ms, ${row.kb.toFixed(0)} KB`,
    ratio: row === baseline ? '1.00' : (row.ms / baseline.ms).toFixed(2),
    target: row.name === 'postgres' ? 'faster than pg' : '',
    met: row.name === 'postgres' ? (row.ms < baseline.ms ? 'yes' : 'NO') : '',
  }));
}
