import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import { Lifecycle, type FileState } from '../../../lib/state';
import { defineCommand, numberFlag, UsageError, writeLine } from '../command';
import { renderTable, type Column } from '../table';

const LIMIT = { min: 1, max: 10_000 } as const;
const DEFAULT_LIMIT = 50;
const STATUSES = Object.values(Lifecycle);
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `1h`, `2d` (or combined, `1h30m`) in milliseconds. */
export function durationFlag(raw: string | boolean | undefined, flag: string): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (text === '' || parts.map((part) => part[0]).join('') !== text) {
    throw new UsageError(`--${flag} expects a duration such as 90s, 30m, 1h or 2d, got "${raw}"`);
  }
  return parts.reduce((sum, [, count, unit]) => sum + Number(count) * UNIT_MS[unit!]!, 0);
}

function statusFlag(raw: string | boolean | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (!(STATUSES as string[]).includes(raw)) throw new UsageError(`--status expects one of ${STATUSES.join(', ')}, got "${raw}"`);
  return raw;
}

const when = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

/** The table `files` prints; `dev` shows the same one under its events. */
export const FILE_COLUMNS: readonly Column<FileState>[] = [
  { header: 'FILE', cell: (file) => file.fileId, maxWidth: 20, minWidth: 19 },
  { header: 'STATUS', cell: (file) => file.lifecycle, minWidth: 10 },
  { header: 'NAME', cell: (file) => file.name, maxWidth: 24 },
  {
    header: 'OUTPUTS',
    cell: (file) => file.outputs.map((output) => `${output.format}:${output.definition}`).join(' '),
    maxWidth: 24,
  },
  { header: 'EVENTS', cell: (file) => file.eventIds.length, align: 'right', minWidth: 6 },
  { header: 'LAST EVENT', cell: (file) => when(file.lastEventAt), minWidth: 20 },
];

export const filesCommand = defineCommand({
  name: 'files',
  summary: 'print the current state of files (vod_files)',
  help: `Usage: vod-events files [--status S] [--stuck-for D] [--limit N] [--json]

Prints one row per file from vod_files, the state merged from every event about it, files
with the newest news first.

  --status S      only files in state S: ${STATUSES.join(', ')}
  --stuck-for D   only files still processing whose newest event is at least D old
                  (90s, 30m, 1h, 2d): "which uploads never finished?"
  --limit N       at most N files, ${LIMIT.min} to ${LIMIT.max} (default ${DEFAULT_LIMIT})
  --json          print a JSON array with every column instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: {
    status: { type: 'string' },
    'stuck-for': { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, { env, stdout }) {
    const status = statusFlag(values.status);
    const stuckForMs = durationFlag(values['stuck-for'], 'stuck-for');
    const limit = numberFlag(values, 'limit', LIMIT, DEFAULT_LIMIT);
    const runtime = localRuntime(loadConfig(env));
    try {
      const files = await (await runtime.store()).listFiles({ status, stuckForMs, limit, now: new Date(runtime.clock.now()) });
      if (values.json) writeLine(stdout, JSON.stringify(files, null, 2));
      else writeLine(stdout, files.length === 0 ? 'No files found.' : renderTable(FILE_COLUMNS, files));
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
