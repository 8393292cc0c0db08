import { loadConfig } from '../../../lib/config';
import type { ReplaySelection } from '../../../lib/react/run-queries';
import { defineCommand, UsageError, writeLine } from '../command';
import { localRuntime } from '../local-runtime';
import { sinceFlag } from './list';
import { handlerFlag, statusFlag } from './runs';

function selectionOf(values: Record<string, string | boolean | undefined>): ReplaySelection {
  const chosen = (['status', 'since', 'event'] as const).filter((flag) => values[flag] !== undefined);
  if (chosen.length !== 1)
    throw new UsageError('give exactly one of --status dead|failed, --since ISO [--until ISO], --event ID');
  if (values.until !== undefined && values.since === undefined) throw new UsageError('--until goes with --since');
  if (values.status !== undefined) return { status: statusFlag(values.status, ['dead', 'failed']) as 'dead' | 'failed' };
  if (values.event !== undefined) {
    if (typeof values.event !== 'string' || values.event.trim() === '') throw new UsageError('--event expects an event id');
    return { eventId: values.event.trim() };
  }
  let until: Date | undefined;
  try {
    until = sinceFlag(values.until);
  } catch (error) {
    throw new UsageError((error as Error).message.replace('--since', '--until'));
  }
  return { since: sinceFlag(values.since)!, until };
}

export const replayRunsCommand = defineCommand({
  name: 'replay-runs',
  summary: 'run a handler again for chosen events (dead or failed runs, a time range, one event)',
  help: `Usage: vod-events replay-runs --handler H (--status dead|failed | --since ISO [--until ISO] | --event ID) [--force]

Sets the chosen runs of handler H back to pending, due now, with their attempts counted afresh;
the next dispatch (the timer function, vod-events dispatch, npm start) runs them.

  --status S     the runs of H that are dead (or failed and waiting for their retry)
  --since ISO    the runs of H created at or after this time, and before --until when given
  --event ID     the run of H for one event (ids as vod-events list --json shows them)
  --force        also re-run runs that already succeeded; without it they are left alone,
                 as a succeeded run is never run again otherwise

A run that is running now is never reset. Prints how many runs were reset.`,
  options: {
    handler: { type: 'string' },
    status: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    event: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values }, io) {
    const handler = handlerFlag(values.handler);
    if (handler === undefined) throw new UsageError('--handler is required');
    const selection = selectionOf(values);
    const runtime = localRuntime(loadConfig(io.env));
    try {
      const reset = await (
        await runtime.store()
      ).runs.replay(handler, selection, values.force === true, new Date(runtime.clock.now()));
      writeLine(
        io.stdout,
        `${reset} run(s) of ${handler} set back to pending${values.force ? '' : ' (succeeded runs left alone; --force re-runs them)'}.`,
      );
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
