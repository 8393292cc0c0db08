import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createPullEventsHandler } from '../../lib/app/pull-events';
import { replay } from '../../lib/callback/replay';
import { CALLBACK_STATEMENT_TIMEOUT_MS, LATE_STORE_MESSAGE } from '../../lib/callback/handle';
import { startCallbackServer } from '../../tools/cli/commands/serve';
import { systemClock } from '../../lib/clock';
import { DRAIN_MODES, loadConfig, type DrainMode } from '../../lib/config';
import { DrainError } from '../../lib/errors';
import { pushEvents, startEmulator, type PushResult, type RunningEmulator } from '../../tools/emulator';
import { dedupeKey } from '../../lib/events/dedupe-key';
import type { LocalGateway } from '../../tools/local-gateway/server';
import { jsonLineLogger, type Logger } from '../../lib/log';
import { createRuntime, type Runtime } from '../../lib/runtime';
import { openEventStore } from '../../lib/store/open-store';
import { CLIENT_TIMEOUT_MS } from '../../lib/vod/queue-client';
import { drainChildKilledMidFlight, type KilledDrain } from '../helpers/chaos-child';
import { startFaultyProxy, type FaultyProxy } from '../helpers/chaos-proxy';
import { countingRuntime, newTally } from '../helpers/chaos-store';
import { createDatabase, startPostgresServer, type PostgresServer } from '../helpers/postgres-server';
import { callbackForm, v3EventBatch } from '../helpers/v3-event-factory';

/*
 * The reliability proof: 10,000 events through VOD's queue and 2,000 of them also through the
 * callback, with every fault at once, must end as exactly 10,000 rows whose delivery counts add up
 * to the deliveries that were observed. It runs once per drain mode (DRAIN_MODE): `drain`, and
 * `follow`, whose invocations keep polling until their budget ends and overlap each other.
 *
 * Time scaling (so the suite runs in minutes on two cores), each stated where it is set:
 * - the emulator's handle life is 6 s instead of VOD's 30 s, so lost confirms and expired handles
 *   come back quickly. The drain's own guard stays at its production 25 s, so a confirm after a
 *   slow store reaches the emulator with a dead handle and is refused (InvalidParameterValue):
 *   the "handle expired" path is exercised at VOD's side; the guard itself is covered by
 *   test/e2e/drain-store-faults.test.ts.
 * - the pusher's timeout is 1.5 s instead of VOD's 5 s.
 * - hung pulls are held past the real client timeout (CLIENT_TIMEOUT_MS, 10 s): nothing shortened.
 */
const SEED = 20_240_607;
const EVENTS = 10_000;
const CALLBACK_EVENTS = 2_000;
const HANDLE_TTL_MS = 6_000;
const LOCK_AT_MS = 2_000;
// The lock is held until a drain's batch has waited on it longer than a handle lives (so its
// handles expire at VOD's side), at least LOCK_MIN_MS and at most LOCK_MAX_MS (< the store's 15 s
// statement_timeout). Loops cut off by hung pulls (10 s each) come back and block meanwhile.
const LOCK_MIN_MS = 10_000;
const LOCK_MAX_MS = 13_000;
const OUTAGE_LATEST_AFTER_LOCK_MS = 5_000;
const OUTAGE_MS = 3_000;
const PUSH_TIMEOUT_MS = 1_500;
const CHILD_CONCURRENCY = 4;
const PHASE_TWO_DEADLINE_MS = 200_000;
const SIGN_KEY = 'ChaosSignKey';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that only counts lines by message (10⁴ events make many), keeping dead letters. */
function countingLog() {
  const counts: Record<string, number> = {};
  const deadLetters: string[] = [];
  const logger: Logger = jsonLineLogger((line) => {
    const entry = JSON.parse(line) as { message: string; deadLetter?: boolean };
    counts[entry.message] = (counts[entry.message] ?? 0) + 1;
    if (entry.deadLetter === true) deadLetters.push(line);
  });
  return { logger, counts, deadLetters };
}

interface Invocation {
  instance: string;
  ok: boolean;
  inserted: number;
  duplicates: number;
  stopReason?: string;
  error?: string;
  ms: number;
}

let server: PostgresServer;
let databaseUrl: string;
let emulator: RunningEmulator;
let gateway: LocalGateway;
let proxy: FaultyProxy;
const runtimes: Runtime[] = [];

beforeAll(async () => {
  server = await startPostgresServer();
});

/** A fresh database and emulator for one run of the scenario. */
async function prepare(mode: DrainMode) {
  databaseUrl = await createDatabase(server.url, `chaos_${mode}`);
  emulator = await startEmulator({
    handleTtlMs: HANDLE_TTL_MS,
    seed: SEED,
    faults: {
      PullEvents: { errorRate: 0.1, hangRate: 0.05 },
      ConfirmEvents: { lostConfirmRate: 0.2 },
    },
  });
  // The table exists before a session locks it.
  const setup = await openEventStore({ databaseUrl, pgliteDir: '' });
  await setup.close();
}

