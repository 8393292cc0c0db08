import { localRuntime } from '../local-runtime';
import { createPullEventsHandler, type PullEventsResult } from '../../../lib/app/pull-events';
import { loadConfig, type Config } from '../../../lib/config';
import { SAMPLE_CALLBACKS, SAMPLE_QUEUE_EVENTS, uploadEvent } from '../../dev/sample-events';
import { LOCAL_CREDENTIAL, pushEvents, startEmulator, type RunningEmulator } from '../../emulator';
import type { Logger } from '../../../lib/log';
import type { Runtime } from '../../../lib/runtime';
import { createVodQueueClient } from '../../../lib/vod/create-client';
import type { StoredEvent } from '../../../lib/store/queries';
import { defineCommand, numberFlag, untilStopped, writeLine } from '../command';
import { renderTable, truncate, type Column } from '../table';
import { EVENT_COLUMNS } from './list';
import { FILE_COLUMNS } from './files';
import { DEFAULT_SERVE_PORT, startCallbackServer } from './serve';

/** Files shown under the events: the newest news, as `vod-events files` lists them. */
const FILE_ROWS = 5;
const TABLE_ROWS = 25;

/** On a terminal the table is fitted to its width; the time of day (UTC) leaves room for the task and file. */
const LIVE_COLUMNS: readonly Column<StoredEvent>[] = [
  { header: 'RECEIVED', cell: (event) => event.firstReceivedAt.toISOString().slice(11, 19) + 'Z', minWidth: 9 },
  ...EVENT_COLUMNS.slice(1),
];

/** Warnings and errors, kept for the status lines under the table instead of scrolling it away. */
function noteLogger(notes: string[]): Logger {
  return {
    log(level, message, fields) {
      if (level === 'warn' || level === 'error')
        notes.push(`${level}: ${message}${fields?.error ? ` (${String(fields.error)})` : ''}`);
    },
  };
}

/** Signs the local pushes when no key is configured, so the dev loop exercises verification too. */
const DEV_SIGN_KEY = 'local-dev-callback-key';

/**
 * The emulator, seeded with the seed documents' events for the configured API, and the env that
 * points the drain at it.
 */
async function startLocalVod(config: Config): Promise<{ emulator: RunningEmulator; env: Record<string, string> }> {
  const emulator = await startEmulator({ longPollMs: 500 });
  emulator.enqueue(SAMPLE_QUEUE_EVENTS[config.vodApi], { format: config.vodApi });
  return {
    emulator,
    env: {
      VOD_ENDPOINT: emulator.url,
      TENCENTCLOUD_SECRETID: LOCAL_CREDENTIAL.secretId,
      TENCENTCLOUD_SECRETKEY: LOCAL_CREDENTIAL.secretKey,
      DRAIN_BUDGET_MS: String(config.drainBudgetMs ?? 10_000),
      VOD_CALLBACK_SIGN_KEY: config.callbackSignKeys.join(',') || DEV_SIGN_KEY,
    },
  };
}

interface Round {
  drained?: PullEventsResult;
  /** Sample callbacks delivered this round (only the first round of a run pushes them). */
  pushed?: number;
  failed?: string;
}

function drainLine(round: Round): string {
  const { drained } = round;
  const summary = drained
    ? `drain: pulled ${drained.pulled}, new ${drained.inserted}, duplicates ${drained.duplicates}, confirmed ${drained.confirmed} (${drained.stopReason}, ${drained.elapsedMs} ms)`
    : `drain failed: ${round.failed}`;
  return round.pushed === undefined ? summary : `${summary}\ncallbacks pushed: ${round.pushed} (the samples, once per run)`;
}

/** Says which VOD this run drains, first thing on screen: the real queue is never a surprise. */
function vodLine(local: { emulator: RunningEmulator } | undefined, config: Config): string {
  return local
    ? `VOD: local emulator ${local.emulator.url} (not the real VOD)`
    : `VOD: REAL VOD at ${config.vodEndpoint} (${config.vodApi}${config.subAppId === undefined ? '' : `, SubAppId ${config.subAppId}`}), confirmed there`;
}

