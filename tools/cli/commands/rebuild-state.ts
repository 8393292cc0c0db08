import { localRuntime } from '../local-runtime';
import { loadConfig } from '../../../lib/config';
import { defineCommand, writeLine } from '../command';

export const rebuildStateCommand = defineCommand({
  name: 'rebuild-state',
  summary: 'recompute vod_files and vod_tasks from the stored events',
  help: `Usage: vod-events rebuild-state

Recomputes the state tables vod_files and vod_tasks from every event in vod_events: for a
database with events from before the state tables, and after an upgrade that changes how
events are merged (docs/state.md). Running it twice gives the same tables.

Safe while the functions keep writing: the new tables are computed without blocking anyone;
writers then wait (reads go on) only while the events that arrived meanwhile are added and the
tables are swapped, all in one transaction. On the embedded store, which has one session,
other processes wait for the whole rebuild.

Reads DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite), through the
vod-events process that has it open if there is one.`,
  options: {},
  async run(_args, { env, stdout }) {
    const runtime = localRuntime(loadConfig(env));
    try {
      const { events, files, tasks } = await (await runtime.store()).rebuildState();
      writeLine(stdout, `Rebuilt from ${events} events: ${files} files in vod_files, ${tasks} tasks in vod_tasks.`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
});
