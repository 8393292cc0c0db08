// Runs in its own process for bench/dispatch.mjs, with one handler under '*' (HANDLER_MS: how long
// its body waits; 0 is a no-op) that records when each run started. Prints its figures as JSON.
// Modes:
//   throughput <count>: stores <count> events through the store (with the outbox), then times
//     dispatchRuns until every run succeeded;
//   pull [startAt]: one invocation of the pull-events handler over the emulator's queue, at epoch ms
//     startAt when given (so the bench can feed the queue during it); DRAIN_MODE=drain dispatches
//     after the drain, DRAIN_MODE=follow during it too;
//   callback <count>: <count> new events POSTed one after another to the callback handler, each
//     answered after its runs (within CALLBACK_DISPATCH_MS).
// Latency is each handler start minus its row's first_received_at (the store's receive time).
import postgres from 'postgres';
import { createCallbackHandler } from '../lib/app/callback';
import { createPullEventsHandler } from '../lib/app/pull-events';
import { loadConfig } from '../lib/config';
import { normalize } from '../lib/events/normalize';
import { silentLogger } from '../lib/log';
import { dispatchRuns } from '../lib/react/dispatch';
import { defineHandlers, type Handler } from '../lib/react/handler';
import { createRuntime } from '../lib/runtime';
import { v3EventBatch } from '../test/helpers/v3-event-factory';

// throughput and callback: the number of events; pull: when to invoke (epoch ms; 0, at once).
const [mode = '', numberArg = '0'] = process.argv.slice(2);
const count = Number(numberArg);
const handlerMs = Number(process.env.HANDLER_MS ?? '0');
const started = new Map<string, number>();

const benchHandler: Handler<unknown> = {
  name: 'bench',
  async run({ event }) {
    started.set(event.id, Date.now());
    if (handlerMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerMs));
  },
};

const runtime = createRuntime(loadConfig(process.env), {
  log: silentLogger,
  handlers: defineHandlers({ '*': [benchHandler] }),
});
const store = await runtime.store();
const { config, registry, clock } = runtime;

/** Stored → handler start of every run, in ms, sorted. */
async function latencies(): Promise<number[]> {
  const sql = postgres(config.databaseUrl!, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string; received: string }[]>`
      SELECT id, (extract(epoch FROM first_received_at) * 1000)::float8 AS received FROM vod_events`;
    return rows.map((row) => started.get(row.id)! - Number(row.received)).sort((a, b) => a - b);
  } finally {
    await sql.end();
  }
}

async function throughput() {
  const events = v3EventBatch(count, 7).map((content) => normalize(content, { source: 'pull' }));
  // Stored as the drain stores them: 16 per statement, each statement's runs in the same statement.
  for (let i = 0; i < events.length; i += 16) await store.upsert(events.slice(i, i + 16), new Date());
  const start = performance.now();
  const result = await dispatchRuns(
    { runs: store.runs, registry, clock, log: silentLogger, retry: { maxAttempts: 3, baseMs: 1_000 } },
    { budgetMs: 600_000, concurrency: config.dispatchConcurrency },
  );
  const elapsedMs = performance.now() - start;
  return { succeeded: result.runsSucceeded, elapsedMs, concurrency: config.dispatchConcurrency };
}

async function pull() {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(numberArg) - Date.now())));
  const result = await createPullEventsHandler(runtime)({});
  return { stored: result.inserted, succeeded: result.runsSucceeded, latencies: await latencies() };
}

async function callback() {
  const handle = createCallbackHandler(runtime);
  let failures = 0;
  for (const content of v3EventBatch(count, 8)) {
    const response = await handle(
      { httpMethod: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(content) },
      {},
    );
    if (response.statusCode !== 200) failures++;
  }
  return { failures, succeeded: started.size, latencies: await latencies() };
}

const modes: Record<string, () => Promise<object>> = { throughput, pull, callback };
const run = modes[mode];
if (!run) throw new Error(`unknown mode '${mode}': throughput, pull or callback`);
const figures = await run();
await runtime.close();
process.stdout.write(JSON.stringify(figures));
