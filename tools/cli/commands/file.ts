import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import type { FileReport } from '../../../lib/store/state-queries';
import { defineCommand, UsageError, writeLine } from '../command';
import { renderTable } from '../table';
import { EVENT_COLUMNS } from './list';

const when = (iso: string | null) => (iso === null ? '-' : iso.replace(/\.\d{3}Z$/, 'Z'));

function report({ file, tasks, events }: FileReport, fileId: string): string {
  if (!file && events.length === 0) return `No file ${fileId} in vod_files and no events about it.`;
  const lines = file
    ? [
        `File ${file.fileId}: ${file.lifecycle ?? '-'}`,
        ...(
          [
            ['name', file.name],
            ['media url', file.mediaUrl],
            ['cover url', file.coverUrl],
            ['duration', file.duration === null ? null : `${file.duration} s`],
            ['size', file.size === null ? null : `${file.size} bytes`],
            ['review', file.reviewSuggestion],
            ['session context', file.sessionContext],
            ['source context', file.sourceContext],
          ] as const
        )
          .filter(([, value]) => value !== null)
          .map(([label, value]) => `  ${`${label}:`.padEnd(17)}${value}`),
        `  ${'events:'.padEnd(17)}${file.eventIds.length}, first ${when(file.firstEventAt)}, last ${when(file.lastEventAt)}`,
      ]
    : [`File ${fileId}: not in vod_files (run vod-events rebuild-state if its events predate the state tables)`];
  if (file && file.outputs.length > 0) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'OUTPUT', cell: (output) => `${output.kind} ${output.definition}` },
          { header: 'FORMAT', cell: (output) => output.format },
          { header: 'URL', cell: (output) => output.url, maxWidth: 100 },
        ],
        file.outputs,
      ),
    );
  }
  if (tasks.length > 0) {
    lines.push(
      '',
      renderTable(
        [
          { header: 'TASK', cell: (task) => task.taskId, maxWidth: 40 },
          { header: 'KIND', cell: (task) => task.kind, maxWidth: 24 },
          { header: 'STATUS', cell: (task) => task.status },
          { header: 'ERROR', cell: (task) => (task.errCode ? `${task.errCode} ${task.message ?? ''}` : null), maxWidth: 40 },
          { header: 'LAST EVENT', cell: (task) => when(task.lastEventAt) },
        ],
        tasks,
      ),
    );
  }
  if (events.length > 0) lines.push('', renderTable(EVENT_COLUMNS, events));
  return lines.join('\n');
}

export const fileCommand = defineCommand({
  name: 'file',
  summary: 'print the state of one file and its event timeline',
  help: `Usage: vod-events file <FileId> [--json]

Prints the current state of one file (its row in vod_files: lifecycle, name, URLs, outputs…),
the tasks that name it (vod_tasks), and every stored event about it, oldest first.

  --json    print { file, tasks, events } as one JSON object instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, { env, stdout }) {
    const [fileId, ...extra] = positionals;
    if (!fileId || extra.length > 0) throw new UsageError(`file expects exactly one FileId, got ${positionals.length}`);
    const runtime = localRuntime(loadConfig(env));
    try {
      const found = await (await runtime.store()).file(fileId);
      writeLine(stdout, values.json ? JSON.stringify(found, null, 2) : report(found, fileId));
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
