import { createPullEventsHandler, type PullEventsResult } from '../../../functions/pull-events/handler';
import { loadConfig, type Config } from '../../config';
import { SAMPLE_CALLBACKS, SAMPLE_QUEUE_EVENTS, uploadEvent } from '../../dev/sample-events';
import { LOCAL_CREDENTIAL, pushEvents, startEmulator, type RunningEmulator } from '../../emulator';
import type { Logger } from '../../log';
import { createRuntime, type Runtime } from '../../runtime';
import { listEvents } from '../../store/queries';
import { defineCommand, numberFlag, untilStopped } from '../command';
import { renderTable } from '../table';
import { EVENT_COLUMNS } from './list';
import { DEFAULT_SERVE_PORT, startCallbackServer } from './serve';

const TABLE_ROWS = 25;

/** Warnings and errors, kept for the status lines under the table instead of scrolling it away. */
function noteLogger(notes: string[]): Logger {
  return {
    log(level, message, fields) {
      if (level === 'warn' || level === 'error') notes.push(`${level}: ${message}${fields?.error ? ` (${String(fields.error)})` : ''}`);
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
  pushed: number;
  failed?: string;
}

function drainLine(round: Round): string {
  const { drained } = round;
  const summary = drained
    ? `drain: pulled ${drained.pulled}, new ${drained.inserted}, duplicates ${drained.duplicates}, confirmed ${drained.confirmed} (${drained.stopReason}, ${drained.elapsedMs} ms)`
    : `drain failed: ${round.failed}`;
  return `${summary}; callbacks pushed: ${round.pushed}`;
}

export const devCommand = defineCommand({
  name: 'dev',
  summary: 'run the whole pipeline locally: emulator, callback server, timer loop, live table',
  help: `Usage: vod-events dev [--once] [--interval-ms N] [--port P]

Runs everything on this machine: the VOD emulator seeded with the seed documents' events, the
callback function behind a local gateway on POST /vod/callback, and the pull-events timer every
N ms; the emulator also pushes the seed callbacks to the gateway. The terminal shows the stored
events (type, task, file, status, source, deliveries), refreshed after every round.

  --once           one drain and one round of pushed callbacks, print the table, exit
  --interval-ms N  time between timer rounds, 500 to 3600000 (default 5000)
  --port P         port of the callback server, 0 for any free port (default ${DEFAULT_SERVE_PORT})

Store: DATABASE_URL, else the embedded store in PGLITE_DIR (default .data/pglite).
With TENCENTCLOUD_SECRETID/SECRETKEY set and VOD_ENDPOINT unset it drains the real VOD queue
instead of the emulator (and pushes nothing). Pushes are signed with VOD_CALLBACK_SIGN_KEY, or a\nlocal key when it is unset.`,
  options: {
    once: { type: 'boolean' },
    'interval-ms': { type: 'string' },
    port: { type: 'string' },
  },
  async run({ values }) {
    const intervalMs = numberFlag(values, 'interval-ms', { min: 500, max: 3_600_000 }, 5_000);
    const port = numberFlag(values, 'port', { min: 0, max: 65_535 }, DEFAULT_SERVE_PORT);
    const base = loadConfig(process.env);
    const useRealVod = base.credentials.secretId !== undefined && process.env.VOD_ENDPOINT === undefined;
    const local = useRealVod ? undefined : await startLocalVod(base);
    const notes: string[] = [];
    const runtime: Runtime = createRuntime(local ? loadConfig({ ...process.env, ...local.env }) : base, { log: noteLogger(notes) });
    const gateway = await startCallbackServer(runtime, { port, host: '127.0.0.1' });
    const drainOnce = createPullEventsHandler(runtime);
    // Ctrl-C ends the wait between rounds at once; a round in progress finishes first.
    const stop = new AbortController();
    void untilStopped().then(() => stop.abort());

    async function round(tick: number): Promise<Round> {
      if (local && tick > 0) local.emulator.enqueue([uploadEvent(tick, new Date(runtime.clock.now()))], { format: 'v3' });
      let result: Round = { pushed: 0 };
      try {
        result.drained = await drainOnce({ Type: 'Timer', TriggerName: 'vod-events-dev' });
      } catch (error) {
        result = { pushed: 0, failed: (error as Error).message };
      }
      if (local) {
        const signKey = runtime.config.callbackSignKeys[0];
        const pushes = await pushEvents(SAMPLE_CALLBACKS, { url: gateway.url, ...(signKey ? { signKey } : {}) });
        result.pushed = pushes.filter((push) => push.delivered).length;
      }
      return result;
    }

    async function show(result: Round, once: boolean): Promise<void> {
      const events = await listEvents((await runtime.store()).sql, { limit: TABLE_ROWS });
      const source = local ? `emulator ${local.emulator.url}` : `VOD ${runtime.config.vodEndpoint}`;
      const lines = [
        `vod-events dev — ${source}, callbacks at ${gateway.url}, store ${runtime.config.databaseUrl ? 'PostgreSQL' : runtime.config.pgliteDir}`,
        drainLine(result),
        ...notes.splice(0).slice(-5),
        '',
        events.length === 0 ? 'No events stored yet.' : renderTable(EVENT_COLUMNS, events),
        ...(once ? [] : ['', `next round in ${intervalMs / 1000} s; Ctrl-C to stop`]),
      ];
      if (!once && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      console.log(lines.join('\n'));
    }

    try {
      for (let tick = 0; ; tick++) {
        const result = await round(tick);
        await show(result, values.once === true);
        if (values.once) return result.failed ? 1 : 0;
        await runtime.clock.sleep(intervalMs, stop.signal).catch(() => {});
        if (stop.signal.aborted) return 0;
      }
    } finally {
      await gateway.close();
      await runtime.close();
      await local?.emulator.close();
    }
  },
});
