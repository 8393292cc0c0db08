// The handlers module of the crash test (test/chaos/handler-runs-crash.chaos.ts): built into the
// functions and the CLI in place of handlers/index.ts (test/helpers/crash-bundles.ts). Its one
// handler, on every event, records each completed body in crash_effects and SIGKILLs its own
// process at random points: before the body, and after it but before its success is recorded.
import postgres from 'postgres';
import { defineHandlers, type Handler } from '../../lib/react/handler';

/** One row per completed body: which run, which attempt, and which process (`CRASH_ROLE`) ran it. */
export const CRASH_EFFECTS_TABLE =
  'CREATE TABLE crash_effects (event_id text NOT NULL, attempt integer NOT NULL, role text NOT NULL)';

/** The environment of the processes that load this module. */
export interface CrashEnv {
  /** Chance of dying at each kill point. */
  CRASH_KILL_RATE: string;
  /** Which process this is (`timer`, `callback`, `dispatcher`): recorded with each effect. */
  CRASH_ROLE: string;
  DATABASE_URL: string;
}

const env = process.env as Partial<CrashEnv>;
const killRate = Number(env.CRASH_KILL_RATE ?? 0);
const maybeDie = () => {
  if (Math.random() < killRate) process.kill(process.pid, 'SIGKILL');
};
// The handler's own connections, as a user's handler would have them; idle ones close after a
// second, so they never keep a finished `vod-events dispatch` process alive.
let sql: postgres.Sql | undefined;

const effect: Handler = {
  name: 'effect',
  timeoutMs: 1_000,
  async run({ event, context }) {
    maybeDie();
    sql ??= postgres(env.DATABASE_URL!, { max: 2, idle_timeout: 1, onnotice: () => {} });
    await sql`INSERT INTO crash_effects (event_id, attempt, role) VALUES (${event.id}, ${context.attempt}, ${env.CRASH_ROLE ?? 'unknown'})`;
    maybeDie();
  },
};

export default defineHandlers({ '*': [effect] });