afterEach(async () => {
  await proxy?.close();
  await gateway?.close();
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close().catch(() => {})));
  await emulator?.close();
});

afterAll(async () => {
  await server?.stop();
  server?.remove();
});

describe('exactly once under chaos', () => {
  it.each(DRAIN_MODES)(
    `DRAIN_MODE=%s: stores ${EVENTS} events once each through pull faults, lost confirms, a locked table, a database restart, overlapping and killed invocations, and ${CALLBACK_EVENTS} callbacks with retries`,
    async (mode) => {
      // Prepare
      await prepare(mode);
      const started = Date.now();
      const events = v3EventBatch(EVENTS, SEED);
      const expectedIds = new Set(events.map((event) => dedupeKey(event)));
      expect(expectedIds.size).toBe(EVENTS);
      const [credential] = emulator.credentials;
      const drainEnv = {
        DATABASE_URL: databaseUrl,
        VOD_ENDPOINT: emulator.url,
        TENCENTCLOUD_SECRETID: credential!.secretId,
        TENCENTCLOUD_SECRETKEY: credential!.secretKey,
        DRAIN_BUDGET_MS: '25000',
        DRAIN_MODE: mode,
      };
      const pullTally = newTally();
      const pullLog = countingLog();
      const instance = (name: string) => {
        const runtime = createRuntime(loadConfig(drainEnv), { log: pullLog.logger });
        runtimes.push(runtime);
        return { name, handle: createPullEventsHandler(countingRuntime(runtime, pullTally)) };
      };
      const invocations: Invocation[] = [];
      const invoke = async ({ name, handle }: ReturnType<typeof instance>): Promise<Invocation> => {
        const begun = Date.now();
        let record: Invocation;
        try {
          const result = await handle({ Type: 'Timer', TriggerName: 'chaos' }, { request_id: `${name}-${invocations.length}` });
          record = {
            instance: name,
            ok: true,
            inserted: result.inserted,
            duplicates: result.duplicates,
            stopReason: result.stopReason,
            ms: Date.now() - begun,
          };
        } catch (error) {
          const partial = error instanceof DrainError ? error.result : undefined;
          record = {
            instance: name,
            ok: false,
            inserted: partial?.inserted ?? 0,
            duplicates: partial?.duplicates ?? 0,
            error: (error as Error).message.slice(0, 120),
            ms: Date.now() - begun,
          };
        }
        invocations.push(record);
        return record;
      };

      // The callback path: the function behind the local gateway, behind a network that loses answers.
      const callbackTally = newTally();
      const callbackLog = countingLog();
      const callbackRuntime = createRuntime(loadConfig({ DATABASE_URL: databaseUrl, VOD_CALLBACK_SIGN_KEY: SIGN_KEY }), {
        log: callbackLog.logger,
        // As the callback function runs on SCF (lib/app/callback.ts).
        statementTimeoutMs: CALLBACK_STATEMENT_TIMEOUT_MS,
      });
      runtimes.push(callbackRuntime);
      gateway = await startCallbackServer(countingRuntime(callbackRuntime, callbackTally), { port: 0, host: '127.0.0.1' });
      proxy = await startFaultyProxy({
        target: gateway.url,
        delayRate: 0.08,
        delayMs: PUSH_TIMEOUT_MS + 500,
        dropRate: 0.03,
        seed: SEED,
      });
      // Every fifth event, as VOD's normal callback sends it (nulls left out).
      const pushed = events
        .filter((_, i) => i % 5 === 0)
        .slice(0, CALLBACK_EVENTS)
        .map(callbackForm);

      // Act
      emulator.enqueue(events);
      // Three overlapping timer invocations, each retried twice on failure as SCF does with async invocations.
      const instances = ['A', 'B', 'C'].map(instance);
      const phaseOne = instances.map(async (one, i) => {
        await sleep(i * 500);
        for (let attempt = 0; attempt < 3; attempt++) {
          if ((await invoke(one)).ok) return;
          await sleep(1_000);
        }
      });
      // A fourth invocation, a real process, killed mid-flight.
      const killed: Promise<KilledDrain> = sleep(300).then(() =>
        drainChildKilledMidFlight(
          { ...drainEnv, DRAIN_CONCURRENCY: String(CHILD_CONCURRENCY) },
          { killAfterBatches: 25, maxMs: 10_000 },
        ),
      );
      // Callbacks in paced chunks, so they meet the locked table and the outage too.
      const pushes: Promise<PushResult[]> = (async () => {
        const results: PushResult[] = [];
        for (let i = 0; i < pushed.length; i += 200) {
          results.push(
            ...(await pushEvents(pushed.slice(i, i + 200), { url: proxy.url, signKey: SIGN_KEY, timeoutMs: PUSH_TIMEOUT_MS }, 8)),
          );
          await sleep(300);
        }
        return results;
      })();
      // A session holds the table: every write waits, some past the handles' life.
      let lockHeldMs = 0;
      const lock = sleep(LOCK_AT_MS).then(async () => {
        const blocker = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        try {
          await blocker.begin(async (tx) => {
            await tx`LOCK TABLE vod_events IN EXCLUSIVE MODE`;
            const lockedAt = Date.now();
            let blockedSince: number | undefined;
            for (;;) {
              const now = Date.now();
              if (blockedSince === undefined && pullTally.inFlight > 0) blockedSince = now;
              const expired = blockedSince !== undefined && now - blockedSince > HANDLE_TTL_MS + 1_000;
              if ((expired && now - lockedAt >= LOCK_MIN_MS) || now - lockedAt >= LOCK_MAX_MS) break;
              await sleep(50);
            }
            lockHeldMs = Date.now() - lockedAt;
          });
        } finally {
          await blocker.end();
        }
      });
      // The database goes away for 3 s mid-drain: once the lock is gone and batches are being stored again.
      let outageAt = 0;
      const outage = lock.then(async () => {
        const storedBefore = pullTally.okCalls;
        const latest = Date.now() + OUTAGE_LATEST_AFTER_LOCK_MS;
        while (pullTally.okCalls < storedBefore + 10 && Date.now() < latest) await sleep(50);
        outageAt = Date.now() - started;
        await server.stop();
        await sleep(OUTAGE_MS);
        await server.restart();
      });
      await Promise.all([...phaseOne, killed, pushes, lock, outage]);
      const phaseOneMs = Date.now() - started;

      // SCF's timer: one invocation after another until VOD's queue is empty.
      const timer = instance('timer');
      let timerInvocations = 0;
      for (;;) {
        const result = await invoke(timer);
        timerInvocations++;
        const { pending, inflight } = emulator.stats();
        if (result.ok && pending === 0 && inflight === 0) break;
        if (Date.now() - started > PHASE_TWO_DEADLINE_MS) break;
      }

      // The operator replays what the callback dead-lettered while the database was down.
      const replayStore = await openEventStore({ databaseUrl, pgliteDir: '' });
      const replayed = await replay(callbackLog.deadLetters, { store: replayStore, clock: systemClock });

      // Assess
      const child = await killed;
      const pushResults = await pushes;
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const [table] = await sql<{ rows: number; ids: number; deliveries: number }[]>`
      SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids, coalesce(sum(delivery_count), 0)::int AS deliveries FROM vod_events`;
      const storedIds = new Set((await sql<{ id: string }[]>`SELECT id FROM vod_events`).map((row) => row.id));
      const [bySource] = await sql<{ pull: number; callback: number }[]>`
      SELECT count(*) FILTER (WHERE source = 'pull')::int AS pull, count(*) FILTER (WHERE source = 'callback')::int AS callback FROM vod_events`;
      await sql.end();
      await replayStore.close();
      const stats = emulator.stats();
      const elapsedMs = Date.now() - started;

      const fromInvocations = invocations.reduce((sum, one) => sum + one.inserted + one.duplicates, 0);
      const fromChild = child.inserted + child.duplicates;
      const callback200s = proxy.stats.upstream['200'] ?? 0;
      const fromReplay = replayed.stored + replayed.duplicates;
      // Writes that committed just as their 503's cancel arrived say so in the log.
      const lateCallbackStores = callbackLog.counts[LATE_STORE_MESSAGE] ?? 0;
      const observed = fromInvocations + fromChild + callback200s + lateCallbackStores + fromReplay;
      // Deliveries that may be in the table without having been seen: the killed child's batches
      // stored but not yet logged (at most one per loop), and upserts whose connection broke after sending.
      const unseenBound = CHILD_CONCURRENCY * 16 + pullTally.failedAmbiguousEvents + callbackTally.failedAmbiguousEvents;
      const unseen = table!.deliveries - observed;
      const retriedPushes = pushResults.filter((result) => result.attempts > 1).length;
      const figures = {
        events: EVENTS,
        callbacksPushed: pushed.length,
        elapsedS: +(elapsedMs / 1000).toFixed(1),
        phaseOneS: +(phaseOneMs / 1000).toFixed(1),
        outageAtS: +(outageAt / 1000).toFixed(1),
        lockHeldS: +(lockHeldMs / 1000).toFixed(1),
        // Batches stored more than a handle's life after they were pulled: their handles had expired.
        pullUpsertsOutlivingHandles: pullTally.slowOkMs.filter((ms) => ms > HANDLE_TTL_MS).length,
        invocations: {
          inProcess: invocations.length,
          failed: invocations.filter((one) => !one.ok).length,
          timerLoop: timerInvocations,
          killedChild: {
            batchesLogged: child.batches,
            stored: fromChild,
            killedAfterMs: child.killedAfterMs,
            signal: child.signal,
          },
        },
        faultsInjected: stats.faults,
        emulatorErrors: stats.errors,
        emulatorCalls: stats.calls,
        queue: { pending: stats.pending, inflight: stats.inflight, confirmed: stats.confirmed, delivered: stats.delivered },
        table: { ...table, ...bySource },
        deliveries: { observed, fromInvocations, fromChild, callback200s, lateCallbackStores, fromReplay, unseen, unseenBound },
        duplicatesAbsorbed: table!.deliveries - table!.rows,
        pull: {
          upserts: pullTally.okCalls,
          failedUpserts: pullTally.failures,
          leftUnconfirmedLines: pullLog.counts['stored events left unconfirmed; VOD will redeliver them'] ?? 0,
          retries: {
            pull: pullLog.counts['pull failed, retrying'] ?? 0,
            store: pullLog.counts['store failed, retrying'] ?? 0,
            confirm: pullLog.counts['confirm failed, retrying'] ?? 0,
          },
        },
        callback: {
          proxy: proxy.stats,
          retriedPushes,
          undelivered: pushResults.filter((result) => !result.delivered).length,
          deadLetters: callbackLog.deadLetters.length,
          failedUpserts: callbackTally.failures,
        },
      };
      console.log(`chaos figures:\n${JSON.stringify(figures, null, 2)}`);
      console.log(
        `invocations:\n${invocations.map((one) => `  ${one.instance} ${one.ok ? one.stopReason : 'FAILED'} +${one.inserted}/${one.duplicates} dup in ${one.ms} ms${one.error ? ` — ${one.error}` : ''}`).join('\n')}`,
      );

      // Every event exactly once, none missing, none extra.
      expect(table).toMatchObject({ rows: EVENTS, ids: EVENTS });
      expect([...expectedIds].filter((id) => !storedIds.has(id))).toEqual([]);
      expect([...storedIds].filter((id) => !expectedIds.has(id))).toEqual([]);
      // VOD's queue is empty: nothing pending, nothing handed out and unconfirmed.
      expect({ pending: stats.pending, inflight: stats.inflight }).toEqual({ pending: 0, inflight: 0 });
      // delivery_count adds up to what was observed, within the stated bound of unseen deliveries.
      expect(unseen).toBeGreaterThanOrEqual(0);
      expect(unseen).toBeLessThanOrEqual(unseenBound);
      // The counts at the store's edge agree with what the functions reported.
      expect(pullTally.okEvents).toBe(fromInvocations);
      expect(callbackTally.okEvents).toBe(callback200s + lateCallbackStores);
      // Every fault really happened.
      expect(stats.faults.error).toBeGreaterThan(0);
      expect(stats.faults.hang).toBeGreaterThan(0);
      expect(stats.faults.lostConfirm).toBeGreaterThan(0);
      // Batches waited on the locked table longer than their handles lived.
      expect(figures.pullUpsertsOutlivingHandles).toBeGreaterThan(0);
      // The outage hit both paths while they were storing.
      expect(pullTally.failedCalls).toBeGreaterThan(0);
      expect(callbackTally.failedCalls).toBeGreaterThan(0);
      expect(child).toMatchObject({ signal: 'SIGKILL', finished: false });
      expect(child.batches).toBeGreaterThan(0);
      expect(proxy.stats.delayed).toBeGreaterThan(0);
      expect(proxy.stats.dropped).toBeGreaterThan(0);
      expect(retriedPushes).toBeGreaterThan(0);
      expect(figures.duplicatesAbsorbed).toBeGreaterThan(CALLBACK_EVENTS);
      // Hung pulls were cut by the client's own timeout, not shortened for the test.
      expect(CLIENT_TIMEOUT_MS).toBe(10_000);
      expect(elapsedMs).toBeLessThan(280_000);

      // The state tables, merged in the events' statements through all of the above, equal a rebuild from vod_events.
      const stateStore = await openEventStore({ databaseUrl, pgliteDir: '' });
      try {
        const live = await stateStore.stateRows();
        expect(live.files.length).toBeGreaterThan(0);
        await stateStore.rebuildState();
        expect(await stateStore.stateRows()).toEqual(live);
      } finally {
        await stateStore.close();
      }
    },
  );
});
