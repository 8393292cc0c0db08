import { inject } from 'vitest';
import { createPullEventsHandler, type ScfContext } from '../../lib/app/pull-events';
import { loadConfig } from '../../lib/config';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../tools/emulator';
import { silentLogger } from '../../lib/log';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../lib/runtime';
import { createDatabase } from './postgres-server';

export interface DrainHarness {
  emulator: RunningEmulator;
  databaseUrl: string;
  /** A fresh runtime + handler per call, as a new SCF instance would build them; `options` add handlers or a log. */
  invoke(
    env?: Record<string, string>,
    context?: ScfContext,
    options?: RuntimeOptions,
  ): Promise<Awaited<ReturnType<ReturnType<typeof createPullEventsHandler>>>>;
  /** Every runtime made so far, for queries and clean-up. */
  runtimes: Runtime[];
  rows(): Promise<{ id: string; delivery_count: number; event_type: string }[]>;
  close(): Promise<void>;
}

/** The emulator on loopback, a fresh database on the suite's PostgreSQL, and the real handler between them. */
export async function startDrainHarness(
  emulatorOptions: EmulatorOptions = {},
  baseEnv: Record<string, string> = {},
): Promise<DrainHarness> {
  const emulator = await startEmulator({ longPollMs: 200, ...emulatorOptions });
  const databaseUrl = await createDatabase(inject('postgresUrl'), 'drain');
  const [credential] = emulator.credentials;
  const runtimes: Runtime[] = [];
  const envFor = (env: Record<string, string>) => ({
    DATABASE_URL: databaseUrl,
    VOD_ENDPOINT: emulator.url,
    TENCENTCLOUD_SECRETID: credential!.secretId,
    TENCENTCLOUD_SECRETKEY: credential!.secretKey,
    DRAIN_BUDGET_MS: '20000',
    ...baseEnv,
    ...env,
  });
  const harness: DrainHarness = {
    emulator,
    databaseUrl,
    runtimes,
    async invoke(env = {}, context = {}, options = {}) {
      const runtime = createRuntime(loadConfig(envFor(env)), { log: silentLogger, ...options });
      runtimes.push(runtime);
      return createPullEventsHandler(runtime)({ Type: 'Timer', TriggerName: 'test' }, context);
    },
    async rows() {
      const runtime = runtimes[0] ?? createRuntime(loadConfig(envFor({})), { log: silentLogger });
      if (!runtimes.includes(runtime)) runtimes.push(runtime);
      const store = await runtime.store();
      const events = await store.listEvents({ limit: 1_000_000 });
      return events
        .map((event) => ({ id: event.id, delivery_count: event.deliveryCount, event_type: event.eventType }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async close() {
      await Promise.all(runtimes.map((runtime) => runtime.close()));
      await emulator.close();
    },
  };
  return harness;
}
