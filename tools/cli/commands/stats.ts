import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import type { EventStats } from '../../../lib/store/queries';
import { defineCommand, writeLine } from '../command';
import { renderTable } from '../table';
import type { RunStats } from '../../../lib/react/run-queries';

type Count = [name: string, count: number];

const countTable = (header: string, counts: Record<string, number>) =>
  renderTable<Count>(
    [
      { header, cell: ([name]) => name, maxWidth: 48 },
      { header: 'EVENTS', cell: ([, count]) => count, align: 'right' },
    ],
    Object.entries(counts),
  );

function runsReport(runs: RunStats): string {
  const counts = Object.entries(runs.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  return `Handler runs:          ${counts}\nOldest unfinished run: ${runs.oldestPendingAgeS} s old`;
}

function report(stats: EventStats): string {
  const newest = stats.newestAt ? stats.newestAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
  const summary = [
    `Events stored:         ${stats.total}`,
    `Duplicate deliveries:  ${stats.duplicateDeliveries}`,
    `Newest event received: ${newest}`,
  ];
  if (stats.total === 0) return summary.join('\n');
  return [...summary, '', countTable('TYPE', stats.byType), '', countTable('SOURCE', stats.bySource)].join('\n');
}

export const statsCommand = defineCommand({
  name: 'stats',
  summary: 'print counts of stored events by type and source',
  help: `Usage: vod-events stats [--json]

Prints how many events are stored, per type and per source (pull or callback), how many duplicate
deliveries were absorbed (deliveries beyond the first), and when the newest event was received;
then the handler runs by state and the age of the oldest run not yet succeeded or dead.

  --json    print the figures as one JSON object instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: { json: { type: 'boolean' } },
  async run({ values }, { env, stdout }) {
    const runtime = localRuntime(loadConfig(env));
    try {
      const store = await runtime.store();
      const stats = await store.stats();
      const runs = await store.runs.stats(new Date(runtime.clock.now()));
      writeLine(stdout, values.json ? JSON.stringify({ ...stats, runs }, null, 2) : `${report(stats)}\n\n${runsReport(runs)}`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
