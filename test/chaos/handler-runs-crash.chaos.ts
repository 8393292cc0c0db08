import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALLBACK_PATH } from '../../lib/callback/gateway-event';
import { dedupeKey } from '../../lib/events/dedupe-key';
import { FORWARD_HANDLER } from '../../lib/react/forward';
import { openPostgres } from '../../lib/store/postgres-client';
import { migrate } from '../../lib/store/schema';
import type { SqlClient } from '../../lib/store/sql-client';
import { pushEvents, startEmulator, type PushResult, type RunningEmulator } from '../../tools/emulator';
import { cleanEnv, runCli, waitFor, type CliProcess } from '../helpers/cli-process';
import { buildCrashBundles, type CrashBundles } from '../helpers/crash-bundles';
import { CRASH_EFFECTS_TABLE } from '../helpers/crash-handlers';
import { startFunctionUrlFront, type FunctionUrlFront } from '../helpers/function-url-front';
import { freePort } from '../helpers/ports';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';
import { callbackForm, v3EventBatch } from '../helpers/v3-event-factory';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

/*
 * Handler runs under crashes, through the real delivery paths: 2,000 events queued at the VOD
 * emulator in waves, drained by the timer function's bundle (main_handler, as SCF calls it) in
 * overlapping instances, a third of them also pushed by callback (a quarter of those twice) to the
 * callback function's bundle behind a function-URL gateway, while `vod-events dispatch` runs too.
 * Every one of these processes runs the crash handler (test/helpers/crash-handlers.ts) in place of
 * handlers/index.ts, plus forwarding to a receiver that verifies with `standardwebhooks`; the
 * handler SIGKILLs its own process at random points, and the killed instance is replaced, as SCF
 * replaces one. At the end: every event stored once, every (event, handler) succeeded once, no
 * body run in an attempt that started after its run was recorded succeeded, every event forwarded.
 *
 * Time scaling (so it runs in under a minute on two cores), each stated where it is set: the
 * emulator's handle life is 3 s instead of VOD's 30 s (lost confirms come back quickly); the timer's
 * function timeout is 15 s instead of 72 s and its pull window 3 s; the first retry of a failed run
 * comes after 200 ms instead of 30 s; the forward timeout is 2 s instead of 5 s (its lease 5 s).
 */
const SEED = 15_015;
const EVENTS = 2_000;
const WAVES = 8;
const WAVE_EVERY_MS = 1_500;
const HANDLE_TTL_MS = 3_000;
const SETTLE_DEADLINE_MS = 150_000;
const SIGN_KEY = 'CrashSignKey';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HANDLERS = ['effect', FORWARD_HANDLER];

/** The processes that run handlers: the timer function, the callback function, `vod-events dispatch`. */
const ROLES = ['timer', 'callback', 'dispatcher'] as const;
type Role = (typeof ROLES)[number];
/** Chance of dying at each of the handler's two kill points. The callback runs only its new events' runs: more often, so it dies too. */
const KILL_RATES: Record<Role, number> = { timer: 0.006, callback: 0.015, dispatcher: 0.006 };

let server: PostgresServer;
let databaseUrl: string;
let sql: SqlClient;
let emulator: RunningEmulator;
let receiver: WebhookReceiver;
let bundles: CrashBundles;
let callbackPort: number;
let front: FunctionUrlFront;
/** Processes still running, ended in afterAll should the test stop early. */
const live = new Set<CliProcess>();
/** The loops that replace processes go on while callbacks are pushed, and until everything has settled. */
let pushing = true;
let settled = false;

