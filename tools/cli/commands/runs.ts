import { loadConfig } from '../../../lib/config';
import { RUN_STATUSES, type RunStatus } from '../../../lib/react/runs-store';
import type { RunRow } from '../../../lib/react/run-queries';
import { defineCommand, numberFlag, UsageError, writeLine } from '../command';
import { localRuntime } from '../local-runtime';
import { renderTable, type Column } from '../table';
import { sinceFlag } from './list';

const LIMIT = { min: 1, max: 10_000 } as const;
const DEFAULT_LIMIT = 50;
const iso = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

export function statusFlag(
  raw: string | boolean | undefined,
  allowed: readonly RunStatus[] = RUN_STATUSES,
): RunStatus | undefined {
  if (typeof raw !== 'string') return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--status expects one of ${allowed.join(' | ')}, got "${raw}"`);
  return raw as RunStatus;
}

export function handlerFlag(raw: string | boolean | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw.trim() === '') throw new UsageError('--handler expects a handler name such as forward, got ""');
  return raw.trim();
}

const RUN_COLUMNS: readonly Column<RunRow>[] = [
  { header: 'CREATED', cell: (run) => iso(run.createdAt), minWidth: 20 },
  { header: 'HANDLER', cell: (run) => run.handler, maxWidth: 24 },
  { header: 'STATUS', cell: (run) => run.status },
  { header: 'ATTEMPTS', cell: (run) => run.attempts, align: 'right' },
  { header: 'TYPE', cell: (run) => run.eventType, maxWidth: 24 },
  { header: 'FILE', cell: (run) => run.fileId, maxWidth: 20 },
  { header: 'DUE', cell: (run) => (run.status === 'succeeded' || run.status === 'dead' ? null : iso(run.dueAt)) },
  { header: 'LAST ERROR', cell: (run) => run.lastError, maxWidth: 40 },
  { header: 'EVENT', cell: (run) => run.eventId, maxWidth: 16 },
];

export const runsCommand = defineCommand({
  name: 'runs',
  summary: 'print handler runs (one per event and matching handler)',
  help: `Usage: vod-events runs [--handler H] [--status S] [--since ISO] [--limit N] [--json]

Prints handler runs, newest first: which handler, its state, attempts, when it is due next and
its last error.

  --handler H    only runs of handler H (forward is the built-in FORWARD_URL handler)
  --status S     only runs in state S: ${RUN_STATUSES.join(' | ')}
  --since ISO    only runs created at or after this time (a time without a zone is UTC)
  --limit N      at most N runs, ${LIMIT.min} to ${LIMIT.max} (default ${DEFAULT_LIMIT})
  --json         print a JSON array instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite).`,
  options: {
    handler: { type: 'string' },
    status: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const filter = {
      handler: handlerFlag(values.handler),
      status: statusFlag(values.status),
      since: sinceFlag(values.since),
      limit: numberFlag(values, 'limit', LIMIT, DEFAULT_LIMIT),
    };
    const runtime = localRuntime(loadConfig(io.env));
    try {
      const runs = await (await runtime.store()).runs.list(filter);
      if (values.json) writeLine(io.stdout, JSON.stringify(runs, null, 2));
      else writeLine(io.stdout, runs.length === 0 ? 'No runs found.' : renderTable(RUN_COLUMNS, runs));
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
