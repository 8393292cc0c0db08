// `npm run bench`: every benchmark in one run, one table. Each row states its target and whether it was met.
import { driverColdStart } from './driver-cold-start.mjs';

const rows = [...(await driverColdStart())];
const columns = ['benchmark', 'value', 'ratio', 'target', 'met'];
const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column] ?? '').length)));
const line = (cells) => '| ' + cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ') + ' |';
console.log(line(columns));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(columns.map((column) => row[column] ?? '')));