beforeAll(async () => {
  server = await startPostgresServer();
  databaseUrl = await createDatabase(server.url, 'crash');
  sql = openPostgres(databaseUrl);
  await migrate(sql);
  await sql.query(CRASH_EFFECTS_TABLE);
  // Every change made to a run already recorded succeeded (a claim would change its status,
  // attempts and lease): none may happen, so no body can start again once its success is recorded.
  await sql.exec(`CREATE TABLE crash_after_success (event_id text NOT NULL, handler text NOT NULL, status text NOT NULL);
CREATE FUNCTION crash_after_success() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
  INSERT INTO crash_after_success VALUES (NEW.event_id, NEW.handler, NEW.status); RETURN NEW; END $f$;
CREATE TRIGGER crash_after_success AFTER UPDATE ON vod_handler_runs FOR EACH ROW
  WHEN (OLD.status = 'succeeded' AND (NEW.status, NEW.attempts, NEW.lease_token) IS DISTINCT FROM (OLD.status, OLD.attempts, OLD.lease_token))
  EXECUTE FUNCTION crash_after_success();`);
  emulator = await startEmulator({
    handleTtlMs: HANDLE_TTL_MS,
    longPollMs: 300,
    seed: SEED,
    faults: { ConfirmEvents: { lostConfirmRate: 0.1 } },
  });
  receiver = await startWebhookReceiver(SECRET);
  bundles = await buildCrashBundles();
  callbackPort = await freePort();
  front = await startFunctionUrlFront(callbackPort, CALLBACK_PATH);
});

afterAll(async () => {
  pushing = false;
  settled = true;
  for (const child of live) child.child.kill('SIGKILL');
  await sql?.close();
  await front?.close();
  await receiver?.close();
  await emulator?.close();
  await server?.stop();
  server?.remove();
  if (bundles) rmSync(bundles.dir, { recursive: true, force: true });
});

/** The JSON log lines of `output` whose message is `message`. */
const linesOf = (output: string, message: string) =>
  output
    .split('\n')
    .filter((line) => line.includes(`"message":"${message}"`))
    .map((line) => JSON.parse(line) as Record<string, number>);

const count = async (query: string): Promise<number> => Number((await sql.query<{ n: number }>(query))[0]!.n);

