import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import type { StoredEvent } from '../../../lib/store/queries';
import { defineCommand, numberFlag, UsageError, writeLine } from '../command';
import { renderTable, type Column } from '../table';

const LIMIT = { min: 1, max: 10_000 } as const;
const DEFAULT_LIMIT = 50;

/** `YYYY-MM-DD`, optionally followed by a time and a zone; a time without a zone is read as UTC. */
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Reads `--since`; `Date.parse` alone would accept "3" or roll 2026-02-30 over into March. */
export function sinceFlag(raw: string | boolean | undefined): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = ISO_DATE.exec(raw.trim());
  const day = match?.[1];
  const midnight = new Date(`${day}T00:00:00Z`);
  const dayIsReal = day !== undefined && !Number.isNaN(midnight.getTime()) && midnight.toISOString().startsWith(day);
  const date = match && dayIsReal ? new Date(`${day}T${match[2] ?? '00:00'}${match[3] ?? 'Z'}`) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since expects an ISO 8601 date or time such as 2026-01-31 or 2026-01-31T08:00:00Z, got "${raw}"`);
  }
  return date;
}

function typeFlag(raw: string | boolean | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw.trim() === '') throw new UsageError('--type expects an event type such as NewFileUpload, got ""');
  return raw.trim();
}

/**
 * The table `list` prints; `dev` prints the same one. The minimum widths say what stays readable
 * when `dev` fits it to a narrow terminal: the type, source and count whole, task and file cut first.
 */
export const EVENT_COLUMNS: readonly Column<StoredEvent>[] = [
  { header: 'FIRST RECEIVED', cell: (event) => event.firstReceivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), minWidth: 20 },
  { header: 'TYPE', cell: (event) => event.eventType, maxWidth: 30, minWidth: 21 },
  { header: 'TASK', cell: (event) => event.taskId, maxWidth: 36 },
  { header: 'FILE', cell: (event) => event.fileId, maxWidth: 20 },
  { header: 'STATUS', cell: (event) => event.status, maxWidth: 12, minWidth: 6 },
  { header: 'SOURCE', cell: (event) => event.source, minWidth: 8 },
  { header: 'DELIVERIES', cell: (event) => event.deliveryCount, align: 'right', minWidth: 10 },
];

export const listCommand = defineCommand({
  name: 'list',
  summary: 'print the newest stored events',
  help: `Usage: vod-events list [--type T] [--since ISO] [--limit N] [--json]

Prints stored events, newest first (by when they were first received), as a table.

  --type T       only events of type T (NewFileUpload, ProcedureStateChanged, …)
  --since ISO    only events first received at or after this time, e.g. 2026-01-31 or
                 2026-01-31T08:00:00+08:00 (a time without a zone is UTC)
  --limit N      at most N events, ${LIMIT.min} to ${LIMIT.max} (default ${DEFAULT_LIMIT})
  --json         print a JSON array with every column and the payload instead

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: {
    type: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, { env, stdout }) {
    // Flags first: a typo should not wait for the store to open.
    const filter = {
      type: typeFlag(values.type),
      since: sinceFlag(values.since),
      limit: numberFlag(values, 'limit', LIMIT, DEFAULT_LIMIT),
    };
    const runtime = localRuntime(loadConfig(env));
    try {
      const events = await (await runtime.store()).listEvents(filter);
      if (values.json) writeLine(stdout, JSON.stringify(events, null, 2));
      else writeLine(stdout, events.length === 0 ? 'No events found.' : renderTable(EVENT_COLUMNS, events));
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