export const devCommand = defineCommand({
  name: 'dev',
  summary: 'run the whole pipeline locally: emulator, callback server, timer loop, live table',
  help: `Usage: vod-events dev [--once] [--interval-ms N] [--port P] [--real-vod]

Runs everything on this machine: the VOD emulator seeded with the seed documents' events, the
callback function behind a local gateway on POST /vod/callback, and the pull-events timer every
N ms; at start the emulator also pushes the seed callbacks to the gateway (once per run). The
terminal shows which VOD is drained, the last round, and the stored events (type, task, file,
status, source, deliveries), refreshed after every round and cut to the terminal's size.

  --once           one drain and one round of pushed callbacks, print the table, exit
  --interval-ms N  time between timer rounds, 500 to 3600000 (default 5000)
  --port P         port of the callback server, 0 for any free port (default ${DEFAULT_SERVE_PORT})
  --real-vod       drain the VOD queue of the environment (TENCENTCLOUD_SECRETID/SECRETKEY,
                   VOD_ENDPOINT, default the real VOD) instead of the emulator, and push nothing.
                   Without it the emulator is used, whatever credentials are set.

Store: DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite); \`list\`,
\`stats\`, \`replay\` and \`drain\` in another terminal use this process's store meanwhile.
Pushes are signed with VOD_CALLBACK_SIGN_KEY, or a local key when it is unset.`,
  options: {
    once: { type: 'boolean' },
    'interval-ms': { type: 'string' },
    port: { type: 'string' },
    'real-vod': { type: 'boolean' },
  },
  async run({ values }, { env, stdout }) {
    const intervalMs = numberFlag(values, 'interval-ms', { min: 500, max: 3_600_000 }, 5_000);
    const port = numberFlag(values, 'port', { min: 0, max: 65_535 }, DEFAULT_SERVE_PORT);
    const base = loadConfig(env);
    const notes: string[] = [];
    // Whatever has started is stopped again, in reverse order, however the run ends (a busy port too).
    const started: (() => Promise<void>)[] = [];
    try {
      const local = values['real-vod'] ? undefined : await startLocalVod(base);
      if (local) started.push(() => local.emulator.close());
      const runtime: Runtime = localRuntime(local ? loadConfig({ ...env, ...local.env }) : base, { log: noteLogger(notes) });
      started.push(() => runtime.close());
      // Missing credentials for --real-vod: a configuration error before anything is drained.
      createVodQueueClient(runtime.config, runtime.clock);
      const gateway = await startCallbackServer(runtime, { port, host: '127.0.0.1' });
      started.push(() => gateway.close());
      const drainOnce = createPullEventsHandler(runtime);
      const once = values.once === true;
      // Ctrl-C ends the wait between rounds at once; a round in progress finishes first.
      const stop = new AbortController();
      void untilStopped().then(() => stop.abort());

      const round = async (tick: number): Promise<Round> => {
        if (local && tick > 0) local.emulator.enqueue([uploadEvent(tick, new Date(runtime.clock.now()))], { format: 'v3' });
        let result: Round = {};
        try {
          result.drained = await drainOnce({ Type: 'Timer', TriggerName: 'vod-events-dev' });
        } catch (error) {
          result = { failed: (error as Error).message };
        }
        // Each sample callback once per run: pushing them every round would make their delivery counts climb.
        if (local && tick === 0) {
          const signKey = runtime.config.callbackSignKeys[0];
          const pushes = await pushEvents(SAMPLE_CALLBACKS, { url: gateway.url, ...(signKey ? { signKey } : {}) });
          result.pushed = pushes.filter((push) => push.delivered).length;
        }
        return result;
      };

      const show = async (result: Round): Promise<void> => {
        // A pipe (or a test) gets the whole table, as `list` prints it.
        const { isTTY, columns, rows } = stdout;
        const terminal = isTTY && columns && rows ? { columns, rows } : undefined;
        const store = runtime.config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : runtime.config.pgliteDir;
        const status = [
          `vod-events dev — ${vodLine(local, runtime.config)}`,
          `callbacks: POST ${gateway.url}; store: ${store}`,
          ...drainLine(result).split('\n'),
          ...(once ? [] : [`next round in ${intervalMs / 1000} s; Ctrl-C to stop`]),
          ...notes.splice(0).slice(-3),
          '',
        ].map((line) => (terminal ? truncate(line, terminal.columns) : line));
        // The status stays on screen: the tables get the rows left under it, headers, rules and gap included.
        const eventStore = await runtime.store();
        const files = await eventStore.listFiles({ limit: FILE_ROWS, now: new Date(runtime.clock.now()) });
        const filesHeight = files.length === 0 ? 0 : files.length + 3;
        const limit =
          once || !terminal ? TABLE_ROWS : Math.max(1, Math.min(TABLE_ROWS, terminal.rows - status.length - filesHeight - 3));
        const events = await eventStore.listEvents({ limit });
        const table =
          events.length === 0
            ? 'No events stored yet.'
            : terminal
              ? renderTable(LIVE_COLUMNS, events, { width: terminal.columns })
              : renderTable(EVENT_COLUMNS, events);
        const fileTable =
          files.length === 0 ? [] : ['', renderTable(FILE_COLUMNS, files, terminal ? { width: terminal.columns } : {})];
        if (!once && stdout.isTTY) stdout.write('\x1b[2J\x1b[H');
        writeLine(stdout, [...status, table, ...fileTable].join('\n'));
      };

      for (let tick = 0; ; tick++) {
        const result = await round(tick);
        await show(result);
        if (once) return result.failed ? 1 : 0;
        await runtime.clock.sleep(intervalMs, stop.signal).catch(() => {});
        if (stop.signal.aborted) return 0;
      }
    } finally {
      for (const stopOne of started.reverse()) await stopOne();
    }
  },
});