it(`stores ${EVENTS} events delivered by pull and by callback once each, and runs each (event, handler) to exactly one success while every process that runs handlers SIGKILLs itself at random points`, async () => {
  const started = Date.now();
  const events = v3EventBatch(EVENTS, SEED);
  const expectedIds = new Set(events.map((event) => dedupeKey(event)));
  expect(expectedIds.size).toBe(EVENTS);
  const [credential] = emulator.credentials;
  const env = {
    ...cleanEnv(),
    DATABASE_URL: databaseUrl,
    FORWARD_URL: receiver.url,
    FORWARD_SECRET: SECRET,
    FORWARD_TIMEOUT_MS: '2000',
    RUNS_RETRY_BASE_MS: '200',
  };
  const processes = Object.fromEntries(ROLES.map((role) => [role, { started: 0, killed: 0 }])) as Record<
    Role,
    { started: number; killed: number }
  >;
  const start = (role: Role, script: string, args: string[], roleEnv: Record<string, string>): CliProcess => {
    const child = runCli(script, args, { ...env, ...roleEnv, CRASH_ROLE: role, CRASH_KILL_RATE: String(KILL_RATES[role]) });
    processes[role].started++;
    live.add(child);
    void child.closed.then((signal) => {
      live.delete(child);
      if (signal === 'SIGKILL') processes[role].killed++;
    });
    return child;
  };

  // The callback function: one instance behind the function URL, replaced as soon as it dies, until the last push.
  let callbackInstance: CliProcess | undefined;
  const callbackInstances = (async () => {
    while (pushing) {
      callbackInstance = start('callback', bundles.callbackInstance, [], {
        FUNCTION_BUNDLE: bundles.callback,
        PORT: String(callbackPort),
        VOD_CALLBACK_SIGN_KEY: SIGN_KEY,
      });
      await callbackInstance.closed;
    }
  })();
  await waitFor(() => callbackInstance?.stderr().includes('listening') === true, 'the callback instance').catch(
    (error: unknown) => {
      pushing = false;
      throw new Error(`${(error as Error).message}: ${callbackInstance?.stderr()}`);
    },
  );

  // SCF's timer: two instances at a time (overlapping invocations), each replaced when it ends or dies.
  const summaries: Record<string, number>[] = [];
  const timerInstances = async () => {
    while (!settled) {
      const instance = start('timer', bundles.timerInstance, [], {
        FUNCTION_BUNDLE: bundles.pullEvents,
        FUNCTION_TIMEOUT_MS: '15000',
        INVOCATIONS: '4',
        TICK_MS: '300',
        VOD_ENDPOINT: emulator.url,
        TENCENTCLOUD_SECRETID: credential!.secretId,
        TENCENTCLOUD_SECRETKEY: credential!.secretKey,
        DRAIN_BUDGET_MS: '3000',
      });
      await instance.closed;
      summaries.push(...linesOf(instance.stdout(), 'pull-events finished'));
    }
  };
  // `vod-events dispatch`, one after another.
  const dispatchers = async () => {
    while (!settled) {
      await start('dispatcher', bundles.cli, ['dispatch', '--budget-ms', '20000'], {}).closed;
      await sleep(300);
    }
  };

  // VOD: the events queued in waves; a third of each wave also pushed by callback, a quarter of
  // those twice. Half of the pushed ones are queued with their wave (the pull tends to be first),
  // the other half once their callbacks are answered (the callback is first).
  const pushResults: PushResult[] = [];
  let pushesDoneMs = 0;
  const waves = (async () => {
    const pushes: Promise<void>[] = [];
    const size = EVENTS / WAVES;
    for (let wave = 0; wave < WAVES; wave++) {
      const queued = events.slice(wave * size, (wave + 1) * size);
      const pushed = queued.filter((_, i) => i % 3 === 0);
      const callbackFirst = pushed.filter((_, i) => i % 2 === 1);
      const repeated = pushed.filter((_, i) => i % 4 === 0);
      emulator.enqueue(queued.filter((event) => !callbackFirst.includes(event)));
      pushes.push(
        pushEvents([...pushed, ...repeated].map(callbackForm), { url: front.url, signKey: SIGN_KEY, timeoutMs: 3_000 }, 4).then(
          (results) => {
            pushResults.push(...results);
            emulator.enqueue(callbackFirst);
          },
        ),
      );
      await sleep(WAVE_EVERY_MS);
    }
    await Promise.all(pushes);
    pushesDoneMs = Date.now() - started;
    pushing = false;
    callbackInstance?.child.kill('SIGTERM');
  })();

  // Settled: every push made, VOD's queue empty, and every run of every stored event succeeded.
  const settle = (async () => {
    while (Date.now() - started < SETTLE_DEADLINE_MS) {
      await sleep(500);
      const { pending, inflight } = emulator.stats();
      if (pushing || pending + inflight > 0) continue;
      const open = await count(`SELECT count(*)::int AS n FROM vod_handler_runs WHERE status <> 'succeeded'`);
      const runs = await count(`SELECT count(*)::int AS n FROM vod_handler_runs`);
      const stored = await count(`SELECT count(*)::int AS n FROM vod_events`);
      if (open === 0 && runs === HANDLERS.length * stored) break;
    }
    settled = true;
  })();
  await Promise.all([waves, callbackInstances, timerInstances(), timerInstances(), dispatchers(), settle]);
  const elapsedMs = Date.now() - started;

  // Assess
  const stats = emulator.stats();
  const [table] = await sql.query<{ rows: number; deliveries: number; by_callback: number }>(
    `SELECT count(*)::int AS rows, coalesce(sum(delivery_count), 0)::int AS deliveries,
       count(*) FILTER (WHERE source = 'callback')::int AS by_callback FROM vod_events`,
  );
  const storedIds = new Set((await sql.query<{ id: string }>('SELECT id FROM vod_events')).map((row) => row.id));
  const runs = await sql.query<{ handler: string; status: string; n: number }>(
    `SELECT handler, status, count(*)::int AS n FROM vod_handler_runs GROUP BY handler, status ORDER BY handler, status`,
  );
  const withoutSuccess = await count(
    `SELECT count(*)::int AS n FROM vod_events AS e CROSS JOIN unnest(ARRAY['${HANDLERS.join("','")}']) AS h(name)
     WHERE NOT EXISTS (SELECT 1 FROM vod_handler_runs AS r WHERE r.event_id = e.id AND r.handler = h.name AND r.status = 'succeeded')`,
  );
  const changedAfterSuccess = await count('SELECT count(*)::int AS n FROM crash_after_success');
  const withoutEffect = await count(
    `SELECT count(*)::int AS n FROM vod_events AS e WHERE NOT EXISTS (SELECT 1 FROM crash_effects AS c WHERE c.event_id = e.id)`,
  );
  const effectsByRole = Object.fromEntries(
    (await sql.query<{ role: string; n: number }>(`SELECT role, count(*)::int AS n FROM crash_effects GROUP BY role`)).map(
      (row) => [row.role, row.n],
    ),
  );
  const forwarded = new Set(receiver.verified.map((delivery) => delivery.id));
  const statuses = pushResults.flatMap((result) => result.statuses);
  const callback200s = statuses.filter((status) => status === 200).length;
  const answers: Record<string, number> = {};
  for (const status of statuses) answers[status] = (answers[status] ?? 0) + 1;
  const kills = ROLES.reduce((sum, role) => sum + processes[role].killed, 0);
  const timerRuns = summaries.reduce((sum, line) => sum + line.runsSucceeded!, 0);
  const figures = {
    elapsedS: +(elapsedMs / 1000).toFixed(1),
    pushesDoneS: +(pushesDoneMs / 1000).toFixed(1),
    events: EVENTS,
    callbacks: { pushes: pushResults.length, attempts: statuses.length, answers, front: front.stats },
    processes,
    kills,
    timerInvocations: summaries.length,
    runsSucceededByTimerDispatch: timerRuns,
    effectsByRole,
    queue: {
      pending: stats.pending,
      inflight: stats.inflight,
      delivered: stats.delivered,
      lostConfirms: stats.faults.lostConfirm,
    },
    table,
    duplicatesAbsorbed: table!.deliveries - table!.rows,
    runs,
    forwards: { deliveries: receiver.verified.length, distinct: forwarded.size, refused: receiver.refused.length },
  };
  console.log(`crash figures:\n${JSON.stringify(figures, null, 2)}`);

  // Every event VOD sent, by either path, stored exactly once; VOD's queue empty.
  expect(table!.rows).toBe(EVENTS);
  expect([...storedIds].filter((id) => !expectedIds.has(id))).toEqual([]);
  expect([...expectedIds].filter((id) => !storedIds.has(id))).toEqual([]);
  expect({ pending: stats.pending, inflight: stats.inflight }).toEqual({ pending: 0, inflight: 0 });
  // Each delivery counted: every event was pulled at least once, and each 200 answer stored one
  // delivery; no more deliveries than VOD handed out and callbacks attempted.
  expect(table!.deliveries).toBeGreaterThanOrEqual(EVENTS + callback200s);
  expect(table!.deliveries).toBeLessThanOrEqual(stats.delivered + statuses.length);
  // Exactly one succeeded run per (event, handler).
  expect(runs).toEqual(HANDLERS.map((handler) => ({ handler, status: 'succeeded', n: EVENTS })));
  expect(withoutSuccess).toBe(0);
  // No body completed twice once its run was recorded succeeded; every event's body completed.
  expect(changedAfterSuccess).toBe(0);
  expect(withoutEffect).toBe(0);
  // The receiver verified every delivery and saw every event's webhook-id, and no other.
  expect(receiver.refused).toEqual([]);
  expect([...storedIds].filter((id) => !forwarded.has(id))).toEqual([]);
  expect([...forwarded].filter((id) => !storedIds.has(id))).toEqual([]);

  // What was exercised: kills, both paths, duplicates of both kinds, each process running handlers.
  expect(kills).toBeGreaterThanOrEqual(10);
  for (const role of ROLES) expect(processes[role].killed, role).toBeGreaterThan(0);
  // Every callback passed its signature check (a 503 would only mean a store statement over 3 s under load).
  expect(statuses.filter((status) => typeof status === 'number' && status >= 400 && status < 500)).toEqual([]);
  expect(callback200s).toBeGreaterThan(pushResults.length / 2);
  expect(table!.by_callback).toBeGreaterThan(0);
  expect(stats.delivered).toBeGreaterThan(EVENTS);
  expect(summaries.length).toBeGreaterThan(0);
  for (const role of ROLES) expect(effectsByRole[role] ?? 0, role).toBeGreaterThan(0);
  expect(elapsedMs).toBeLessThan(180_000);
});
