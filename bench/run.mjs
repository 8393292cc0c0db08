// @ts-check
// `npm run bench`: every benchmark in one run, one table. Each row states its target and whether it was met.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { driverColdStart } from './driver-cold-start.mjs';
import { callbackBench } from './callback.mjs';
import { callbackThroughputBench } from './callback-throughput.mjs';
import { drainBenchmark } from './drain.mjs';
import { drainFollowBenchmark } from './drain-follow.mjs';
import { dispatchBenchmark } from './dispatch.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
/** @type {Record<string, string | undefined>[]} */
const rows = [
  ...(await driverColdStart()),
  ...(await callbackBench()),
  ...(await callbackThroughputBench()),
  ...(await drainBenchmark()),
  ...(await drainFollowBenchmark()),
  ...(await dispatchBenchmark()),
];
const columns = ['benchmark', 'value', 'ratio', 'target', 'met'];
const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
const line = (/** @type {string[]} */ cells) =>
  '| ' + cells.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join(' | ') + ' |';
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
console.log(line(columns));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(columns.map((column) => row[column] ?? '')));
