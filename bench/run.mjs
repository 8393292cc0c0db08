// @ts-check
// `npm run bench`: every benchmark in one run, one table. Each row states its target and whether it was met.
// `npm run bench -- dispatch drain` runs only the parts named (those of PARTS), e.g. to re-measure one figure.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { driverColdStart } from './driver-cold-start.mjs';
import { callbackBench } from './callback.mjs';
import { callbackThroughputBench } from './callback-throughput.mjs';
import { drainBenchmark } from './drain.mjs';
import { drainFollowBenchmark } from './drain-follow.mjs';
import { dispatchBenchmark } from './dispatch.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
/** @type {Record<string, () => Promise<Record<string, string | undefined>[]>>} */
const PARTS = {
  driver: driverColdStart,
  callback: callbackBench,
  'callback-throughput': callbackThroughputBench,
  drain: drainBenchmark,
  'drain-follow': drainFollowBenchmark,
  dispatch: dispatchBenchmark,
};
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in PARTS));
if (unknown.length > 0) throw new Error(`unknown bench part ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
/** @type {Record<string, string | undefined>[]} */
const rows = [];
for (const [name, part] of Object.entries(PARTS)) if (chosen.length === 0 || chosen.includes(name)) rows.push(...(await part()));
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
