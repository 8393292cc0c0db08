import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import { eventStats, type EventStats } from '../../../lib/store/queries';
import { defineCommand, writeLine } from '../command';
import { renderTable } from '../table';

type Count = [name: string, count: number];

const countTable = (header: string, counts: Record<string, number>) =>
  renderTable<Count>(
    [
      { header, cell: ([name]) => name, maxWidth: 48 },
      { header: 'EVENTS', cell: ([, count]) => count, align: 'right' },
    ],
    Object.entries(counts),
  );

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
deliveries were absorbed (deliveries beyond the first), and when the newest event was received.

  --json    print the figures as one JSON object instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: { json: { type: 'boolean' } },
  async run({ values }, { env, stdout }) {
    const runtime = localRuntime(loadConfig(env));
    try {
      const stats = await eventStats((await runtime.store()).sql);
      writeLine(stdout, values.json ? JSON.stringify(stats, null, 2) : report(stats));
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
