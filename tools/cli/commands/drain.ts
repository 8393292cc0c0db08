import { localRuntime } from '../local-runtime';
import { createPullEventsHandler } from '../../../lib/app/pull-events';
import { loadConfig } from '../../../lib/config';
import { jsonLineLogger } from '../../../lib/log';
import { createVodQueueClient } from '../../../lib/vod/create-client';
import { defineCommand, writeLine } from '../command';

export const drainCommand = defineCommand({
  name: 'drain',
  summary: 'run the pull-events function once from the shell',
  help: `Usage: vod-events drain

Runs the pull-events timer function once: pulls VOD's reliable-notification queue, stores every
event, confirms what was stored, and prints the summary as JSON. Exit code 1 when events could not
be stored (they stay in VOD's queue) or the API refused the credentials; 2 for a configuration
error (a missing or malformed variable).

Configuration comes from the environment (see README): TENCENTCLOUD_SECRETID/SECRETKEY,
VOD_ENDPOINT, VOD_API, VOD_SUBAPP_ID, DRAIN_* and DATABASE_URL (unset: embedded store in PGLITE_DIR,
shared with a vod-events process that already has it open).
Log lines go to stderr.`,
  options: {},
  async run(_args, { env, stdout, stderr }) {
    const config = loadConfig(env);
    const runtime = localRuntime(config, {
      log: jsonLineLogger((line) => writeLine(stderr, line)),
    });
    // Missing credentials are a configuration error like any other: exit 2 before the drain starts.
    createVodQueueClient(config, runtime.clock);
    const handle = createPullEventsHandler(runtime);
    try {
      writeLine(stdout, JSON.stringify(await handle({}), null, 2));
      return 0;
    } catch (error) {
      writeLine(stderr, `vod-events drain: ${(error as Error).message}`);
      return 1;
    } finally {
      await runtime.close();
    }
  },
});
